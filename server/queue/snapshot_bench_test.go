package queue

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// snapshotDay plays a day of n tickets through the office: all served (one
// in twenty a no-show) but the last 300, waiting, and one at each of the six
// counters. Every day ends with the same hall; only its history differs.
func snapshotDay(b *testing.B, n int) (*Office, time.Time) {
	b.Helper()
	o, _ := benchOffice(b) // for its configuration
	cfg := o.Config()
	o = NewOffice(cfg)
	ids := 0
	o.NewID = func() string { ids++; return fmt.Sprintf("%032x", ids) }
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, rome)
	step := 12 * time.Hour / time.Duration(3*n)
	run := func(cmd Command) {
		now = now.Add(step)
		if _, err := o.Run(now, cmd); err != nil {
			b.Fatal(err)
		}
	}
	all := []string{"a", "b", "c"}
	run(func(now time.Time, o *Office) ([]Event, error) { return o.Open(now, "1", all, Actor{Name: "c1"}) })
	issue := func(i int) {
		run(func(now time.Time, o *Office) ([]Event, error) {
			ev, _, err := o.Issue(now, IssueRequest{Service: all[i%3]}, Actor{})
			return ev, err
		})
	}
	for i := range n - 300 - 6 {
		issue(i)
		run(func(now time.Time, o *Office) ([]Event, error) {
			ev, _, err := o.Next(now, "1", Actor{Name: "c1"})
			return ev, err
		})
		run(func(now time.Time, o *Office) ([]Event, error) {
			if i%20 == 0 {
				ev, _, err := o.NoShow(now, "1", Actor{Name: "c1"})
				return ev, err
			}
			ev, _, err := o.Finish(now, "1", FinishRequest{Outcome: OutcomeResolved}, Actor{Name: "c1"})
			return ev, err
		})
	}
	for i := range 306 {
		issue(i)
	}
	for _, k := range cfg.Counters {
		if k.ID != "1" {
			run(func(now time.Time, o *Office) ([]Event, error) {
				return o.Open(now, k.ID, k.Services, Actor{Name: "c" + k.ID})
			})
		}
		run(func(now time.Time, o *Office) ([]Event, error) {
			ev, _, err := o.Next(now, k.ID, Actor{Name: "c" + k.ID})
			return ev, err
		})
	}
	return o, now
}

// BenchmarkSnapshot is a snapshot built from scratch (its forecast
// included) and encoded, at the end of a 1,000-ticket day and of a
// 50,000-ticket day with the same hall, measured in turns; snap-x is the
// second's cost over the first's (the goal: at most 10).
func BenchmarkSnapshot(b *testing.B) {
	small, smallNow := snapshotDay(b, 1000)
	big, bigNow := snapshotDay(b, 50000)
	var took [2]time.Duration
	var size [2]int
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		for k, o := range []*Office{small, big} {
			now := []time.Time{smallNow, bigNow}[k].Add(time.Duration(i) * 3 * time.Second) // past the forecast's reuse
			t0 := time.Now()
			data, err := json.Marshal(o.Snapshot(now))
			took[k] += time.Since(t0)
			if err != nil {
				b.Fatal(err)
			}
			size[k] = len(data)
		}
	}
	b.ReportMetric(float64(took[0].Nanoseconds())/float64(b.N)/1e3, "1k-us")
	b.ReportMetric(float64(took[1].Nanoseconds())/float64(b.N)/1e3, "50k-us")
	b.ReportMetric(float64(took[1])/float64(took[0]), "snap-x")
	b.ReportMetric(float64(size[0])/1024, "1k-KB")
	b.ReportMetric(float64(size[1])/1024, "50k-KB")
}
