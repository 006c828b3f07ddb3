package queue

import "time"

// pick chooses the ticket a counter calls next. The order:
//
//  1. only waiting tickets of the services the counter serves today (a
//     fast-track service is only ever served by fast-track counters, which
//     the configuration enforces);
//  2. priority tickets first, unless the counter has already called
//     Rules.PriorityMaxInRow priority tickets in a row while walk-ins were
//     waiting for it: then the walk-in goes first;
//  3. within the chosen class, the longest weighted wait: (now - QueuedAt)
//     times the service's weight; with equal weights this is arrival order
//     across services. Ties go to the earlier arrival.
//
// It also reports whether walk-ins were waiting, which the streak counts.
func (o *Office) pick(c *Counter, now time.Time) (t *Ticket, walkInsWaiting bool) {
	var bestP, bestW *Ticket
	var scoreP, scoreW float64
	for _, id := range c.Services {
		s := o.cfg.Service(id)
		if s == nil {
			continue
		}
		var p, w *Ticket
		if prio := o.priority[id]; len(prio) > 0 {
			p = prio[0]
		}
		for _, q := range o.waiting[id] { // stops at the first walk-in
			if !q.Priority {
				w = q
				break
			}
		}
		if p != nil {
			if sc := now.Sub(p.QueuedAt).Seconds() * s.Weight; bestP == nil || better(sc, p, scoreP, bestP) {
				bestP, scoreP = p, sc
			}
		}
		if w != nil {
			if sc := now.Sub(w.QueuedAt).Seconds() * s.Weight; bestW == nil || better(sc, w, scoreW, bestW) {
				bestW, scoreW = w, sc
			}
		}
	}
	walkInsWaiting = bestW != nil
	if bestP != nil && (!walkInsWaiting || c.PriorityStreak < o.cfg.Rules.PriorityMaxInRow) {
		return bestP, walkInsWaiting
	}
	return bestW, walkInsWaiting
}

func better(score float64, t *Ticket, bestScore float64, best *Ticket) bool {
	if score != bestScore {
		return score > bestScore
	}
	return queuedBefore(t, best)
}
