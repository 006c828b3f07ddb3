package client

import (
	"fmt"
	"maps"
	"slices"

	"turno/server/queue"
)

// Model is the office as the stream has shown it: the last snapshot with
// every later event applied. Stream.Model returns a copy the caller owns.
type Model struct {
	// Snapshot holds Seq (the highest sequence received), the office, the
	// business day, At (the time of the last change), the services, the
	// counters and the tickets a live view holds: today's open ones and
	// each service's latest closed ones (queue.Recent), in the order they
	// entered the view; waiting tickets carry their position. The day's
	// other tickets are read on demand (Client.DayTickets).
	queue.Snapshot
	// Ticket is the followed ticket's public view, when the stream follows
	// one (StreamOptions.Ticket).
	Ticket *queue.PublicTicket
	// Devices are the configured kiosks and displays and whether each is
	// connected (supervisors' streams only).
	Devices []queue.DeviceStatus
}

// Service returns a service's view, or nil.
func (m Model) Service(id string) *queue.ServiceView {
	for i := range m.Services {
		if m.Services[i].ID == id {
			return &m.Services[i]
		}
	}
	return nil
}

// Counter returns a counter, or nil.
func (m Model) Counter(id string) *queue.Counter {
	for i := range m.Counters {
		if m.Counters[i].ID == id {
			return &m.Counters[i]
		}
	}
	return nil
}

// FindTicket returns today's ticket by id or number, or nil.
func (m Model) FindTicket(ref string) *queue.TicketView {
	for i := range m.Tickets {
		if m.Tickets[i].ID == ref || m.Tickets[i].Number == ref {
			return &m.Tickets[i]
		}
	}
	return nil
}

// Waiting returns the waiting tickets of a service in call order: priority
// first, then by arrival.
func (m Model) Waiting(service string) []queue.TicketView {
	var w []queue.TicketView
	for _, t := range m.Tickets {
		if t.Status == queue.StatusWaiting && t.Service == service {
			w = append(w, t)
		}
	}
	slices.SortStableFunc(w, func(a, b queue.TicketView) int { return callOrder(&a.Ticket, &b.Ticket) })
	return w
}

// clone returns a deep copy: the stream keeps changing its own model while
// the app reads the copy from another goroutine. Pointers to values that
// the model replaces rather than modifies (times, locks, refusals) are shared.
func (m *Model) clone() Model {
	c := *m
	c.Services = slices.Clone(m.Services)
	for i := range c.Services {
		c.Services[i].Stats.ByRule = maps.Clone(c.Services[i].Stats.ByRule)
	}
	c.Counters = slices.Clone(m.Counters)
	for i := range c.Counters {
		c.Counters[i].Services = slices.Clone(c.Counters[i].Services)
		c.Counters[i].MayServe = slices.Clone(c.Counters[i].MayServe)
	}
	c.Devices = slices.Clone(m.Devices)
	c.Bookings = slices.Clone(m.Bookings)
	c.Tickets = slices.Clone(m.Tickets)
	for i := range c.Tickets {
		if p := c.Tickets[i].Position; p != nil {
			pp := *p
			c.Tickets[i].Position = &pp
		}
		c.Tickets[i].FromServices = slices.Clone(c.Tickets[i].FromServices)
	}
	if m.Ticket != nil {
		t := *m.Ticket
		c.Ticket = &t
	}
	return c
}

// model is the stream's working copy with its indexes.
type model struct {
	Model
	synced bool // a snapshot has been received
	// clerk is set for a counter's view, which holds only that counter
	// and its services' tickets; full is set when the view holds every
	// counter and ticket (not a clerk's, nor a kiosk's, which holds none).
	clerk, full bool
	index       map[string]int // ticket id -> index in Tickets
	// recent decides which closed tickets the model keeps, as the server
	// does for its snapshots: a screen that runs all day holds what a
	// fresh one would, not the whole day.
	recent queue.Recent
	// placed holds the server's forecast positions of waiting tickets.
	placed map[string]queue.Position
	// announced is each numerator's state as last told by the server
	// (snapshot, stats or service events), to restore it when a lock ends.
	announced map[string]announcement
}

type announcement struct {
	status  string
	refusal *queue.Refusal
}

func newModel() *model {
	return &model{index: map[string]int{}, announced: map[string]announcement{}, placed: map[string]queue.Position{}}
}

// apply installs one frame and returns the events it applied. Frames older
// than what the model holds (a resumed stream repeating itself) change
// nothing.
func (m *model) apply(f *queue.Frame) (applied []queue.Event, changed bool) {
	switch f.Type {
	case queue.FrameSnapshot:
		if f.Snapshot == nil {
			return nil, false
		}
		m.reset(f.Snapshot)
		m.Seq = max(f.Seq, f.Snapshot.Seq)
		return nil, true
	case queue.FrameEvent:
		if f.Event == nil || !m.synced || f.Event.Seq <= m.Seq {
			m.Seq = max(m.Seq, f.Seq)
			return nil, false
		}
		m.event(f.Event)
		m.Seq = max(f.Seq, f.Event.Seq)
		m.positions()
		return []queue.Event{*f.Event}, true
	case queue.FrameStats:
		for _, v := range f.Services {
			m.serviceView(v)
		}
		for id, p := range f.Positions {
			m.placed[id] = p
		}
		m.Seq = max(m.Seq, f.Seq)
		m.positions()
		return nil, len(f.Services) > 0
	case queue.FramePresence:
		m.Devices = slices.Clone(f.Devices)
		return nil, true
	case queue.FrameTicket:
		if f.Ticket == nil {
			return nil, false
		}
		t := *f.Ticket
		m.Ticket = &t
		m.Seq = max(m.Seq, f.Seq)
		return nil, true
	}
	return nil, false
}

func (m *model) reset(s *queue.Snapshot) {
	ticket, devices := m.Ticket, m.Devices
	m.Model = Model{Snapshot: *s, Ticket: ticket, Devices: devices}
	m.synced = true
	m.full = !m.clerk && len(s.Counters) > 0 && !s.WaitingOmitted
	m.placed = map[string]queue.Position{}
	m.recent = queue.Recent{}
	// Tickets is the snapshot's own slice: the model changes it in place.
	m.Tickets = slices.Clone(s.Tickets)
	var gone []string
	for _, t := range m.Tickets {
		gone = append(gone, m.recent.Note(&t.Ticket)...)
		if t.Position != nil {
			m.placed[t.ID] = *t.Position
		}
	}
	// A server older than queue.Recent sends the whole day.
	m.index = nil
	m.forget(gone)
	m.announced = map[string]announcement{}
	for _, v := range s.Services {
		m.learn(v)
	}
}

// serviceView replaces a service's view with a fresh one from the server.
func (m *model) serviceView(v queue.ServiceView) {
	m.learn(v)
	for i := range m.Services {
		if m.Services[i].ID == v.ID {
			m.Services[i] = v
			return
		}
	}
	m.Services = append(m.Services, v)
}

// learn records what a server's view of a service tells beyond itself.
func (m *model) learn(v queue.ServiceView) {
	if v.Status != queue.ServiceLocked {
		m.announced[v.ID] = announcement{v.Status, v.Refusal}
	}
}

func (m *model) event(ev *queue.Event) {
	m.At = ev.At
	if ev.Type == queue.EventDayRollover {
		m.rollover(ev.Day)
	}
	sv := m.Service(ev.Service)
	switch ev.Type {
	case queue.EventServiceLocked:
		if sv != nil && ev.Lock != nil {
			sv.Lock, sv.Status = ev.Lock, queue.ServiceLocked
			sv.Refusal = &queue.Refusal{Rule: queue.RuleLocked, Service: sv.ID, Appointment: sv.Appointments,
				Message: fmt.Sprintf("Tickets for %s are suspended: %s.", sv.NameEN, ev.Lock.Reason)}
		}
	case queue.EventServiceUnlocked:
		if sv != nil {
			a, ok := m.announced[sv.ID]
			if !ok {
				a.status = queue.ServiceOpen
			}
			sv.Lock, sv.Status, sv.Refusal = nil, a.status, a.refusal
		}
	case queue.EventServiceCutoff, queue.EventServiceClosed, queue.EventServiceReopened:
		status := map[string]string{queue.EventServiceCutoff: queue.ServiceCutoff, queue.EventServiceClosed: queue.ServiceClosed, queue.EventServiceReopened: queue.ServiceOpen}[ev.Type]
		m.announced[ev.Service] = announcement{status, ev.Refusal}
		if sv != nil && sv.Status != queue.ServiceLocked {
			sv.Status, sv.Refusal = status, ev.Refusal
		}
	case queue.EventHallMessage:
		m.HallMessage = ev.Message
	case queue.EventContactLogged:
		m.Contacts++
		if sv != nil {
			sv.Stats.Contacts++
		}
	case queue.EventServiceTurnaway:
		if sv != nil && ev.Refusal != nil {
			sv.Stats.Turnaways++
			byRule := maps.Clone(sv.Stats.ByRule)
			if byRule == nil {
				byRule = map[string]int{}
			}
			byRule[ev.Refusal.Rule]++
			sv.Stats.ByRule = byRule
		}
	}
	if ev.Booking != nil {
		m.booking(*ev.Booking)
	}
	if ev.Ticket != nil {
		m.ticket(ev)
	}
	if ev.Counter != nil {
		c := *ev.Counter
		if old := m.Counter(c.ID); old != nil {
			*old = c
		} else {
			m.Counters = append(m.Counters, c)
		}
	}
}

// booking keeps today's bookings in slot order: a booking made or moved
// for another day leaves them.
func (m *model) booking(b queue.Booking) {
	i := slices.IndexFunc(m.Bookings, func(x queue.Booking) bool { return x.ID == b.ID })
	switch {
	case b.Day != m.Day:
		if i >= 0 {
			m.Bookings = slices.Delete(m.Bookings, i, i+1)
		}
		return
	case i >= 0:
		m.Bookings[i] = b
	default:
		m.Bookings = append(m.Bookings, b)
	}
	slices.SortStableFunc(m.Bookings, func(a, b queue.Booking) int { return a.Slot.Compare(b.Slot) })
}

// rollover starts a new business day: no tickets, every counter closed,
// numerators unlocked, counts at zero.
func (m *model) rollover(day string) {
	m.Day = day
	m.Tickets = nil
	m.Bookings = nil // the server follows with a snapshot holding the new day's
	m.HallMessage, m.Contacts = "", 0
	m.index = map[string]int{}
	m.recent = queue.Recent{}
	m.placed = map[string]queue.Position{}
	for i, c := range m.Counters {
		m.Counters[i] = queue.Counter{ID: c.ID, Name: c.Name, Lane: c.Lane, State: queue.CounterClosed, MayServe: c.MayServe}
	}
	for i := range m.Services {
		sv := &m.Services[i]
		sv.Waiting, sv.OldestWait, sv.Stats = 0, 0, queue.ServiceStats{}
		if sv.Lock != nil {
			sv.Lock, sv.Status, sv.Refusal = nil, queue.ServiceOpen, nil
		}
	}
}

// ticket replaces a ticket by the version the event carries, and counts
// the event as the server does.
func (m *model) ticket(ev *queue.Event) {
	t := *ev.Ticket
	delete(m.placed, t.ID) // placed again by the next stats frame
	if i, ok := m.index[t.ID]; m.WaitingOmitted && t.Status == queue.StatusWaiting {
		// A hall display's view holds no waiting tickets: one issued, put
		// back in the queue or transferred leaves it, as a fresh
		// snapshot would not hold it either.
		if ok {
			m.forget([]string{t.ID})
		}
	} else if ok {
		m.Tickets[i] = queue.TicketView{Ticket: t}
	} else {
		m.index[t.ID] = len(m.Tickets)
		m.Tickets = append(m.Tickets, queue.TicketView{Ticket: t})
	}
	gone := m.recent.Note(&t)
	if !m.recent.Shown(&t) {
		gone = append(gone, t.ID)
	}
	m.forget(gone)
	sv := m.Service(t.Service)
	if sv == nil {
		return
	}
	st := &sv.Stats
	switch ev.Type {
	case queue.EventTicketIssued:
		st.Issued++
	case queue.EventTicketFinished:
		st.Served++
		if t.Outcome == queue.OutcomeForwarded {
			st.Forwarded++
		} else {
			st.Resolved++
		}
	case queue.EventTicketNoShow:
		st.NoShows++
	case queue.EventTicketReactivated:
		st.Reactivated++
	case queue.EventTicketTransferred:
		st.Transferred++
	}
}

// forget drops closed tickets that left the view, and indexes the rest.
func (m *model) forget(ids []string) {
	if len(ids) > 0 {
		m.Tickets = slices.DeleteFunc(m.Tickets, func(t queue.TicketView) bool { return slices.Contains(ids, t.ID) })
		for _, id := range ids {
			delete(m.placed, id)
		}
	} else if m.index != nil {
		return
	}
	m.index = make(map[string]int, len(m.Tickets))
	for i, t := range m.Tickets {
		m.index[t.ID] = i
	}
}

// callOrder orders waiting tickets as the server calls them within a
// service.
func callOrder(a, b *queue.Ticket) int {
	switch {
	case queue.CalledBefore(a, b):
		return -1
	case queue.CalledBefore(b, a):
		return 1
	}
	return 0
}

// positions sets every waiting ticket's place: the server's forecast from
// the last stats frame (Positions), or, for a ticket the server has not
// placed yet, its place in its service's order (queue.CalledBefore) with the
// wait the service promised to a new ticket. A full view also recounts each
// service's waiting tickets; a partial view (a clerk's, a kiosk's) waits for
// the stats frame, since it does not hold every ticket.
func (m *model) positions() {
	waiting := map[string][]int{}
	for i := range m.Tickets {
		t := &m.Tickets[i]
		t.Position = nil
		if t.Status == queue.StatusWaiting {
			waiting[t.Service] = append(waiting[t.Service], i)
		}
	}
	for i := range m.Services {
		sv := &m.Services[i]
		q := waiting[sv.ID]
		slices.SortStableFunc(q, func(a, b int) int { return callOrder(&m.Tickets[a].Ticket, &m.Tickets[b].Ticket) })
		for ahead, idx := range q {
			t := &m.Tickets[idx]
			p, ok := m.placed[t.ID]
			if !ok {
				p = queue.Position{Ahead: ahead, Wait: sv.Wait}
			}
			t.Position = &p
		}
		if m.full {
			sv.Waiting = len(q)
		}
	}
}
