package queue

import (
	"crypto/rand"
	"encoding/hex"
	"maps"
	"math"
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
	// Appointments of the day: checked in (late ones among them, served as
	// walk-ins) and missed.
	AppointmentsKept   int `json:"appointments_kept,omitempty"`
	AppointmentsLate   int `json:"appointments_late,omitempty"`
	AppointmentsMissed int `json:"appointments_missed,omitempty"`
	// Citizens' ratings of finished tickets: how many, and their sum (the
	// mean is RatingSum / Ratings).
	Ratings   int `json:"ratings,omitempty"`
	RatingSum int `json:"rating_sum,omitempty"`
}

// clone returns a copy that shares nothing with s: views leave the office's
// lock and are encoded while the office goes on counting.
func (s *ServiceStats) clone() ServiceStats {
	c := *s
	c.ByRule = maps.Clone(s.ByRule)
	return c
}

// Office is the state of one business day: the live queues, counters and
// numerators. It is not safe for concurrent use; the server serialises
// commands and applies their events in order.
type Office struct {
	cfg *Config
	// NewID makes ticket and booking ids; it must be unguessable (the id is
	// the key of the public ticket page and of the booking's link).
	NewID func() string
	// NewCode makes booking codes.
	NewCode func() string

	seq      uint64
	day      string
	tickets  map[string]*Ticket
	byNumber map[string]*Ticket
	issued   []*Ticket        // today's tickets in issue order
	lines    map[string]*line // waiting tickets per service
	counters map[string]*Counter
	locks    map[string]*Lock
	stats    map[string]*ServiceStats
	lastNum  map[string]int
	idem     map[string]*Ticket
	measures map[string]*measure // what the day measured of each service
	gaps     int                 // measured gaps between citizens at a counter,
	gapSecs  float64             // and their total
	logins   int                 // measured lateness of planned counters' opening,
	lateSecs float64             // and its total
	fc       *Forecast           // the last forecast, reused while it stands
	// fcDirty says the state changed since fc in a way it cannot follow;
	// fcAppended counts the walk-ins issued since, per service, and
	// fcAppendedIDs gives each its rank (1, 2, ...) among them.
	fcDirty       bool
	fcAppended    map[string]int
	fcAppendedIDs map[string]int
	protocol      map[int]int // year -> last protocol sequence
	// announced is each numerator's state as last told by an event
	// (open, cutoff or closed), so StatusChanges reports only changes.
	announced     map[string]string
	announcedRule map[string]string // the rule of an announced cut-off
	message       string            // the hall message, until cleared or the day ends
	agenda        agenda            // bookings of today and ahead: they outlive the day
	contacts      int               // simple-information contacts today, any service or none
	rated         map[string]bool   // today's tickets rated by their citizen

	// recent and shown are what a live view holds of the day: shown maps
	// each open ticket and each recent closed one to the order it entered
	// the view (see Recent), so a snapshot costs what it shows, not the day.
	recent    Recent
	shown     map[string]uint64
	shownNext uint64
}

// NewOffice returns an office with no day started yet; the first command
// starts it with a day.rollover event.
func NewOffice(cfg *Config) *Office {
	o := &Office{cfg: cfg, NewID: randomID, NewCode: randomCode, protocol: map[int]int{}, agenda: newAgenda()}
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
	o.recent, o.shown, o.shownNext = Recent{}, map[string]uint64{}, 0
	o.lines = map[string]*line{}
	o.locks = map[string]*Lock{}
	o.stats = map[string]*ServiceStats{}
	o.lastNum = map[string]int{}
	o.idem = map[string]*Ticket{}
	o.announced = map[string]string{}
	o.announcedRule = map[string]string{}
	o.measures = map[string]*measure{}
	o.gaps, o.gapSecs = 0, 0
	o.logins, o.lateSecs = 0, 0
	o.fc, o.fcDirty = nil, false
	o.fcAppended, o.fcAppendedIDs = map[string]int{}, map[string]int{}
	o.message, o.contacts = "", 0
	o.rated = map[string]bool{}
	o.counters = make(map[string]*Counter, len(o.cfg.Counters))
	for _, k := range o.cfg.Counters {
		o.counters[k.ID] = &Counter{ID: k.ID, Name: k.Name, Lane: k.Lane, State: CounterClosed, MayServe: k.Services}
	}
	for _, s := range o.cfg.Services {
		o.stats[s.ID] = &ServiceStats{}
	}
	if day != "" {
		o.agenda.prune(day)
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
	defer o.noteForecast(ev)
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
	case EventServiceCutoff, EventServiceClosed, EventServiceReopened:
		o.announced[ev.Service] = map[string]string{EventServiceCutoff: ServiceCutoff, EventServiceClosed: ServiceClosed, EventServiceReopened: ServiceOpen}[ev.Type]
		o.announcedRule[ev.Service] = ""
		if ev.Refusal != nil {
			o.announcedRule[ev.Service] = ev.Refusal.Rule
		}
	case EventServiceTurnaway:
		if st := o.stats[ev.Service]; st != nil && ev.Refusal != nil {
			st.Turnaways++
			if st.ByRule == nil {
				st.ByRule = map[string]int{}
			}
			st.ByRule[ev.Refusal.Rule]++
		}
	}
	if ev.Rating != nil {
		o.applyRating(ev)
	}
	if ev.Booking != nil {
		o.putBooking(ev)
	}
	if ev.Ticket != nil {
		o.putTicket(ev)
	}
	if ev.Counter != nil {
		c := *ev.Counter
		if k := o.cfg.Counter(c.ID); k != nil {
			c.MayServe = k.Services // the configuration in force, whatever the log says
		}
		if old := o.counters[c.ID]; ev.Type == EventCounterOpened && old != nil && old.State == CounterClosed && c.OpenedAt != nil {
			o.measureLogin(c.ID, *c.OpenedAt)
		}
		o.counters[c.ID] = &c
	}
	if ev.Protocol != nil && ev.Protocol.Seq > o.protocol[ev.Protocol.Year] {
		o.protocol[ev.Protocol.Year] = ev.Protocol.Seq
	}
}

func (o *Office) putBooking(ev *Event) {
	b := *ev.Booking
	o.agenda.put(b)
	if b.Day != o.day {
		return
	}
	st := o.stats[b.Service]
	switch ev.Type {
	case EventBookingCheckedIn:
		o.measure(b.Service).kept++
		if st != nil {
			st.AppointmentsKept++
			if b.Late {
				st.AppointmentsLate++
			}
		}
	case EventBookingMissed:
		o.measure(b.Service).missed++
		if st != nil {
			st.AppointmentsMissed++
		}
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
	o.show(cur)
	st := o.stats[t.Service]
	if st == nil {
		return // a service removed from the configuration since
	}
	switch ev.Type {
	case EventTicketIssued:
		st.Issued++
		num := t.Service
		if t.Due != nil {
			num = appointmentNumerator
		}
		if t.Seq > o.lastNum[num] {
			o.lastNum[num] = t.Seq
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
		m := o.measure(t.Service)
		m.ended++
		if d := serviceSample(&t); d > 0 {
			x := math.Log(d.Seconds())
			m.served++
			m.sumLn += x
			m.sumLn2 += x * x
		}
	case EventTicketCalled:
		o.measureGap(&t)
	case EventTicketNoShow:
		st.NoShows++
		m := o.measure(t.Service)
		m.ended++
		m.noShows++
		if t.CalledAt != nil && t.NoShowAt != nil {
			m.noShowSecs += t.NoShowAt.Sub(*t.CalledAt).Seconds()
		}
	case EventTicketReactivated:
		st.Reactivated++
	case EventTicketTransferred:
		st.Transferred++
	}
}

// show keeps the view's tickets after a ticket changed: it is in the view
// while open or among its service's latest closed ones; closed tickets it
// pushed out of those leave.
func (o *Office) show(t *Ticket) {
	for _, id := range o.recent.Note(t) {
		delete(o.shown, id)
	}
	if !o.recent.Shown(t) {
		delete(o.shown, t.ID)
		return
	}
	if _, ok := o.shown[t.ID]; !ok {
		o.shownNext++
		o.shown[t.ID] = o.shownNext
	}
}

// queuedBefore orders walk-ins: by arrival, then issue, then number.
func queuedBefore(a, b *Ticket) bool {
	if !a.QueuedAt.Equal(b.QueuedAt) {
		return a.QueuedAt.Before(b.QueuedAt)
	}
	return a.IssuedAt.Before(b.IssuedAt) || (a.IssuedAt.Equal(b.IssuedAt) && a.Number < b.Number)
}

// line is one service's waiting tickets, split by class of the call order
// and kept sorted in the order each class is called, so the call order
// reads heads and a ticket's place is a binary search: an office with
// thousands waiting still answers in microseconds.
type line struct {
	all  []*Ticket // every waiting ticket, by arrival (queuedBefore)
	appt []*Ticket // checked-in appointments, by due time (dueBefore)
	prio []*Ticket // priority walk-ins, by arrival
	walk []*Ticket // the other walk-ins, by arrival
}

// class returns the slice of l that holds t, and its order.
func (l *line) class(t *Ticket) (*[]*Ticket, func(a, b *Ticket) bool) {
	switch {
	case t.Due != nil:
		return &l.appt, dueBefore
	case t.Priority:
		return &l.prio, queuedBefore
	}
	return &l.walk, queuedBefore
}

// heads returns the first ticket of each class.
func (l *line) heads() Heads {
	var h Heads
	if l == nil {
		return h
	}
	if len(l.appt) > 0 {
		h.Appointment = l.appt[0]
	}
	if len(l.prio) > 0 {
		h.Priority = l.prio[0]
	}
	if len(l.walk) > 0 {
		h.WalkIn = l.walk[0]
	}
	return h
}

func (o *Office) line(service string) *line {
	l := o.lines[service]
	if l == nil {
		l = &line{}
		o.lines[service] = l
	}
	return l
}

// waiting is the number of tickets waiting for a service.
func (o *Office) waiting(service string) int {
	if l := o.lines[service]; l != nil {
		return len(l.all)
	}
	return 0
}

func (o *Office) enqueue(t *Ticket) {
	l := o.line(t.Service)
	l.all = insertSorted(l.all, t, queuedBefore)
	q, less := l.class(t)
	*q = insertSorted(*q, t, less)
}

func (o *Office) unqueue(t *Ticket) {
	l := o.line(t.Service)
	l.all = removeSorted(l.all, t, queuedBefore)
	q, less := l.class(t)
	*q = removeSorted(*q, t, less)
}

// before is the number of tickets in q, sorted by less, that go before t.
func before(q []*Ticket, t *Ticket, less func(a, b *Ticket) bool) int {
	return sort.Search(len(q), func(i int) bool { return !less(q[i], t) })
}

func insertSorted(q []*Ticket, t *Ticket, less func(a, b *Ticket) bool) []*Ticket {
	i := before(q, t, less)
	q = append(q, nil)
	copy(q[i+1:], q[i:])
	q[i] = t
	return q
}

func removeSorted(q []*Ticket, t *Ticket, less func(a, b *Ticket) bool) []*Ticket {
	for i := before(q, t, less); i < len(q); i++ {
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
