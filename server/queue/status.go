package queue

import (
	"fmt"
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

// loadHysteresis is the margin a service cut off by load needs to issue
// again: without it, each finished ticket would reopen the numerator and
// the next ticket close it, and the kiosk would flicker.
const loadHysteresis = 5 * time.Minute

// ServiceStatus tells whether the service issues tickets at now, and if not,
// by which rule, in this order: closed, locked, daily_cap, cutoff_time,
// cutoff_load; and the expected wait of a ticket issued now.
func (o *Office) ServiceStatus(now time.Time, id string) ServiceStatus {
	return o.status(now, id, true)
}

// status is ServiceStatus; without withWait it replays the day only when
// the load rule must judge (the numerator's decision alone, for commands).
func (o *Office) status(now time.Time, id string, withWait bool) ServiceStatus {
	s := o.cfg.Service(id)
	st := ServiceStatus{Service: id, Status: ServiceOpen, Waiting: o.waiting(id), Lock: o.locks[id]}
	if s == nil {
		st.Status = ServiceClosed
		return st
	}
	if withWait {
		st.Wait = o.newTicketWait(o.forecast(now), id, false)
	}
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
	st.ClosesAt = &span.Close
	if s.CutoffBeforeClose > 0 {
		cutoff := span.Close.Add(-s.CutoffBeforeClose)
		st.CutoffAt = &cutoff
	}
	if l := o.locks[id]; l != nil {
		return refuse(ServiceLocked, RuleLocked, nil, fmt.Sprintf("Tickets for %s are suspended: %s.", name, l.Reason))
	}
	if s.DailyCap > 0 && o.stats[id].Issued >= s.DailyCap {
		next := o.cfg.nextDayOpening(s, now)
		return refuse(ServiceCutoff, RuleDailyCap, next, fmt.Sprintf("All %d tickets for %s today have been issued%s.", s.DailyCap, name, o.reopens(now, next)))
	}
	if st.CutoffAt != nil && !now.Before(*st.CutoffAt) {
		next := o.cfg.NextOpening(s, span.Close.Add(-time.Second))
		return refuse(ServiceCutoff, RuleCutoffTime, next, fmt.Sprintf("Tickets for %s stop %s before closing at %s%s.",
			name, s.CutoffBeforeClose, span.Close.In(o.cfg.Location).Format("15:04"), o.reopens(now, next)))
	}
	// With no counter expected at all for the service (its planned clerk
	// is missing), the forecast has nothing to judge by: the numerator keeps
	// issuing, and the floor view alerts about the missing counter.
	if !s.CutoffOnLoad {
		return st
	}
	fc := o.forecast(now)
	if fc.pool[id] > 0 {
		deadline, cut := span.Close, o.announced[id] == ServiceCutoff && o.announcedRule[id] == RuleCutoffLoad
		if cut {
			deadline = deadline.Add(-loadHysteresis)
		}
		if !o.servedBy(fc, id, deadline, cut) {
			next := o.cfg.NextOpening(s, span.Close.Add(-time.Second))
			return refuse(ServiceCutoff, RuleCutoffLoad, next, o.loadMessage(fc, s, span.Close)+o.reopens(now, next)+".")
		}
	}
	return st
}

// loadMessage says why the load stops a numerator: no counter is expected
// to serve it before closing, or the people waiting (and the booked) fill
// the time until then.
func (o *Office) loadMessage(fc *Forecast, s *Service, closes time.Time) string {
	name, at := s.Name("en"), closes.In(o.cfg.Location).Format("15:04")
	if n := fc.news[s.ID]; n != nil && n.walkDone && !fc.At.Add(time.Duration(n.walk.mean*float64(time.Second))).Before(closes) && o.waiting(s.ID) == 0 {
		return fmt.Sprintf("No counter is expected to serve %s before closing at %s", name, at)
	}
	if o.bookedAhead(s.ID) > 0 {
		return fmt.Sprintf("The people already waiting for %s and the booked appointments fill the time until closing at %s", name, at)
	}
	return fmt.Sprintf("The people already waiting for %s fill the time until closing at %s", name, at)
}

// newTicketWait is the forecast wait of a ticket issued at fc.At: the
// ghost's, behind the walk-ins issued since the forecast.
func (o *Office) newTicketWait(fc *Forecast, service string, priority bool) Wait {
	if n := fc.news[service]; priority && n != nil && n.prioDone {
		return waitOf(n.prio.mean, n.prio.variance)
	}
	if r, ok := fc.walkIn(service, o.fcAppended[service]); ok && !priority {
		return waitOf(r.mean, r.variance)
	}
	return fc.beyond(service, o.waiting(service))
}

// promise is the wait a ticket of the service issued at now is told: what
// positionAt gives it once issued (the ghost's place, less the age of the
// forecast), recorded on the ticket so that reports can weigh it against
// the wait that followed.
func (o *Office) promise(now time.Time, service string, priority bool) Wait {
	fc := o.forecast(now)
	age := now.Sub(fc.At).Seconds()
	if n := fc.news[service]; priority && n != nil && n.prioDone {
		return waitOf(n.prio.mean-age, n.prio.variance)
	}
	if r, ok := fc.walkIn(service, o.fcAppended[service]); ok && !priority {
		return waitOf(r.mean-age, r.variance)
	}
	return fc.beyond(service, o.waiting(service))
}

// servedBy reports whether a walk-in issued now is served by deadline with
// the office's confidence (cutoff_confidence), and leaves the day of the
// service's clerks likely enough (overtime_confidence) to end by deadline
// plus the tolerance: several counters each ending with a citizen at the
// margin run late together far more often than one does.
func (o *Office) servedBy(fc *Forecast, service string, deadline time.Time, cut bool) bool {
	conf := o.cfg.Rules.CutoffConfidence
	k := o.fcAppended[service]
	if !fc.ServedBy(service, k, deadline, conf) {
		return false
	}
	if k > 0 { // a burst since the replay: the ticket's own odds only
		return true
	}
	day := o.cfg.Rules.OvertimeConfidence
	if cut { // reopening wants half the risk: each reopening admits one at the margin
		day += (1 - day) / 2
	}
	with, ok := fc.DayOdds(service, deadline.Add(o.cfg.Rules.OvertimeTolerance))
	return !ok || with >= day
}

// NewTicketWait is the expected wait of a ticket of the service issued at
// now, priority or not.
func (o *Office) NewTicketWait(now time.Time, service string, priority bool) Wait {
	return o.newTicketWait(o.forecast(now), service, priority)
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

// oldest is the arrival of the longest-waiting ticket.
func (o *Office) oldest(service string) time.Time { return o.lines[service].all[0].QueuedAt }

// ServiceTime is the service's expected time at a counter, as measured
// today and shrunk toward the configured one (Model).
func (o *Office) ServiceTime(service string) time.Duration { return o.Model(service).Mean }

// CalledBefore reports whether waiting ticket a is called before b of the
// same service, as far as the two alone tell: a due appointment first,
// then priority citizens, then by arrival (an appointment counts from its
// slot). Across services, and for appointments not yet due, the call order
// depends on the moment (NextAt); the server's positions come from the
// forecast, which replays it.
func CalledBefore(a, b *Ticket) bool {
	ka, kb := orderKey(a), orderKey(b)
	if ka != kb {
		return ka < kb
	}
	ta, tb := a.QueuedAt, b.QueuedAt
	if a.Due != nil {
		ta = *a.Due
	}
	if b.Due != nil {
		tb = *b.Due
	}
	if !ta.Equal(tb) {
		return ta.Before(tb)
	}
	return queuedBefore(a, b)
}

func orderKey(t *Ticket) int {
	switch {
	case t.Due != nil:
		return 0
	case t.Priority:
		return 1
	}
	return 2
}

// Position is where a waiting ticket stands.
type Position struct {
	Ahead int `json:"ahead"`
	Wait
}

// PositionAt returns how many tickets of its service the forecast at now
// calls before a waiting ticket, and its expected wait. ok is false when
// the ticket is not waiting.
func (o *Office) PositionAt(now time.Time, t *Ticket) (Position, bool) {
	return o.positionAt(o.forecast(now), t)
}

func (o *Office) positionAt(fc *Forecast, t *Ticket) (Position, bool) {
	if t == nil || t.Status != StatusWaiting {
		return Position{}, false
	}
	if w, ahead, ok := fc.Ticket(t.ID); ok {
		return Position{Ahead: ahead, Wait: w}, true
	}
	if k, ok := o.fcAppendedIDs[t.ID]; ok { // issued since the forecast
		if r, ok := fc.walkIn(t.Service, k-1); ok {
			return Position{Ahead: r.ahead, Wait: waitOf(r.mean-t.IssuedAt.Sub(fc.At).Seconds(), r.variance)}, true
		}
	}
	ahead := o.lines[t.Service].ahead(t)
	return Position{Ahead: ahead, Wait: fc.beyond(t.Service, ahead)}, true
}

// ahead counts the waiting tickets called before t (CalledBefore), from
// the line's sorted classes: binary searches, not a walk of the line, so
// that 5,000 phones following 5,000 tickets beyond the forecast's reach
// cost 5,000 searches, not 25 million comparisons under the office's lock.
func (l *line) ahead(t *Ticket) int {
	if l == nil {
		return 0
	}
	switch {
	case t.Due != nil:
		return before(l.appt, t, dueBefore)
	case t.Priority:
		return len(l.appt) + before(l.prio, t, queuedBefore)
	}
	return len(l.appt) + len(l.prio) + before(l.walk, t, queuedBefore)
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
		st := o.status(now, id, false)
		if st.Status == ServiceLocked || (st.Status == o.announced[id] && (st.Refusal == nil || st.Refusal.Rule == o.announcedRule[id])) {
			continue // nothing new (a cut-off by another rule is news)
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
