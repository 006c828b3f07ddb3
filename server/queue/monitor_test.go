package queue

import (
	"testing"
	"time"
)

func TestMonitorCountsTheDay(t *testing.T) {
	cfg := testConfig(t)
	cfg.Service("tributi").DailyCap = 1
	o := NewOffice(cfg)
	tue := "2026-11-24"
	kiosk, mario := Actor{Name: "kiosk-1"}, Actor{Name: "mario"}
	run := func(now time.Time, cmd Command) error {
		t.Helper()
		_, err := o.Run(now, cmd)
		return err
	}
	issue := func(service string) Command {
		return func(now time.Time, o *Office) ([]Event, error) {
			ev, _, err := o.Issue(now, IssueRequest{Service: service}, kiosk)
			return ev, err
		}
	}
	for _, s := range []string{"anagrafe", "anagrafe", "tributi"} {
		if err := run(at(tue, "09:00"), issue(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := run(at(tue, "09:05"), issue("tributi")); err == nil {
		t.Fatal("the daily cap let a second tributi ticket through")
	}
	if err := run(at(tue, "09:10"), func(now time.Time, o *Office) ([]Event, error) { return o.Open(now, "1", []string{"anagrafe"}, mario) }); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []Command{
		func(now time.Time, o *Office) ([]Event, error) { ev, _, err := o.Next(now, "1", mario); return ev, err },
		func(now time.Time, o *Office) ([]Event, error) {
			ev, _, err := o.NoShow(now, "1", mario)
			return ev, err
		},
		func(now time.Time, o *Office) ([]Event, error) { return o.Lock(now, "documenti", "printer jam", mario) },
	} {
		if err := run(at(tue, "09:20"), cmd); err != nil {
			t.Fatal(err)
		}
	}

	m := o.Monitor(at(tue, "09:30"))
	if m.Day != tue {
		t.Errorf("day: got %q, want %q", m.Day, tue)
	}
	if got := m.Counters[CounterOpen]; got != 1 {
		t.Errorf("open counters: got %d, want 1", got)
	}
	if got := m.Counters[CounterClosed]; got != 2 {
		t.Errorf("closed counters: got %d, want 2", got)
	}
	by := map[string]ServiceMonitor{}
	for _, s := range m.Services {
		by[s.Service] = s
	}
	a, tr, d := by["anagrafe"], by["tributi"], by["documenti"]
	if a.Waiting != 1 || a.OldestWait != 30*time.Minute || a.Stats.NoShows != 1 || a.Stats.Issued != 2 || a.Status != ServiceOpen {
		t.Errorf("anagrafe: got %+v, want 1 waiting for 30 min, 1 no-show, 2 issued, open", a)
	}
	if tr.Waiting != 1 || tr.Stats.ByRule[RuleDailyCap] != 1 || tr.Status != ServiceCutoff {
		t.Errorf("tributi: got %+v, want 1 waiting, 1 turn-away by daily_cap, cut off", tr)
	}
	if d.Status != ServiceLocked || d.Waiting != 0 || d.OldestWait != 0 {
		t.Errorf("documenti: got %+v, want locked and empty", d)
	}
	// The copy is the caller's: changing it changes nothing in the office.
	tr.Stats.ByRule[RuleDailyCap] = 99
	if got := o.Stats("tributi").ByRule[RuleDailyCap]; got != 1 {
		t.Errorf("the office's count changed through the copy: %d", got)
	}
}
