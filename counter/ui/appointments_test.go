package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"turno/server/client"
	"turno/server/officetest"
	"turno/server/queue"
)

// book makes a booking as the floor assistant does, by phone.
func (d *desk) book(service string, slot time.Time, name, note string) *queue.Booking {
	d.t.Helper()
	b, _, err := d.anna().Book(context.Background(), client.BookRequest{Service: service, Slot: slot, Name: name, Note: note})
	if err != nil {
		d.t.Fatalf("book %s at %s: %v", service, slot.Format("Mon 15:04"), err)
	}
	return b
}

// booking reads a booking as the server has it.
func (d *desk) booking(ref string) *queue.Booking {
	d.t.Helper()
	b, err := d.anna().Booking(context.Background(), ref)
	if err != nil {
		d.t.Fatalf("booking %s: %v", ref, err)
	}
	return b
}

// checkIn checks a booked citizen in at the kiosk.
func (d *desk) checkIn(code string) *client.CheckIn {
	d.t.Helper()
	k, err := client.New(d.o.URL, client.WithToken(officetest.KioskToken))
	if err != nil {
		d.t.Fatal(err)
	}
	ci, _, err := k.CheckIn(context.Background(), code)
	if err != nil {
		d.t.Fatalf("check-in %s: %v", code, err)
	}
	return ci
}

// Wednesday is hh:mm the day after officetest.Tuesday.
func wednesday(hhmm string) time.Time { return officetest.Tuesday(hhmm).AddDate(0, 0, 1) }

// openBook opens the Book dialog with Ctrl+N and waits for its times.
func (c *console) openBook() *bookDialog {
	c.d.t.Helper()
	c.waitFor("the previous action's answer", func() bool { return !c.busy })
	c.d.do(func() { c.pressCtrl(keyBook) })
	c.waitFor("the Book dialog", c.dialogOpen)
	b := &c.dlg.book
	c.waitSlots(b.slots)
	return b
}

// waitBooked waits for the result of the Book dialog b: the dialog of the
// code in its place.
func (c *console) waitBooked(b *bookDialog) {
	c.d.t.Helper()
	c.waitFor("the code", func() bool { return c.modal != nil && c.modal != b.shown && c.dlg.booked.code != nil })
}

// waitSlots waits for a slot choice to show its day's times.
func (c *console) waitSlots(s *slotChooser) {
	c.d.t.Helper()
	c.waitFor("the free times", func() bool { return !s.loading })
}

// slotTimes are the times a grid offers, as the office's clock says them.
func (c *console) slotTimes(s *slotChooser) []string {
	var out []string
	for _, sl := range s.grid.slots {
		out = append(out, c.clock(sl.Start))
	}
	return out
}

var codeShape = regexp.MustCompile(`^[ACDEFGHJKMNPQRTWXY34679]{3}-[ACDEFGHJKMNPQRTWXY34679]{3}$`)

// A clerk books for a citizen on the phone with the keyboard only: Ctrl+N,
// the service with the arrows, Tab, the next day, Tab, the third free
// time, Tab, the name, Tab, the contact, Enter. The code is shown large and
// formatted, and the booking is on the server as the clerk made it.
func TestBookByPhone(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe", "tributi")
	b := c.openBook()
	c.d.do(func() {
		if got := c.w.Canvas().Focused(); got != b.slots.service {
			t.Fatalf("the dialog opens with the focus on %T, want the service", got)
		}
		if b.slots.serviceID != "anagrafe" || b.slots.day.SelectedIndex() != 0 {
			t.Errorf("the dialog starts on %s, day %d; want anagrafe, today", b.slots.serviceID, b.slots.day.SelectedIndex())
		}
		c.press(fyne.KeyRight) // tributi
	})
	c.waitSlots(b.slots)
	c.d.do(func() {
		if b.slots.serviceID != "tributi" {
			t.Fatalf("Right on the service chose %s, want tributi", b.slots.serviceID)
		}
		c.press(fyne.KeyTab)
		c.press(fyne.KeyRight) // tomorrow
	})
	c.waitSlots(b.slots)
	c.d.do(func() {
		if got := c.slotTimes(b.slots); len(got) < 3 || got[0] != "08:30" || got[2] != "09:00" {
			t.Fatalf("Wednesday's free times: %v", got)
		}
		c.press(fyne.KeyTab)
		if c.w.Canvas().Focused() != b.slots.grid {
			t.Fatalf("Tab from the day focused %T, want the times", c.w.Canvas().Focused())
		}
		c.press(fyne.KeyRight)
		c.press(fyne.KeyRight)
		c.press(fyne.KeyTab)
		c.typeRunes("Maria Rossi")
		c.press(fyne.KeyTab)
		c.typeRunes("+39 06 1234 5678")
		c.press(fyne.KeyReturn)
	})
	c.waitBooked(b)
	code := c.dlg.booked.code.Text
	if !codeShape.MatchString(code) {
		t.Fatalf("the code shown is %q, want ABC-DEF", code)
	}
	c.d.do(func() {
		if c.dlg.booked.code.TextSize < 48 {
			t.Errorf("the code is %.0f points: too small to read out", c.dlg.booked.code.TextSize)
		}
		if !strings.Contains(c.dlg.booked.what.Text, "Wednesday 25 November at 09:00") {
			t.Errorf("the result says %q", c.dlg.booked.what.Text)
		}
		if !strings.Contains(c.dlg.booked.spelled.Text, " as ") {
			t.Errorf("the code is not spelled out: %q", c.dlg.booked.spelled.Text)
		}
		if !strings.Contains(c.message(), code) {
			t.Errorf("the desk's message %q does not keep the code", c.message())
		}
		c.press(fyne.KeyReturn)
		if c.dialogOpen() {
			t.Error("Enter on the result left it open")
		}
	})
	bk := d.booking(code)
	if bk.Service != "tributi" || !bk.Slot.Equal(wednesday("09:00")) || bk.Name != "Maria Rossi" || bk.Contact != "+390612345678" ||
		bk.Channel != queue.ChannelPhone || bk.CreatedBy != "mario" || bk.State != queue.BookingBooked {
		t.Fatalf("on the server: %+v", bk)
	}
}

// bookingsNamed finds the bookings of a name on the server.
func (d *desk) bookingsNamed(name string) []queue.Booking {
	d.t.Helper()
	found, err := d.anna().FindBookings(context.Background(), name)
	if err != nil {
		d.t.Fatal(err)
	}
	return found
}

// A time taken by someone else while the clerk was on the phone is refused
// in words, and the grid shows the day's times as they now are; the clerk
// picks another and books.
func TestBookSlotTakenMeanwhile(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	b := c.openBook()
	c.d.do(func() {
		// The services the counter may serve that take appointments, the
		// one chosen today first.
		if b.slots.service == nil || !slices.Equal(b.slots.ids, []string{"anagrafe", "tributi", "sociali"}) {
			t.Fatalf("the services offered: %v", b.slots.ids)
		}
		c.press(fyne.KeyTab)
		c.press(fyne.KeyTab)
		if c.w.Canvas().Focused() != b.slots.grid {
			t.Fatalf("focus on %T, want the times", c.w.Canvas().Focused())
		}
		if sl, ok := b.slots.selected(); !ok || c.clock(sl.Start) != "09:15" {
			t.Fatalf("the first free time chosen: %v %v, want 09:15 (09:00 has begun)", sl.Start, ok)
		}
		c.press(fyne.KeyTab)
		c.typeRunes("Maria Rossi")
	})
	d.book("anagrafe", officetest.Tuesday("09:15"), "Someone Else", "")
	c.key(fyne.KeyReturn)
	c.waitFor("the refusal", func() bool {
		return strings.Contains(b.msg.Text, "Tuesday 24 November at 09:15 has just been booked by someone else") && !b.slots.loading
	})
	c.d.do(func() {
		if got := c.slotTimes(b.slots); len(got) == 0 || got[0] != "09:30" {
			t.Errorf("the times after the refusal: %v, want from 09:30", got)
		}
		if !c.dialogOpen() {
			t.Fatal("the refusal closed the dialog")
		}
		c.press(fyne.KeyReturn)
		if !strings.Contains(b.msg.Text, "Choose a free time first") {
			t.Errorf("Enter with the taken time gone: %q", b.msg.Text)
		}
		c.w.Canvas().Focus(b.slots.grid) // chooses the first: 09:30
		c.press(fyne.KeyReturn)
	})
	c.waitBooked(b)
	if got := d.bookingsNamed("Maria Rossi"); len(got) != 1 || !got[0].Slot.Equal(officetest.Tuesday("09:30")) {
		t.Fatalf("Maria Rossi's bookings: %+v", got)
	}
}

// The dialog checks what the clerk typed and says what is wrong in words;
// a contact that holds a booking already is refused, and Escape books
// nothing.
func TestBookRefusesInWords(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	bk, _, err := d.anna().Book(context.Background(), client.BookRequest{Service: "anagrafe", Slot: wednesday("10:00"),
		Name: "Maria Rossi", Contact: "+39 333 123 4567"})
	if err != nil {
		t.Fatal(err)
	}
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	b := c.openBook()
	c.d.do(func() { c.w.Canvas().Focus(b.slots.grid) }) // chooses the first free time
	for _, tc := range []struct {
		name, contact, note, want string
	}{
		{"", "", "", "The citizen's name is needed"},
		{strings.Repeat("x", queue.MaxBookingName+1), "", "", "The name is too long: 101 characters, at most 100"},
		{"Maria Rossi", "call me", "", "The contact must be an e-mail address"},
		{"Maria Rossi", "", strings.Repeat("é", queue.MaxBookingNote+1), "The note is too long: 501 characters, at most 500"},
		{"Maria Rossi", "+39 333-1234567", "", "This contact already holds as many appointments for this service as one citizen may"},
	} {
		c.typeIn(b.name, tc.name)
		c.typeIn(b.contact, tc.contact)
		c.typeIn(b.note, tc.note)
		c.d.do(func() { c.w.Canvas().Focus(b.name); c.press(fyne.KeyReturn) })
		c.waitFor(tc.want, func() bool { return strings.Contains(b.msg.Text, tc.want) && !b.sending })
		c.d.do(func() {
			if !c.dialogOpen() {
				t.Fatalf("%q closed the dialog", tc.want)
			}
		})
	}
	c.key(fyne.KeyEscape)
	c.d.do(func() {
		if c.dialogOpen() {
			t.Fatal("Escape left the Book dialog open")
		}
	})
	if got := d.bookingsNamed("Maria Rossi"); len(got) != 1 || got[0].ID != bk.ID {
		t.Fatalf("Maria Rossi's bookings after the refusals: %+v", got)
	}
}

// loser forwards every call to the office, but loses the answers to the
// next lose bookings: the server books, the console hears 502 Bad Gateway.
type loser struct {
	lose  atomic.Int32
	proxy *httputil.ReverseProxy
}

func newLoser(t *testing.T, to string) (*loser, string) {
	t.Helper()
	u, err := url.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	l := &loser{proxy: httputil.NewSingleHostReverseProxy(u)}
	srv := httptest.NewServer(l)
	t.Cleanup(srv.Close)
	return l, srv.URL
}

func (l *loser) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/api/v1/bookings" && l.lose.Add(-1) >= 0 {
		l.proxy.ServeHTTP(httptest.NewRecorder(), r)
		http.Error(w, "the answer was lost", http.StatusBadGateway)
		return
	}
	l.proxy.ServeHTTP(w, r)
}

// An answer lost on the way never books twice: Enter again gets the
// booking made the first time. And when the clerk, after a lost answer,
// picks another time, the console learns that the first attempt did book,
// and shows that booking instead of making a second one.
func TestBookAnswerLostNeverBooksTwice(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	l, addr := newLoser(t, d.o.URL)
	c := d.consoleAt(addr, Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")

	b := c.openBook()
	c.d.do(func() {
		c.w.Canvas().Focus(b.slots.grid)
		c.press(fyne.KeyTab)
		c.typeRunes("Maria Rossi")
	})
	l.lose.Store(1)
	c.key(fyne.KeyReturn)
	c.waitFor("the lost answer, in words", func() bool { return strings.Contains(b.msg.Text, "Press Enter again: it will not be booked twice") })
	if got := d.bookingsNamed("Maria Rossi"); len(got) != 1 {
		t.Fatalf("after the lost answer the server holds %d bookings, want 1", len(got))
	}
	c.key(fyne.KeyReturn)
	c.waitBooked(b)
	got := d.bookingsNamed("Maria Rossi")
	c.d.do(func() {
		if c.dlg.booked.earlier != nil {
			t.Error("the same time sent again says an earlier attempt had booked another")
		}
	})
	if len(got) != 1 || c.dlg.booked.code.Text != queue.FormatCode(got[0].Code) {
		t.Fatalf("after Enter again: %d bookings %+v, the console shows %s", len(got), got, c.dlg.booked.code.Text)
	}
	c.key(fyne.KeyReturn)

	// Lost again; the clerk picks the next time and presses Enter.
	b = c.openBook()
	c.d.do(func() {
		c.w.Canvas().Focus(b.slots.grid)
		c.press(fyne.KeyTab)
		c.typeRunes("Paolo Bianchi")
	})
	l.lose.Store(1)
	c.key(fyne.KeyReturn)
	c.waitFor("the lost answer", func() bool { return strings.Contains(b.msg.Text, "Press Enter again") })
	var first time.Time
	c.d.do(func() {
		sl, _ := b.slots.selected()
		first = sl.Start
		c.w.Canvas().Focus(b.slots.grid)
		c.press(fyne.KeyRight)
		c.press(fyne.KeyReturn)
	})
	c.waitBooked(b)
	got = d.bookingsNamed("Paolo Bianchi")
	if len(got) != 1 || !got[0].Slot.Equal(first) || c.dlg.booked.code.Text != queue.FormatCode(got[0].Code) {
		t.Fatalf("Paolo Bianchi: %+v (first attempt at %s), the console shows %s", got, first.Format("15:04"), c.dlg.booked.code.Text)
	}
	c.d.do(func() {
		if c.dlg.booked.earlier == nil {
			t.Error("the result does not say that the first attempt had booked")
		}
		if !strings.Contains(c.dlg.booked.what.Text, c.clock(first)) {
			t.Errorf("the result shows %q, want the first attempt's time %s", c.dlg.booked.what.Text, c.clock(first))
		}
	})
}

// rowText is what the Appointments tab says of a booking, or "" if it does
// not list it.
func (c *console) rowText(id string) string {
	a := &c.desk.appt
	for i, shown := range a.shown {
		if shown != id {
			continue
		}
		n := 0
		for _, o := range a.list.Objects {
			if r, ok := o.(*bookingRow); ok {
				if n == i {
					return r.time.Text + " " + r.text.Text
				}
				n++
			}
		}
	}
	return ""
}

// tapRow chooses a booking of the list with a click.
func (c *console) tapRow(id string) {
	c.d.t.Helper()
	c.d.do(func() {
		a := &c.desk.appt
		i := slices.Index(a.shown, id)
		n := 0
		for _, o := range a.list.Objects {
			if r, ok := o.(*bookingRow); ok {
				if n == i {
					test.Tap(r)
					return
				}
				n++
			}
		}
		c.d.t.Fatalf("no row for booking %s", id)
	})
}

// The tab finds a booking of another day by part of the name, and one by
// its code typed as a citizen reads it (any case, with a space); Escape goes
// back to today's list.
func TestSearchFindsAnotherDay(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	verdi := d.book("tributi", officetest.Tuesday("10:00").AddDate(0, 0, 2), "Giuseppe Verdi", "IMU 2025")
	other := d.book("sociali", wednesday("09:00"), "Anna Bianchi", "")
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.d.do(func() {
		c.pressCtrl(keyFind)
		if c.desk.tabs.Selected() != c.desk.apptTab || c.w.Canvas().Focused() != c.desk.appt.search {
			t.Fatal("Ctrl+F did not open Appointments with the focus in the search field")
		}
		c.typeRunes("verdi")
		c.press(fyne.KeyReturn)
	})
	c.waitFor("the search", func() bool { return c.desk.appt.searched })
	c.d.do(func() {
		if got := c.rowText(verdi.ID); !strings.Contains(got, "Thursday 26 November") || !strings.Contains(got, "Giuseppe Verdi") {
			t.Errorf("Verdi's row: %q", got)
		}
		if c.desk.appt.selected != verdi.ID || c.desk.appt.move == nil {
			t.Error("the one booking found is not shown with its details")
		}
		if !strings.Contains(c.desk.appt.title.Text, "1 appointment found for “verdi”") {
			t.Errorf("the title: %q", c.desk.appt.title.Text)
		}
	})
	code := strings.ToLower(other.Code[:3] + " " + other.Code[3:])
	c.d.do(func() {
		c.desk.appt.search.SetText(code)
		c.press(fyne.KeyReturn)
	})
	c.waitFor("the code found", func() bool { return c.rowText(other.ID) != "" })
	c.d.do(func() {
		c.press(fyne.KeyEscape)
		if c.desk.appt.searched || c.desk.appt.search.Text != "" {
			t.Error("Escape in the search field did not go back to today's list")
		}
	})
	c.d.do(func() {
		c.desk.appt.search.SetText("nobody")
		c.press(fyne.KeyReturn)
	})
	c.waitFor("nothing found, in words", func() bool {
		return c.desk.appt.searched && len(c.desk.appt.shown) == 0 && c.desk.appt.list.Objects != nil
	})
}

// From the tab the clerk cancels one appointment and moves another to the
// next day; the tab follows the office live, and Escape in either dialog
// changes nothing.
func TestCancelAndMoveFromTheTab(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	rossi := d.book("anagrafe", officetest.Tuesday("10:00"), "Maria Rossi", "")
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.d.do(func() { c.pressCtrl(keyTabs) })
	c.waitFor("Rossi listed", func() bool { return c.rowText(rossi.ID) != "" })
	bianchi := d.book("anagrafe", officetest.Tuesday("10:15"), "Paolo Bianchi", "Needs an interpreter.")
	c.waitFor("Bianchi listed live", func() bool { return strings.Contains(c.rowText(bianchi.ID), "10:15 Paolo Bianchi") })
	c.d.do(func() {
		if got := c.desk.apptTab.Text; got != "Appointments (2)" {
			t.Errorf("the tab says %q", got)
		}
	})

	// Cancel Rossi: a click on the row, Cancel…, Escape keeps it, then Enter.
	c.tapRow(rossi.ID)
	c.waitFor("the details", func() bool { return c.desk.appt.cancel != nil })
	c.tap(c.desk.appt.cancel)
	c.waitFor("the cancel dialog", c.dialogOpen)
	c.key(fyne.KeyEscape)
	if b := d.booking(rossi.ID); b.State != queue.BookingBooked {
		t.Fatalf("Escape cancelled the booking: %s", b.State)
	}
	c.d.do(func() { c.pressCtrl(keyCancelBooking) })
	c.waitFor("the cancel dialog", c.dialogOpen)
	c.key(fyne.KeyReturn)
	c.waitFor("cancelled", func() bool { return strings.Contains(c.rowText(rossi.ID), "cancelled") && !c.dialogOpen() })
	if b := d.booking(rossi.ID); b.State != queue.BookingCancelled || b.CancelledBy != "mario" {
		t.Fatalf("on the server: %s by %q", b.State, b.CancelledBy)
	}
	c.d.do(func() {
		if !strings.Contains(c.message(), "The appointment of Maria Rossi (Tuesday 24 November at 10:00) is cancelled") {
			t.Errorf("message %q", c.message())
		}
		if c.desk.appt.move != nil {
			t.Error("a cancelled booking still offers Move")
		}
	})

	// Move Bianchi to tomorrow's first time: the arrows in the search field
	// choose it, Ctrl+M, Right on the day, Tab to the times, Enter.
	c.d.do(func() {
		c.pressCtrl(keyFind)
		c.press(fyne.KeyDown)
	})
	c.waitFor("Bianchi chosen", func() bool { return c.desk.appt.selected == bianchi.ID })
	c.d.do(func() { c.pressCtrl(keyMove) })
	c.waitFor("the move dialog", c.dialogOpen)
	m := &c.dlg.move
	c.waitSlots(m.slots)
	c.key(fyne.KeyEscape)
	c.d.do(func() {
		c.pressCtrl(keyMove)
		c.w.Canvas().Focus(m.slots.day)
		c.press(fyne.KeyRight)
	})
	c.waitSlots(m.slots)
	c.d.do(func() {
		c.press(fyne.KeyTab)
		c.press(fyne.KeyReturn)
	})
	c.waitFor("moved", func() bool {
		return !c.dialogOpen() && strings.Contains(c.message(), "is moved to Wednesday 25 November at 08:30")
	})
	if b := d.booking(bianchi.ID); !b.Slot.Equal(wednesday("08:30")) || b.Code != bianchi.Code || b.Moves != 1 {
		t.Fatalf("on the server: %s, code %s (was %s), moves %d", b.Slot, b.Code, bianchi.Code, b.Moves)
	}
	c.waitFor("Bianchi off today's list", func() bool { return c.rowText(bianchi.ID) == "" })
}

// The ticket of a booked citizen says so on the card: the appointment's
// time, the name and the note; a late citizen served as a walk-in is told
// apart; and a booking the counter's stream does not carry (the ticket was
// moved here from a service it does not serve) is fetched.
func TestAppointmentOnTheTicket(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false) // A001, waiting since 09:00
	rossi := d.book("anagrafe", officetest.Tuesday("09:30"), "Maria Rossi", "Brings the rental contract.")
	neri := d.book("anagrafe", officetest.Tuesday("10:00"), "Luca Neri", "")
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")

	d.o.Clock.Set(officetest.Tuesday("09:20"))
	if ci := d.checkIn(rossi.Code); ci.Ticket.Number != "P001" {
		t.Fatalf("check-in gave %s", ci.Ticket.Number)
	}
	d.o.Clock.Set(officetest.Tuesday("09:30"))
	c.key(keyNext)
	if n := c.calledNumber(); n != "P001" {
		t.Fatalf("F1 at 09:30 called %s, want the appointment P001", n)
	}
	c.waitFor("the appointment on the card", func() bool { return c.desk.appointment.Visible() })
	c.d.do(func() {
		if got := c.desk.appointment.Text; got != "Appointment at 09:30 · Maria Rossi" {
			t.Errorf("the card says %q", got)
		}
		if got := c.desk.apptNote.Text; !c.desk.apptNote.Visible() || got != "Note: Brings the rental contract." {
			t.Errorf("the note: %q", got)
		}
	})
	// The call's answer may come before the stream's check-in event.
	c.waitFor("the tab to say she arrived", func() bool { return strings.Contains(c.rowText(rossi.ID), "arrived · ticket P001") })
	c.key(keyFinish)
	c.waitIdle()
	c.d.do(func() {
		if c.desk.appointment.Visible() || c.desk.apptNote.Visible() {
			t.Error("the appointment line stays on an empty counter")
		}
	})
	c.key(keyNext) // A001, a walk-in: no line
	c.calledNumber()
	c.d.do(func() {
		if c.desk.appointment.Visible() {
			t.Errorf("a walk-in's ticket says %q", c.desk.appointment.Text)
		}
	})
	c.key(keyFinish)
	c.waitIdle()

	// Neri comes at 10:15, after the window: an ordinary ticket.
	d.o.Clock.Set(officetest.Tuesday("10:15"))
	ci := d.checkIn(neri.Code)
	c.key(keyNext)
	if n := c.calledNumber(); n != ci.Ticket.Number {
		t.Fatalf("called %s, want Neri's %s", n, ci.Ticket.Number)
	}
	c.waitFor("the late line", func() bool {
		return c.desk.appointment.Text == "Late for the appointment at 10:00: served as a walk-in · Luca Neri"
	})
	c.key(keyFinish)
	c.waitIdle()

	// Counter 4 serves only local taxes; the floor assistant moves a
	// social-services appointment there.
	bianchi := d.book("sociali", officetest.Tuesday("10:30"), "Anna Bianchi", "Wheelchair.")
	d.o.Clock.Set(officetest.Tuesday("10:25"))
	p := d.checkIn(bianchi.Code).Ticket
	if _, err := d.anna().MoveTicket(context.Background(), p.ID, "tributi"); err != nil {
		t.Fatal(err)
	}
	d.o.Clock.Set(officetest.Tuesday("10:30"))
	g := d.console(Options{})
	g.logIn("giulia", "4")
	g.openWith("tributi")
	g.key(keyNext)
	if n := g.calledNumber(); n != p.Number {
		t.Fatalf("counter 4 called %s, want %s", n, p.Number)
	}
	g.waitFor("the fetched booking", func() bool { return g.desk.appointment.Text == "Appointment at 10:30 · Anna Bianchi" })
	g.d.do(func() {
		if g.modelBooking(bianchi.ID) != nil {
			t.Error("counter 4's stream carries a social-services booking: the test proves nothing")
		}
	})
}

// The appointments' shortcuts work wherever the focus is, and the desk's
// function keys still work from the search field; behind a dialog none of
// them does anything.
func TestAppointmentKeysWhereverTheFocusIs(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.d.do(func() { c.pressCtrl(keyFind) })
	c.key(keyNext)
	if n := c.calledNumber(); n != "A001" {
		t.Fatalf("F1 from the search field called %s", n)
	}
	c.d.do(func() {
		if c.w.Canvas().Focused() != c.desk.appt.search {
			t.Fatalf("the focus left the search field: %T", c.w.Canvas().Focused())
		}
		c.pressCtrl(keyTabs)
		if c.desk.tabs.Selected() != c.desk.queuesTab {
			t.Error("Ctrl+Tab in the search field did not show the queues")
		}
		c.w.Canvas().Unfocus()
		c.pressCtrl(keyTabs)
		if c.desk.tabs.Selected() != c.desk.apptTab {
			t.Error("Ctrl+Tab with no focus did not show the appointments")
		}
		c.pressCtrl(keyMove)
		if c.dialogOpen() || !strings.Contains(c.message(), "Choose the appointment first") {
			t.Errorf("Ctrl+M with no appointment chosen: dialog %v, message %q", c.dialogOpen(), c.message())
		}
		c.w.Canvas().Focus(c.desk.appt.search)
		c.pressCtrl(keyBook)
	})
	c.waitFor("the Book dialog", c.dialogOpen)
	c.waitSlots(c.dlg.book.slots)
	c.d.do(func() {
		m := c.modal
		c.pressCtrl(keyBook)
		c.pressCtrl(keyTabs)
		c.press(keyFinish)
		if c.modal != m || c.desk.tabs.Selected() != c.desk.apptTab {
			t.Error("a shortcut acted behind the Book dialog")
		}
		c.press(fyne.KeyEscape)
	})
	if tk := d.ticket("A001"); tk.Status != queue.StatusCalled {
		t.Fatalf("A001 after keys behind a dialog: %s", tk.Status)
	}
}

// A booking that changed while the clerk was deciding (the citizen checked
// in at the kiosk) is not cancelled: the dialog says why, and the tab shows
// how it stands.
func TestCancelRefusedWhenTheBookingChanged(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:50"))
	bk := d.book("anagrafe", officetest.Tuesday("10:00"), "Maria Rossi", "")
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.d.do(func() { c.pressCtrl(keyFind); c.press(fyne.KeyDown); c.pressCtrl(keyCancelBooking) })
	c.waitFor("the cancel dialog", c.dialogOpen)
	d.checkIn(bk.Code)
	c.key(fyne.KeyReturn)
	c.waitFor("the refusal", func() bool {
		return strings.Contains(c.dlg.cancelBooking.msg.Text, "changed meanwhile") && c.dialogOpen()
	})
	c.key(fyne.KeyEscape)
	c.waitFor("the tab as it stands", func() bool { return strings.Contains(c.rowText(bk.ID), "arrived · ticket P001") })
	if b := d.booking(bk.ID); b.State != queue.BookingCheckedIn {
		t.Fatalf("on the server: %s", b.State)
	}
}

// The times of the agenda are the office's, whatever the zone of the
// laptop: here the console's clock reads UTC while the office is in Rome.
func TestAppointmentTimesInTheOfficesZone(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	bk := d.book("anagrafe", officetest.Tuesday("10:00"), "Maria Rossi", "")
	c := d.console(Options{Now: func() time.Time { return d.o.Clock.Now().UTC() }})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.d.do(func() { c.pressCtrl(keyTabs) })
	c.waitFor("the booking", func() bool { return strings.HasPrefix(c.rowText(bk.ID), "10:00 Maria Rossi") })
	b := c.openBook()
	c.d.do(func() {
		if got := c.slotTimes(b.slots); len(got) == 0 || got[0] != "09:15" {
			t.Errorf("the first free times: %v, want from 09:15", got)
		}
		if got := b.slots.day.Selected; got != "Tuesday 24 November (today)" {
			t.Errorf("the day: %q", got)
		}
	})
}
