package queue

import (
	"crypto/rand"
	"encoding/hex"
	"sort"
	"time"
)

// ServiceStats counts a service's day. Counts are of events: a ticket
// reactivated after a no-show counts once in NoShows and once in Reactivated.
type ServiceStats struct {
	Issued      int            `json:"issued"`
	Served      int            `json:"served"`
	Resolved    int            `json:"resolved"`
	Forwarded   int            `json:"forwarded"`
	NoShows     int            `json:"noshows"`
	Reactivated int            `json:"reactivated"`
	Transferred int            `json:"transferred_in"`
	Turnaways   int            `json:"turnaways"`
	Contacts    int            `json:"contacts"` // simple-information contacts about it
	ByRule      map[string]int `json:"turnaways_by_rule,omitempty"`
}

// Office is the state of one business day: the live queues, counters and
// numerators. It is not safe for concurrent use; the server serialises
// commands and applies their events in order.
type Office struct {
	cfg *Config
	// NewID makes ticket ids; it must be unguessable (the id is the key of
	// the public ticket page).
	NewID func() string

	seq      uint64
	day      string
	tickets  map[string]*Ticket
	byNumber map[string]*Ticket
	issued   []*Ticket            // today's tickets in issue order
	waiting  map[string][]*Ticket // per service, by QueuedAt then Seq
	priority map[string][]*Ticket // the priority ones among them, same order
	counters map[string]*Counter
	locks    map[string]*Lock
	stats    map[string]*ServiceStats
	lastNum  map[string]int
	idem     map[string]*Ticket
	recent   map[string][]time.Duration // last service times per service
	protocol map[int]int                // year -> last protocol sequence
	// announced is each numerator's state as last told by an event
	// (open, cutoff or closed), so StatusChanges reports only changes.
	announced map[string]string
	message   string // the hall message, until cleared or the day ends
	contacts  int    // simple-information contacts today, any service or none
}

// NewOffice returns an office with no day started yet; the first command
// starts it with a day.rollover event.
func NewOffice(cfg *Config) *Office {
	o := &Office{cfg: cfg, NewID: randomID, protocol: map[int]int{}}
	o.reset("")
	return o
}

func randomID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("queue: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	return hex.EncodeToString(b[:])
}

func (o *Office) reset(day string) {
	o.day = day
	o.tickets = map[string]*Ticket{}
	o.byNumber = map[string]*Ticket{}
	o.issued = nil
	o.waiting = map[string][]*Ticket{}
	o.priority = map[string][]*Ticket{}
	o.locks = map[string]*Lock{}
	o.stats = map[string]*ServiceStats{}
	o.lastNum = map[string]int{}
	o.idem = map[string]*Ticket{}
	o.recent = map[string][]time.Duration{}
	o.announced = map[string]string{}
	o.message, o.contacts = "", 0
	o.counters = make(map[string]*Counter, len(o.cfg.Counters))
	for _, k := range o.cfg.Counters {
		o.counters[k.ID] = &Counter{ID: k.ID, Name: k.Name, Lane: k.Lane, State: CounterClosed, MayServe: k.Services}
	}
	for _, s := range o.cfg.Services {
		o.stats[s.ID] = &ServiceStats{}
	}
}

// Config returns the office's configuration.
func (o *Office) Config() *Config { return o.cfg }

// Seq is the sequence number of the last event applied.
func (o *Office) Seq() uint64 { return o.seq }

// Day is the business day the office is in ("" before the first event).
func (o *Office) Day() string { return o.day }

// SetProtocolSeq sets the last protocol number used in year; the server
// loads it from storage because it outlives the business day.
func (o *Office) SetProtocolSeq(year, seq int) { o.protocol[year] = seq }

// Ticket returns today's ticket by id or by number, or nil. The result must
// not be modified.
func (o *Office) Ticket(ref string) *Ticket {
	if t := o.tickets[ref]; t != nil {
		return t
	}
	return o.byNumber[ref]
}

// TicketByID returns today's ticket with that id (never by number: the id
// is the secret of the public ticket page), or nil.
func (o *Office) TicketByID(id string) *Ticket { return o.tickets[id] }

// Counter returns a counter's state, or nil. The result must not be modified.
func (o *Office) Counter(id string) *Counter { return o.counters[id] }

// HallMessage is the message the hall displays show, or "".
func (o *Office) HallMessage() string { return o.message }

// Contacts is the number of simple-information contacts logged today.
func (o *Office) Contacts() int { return o.contacts }

// Stats returns a service's counts for the day, or nil.
func (o *Office) Stats(service string) *ServiceStats { return o.stats[service] }

// Apply installs committed events in order. It trusts them: commands have
// validated them, and replay feeds back what commands produced.
func (o *Office) Apply(events ...Event) {
	for i := range events {
		o.apply(&events[i])
	}
}

func (o *Office) apply(ev *Event) {
	o.seq = ev.Seq
	if ev.Type == EventDayRollover || o.day == "" {
		o.reset(ev.Day)
	}
	switch ev.Type {
	case EventServiceLocked:
		o.locks[ev.Service] = ev.Lock
	case EventServiceUnlocked:
		delete(o.locks, ev.Service)
	case EventHallMessage:
		o.message = ev.Message
	case EventContactLogged:
		o.contacts++
		if st := o.stats[ev.Service]; st != nil {
			st.Contacts++
		}
	case EventServiceCutoff:
		o.announced[ev.Service] = ServiceCutoff
	case EventServiceClosed:
		o.announced[ev.Service] = ServiceClosed
	case EventServiceReopened:
		o.announced[ev.Service] = ServiceOpen
	case EventServiceTurnaway:
		if st := o.stats[ev.Service]; st != nil && ev.Refusal != nil {
			st.Turnaways++
			if st.ByRule == nil {
				st.ByRule = map[string]int{}
			}
			st.ByRule[ev.Refusal.Rule]++
		}
	}
	if ev.Ticket != nil {
		o.putTicket(ev)
	}
	if ev.Counter != nil {
		c := *ev.Counter
		if k := o.cfg.Counter(c.ID); k != nil {
			c.MayServe = k.Services // the configuration in force, whatever the log says
		}
		o.counters[c.ID] = &c
	}
	if ev.Protocol != nil && ev.Protocol.Seq > o.protocol[ev.Protocol.Year] {
		o.protocol[ev.Protocol.Year] = ev.Protocol.Seq
	}
}

func (o *Office) putTicket(ev *Event) {
	t := *ev.Ticket
	if old := o.tickets[t.ID]; old != nil {
		if old.Status == StatusWaiting {
			o.unqueue(old)
		}
		*old = t // keep the pointer held by issued and byNumber
	} else {
		nt := &t
		o.tickets[t.ID] = nt
		o.byNumber[t.Number] = nt
		o.issued = append(o.issued, nt)
	}
	cur := o.tickets[t.ID]
	if cur.Status == StatusWaiting {
		o.enqueue(cur)
	}
	st := o.stats[t.Service]
	if st == nil {
		return // a service removed from the configuration since
	}
	switch ev.Type {
	case EventTicketIssued:
		st.Issued++
		if t.Seq > o.lastNum[t.Service] {
			o.lastNum[t.Service] = t.Seq
		}
		if t.IdempotencyKey != "" {
			o.idem[t.IdempotencyKey] = cur
		}
	case EventTicketFinished:
		st.Served++
		if t.Outcome == OutcomeForwarded {
			st.Forwarded++
		} else {
			st.Resolved++
		}
		if d := serviceSample(&t); d > 0 {
			r := append(o.recent[t.Service], d)
			if len(r) > recentServiceTimes {
				r = r[len(r)-recentServiceTimes:]
			}
			o.recent[t.Service] = r
		}
	case EventTicketNoShow:
		st.NoShows++
	case EventTicketReactivated:
		st.Reactivated++
	case EventTicketTransferred:
		st.Transferred++
	}
}

func queuedBefore(a, b *Ticket) bool {
	if !a.QueuedAt.Equal(b.QueuedAt) {
		return a.QueuedAt.Before(b.QueuedAt)
	}
	return a.IssuedAt.Before(b.IssuedAt) || (a.IssuedAt.Equal(b.IssuedAt) && a.Number < b.Number)
}

// Queues are kept sorted by queuedBefore, so a ticket's place is a binary
// search: an office with thousands waiting still answers in microseconds.
func (o *Office) enqueue(t *Ticket) {
	o.waiting[t.Service] = insertSorted(o.waiting[t.Service], t)
	if t.Priority {
		o.priority[t.Service] = insertSorted(o.priority[t.Service], t)
	}
}

func (o *Office) unqueue(t *Ticket) {
	o.waiting[t.Service] = removeSorted(o.waiting[t.Service], t)
	if t.Priority {
		o.priority[t.Service] = removeSorted(o.priority[t.Service], t)
	}
}

// before is the number of tickets in q, sorted, that queue before t.
func before(q []*Ticket, t *Ticket) int {
	return sort.Search(len(q), func(i int) bool { return !queuedBefore(q[i], t) })
}

func insertSorted(q []*Ticket, t *Ticket) []*Ticket {
	i := before(q, t)
	q = append(q, nil)
	copy(q[i+1:], q[i:])
	q[i] = t
	return q
}

func removeSorted(q []*Ticket, t *Ticket) []*Ticket {
	for i := before(q, t); i < len(q); i++ {
		if q[i].ID == t.ID {
			return append(q[:i], q[i+1:]...)
		}
	}
	return q
}

// minServiceSample is the shortest time at a counter that counts as a real
// service: shorter ones are mistaken calls closed at once, and would make
// every estimate collapse towards zero.
const minServiceSample = 30 * time.Second

// serviceSample is the time a finished ticket spent at the counter, or 0
// when it does not count.
func serviceSample(t *Ticket) time.Duration {
	if t.CalledAt == nil || t.FinishedAt == nil {
		return 0
	}
	if d := t.FinishedAt.Sub(*t.CalledAt); d >= minServiceSample {
		return d
	}
	return 0
}
