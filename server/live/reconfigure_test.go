package live_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/live"
	"turno/server/queue"
	"turno/server/store"
)

// demoVariant is the demo office with its text edited.
func demoVariant(t *testing.T, edit func(text string) string) *config.Config {
	t.Helper()
	demo, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	text, err := config.Encode(demo)
	if err != nil {
		t.Fatal(err)
	}
	edited := edit(string(text))
	cfg, err := config.Parse([]byte(edited))
	if err != nil {
		t.Fatalf("%v in\n%s", err, edited)
	}
	for i := range cfg.Office.Services { // as openOffice runs the demo
		cfg.Office.Services[i].CutoffOnLoad = false
	}
	return cfg
}

func view(t *testing.T, o *live.Office) (snap queue.Snapshot) {
	t.Helper()
	if _, err := o.Do(context.Background(), nil, func(now time.Time, st *queue.Office) { snap = st.Snapshot(now) }); err != nil {
		t.Fatal(err)
	}
	return snap
}

// viewAt is the office's view at a given time.
func viewAt(t *testing.T, o *live.Office, at time.Time) (snap queue.Snapshot) {
	t.Helper()
	if _, err := o.Do(context.Background(), nil, func(_ time.Time, st *queue.Office) { snap = st.Snapshot(at) }); err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestReconfigureCommitsTheChangeAndRebuildsTheDay(t *testing.T) {
	ctx := context.Background()
	o, log, published := openOffice(t)
	for range 3 {
		if _, err := issue(ctx, o, "anagrafe"); err != nil {
			t.Fatal(err)
		}
	}
	next := demoVariant(t, func(s string) string {
		return strings.Replace(s, "- codice fiscale / tax code card", "- codice fiscale / tax code card\n- una marca da bollo / a revenue stamp", 1)
	})
	// Commands keep coming while the configuration changes.
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := issue(ctx, o, "tributi")
			errs <- err
		})
	}
	installed := false
	err := o.Reconfigure(ctx, &next.Office, queue.ConfigChange{Version: 1, By: "admin", Reason: "marca da bollo", TOML: "text"}, false, func() { installed = true })
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !installed || o.Config() != &next.Office {
		t.Fatal("the new configuration is not in force")
	}
	snap := view(t, o)
	if s := snap.Services[0]; !strings.Contains(s.Info, "marca da bollo") || s.Stats.Issued != 3 {
		t.Fatalf("anagrafe after the change: info %q, issued %d", s.Info, s.Stats.Issued)
	}
	if s := snap.Services[1]; s.Stats.Issued != 20 {
		t.Fatalf("tributi: issued %d, want 20", s.Stats.Issued)
	}
	// The log is gapless, holds the change, and was published in order.
	events, err := log.EventsSince(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, ev := range events {
		if ev.Seq != uint64(i+1) {
			t.Fatalf("event %d has seq %d", i, ev.Seq)
		}
	}
	if !slices.ContainsFunc(events, func(ev queue.Event) bool {
		return ev.Type == queue.EventConfigChanged && ev.Config.Reason == "marca da bollo"
	}) {
		t.Fatal("no config.changed in the log")
	}
	if v, err := log.LatestConfig(); err != nil || v.Version != 1 || v.By != "admin" {
		t.Fatalf("stored version: %+v, %v", v, err)
	}
	// A restart under the new configuration reads the same day. Both views
	// are taken a few seconds on, so each replays its forecast afresh: a
	// forecast reused across a burst of walk-ins (the concurrent issues
	// above) places them behind the others, which a fresh replay need not.
	later := snap.At.Add(3 * time.Second)
	changed := viewAt(t, o, later)
	o.Close() // the committer has published everything
	var seen []uint64
	for _, batch := range *published {
		for _, ev := range batch {
			seen = append(seen, ev.Seq)
		}
	}
	if !slices.IsSorted(seen) || len(seen) != len(events) {
		t.Fatalf("published %d events out of order or missing, of %d", len(seen), len(events))
	}
	at := snap.At // the office's clock, read from its own goroutines
	again, err := live.Open(&next.Office, log, live.Options{Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	restarted := viewAt(t, again, later)
	snap = changed
	a, _ := json.Marshal(snap)
	b, _ := json.Marshal(restarted)
	if string(a) != string(b) {
		t.Fatalf("the day after the change differs from the day after a restart:\n%s\n%s", a, b)
	}
}

func TestAChangeThatBreaksTheDayIsRefused(t *testing.T) {
	ctx := context.Background()
	o, log, _ := openOffice(t)
	if _, err := issue(ctx, o, "sociali"); err != nil {
		t.Fatal(err)
	}
	before := o.Config()
	next := demoVariant(t, func(s string) string {
		s = strings.Replace(s, "services = [\"anagrafe\", \"tributi\", \"sociali\"]", "services = [\"anagrafe\", \"tributi\"]", 1)
		s = strings.Replace(s, "services = [\"anagrafe\", \"sociali\"]", "services = [\"anagrafe\"]", 2)
		s = strings.Replace(s, "services = [\"sociali\", \"tributi\"]", "services = [\"tributi\"]", 1)
		s = strings.Replace(s, "services = [\"sociali\"]\n", "services = []\n", -1)
		i := strings.Index(s, "[[services]]\nid = \"sociali\"")
		j := strings.Index(s, "[[services]]\nid = \"documenti\"")
		return s[:i] + s[j:]
	})
	err := o.Reconfigure(ctx, &next.Office, queue.ConfigChange{Version: 1, By: "admin"}, true, func() { t.Fatal("installed a refused change") })
	var refusal *queue.ConfigRefusal
	if !errors.As(err, &refusal) || refusal.Problems[0].Code != queue.ProblemServiceBusy {
		t.Fatalf("got %v, want a refusal: people are waiting", err)
	}
	if o.Config() != before {
		t.Fatal("the configuration changed")
	}
	if _, err := log.LatestConfig(); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a version was recorded: %v", err)
	}
	// The office goes on.
	if _, err := issue(ctx, o, "sociali"); err != nil {
		t.Fatal(err)
	}
}

func TestAChangeThatCannotBeWrittenLeavesTheOldConfiguration(t *testing.T) {
	ctx := context.Background()
	o, log, _ := openOffice(t)
	if _, err := issue(ctx, o, "anagrafe"); err != nil {
		t.Fatal(err)
	}
	before := o.Config()
	next := demoVariant(t, func(s string) string { return strings.Replace(s, `target_wait = "20m"`, `target_wait = "25m"`, 1) })
	log.fail.Store(true)
	if err := o.Reconfigure(ctx, &next.Office, queue.ConfigChange{Version: 1, By: "admin"}, false, nil); !errors.Is(err, errDisk) {
		t.Fatalf("got %v, want the disk's error", err)
	}
	log.fail.Store(false)
	if o.Config() != before {
		t.Fatal("the configuration changed")
	}
	if got := view(t, o).Services[0].Stats.Issued; got != 1 {
		t.Fatalf("issued %d, want the committed ticket", got)
	}
}

func TestNewHoursCloseTheNumeratorAtOnce(t *testing.T) {
	ctx := context.Background()
	o, log, _ := openOffice(t) // Tuesday 09:00
	if _, err := issue(ctx, o, "tributi"); err != nil {
		t.Fatal(err)
	}
	next := demoVariant(t, func(s string) string {
		return strings.Replace(s, "id = \"tributi\"\nname = { it = \"Tributi (IMU, TARI)\", en = \"Local taxes\" }\nprefix = \"T\"\nlane = \"standard\"\n",
			"id = \"tributi\"\nname = { it = \"Tributi (IMU, TARI)\", en = \"Local taxes\" }\nprefix = \"T\"\nlane = \"standard\"\nhours = { tue = [\"15:00-17:00\"] }\n", 1)
	})
	err := o.Reconfigure(ctx, &next.Office, queue.ConfigChange{Version: 1, By: "admin"}, false, nil)
	var refusal *queue.ConfigRefusal
	if !errors.As(err, &refusal) || !refusal.Forcible() {
		t.Fatalf("got %v, want a refusal that force accepts", err)
	}
	if err := o.Reconfigure(ctx, &next.Office, queue.ConfigChange{Version: 1, By: "admin"}, true, nil); err != nil {
		t.Fatal(err)
	}
	snap := view(t, o)
	if s := snap.Services[1]; s.Status != queue.ServiceClosed {
		t.Fatalf("tributi: got %s, want closed", s.Status)
	}
	events, _ := log.EventsSince(0, 0)
	last := events[len(events)-1]
	if last.Type != queue.EventServiceClosed || last.Service != "tributi" {
		t.Fatalf("the last event is %s %s, want tributi's service.closed", last.Type, last.Service)
	}
}

// BenchmarkReconfigure measures a change of configuration on a busy day
// (2,000 tickets today, each issued, called and finished; set
// TURNO_BENCH_TODAY to change it): the change parsed, committed and the day
// rebuilt (built beforehand, caught up under the office's lock), and the
// longest a read of the office waited meanwhile.
func BenchmarkReconfigure(b *testing.B) {
	cfg, err := config.Demo()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, cfg.Office.Location)
	today := 2000
	if n, err := strconv.Atoi(os.Getenv("TURNO_BENCH_TODAY")); err == nil && n > 0 {
		today = n
	}
	path := benchHistory(b, cfg, 0, today, now.Add(-6*time.Hour))
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	o, err := live.Open(&cfg.Office, db, live.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer o.Close()
	text, err := config.Encode(cfg)
	if err != nil {
		b.Fatal(err)
	}
	// A kiosk reading the office all along: how long it waits, at most.
	stop := make(chan struct{})
	waited := make(chan time.Duration)
	go func() {
		var worst time.Duration
		for {
			select {
			case <-stop:
				waited <- worst
				return
			default:
			}
			start := time.Now()
			if _, err := o.Do(context.Background(), nil, nil); err != nil {
				b.Error(err)
			}
			worst = max(worst, time.Since(start))
		}
	}()
	b.ResetTimer()
	for i := range b.N {
		next, err := config.Parse([]byte(strings.Replace(string(text), "- codice fiscale", fmt.Sprintf("- codice fiscale (%d)", i), 1)))
		if err != nil {
			b.Fatal(err)
		}
		if err := o.Reconfigure(context.Background(), &next.Office, queue.ConfigChange{Version: uint64(i + 1), By: "admin", TOML: string(text)}, false, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64((<-waited).Microseconds())/1000, "max-read-wait-ms")
}

func TestAChangeAtANewDayRebuildsIt(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	o, log, _ := openOffice(t, func(opt *live.Options) { opt.Now = clock })
	if _, err := issue(ctx, o, "anagrafe"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(24 * time.Hour) // Wednesday: no command has begun it
	mu.Unlock()
	next := demoVariant(t, func(s string) string { return strings.Replace(s, `target_wait = "30m"`, `target_wait = "35m"`, 1) })
	if err := o.Reconfigure(ctx, &next.Office, queue.ConfigChange{Version: 1, By: "admin"}, false, nil); err != nil {
		t.Fatal(err)
	}
	snap := view(t, o)
	if snap.Day != "2026-11-25" || len(snap.Tickets) != 0 || snap.Services[2].TargetWait != queue.Seconds(35*time.Minute) {
		t.Fatalf("got day %s, %d tickets, target %d", snap.Day, len(snap.Tickets), snap.Services[2].TargetWait)
	}
	o.Close()
	again, err := live.Open(&next.Office, log, live.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if re := view(t, again); re.Seq != snap.Seq || re.Day != snap.Day {
		t.Fatalf("a restart: seq %d day %s, want %d %s", re.Seq, re.Day, snap.Seq, snap.Day)
	}
}
