package live_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/live"
	"turno/server/queue"
	"turno/server/store"
)

// faultyLog is the real store with a switch that makes the disk fail.
type faultyLog struct {
	*store.Store
	fail atomic.Bool
}

var errDisk = errors.New("disk full")

func (l *faultyLog) Append(events []queue.Event) error {
	if l.fail.Load() {
		return errDisk
	}
	return l.Store.Append(events)
}

func openOffice(t *testing.T, opts ...func(*live.Options)) (*live.Office, *faultyLog, *[][]queue.Event) {
	t.Helper()
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	for i := range cfg.Office.Services { // a crowd larger than the morning
		cfg.Office.Services[i].CutoffOnLoad = false
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "turno.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := &faultyLog{Store: db}
	var mu sync.Mutex
	var published [][]queue.Event
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, cfg.Office.Location)
	opt := live.Options{
		Now:    func() time.Time { return now },
		Logger: slog.New(slog.DiscardHandler),
		Publish: func(evs []queue.Event) {
			mu.Lock()
			published = append(published, evs)
			mu.Unlock()
		},
	}
	for _, f := range opts {
		f(&opt)
	}
	o, err := live.Open(&cfg.Office, log, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.Close)
	return o, log, &published
}

func issue(ctx context.Context, o *live.Office, service string) (*queue.Ticket, error) {
	var t *queue.Ticket
	_, err := o.Do(ctx, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		events, tk, err := st.Issue(now, queue.IssueRequest{Service: service}, queue.Actor{Name: "kiosk-1"})
		t = tk
		return events, err
	}, nil)
	return t, err
}

func TestConcurrentCommandsShareCommitsAndKeepTheLogGapless(t *testing.T) {
	o, log, published := openOffice(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	numbers := make(chan string, 200)
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := issue(ctx, o, "tributi")
			if err != nil {
				t.Error(err)
				return
			}
			numbers <- tk.Number
		}()
	}
	wg.Wait()
	close(numbers)
	seen := map[string]bool{}
	for n := range numbers {
		if seen[n] {
			t.Fatalf("%s issued twice", n)
		}
		seen[n] = true
	}
	events, err := log.EventsSince(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, ev := range events {
		if ev.Seq != uint64(i+1) {
			t.Fatalf("event %d has seq %d", i+1, ev.Seq)
		}
	}
	// Everything committed was published, in order, after its commit.
	o.Close()
	var next uint64 = 1
	for _, batch := range *published {
		for _, ev := range batch {
			if ev.Seq != next {
				t.Fatalf("published seq %d, want %d", ev.Seq, next)
			}
			next++
		}
	}
	if next-1 != uint64(len(events)) {
		t.Fatalf("published %d events, committed %d", next-1, len(events))
	}
	t.Logf("%d events in %d commits", len(events), len(*published))
}

func TestAFailedCommitIsRefusedAndForgotten(t *testing.T) {
	o, log, _ := openOffice(t)
	ctx := context.Background()
	first, err := issue(ctx, o, "anagrafe")
	if err != nil || first.Number != "A001" {
		t.Fatalf("got %+v %v", first, err)
	}
	log.fail.Store(true)
	if _, err := issue(ctx, o, "anagrafe"); !errors.Is(err, errDisk) {
		t.Fatalf("got %v, want the disk's error", err)
	}
	log.fail.Store(false)
	// The refused ticket never existed: the number is given again, and the
	// state matches the log.
	again, err := issue(ctx, o, "anagrafe")
	if err != nil || again.Number != "A002" {
		t.Fatalf("got %+v %v, want A002", again, err)
	}
	var waiting int
	if _, err := o.Do(ctx, nil, func(now time.Time, st *queue.Office) { waiting = st.ServiceStatus(now, "anagrafe").Waiting }); err != nil {
		t.Fatal(err)
	}
	if waiting != 2 {
		t.Fatalf("got %d waiting, want 2", waiting)
	}
}

// Every write of the committer is reported (the server's metrics count
// them): what it wrote, for how many callers, and whether it failed.
func TestEveryWriteIsReported(t *testing.T) {
	var mu sync.Mutex
	var commits []live.Commit
	o, log, _ := openOffice(t, func(opt *live.Options) {
		opt.Committed = func(c live.Commit) {
			mu.Lock()
			commits = append(commits, c)
			mu.Unlock()
		}
	})
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := issue(ctx, o, "anagrafe"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	log.fail.Store(true)
	if _, err := issue(ctx, o, "anagrafe"); !errors.Is(err, errDisk) {
		t.Fatalf("got %v, want the disk's error", err)
	}
	o.Close()
	last, err := log.LastSeq()
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	var written, requests int
	for _, c := range commits[:len(commits)-1] {
		if c.Err != nil || c.Events == 0 || c.Requests == 0 || c.Duration <= 0 {
			t.Fatalf("got %+v, want a successful write of some events for some callers, timed", c)
		}
		written += c.Events
		requests += c.Requests
	}
	if uint64(written) != last {
		t.Errorf("the reports count %d events written, the log holds %d", written, last)
	}
	if requests < 50 {
		t.Errorf("the reports count %d callers, want at least the 50 tickets'", requests)
	}
	if failed := commits[len(commits)-1]; !errors.Is(failed.Err, errDisk) || failed.Events == 0 {
		t.Errorf("the last report: got %+v, want the failed write with the disk's error", failed)
	}
}

func TestClosedOfficeRefusesCommands(t *testing.T) {
	o, _, _ := openOffice(t)
	o.Close()
	if _, err := issue(context.Background(), o, "anagrafe"); !errors.Is(err, live.ErrClosed) {
		t.Fatalf("got %v, want ErrClosed", err)
	}
}

func TestAPanickingCommandIsRefusedAndTheOfficeGoesOn(t *testing.T) {
	o, _, _ := openOffice(t)
	ctx := context.Background()
	_, err := o.Do(ctx, func(time.Time, *queue.Office) ([]queue.Event, error) { panic("a bug") }, nil)
	if err == nil {
		t.Fatal("a panicking command succeeded")
	}
	_, err = o.Do(ctx, nil, func(time.Time, *queue.Office) { panic("another bug") })
	if err == nil {
		t.Fatal("a panicking view succeeded")
	}
	if tk, err := issue(ctx, o, "anagrafe"); err != nil || tk.Number != "A001" {
		t.Fatalf("after the panics: got %+v %v", tk, err)
	}
}
