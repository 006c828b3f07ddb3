package sim

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"turno/server/queue"
)

func TestSameSeedSameFigures(t *testing.T) {
	cfg, p := demo(t)
	run := func(seed uint64, workers int, scenario string) *Report {
		t.Helper()
		rep, err := Run(context.Background(), Options{Office: cfg, Profile: p, Scenario: scenario, Days: 3, Seed: seed, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	a, b := run(42, 1, "all"), run(42, 3, "all") // however many days play at once
	if !reflect.DeepEqual(a, b) {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		t.Fatalf("same seed, different figures:\n%s\n%s", ja, jb)
	}
	// 6 January (Epiphany) is a public holiday: the demo office is closed.
	if len(a.Scenarios) != 4 || a.Days != 3 || a.From != "2026-01-05" || a.To != "2026-01-08" {
		t.Fatalf("got %d scenarios, %d days %s to %s; want 4, 3, 2026-01-05 to 2026-01-08", len(a.Scenarios), a.Days, a.From, a.To)
	}
	if c := run(43, 2, "normal"); reflect.DeepEqual(a.Scenarios[0].Total, c.Scenarios[0].Total) {
		t.Fatal("another seed gave the same figures")
	}
	// Normal and staffing play the same citizens; peak has more.
	n, pk, st := a.Scenarios[0].Total, a.Scenarios[1].Total, a.Scenarios[2].Total
	if n.Arrived != st.Arrived || pk.Arrived < n.Arrived*3/2 {
		t.Fatalf("arrivals: normal %d, peak %d, staffing %d", n.Arrived, pk.Arrived, st.Arrived)
	}
	// Each group adds up.
	for _, sc := range a.Scenarios {
		for _, f := range append(append([]Figures{sc.Total}, sc.ByService...), sc.ByHour...) {
			refused := 0
			for _, n := range f.TurnedAway {
				refused += n
			}
			if f.Arrived != f.Issued+refused || f.Issued != f.Served+f.NoShows+f.LeftUncalled {
				t.Fatalf("%s %s %v: %+v does not add up", sc.Name, f.Service, f.Hour, f)
			}
		}
	}
}

// zero promises "any moment now" to everyone: its error is the wait itself,
// which checks the scoring of a second estimator.
type zero struct{}

func (zero) Name() string { return "zero" }
func (zero) Promise(in PromiseInput) (queue.Wait, bool) {
	if in.Truth.ServiceTimes["anagrafe"].Mean != 8*time.Minute || len(in.Truth.Shifts) == 0 || in.Log == nil {
		return queue.Wait{}, false // an oracle would be blind: make the test fail
	}
	return queue.Wait{}, in.Ticket.Service != "documenti"
}

func TestOracleSeam(t *testing.T) {
	cfg, p := demo(t)
	rep, err := Run(context.Background(), Options{Office: cfg, Profile: p, Scenario: "normal", Days: 2, Seed: 1, Oracle: zero{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rep.Estimators, ","); got != "naive,zero" {
		t.Fatalf("estimators %q, want naive,zero", got)
	}
	for _, f := range rep.Scenarios[0].ByService {
		o := f.Others[1]
		if f.Service == "documenti" {
			if o != nil {
				t.Errorf("documenti: zero made no promise, got %+v", o)
			}
			continue
		}
		if o == nil || o.N != f.Called || o.MAE != f.WaitMean || o.Bias != f.WaitMean {
			t.Errorf("%s: zero's accuracy %+v, want MAE = bias = the mean wait %v over %d", f.Service, o, f.WaitMean, f.Called)
		}
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "zero MAE") || strings.Contains(b.String(), "oracle MAE") {
		t.Fatalf("the table names the oracle wrong:\n%s", b.String())
	}
	rep, err = Run(context.Background(), Options{Office: cfg, Profile: p, Scenario: "normal", Days: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	rep.WriteText(&b)
	if !strings.Contains(b.String(), "oracle MAE") || !strings.Contains(b.String(), "n/a") {
		t.Fatalf("without an oracle the table must say n/a:\n%s", b.String())
	}
}

// bookings checks one citizen in through the seam, with a plain ticket
// (the engine has no check-in yet), for a slot at 10:00.
type bookings struct{}

func (bookings) Day(date time.Time, rng *rand.Rand) []Booking {
	slot := time.Date(date.Year(), date.Month(), date.Day(), 10, 0, 0, 0, date.Location())
	return []Booking{{
		Service: "sociali", Slot: slot, Arrive: slot.Add(-5 * time.Minute), ServiceTime: 20 * time.Minute,
		CheckIn: func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error) {
			return o.Issue(now, queue.IssueRequest{Service: "sociali", Channel: "booking"}, queue.Actor{Name: "agenda"})
		},
	}}
}

func TestAppointmentsSeam(t *testing.T) {
	cfg, p := demo(t)
	date := at("00:00")
	dp := plan(cfg, p, *p.Scenario("normal"), 1, 0, date, bookings{})
	walkIns := plan(cfg, p, *p.Scenario("normal"), 1, 0, date, nil)
	if len(dp.citizens) != len(walkIns.citizens)+1 {
		t.Fatalf("%d citizens with the booking, %d without", len(dp.citizens), len(walkIns.citizens))
	}
	day, err := playDay(cfg, p, dp, 1, nil, Truth{})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range dp.citizens {
		if c.due.IsZero() {
			continue
		}
		out := day.outcomes[i]
		tk := day.office.Ticket(out.ticket)
		if tk == nil || tk.Channel != "booking" || !tk.IssuedAt.Equal(at("09:55")) || !out.called {
			t.Fatalf("the booked citizen: got %+v, ticket %+v", out, tk)
		}
		if got, want := waitOf(&c, &out), max(0, out.calledAt.Sub(at("10:00"))); got != want {
			t.Fatalf("the booked citizen waited %s, want %s (from the slot)", got, want)
		}
		return
	}
	t.Fatal("no booked citizen in the day")
}

func TestRunRefusesBadOptions(t *testing.T) {
	cfg, p := demo(t)
	for _, tc := range []struct {
		name string
		opt  Options
		want string
	}{
		{"scenario", Options{Scenario: "holiday", Days: 1}, `no scenario "holiday" in profile embedded demo profile: choose normal, peak, staffing, appointments, all`},
		{"no days", Options{Days: 0}, "-days 0 must be from 1 to 2600"},
		{"too many days", Options{Days: 100000}, "-days 100000 must be from 1 to 2600"},
		{"start", Options{Days: 1, Start: "5/1/2026"}, `-start "5/1/2026" is not a date YYYY-MM-DD`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.Office, tc.opt.Profile = cfg, p
			_, err := Run(context.Background(), tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Office: cfg, Profile: p, Days: 50}); err == nil {
		t.Fatal("a cancelled run returned figures")
	}
}

// BenchmarkDay is one normal day of the demo office, played twice (as the
// office runs and without cut-off) with the naive estimator: 100 days of
// the three scenarios cost 300 of these.
func BenchmarkDay(b *testing.B) {
	cfg, p := demo(b)
	open, err := withoutCutoff(cfg)
	if err != nil {
		b.Fatal(err)
	}
	sc := *p.Scenario("normal")
	i := 0
	for b.Loop() {
		i++
		if _, err := playBoth(cfg, open, p, sc, 1, i%50, at("00:00"), []Estimator{Naive{}}, Truth{}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNoFloor(t *testing.T) {
	cfg, p := demo(t)
	for _, noFloor := range []bool{false, true} {
		rep, err := Run(context.Background(), Options{Office: cfg, Profile: p, Scenario: "normal", Days: 3, Seed: 1, NoFloor: noFloor})
		if err != nil {
			t.Fatal(err)
		}
		byTime := rep.Scenarios[0].Total.TurnedAway[queue.RuleCutoffTime]
		if rep.NoFloor != noFloor || (byTime == 0) != noFloor {
			t.Errorf("no floor %v: %d turned away by cutoff_time", noFloor, byTime)
		}
	}
	if cfg.Service("anagrafe").CutoffBeforeClose != 30*time.Minute {
		t.Fatal("the simulation changed the office's own configuration")
	}
}
