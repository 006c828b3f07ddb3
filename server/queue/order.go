package queue

import "time"

// Heads are the first waiting tickets of one service in each class of the
// call order: the earliest-due checked-in appointment, the longest-waiting
// priority citizen and the longest-waiting other walk-in.
type Heads struct {
	Appointment, Priority, WalkIn *Ticket
}

// NextAt is the call order: the ticket counter c calls at now, given the
// heads of the queues of the services it serves. Office.Next and the
// forecast both call it, so the forecast replays exactly the order the
// counters will follow. The order:
//
//  1. an appointment that is due (its slot has started), earliest slot
//     first: a booked citizen is served at the slot time, before the
//     walk-ins, by any counter that serves the service;
//  2. priority tickets, unless the counter has already called
//     Rules.PriorityMaxInRow of them in a row while walk-ins were waiting
//     for it: then the walk-in goes first;
//  3. walk-ins, by the longest weighted wait: (now - QueuedAt) times the
//     service's weight; with equal weights this is arrival order across
//     services; ties go to the earlier arrival;
//  4. only when nobody else waits, an appointment checked in before its
//     slot: an idle counter serves the early citizen rather than nobody.
//
// A fast-track service is only ever served by fast-track counters, which the
// configuration enforces. walkInsWaiting says whether a walk-in was
// waiting for c, which the priority streak counts.
func NextAt(cfg *Config, c *Counter, now time.Time, heads func(service string) Heads) (t *Ticket, walkInsWaiting bool) {
	var due, early, bestP, bestW *Ticket
	var scoreP, scoreW float64
	for _, id := range c.Services {
		s := cfg.Service(id)
		if s == nil {
			continue
		}
		h := heads(id)
		if a := h.Appointment; a != nil {
			if !a.Due.After(now) {
				if due == nil || dueBefore(a, due) {
					due = a
				}
			} else if early == nil || dueBefore(a, early) {
				early = a
			}
		}
		if p := h.Priority; p != nil {
			if sc := now.Sub(p.QueuedAt).Seconds() * s.Weight; bestP == nil || better(sc, p, scoreP, bestP) {
				bestP, scoreP = p, sc
			}
		}
		if w := h.WalkIn; w != nil {
			if sc := now.Sub(w.QueuedAt).Seconds() * s.Weight; bestW == nil || better(sc, w, scoreW, bestW) {
				bestW, scoreW = w, sc
			}
		}
	}
	walkInsWaiting = bestW != nil
	switch {
	case due != nil:
		return due, walkInsWaiting
	case bestP != nil && (!walkInsWaiting || c.PriorityStreak < cfg.Rules.PriorityMaxInRow):
		return bestP, walkInsWaiting
	case bestW != nil:
		return bestW, walkInsWaiting
	}
	return early, false
}

// streakAfter is a counter's priority streak after it calls t: priority
// calls made while walk-ins waited count, a walk-in's call ends the streak,
// and an appointment leaves it as it was (it is nobody's turn but its own).
func streakAfter(streak int, t *Ticket, walkInsWaiting bool) int {
	switch {
	case t.Due != nil:
		return streak
	case t.Priority && walkInsWaiting:
		return streak + 1
	}
	return 0
}

func better(score float64, t *Ticket, bestScore float64, best *Ticket) bool {
	if score != bestScore {
		return score > bestScore
	}
	return queuedBefore(t, best)
}

// dueBefore orders appointments: by slot, then by arrival.
func dueBefore(a, b *Ticket) bool {
	if !a.Due.Equal(*b.Due) {
		return a.Due.Before(*b.Due)
	}
	return queuedBefore(a, b)
}

// pick is NextAt over the office's queues.
func (o *Office) pick(c *Counter, now time.Time) (*Ticket, bool) {
	return NextAt(o.cfg, c, now, func(service string) Heads { return o.lines[service].heads() })
}
