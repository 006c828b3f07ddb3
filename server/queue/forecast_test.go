package queue

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
)

// run runs a command through Office.Run and fails the test on its error.
func run(t *testing.T, o *Office, now time.Time, cmd Command) []Event {
	t.Helper()
	events, err := o.Run(now, cmd)
	if err != nil {
		t.Fatalf("at %s: %v", now.In(o.cfg.Location).Format("15:04:05"), err)
	}
	return events
}

// fixedModel makes every call of a service last exactly its configured
// time: with no randomness, the forecast's replay must be the future.
func fixedModel(cfg *Config) func(string) ServiceModel {
	return func(service string) ServiceModel {
		return ServiceModel{Mean: cfg.Service(service).ServiceTime, CV: 0, NoShow: 0, Show: 1}
	}
}

// propertyConfig is an office with polyfunctional counters, weights, a
// priority limit and one bookable service.
func propertyConfig(t *testing.T, r *rand.Rand) *Config {
	t.Helper()
	weights := []float64{1, 1.5, 0.8}
	cfg := &Config{
		Name: "Property office", Location: rome, Hours: weekdays("08:30-17:00"),
		Services: []Service{
			{ID: "a", NameEN: "A", Prefix: "A", ServiceTime: time.Duration(300+r.IntN(600)) * time.Second, Weight: weights[r.IntN(3)],
				Agenda: &Agenda{Slot: 15 * time.Minute, PerSlot: 2}},
			{ID: "b", NameEN: "B", Prefix: "B", ServiceTime: time.Duration(300+r.IntN(600)) * time.Second, Weight: weights[r.IntN(3)]},
			{ID: "c", NameEN: "C", Prefix: "C", ServiceTime: time.Duration(300+r.IntN(600)) * time.Second, Weight: weights[r.IntN(3)]},
		},
		Counters: []CounterConfig{
			{ID: "1", Services: []string{"a", "b", "c"}},
			{ID: "2", Services: []string{"a", "b"}},
			{ID: "3", Services: []string{"b", "c"}},
			{ID: "4", Services: []string{"a", "c"}},
		},
		Rules: Rules{PriorityMaxInRow: 1 + r.IntN(2), MaxRecalls: 2},
		// A plan with nobody expected today: the replay has exactly the
		// counters the test opens.
		Staffing: Staffing{Shifts: []Shift{{Counter: "1", Hours: Week{time.Saturday: {mustRange("09:00-10:00")}}}}},
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// The forecast replays the call order that Office.Next follows: from random
// states, with service times known exactly, driving the real office through
// the forecast's timeline calls the same tickets at the same counters in the
// same order, appointments and priority streaks included.
func TestForecastAgreesWithNext(t *testing.T) {
	compared := 0
	defer func() {
		if compared < 1000 {
			t.Errorf("only %d calls compared: the states are too poor to test anything", compared)
		}
	}()
	for seed := uint64(1); seed <= 200; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			cfg := propertyConfig(t, r)
			o := NewOffice(cfg)
			ids := 0
			o.NewID = func() string { ids++; return fmt.Sprintf("%032x", ids) }
			start := at(tue, "08:30")
			services := []string{"a", "b", "c"}
			// Bookings made the day before, some for slots around now.
			prev := at("2026-11-23", "10:00")
			var bookings []*Booking
			for i := 0; i < r.IntN(6); i++ {
				slot := start.Add(time.Duration(30+15*r.IntN(8)) * time.Minute)
				run(t, o, prev, func(now time.Time, o *Office) ([]Event, error) {
					events, b, err := o.Book(now, BookRequest{Service: "a", Slot: slot, Name: fmt.Sprint("citizen ", i), Channel: ChannelPhone, Staff: true}, Actor{Name: "anna"})
					if err == nil {
						bookings = append(bookings, b)
					}
					return events, nil
				})
			}
			// Walk-ins and priority citizens arrive in the first hour.
			clock := start
			for i := 0; i < 5+r.IntN(30); i++ {
				clock = clock.Add(time.Duration(1+r.IntN(120)) * time.Second)
				svc, prio := services[r.IntN(3)], r.IntN(5) == 0
				run(t, o, clock, func(now time.Time, o *Office) ([]Event, error) {
					events, _, err := o.Issue(now, IssueRequest{Service: svc, Priority: prio}, Actor{Name: "kiosk"})
					return events, err
				})
			}
			now := start.Add(90 * time.Minute)
			// Some booked citizens checked in early (within the window).
			for _, b := range bookings {
				if r.IntN(2) == 0 && !b.Slot.Add(-15*time.Minute).After(now) && b.Slot.After(now) {
					run(t, o, now, func(now time.Time, o *Office) ([]Event, error) {
						events, _, _, err := o.CheckIn(now, b.Code, Actor{Name: "kiosk"})
						return events, err
					})
				}
			}
			// Counters open with some of their services; some are serving.
			for _, k := range cfg.Counters {
				if r.IntN(4) == 0 {
					continue
				}
				var chosen []string
				for _, s := range k.Services {
					if r.IntN(3) > 0 {
						chosen = append(chosen, s)
					}
				}
				if len(chosen) == 0 {
					chosen = k.Services[:1]
				}
				clerk := "clerk" + k.ID
				run(t, o, now.Add(-time.Minute), func(now time.Time, o *Office) ([]Event, error) {
					return o.Open(now, k.ID, chosen, Actor{Name: clerk})
				})
				if r.IntN(2) == 0 {
					o.Run(now.Add(-time.Minute), func(now time.Time, o *Office) ([]Event, error) {
						events, _, err := o.Next(now, k.ID, Actor{Name: clerk})
						return events, err
					})
				}
			}
			fc := o.Forecast(now, fixedModel(cfg))
			want := fc.Calls()

			// Drive the real office along the forecast's timeline.
			var h ctrHeap
			for i, k := range cfg.Counters {
				c := o.Counter(k.ID)
				if c.State != CounterOpen {
					continue
				}
				free := now
				if tk := o.Ticket(c.Current); tk != nil {
					free = tk.CalledAt.Add(cfg.Service(tk.Service).ServiceTime)
				}
				heap.Push(&h, &ctrItem{id: k.ID, order: i, free: free})
			}
			checkIns := append([]*Booking(nil), bookings...)
			// Citizens due at the same slot check in in the order the
			// forecast assumes (it cannot know who comes first).
			sort.Slice(checkIns, func(i, j int) bool {
				if !checkIns[i].Slot.Equal(checkIns[j].Slot) {
					return checkIns[i].Slot.Before(checkIns[j].Slot)
				}
				return checkIns[i].Code < checkIns[j].Code
			})
			var got []Call
			for len(got) < len(want) && h.Len() > 0 {
				c := h[0]
				tnow := c.free
				for len(checkIns) > 0 && !checkIns[0].Slot.After(tnow) {
					b := checkIns[0]
					checkIns = checkIns[1:]
					if cur := o.Booking(b.ID); cur.State == BookingBooked {
						run(t, o, b.Slot, func(now time.Time, o *Office) ([]Event, error) {
							events, _, _, err := o.CheckIn(now, b.Code, Actor{Name: "kiosk"})
							return events, err
						})
					}
				}
				clerk := "clerk" + c.id
				if o.Counter(c.id).Current != "" {
					run(t, o, tnow, func(now time.Time, o *Office) ([]Event, error) {
						events, _, err := o.Finish(now, c.id, FinishRequest{Outcome: OutcomeResolved}, Actor{Name: clerk})
						return events, err
					})
				}
				var called *Ticket
				_, err := o.Run(tnow, func(now time.Time, o *Office) ([]Event, error) {
					events, tk, err := o.Next(now, c.id, Actor{Name: clerk})
					called = tk
					return events, err
				})
				if err != nil { // nobody for it now; the forecast waits for a booking
					next := time.Time{}
					if len(checkIns) > 0 {
						next = checkIns[0].Slot
					}
					if next.IsZero() {
						heap.Pop(&h)
						continue
					}
					c.free = next
					heap.Fix(&h, 0)
					continue
				}
				id := called.ID
				if called.Booking != "" && called.Due != nil {
					id = "booking:" + called.Booking
				}
				got = append(got, Call{Counter: c.id, Ticket: id, At: tnow})
				c.free = tnow.Add(cfg.Service(called.Service).ServiceTime)
				heap.Fix(&h, 0)
			}
			// Checked-in appointments appear as tickets in the forecast.
			for i := range want {
				if strings.HasPrefix(want[i].Ticket, "booking:") {
					continue
				}
				if tk := o.Ticket(want[i].Ticket); tk != nil && tk.Booking != "" {
					want[i].Ticket = "booking:" + tk.Booking
				}
			}
			compared += len(want)
			if len(got) != len(want) {
				t.Fatalf("got %d calls, the forecast %d:\ngot  %v\nwant %v", len(got), len(want), got, want)
			}
			for i := range want {
				if got[i].Counter != want[i].Counter || got[i].Ticket != want[i].Ticket || !got[i].At.Equal(want[i].At) {
					t.Fatalf("call %d: got %+v, the forecast %+v", i, got[i], want[i])
				}
			}
		})
	}
}

type ctrItem struct {
	id    string
	order int
	free  time.Time
	index int
}

type ctrHeap []*ctrItem

func (h ctrHeap) Len() int { return len(h) }
func (h ctrHeap) Less(i, j int) bool {
	if !h[i].free.Equal(h[j].free) {
		return h[i].free.Before(h[j].free)
	}
	return h[i].order < h[j].order
}
func (h ctrHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i]; h[i].index = i; h[j].index = j }
func (h *ctrHeap) Push(x any)   { it := x.(*ctrItem); it.index = len(*h); *h = append(*h, it) }
func (h *ctrHeap) Pop() any     { old := *h; it := old[len(old)-1]; *h = old[:len(old)-1]; return it }

// planned is testConfig with counters 1 and 2 planned every weekday
// morning.
func planned(t *testing.T, plan bool) *Config {
	t.Helper()
	cfg := testConfig(t)
	cfg.Services[0].CutoffBeforeClose = 0 // only the load rule
	if plan {
		for _, id := range []string{"1", "2"} {
			cfg.Staffing.Shifts = append(cfg.Staffing.Shifts, Shift{Counter: id, Hours: weekdays("08:30-12:30")})
		}
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// The kiosk scenario of the opening: a queue forms before the clerks log
// in, one by one. Without a plan, the first clerk alone is the forecast's
// whole capacity and the numerator is cut off, then reopened minutes later
// by the second; with the plan it never stops.
func TestTheStaffingPlanStopsTheOpeningFlap(t *testing.T) {
	for _, plan := range []bool{false, true} {
		t.Run(fmt.Sprint("plan ", plan), func(t *testing.T) {
			h := newHarness(t, planned(t, plan))
			var changes []string
			step := func(now time.Time, cmd func(time.Time)) {
				if cmd != nil {
					cmd(now)
				}
				h.roll(now)
				for _, ev := range h.o.StatusChanges(now) {
					if ev.Service == "anagrafe" && ev.Type != EventServiceReopened || len(changes) > 0 {
						changes = append(changes, now.Format("15:04")+" "+ev.Type)
					}
					h.commit(now, []Event{ev})
				}
			}
			for i := range 24 {
				now := at(tue, "08:30").Add(time.Duration(i) * 10 * time.Second)
				step(now, func(now time.Time) { h.issue(now, "anagrafe", false) })
			}
			step(at(tue, "08:35"), func(now time.Time) { h.open(now, "1", "mario", "anagrafe") })
			step(at(tue, "08:38"), func(now time.Time) { h.open(now, "2", "giulia", "anagrafe") })
			if plan && len(changes) > 0 {
				t.Fatalf("with the plan: got %v, want no change", changes)
			}
			if !plan && (len(changes) != 2 || changes[0] != "08:35 "+EventServiceCutoff || changes[1] != "08:38 "+EventServiceReopened) {
				t.Fatalf("without a plan: got %v, want the flap (cut off at 08:35, reopened at 08:38)", changes)
			}
		})
	}
}

// The load rule judges the forecast at the office's confidence: where the
// mean says a new ticket is served by closing but its 90th percentile does
// not, a 0.9 office stops and a 0.5 office still issues.
func TestTheLoadCutoffUsesTheConfiguredPercentile(t *testing.T) {
	office := func(confidence float64, waiting int) *harness {
		cfg := planned(t, false)
		cfg.Rules.CutoffConfidence = confidence
		cfg.Rules.OvertimeConfidence = 0.5 // the day's guard out of the way: this is the ticket's own rule
		if err := cfg.Prepare(); err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, cfg)
		h.open(at(tue, "10:00"), "1", "mario", "anagrafe")
		for i := range waiting {
			h.issue(at(tue, "10:00").Add(time.Duration(i)*time.Second), "anagrafe", false)
		}
		return h
	}
	now := at(tue, "10:01")
	for n := 1; n < 40; n++ {
		strict := office(0.9, n)
		if strict.o.ServiceStatus(now, "anagrafe").Status == ServiceOpen {
			continue
		}
		if n == 1 {
			t.Fatal("one ticket waiting cut the numerator off")
		}
		if st := office(0.5, n).o.ServiceStatus(now, "anagrafe"); st.Status != ServiceOpen {
			t.Fatalf("%d waiting: the 0.5 office got %s, want open", n, st.Status)
		}
		fc := strict.o.Forecast(now, strict.o.Model)
		close := at(tue, "12:30")
		if !fc.ServedBy("anagrafe", 0, close, 0.5) || fc.ServedBy("anagrafe", 0, close, 0.9) {
			t.Fatalf("%d waiting: want the median before closing and the 90th percentile after", n)
		}
		return
	}
	t.Fatal("the 0.9 office never stopped")
}

// Once cut off by load, a numerator reopens only when the forecast clears
// closing by the hysteresis margin (and the day's end with half the risk),
// not at the first finished ticket: at every moment where a fresh
// numerator would issue with less than the margins to spare, one already
// cut off stays cut off.
func TestTheLoadCutoffDoesNotFlicker(t *testing.T) {
	h := newHarness(t, planned(t, false))
	h.open(at(tue, "09:00"), "1", "mario", "anagrafe")
	for i := range 8 {
		h.issue(at(tue, "09:00").Add(time.Duration(i)*time.Second), "anagrafe", false)
	}
	close := at(tue, "12:30")
	inBand := 0
	for now := at(tue, "10:00"); now.Before(at(tue, "11:30")); now = now.Add(time.Minute) {
		h.o.announced["anagrafe"], h.o.announcedRule["anagrafe"] = ServiceOpen, ""
		fresh := h.o.ServiceStatus(now, "anagrafe").Status
		h.o.announced["anagrafe"], h.o.announcedRule["anagrafe"] = ServiceCutoff, RuleCutoffLoad
		cut := h.o.ServiceStatus(now, "anagrafe").Status
		fc := h.o.Forecast(now, h.o.Model)
		switch {
		case fresh != ServiceOpen:
			if cut == ServiceOpen {
				t.Fatalf("%s: reopened while a fresh numerator would stop", now.Format("15:04"))
			}
		case fc.ServedBy("anagrafe", 0, close.Add(-loadHysteresis), 0.9) && dayOdds(fc, close.Add(-loadHysteresis).Add(DefaultOvertimeTolerance)) >= 0.95:
			if cut != ServiceOpen {
				t.Fatalf("%s: still cut off with the margins to spare", now.Format("15:04"))
			}
		default:
			inBand++
			if cut == ServiceOpen {
				t.Fatalf("%s: reopened within the margin", now.Format("15:04"))
			}
		}
	}
	if inBand == 0 {
		t.Fatal("no moment within the margin: the test tests nothing")
	}
}

// A burst of kiosks is priced without a replay per ticket: each new walk-in
// queues behind the last on the service's counters. In an office of one
// service that is exactly what a fresh replay says.
func TestABurstOfWalkInsIsPricedAsAFreshReplay(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		r := rand.New(rand.NewPCG(seed, 3))
		h := newHarness(t, testConfig(t))
		start := at(tue, "09:00")
		for i := range r.IntN(6) {
			h.issue(start.Add(time.Duration(i)*time.Second), "tributi", false)
		}
		h.open(start.Add(time.Minute), "1", "mario", "tributi")
		h.open(start.Add(time.Minute), "2", "giulia", "tributi")
		if r.IntN(2) == 0 && h.o.waiting("tributi") > 0 {
			h.next(start.Add(2*time.Minute), "1", "mario")
		}
		now := start.Add(5 * time.Minute)
		h.o.ServiceStatus(now, "tributi") // one replay, then the burst
		var burst []*Ticket
		for range 1 + r.IntN(8) {
			burst = append(burst, h.issue(now, "tributi", false))
		}
		if h.o.fcDirty || h.o.fcAppended["tributi"] != len(burst) {
			t.Fatalf("seed %d: the burst replayed the day", seed)
		}
		fresh := h.o.Forecast(now, h.o.Model)
		for _, tk := range burst {
			got, _ := h.o.PositionAt(now, tk)
			w, ahead, ok := fresh.Ticket(tk.ID)
			if !ok || got.Ahead != ahead || (got.EstimatedWait-w.EstimatedWait).D().Abs() > time.Second {
				t.Fatalf("seed %d, %s: burst %+v, fresh replay %+v ahead %d", seed, tk.Number, got, w, ahead)
			}
		}
		if got, want := h.o.NewTicketWait(now, "tributi", false), fresh.NewTicket("tributi", false); (got.EstimatedWait - want.EstimatedWait).D().Abs() > time.Second {
			t.Fatalf("seed %d: a new ticket after the burst: got %+v, a fresh replay %+v", seed, got, want)
		}
	}
}

func dayOdds(fc *Forecast, deadline time.Time) float64 {
	with, ok := fc.DayOdds("anagrafe", deadline)
	if !ok {
		return 1
	}
	return with
}

// A clerk planned to leave at 11:00 who is still finishing a citizen at
// 11:05 calls nobody else in the replay: the queue is priced on the
// counters that stay. Still open well past the plan, the clerk is taken
// to be staying.
func TestALeavingClerkFinishesTheCitizenAtTheDeskAndGoes(t *testing.T) {
	cfg := testConfig(t)
	cfg.Staffing.Shifts = []Shift{
		{Counter: "1", Hours: weekdays("08:30-12:30")},
		{Counter: "2", Hours: weekdays("08:30-11:00")},
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, cfg)
	h.open(at(tue, "08:35"), "1", "mario", "anagrafe")
	h.open(at(tue, "08:35"), "2", "giulia", "anagrafe")
	for i := range 8 {
		h.issue(at(tue, "10:50").Add(time.Duration(i)*time.Second), "anagrafe", false)
	}
	h.next(at(tue, "10:55"), "1", "mario")
	h.next(at(tue, "10:58"), "2", "giulia")
	callsOf := func(now time.Time, counter string) int {
		n := 0
		for _, c := range h.o.Forecast(now, h.o.Model).Calls() {
			if c.Counter == counter {
				n++
			}
		}
		return n
	}
	if n := callsOf(at(tue, "11:05"), "2"); n != 0 {
		t.Errorf("at 11:05, counter 2 (planned until 11:00) calls %d more in the replay, want none", n)
	}
	if n := callsOf(at(tue, "11:05"), "1"); n != 6 {
		t.Errorf("at 11:05, counter 1 calls %d in the replay, want the 6 waiting", n)
	}
	if n := callsOf(at(tue, "11:30"), "2"); n == 0 {
		t.Errorf("at 11:30, counter 2 still open half an hour past the plan calls nobody in the replay, want it to stay")
	}
}

// A counter busy with a citizen ends its day no sooner than that citizen:
// the day's odds count it even when the replay gives it nobody else.
func TestABusyCounterCountsInTheDaysOdds(t *testing.T) {
	odds := func(busy bool) float64 {
		h := newHarness(t, planned(t, false))
		h.open(at(tue, "10:00"), "1", "mario", "anagrafe", "tributi")
		h.open(at(tue, "10:00"), "2", "giulia", "anagrafe")
		if busy {
			h.issue(at(tue, "10:00"), "tributi", false)
			h.next(at(tue, "10:00"), "1", "mario")
		}
		now := at(tue, "10:01")
		h.roll(now)
		return dayOdds(h.o.Forecast(now, h.o.Model), now.Add(15*time.Minute))
	}
	idle, busy := odds(false), odds(true)
	if busy > 0.95*idle {
		t.Fatalf("the day's odds of ending in 15 minutes: %.3f with counter 1 a minute into a 10-minute citizen, %.3f with it idle; want clearly lower", busy, idle)
	}
}
