package queue

import (
	"fmt"
	"time"
)

// Kind classifies an error for the transports (HTTP status, app message).
type Kind int

// Error kinds.
const (
	KindInvalid   Kind = iota + 1 // the request is malformed or inconsistent
	KindNotFound                  // it names something that does not exist
	KindConflict                  // the office's state does not allow it now
	KindForbidden                 // the caller may not do it
)

// Error is a refusal of a command; it changes nothing. Code is stable and
// machine-readable, Message is for people.
type Error struct {
	Code    string
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return e.Message }

// Is matches errors by code, so callers can test errors.Is(err, ErrQueueEmpty)
// on an error carrying a more specific message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func (e *Error) withf(format string, args ...any) *Error {
	return &Error{Code: e.Code, Kind: e.Kind, Message: fmt.Sprintf(format, args...)}
}

// Errors returned by commands.
var (
	ErrInvalid           = &Error{Code: "invalid", Kind: KindInvalid, Message: "invalid request"}
	ErrUnknownService    = &Error{Code: "unknown_service", Kind: KindNotFound, Message: "unknown service"}
	ErrUnknownCounter    = &Error{Code: "unknown_counter", Kind: KindNotFound, Message: "unknown counter"}
	ErrUnknownTicket     = &Error{Code: "unknown_ticket", Kind: KindNotFound, Message: "unknown ticket"}
	ErrCounterClosed     = &Error{Code: "counter_closed", Kind: KindConflict, Message: "the counter is closed"}
	ErrCounterPaused     = &Error{Code: "counter_paused", Kind: KindConflict, Message: "the counter is paused"}
	ErrCounterOpen       = &Error{Code: "counter_open", Kind: KindConflict, Message: "the counter is already open"}
	ErrCounterBusy       = &Error{Code: "counter_busy", Kind: KindConflict, Message: "the counter has a ticket in progress"}
	ErrNoCurrentTicket   = &Error{Code: "no_current_ticket", Kind: KindConflict, Message: "the counter has no ticket in progress"}
	ErrQueueEmpty        = &Error{Code: "queue_empty", Kind: KindConflict, Message: "nobody is waiting for this counter's services"}
	ErrIllegalTransition = &Error{Code: "illegal_transition", Kind: KindConflict, Message: "the ticket cannot do that in its current state"}
	ErrNotFastTrack      = &Error{Code: "not_fasttrack", Kind: KindConflict, Message: "documents are registered only at fast-track counters"}
	ErrAlreadyRegistered = &Error{Code: "already_registered", Kind: KindConflict, Message: "the ticket's document is already registered"}
	ErrReactivateExpired = &Error{Code: "reactivate_expired", Kind: KindConflict, Message: "the no-show is too old to be reactivated"}
	ErrNotYourCounter    = &Error{Code: "not_your_counter", Kind: KindForbidden, Message: "the counter is open for another clerk"}
	ErrServiceNotServed  = &Error{Code: "service_not_served", Kind: KindInvalid, Message: "the counter may not serve that service"}
	ErrNotLocked         = &Error{Code: "not_locked", Kind: KindConflict, Message: "the numerator is not locked"}
	ErrAlreadyLocked     = &Error{Code: "already_locked", Kind: KindConflict, Message: "the numerator is already locked"}
	ErrNotBookable       = &Error{Code: "not_bookable", Kind: KindInvalid, Message: "the service cannot be booked"}
	ErrNoSuchSlot        = &Error{Code: "no_such_slot", Kind: KindInvalid, Message: "not a slot of the agenda"}
	ErrSlotPast          = &Error{Code: "slot_past", Kind: KindConflict, Message: "the slot has begun"}
	ErrSlotTooSoon       = &Error{Code: "slot_too_soon", Kind: KindConflict, Message: "the slot is too soon to book"}
	ErrSlotTooFar        = &Error{Code: "slot_too_far", Kind: KindConflict, Message: "the slot is beyond the booking horizon"}
	ErrSlotFull          = &Error{Code: "slot_full", Kind: KindConflict, Message: "the slot is taken"}
	ErrBookingLimit      = &Error{Code: "booking_limit", Kind: KindConflict, Message: "too many bookings for this contact"}
	ErrUnknownBooking    = &Error{Code: "unknown_booking", Kind: KindNotFound, Message: "unknown booking"}
	ErrBookingState      = &Error{Code: "booking_state", Kind: KindConflict, Message: "the booking cannot do that in its current state"}
	ErrInvalidScore      = &Error{Code: "invalid_score", Kind: KindInvalid, Message: "a rating is a whole number from 1 to 5"}
	ErrNotFinished       = &Error{Code: "not_finished", Kind: KindConflict, Message: "only a finished ticket can be rated"}
	ErrAlreadyRated      = &Error{Code: "already_rated", Kind: KindConflict, Message: "the ticket has already been rated"}
	ErrNotLastFinished   = &Error{Code: "not_last_finished", Kind: KindConflict, Message: "a rating pad rates only the last ticket finished at its counter"}
	// ErrIdempotencyConflict is a retried request whose key was used by a
	// different request.
	ErrIdempotencyConflict = &Error{Code: "idempotency_conflict", Kind: KindConflict, Message: "the idempotency key was used for another request"}
)

// Refusal rules: why a numerator does not issue a ticket.
const (
	RuleClosed     = "closed"
	RuleCutoffTime = "cutoff_time"
	RuleCutoffLoad = "cutoff_load"
	RuleLocked     = "locked"
	RuleDailyCap   = "daily_cap"
)

// Refusal is a ticket the numerator would not issue. It is an error for the
// caller and an event for the office: turn-aways are demand and are counted.
type Refusal struct {
	Rule    string `json:"rule"`
	Service string `json:"service"`
	// ReopensAt is when the service issues tickets again, if known.
	ReopensAt *time.Time `json:"reopens_at,omitempty"`
	// Appointment says whether the service can be booked instead.
	Appointment bool   `json:"appointment"`
	Message     string `json:"message"`
}

func (r *Refusal) Error() string { return r.Message }
