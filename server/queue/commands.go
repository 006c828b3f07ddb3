package queue

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Actor is who asks for a command. Supervisors (floor assistant, admin) may
// act on a counter opened by someone else.
type Actor struct {
	Name       string
	Supervisor bool
}

// Field limits of free text, so nobody stores a novel in a ticket. They
// count characters (runes: "è" is one), as docs/api.md states them.
const (
	maxCaseRef  = 64
	maxNote     = 1000
	maxDocument = 200
	maxReason   = 200
	maxMessage  = 280
	maxTopic    = 200
	// maxKey bounds a scoped idempotency key: the caller's key (200
	// characters at most, checked by the API) after who sent it and "/".
	maxKey = 300
)

// checkText refuses text that is not valid UTF-8 or longer than max
// characters.
func checkText(what, s string, max int) error {
	if !utf8.ValidString(s) {
		return ErrInvalid.withf("%s is not valid UTF-8 text", what)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return ErrInvalid.withf("%s is %d characters long, more than %d", what, n, max)
	}
	return nil
}

func (o *Office) event(now time.Time, typ string, by Actor) Event {
	return Event{Type: typ, At: now, Day: o.day, Actor: by.Name}
}

// Rollover returns the events that end the previous business day and start
// the one of now: waiting and unfinished tickets expire, and a day.rollover
// resets counters, numerators and locks. It returns nil when now is still in
// the office's day. The server calls it before every command and on a timer,
// so the daily reset needs no cron and no operator.
func (o *Office) Rollover(now time.Time) []Event {
	day := o.cfg.Day(now)
	if day == o.day || (o.day != "" && day < o.day) {
		// Same day, or a clock set back across midnight: a business day is
		// never entered twice, or its numbers would be given again.
		return nil
	}
	var events []Event
	if o.day != "" { // the day's appointments nobody came to
		events = append(events, o.AgendaChanges(now.Add(24*time.Hour))...)
	}
	for _, t := range o.issued {
		switch t.Status {
		case StatusWaiting, StatusCalled, StatusServing:
			nt := *t
			nt.Status = StatusExpired
			ev := o.event(now, EventTicketExpired, Actor{})
			ev.Ticket = &nt
			events = append(events, ev)
		}
	}
	return append(events, Event{Type: EventDayRollover, At: now, Day: day})
}

// IssueRequest asks for a ticket.
type IssueRequest struct {
	Service  string
	Priority bool
	// Key makes a retried request return the same ticket; the caller scopes
	// it (e.g. by device) so two kiosks cannot collide.
	Key     string
	Channel string
}

// Issue gives the next number of a service. With a known key it returns the
// ticket issued before and no events. A refused ticket returns a *Refusal and
// the service.turnaway event that counts it.
func (o *Office) Issue(now time.Time, req IssueRequest, by Actor) ([]Event, *Ticket, error) {
	s := o.cfg.Service(req.Service)
	if s == nil {
		return nil, nil, ErrUnknownService.withf("unknown service %q", req.Service)
	}
	if err := checkText("the idempotency key", req.Key, maxKey); err != nil {
		return nil, nil, err
	}
	if t := o.idem[req.Key]; req.Key != "" && t != nil {
		if first := firstService(t); first != req.Service {
			return nil, nil, ErrIdempotencyConflict.withf("idempotency key already used for a ticket of %q", first)
		}
		return nil, t, nil
	}
	if st := o.ServiceStatus(now, s.ID); st.Refusal != nil {
		ev := o.event(now, EventServiceTurnaway, by)
		ev.Service = s.ID
		ev.Refusal = st.Refusal
		return []Event{ev}, nil, st.Refusal
	}
	n := o.lastNum[s.ID] + 1
	t := &Ticket{
		ID:             o.NewID(),
		Number:         fmt.Sprintf("%s%03d", s.Prefix, n),
		Seq:            n,
		Service:        s.ID,
		Day:            o.day,
		Priority:       req.Priority,
		Status:         StatusWaiting,
		Channel:        req.Channel,
		IssuedAt:       now,
		QueuedAt:       now,
		IdempotencyKey: req.Key,
	}
	promise := o.promise(now, s.ID, req.Priority)
	t.Promise = &promise
	ev := o.event(now, EventTicketIssued, by)
	ev.Ticket = t
	return []Event{ev}, t, nil
}

// firstService is the service a ticket was issued for, before any transfer.
func firstService(t *Ticket) string {
	if len(t.FromServices) > 0 {
		return t.FromServices[0]
	}
	return t.Service
}

// counterFor finds a counter and checks that by may act on it.
func (o *Office) counterFor(id string, by Actor) (*Counter, error) {
	c := o.counters[id]
	if c == nil {
		return nil, ErrUnknownCounter.withf("unknown counter %q", id)
	}
	if c.State != CounterClosed && c.Clerk != by.Name && !by.Supervisor {
		return nil, ErrNotYourCounter.withf("counter %s is open for %s", c.Name, c.Clerk)
	}
	return c, nil
}

// activeCounter is counterFor plus: the counter is open, not paused.
func (o *Office) activeCounter(id string, by Actor) (*Counter, error) {
	c, err := o.counterFor(id, by)
	if err != nil {
		return nil, err
	}
	switch c.State {
	case CounterClosed:
		return nil, ErrCounterClosed.withf("counter %s is closed: open it first", c.Name)
	case CounterPaused:
		return nil, ErrCounterPaused.withf("counter %s is paused: resume it first", c.Name)
	}
	return c, nil
}

// current returns the counter's ticket in progress, checking its status.
func (o *Office) current(c *Counter, allowed ...Status) (*Ticket, error) {
	t := o.tickets[c.Current]
	if t == nil {
		return nil, ErrNoCurrentTicket.withf("counter %s has no ticket in progress", c.Name)
	}
	for _, s := range allowed {
		if t.Status == s {
			return t, nil
		}
	}
	return nil, ErrIllegalTransition.withf("ticket %s is %s", t.Number, t.Status)
}

// free returns a copy of c with no current ticket, idle from now.
func free(c *Counter, now time.Time) *Counter {
	nc := *c
	nc.Current = ""
	nc.IdleSince = &now
	return &nc
}

// Open staffs a counter for some of the services it may serve. A clerk can
// hold one counter at a time; reopening an idle counter changes its services.
func (o *Office) Open(now time.Time, counterID string, services []string, by Actor) ([]Event, error) {
	c, err := o.counterFor(counterID, by)
	if err != nil {
		return nil, err
	}
	if c.State != CounterClosed && c.Current != "" {
		return nil, ErrCounterBusy.withf("counter %s is serving a ticket: finish it before changing services", c.Name)
	}
	if strings.TrimSpace(by.Name) == "" {
		return nil, ErrInvalid.withf("a counter is opened by a named clerk")
	}
	if c.State == CounterClosed { // staffing it: the clerk holds one counter at a time
		for _, k := range o.cfg.Counters {
			if other := o.counters[k.ID]; other.ID != c.ID && other.State != CounterClosed && other.Clerk == by.Name {
				return nil, ErrCounterOpen.withf("%s is already at counter %s: close it first", by.Name, other.Name)
			}
		}
	}
	chosen, err := o.chooseServices(counterID, services)
	if err != nil {
		return nil, err
	}
	nc := *c
	nc.State = CounterOpen
	nc.Services = chosen
	nc.PausedAt = nil
	switch {
	case c.State == CounterClosed:
		nc.Clerk = by.Name
		nc.OpenedAt = &now
		nc.IdleSince = &now
		nc.PriorityStreak = 0
	case c.State == CounterPaused || nc.IdleSince == nil:
		nc.IdleSince = &now
	}
	// An open counter keeps its clerk and its idle time: the floor assistant
	// changing its services does not take it over.
	ev := o.event(now, EventCounterOpened, by)
	ev.Counter = &nc
	return []Event{ev}, nil
}

// chooseServices checks the services asked for and returns them in the
// counter's configured order.
func (o *Office) chooseServices(counterID string, services []string) ([]string, error) {
	if len(services) == 0 {
		return nil, ErrInvalid.withf("choose at least one service to serve")
	}
	want := map[string]bool{}
	for _, id := range services {
		if o.cfg.Service(id) == nil {
			return nil, ErrUnknownService.withf("unknown service %q", id)
		}
		if want[id] {
			return nil, ErrInvalid.withf("service %q is listed twice", id)
		}
		want[id] = true
	}
	k := o.cfg.Counter(counterID)
	chosen := make([]string, 0, len(services))
	for _, id := range k.Services {
		if want[id] {
			chosen = append(chosen, id)
			delete(want, id)
		}
	}
	for id := range want {
		return nil, ErrServiceNotServed.withf("counter %s may not serve %q", k.Name, id)
	}
	return chosen, nil
}

// Next calls the next ticket by the call order (see pick).
func (o *Office) Next(now time.Time, counterID string, by Actor) ([]Event, *Ticket, error) {
	c, err := o.activeCounter(counterID, by)
	if err != nil {
		return nil, nil, err
	}
	if t := o.tickets[c.Current]; t != nil {
		return nil, nil, ErrCounterBusy.withf("counter %s is still on %s: finish, transfer or mark it no-show first", c.Name, t.Number)
	}
	t, walkInsWaiting := o.pick(c, now)
	if t == nil {
		return nil, nil, ErrQueueEmpty.withf("nobody is waiting for the services of counter %s", c.Name)
	}
	nt := *t
	nt.Status = StatusCalled
	nt.CalledAt = &now
	nt.RecalledAt = nil
	nt.ServingAt = nil
	nt.Counter = c.ID
	nt.Clerk = by.Name
	nt.Recalls = 0
	nt.Calls++
	nc := *c
	nc.Current = nt.ID
	nc.IdleSince = nil
	nc.PriorityStreak = streakAfter(c.PriorityStreak, &nt, walkInsWaiting)
	ev := o.event(now, EventTicketCalled, by)
	ev.Ticket, ev.Counter = &nt, &nc
	return []Event{ev}, &nt, nil
}

// Recall calls the current ticket again. Past the rules' maximum it becomes a
// no-show instead.
func (o *Office) Recall(now time.Time, counterID string, by Actor) ([]Event, *Ticket, error) {
	c, err := o.activeCounter(counterID, by)
	if err != nil {
		return nil, nil, err
	}
	t, err := o.current(c, StatusCalled)
	if err != nil {
		return nil, nil, err
	}
	if t.Recalls >= o.cfg.Rules.MaxRecalls {
		return o.noShow(now, c, t, by)
	}
	nt := *t
	nt.Recalls++
	nt.RecalledAt = &now
	ev := o.event(now, EventTicketRecalled, by)
	ev.Ticket = &nt
	return []Event{ev}, &nt, nil
}

// NoShow marks the current called ticket as not presented.
func (o *Office) NoShow(now time.Time, counterID string, by Actor) ([]Event, *Ticket, error) {
	c, err := o.activeCounter(counterID, by)
	if err != nil {
		return nil, nil, err
	}
	t, err := o.current(c, StatusCalled)
	if err != nil {
		return nil, nil, err
	}
	return o.noShow(now, c, t, by)
}

func (o *Office) noShow(now time.Time, c *Counter, t *Ticket, by Actor) ([]Event, *Ticket, error) {
	nt := *t
	nt.Status = StatusNoShow
	nt.NoShowAt = &now
	ev := o.event(now, EventTicketNoShow, by)
	ev.Ticket, ev.Counter = &nt, free(c, now)
	return []Event{ev}, &nt, nil
}

// Reactivate puts a recent no-show back in its queue with its original
// arrival time, so it is the next one called for its service.
func (o *Office) Reactivate(now time.Time, counterID, ticketRef string, by Actor) ([]Event, *Ticket, error) {
	c, err := o.counterFor(counterID, by)
	if err != nil {
		return nil, nil, err
	}
	if c.State == CounterClosed {
		return nil, nil, ErrCounterClosed.withf("counter %s is closed: open it first", c.Name)
	}
	t := o.Ticket(ticketRef)
	if t == nil {
		return nil, nil, ErrUnknownTicket.withf("no ticket %q today", ticketRef)
	}
	if t.Status != StatusNoShow || t.NoShowAt == nil {
		return nil, nil, ErrIllegalTransition.withf("ticket %s is %s, not a no-show", t.Number, t.Status)
	}
	if now.Sub(*t.NoShowAt) > o.cfg.Rules.ReactivateWindow {
		return nil, nil, ErrReactivateExpired.withf("ticket %s was a no-show at %s, more than %s ago",
			t.Number, t.NoShowAt.In(o.cfg.Location).Format("15:04"), o.cfg.Rules.ReactivateWindow)
	}
	nt := *t
	nt.Status = StatusWaiting
	nt.Recalls = 0
	ev := o.event(now, EventTicketReactivated, by)
	ev.Ticket = &nt
	return []Event{ev}, &nt, nil
}

// Start marks the current ticket as being served.
func (o *Office) Start(now time.Time, counterID string, by Actor) ([]Event, *Ticket, error) {
	c, err := o.activeCounter(counterID, by)
	if err != nil {
		return nil, nil, err
	}
	t, err := o.current(c, StatusCalled)
	if err != nil {
		return nil, nil, err
	}
	nt := *t
	nt.Status = StatusServing
	nt.ServingAt = &now
	ev := o.event(now, EventTicketServing, by)
	ev.Ticket = &nt
	return []Event{ev}, &nt, nil
}

// FinishRequest closes the current ticket.
type FinishRequest struct {
	Outcome Outcome
	CaseRef string // required when forwarded to the back office
	Note    string
}

// Finish closes the current ticket as resolved at the desk or forwarded to
// the back office. A called ticket may be finished without Start.
func (o *Office) Finish(now time.Time, counterID string, req FinishRequest, by Actor) ([]Event, *Ticket, error) {
	c, err := o.activeCounter(counterID, by)
	if err != nil {
		return nil, nil, err
	}
	switch req.Outcome {
	case OutcomeResolved:
	case OutcomeForwarded:
		if strings.TrimSpace(req.CaseRef) == "" {
			return nil, nil, ErrInvalid.withf("a ticket forwarded to the back office needs a case reference")
		}
	default:
		return nil, nil, ErrInvalid.withf("outcome %q must be %q or %q", req.Outcome, OutcomeResolved, OutcomeForwarded)
	}
	if err := checkText("the case reference", req.CaseRef, maxCaseRef); err != nil {
		return nil, nil, err
	}
	if err := checkText("the note", req.Note, maxNote); err != nil {
		return nil, nil, err
	}
	t, err := o.current(c, StatusCalled, StatusServing)
	if err != nil {
		return nil, nil, err
	}
	nt := *t
	nt.Status = StatusDone
	nt.FinishedAt = &now
	nt.Outcome = req.Outcome
	nt.CaseRef = strings.TrimSpace(req.CaseRef)
	nt.Note = strings.TrimSpace(req.Note)
	ev := o.event(now, EventTicketFinished, by)
	ev.Ticket, ev.Counter = &nt, free(c, now)
	return []Event{ev}, &nt, nil
}

// Transfer sends the current ticket to another service's queue. By default it
// keeps its place by original arrival; toBack queues it as arriving now.
func (o *Office) Transfer(now time.Time, counterID, service string, toBack bool, by Actor) ([]Event, *Ticket, error) {
	c, err := o.activeCounter(counterID, by)
	if err != nil {
		return nil, nil, err
	}
	t, err := o.current(c, StatusCalled, StatusServing)
	if err != nil {
		return nil, nil, err
	}
	nt, err := o.moved(now, t, service, toBack)
	if err != nil {
		return nil, nil, err
	}
	ev := o.event(now, EventTicketTransferred, by)
	ev.Ticket, ev.Counter = nt, free(c, now)
	return []Event{ev}, nt, nil
}

// Move sends a waiting ticket to another service's queue, keeping its place
// by arrival: the floor assistant's fix for a citizen in the wrong queue.
func (o *Office) Move(now time.Time, ticketRef, service string, by Actor) ([]Event, *Ticket, error) {
	t := o.Ticket(ticketRef)
	if t == nil {
		return nil, nil, ErrUnknownTicket.withf("no ticket %q today", ticketRef)
	}
	if t.Status != StatusWaiting {
		return nil, nil, ErrIllegalTransition.withf("ticket %s is %s: only waiting tickets can be moved", t.Number, t.Status)
	}
	nt, err := o.moved(now, t, service, false)
	if err != nil {
		return nil, nil, err
	}
	ev := o.event(now, EventTicketTransferred, by)
	ev.Ticket = nt
	return []Event{ev}, nt, nil
}

func (o *Office) moved(now time.Time, t *Ticket, service string, toBack bool) (*Ticket, error) {
	if o.cfg.Service(service) == nil {
		return nil, ErrUnknownService.withf("unknown service %q", service)
	}
	if service == t.Service {
		return nil, ErrInvalid.withf("ticket %s is already in %q", t.Number, service)
	}
	nt := *t
	nt.FromServices = append(append([]string(nil), t.FromServices...), t.Service)
	nt.Service = service
	nt.Status = StatusWaiting
	nt.Recalls = 0
	if toBack {
		nt.QueuedAt = now
	}
	return &nt, nil
}

// Register gives the document delivered at a fast-track counter its protocol
// number, sequential per calendar year.
func (o *Office) Register(now time.Time, counterID, document string, by Actor) ([]Event, *Ticket, error) {
	c, err := o.activeCounter(counterID, by)
	if err != nil {
		return nil, nil, err
	}
	if c.Lane != LaneFastTrack {
		return nil, nil, ErrNotFastTrack.withf("counter %s is not a fast-track counter", c.Name)
	}
	document = strings.TrimSpace(document)
	if document == "" {
		return nil, nil, ErrInvalid.withf("describe the document in 1 to %d characters", maxDocument)
	}
	if err := checkText("the document's description", document, maxDocument); err != nil {
		return nil, nil, err
	}
	t, err := o.current(c, StatusCalled, StatusServing)
	if err != nil {
		return nil, nil, err
	}
	if s := o.cfg.Service(t.Service); s == nil || s.Lane != LaneFastTrack {
		return nil, nil, ErrNotFastTrack.withf("ticket %s is not in the fast-track lane", t.Number)
	}
	if t.Protocol != "" {
		return nil, nil, ErrAlreadyRegistered.withf("ticket %s is already registered as %s", t.Number, t.Protocol)
	}
	year := now.In(o.cfg.Location).Year()
	p := &ProtocolNumber{Year: year, Seq: o.protocol[year] + 1}
	nt := *t
	nt.Protocol = fmt.Sprintf("%d/%06d", p.Year, p.Seq)
	nt.Document = document
	nt.RegisteredAt = &now
	ev := o.event(now, EventTicketRegistered, by)
	ev.Ticket, ev.Protocol = &nt, p
	return []Event{ev}, &nt, nil
}

// Pause stops an idle counter from calling.
func (o *Office) Pause(now time.Time, counterID string, by Actor) ([]Event, error) {
	c, err := o.activeCounter(counterID, by)
	if err != nil {
		return nil, err
	}
	if c.Current != "" {
		return nil, ErrCounterBusy.withf("counter %s is serving a ticket: finish it before pausing", c.Name)
	}
	nc := *c
	nc.State = CounterPaused
	nc.PausedAt = &now
	ev := o.event(now, EventCounterPaused, by)
	ev.Counter = &nc
	return []Event{ev}, nil
}

// Resume reopens a paused counter.
func (o *Office) Resume(now time.Time, counterID string, by Actor) ([]Event, error) {
	c, err := o.counterFor(counterID, by)
	if err != nil {
		return nil, err
	}
	if c.State != CounterPaused {
		return nil, ErrIllegalTransition.withf("counter %s is %s, not paused", c.Name, c.State)
	}
	nc := *c
	nc.State = CounterOpen
	nc.PausedAt = nil
	nc.IdleSince = &now
	ev := o.event(now, EventCounterResumed, by)
	ev.Counter = &nc
	return []Event{ev}, nil
}

// Close unstaffs a counter. With a ticket in progress it refuses, unless
// force is set, which puts the ticket back in its queue at its place.
func (o *Office) Close(now time.Time, counterID string, force bool, by Actor) ([]Event, error) {
	c, err := o.counterFor(counterID, by)
	if err != nil {
		return nil, err
	}
	if c.State == CounterClosed {
		return nil, ErrCounterClosed.withf("counter %s is already closed", c.Name)
	}
	var events []Event
	if t := o.tickets[c.Current]; t != nil {
		if !force {
			return nil, ErrCounterBusy.withf("counter %s is on %s: finish, transfer or mark it no-show first", c.Name, t.Number)
		}
		nt := *t
		nt.Status = StatusWaiting
		nt.Recalls = 0
		ev := o.event(now, EventTicketRequeued, by)
		ev.Ticket = &nt
		events = append(events, ev)
	}
	nc := Counter{ID: c.ID, Name: c.Name, Lane: c.Lane, State: CounterClosed, MayServe: c.MayServe, ClosedAt: &now}
	ev := o.event(now, EventCounterClosed, by)
	ev.Counter = &nc
	return append(events, ev), nil
}

// Lock stops a numerator by hand until it is unlocked or the day ends.
func (o *Office) Lock(now time.Time, service, reason string, by Actor) ([]Event, error) {
	if o.cfg.Service(service) == nil {
		return nil, ErrUnknownService.withf("unknown service %q", service)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, ErrInvalid.withf("give a reason of 1 to %d characters", maxReason)
	}
	if err := checkText("the reason", reason, maxReason); err != nil {
		return nil, err
	}
	if l := o.locks[service]; l != nil {
		return nil, ErrAlreadyLocked.withf("%q is already locked by %s: %s", service, l.By, l.Reason)
	}
	ev := o.event(now, EventServiceLocked, by)
	ev.Service = service
	ev.Lock = &Lock{Reason: reason, By: by.Name, At: now}
	return []Event{ev}, nil
}

// Unlock reopens a numerator locked by hand.
func (o *Office) Unlock(now time.Time, service string, by Actor) ([]Event, error) {
	if o.cfg.Service(service) == nil {
		return nil, ErrUnknownService.withf("unknown service %q", service)
	}
	if o.locks[service] == nil {
		return nil, ErrNotLocked.withf("%q is not locked", service)
	}
	ev := o.event(now, EventServiceUnlocked, by)
	ev.Service = service
	return []Event{ev}, nil
}

// SetHallMessage shows text on the hall displays; an empty text clears it.
func (o *Office) SetHallMessage(now time.Time, text string, by Actor) ([]Event, error) {
	text = strings.TrimSpace(text)
	if err := checkText("the hall message", text, maxMessage); err != nil {
		return nil, err
	}
	if text == o.message {
		return nil, nil // already shown: nothing changes
	}
	ev := o.event(now, EventHallMessage, by)
	ev.Message = text
	return []Event{ev}, nil
}

// LogContact records a simple-information contact handled without a ticket
// (a question answered, a form handed out), about a service or none.
func (o *Office) LogContact(now time.Time, service, topic string, by Actor) ([]Event, error) {
	if service != "" && o.cfg.Service(service) == nil {
		return nil, ErrUnknownService.withf("unknown service %q", service)
	}
	topic = strings.TrimSpace(topic)
	if err := checkText("the topic", topic, maxTopic); err != nil {
		return nil, err
	}
	ev := o.event(now, EventContactLogged, by)
	ev.Service, ev.Message = service, topic
	return []Event{ev}, nil
}
