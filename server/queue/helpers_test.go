package queue

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

var rome = mustZone("Europe/Rome")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func mustRange(s string) Range {
	r, err := ParseRange(s)
	if err != nil {
		panic(err)
	}
	return r
}

// weekdays opens Monday to Friday with the given ranges.
func weekdays(ranges ...string) Week {
	var w Week
	for d := time.Monday; d <= time.Friday; d++ {
		for _, r := range ranges {
			w[d] = append(w[d], mustRange(r))
		}
	}
	return w
}

// testConfig is a small office: A and T standard, D fast-track 08:30-12:30.
func testConfig(t *testing.T) *Config {
	t.Helper()
	fast := weekdays("08:30-12:30")
	cfg := &Config{
		Name:     "Test office",
		Location: rome,
		Hours:    weekdays("08:30-12:30", "15:00-17:00"),
		Closures: map[string]bool{"2026-12-25": true},
		Services: []Service{
			{ID: "anagrafe", NameIT: "Anagrafe", NameEN: "Registry", Prefix: "A", CutoffOnLoad: true, CutoffBeforeClose: 30 * time.Minute, ServiceTime: 10 * time.Minute},
			{ID: "tributi", NameIT: "Tributi", NameEN: "Taxes", Prefix: "T", CutoffOnLoad: true, CutoffBeforeClose: 30 * time.Minute, ServiceTime: 10 * time.Minute},
			{ID: "documenti", NameIT: "Consegna documenti", NameEN: "Documents", Prefix: "D", Lane: LaneFastTrack, Hours: &fast, CutoffBeforeClose: 15 * time.Minute, ServiceTime: 3 * time.Minute},
		},
		Counters: []CounterConfig{
			{ID: "1", Name: "Sportello 1", Services: []string{"anagrafe", "tributi"}},
			{ID: "2", Name: "Sportello 2", Services: []string{"anagrafe", "tributi"}},
			{ID: "6", Name: "Sportello 6", Lane: LaneFastTrack, Services: []string{"documenti", "anagrafe"}},
		},
		Rules: Rules{MaxRecalls: 2},
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// at is a wall-clock instant in Rome.
func at(day string, hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, rome)
	if err != nil {
		panic(err)
	}
	return t
}

// harness drives an Office the way the server does: rollover, command,
// sequence numbers, apply.
type harness struct {
	t   *testing.T
	o   *Office
	seq uint64
	ids int
	log []Event
}

func newHarness(t *testing.T, cfg *Config) *harness {
	h := &harness{t: t, o: NewOffice(cfg)}
	h.o.NewID = func() string { h.ids++; return fmt.Sprintf("%032x", h.ids) }
	return h
}

func (h *harness) commit(now time.Time, events []Event) {
	h.t.Helper()
	for i := range events {
		h.seq++
		events[i].Seq = h.seq
		h.o.Apply(events[i])
		h.log = append(h.log, events[i])
	}
}

func (h *harness) roll(now time.Time) { h.commit(now, h.o.Rollover(now)) }

func (h *harness) issue(now time.Time, service string, priority bool) *Ticket {
	h.t.Helper()
	h.roll(now)
	events, t, err := h.o.Issue(now, IssueRequest{Service: service, Priority: priority}, Actor{Name: "kiosk-1"})
	if err != nil {
		h.t.Fatalf("issue %s at %s: %v", service, now.Format("15:04"), err)
	}
	h.commit(now, events)
	return t
}

func (h *harness) open(now time.Time, counter, clerk string, services ...string) {
	h.t.Helper()
	h.roll(now)
	events, err := h.o.Open(now, counter, services, Actor{Name: clerk})
	if err != nil {
		h.t.Fatalf("open %s: %v", counter, err)
	}
	h.commit(now, events)
}

// do runs a ticket command and fails the test on error.
func (h *harness) do(now time.Time, cmd func(time.Time) ([]Event, *Ticket, error)) *Ticket {
	h.t.Helper()
	h.roll(now)
	events, t, err := cmd(now)
	if err != nil {
		h.t.Fatalf("at %s: %v", now.Format("15:04"), err)
	}
	h.commit(now, events)
	return t
}

func (h *harness) next(now time.Time, counter, clerk string) *Ticket {
	h.t.Helper()
	return h.do(now, func(now time.Time) ([]Event, *Ticket, error) { return h.o.Next(now, counter, Actor{Name: clerk}) })
}

func (h *harness) finish(now time.Time, counter, clerk string) *Ticket {
	h.t.Helper()
	return h.do(now, func(now time.Time) ([]Event, *Ticket, error) {
		return h.o.Finish(now, counter, FinishRequest{Outcome: OutcomeResolved}, Actor{Name: clerk})
	})
}

func wantErr(t *testing.T, err error, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want %v", err, want)
	}
}

func wantRefusal(t *testing.T, err error, rule string) *Refusal {
	t.Helper()
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("got %v, want a refusal %s", err, rule)
	}
	if r.Rule != rule {
		t.Fatalf("got rule %s (%s), want %s", r.Rule, r.Message, rule)
	}
	return r
}
