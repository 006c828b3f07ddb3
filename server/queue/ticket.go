package queue

import "time"

// Status is where a ticket stands.
type Status string

// Ticket statuses. A waiting ticket is in its service's queue; called and
// serving tickets belong to a counter; done, noshow and expired are final
// (a no-show can be reactivated within the rules' window).
const (
	StatusWaiting Status = "waiting"
	StatusCalled  Status = "called"
	StatusServing Status = "serving"
	StatusDone    Status = "done"
	StatusNoShow  Status = "noshow"
	StatusExpired Status = "expired" // still waiting when the business day ended
)

// Outcome is how a served ticket ended.
type Outcome string

// Outcomes of a finished ticket.
const (
	OutcomeResolved  Outcome = "resolved"  // resolved at the desk
	OutcomeForwarded Outcome = "forwarded" // forwarded to the back office
)

// Ticket is one citizen's place in a queue.
type Ticket struct {
	ID       string `json:"id"`     // unguessable; the QR code's link
	Number   string `json:"number"` // prefix + 3 digits, e.g. A012
	Seq      int    `json:"seq"`    // the number's position in the service's day
	Service  string `json:"service"`
	Day      string `json:"day"` // business day, 2006-01-02 in the office's zone
	Priority bool   `json:"priority"`
	Status   Status `json:"status"`
	// Channel says who issued it: a kiosk's id, or the floor assistant.
	Channel  string    `json:"channel,omitempty"`
	IssuedAt time.Time `json:"issued_at"`
	// QueuedAt is the arrival time the call order uses: the issue time, kept
	// across transfers and reactivation unless the ticket is sent to the back.
	QueuedAt time.Time  `json:"queued_at"`
	CalledAt *time.Time `json:"called_at,omitempty"`
	// RecalledAt is the last recall: the hall board announces it again as
	// the newest call.
	RecalledAt *time.Time `json:"recalled_at,omitempty"`
	ServingAt  *time.Time `json:"serving_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	NoShowAt   *time.Time `json:"noshow_at,omitempty"`
	Counter    string     `json:"counter,omitempty"` // the counter that called it last
	Clerk      string     `json:"clerk,omitempty"`
	Recalls    int        `json:"recalls,omitempty"`
	Calls      int        `json:"calls,omitempty"` // times called, reactivations included
	Outcome    Outcome    `json:"outcome,omitempty"`
	CaseRef    string     `json:"case_ref,omitempty"`
	Note       string     `json:"note,omitempty"`
	// FromServices lists the services it was transferred from, oldest first.
	FromServices []string   `json:"from_services,omitempty"`
	Protocol     string     `json:"protocol,omitempty"` // e.g. 2026/000123
	Document     string     `json:"document,omitempty"`
	RegisteredAt *time.Time `json:"registered_at,omitempty"`
	// IdempotencyKey is the issuing request's key, scoped by the caller.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// Due is an appointment's slot: the ticket of a booked citizen who
	// checked in, called from then before the walk-ins. Booking is its
	// booking's id (the citizen's name and note stay in the booking).
	Due     *time.Time `json:"due,omitempty"`
	Booking string     `json:"booking,omitempty"`
	// Promise is the wait the ticket was told at issue (printed, shown on
	// the kiosk and the phone): the reports weigh it against the wait that
	// followed. Appointment tickets have none: they are called at their slot.
	Promise *Wait `json:"promise,omitempty"`
}

// Appointment reports whether the ticket is a booked citizen's.
func (t *Ticket) Appointment() bool { return t.Due != nil }

// CounterState is whether a counter is staffed.
type CounterState string

// Counter states.
const (
	CounterClosed CounterState = "closed"
	CounterOpen   CounterState = "open"
	CounterPaused CounterState = "paused"
)

// Counter is a counter's state during the day.
type Counter struct {
	ID    string       `json:"id"`
	Name  string       `json:"name"`
	Lane  Lane         `json:"lane"`
	State CounterState `json:"state"`
	// Services are the services chosen when it opened, in call-order
	// tie-break order; a subset of MayServe.
	Services []string `json:"services"`
	// MayServe are the services the configuration lets it serve, for the
	// clerk who chooses among them.
	MayServe []string `json:"may_serve"`
	Clerk    string   `json:"clerk,omitempty"`
	// Current is the ticket called or being served here.
	Current  string     `json:"current,omitempty"`
	OpenedAt *time.Time `json:"opened_at,omitempty"`
	PausedAt *time.Time `json:"paused_at,omitempty"`
	// IdleSince is when the counter last became free to call.
	IdleSince *time.Time `json:"idle_since,omitempty"`
	// PriorityStreak counts priority tickets called in a row here while
	// walk-ins were waiting for this counter.
	PriorityStreak int `json:"priority_streak,omitempty"`
	// ClosedAt is when it was last closed today: the forecast then trusts
	// that over the staffing plan.
	ClosedAt *time.Time `json:"closed_at,omitempty"`
}

// Lock is a numerator locked by hand.
type Lock struct {
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Event types. Ticket events carry the ticket after the change, counter
// events the counter after the change.
const (
	EventTicketIssued      = "ticket.issued"
	EventTicketCalled      = "ticket.called"
	EventTicketRecalled    = "ticket.recalled"
	EventTicketServing     = "ticket.serving"
	EventTicketFinished    = "ticket.finished"
	EventTicketTransferred = "ticket.transferred"
	EventTicketNoShow      = "ticket.noshow"
	EventTicketReactivated = "ticket.reactivated"
	EventTicketRegistered  = "ticket.registered"
	EventTicketRequeued    = "ticket.requeued" // its counter closed before serving it
	EventTicketExpired     = "ticket.expired"
	EventCounterOpened     = "counter.opened"
	EventCounterPaused     = "counter.paused"
	EventCounterResumed    = "counter.resumed"
	EventCounterClosed     = "counter.closed"
	EventServiceLocked     = "service.locked"
	EventServiceUnlocked   = "service.unlocked"
	EventServiceTurnaway   = "service.turnaway" // a ticket refused by a rule
	// The numerator's state changed by itself (time, load, daily cap):
	// announced so that kiosks and displays follow without polling.
	EventServiceCutoff   = "service.cutoff" // Refusal says which rule and when it reopens
	EventServiceClosed   = "service.closed"
	EventServiceReopened = "service.reopened"
	EventDayRollover     = "day.rollover"
	// The floor assistant's work: the hall display's message, and the
	// simple-information contacts that never become a ticket but are the
	// front desk's work all the same.
	EventHallMessage   = "hall.message" // Message is the new text; "" clears it
	EventContactLogged = "contact.logged"
)

// Event is one committed change to the office. Seq is the office's global
// sequence number, gapless and increasing across days.
type Event struct {
	Seq     uint64    `json:"seq"`
	Type    string    `json:"type"`
	At      time.Time `json:"at"`
	Day     string    `json:"day"`
	Actor   string    `json:"actor,omitempty"`
	Ticket  *Ticket   `json:"ticket,omitempty"`
	Counter *Counter  `json:"counter,omitempty"`
	Service string    `json:"service,omitempty"`
	Lock    *Lock     `json:"lock,omitempty"`
	Refusal *Refusal  `json:"refusal,omitempty"`
	// Protocol is set on ticket.registered: the year and its sequence.
	Protocol *ProtocolNumber `json:"protocol,omitempty"`
	// Message is the hall message (hall.message) or a contact's topic
	// (contact.logged).
	Message string `json:"message,omitempty"`
	// Booking is the booking after the change (booking.* events).
	Booking *Booking `json:"booking,omitempty"`
	// Rating is a citizen's rating (ticket.rated).
	Rating *Rating `json:"rating,omitempty"`
	// Config is the new version of the configuration (config.changed).
	Config *ConfigChange `json:"config,omitempty"`
}

// ProtocolNumber is a document's registration number, sequential per year.
type ProtocolNumber struct {
	Year int `json:"year"`
	Seq  int `json:"seq"`
}
