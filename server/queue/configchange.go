package queue

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// EventConfigChanged puts a new version of the office's configuration in
// force (Config says which, who and why). It changes nothing in the day's
// state by itself: the server rebuilds the state under the new
// configuration from the log, as a restart would.
const EventConfigChanged = "config.changed"

// ConfigChange is a version of the office's configuration as an event
// carries it: its number, who made it and why, and its text. The text is
// the server's TOML, which this package never reads: the command is given
// the configuration already parsed.
type ConfigChange struct {
	Version uint64 `json:"version"`
	By      string `json:"by"`
	Reason  string `json:"reason,omitempty"`
	TOML    string `json:"toml,omitempty"`
}

// Codes of the problems that refuse a change of configuration.
const (
	// ProblemServiceBusy: a service with people waiting or at a counter
	// cannot be deleted, only closed (locked, or given no hours).
	ProblemServiceBusy = "service_busy"
	// ProblemServiceBooked: a service with appointments still to come
	// cannot be deleted, nor stop taking appointments.
	ProblemServiceBooked = "service_booked"
	// ProblemCounterOpen: an open counter cannot be deleted.
	ProblemCounterOpen = "counter_open"
	// ProblemCounterServing: an open counter cannot lose a service it is
	// serving.
	ProblemCounterServing = "counter_serving"
	// ProblemHoursInProgress: the opening range in progress today would
	// change or end (or one would begin now); only with force.
	ProblemHoursInProgress = "hours_in_progress"
	// ProblemLetterInUse: today's tickets of another numerator already
	// carry the letter, and numbers must stay unique within the day.
	ProblemLetterInUse = "letter_in_use"
	// ProblemTimezone: the zone decides the business day; only with force.
	ProblemTimezone = "timezone"
)

// ConfigProblem is one reason a new configuration would break the day in
// progress. Field names the configuration file's field at fault, as the
// file's errors do ("services", "counters[2].services", "office.hours").
type ConfigProblem struct {
	Code    string `json:"code"`
	Field   string `json:"field"`
	Service string `json:"service,omitempty"`
	Counter string `json:"counter,omitempty"`
	// Count is the people waiting or the appointments to come.
	Count int `json:"count,omitempty"`
	// Letter is the ticket letter at stake.
	Letter string `json:"letter,omitempty"`
	// Now and Next are today's opening range in progress under the
	// configuration in force and under the new one (nil: closed).
	Now  *Span `json:"now,omitempty"`
	Next *Span `json:"next,omitempty"`
	// Forcible problems are accepted when the change is forced.
	Forcible bool   `json:"forcible,omitempty"`
	Message  string `json:"message"`
}

// ConfigRefusal refuses a change of configuration: it lists every problem.
type ConfigRefusal struct {
	Problems []ConfigProblem
}

func (r *ConfigRefusal) Error() string {
	msgs := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		msgs[i] = p.Field + ": " + p.Message
	}
	return "the configuration cannot change now: " + strings.Join(msgs, "; ")
}

// Forcible reports whether force would accept the change.
func (r *ConfigRefusal) Forcible() bool {
	for _, p := range r.Problems {
		if !p.Forcible {
			return false
		}
	}
	return true
}

// ChangeConfig puts next, a prepared configuration, in force with the
// config.changed event that carries change. It refuses, changing nothing,
// a change that would break the day in progress (CheckConfig); force
// accepts the forcible problems (the hours in progress, the zone).
func ChangeConfig(next *Config, change ConfigChange, force bool) Command {
	return func(now time.Time, o *Office) ([]Event, error) {
		if next == nil || next.services == nil {
			return nil, ErrInvalid.withf("the new configuration is not prepared")
		}
		var problems []ConfigProblem
		for _, p := range o.CheckConfig(now, next) {
			if !force || !p.Forcible {
				problems = append(problems, p)
			}
		}
		if len(problems) > 0 {
			return nil, &ConfigRefusal{Problems: problems}
		}
		ev := o.event(now, EventConfigChanged, Actor{Name: change.By})
		ev.Config = &change
		return []Event{ev}, nil
	}
}

// CheckConfig lists what a new configuration would break in the day in
// progress at now: the rules that protect the day.
func (o *Office) CheckConfig(now time.Time, next *Config) []ConfigProblem {
	cur := o.cfg
	var out []ConfigProblem
	if next.Location.String() != cur.Location.String() {
		out = append(out, ConfigProblem{Code: ProblemTimezone, Field: "office.timezone", Forcible: true,
			Message: fmt.Sprintf("changing the time zone from %s to %s moves the business day's boundary: only when forced, after closing", cur.Location, next.Location)})
	}
	// Services deleted, or no longer bookable, while the day needs them.
	for _, s := range cur.Services {
		ns := next.Service(s.ID)
		if ns == nil {
			if n := o.busy(s.ID); n > 0 {
				out = append(out, ConfigProblem{Code: ProblemServiceBusy, Field: "services", Service: s.ID, Count: n,
					Message: fmt.Sprintf("service %q has %d people waiting or at a counter: it cannot be deleted, only closed (lock its numerator, or give it no hours)", s.ID, n)})
			}
		}
		if ns == nil || ns.Agenda == nil {
			if n := o.booked(s.ID); n > 0 {
				field := "services"
				if ns != nil {
					field = fmt.Sprintf("services[%d].appointments", next.serviceIndex(s.ID))
				}
				out = append(out, ConfigProblem{Code: ProblemServiceBooked, Field: field, Service: s.ID, Count: n,
					Message: fmt.Sprintf("service %q has %d appointments to come: move or cancel them first", s.ID, n)})
			}
		}
	}
	// Counters deleted, or losing a service, while open.
	for _, k := range cur.Counters {
		c := o.counters[k.ID]
		if c == nil || c.State == CounterClosed {
			continue
		}
		nk := next.Counter(k.ID)
		if nk == nil {
			out = append(out, ConfigProblem{Code: ProblemCounterOpen, Field: "counters", Counter: k.ID,
				Message: fmt.Sprintf("counter %q is open: it cannot be deleted until its clerk closes it", k.ID)})
			continue
		}
		for _, id := range c.Services {
			if !slices.Contains(nk.Services, id) {
				out = append(out, ConfigProblem{Code: ProblemCounterServing, Field: fmt.Sprintf("counters[%d].services", next.counterIndex(k.ID)), Counter: k.ID, Service: id,
					Message: fmt.Sprintf("counter %q is open and serving %q: it keeps that service until its clerk closes it", k.ID, id)})
			}
		}
	}
	// Ticket letters: today's numbers must stay unique.
	owners := map[string]string{} // letter -> numerator that used it today
	for _, t := range o.issued {
		if t.Number == "" {
			continue
		}
		owner := t.Service
		if len(t.FromServices) > 0 {
			owner = t.FromServices[0]
		}
		if t.Due != nil {
			owner = appointmentNumerator
		}
		owners[t.Number[:1]] = owner
	}
	letters := make([]string, 0, len(owners))
	for l := range owners {
		letters = append(letters, l)
	}
	slices.Sort(letters)
	for _, letter := range letters {
		owner := owners[letter]
		field, taker := "", ""
		if next.Agenda.Prefix == letter && owner != appointmentNumerator {
			field, taker = "agenda.prefix", "the appointments"
		}
		for i, s := range next.Services {
			if s.Prefix == letter && s.ID != owner {
				field, taker = fmt.Sprintf("services[%d].prefix", i), fmt.Sprintf("service %q", s.ID)
			}
		}
		if field != "" {
			whose := fmt.Sprintf("service %q", owner)
			if owner == appointmentNumerator {
				whose = "the appointments"
			}
			out = append(out, ConfigProblem{Code: ProblemLetterInUse, Field: field, Letter: letter,
				Message: fmt.Sprintf("today's tickets of %s already carry the letter %s: %s can take it from tomorrow", whose, letter, taker)})
		}
	}
	// The opening range in progress.
	for i := range next.Services {
		ns := &next.Services[i]
		s := cur.Service(ns.ID)
		if s == nil {
			continue
		}
		was, open := cur.spanAt(s, now)
		will, opens := next.spanAt(ns, now)
		if open == opens && (!open || (was.Open.Equal(will.Open) && was.Close.Equal(will.Close))) {
			continue
		}
		field := "office.hours"
		day := cur.Day(now)
		switch {
		case cur.Closures[day] != next.Closures[day]:
			field = "office.closures"
		case ns.Hours != nil || s.Hours != nil:
			field = fmt.Sprintf("services[%d].hours", i)
		}
		p := ConfigProblem{Code: ProblemHoursInProgress, Field: field, Service: ns.ID, Forcible: true}
		if open {
			p.Now = &was
		}
		if opens {
			p.Next = &will
		}
		p.Message = fmt.Sprintf("service %q: today's opening in progress (%s) would become %s; changes of later ranges and other days apply at once, this one only when forced",
			ns.ID, spanText(p.Now, cur.Location), spanText(p.Next, cur.Location))
		out = append(out, p)
	}
	return out
}

func spanText(s *Span, loc *time.Location) string {
	if s == nil {
		return "closed"
	}
	return s.Open.In(loc).Format("15:04") + "-" + s.Close.In(loc).Format("15:04")
}

// busy counts a service's tickets waiting or at a counter.
func (o *Office) busy(service string) int {
	n := 0
	for _, t := range o.issued {
		if t.Service == service && (t.Status == StatusWaiting || t.Status == StatusCalled || t.Status == StatusServing) {
			n++
		}
	}
	return n
}

// booked counts a service's appointments still to come, today or later.
func (o *Office) booked(service string) int {
	n := 0
	for _, b := range o.agenda.byID {
		if b.Service == service && b.State == BookingBooked && b.Day >= o.day {
			n++
		}
	}
	return n
}

func (c *Config) serviceIndex(id string) int {
	return slices.IndexFunc(c.Services, func(s Service) bool { return s.ID == id })
}

func (c *Config) counterIndex(id string) int {
	return slices.IndexFunc(c.Counters, func(k CounterConfig) bool { return k.ID == id })
}
