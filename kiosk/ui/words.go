package ui

import (
	"math"
	"strconv"
	"time"

	"turno/server/queue"
)

// words turns the server's numbers into what a citizen reads, in the
// kiosk's language and in the office's time zone. The server's own
// messages are in English for the logs; the kiosk composes its own from
// the rule and the times.
type words struct {
	tr  *Translator
	now func() time.Time
	// loc is the office's zone: times are shown as the office's clocks
	// read, whatever the kiosk machine's own zone.
	loc func() *time.Location
}

// waitText is an expected wait as every Turno surface rounds it
// (queue.Wait.Readable): "about 25 minutes", "between 20 and 35
// minutes".
func (w words) waitText(wt queue.Wait) string {
	r := wt.Readable()
	switch {
	case r.About && r.Minutes == 0:
		return w.tr.L("wait.none")
	case r.About:
		return w.tr.N("wait.about", r.Minutes, nil)
	case r.Low == 0:
		return w.tr.N("wait.upTo", r.High, nil)
	}
	return w.tr.N("wait.between", r.High, map[string]any{"Low": r.Low, "High": r.High})
}

// fixed is a message of three fixed strings, for Kiosk.message.
func (w words) fixed(title, text, todo string) func() (string, string, string) {
	return func() (string, string, string) { return w.tr.L(title), w.tr.L(text), w.tr.L(todo) }
}

// waitingText says how many people wait.
func (w words) waitingText(n int) string {
	if n == 0 {
		return w.tr.L("service.nobodyWaiting")
	}
	return w.tr.N("service.waiting", n, nil)
}

// aheadText says how many people will be called before the ticket.
func (w words) aheadText(n int) string {
	if n == 0 {
		return w.tr.L("ticket.nobodyAhead")
	}
	return w.tr.N("ticket.ahead", n, nil)
}

// clock is a time of day at the office.
func (w words) clock(t time.Time) string { return t.In(w.loc()).Format("15:04") }

// date is a day at the office in full: "martedì 24 novembre 2026".
func (w words) date(t time.Time) string {
	t = t.In(w.loc())
	return w.tr.L("date.long", map[string]any{
		"Weekday": w.tr.L("weekday." + strconv.Itoa(int(t.Weekday()))),
		"Day":     t.Day(),
		"Month":   w.tr.L("month." + strconv.Itoa(int(t.Month()))),
		"Year":    t.Year(),
	})
}

// when says when a time comes, as seen from today at the office: "at
// 15:00", "tomorrow at 08:30", "on Monday 30 November at 08:30".
func (w words) when(t time.Time) string {
	loc := w.loc()
	t = t.In(loc)
	now := w.now().In(loc)
	clock := t.Format("15:04")
	y1, m1, d1 := now.Date()
	y2, m2, d2 := t.Date()
	today := time.Date(y1, m1, d1, 0, 0, 0, 0, loc)
	day := time.Date(y2, m2, d2, 0, 0, 0, 0, loc)
	switch days := int(math.Round(day.Sub(today).Hours() / 24)); days {
	case 0:
		return w.tr.L("when.today", map[string]any{"Time": clock})
	case 1:
		return w.tr.L("when.tomorrow", map[string]any{"Time": clock})
	}
	return w.tr.L("when.date", map[string]any{
		"Weekday": w.tr.L("weekday." + strconv.Itoa(int(t.Weekday()))),
		"Day":     t.Day(),
		"Month":   w.tr.L("month." + strconv.Itoa(int(t.Month()))),
		"Time":    clock,
	})
}

// reason says why a service issues no ticket now and what to do: the
// state in a few words, then when it reopens or that an appointment can be
// booked. It returns "" for an open service.
func (w words) reason(sv *queue.ServiceView) (state, todo string) {
	if sv.Status == queue.ServiceOpen || sv.Refusal == nil && sv.Status == "" {
		return "", ""
	}
	rule := sv.Status
	var reopens *time.Time
	appointment := sv.Appointments
	if r := sv.Refusal; r != nil {
		rule, reopens, appointment = r.Rule, r.ReopensAt, r.Appointment
	}
	closes := ""
	if sv.ClosesAt != nil {
		closes = w.clock(*sv.ClosesAt)
	}
	switch rule {
	case queue.RuleClosed: // the same word as the state
		state = w.tr.L("reason.closed")
	case queue.RuleLocked:
		if sv.Lock != nil && sv.Lock.Reason != "" {
			state = w.tr.L("reason.lockedWhy", map[string]any{"Reason": sv.Lock.Reason})
		} else {
			state = w.tr.L("reason.locked")
		}
	case queue.RuleDailyCap:
		state = w.tr.L("reason.dailyCap")
	case queue.RuleCutoffLoad:
		state = w.tr.L("reason.cutoffLoad", map[string]any{"Closes": closes})
	default: // cutoff_time, or a rule this kiosk does not know yet
		if closes != "" {
			state = w.tr.L("reason.cutoffTime", map[string]any{"Closes": closes})
		} else {
			state = w.tr.L("reason.cutoff")
		}
	}
	switch {
	case reopens != nil && appointment:
		todo = w.tr.L("todo.reopensOrBook", map[string]any{"When": w.when(*reopens)})
	case reopens != nil:
		todo = w.tr.L("todo.reopens", map[string]any{"When": w.when(*reopens)})
	case appointment:
		todo = w.tr.L("todo.book")
	case rule == queue.RuleLocked:
		todo = w.tr.L("todo.askStaff")
	}
	return state, todo
}

// refusal is reason for a ticket the server refused at the tap.
func (w words) refusal(sv *queue.ServiceView, r *queue.Refusal) (state, todo string) {
	v := queue.ServiceView{Appointments: r.Appointment}
	if sv != nil {
		v = *sv
	}
	v.Status, v.Refusal = queue.ServiceCutoff, r
	if r.Rule == queue.RuleClosed {
		v.Status = queue.ServiceClosed
	}
	return w.reason(&v)
}

// slot says when an appointment is, as seen from today at the office:
// "today at 15:00", "tomorrow at 10:30", "Wednesday 3 December at 10:30"
// (when, without the preposition a sentence puts before a date).
func (w words) slot(t time.Time) string {
	loc := w.loc()
	t = t.In(loc)
	now := w.now().In(loc)
	clock := t.Format("15:04")
	y1, m1, d1 := now.Date()
	y2, m2, d2 := t.Date()
	switch int(math.Round(time.Date(y2, m2, d2, 0, 0, 0, 0, loc).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, loc)).Hours() / 24)) {
	case 0:
		return w.tr.L("slot.today", map[string]any{"Time": clock})
	case 1:
		return w.tr.L("slot.tomorrow", map[string]any{"Time": clock})
	}
	return w.tr.L("slot.date", map[string]any{
		"Weekday": w.tr.L("weekday." + strconv.Itoa(int(t.Weekday()))),
		"Day":     t.Day(),
		"Month":   w.tr.L("month." + strconv.Itoa(int(t.Month()))),
		"Time":    clock,
	})
}

// offerable returns the next free appointment a stopped service offers
// in the place of a ticket: cut off, capped, closed or suspended (the
// floor assistant stops its tickets, not its agenda), and bookable.
func offerable(sv *queue.ServiceView) *queue.Slot {
	if sv == nil || sv.Agenda == nil || sv.Agenda.NextFree == nil || sv.Status == queue.ServiceOpen || sv.Status == "" {
		return nil
	}
	return sv.Agenda.NextFree
}

// offerReason is reason for a stopped service that offers its next free
// appointment: the state and when it reopens, and the offer itself in
// the place of "you can book".
func (w words) offerReason(sv *queue.ServiceView, r *queue.Refusal, next time.Time) (state, todo, offer string) {
	v := *sv
	v.Appointments = false
	if r != nil {
		c := *r
		c.Appointment = false
		v.Refusal = &c
		switch r.Rule {
		case queue.RuleClosed:
			v.Status = queue.ServiceClosed
		case queue.RuleLocked:
			v.Status = queue.ServiceLocked
		default:
			v.Status = queue.ServiceCutoff
		}
	} else if v.Refusal != nil {
		c := *v.Refusal
		c.Appointment = false
		v.Refusal = &c
	}
	state, todo = w.reason(&v)
	return state, todo, w.tr.L("offer.next", map[string]any{"When": w.slot(next)})
}

// checkInRefusal says why a check-in was refused and what to do. code is
// the code as typed ("KM4-TXA"), or "" for a scanned one.
func (w words) checkInRefusal(r *queue.CheckInRefusal, code string) (title, text, todo string) {
	slot := func() time.Time {
		if r.Slot != nil {
			return *r.Slot
		}
		return w.now()
	}
	switch r.Reason {
	case queue.CheckInUnknown:
		if code == "" {
			return w.tr.L("checkin.unknown.title"), w.tr.L("checkin.unknownScan"), w.tr.L("checkin.unknown.todo")
		}
		return w.tr.L("checkin.unknown.title"), w.tr.L("checkin.unknown", map[string]any{"Code": code}), w.tr.L("checkin.unknown.todo")
	case queue.CheckInNotToday:
		return w.tr.L("checkin.notToday.title"), w.tr.L("checkin.notToday", map[string]any{"When": w.when(slot())}), w.tr.L("checkin.notToday.todo")
	case queue.CheckInTooEarly:
		from := slot()
		if r.ComeBackAt != nil {
			from = *r.ComeBackAt
		}
		data := map[string]any{"Time": w.clock(slot()), "From": w.clock(from)}
		return w.tr.L("checkin.tooEarly.title"), w.tr.L("checkin.tooEarly", data), w.tr.L("checkin.tooEarly.todo", data)
	case queue.CheckInTooLate:
		return w.tr.L("checkin.tooLate.title"), w.tr.L("checkin.tooLate", map[string]any{"Time": w.clock(slot())}), w.tr.L("checkin.tooLate.todo")
	case queue.CheckInCancelled:
		return w.tr.L("checkin.cancelled.title"), w.tr.L("checkin.cancelled"), w.tr.L("checkin.cancelled.todo")
	case queue.CheckInServed:
		return w.tr.L("checkin.served.title"), w.tr.L("checkin.served"), w.tr.L("checkin.served.todo")
	}
	// A reason this kiosk does not know yet: the server's own words are
	// English; the kiosk says what it can.
	return w.tr.L("checkin.other.title"), w.tr.L("checkin.other"), w.tr.L("todo.askStaff")
}
