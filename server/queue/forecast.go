package queue

import (
	"container/heap"
	"math"
	"slices"
	"time"
)

// The forecast plays the day forward from the live state, by the call
// order itself (NextAt): each counter frees after the expected rest of its
// current ticket, then calls whom the order picks at that moment, and is
// busy for the expected time of that call (a served ticket, or a no-show's
// recalls). Counters come and go as they are staffed now, or as the
// staffing plan says for those nobody has opened or closed yet. Booked
// citizens enter the queue at their slot, weighted by the share who come.
// One ghost walk-in and one ghost priority ticket per service stand for a
// ticket issued now: they take no counter time, so one replay prices a new
// ticket of every service at once.
//
// Every call time is a mean and a variance: the variances of the service
// times before it add up, shared among the counters that serve its service
// (k services spread over c counters vary by about sqrt(k)*sd/c, not
// sqrt(k/c)*sd), and the range is the 10th-90th percentile of a log-normal
// with that mean and variance. docs/architecture.md tells the method in
// plain words, and docs/accuracy.md how well it does.

// Forecast is one replay of the day from At.
type Forecast struct {
	At      time.Time
	tickets map[string]fcResult
	news    map[string]*fcNew
	calls   []Call
	// unreached tickets (past the replay's horizon) are priced after last.
	last float64
	pool map[string]int
	mean map[string]float64 // a call's mean and variance per service, seconds
	vari map[string]float64
}

// Call is one call of the replay: a counter calls a ticket at an expected
// time. Ghost tickets (a ticket issued now) are not calls.
type Call struct {
	Counter string
	Ticket  string // a ticket's id, or "booking:" and a booking's id
	At      time.Time
}

type fcResult struct {
	mean, variance float64 // seconds from At to the call
	ahead          int     // tickets of its service called before it
}

type fcNew struct {
	walk, prio         fcResult
	walkDone, prioDone bool
	// counter is the counter the walk-in ghost went to; ends are, when the
	// replay reached every ticket, the end of the day of each counter of
	// the service, the ghost's counter first.
	counter *fcCounter
	ends    []fcAvail
	// served is a served ticket's mean and variance, seconds.
	served, servedVar float64
	// tail places the walk-ins issued after At: the first at the ghost's
	// call, the next ones on the counters of the service as they free.
	tail fcTail
}

// fcTail is the queue behind a walk-in ghost: the counters that serve its
// service as they stood when the ghost was called, and the calls of the
// walk-ins issued since, placed on them one after the other.
type fcTail struct {
	free       []fcAvail
	call, var_ float64 // a call's mean and variance
	slots      []fcResult
}

type fcAvail struct{ free, v float64 }

// slot returns the call of the k-th walk-in (from 0) queued at the ghost's
// place: the earliest free counter of the service, which then serves it.
func (tl *fcTail) slot(k int) fcResult {
	for len(tl.slots) <= k && len(tl.free) > 0 {
		best := 0
		var sum float64
		for i, a := range tl.free {
			sum += a.v
			if a.free < tl.free[best].free {
				best = i
			}
		}
		n := float64(len(tl.free))
		a := &tl.free[best]
		r := fcResult{mean: a.free, variance: math.Min(a.v, sum/(n*n))}
		if len(tl.slots) > 0 {
			r.ahead = tl.slots[len(tl.slots)-1].ahead + 1
		} else {
			r.ahead = -1 // set by the caller
		}
		tl.slots = append(tl.slots, r)
		a.free += tl.call
		a.v += tl.var_
	}
	if k < len(tl.slots) {
		return tl.slots[k]
	}
	return fcResult{mean: math.Inf(1)}
}

// forecastReuse is how long a forecast stands for the same state: the
// clock alone moves it by seconds, and a hall of phones reads it at once.
const forecastReuse = 2 * time.Second

// forecastHorizon bounds the replay: a day never runs longer.
const forecastHorizon = 16 * time.Hour

// maxForecastCalls bounds the work of one replay; tickets past it are
// priced by the rate of the calls before them.
const maxForecastCalls = 5000

// forecast returns the office's forecast at now. It replays the day again
// when the state changed, or the last replay is older than forecastReuse;
// walk-ins issued since it, though, do not call for a new one within the
// reuse: the first took the place of its service's ghost and the next
// queue behind it on the service's counters (fcTail), so a burst of kiosks
// costs one replay, not one each. A quiet office replays after every
// command.
func (o *Office) forecast(now time.Time) *Forecast {
	if f := o.fc; f != nil && !o.fcDirty && !now.Before(f.At) && now.Sub(f.At) < forecastReuse {
		return f
	}
	o.fc = o.Forecast(now, o.Model)
	o.fcDirty = false
	clear(o.fcAppended)
	clear(o.fcAppendedIDs)
	return o.fc
}

// noteForecast records what an applied event does to the last forecast:
// nothing, a walk-in appended to its service, or a change that calls for a
// new replay.
func (o *Office) noteForecast(ev *Event) {
	switch ev.Type {
	case EventServiceTurnaway, EventHallMessage, EventContactLogged, EventServiceCutoff, EventServiceClosed, EventServiceReopened, EventTicketRated:
		return // the queues and counters are as they were
	case EventTicketIssued:
		if t := ev.Ticket; t != nil && t.Due == nil && !t.Priority && !o.fcDirty {
			o.fcAppended[t.Service]++
			o.fcAppendedIDs[t.ID] = o.fcAppended[t.Service]
			return
		}
	}
	o.fcDirty = true
}

// walkIn returns the call of the k-th walk-in (from 0) of service issued
// at or after At, and whether the replay reached it.
func (f *Forecast) walkIn(service string, k int) (fcResult, bool) {
	n := f.news[service]
	if n == nil || !n.walkDone {
		return fcResult{}, false
	}
	r := n.tail.slot(k)
	if math.IsInf(r.mean, 1) {
		return fcResult{}, false
	}
	r.ahead = n.walk.ahead + k
	return r, true
}

// Ticket returns a waiting ticket's expected wait from At, and how many
// tickets of its service are called before it.
func (f *Forecast) Ticket(id string) (w Wait, ahead int, ok bool) {
	r, ok := f.tickets[id]
	if !ok {
		return Wait{}, 0, false
	}
	return waitOf(r.mean, r.variance), r.ahead, true
}

// NewTicket is the expected wait of a ticket of the service issued at At.
func (f *Forecast) NewTicket(service string, priority bool) Wait {
	n := f.news[service]
	if n == nil {
		return Wait{}
	}
	if priority {
		return waitOf(n.prio.mean, n.prio.variance)
	}
	return waitOf(n.walk.mean, n.walk.variance)
}

// ServedBy reports whether a walk-in issued at At, behind k others issued
// since, is served (its service ended) by deadline with at least the given
// probability.
func (f *Forecast) ServedBy(service string, k int, deadline time.Time, confidence float64) bool {
	r, ok := f.walkIn(service, k)
	if !ok {
		return false
	}
	n := f.news[service]
	end := lnQuantile(r.mean+n.served, r.variance+n.servedVar, confidence)
	return !f.At.Add(time.Duration(end * float64(time.Second))).After(deadline)
}

// beyond prices a ticket the replay did not reach (past its horizon, or
// with no counter left to serve it): after the last call, at the pace of
// the counters that serve its service.
func (f *Forecast) beyond(service string, ahead int) Wait {
	mean := f.last + float64(ahead+1)*f.mean[service]/float64(max(f.pool[service], 1))
	return waitOf(mean, mean*mean/4)
}

// Calls returns the replay's calls in order.
func (f *Forecast) Calls() []Call { return f.calls }

// fcCounter is a counter in the replay.
type fcCounter struct {
	Counter           // services and priority streak, as the replay moves them
	order     int     // configuration order, for ties
	free, v   float64 // when it is next free to call (mean, variance), seconds from At
	done, dv  float64 // when its last service ends (mean, variance)
	end       float64 // end of the current stretch; +Inf: open-ended
	stretches []fcStretch
	heapIndex int
	// servicesOf are the services it serves in any of its stretches.
	servicesOf []string
}

type fcStretch struct {
	from, to float64 // seconds from At; to = +Inf when open-ended
	services []string
}

type fcHeap []*fcCounter

func (h fcHeap) Len() int { return len(h) }
func (h fcHeap) Less(i, j int) bool {
	if h[i].free != h[j].free {
		return h[i].free < h[j].free
	}
	return h[i].order < h[j].order
}
func (h fcHeap) Swap(i, j int)        { h[i], h[j] = h[j], h[i]; h[i].heapIndex = i; h[j].heapIndex = j }
func (h *fcHeap) Push(x any)          { c := x.(*fcCounter); c.heapIndex = len(*h); *h = append(*h, c) }
func (h *fcHeap) Pop() any            { old := *h; c := old[len(old)-1]; *h = old[:len(old)-1]; return c }
func (h fcHeap) peek() *fcCounter     { return h[0] }
func (h *fcHeap) fix(c *fcCounter)    { heap.Fix(h, c.heapIndex) }
func (h *fcHeap) remove(c *fcCounter) { heap.Remove(h, c.heapIndex) }

// fcLine is a service's queue in the replay: cursors over the office's
// sorted classes (never modified), booked citizens expected later, and the
// ghosts of a ticket issued now.
type fcLine struct {
	appt, prio, walk       []*Ticket
	ai, pi, wi             int
	exp                    []*Ticket // expected bookings, by slot
	ei                     int
	ghostW, ghostP         *Ticket
	ghostWDone, ghostPDone bool
	called                 int // real tickets called so far
}

func (l *fcLine) heads(t time.Time) Heads {
	var h Heads
	if l.ai < len(l.appt) {
		h.Appointment = l.appt[l.ai]
	}
	if l.ei < len(l.exp) && !l.exp[l.ei].Due.After(t) && (h.Appointment == nil || dueBefore(l.exp[l.ei], h.Appointment)) {
		h.Appointment = l.exp[l.ei]
	}
	switch {
	case l.pi < len(l.prio):
		h.Priority = l.prio[l.pi]
	case l.ghostP != nil && !l.ghostPDone:
		h.Priority = l.ghostP
	}
	switch {
	case l.wi < len(l.walk):
		h.WalkIn = l.walk[l.wi]
	case l.ghostW != nil && !l.ghostWDone:
		h.WalkIn = l.ghostW
	}
	return h
}

// take advances past t, the head it chose, and says what kind it was.
func (l *fcLine) take(t *Ticket) (ghost, expected bool) {
	switch {
	case l.ai < len(l.appt) && l.appt[l.ai] == t:
		l.ai++
	case l.ei < len(l.exp) && l.exp[l.ei] == t:
		l.ei++
		return false, true
	case l.pi < len(l.prio) && l.prio[l.pi] == t:
		l.pi++
	case l.wi < len(l.walk) && l.walk[l.wi] == t:
		l.wi++
	case t == l.ghostP:
		l.ghostPDone = true
		return true, false
	case t == l.ghostW:
		l.ghostWDone = true
		return true, false
	}
	return false, false
}

// Forecast replays the day from now with the given service models (the
// office's measured ones, Office.Model; the simulator also passes the true
// ones to measure the forecast against a perfect knowledge of them).
func (o *Office) Forecast(now time.Time, model func(service string) ServiceModel) *Forecast {
	f := &Forecast{At: now, tickets: map[string]fcResult{}, news: map[string]*fcNew{}, pool: map[string]int{}, mean: map[string]float64{}, vari: map[string]float64{}}
	models := map[string]ServiceModel{}
	modelOf := func(service string) ServiceModel {
		m, ok := models[service]
		if !ok {
			m = model(service)
			models[service] = m
		}
		return m
	}
	sec := func(t time.Time) float64 { return t.Sub(now).Seconds() }
	at := func(s float64) time.Time { return now.Add(time.Duration(s * float64(time.Second))) }

	lines := map[string]*fcLine{}
	remaining := 0 // real tickets and ghosts still to be called
	for i := range o.cfg.Services {
		s := &o.cfg.Services[i]
		l := &fcLine{}
		if ol := o.lines[s.ID]; ol != nil {
			l.appt, l.prio, l.walk = ol.appt, ol.prio, ol.walk
			remaining += len(ol.all)
		}
		if _, open := o.cfg.spanAt(s, now); open {
			l.ghostW = &Ticket{ID: "new:" + s.ID, Number: "~", Service: s.ID, QueuedAt: now, IssuedAt: now}
			l.ghostP = &Ticket{ID: "new-priority:" + s.ID, Number: "~", Service: s.ID, Priority: true, QueuedAt: now, IssuedAt: now}
			f.news[s.ID] = &fcNew{}
			remaining += 2
		}
		l.exp = o.expectedBookings(s.ID, now)
		lines[s.ID] = l
		f.mean[s.ID], f.vari[s.ID] = modelOf(s.ID).call()
	}

	var h fcHeap
	all := o.replayCounters(now, sec, modelOf)
	for _, c := range all {
		for _, id := range c.servicesOf {
			f.pool[id]++
		}
		heap.Push(&h, c)
	}
	var headsAt time.Time // the moment heads reads the queues at
	heads := func(service string) Heads {
		if l := lines[service]; l != nil {
			return l.heads(headsAt)
		}
		return Heads{}
	}
	f.tickets = make(map[string]fcResult, remaining)
	f.calls = make([]Call, 0, remaining)
	horizon := forecastHorizon.Seconds()
	for h.Len() > 0 && remaining > 0 && len(f.calls) < maxForecastCalls {
		c := h.peek()
		t := c.free
		if t > horizon {
			break
		}
		if t >= c.end { // the stretch is over: on to the next, or gone
			if !c.nextStretch(t) {
				h.remove(c)
				continue
			}
			h.fix(c)
			continue
		}
		headsAt = at(t)
		tk, walkIns := NextAt(o.cfg, &c.Counter, headsAt, heads)
		if tk == nil {
			// Nobody for this counter now: wait for the next booked
			// citizen of its services, or its next stretch.
			next := math.Inf(1)
			for _, id := range c.Services {
				if l := lines[id]; l != nil && l.ei < len(l.exp) {
					next = math.Min(next, sec(*l.exp[l.ei].Due))
				}
			}
			if next <= t { // cannot happen, but never spin
				next = t + 1
			}
			if math.IsInf(next, 1) || next >= c.end {
				if !c.nextStretch(math.Max(t, c.end)) {
					h.remove(c)
					continue
				}
			} else {
				c.free = next
			}
			h.fix(c)
			continue
		}
		l := lines[tk.Service]
		ghost, expected := l.take(tk)
		varCall := math.Min(c.v, pooledVariance(h, tk.Service))
		res := fcResult{mean: t, variance: varCall, ahead: l.called}
		if ghost {
			n := f.news[tk.Service]
			if tk.Priority {
				n.prio, n.prioDone = res, true
			} else {
				n.walk, n.walkDone, n.counter = res, true, c
				n.served, n.servedVar = modelOf(tk.Service).served()
				n.tail.call, n.tail.var_ = modelOf(tk.Service).call()
				for _, hc := range h {
					if slices.Contains(hc.Services, tk.Service) {
						n.tail.free = append(n.tail.free, fcAvail{hc.free, hc.v})
					}
				}
			}
			remaining--
			continue // a ghost takes no counter time
		}
		m := modelOf(tk.Service)
		mean, variance := m.call()
		if expected { // only a share of the booked come
			second := m.Show * (variance + mean*mean)
			mean *= m.Show
			variance = math.Max(second-mean*mean, 0)
			f.tickets["booking:"+tk.Booking] = res
		} else {
			f.tickets[tk.ID] = res
			l.called++
			remaining--
		}
		call := Call{Counter: c.ID, Ticket: tk.ID, At: at(t)}
		if expected {
			call.Ticket = "booking:" + tk.Booking
		}
		f.calls = append(f.calls, call)
		c.PriorityStreak = streakAfter(c.PriorityStreak, tk, walkIns)
		gap := modelOf(tk.Service).Gap.Seconds()
		if expected {
			gap *= m.Show
		}
		c.done, c.dv = t+mean-gap, c.v+variance
		c.free, c.v = t+mean, c.v+variance
		f.last = math.Max(f.last, t)
		h.fix(c)
	}
	if remaining == 0 { // every ticket placed: each counter's day ends when its last call does
		for id, n := range f.news {
			if !n.walkDone {
				continue
			}
			n.ends = append(n.ends, fcAvail{n.counter.done, n.counter.dv})
			for _, c := range all {
				if c != n.counter && slices.Contains(c.servicesOf, id) {
					n.ends = append(n.ends, fcAvail{c.done, c.dv})
				}
			}
		}
	}
	return f
}

// DayOdds returns the probability that every counter of the service has
// ended its day by deadline with a walk-in issued at At; ok is false when
// the replay did not reach the end of the day.
func (f *Forecast) DayOdds(service string, deadline time.Time) (with float64, ok bool) {
	n := f.news[service]
	if n == nil || len(n.ends) == 0 {
		return 0, false
	}
	x := deadline.Sub(f.At).Seconds()
	with = 1
	for i, e := range n.ends {
		if i == 0 { // the ghost's counter serves the new citizen too
			e.free, e.v = math.Max(e.free, n.walk.mean)+n.served, e.v+n.servedVar
		}
		with *= lnCDF(e.free, e.v, x)
	}
	return with, true
}

// pooledVariance is the variance of a call time of service as if its
// counters shared one queue: the sum of their variances over their number
// squared.
func pooledVariance(h fcHeap, service string) float64 {
	var sum float64
	n := 0
	for _, c := range h {
		for _, id := range c.Services {
			if id == service {
				sum += c.v
				n++
				break
			}
		}
	}
	if n == 0 {
		return math.Inf(1)
	}
	return sum / float64(n*n)
}

// nextStretch moves the counter to its next planned stretch starting at or
// after t; false when it has none left today.
func (c *fcCounter) nextStretch(t float64) bool {
	for len(c.stretches) > 0 {
		s := c.stretches[0]
		c.stretches = c.stretches[1:]
		if s.to <= t {
			continue
		}
		c.free = math.Max(s.from, t)
		c.end = s.to
		c.Services = s.services
		c.PriorityStreak = 0
		return true
	}
	return false
}
