package queue

import (
	"fmt"
	"iter"
	"math"
	"time"
)

// Service states shown to citizens and staff.
const (
	ServiceOpen   = "open"
	ServiceCutoff = "cutoff" // open, but the numerator stopped (time, load or daily cap)
	ServiceClosed = "closed"
	ServiceLocked = "locked"
)

// ServiceStatus is a service's numerator at an instant.
type ServiceStatus struct {
	Service string `json:"service"`
	Status  string `json:"status"`
	// Refusal is why a ticket would be refused now; nil when open.
	Refusal *Refusal `json:"refusal,omitempty"`
	Waiting int      `json:"waiting"`
	// Wait is the expected wait of a ticket issued now, and its range.
	Wait
	// CutoffAt is when the numerator stops by time in the current opening.
	CutoffAt *time.Time `json:"cutoff_at,omitempty"`
	// ClosesAt is the end of the current opening.
	ClosesAt *time.Time `json:"closes_at,omitempty"`
	// OldestWait is how long the first waiting ticket has waited.
	OldestWait Seconds `json:"oldest_wait_s"`
	Lock       *Lock   `json:"lock,omitempty"`
}

// ServiceStatus tells whether the service issues tickets at now, and if not,
// by which rule, in this order: closed, locked, daily_cap, cutoff_time,
// cutoff_load.
func (o *Office) ServiceStatus(now time.Time, id string) ServiceStatus {
	s := o.cfg.Service(id)
	st := ServiceStatus{Service: id, Status: ServiceOpen, Waiting: len(o.waiting[id]), Lock: o.locks[id]}
	if s == nil {
		st.Status = ServiceClosed
		return st
	}
	st.Wait = flatWait(o.estimate(id, st.Waiting))
	if st.Waiting > 0 {
		st.OldestWait = Seconds(now.Sub(o.oldest(id)))
	}
	refuse := func(status, rule string, reopens *time.Time, msg string) ServiceStatus {
		st.Status = status
		st.Refusal = &Refusal{Rule: rule, Service: id, ReopensAt: reopens, Appointment: s.Appointments, Message: msg}
		return st
	}
	name := s.Name("en")
	span, open := o.cfg.spanAt(s, now)
	if !open {
		next := o.cfg.NextOpening(s, now)
		return refuse(ServiceClosed, RuleClosed, next, fmt.Sprintf("%s is closed%s.", name, o.reopens(now, next)))
	}
	cutoff := span.Close.Add(-s.CutoffBeforeClose)
	st.CutoffAt, st.ClosesAt = &cutoff, &span.Close
	if l := o.locks[id]; l != nil {
		return refuse(ServiceLocked, RuleLocked, nil, fmt.Sprintf("Tickets for %s are suspended: %s.", name, l.Reason))
	}
	if s.DailyCap > 0 && o.stats[id].Issued >= s.DailyCap {
		next := o.cfg.nextDayOpening(s, now)
		return refuse(ServiceCutoff, RuleDailyCap, next, fmt.Sprintf("All %d tickets for %s today have been issued%s.", s.DailyCap, name, o.reopens(now, next)))
	}
	if !now.Before(cutoff) {
		next := o.cfg.NextOpening(s, span.Close.Add(-time.Second))
		return refuse(ServiceCutoff, RuleCutoffTime, next, fmt.Sprintf("Tickets for %s stop %s before closing at %s%s.",
			name, s.CutoffBeforeClose, span.Close.In(o.cfg.Location).Format("15:04"), o.reopens(now, next)))
	}
	if s.CutoffOnLoad && now.Add(st.EstimatedWait.D()).After(cutoff) {
		next := o.cfg.NextOpening(s, span.Close.Add(-time.Second))
		return refuse(ServiceCutoff, RuleCutoffLoad, next, fmt.Sprintf("The people already waiting for %s fill the time until closing at %s%s.",
			name, span.Close.In(o.cfg.Location).Format("15:04"), o.reopens(now, next)))
	}
	return st
}

func (o *Office) reopens(now time.Time, next *time.Time) string {
	if next == nil {
		return ""
	}
	local, today := next.In(o.cfg.Location), now.In(o.cfg.Location)
	if local.YearDay() == today.YearDay() && local.Year() == today.Year() {
		return ", it reopens at " + local.Format("15:04")
	}
	return ", it reopens on " + local.Format("Monday 2 January at 15:04")
}

// oldest is the arrival of the longest-waiting ticket; queues are ordered by
// arrival whatever the priority.
func (o *Office) oldest(service string) time.Time { return o.waiting[service][0].QueuedAt }

// ServiceTime is the service's recent mean time a counter spends on a ticket
// (from call to finish), or its configured expectation until measured.
func (o *Office) ServiceTime(service string) time.Duration {
	r := o.recent[service]
	if len(r) == 0 {
		if s := o.cfg.Service(service); s != nil {
			return s.ServiceTime
		}
		return DefaultServiceTime
	}
	var sum time.Duration
	for _, d := range r {
		sum += d
	}
	return sum / time.Duration(len(r))
}

// flatWait is a wait whose range is not known.
func flatWait(d time.Duration) Wait {
	return Wait{EstimatedWait: Seconds(d), WaitLow: Seconds(d), WaitHigh: Seconds(d)}
}

// capacity is Capacity over the office's counters and queues.
func (o *Office) capacity(service string) (capacity float64, idle bool) {
	return Capacity(o.counterSeq(), service, func(s string) int { return len(o.waiting[s]) })
}

// counterSeq yields the office's counters in configuration order.
func (o *Office) counterSeq() iter.Seq[*Counter] {
	return func(yield func(*Counter) bool) {
		for _, k := range o.cfg.Counters {
			if !yield(o.counters[k.ID]) {
				return
			}
		}
	}
}

// estimate is EstimateWait for a ticket with ahead people before it.
func (o *Office) estimate(service string, ahead int) time.Duration {
	capacity, idle := o.capacity(service)
	return EstimateWait(ahead, o.ServiceTime(service), capacity, idle, PlannedCapacity(o.counterSeq(), service))
}

// The wait estimate is exported as pure functions so that a client's copy
// of the office (server/client's model) computes exactly what the server
// does; docs/architecture.md explains it.

// Capacity is how many counters' worth of work a service gets: each staffed
// counter serving it (open or paused) gives an equal share to each of its
// services that has someone waiting (waiting says how many), with the
// service itself counted as waiting. idle says whether one of them is free
// to call right now.
func Capacity(counters iter.Seq[*Counter], service string, waiting func(service string) int) (capacity float64, idle bool) {
	for c := range counters {
		if c.State == CounterClosed || !contains(c.Services, service) {
			continue
		}
		busy := 1
		for _, other := range c.Services {
			if other != service && waiting(other) > 0 {
				busy++
			}
		}
		capacity += 1 / float64(busy)
		if c.State == CounterOpen && c.Current == "" {
			idle = true
		}
	}
	return capacity, idle
}

// PlannedCapacity is the capacity a service gets when nobody is staffed yet
// (before the clerks log in, or over lunch): every counter that may serve
// it, each splitting its time equally among the services it may serve.
func PlannedCapacity(counters iter.Seq[*Counter], service string) float64 {
	var capacity float64
	for c := range counters {
		if contains(c.MayServe, service) {
			capacity += 1 / float64(len(c.MayServe))
		}
	}
	return capacity
}

// EstimateWait is the expected wait of a ticket with ahead people before it
// in its service: (ahead + r) x service time / capacity, where r = 1/2 (the
// average rest of the tickets being served) when every counter for it is
// busy. With no counter staffed (capacity 0) it uses the planned capacity:
// the morning queue that forms before the clerks log in must not cut the
// numerator off as if nobody would ever serve it.
func EstimateWait(ahead int, serviceTime time.Duration, capacity float64, idle bool, planned float64) time.Duration {
	work := float64(ahead)
	if capacity == 0 {
		capacity = planned
	} else if !idle {
		work += 0.5
	}
	if capacity == 0 {
		capacity = 1 // a service no counter may serve; Prepare refuses it
	}
	d := time.Duration(math.Round(work * float64(serviceTime) / capacity))
	return d.Round(time.Second)
}

// CalledBefore reports whether waiting ticket a is called before b of the
// same service: priority citizens first, then by arrival. (Across services
// the call order also weighs waits; see pick.)
func CalledBefore(a, b *Ticket) bool {
	if a.Priority != b.Priority {
		return a.Priority
	}
	return queuedBefore(a, b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Position is where a waiting ticket stands.
type Position struct {
	Ahead int `json:"ahead"`
	Wait
}

// PositionOf returns how many tickets of its service will be called before a
// waiting ticket (priority tickets first, then by arrival) and its expected
// wait. ok is false when the ticket is not waiting.
func (o *Office) PositionOf(t *Ticket) (Position, bool) {
	if t == nil || t.Status != StatusWaiting {
		return Position{}, false
	}
	prio := o.priority[t.Service]
	ahead := before(prio, t)
	if !t.Priority { // every priority ticket, and the walk-ins before it
		ahead = len(prio) + before(o.waiting[t.Service], t) - ahead
	}
	return Position{Ahead: ahead, Wait: flatWait(o.estimate(t.Service, ahead))}, true
}

// StatusChanges returns an event for each numerator whose state at now
// differs from the one last announced: service.closed at closing time,
// service.cutoff when time, load or the daily cap stop it, service.reopened
// when it issues again. A locked numerator is left alone: its lock events
// say it all, and the change that follows the unlock is announced then. The
// server calls it after every command and on a timer.
func (o *Office) StatusChanges(now time.Time) []Event {
	var events []Event
	for i := range o.cfg.Services {
		id := o.cfg.Services[i].ID
		st := o.ServiceStatus(now, id)
		if st.Status == ServiceLocked || st.Status == o.announced[id] {
			continue
		}
		typ := map[string]string{ServiceOpen: EventServiceReopened, ServiceCutoff: EventServiceCutoff, ServiceClosed: EventServiceClosed}[st.Status]
		if o.announced[id] == "" && st.Status == ServiceOpen {
			typ = EventServiceReopened // the first word of the day about an open numerator
		}
		ev := o.event(now, typ, Actor{})
		ev.Service = id
		ev.Refusal = st.Refusal
		events = append(events, ev)
	}
	return events
}
