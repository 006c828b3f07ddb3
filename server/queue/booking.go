package queue

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// BookRequest asks for an appointment.
type BookRequest struct {
	Service string
	Slot    time.Time
	Name    string
	Contact string // optional: an e-mail address or a phone number
	Note    string
	Channel string // ChannelWeb, ChannelPhone, ChannelCounter or ChannelKiosk
	// Staff books on a citizen's behalf (phone, counter): any slot not yet
	// begun, notice or not.
	Staff bool
	// Key makes a retried request return the same booking; the caller
	// scopes it.
	Key string
}

// text checks a free-text field: valid UTF-8, at most max characters,
// trimmed.
func text(field, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", ErrInvalid.withf("%s is not valid text", field)
	}
	if n := utf8.RuneCountInString(s); n > max || (required && n == 0) {
		if required {
			return "", ErrInvalid.withf("%s must be 1 to %d characters", field, max)
		}
		return "", ErrInvalid.withf("%s must be at most %d characters", field, max)
	}
	return s, nil
}

// Book holds a place in a slot of a bookable service. A slot is never
// overbooked: the check and the booking happen in one command, and commands
// run one at a time. A known key returns the booking made before and no
// events.
func (o *Office) Book(now time.Time, req BookRequest, by Actor) ([]Event, *Booking, error) {
	s := o.cfg.Service(req.Service)
	if s == nil {
		return nil, nil, ErrUnknownService.withf("unknown service %q", req.Service)
	}
	if s.Agenda == nil {
		return nil, nil, ErrNotBookable.withf("%s cannot be booked by appointment", s.Name("en"))
	}
	if !utf8.ValidString(req.Key) || utf8.RuneCountInString(req.Key) > maxKey {
		return nil, nil, ErrInvalid.withf("idempotency key must be valid text of at most %d characters", maxKey)
	}
	if b := o.agenda.byKey[req.Key]; req.Key != "" && b != nil {
		if b.Service != req.Service || !b.Slot.Equal(req.Slot) {
			return nil, nil, ErrIdempotencyConflict.withf("idempotency key already used for another booking")
		}
		return nil, b, nil
	}
	switch req.Channel {
	case ChannelWeb, ChannelKiosk:
		req.Staff = false
	case ChannelPhone, ChannelCounter:
	default:
		return nil, nil, ErrInvalid.withf("channel %q must be web, phone, counter or kiosk", req.Channel)
	}
	name, err := text("the name", req.Name, MaxBookingName, true)
	if err != nil {
		return nil, nil, err
	}
	note, err := text("the note", req.Note, MaxBookingNote, false)
	if err != nil {
		return nil, nil, err
	}
	contact, ok := NormalizeContact(req.Contact)
	if !ok {
		return nil, nil, ErrInvalid.withf("the contact must be an e-mail address or a phone number")
	}
	sp, ok := o.isSlot(s, req.Slot)
	if !ok {
		return nil, nil, ErrNoSuchSlot.withf("%s is not a slot of the %s agenda", req.Slot.In(o.cfg.Location).Format("15:04 on Monday 2 January 2006"), s.Name("en"))
	}
	if err := o.bookable(now, s, sp.Open, req.Staff); err != nil {
		return nil, nil, err
	}
	if o.agenda.taken[slotKey{s.ID, sp.Open.Unix()}] >= s.Agenda.PerSlot {
		return nil, nil, ErrSlotFull.withf("the slot at %s is taken: choose another", sp.Open.In(o.cfg.Location).Format("15:04 on Monday 2 January"))
	}
	if contact != "" {
		held := 0
		for _, b := range o.agenda.byID {
			if b.Service == s.ID && b.State == BookingBooked && b.Contact == contact && b.Slot.After(now) {
				held++
			}
		}
		if held >= s.Agenda.MaxPerContact {
			return nil, nil, ErrBookingLimit.withf("%s already holds %d booking(s) for %s: cancel one to book another", contact, held, s.Name("en"))
		}
	}
	code := o.NewCode()
	for o.agenda.byCode[code] != nil { // unlikely; never two alive with one code
		code = o.NewCode()
	}
	b := &Booking{
		ID: o.NewID(), Code: code, Service: s.ID, Day: o.cfg.Day(sp.Open), Slot: sp.Open, SlotEnd: sp.Close,
		Name: name, Contact: contact, Note: note, Channel: req.Channel, State: BookingBooked,
		CreatedAt: now, Key: req.Key,
	}
	if req.Staff {
		b.CreatedBy = by.Name
	}
	ev := o.event(now, EventBookingCreated, by)
	ev.Booking, ev.Service = b, s.ID
	return []Event{ev}, b, nil
}

// bookingFor finds a booking of today or ahead by id or code.
func (o *Office) bookingFor(ref string) (*Booking, error) {
	b := o.Booking(ref)
	if b == nil {
		return nil, ErrUnknownBooking.withf("no booking %q today or in the days ahead", ref)
	}
	return b, nil
}

// CancelBooking frees a booked slot at once. The citizen (through the
// booking's link) may cancel until the slot begins; staff until check-in.
func (o *Office) CancelBooking(now time.Time, ref string, citizen bool, by Actor) ([]Event, *Booking, error) {
	b, err := o.bookingFor(ref)
	if err != nil {
		return nil, nil, err
	}
	if b.State != BookingBooked {
		return nil, nil, ErrBookingState.withf("the booking %s is %s and can no longer be cancelled", FormatCode(b.Code), b.State)
	}
	if citizen && !b.Slot.After(now) {
		return nil, nil, ErrBookingState.withf("the appointment at %s has begun: ask at the desk", b.Slot.In(o.cfg.Location).Format("15:04"))
	}
	nb := *b
	nb.State = BookingCancelled
	nb.CancelledAt = &now
	nb.CancelledBy = by.Name
	if citizen {
		nb.CancelledBy = CancelledByCitizen
	}
	ev := o.event(now, EventBookingCancelled, by)
	ev.Booking, ev.Service = &nb, nb.Service
	return []Event{ev}, &nb, nil
}

// MoveBooking moves a booking to another free slot of its service, keeping
// its code and link.
func (o *Office) MoveBooking(now time.Time, ref string, slot time.Time, staff bool, by Actor) ([]Event, *Booking, error) {
	b, err := o.bookingFor(ref)
	if err != nil {
		return nil, nil, err
	}
	if b.State != BookingBooked {
		return nil, nil, ErrBookingState.withf("the booking %s is %s and can no longer be moved", FormatCode(b.Code), b.State)
	}
	s := o.cfg.Service(b.Service)
	if s == nil || s.Agenda == nil {
		return nil, nil, ErrNotBookable.withf("service %q no longer takes appointments", b.Service)
	}
	if slot.Equal(b.Slot) {
		return nil, nil, ErrInvalid.withf("the booking is already at that slot")
	}
	sp, ok := o.isSlot(s, slot)
	if !ok {
		return nil, nil, ErrNoSuchSlot.withf("%s is not a slot of the %s agenda", slot.In(o.cfg.Location).Format("15:04 on Monday 2 January 2006"), s.Name("en"))
	}
	if err := o.bookable(now, s, sp.Open, staff); err != nil {
		return nil, nil, err
	}
	if o.agenda.taken[slotKey{s.ID, sp.Open.Unix()}] >= s.Agenda.PerSlot {
		return nil, nil, ErrSlotFull.withf("the slot at %s is taken: choose another", sp.Open.In(o.cfg.Location).Format("15:04 on Monday 2 January"))
	}
	nb := *b
	nb.Slot, nb.SlotEnd, nb.Day = sp.Open, sp.Close, o.cfg.Day(sp.Open)
	nb.Moves++
	ev := o.event(now, EventBookingMoved, by)
	ev.Booking, ev.Service = &nb, nb.Service
	return []Event{ev}, &nb, nil
}

// CheckInRefusal is a check-in the office cannot take, with what the
// citizen should do: come back at ComeBackAt, or book NextSlot.
type CheckInRefusal struct {
	// Reason is one of the CheckIn... constants.
	Reason     string     `json:"reason"`
	Service    string     `json:"service,omitempty"`
	Slot       *time.Time `json:"slot,omitempty"`
	ComeBackAt *time.Time `json:"come_back_at,omitempty"`
	NextSlot   *time.Time `json:"next_slot,omitempty"`
	Message    string     `json:"message"`
}

func (r *CheckInRefusal) Error() string { return r.Message }

// Reasons a check-in is refused.
const (
	CheckInUnknown   = "unknown"   // no such code today or ahead
	CheckInNotToday  = "not_today" // the appointment is another day
	CheckInTooEarly  = "too_early" // before the window: come back
	CheckInTooLate   = "too_late"  // after the window, and the service asks to rebook
	CheckInCancelled = "cancelled" // the booking was cancelled
	CheckInServed    = "served"    // already checked in and served
)

// CheckIn turns a booking into its ticket when the citizen arrives, within
// the window around the slot: an appointment ticket (Agenda.Prefix), called
// at the slot before the walk-ins. After the window the citizen is served
// as a walk-in (a ticket in the queue from now, if the numerator issues) or
// asked to book again, as the service says. A second check-in brings back
// the same ticket while it is still to be served. Refusals are a
// *CheckInRefusal, or the numerator's *Refusal for a late walk-in.
func (o *Office) CheckIn(now time.Time, ref string, by Actor) ([]Event, *Ticket, *Booking, error) {
	b := o.Booking(ref)
	if b == nil {
		return nil, nil, nil, &CheckInRefusal{Reason: CheckInUnknown,
			Message: "This booking code is not known: check it on the confirmation, or ask the floor assistant."}
	}
	loc := o.cfg.Location
	s := o.cfg.Service(b.Service)
	slot := b.Slot
	refuse := func(reason, msg string) *CheckInRefusal {
		return &CheckInRefusal{Reason: reason, Service: b.Service, Slot: &slot, Message: msg}
	}
	switch b.State {
	case BookingCancelled:
		return nil, nil, nil, refuse(CheckInCancelled, "This booking was cancelled. Take a ticket, or book again.")
	case BookingCheckedIn:
		if t := o.tickets[b.Ticket]; t != nil && (t.Status == StatusWaiting || t.Status == StatusCalled) {
			return nil, t, b, nil
		}
		return nil, nil, nil, refuse(CheckInServed, "This booking has already been used today.")
	}
	if b.Day != o.day {
		return nil, nil, nil, refuse(CheckInNotToday, fmt.Sprintf("This appointment is on %s at %s, not today.",
			slot.In(loc).Format("Monday 2 January"), slot.In(loc).Format("15:04")))
	}
	if s == nil || s.Agenda == nil {
		return nil, nil, nil, refuse(CheckInCancelled, "This service no longer takes appointments: ask the floor assistant.")
	}
	if open := slot.Add(-s.Agenda.CheckInEarly); now.Before(open) {
		r := refuse(CheckInTooEarly, fmt.Sprintf("You are early: your appointment is at %s. Check in from %s.",
			slot.In(loc).Format("15:04"), open.In(loc).Format("15:04")))
		r.ComeBackAt = &open
		return nil, nil, nil, r
	}
	nb := *b
	nb.State = BookingCheckedIn
	nb.CheckedInAt = &now
	var events []Event
	var t *Ticket
	if now.After(slot.Add(s.Agenda.CheckInLate)) || b.State == BookingMissed {
		if s.Agenda.Late == LateRebook {
			r := refuse(CheckInTooLate, fmt.Sprintf("The check-in for your appointment at %s closed at %s. Please book again.",
				slot.In(loc).Format("15:04"), slot.Add(s.Agenda.CheckInLate).In(loc).Format("15:04")))
			if next := o.NextFreeSlot(now, s.ID); next != nil {
				r.NextSlot = &next.Start
			}
			return nil, nil, nil, r
		}
		evs, wt, err := o.Issue(now, IssueRequest{Service: s.ID, Channel: by.Name}, by)
		if err != nil {
			return evs, nil, nil, err // the numerator's refusal, and its turn-away
		}
		wt.Booking = b.ID // the events carry this ticket: the counter sees whose it is
		events, t, nb.Late = evs, wt, true
	} else {
		n := o.lastNum[appointmentNumerator] + 1
		due := slot
		t = &Ticket{
			ID: o.NewID(), Number: fmt.Sprintf("%s%03d", o.cfg.Agenda.Prefix, n), Seq: n, Service: s.ID, Day: o.day,
			Status: StatusWaiting, Channel: by.Name, IssuedAt: now, QueuedAt: now, Due: &due, Booking: b.ID,
		}
		ev := o.event(now, EventTicketIssued, by)
		ev.Ticket = t
		events = append(events, ev)
	}
	nb.Ticket, nb.Number = t.ID, t.Number
	ev := o.event(now, EventBookingCheckedIn, by)
	ev.Booking, ev.Service = &nb, nb.Service
	return append([]Event{ev}, events...), t, &nb, nil
}

// appointmentNumerator is the key of the appointment tickets' numbers in
// the office's numerators: one sequence for every service, since they
// share the letter.
const appointmentNumerator = "@appointments"

// AgendaChanges returns a booking.missed event for each of today's
// bookings whose check-in window has passed with nobody: the slot is
// counted as missed. The server calls it with StatusChanges.
func (o *Office) AgendaChanges(now time.Time) []Event {
	var events []Event
	for _, b := range o.Bookings(o.day) {
		if b.State != BookingBooked {
			continue
		}
		s := o.cfg.Service(b.Service)
		late := DefaultCheckInLate
		if s != nil && s.Agenda != nil {
			late = s.Agenda.CheckInLate
		}
		if now.After(b.Slot.Add(late)) {
			nb := b
			nb.State = BookingMissed
			nb.MissedAt = &now
			ev := o.event(now, EventBookingMissed, Actor{})
			ev.Booking, ev.Service = &nb, nb.Service
			events = append(events, ev)
		}
	}
	return events
}
