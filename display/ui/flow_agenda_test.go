package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/officetest"
	"turno/server/queue"
)

// agendaTab is the appointments tab's place among the flow view's tabs.
func agendaTab(fl *Flow) int {
	for i, p := range fl.panels {
		if p == flowPanel(fl.agenda) {
			return i
		}
	}
	return -1
}

// book books a slot for a citizen as a clerk on the phone would.
func book(t *testing.T, o *officetest.Office, service string, slot time.Time, name string) queue.Booking {
	t.Helper()
	b, _, err := login(t, o, "mario").Book(context.Background(), client.BookRequest{Service: service, Slot: slot, Name: name, Channel: queue.ChannelPhone})
	if err != nil {
		t.Fatalf("book %s at %s: %v", service, slot.Format("15:04"), err)
	}
	return *b
}

// checkIn checks a booked citizen in at the kiosk.
func checkIn(t *testing.T, o *officetest.Office, code string) *client.CheckIn {
	t.Helper()
	res, _, err := connect(t, o, officetest.KioskToken).CheckIn(context.Background(), code)
	if err != nil {
		t.Fatalf("check in %s: %v", code, err)
	}
	return res
}

// serverBooking reads a booking as the server has it.
func serverBooking(t *testing.T, o *officetest.Office, ref string) *queue.Booking {
	t.Helper()
	b, err := login(t, o, "anna").Booking(context.Background(), ref)
	if err != nil {
		t.Fatalf("booking %s: %v", ref, err)
	}
	return b
}

// tileOf returns the agenda's tile of a booking and what it says.
func tileOf(fl *Flow, service, id string) (*bookingTile, string) {
	c := fl.agenda.byService[service]
	if c == nil {
		return nil, "no card for " + service
	}
	var seen []string
	for _, tl := range c.tiles {
		if tl.obj.Visible() {
			seen = append(seen, tl.head.Text+" / "+tl.state.Text)
			if tl.id == id {
				return tl, tl.head.Text + " / " + tl.state.Text
			}
		}
	}
	return nil, fmt.Sprintf("tiles %q", seen)
}

// The agenda shows a booking made through the API as soon as it is made,
// and its check-in at the kiosk as it happens: counts, state, ticket.
func TestTheAgendaShowsABookingAndItsCheckInLive(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	fl, u, _ := newFlow(t, o)
	u.do(func() { fl.show(agendaTab(fl)) })
	eventually(t, u, "the bookable services", func() (bool, string) {
		return len(fl.agenda.byService) == 4 && fl.agenda.byService["anagrafe"].empty.Visible(), fmt.Sprint(len(fl.agenda.byService))
	})

	b := book(t, o, "anagrafe", officetest.Tuesday("10:00"), "Maria Rossi")
	code := queue.FormatCode(b.Code)
	eventually(t, u, "the booking in the agenda", func() (bool, string) {
		_, said := tileOf(fl, "anagrafe", b.ID)
		return said == "10:00 · Maria Rossi / Booked · "+code, said
	})
	u.do(func() {
		if got := fl.agenda.byService["anagrafe"].counts.Text; !strings.HasPrefix(got, "1 expected · 0 late") {
			t.Errorf("counts %q", got)
		}
		if got := fl.agenda.tab(); got != "Appointments · 1 expected" {
			t.Errorf("tab %q", got)
		}
	})

	o.Clock.Set(officetest.Tuesday("09:50"))
	checkIn(t, o, b.Code)
	eventually(t, u, "the check-in in the agenda", func() (bool, string) {
		tl, said := tileOf(fl, "anagrafe", b.ID)
		return tl != nil && strings.HasPrefix(tl.state.Text, "Checked in · P001 · waiting, ") && tl.state.Importance == widget.SuccessImportance, said
	})
	u.do(func() {
		if got := fl.agenda.byService["anagrafe"].counts.Text; !strings.HasPrefix(got, "0 expected · 0 late · 1 checked in") {
			t.Errorf("counts %q", got)
		}
	})
}

// A booked citizen whose slot has begun is late: highlighted in the
// agenda and in the tab, and an information (not an alarm) in the hall.
func TestALateCitizenIsHighlightedAndReported(t *testing.T) {
	o := officetest.StartWith(t, withoutPlan(t), officetest.NewClock(officetest.Tuesday("09:00")))
	fl, u, _ := newFlow(t, o)
	b := book(t, o, "tributi", officetest.Tuesday("10:00"), "Giulio Verdi")
	u.do(func() { fl.show(agendaTab(fl)) })
	eventually(t, u, "booked", func() (bool, string) { tl, said := tileOf(fl, "tributi", b.ID); return tl != nil, said })

	o.Clock.Set(officetest.Tuesday("10:04"))
	eventually(t, u, "late", func() (bool, string) {
		tl, said := tileOf(fl, "tributi", b.ID)
		return tl != nil && strings.HasPrefix(tl.state.Text, "Late by 4 min: not checked in") && tl.state.Importance == widget.WarningImportance &&
			hasBookingAlert(fl, b.ID) && fl.agenda.tab() == "Appointments · 1 late", said + " " + kinds(fl.alerts)
	})
	u.do(func() {
		fl.show(0)
		if got := fl.hall.tab(); got != "Hall" {
			t.Errorf("the hall's tab says %q: a late citizen is information, not an alarm", got)
		}
		text := fl.hall.alertText(fl.alerts[0], o.Clock.Now())
		if text != "Giulio Verdi (Local taxes, 10:00) has not checked in yet: 4 min late" {
			t.Errorf("the alert says %q", text)
		}
		if fl.alerts[0].Level != LevelInfo {
			t.Errorf("level %d, want information", fl.alerts[0].Level)
		}
	})

	// Past the window (10 minutes late) the server marks it missed at its
	// next command, and the information goes.
	o.Clock.Set(officetest.Tuesday("10:11"))
	issue(t, o, "anagrafe")
	eventually(t, u, "missed", func() (bool, string) {
		return !hasBookingAlert(fl, b.ID) && fl.model.Bookings[0].State == queue.BookingMissed, kinds(fl.alerts)
	})
	u.do(func() { fl.show(agendaTab(fl)) })
	eventually(t, u, "missed in the agenda", func() (bool, string) {
		tl, said := tileOf(fl, "tributi", b.ID)
		return tl != nil && tl.state.Text == "Missed · "+queue.FormatCode(b.Code), said
	})
}

func hasBookingAlert(fl *Flow, id string) bool {
	for _, a := range fl.alerts {
		if a.Kind == AlertBookingLate && a.Booking == id {
			return true
		}
	}
	return false
}

// Booking for a citizen on the phone, end to end: the service, the day, a
// free time, the citizen; the code shown large to read back; the booking on
// the server as asked, with its channel and by whom.
func TestBookForACitizenEndToEnd(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	fl, u, _ := newFlow(t, o)
	f := fl.agenda.form
	u.do(func() {
		fl.show(agendaTab(fl))
		test.Tap(fl.agenda.bookNew)
		if !f.box.Visible() || fl.agenda.box.Objects[0] != f.box || f.title.Text != "Book for a citizen" {
			t.Fatalf("the form is not shown (%q)", f.title.Text)
		}
		test.Tap(f.services["anagrafe"].button)
	})
	slotAt := func(hhmm string) int {
		for i, s := range f.slots {
			if s.Start.Equal(officetest.Tuesday(hhmm)) {
				return i
			}
		}
		return -1
	}
	eventually(t, u, "today's free times", func() (bool, string) {
		return slotAt("11:00") >= 0 && strings.HasPrefix(f.slotMsg.Text, "21 free times on today"), f.slotMsg.Text
	})
	u.do(func() {
		// Times already begun are not offered; staff need no notice.
		if slotAt("09:00") >= 0 || slotAt("09:15") < 0 {
			t.Errorf("offered %v", f.slots)
		}
		test.Tap(f.slotTiles[slotAt("11:00")])
		// Nothing is sent without the citizen's name.
		test.Tap(f.submit)
		if !strings.HasPrefix(f.msg.Text, "Write the citizen's name") {
			t.Errorf("the form says %q", f.msg.Text)
		}
		test.Type(f.name, "Maria Antonietta Rossi")
		test.Type(f.contact, "maria@example")
		test.Tap(f.submit)
		if !strings.HasPrefix(f.msg.Text, "The contact must be an e-mail address") {
			t.Errorf("the form says %q", f.msg.Text)
		}
		f.contact.SetText("")
		test.Type(f.contact, "+39 333 123 4567")
		test.Type(f.note, "certificato di residenza storico")
		test.Tap(f.desk)
		test.Tap(f.submit)
	})
	eventually(t, u, "the code, large", func() (bool, string) {
		return shown(fl.agenda.booked.pop) && len(fl.agenda.booked.code.Text) == 7, fl.say.Text
	})
	var code string
	u.do(func() {
		d := fl.agenda.booked
		code = d.code.Text
		if d.code.TextSize != bookedCodeSize || d.title.Text != "Booking made" || !strings.Contains(d.details.Text, "Registry office, today at 11:00, for Maria Antonietta Rossi.") {
			t.Errorf("the result says %q %q at %.0f", d.title.Text, d.details.Text, d.code.TextSize)
		}
		if fl.agenda.box.Objects[0] != fl.agenda.list {
			t.Error("the agenda is not back under the result")
		}
	})
	b := serverBooking(t, o, code)
	if b.Service != "anagrafe" || !b.Slot.Equal(officetest.Tuesday("11:00")) || b.Name != "Maria Antonietta Rossi" || b.Contact != "+393331234567" ||
		b.Note != "certificato di residenza storico" || b.Channel != queue.ChannelCounter || b.CreatedBy != "anna" || b.State != queue.BookingBooked {
		t.Fatalf("on the server: %+v", b)
	}
	if queue.FormatCode(b.Code) != code {
		t.Fatalf("shown %s, booked %s", code, b.Code)
	}
	eventually(t, u, "in the agenda", func() (bool, string) {
		_, said := tileOf(fl, "anagrafe", b.ID)
		return said == "11:00 · Maria Antonietta Rossi / Booked · "+code, said
	})
	u.do(func() { test.Tap(fl.agenda.booked.done) })

	// Another booking, by phone: a time taken while the floor assistant
	// talks is cleared from the form as soon as the office changes.
	u.do(func() {
		test.Tap(fl.agenda.bookNew)
		test.Tap(f.services["anagrafe"].button)
	})
	eventually(t, u, "the free times again", func() (bool, string) { return slotAt("11:15") >= 0, f.slotMsg.Text })
	u.do(func() {
		if f.slotTiles[slotAt("11:00")].Text != "11:00 · taken" || !f.slotTiles[slotAt("11:00")].Disabled() {
			t.Errorf("11:00 says %q", f.slotTiles[slotAt("11:00")].Text)
		}
		test.Tap(f.slotTiles[slotAt("11:15")])
		if f.channel != queue.ChannelPhone {
			t.Errorf("a new booking starts by phone, got %q", f.channel)
		}
	})
	book(t, o, "anagrafe", officetest.Tuesday("11:15"), "Qualcun Altro")
	eventually(t, u, "the time taken meanwhile", func() (bool, string) {
		return f.slot.IsZero() && f.slotMsg.Text == "The time chosen has just been taken: choose another.", f.slotMsg.Text
	})

	// Another day: tomorrow from the opening; a Sunday has no time at all.
	u.do(func() {
		if f.days[1].Text != "Tomorrow · 25/11" || !f.dayPrev.Disabled() {
			t.Errorf("the second day says %q", f.days[1].Text)
		}
		test.Tap(f.days[1])
	})
	eventually(t, u, "tomorrow's times", func() (bool, string) {
		return len(f.slots) > 0 && f.slots[0].Start.Equal(officetest.Tuesday("08:30").AddDate(0, 0, 1)), f.slotMsg.Text
	})
	u.do(func() {
		test.Tap(f.dayNext)
		if f.days[0].Text != "Sunday · 29/11" {
			t.Errorf("the next page starts with %q", f.days[0].Text)
		}
		test.Tap(f.days[0])
	})
	eventually(t, u, "no time on a Sunday", func() (bool, string) {
		return f.slots != nil && len(f.slots) == 0 && strings.HasPrefix(f.slotMsg.Text, "No time can be booked on this day"), f.slotMsg.Text
	})
}

// The idempotency key: a booking whose answer was lost is asked for again
// with the same key, and the server gives it back instead of a second one.
func TestABookingRetriedAfterALostAnswerIsMadeOnce(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	fl, u, _ := newFlowAt(t, o, lossyProxyFor(t, o, "/api/v1/bookings"))
	f := fl.agenda.form
	submit := func() {
		u.do(func() {
			fl.show(agendaTab(fl))
			test.Tap(fl.agenda.bookNew)
			test.Tap(f.services["tributi"].button)
		})
		eventually(t, u, "the free times", func() (bool, string) { return len(f.slots) > 0, f.slotMsg.Text })
		u.do(func() {
			for i, s := range f.slots {
				if s.Start.Equal(officetest.Tuesday("10:30")) {
					test.Tap(f.slotTiles[i])
				}
			}
			test.Type(f.name, "Luigi Bianchi")
			test.Tap(f.submit)
		})
	}
	submit()
	eventually(t, u, "the view says the server did not answer", func() (bool, string) {
		return !fl.busy && strings.Contains(fl.say.Text, "the booking may have been made"), fl.say.Text
	})
	count := func() int {
		bs, err := login(t, o, "anna").Bookings(context.Background(), officetest.Tuesday("12:00"), "tributi")
		if err != nil {
			t.Fatal(err)
		}
		return len(bs)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d bookings after the lost answer, want 1", n)
	}
	// The floor assistant books again, as the view says: the form kept
	// nothing of the first attempt but the key.
	submit()
	eventually(t, u, "given back", func() (bool, string) {
		return shown(fl.agenda.booked.pop) && strings.HasPrefix(fl.agenda.booked.title.Text, "The booking was already made"), fl.say.Text
	})
	if n := count(); n != 1 {
		t.Fatalf("%d bookings after the retry, want the first given back", n)
	}
}

// Cancel and move, from the agenda and from a search; refusals in plain
// words; the check-in at the desk.
func TestCancelMoveAndCheckInAtTheDesk(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	fl, u, _ := newFlow(t, o)
	today := book(t, o, "anagrafe", officetest.Tuesday("10:00"), "Maria Rossi")
	tomorrow := book(t, o, "sociali", officetest.Tuesday("10:00").AddDate(0, 0, 1), "Giovanni Bianchi")
	u.do(func() { fl.show(agendaTab(fl)) })
	eventually(t, u, "today's booking", func() (bool, string) { tl, said := tileOf(fl, "anagrafe", today.ID); return tl != nil, said })
	d, f := fl.agenda.detail, fl.agenda.form

	// Move today's booking to 10:30.
	u.do(func() {
		tl, _ := tileOf(fl, "anagrafe", today.ID)
		test.Tap(tl.button)
		if !shown(d.pop) || d.name.Text != "Maria Rossi" || d.code.Text != queue.FormatCode(today.Code) || !strings.Contains(d.details.Text, "When: today, 10:00–10:15") {
			t.Errorf("the booking shows %q %q %q", d.name.Text, d.code.Text, d.details.Text)
		}
		test.Tap(d.move)
		if shown(d.pop) || fl.agenda.box.Objects[0] != f.box || f.serviceBox.Visible() || f.citizen.Visible() {
			t.Error("the move form is not shown as it should")
		}
	})
	eventually(t, u, "the free times to move to", func() (bool, string) { return len(f.slots) > 0, f.slotMsg.Text })
	u.do(func() {
		for i, s := range f.slots {
			switch {
			case s.Start.Equal(officetest.Tuesday("10:00")):
				if f.slotTiles[i].Text != "10:00 · current" || !f.slotTiles[i].Disabled() {
					t.Errorf("the current time says %q", f.slotTiles[i].Text)
				}
			case s.Start.Equal(officetest.Tuesday("10:30")):
				test.Tap(f.slotTiles[i])
			}
		}
		test.Tap(f.submit)
	})
	eventually(t, u, "moved", func() (bool, string) {
		_, said := tileOf(fl, "anagrafe", today.ID)
		return !fl.busy && strings.HasPrefix(said, "10:30 · Maria Rossi") && fl.agenda.box.Objects[0] == fl.agenda.list, said + " " + fl.say.Text
	})
	if b := serverBooking(t, o, today.ID); !b.Slot.Equal(officetest.Tuesday("10:30")) || b.Code != today.Code {
		t.Fatalf("on the server: %+v", b)
	}

	// Check in at the desk: too early, in plain words; then on time.
	u.do(func() {
		tl, _ := tileOf(fl, "anagrafe", today.ID)
		test.Tap(tl.button)
		test.Tap(d.checkIn)
	})
	eventually(t, u, "too early", func() (bool, string) {
		return !fl.busy && fl.say.Text == "Too early to check in: the appointment is at 10:30; check-in opens at 10:15.", fl.say.Text
	})
	o.Clock.Set(officetest.Tuesday("10:20"))
	u.do(func() {
		tl, _ := tileOf(fl, "anagrafe", today.ID)
		test.Tap(tl.button)
		test.Tap(d.checkIn)
	})
	eventually(t, u, "checked in", func() (bool, string) {
		return !fl.busy && fl.say.Text == "Maria Rossi checked in: ticket P001, called from 10:30. Please hand it to the citizen.", fl.say.Text
	})
	if b := serverBooking(t, o, today.ID); b.State != queue.BookingCheckedIn || b.Number != "P001" {
		t.Fatalf("on the server: %+v", b)
	}

	// Tomorrow's booking, found by name, cancelled after a second tap.
	u.do(func() {
		test.Type(fl.agenda.search, "bianchi")
		test.Tap(fl.agenda.searchGo)
	})
	eventually(t, u, "found", func() (bool, string) {
		return len(fl.agenda.results) == 1 && fl.agenda.found.Visible() && fl.agenda.foundTiles[0].obj.Visible() &&
			strings.HasPrefix(fl.agenda.foundTiles[0].head.Text, "tomorrow 10:00 · Giovanni Bianchi"), fl.agenda.foundTitle.Text
	})
	u.do(func() {
		test.Tap(fl.agenda.foundTiles[0].button)
		if !d.checkIn.Disabled() {
			t.Error("tomorrow's booking may be checked in today")
		}
		test.Tap(d.cancel)
		if !d.confirm.Visible() || d.actions.Visible() {
			t.Error("a cancellation is not asked to be confirmed")
		}
		test.Tap(d.confirmYes)
	})
	eventually(t, u, "cancelled", func() (bool, string) {
		return !fl.busy && strings.HasPrefix(fl.say.Text, "The booking "+queue.FormatCode(tomorrow.Code)+" of Giovanni Bianchi (tomorrow at 10:00) is cancelled") &&
			len(fl.agenda.results) == 1 && strings.Contains(fl.agenda.foundTiles[0].state.Text, "Cancelled"), fl.say.Text + " " + fmt.Sprint(fl.agenda.results)
	})
	if b := serverBooking(t, o, tomorrow.ID); b.State != queue.BookingCancelled || b.CancelledBy != "anna" {
		t.Fatalf("on the server: %+v", b)
	}
	// A search with no result says so.
	u.do(func() {
		fl.agenda.search.SetText("nessuno")
		test.Tap(fl.agenda.searchGo)
	})
	eventually(t, u, "nothing found", func() (bool, string) {
		return fl.agenda.foundTitle.Text == "No booking found for «nessuno» today or in the days ahead.", fl.agenda.foundTitle.Text
	})
}

// A checked-in appointment whose slot has come while no counter of its
// service is free is an alert: urgent while no such counter is even open,
// a warning while they are all busy; it ends when a counter is free or the
// appointment is called.
func TestADueAppointmentWithNoCounterFreeIsAnAlert(t *testing.T) {
	o := officetest.StartWith(t, withoutPlan(t), officetest.NewClock(officetest.Tuesday("09:40")))
	ctx := context.Background()
	fl, u, _ := newFlow(t, o)
	b := book(t, o, "anagrafe", officetest.Tuesday("10:00"), "Maria Rossi")
	o.Clock.Set(officetest.Tuesday("09:50"))
	ticket := checkIn(t, o, b.Code).Ticket
	due := func() *Alert {
		for i, a := range fl.alerts {
			if a.Kind == AlertAppointmentDue && a.Ticket == ticket.ID {
				return &fl.alerts[i]
			}
		}
		return nil
	}
	eventually(t, u, "checked in, not yet due", func() (bool, string) {
		return fl.model.FindTicket(ticket.ID) != nil && due() == nil, kinds(fl.alerts)
	})

	o.Clock.Set(officetest.Tuesday("10:01"))
	eventually(t, u, "due, no counter open", func() (bool, string) {
		a := due()
		return a != nil && a.Level == LevelUrgent && a.Busy == 0, kinds(fl.alerts)
	})
	u.do(func() {
		if got := fl.hall.alertText(*due(), o.Clock.Now()); got != "Appointment P001 (Registry office) has been due since 10:00 and no counter serving Registry office is open" {
			t.Errorf("the alert says %q", got)
		}
	})

	// A counter opens, busy with a walk-in: a warning.
	issue(t, o, "tributi")
	mario := open(t, o, "mario", "1", "tributi")
	if _, err := mario.Next(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "the counter does not serve it", func() (bool, string) {
		a := due()
		return a != nil && a.Level == LevelUrgent && fl.model.Counter("1").Current != "", kinds(fl.alerts)
	})
	if _, err := mario.Finish(ctx, "1", "resolved", "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := mario.Close(ctx, "1", false); err != nil {
		t.Fatal(err)
	}
	issue(t, o, "anagrafe")
	giulia := open(t, o, "giulia", "2", "anagrafe")
	// Giulia calls the appointment first (it is due); the walk-in waits.
	if _, err := giulia.Next(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "called: no alert", func() (bool, string) { return due() == nil, kinds(fl.alerts) })

	// Another appointment due while Giulia serves: a warning, over when she
	// is free again.
	b2 := book(t, o, "anagrafe", officetest.Tuesday("10:15"), "Paolo Neri")
	o.Clock.Set(officetest.Tuesday("10:05"))
	ticket = checkIn(t, o, b2.Code).Ticket
	o.Clock.Set(officetest.Tuesday("10:16"))
	eventually(t, u, "due, every counter busy", func() (bool, string) {
		a := due()
		return a != nil && a.Level == LevelWarning && a.Busy == 1, kinds(fl.alerts)
	})
	u.do(func() {
		if got := fl.hall.alertText(*due(), o.Clock.Now()); got != "Appointment P002 (Registry office) has been due since 10:15; the one counter serving it is busy" {
			t.Errorf("the alert says %q", got)
		}
	})
	if _, err := giulia.Finish(ctx, "2", "resolved", "", ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "a counter free: no alert", func() (bool, string) { return due() == nil, kinds(fl.alerts) })
}
