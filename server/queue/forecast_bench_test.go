package queue

import (
	"fmt"
	"testing"
	"time"
)

// benchOffice is a busy hall: 200 waiting across three services (some
// priority, some booked appointments), six counters open, five busy.
func benchOffice(b *testing.B) (*Office, time.Time) {
	b.Helper()
	cfg := &Config{
		Name: "Bench", Location: rome, Hours: weekdays("08:00-20:00"),
		Services: []Service{
			{ID: "a", NameEN: "A", Prefix: "A", ServiceTime: 8 * time.Minute, Agenda: &Agenda{Slot: 10 * time.Minute, PerSlot: 2}},
			{ID: "b", NameEN: "B", Prefix: "B", ServiceTime: 10 * time.Minute, Weight: 1.2},
			{ID: "c", NameEN: "C", Prefix: "C", ServiceTime: 5 * time.Minute},
		},
		Counters: []CounterConfig{
			{ID: "1", Services: []string{"a", "b", "c"}}, {ID: "2", Services: []string{"a", "b"}},
			{ID: "3", Services: []string{"b", "c"}}, {ID: "4", Services: []string{"a", "c"}},
			{ID: "5", Services: []string{"a"}}, {ID: "6", Services: []string{"b", "c"}},
		},
	}
	if err := cfg.Prepare(); err != nil {
		b.Fatal(err)
	}
	o := NewOffice(cfg)
	n := 0
	o.NewID = func() string { n++; return fmt.Sprintf("%032x", n) }
	run := func(now time.Time, cmd Command) {
		if _, err := o.Run(now, cmd); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Date(2026, 11, 24, 8, 0, 0, 0, rome)
	for i := range 20 {
		slot := start.Add(time.Duration(60+10*(i/2)) * time.Minute)
		run(start.Add(-24*time.Hour), func(now time.Time, o *Office) ([]Event, error) {
			ev, _, err := o.Book(now, BookRequest{Service: "a", Slot: slot, Name: "x", Channel: ChannelPhone, Staff: true}, Actor{})
			return ev, err
		})
	}
	for i := range 200 {
		svc := []string{"a", "b", "c"}[i%3]
		run(start.Add(time.Duration(i)*10*time.Second), func(now time.Time, o *Office) ([]Event, error) {
			ev, _, err := o.Issue(now, IssueRequest{Service: svc, Priority: i%10 == 0}, Actor{})
			return ev, err
		})
	}
	now := start.Add(40 * time.Minute)
	for _, k := range cfg.Counters {
		run(now, func(now time.Time, o *Office) ([]Event, error) {
			return o.Open(now, k.ID, k.Services, Actor{Name: "c" + k.ID})
		})
		if k.ID != "6" {
			run(now, func(now time.Time, o *Office) ([]Event, error) {
				ev, _, err := o.Next(now, k.ID, Actor{Name: "c" + k.ID})
				return ev, err
			})
		}
	}
	return o, now.Add(3 * time.Minute)
}

// BenchmarkForecast is the forecast the server replays after each event
// (a full replay: the two-second reuse is defeated by a new time each run).
func BenchmarkForecast(b *testing.B) {
	o, now := benchOffice(b)
	waiting := 0
	for _, l := range o.lines {
		waiting += len(l.all)
	}
	if waiting < 190 {
		b.Fatalf("only %d waiting", waiting)
	}
	b.ReportAllocs()
	b.ResetTimer()
	calls := 0
	for i := range b.N {
		fc := o.Forecast(now.Add(time.Duration(i)*time.Millisecond), o.Model)
		calls = len(fc.Calls())
	}
	b.ReportMetric(float64(calls), "calls/replay")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(calls), "ns/call")
}

// BenchmarkIssueWith200Waiting is one kiosk ticket through Office.Run as
// the server takes it (the numerator's decision and the status changes after
// it each replay the day), plus the call and finish that keep the hall at
// 200: three commands per operation.
func BenchmarkIssueWith200Waiting(b *testing.B) {
	o, now := benchOffice(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		at := now.Add(time.Duration(i) * 3 * time.Second)
		if _, err := o.Run(at, func(now time.Time, o *Office) ([]Event, error) {
			ev, _, err := o.Issue(now, IssueRequest{Service: "c"}, Actor{})
			return ev, err
		}); err != nil {
			b.Fatal(err)
		}
		// Keep the hall at 200: counter 6 calls and serves the oldest of c.
		if _, err := o.Run(at, func(now time.Time, o *Office) ([]Event, error) {
			ev, _, err := o.Next(now, "6", Actor{Name: "c6"})
			return ev, err
		}); err != nil {
			b.Fatal(err)
		}
		if _, err := o.Run(at.Add(time.Second), func(now time.Time, o *Office) ([]Event, error) {
			ev, _, err := o.Finish(now, "6", FinishRequest{Outcome: OutcomeResolved}, Actor{Name: "c6"})
			return ev, err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
