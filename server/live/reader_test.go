package live_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"turno/server/live"
	"turno/server/queue"
)

// A long read (a big day's snapshot during a wave of screens) holds only
// the readers' copy: kiosks' tickets go through meanwhile, and the next
// read shows them.
func TestALongReadDoesNotHoldUpCommands(t *testing.T) {
	ctx := context.Background()
	o, _, _ := openOffice(t)
	entered, release := make(chan struct{}), make(chan struct{})
	readDone := make(chan error, 1)
	go func() {
		readDone <- o.Read(ctx, func(time.Time, *queue.Office) {
			close(entered)
			<-release
		})
	}()
	<-entered
	issued := make(chan error, 1)
	go func() {
		_, err := issue(ctx, o, "anagrafe")
		issued <- err
	}()
	select {
	case err := <-issued:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second): // a deadlock, not a measure of speed
		t.Fatal("a ticket waited for a read to end")
	}
	close(release)
	if err := <-readDone; err != nil {
		t.Fatal(err)
	}
	snap, err := o.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Tickets) != 1 {
		t.Fatalf("the snapshot after the ticket holds %d tickets, want it", len(snap.Tickets))
	}
}

// The readers' copy is the office: after any run of commands from many
// callers, a new day and a new configuration, what a read shows is what
// the writer's state shows at the same moment.
func TestTheReadersCopyIsTheOffice(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	tick := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	o, _, _ := openOffice(t, func(opt *live.Options) { opt.Now = clock })
	same := func(when string) {
		t.Helper()
		at := clock()
		var w, r queue.Snapshot
		if _, err := o.Do(ctx, nil, func(_ time.Time, st *queue.Office) { w = st.Snapshot(at) }); err != nil {
			t.Fatal(err)
		}
		if err := o.Read(ctx, func(_ time.Time, st *queue.Office) { r = st.Snapshot(at) }); err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(w)
		b, _ := json.Marshal(r)
		if string(a) != string(b) {
			t.Fatalf("%s: the readers' copy differs from the office:\n%s\n%s", when, a, b)
		}
	}
	counters := []string{"1", "3", "5"} // each serves sociali and one more
	services := []string{"anagrafe", "tributi", "sociali"}
	for _, k := range counters {
		if _, err := o.Do(ctx, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
			return st.Open(now, k, st.Config().Counter(k).Services, queue.Actor{Name: "clerk-" + k})
		}, nil); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	play := func(rounds int) {
		for range rounds {
			var wg sync.WaitGroup
			for i := range 8 {
				k, s := counters[rng.IntN(len(counters))], services[rng.IntN(len(services))]
				what := rng.IntN(4)
				wg.Add(1)
				go func() {
					defer wg.Done()
					o.Do(ctx, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
						actor := queue.Actor{Name: fmt.Sprintf("caller-%d", i)}
						switch what {
						case 0, 1:
							ev, _, err := st.Issue(now, queue.IssueRequest{Service: s}, actor)
							return ev, err
						case 2:
							ev, _, err := st.Next(now, k, actor)
							return ev, err
						default:
							ev, _, err := st.Finish(now, k, queue.FinishRequest{}, actor)
							return ev, err
						}
					}, nil) // refusals (nobody waiting, nobody at the desk) are part of the day
				}()
			}
			wg.Wait()
			tick(time.Duration(rng.IntN(120)) * time.Second)
		}
	}
	play(30)
	same("a morning's commands")
	next := demoVariant(t, func(s string) string { return strings.Replace(s, `target_wait = "30m"`, `target_wait = "35m"`, 1) })
	if err := o.Reconfigure(ctx, &next.Office, queue.ConfigChange{Version: 1, By: "admin"}, false, nil); err != nil {
		t.Fatal(err)
	}
	same("a new configuration")
	play(10)
	same("commands under it")
	tick(24 * time.Hour)
	same("a new day")
	play(10)
	same("the new day's commands")
}
