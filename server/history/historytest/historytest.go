// Package historytest plays weeks of an office through the real engine
// (queue.Office.Run, as the server steps it) into a real store, for the
// tests, the benchmarks and the screenshots of the reports: citizens
// arrive at random (seeded) with a mid-morning peak and the calendar's
// peak factors, clerks staff the counters as the staffing plan says, call,
// serve, forward, transfer and mark no-shows, citizens rate, the floor
// assistant logs contacts, and booked citizens come to their appointments
// (or not).
package historytest

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/queue"
	"turno/server/store"
)

// Options shape the generated history.
type Options struct {
	From string // the first day, YYYY-MM-DD
	Days int    // working days to play (closed days are skipped)
	// PerDay is the mean number of walk-ins on an ordinary day, before
	// the calendar's factors.
	PerDay int
	Seed   uint64
	// Appointments books and checks in some citizens of the bookable
	// services each day.
	Appointments bool
}

// hourWeight shapes a day's arrivals: a peak mid-morning, a lull at noon.
var hourWeight = map[int]float64{8: 1.2, 9: 1.6, 10: 1.5, 11: 1.0, 12: 0.5, 13: 0.3, 14: 0.6, 15: 0.9, 16: 0.7, 17: 0.5}

type desk struct {
	counter  queue.CounterConfig
	clerk    string
	services []string
	open     bool
	busy     bool
	until    time.Time
}

type run struct {
	t    testing.TB
	cfg  *config.Config
	o    *queue.Office
	rng  *rand.Rand
	log  []queue.Event
	ids  int
	code int
}

// Generate plays opt's days into st's log and returns every event. The
// day after the last is started (its rollover written), so every played
// day is closed.
func Generate(t testing.TB, cfg *config.Config, st *store.Store, opt Options) []queue.Event {
	t.Helper()
	r := &run{t: t, cfg: cfg, o: queue.NewOffice(&cfg.Office), rng: rand.New(rand.NewPCG(opt.Seed, 14))}
	r.o.NewID = func() string { r.ids++; return fmt.Sprintf("%032x", r.ids) }
	r.o.NewCode = func() string { r.code++; return fmt.Sprintf("C%05d", r.code) }
	loc := cfg.Office.Location
	date, err := time.ParseInLocation(queue.DayLayout, opt.From, loc)
	if err != nil {
		t.Fatalf("historytest: from %q: %v", opt.From, err)
	}
	appended := 0
	for played := 0; played < opt.Days; date = date.AddDate(0, 0, 1) {
		if !r.opens(date) {
			continue
		}
		played++
		r.day(date, opt)
		if err := st.Append(r.log[appended:]); err != nil {
			t.Fatal(err)
		}
		appended = len(r.log)
	}
	r.step(time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 30, 0, loc), nil)
	if err := st.Append(r.log[appended:]); err != nil {
		t.Fatal(err)
	}
	return r.log
}

func (r *run) opens(date time.Time) bool {
	o := &r.cfg.Office
	for i := range o.Services {
		if len(o.Spans(&o.Services[i], date.Add(12*time.Hour))) > 0 {
			return true
		}
	}
	return false
}

// step runs a command through the engine, as the server does.
func (r *run) step(now time.Time, cmd queue.Command) error {
	events, err := r.o.Run(now, cmd)
	r.log = append(r.log, events...)
	return err
}

func (r *run) must(now time.Time, cmd queue.Command) {
	r.t.Helper()
	if err := r.step(now, cmd); err != nil {
		r.t.Fatalf("historytest: %s: %v", now.Format("2006-01-02 15:04"), err)
	}
}

func (r *run) clerks() []string {
	var names []string
	for _, u := range r.cfg.Users {
		if u.Role == config.RoleClerk {
			names = append(names, u.Name)
		}
	}
	return names
}

// shifts returns each counter's stretches on date: the staffing plan's,
// or, without one, the office's hours for every counter.
func (r *run) shifts(date time.Time) map[string][]queue.Planned {
	o := &r.cfg.Office
	noon := date.Add(12 * time.Hour)
	out := map[string][]queue.Planned{}
	for _, k := range o.Counters {
		if !o.Staffing.Empty() {
			out[k.ID] = o.PlannedFor(k.ID, noon)
			continue
		}
		for i := range o.Services {
			s := &o.Services[i]
			if slices.Contains(k.Services, s.ID) {
				for _, sp := range o.Spans(s, noon) {
					out[k.ID] = append(out[k.ID], queue.Planned{Span: sp, Services: k.Services})
				}
				break
			}
		}
	}
	return out
}

func (r *run) day(date time.Time, opt Options) {
	o := &r.cfg.Office
	noon := date.Add(12 * time.Hour)
	day := date.Format(queue.DayLayout)
	clerks := r.clerks()
	shifts := r.shifts(date)
	var desks []*desk
	first, last := noon, noon
	for i, k := range o.Counters {
		clerk := fmt.Sprintf("operatore%d", i+1)
		if k.Lane != queue.LaneFastTrack && i < len(clerks) {
			clerk = clerks[i]
		}
		desks = append(desks, &desk{counter: k, clerk: clerk})
		for _, p := range shifts[k.ID] {
			if p.Open.Before(first) {
				first = p.Open
			}
			if p.Close.After(last) {
				last = p.Close
			}
		}
	}
	// Rates: per service and minute, with the calendar's factor.
	rate := map[string]float64{}
	var open float64
	for i := range o.Services {
		for _, sp := range o.Spans(&o.Services[i], noon) {
			open += sp.Close.Sub(sp.Open).Minutes()
		}
	}
	for i := range o.Services {
		s := &o.Services[i]
		f, _ := r.cfg.Calendar.Factor(s.ID, day)
		rate[s.ID] = float64(opt.PerDay) / math.Max(open, 1) * f
	}
	var bookings []*appointment
	if opt.Appointments {
		bookings = r.book(first.Add(-time.Hour), date)
	}
	for now := first; now.Before(last.Add(45 * time.Minute)); now = now.Add(time.Minute) {
		for i := range o.Services {
			s := &o.Services[i]
			p := rate[s.ID] * hourWeight[now.Hour()]
			if !within(o.Spans(s, now), now) {
				p *= 0.05 // a few come when it is closed, and are turned away
			}
			if r.rng.Float64() >= p {
				continue
			}
			at := now.Add(time.Duration(r.rng.IntN(55)) * time.Second)
			prio := r.rng.IntN(20) == 0
			err := r.step(at, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
				evs, _, err := st.Issue(now, queue.IssueRequest{Service: s.ID, Priority: prio, Channel: "kiosk-1"}, queue.Actor{Name: "kiosk-1"})
				return evs, err
			})
			var ref *queue.Refusal
			if err != nil && !errors.As(err, &ref) {
				r.t.Fatal(err)
			}
		}
		for _, a := range bookings {
			if a.comes && !a.done && !now.Before(a.slot.Add(-8*time.Minute)) {
				r.step(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
					evs, _, _, err := st.CheckIn(now, a.code, queue.Actor{Name: "kiosk-1"})
					return evs, err
				})
				a.done = true
			}
		}
		if r.rng.IntN(40) == 0 {
			svc := o.Services[r.rng.IntN(len(o.Services))].ID
			r.step(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
				return st.LogContact(now, svc, "informazioni", queue.Actor{Name: "anna", Supervisor: true})
			})
		}
		for _, d := range desks {
			r.desk(now, d, shifts[d.counter.ID])
		}
	}
	for _, d := range desks {
		if d.open {
			r.must(last.Add(46*time.Minute), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
				return st.Close(now, d.counter.ID, true, queue.Actor{Name: "anna", Supervisor: true})
			})
		}
	}
}

// appointment is a booked citizen, who comes or not.
type appointment struct {
	code        string
	slot        time.Time
	comes, done bool
}

// book books three slots of each bookable service for later in the day;
// two of the three citizens come.
func (r *run) book(now time.Time, date time.Time) []*appointment {
	o := &r.cfg.Office
	var out []*appointment
	for i := range o.Services {
		s := &o.Services[i]
		if s.Agenda == nil {
			continue
		}
		slots := o.Slots(s, date.Add(12*time.Hour))
		for j := 0; j < 3 && len(slots) > 0; j++ {
			sp := slots[r.rng.IntN(len(slots))]
			var b *queue.Booking
			r.step(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
				evs, bk, err := st.Book(now, queue.BookRequest{Service: s.ID, Slot: sp.Open, Name: "Cittadino", Channel: queue.ChannelPhone, Staff: true}, queue.Actor{Name: "anna"})
				b = bk
				return evs, err
			})
			if b != nil {
				out = append(out, &appointment{code: b.Code, slot: b.Slot, comes: j < 2})
			}
		}
	}
	return out
}

// desk plays one counter for a minute: staff it as planned, finish the
// citizen whose time is up, call the next, close after the plan.
func (r *run) desk(now time.Time, d *desk, plan []queue.Planned) {
	var cur *queue.Planned
	for i := range plan {
		if !now.Before(plan[i].Open) && now.Before(plan[i].Close) {
			cur = &plan[i]
		}
	}
	by := queue.Actor{Name: d.clerk}
	if !d.open && cur != nil {
		services := cur.Services
		r.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
			return st.Open(now, d.counter.ID, services, by)
		})
		d.open, d.services = true, services
	}
	if !d.open {
		return
	}
	if d.busy && !now.Before(d.until) {
		d.busy = false
		switch x := r.rng.IntN(100); {
		case x < 5:
			r.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
				evs, _, err := st.NoShow(now, d.counter.ID, by)
				return evs, err
			})
		case x < 8 && len(d.services) > 1:
			r.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
				t := st.Ticket(st.Counter(d.counter.ID).Current)
				to := d.services[0]
				if to == t.Service {
					to = d.services[1]
				}
				evs, _, err := st.Transfer(now, d.counter.ID, to, false, by)
				return evs, err
			})
		default:
			outcome := queue.OutcomeResolved
			if x < 22 {
				outcome = queue.OutcomeForwarded
			}
			var id string
			r.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
				evs, t, err := st.Finish(now, d.counter.ID, queue.FinishRequest{Outcome: outcome, CaseRef: "PR-1"}, by)
				if t != nil {
					id = t.ID
				}
				return evs, err
			})
			if r.rng.IntN(100) < 35 {
				score := []int{1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5}[r.rng.IntN(12)]
				r.must(now.Add(40*time.Second), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
					return st.Rate(now, id, score, queue.Actor{Name: "phone"})
				})
			}
		}
	}
	if d.busy {
		return
	}
	// After the plan the clerk serves whoever still waits, then closes.
	after := cur == nil && (len(plan) == 0 || !now.Before(plan[len(plan)-1].Close))
	closeNow := func() {
		r.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
			return st.Close(now, d.counter.ID, true, by)
		})
		d.open = false
	}
	if after && len(plan) > 0 && now.After(plan[len(plan)-1].Close.Add(40*time.Minute)) {
		closeNow()
		return
	}
	err := r.step(now.Add(15*time.Second), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		evs, _, err := st.Next(now, d.counter.ID, by)
		return evs, err
	})
	switch {
	case err == nil:
		mean := r.cfg.Office.Service(r.current(d)).ServiceTime.Minutes() * 0.9
		mins := math.Max(1, mean*math.Exp(0.5*r.rng.NormFloat64()-0.125))
		d.busy, d.until = true, now.Add(time.Duration(mins*float64(time.Minute)))
	case errors.Is(err, queue.ErrQueueEmpty):
		if after {
			closeNow()
		}
	default:
		r.t.Fatal(err)
	}
}

func (r *run) current(d *desk) string {
	if c := r.o.Counter(d.counter.ID); c != nil {
		if t := r.o.Ticket(c.Current); t != nil {
			return t.Service
		}
	}
	return d.services[0]
}

func within(spans []queue.Span, t time.Time) bool {
	for _, sp := range spans {
		if !t.Before(sp.Open) && t.Before(sp.Close) {
			return true
		}
	}
	return false
}
