package ui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"turno/server/client"
	"turno/server/officetest"
	"turno/server/queue"
)

// book makes a booking as the floor assistant does, by phone.
func (d *desk) book(service string, slot time.Time, name, note string) *queue.Booking {
	d.t.Helper()
	b, _, err := d.as("anna").Book(context.Background(), client.BookRequest{Service: service, Slot: slot, Name: name, Note: note})
	if err != nil {
		d.t.Fatalf("book %s at %s: %v", service, slot.Format("Mon 15:04"), err)
	}
	return b
}

// booking reads a booking as the server has it.
func (d *desk) booking(ref string) *queue.Booking {
	d.t.Helper()
	b, err := d.as("anna").Booking(context.Background(), ref)
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
	var code string
	c.waitFor("the code", func() bool {
		if c.dlg.booked.code == nil || c.modal == nil {
			return false
		}
		code = c.dlg.booked.code.Text
		return true
	})
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
