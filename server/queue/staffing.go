package queue

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Staffing is the staffing plan: who is expected at which counter when.
// The forecast uses it for counters nobody has opened or closed yet, so a
// queue that forms while the clerks log in is not judged by the first clerk
// alone, and the floor view compares it with reality.
type Staffing struct {
	Shifts []Shift
	// Exceptions replace a counter's shifts on a date ("2006-01-02" ->
	// counter -> that day's ranges; none: the counter is not staffed).
	Exceptions map[string]map[string][]Range
}

// Shift is a counter's planned hours per weekday and the services its
// clerk will serve (none: every service it may serve).
type Shift struct {
	Counter  string
	Hours    Week
	Services []string
}

// Planned is one stretch of a counter's plan on a date.
type Planned struct {
	Span
	Services []string `json:"services"`
}

// Empty reports whether the office has no staffing plan.
func (s *Staffing) Empty() bool { return len(s.Shifts) == 0 && len(s.Exceptions) == 0 }

func (s *Staffing) prepare(c *Config) error {
	for i := range s.Shifts {
		sh := &s.Shifts[i]
		field := fmt.Sprintf("staffing[%d]", i)
		k := c.Counter(sh.Counter)
		if k == nil {
			return fmt.Errorf("%s.counter: unknown counter %q", field, sh.Counter)
		}
		if err := sh.Hours.Validate(); err != nil {
			return fmt.Errorf("%s.hours: %w", field, err)
		}
		for _, id := range sh.Services {
			if !slices.Contains(k.Services, id) {
				return fmt.Errorf("%s.services: counter %q may not serve %q", field, k.ID, id)
			}
		}
		for j := range s.Shifts[:i] {
			if s.Shifts[j].Counter == sh.Counter && overlaps(s.Shifts[j].Hours, sh.Hours) {
				return fmt.Errorf("%s.hours: counter %q is already planned at those hours", field, sh.Counter)
			}
		}
	}
	for date, byCounter := range s.Exceptions {
		if _, err := time.Parse(DayLayout, date); err != nil {
			return fmt.Errorf("staffing.exceptions: %q is not a date YYYY-MM-DD", date)
		}
		for id, ranges := range byCounter {
			if c.Counter(id) == nil {
				return fmt.Errorf("staffing.exceptions[%s]: unknown counter %q", date, id)
			}
			var w Week
			w[0] = ranges
			if err := w.Validate(); err != nil {
				return fmt.Errorf("staffing.exceptions[%s].%s: %w", date, id, err)
			}
		}
	}
	return nil
}

func overlaps(a, b Week) bool {
	for d := range a {
		for _, x := range a[d] {
			for _, y := range b[d] {
				if x.From < y.To && y.From < x.To {
					return true
				}
			}
		}
	}
	return false
}

// PlannedFor returns a counter's planned stretches on the civil date of t,
// in order, with the services its clerk is expected to serve.
func (c *Config) PlannedFor(counter string, t time.Time) []Planned {
	k := c.Counter(counter)
	if k == nil {
		return nil
	}
	t = t.In(c.Location)
	date := t.Format(DayLayout)
	if c.Closures[date] {
		return nil
	}
	var out []Planned
	add := func(ranges []Range, services []string) {
		if len(services) == 0 {
			services = k.Services
		}
		for _, sp := range c.spansOf(ranges, t) {
			out = append(out, Planned{Span: sp, Services: services})
		}
	}
	if ex, ok := c.Staffing.Exceptions[date][counter]; ok {
		add(ex, nil)
		return out
	}
	for _, sh := range c.Staffing.Shifts {
		if sh.Counter == counter {
			add(sh.Hours[t.Weekday()], sh.Services)
		}
	}
	slices.SortFunc(out, func(a, b Planned) int { return a.Open.Compare(b.Open) })
	return out
}

// Clerks log in some minutes after their planned start (the coat, the
// computer, the coffee): the forecast expects a planned counter that late,
// as the day has measured it, starting from a prior of priorLate worth
// priorLateN observations. A counter more than maxLateSample after its
// start is not a late login but an absence, and is not measured.
const (
	priorLate     = 5 * time.Minute
	priorLateN    = 3
	maxLateSample = time.Hour
)

// measureLogin records how late a counter opened against its plan.
func (o *Office) measureLogin(counter string, at time.Time) {
	for _, p := range o.cfg.PlannedFor(counter, at) {
		if late := at.Sub(p.Open); late >= 0 && late <= maxLateSample && at.Before(p.Close) {
			o.logins++
			o.lateSecs += late.Seconds()
			return
		}
	}
}

// loginLateness is how late after its planned start a counter is expected
// to open.
func (o *Office) loginLateness() time.Duration {
	return time.Duration((priorLateN*priorLate.Seconds() + o.lateSecs) / (priorLateN + float64(o.logins)) * float64(time.Second))
}

// pauseGuess is how long a pause is expected to last.
const pauseGuess = 10 * time.Minute

// replayCounters returns the counters of the forecast's replay: those open
// now, from now (a busy one after the expected rest of its ticket, a paused
// one after its pause), and those the staffing plan expects today and
// nobody has closed during their planned stretch. With no plan, a service
// that no open counter serves is expected to be served by every counter
// that may serve it: a queue that forms before the clerks log in must not
// cut the numerator off as if nobody would ever serve it.
func (o *Office) replayCounters(now time.Time, sec func(time.Time) float64, modelOf func(string) ServiceModel) []*fcCounter {
	inf := math.Inf(1)
	planned := !o.cfg.Staffing.Empty()
	staffed := map[string]bool{} // services an open counter serves
	for _, k := range o.cfg.Counters {
		if c := o.counters[k.ID]; c.State != CounterClosed {
			for _, id := range c.Services {
				staffed[id] = true
			}
		}
	}
	var out []*fcCounter
	for i, k := range o.cfg.Counters {
		real := o.counters[k.ID]
		var plan []Planned
		if planned {
			plan = o.cfg.PlannedFor(k.ID, now)
		}
		var stretches []fcStretch
		switch real.State {
		case CounterOpen, CounterPaused:
			start := 0.0
			if real.State == CounterPaused && real.PausedAt != nil {
				start = math.Max(sec(real.PausedAt.Add(pauseGuess)), time.Minute.Seconds())
			}
			end := inf
			var later []fcStretch
			for _, p := range plan {
				switch {
				case !p.Open.After(now) && p.Close.After(now):
					if !o.endsOpen(p) {
						end = math.Max(sec(p.Close), start)
					}
				case !p.Close.After(now) && now.Sub(p.Close) < leaveGrace && !o.endsOpen(p) && !coveredAt(plan, now):
					// Planned to leave a moment ago, still open: the clerk
					// finishes the citizen at the desk and goes, and calls
					// nobody else (a clerk still open past the grace stays).
					end = start
				case p.Open.After(now):
					later = append(later, o.stretch(p, sec))
				}
			}
			stretches = append(append(stretches, fcStretch{from: start, to: end, services: real.Services}), later...)
		case CounterClosed:
			if !planned {
				// No plan: a service nobody serves yet is expected to be
				// served by the counters that may serve it.
				var uncovered []string
				for _, id := range k.Services {
					if !staffed[id] {
						uncovered = append(uncovered, id)
					}
				}
				if len(uncovered) > 0 {
					stretches = append(stretches, fcStretch{from: 0, to: inf, services: uncovered})
				}
				break
			}
			late := o.loginLateness()
			for _, p := range plan {
				if !p.Close.After(now) {
					continue
				}
				if !p.Open.After(now) && real.ClosedAt != nil && !real.ClosedAt.Before(p.Open) {
					continue // closed during this stretch: reality over the plan
				}
				st := o.stretch(p, sec)
				st.from = math.Max(st.from, sec(p.Open.Add(late)))
				if st.from < st.to {
					stretches = append(stretches, st)
				}
			}
		}
		if len(stretches) == 0 {
			continue
		}
		for j := range stretches[:len(stretches)-1] {
			if math.IsInf(stretches[j].to, 1) || stretches[j].to > stretches[j+1].from {
				stretches[j].to = stretches[j+1].from
			}
		}
		c := &fcCounter{order: i, stretches: stretches}
		c.ID, c.Name = k.ID, k.Name
		seen := map[string]bool{}
		for _, s := range stretches {
			for _, id := range s.services {
				if !seen[id] {
					seen[id] = true
					c.servicesOf = append(c.servicesOf, id)
				}
			}
		}
		if !c.nextStretch(0) {
			continue
		}
		if real.State != CounterClosed {
			c.PriorityStreak = real.PriorityStreak
			if t := o.tickets[real.Current]; t != nil && t.CalledAt != nil {
				m := modelOf(t.Service)
				mean, variance := m.remaining(now.Sub(*t.CalledAt).Seconds())
				c.free, c.v = math.Max(c.free, mean+m.Gap.Seconds()), variance
				c.done, c.dv = mean, variance // its day ends no sooner
			}
		}
		out = append(out, c)
	}
	return out
}

// leaveGrace is how long after a planned departure an open counter is
// still taken to be leaving after its current citizen.
const leaveGrace = 20 * time.Minute

// coveredAt reports whether a planned stretch runs at now.
func coveredAt(plan []Planned, now time.Time) bool {
	for _, p := range plan {
		if !p.Open.After(now) && p.Close.After(now) {
			return true
		}
	}
	return false
}

// stretch is a planned stretch in the replay's seconds: one that runs to
// the end of an opening is open-ended (the clerk serves whoever is still
// waiting at closing).
func (o *Office) stretch(p Planned, sec func(time.Time) float64) fcStretch {
	s := fcStretch{from: math.Max(sec(p.Open), 0), to: sec(p.Close), services: p.Services}
	if o.endsOpen(p) {
		s.to = math.Inf(1)
	}
	return s
}

// endsOpen reports whether a planned stretch runs to the end of an opening
// of one of its services.
func (o *Office) endsOpen(p Planned) bool {
	for _, id := range p.Services {
		s := o.cfg.Service(id)
		if s == nil {
			continue
		}
		for _, sp := range o.cfg.Spans(s, p.Open) {
			if p.Open.Before(sp.Close) && !p.Close.Before(sp.Close) {
				return true
			}
		}
	}
	return false
}
