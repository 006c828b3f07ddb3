package queue

import "time"

// The types in this file travel between the server and its clients (the
// apps, the phone page, the tests): one definition for both sides.

// PublicTicket is what anyone holding a ticket's id sees (the QR code's
// page): no clerk, notes, case reference or document.
type PublicTicket struct {
	ID            string     `json:"id"`
	Number        string     `json:"number"`
	Day           string     `json:"day"`
	Service       string     `json:"service"`
	ServiceNameIT string     `json:"service_name_it"`
	ServiceNameEN string     `json:"service_name_en"`
	Status        Status     `json:"status"`
	Priority      bool       `json:"priority,omitempty"`
	IssuedAt      time.Time  `json:"issued_at"`
	CalledAt      *time.Time `json:"called_at,omitempty"`
	Counter       string     `json:"counter,omitempty"`
	CounterName   string     `json:"counter_name,omitempty"`
	Recalls       int        `json:"recalls,omitempty"`
	Protocol      string     `json:"protocol,omitempty"`
	// Ahead and the wait are set while the ticket waits; Readable is the
	// wait as the page says it (about N, or between L and H minutes).
	Ahead *int `json:"ahead,omitempty"`
	*Wait
	Readable *ReadableWait `json:"wait_readable,omitempty"`
	// Ratable says the citizen may rate the ticket now (finished today, not
	// yet rated); Rated that they have.
	Ratable bool `json:"ratable,omitempty"`
	Rated   bool `json:"rated,omitempty"`
}

// PublicView returns the public view of a ticket at now. o may hold another
// day than the ticket's (a past day's ticket has no position).
func PublicView(cfg *Config, o *Office, t *Ticket, now time.Time) PublicTicket {
	v := PublicTicket{ID: t.ID, Number: t.Number, Day: t.Day, Service: t.Service, Status: t.Status, Priority: t.Priority,
		IssuedAt: t.IssuedAt, CalledAt: t.CalledAt, Recalls: t.Recalls, Protocol: t.Protocol}
	if svc := cfg.Service(t.Service); svc != nil {
		v.ServiceNameIT, v.ServiceNameEN = svc.NameIT, svc.NameEN
	}
	if t.Status == StatusCalled || t.Status == StatusServing {
		v.Counter = t.Counter
		if k := cfg.Counter(t.Counter); k != nil {
			v.CounterName = k.Name
		}
	}
	if o != nil && o.Day() == t.Day {
		v.Rated = o.Rated(t.ID)
		v.Ratable = t.Status == StatusDone && !v.Rated
		if pos, ok := o.PositionAt(now, t); ok {
			w, r := pos.Wait, pos.Wait.Readable()
			v.Ahead, v.Wait, v.Readable = &pos.Ahead, &w, &r
		}
	}
	return v
}

// Result answers a counter or ticket command: the ticket and the counter it
// touched, as they stand once the command is applied.
type Result struct {
	Ticket  *TicketView `json:"ticket,omitempty"`
	Counter *Counter    `json:"counter,omitempty"`
}

// DayTickets is a page of a day's tickets in issue order, read on demand
// (GET /api/v1/tickets): views carry only the open tickets and the latest
// closed ones (Recent).
type DayTickets struct {
	Day     string   `json:"day"`
	Tickets []Ticket `json:"tickets"`
	// Next is the cursor of the next page (after=Next); absent on the last.
	Next uint64 `json:"next,omitempty"`
}

// Stream frame types, server to client.
const (
	FrameSnapshot = "snapshot" // the whole view at Seq: start over from it
	FrameEvent    = "event"    // one committed event
	FrameStats    = "stats"    // fresh views of some services (waiting, estimates, state)
	FrameTicket   = "ticket"   // a phone's own ticket, with its position
	FrameError    = "error"    // the subscription was refused; the server closes
	FramePresence = "presence" // which kiosks and displays are connected (supervisors)
)

// Frame is one message of the live stream, one JSON object per websocket
// frame. Seq is a promise: every event up to Seq that the subscriber may see
// has been sent, so a client resumes from the highest Seq it received.
type Frame struct {
	Type     string        `json:"type"`
	Seq      uint64        `json:"seq"`
	Snapshot *Snapshot     `json:"snapshot,omitempty"`
	Event    *Event        `json:"event,omitempty"`
	Services []ServiceView `json:"services,omitempty"`
	// Positions are the forecast places of waiting tickets, by id, in a
	// stats frame to views that hold tickets (supervisors, a clerk's).
	Positions map[string]Position `json:"positions,omitempty"`
	Ticket    *PublicTicket       `json:"ticket,omitempty"`
	Error     *WireError          `json:"error,omitempty"`
	Devices   []DeviceStatus      `json:"devices,omitempty"`
}

// DeviceStatus says whether a configured kiosk or display is connected to
// the live stream: a hall screen or a kiosk that dropped off is a problem
// the floor assistant must see.
type DeviceStatus struct {
	ID     string `json:"id"`
	Role   string `json:"role"`
	Online bool   `json:"online"`
	// Since is when it connected or went offline; nil when it has not been
	// seen since the server started.
	Since *time.Time `json:"since,omitempty"`
}

// WireError is the API's error body: {"error":{"code","message"}}.
type WireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Subscribe is the first message a stream client sends: who it is (a token,
// unless the Authorization header carried one; none for a phone), what it
// follows (a counter's view for a clerk, one ticket for a phone) and the last
// Seq it saw (0: start with a snapshot).
type Subscribe struct {
	Token   string `json:"token,omitempty"`
	Since   uint64 `json:"since,omitempty"`
	Counter string `json:"counter,omitempty"`
	Ticket  string `json:"ticket,omitempty"`
}
