package ui

import (
	"slices"
	"sync"
	"time"

	"turno/server/queue"
)

// The desk shows an action's answer at once. The stream brings the same
// change a moment later, and before it may deliver a model that predates
// the action (a stats frame, another clerk's call): shown as it is, that
// model would put the previous ticket back on the screen for an instant,
// and a clerk who acts in that instant acts on the wrong ticket. So after
// an action the desk keeps the answer until the stream has delivered the
// action's own event, found by its content among this counter's events
// newer than the model the action started from; from then on a model at
// least as new as that event is the truth again.

// pendingTimeout bounds how long an answer outranks the stream: if the
// event never comes (the stream is down), the stream wins again after it.
const pendingTimeout = 5 * time.Second

// seenEvent is what the stream told of this counter.
type seenEvent struct {
	seq     uint64
	counter *queue.Counter
	ticket  *queue.Ticket
}

// eventLog is written by the stream's goroutine, read by the UI's.
type eventLog struct {
	mu     sync.Mutex
	events []seenEvent // the most recent, oldest first
}

const eventLogSize = 64

func (l *eventLog) add(ev queue.Event, counter string) {
	e := seenEvent{seq: ev.Seq}
	if ev.Counter != nil && ev.Counter.ID == counter {
		k := *ev.Counter
		e.counter = &k
	}
	if ev.Ticket != nil && (ev.Ticket.Counter == counter || e.counter != nil) {
		t := *ev.Ticket
		e.ticket = &t
	}
	if e.counter == nil && e.ticket == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
	if len(l.events) > eventLogSize {
		l.events = slices.Delete(l.events, 0, len(l.events)-eventLogSize)
	}
}

func (l *eventLog) reset() {
	l.mu.Lock()
	l.events = nil
	l.mu.Unlock()
}

// find returns the sequence number of the first event after from that
// shows this counter and ticket as p expects.
func (l *eventLog) find(p *pendingAnswer) (uint64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.events {
		if e.seq <= p.from {
			continue
		}
		if e.counter != nil && !sameCounter(e.counter, &p.counter) {
			continue
		}
		if p.ticket != nil && e.ticket != nil && !sameTicket(e.ticket, &p.ticket.Ticket) {
			continue
		}
		if e.ticket != nil && p.ticket == nil && e.counter == nil {
			continue
		}
		return e.seq, true
	}
	return 0, false
}

// pendingAnswer is an action's answer not yet seen on the stream.
type pendingAnswer struct {
	from    uint64 // the model's Seq when the action started
	counter queue.Counter
	ticket  *queue.TicketView
	at      time.Time
}

func sameCounter(a, b *queue.Counter) bool {
	return a.ID == b.ID && a.State == b.State && a.Current == b.Current && a.Clerk == b.Clerk && slices.Equal(a.Services, b.Services)
}

func sameTicket(a, b *queue.Ticket) bool {
	return a.ID == b.ID && a.Status == b.Status && a.Recalls == b.Recalls && a.Calls == b.Calls &&
		a.Service == b.Service && a.Protocol == b.Protocol
}
