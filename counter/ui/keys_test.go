package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"turno/server/officetest"
	"turno/server/queue"
)

// serving opens counter 1 for anagrafe and tributi and starts serving the
// first ticket; it returns its number.
func serving(t *testing.T, d *desk) (*console, string) {
	t.Helper()
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe", "tributi")
	c.key(keyNext)
	n := c.calledNumber()
	c.key(keyStart)
	c.waitFor("serving", func() bool { return !c.busy && c.current().Status == queue.StatusServing })
	return c, n
}

func (c *console) dialogOpen() bool { return c.modal != nil }

// In the back-office dialog Tab leaves the case reference and the note,
// Enter in the note starts a new line, Ctrl+Enter in the note forwards,
// and Enter in the case reference forwards too.
func TestForwardByKeys(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	d.issue("anagrafe", false)
	c, n := serving(t, d)

	c.key(keyForward)
	c.waitFor("the dialog", c.dialogOpen)
	f := &c.dlg.forward
	c.d.do(func() {
		if c.w.Canvas().Focused() != f.caseRef {
			t.Fatalf("the dialog opens with the focus on %T, want the case reference", c.w.Canvas().Focused())
		}
		c.typeRunes("ANA-2026-118")
		c.press(fyne.KeyTab)
		if c.w.Canvas().Focused() != f.note {
			t.Fatalf("Tab from the case reference focused %T, want the note", c.w.Canvas().Focused())
		}
		c.typeRunes("Missing consent.")
		c.press(fyne.KeyReturn)
		c.typeRunes("Back on Monday.")
		if !c.dialogOpen() {
			t.Fatal("Enter in the note closed the dialog")
		}
		c.press(fyne.KeyTab)
		if c.w.Canvas().Focused() == f.note {
			t.Fatal("Tab stays in the note")
		}
		c.w.Canvas().Focus(f.note)
		c.pressCtrl(fyne.KeyReturn)
	})
	c.waitIdle()
	c.waitFor("the confirmation", func() bool { return strings.Contains(c.message(), n+" forwarded to the back office (ANA-2026-118)") })
	if tk := d.ticket(n); tk.Outcome != queue.OutcomeForwarded || tk.CaseRef != "ANA-2026-118" || tk.Note != "Missing consent.\nBack on Monday." {
		t.Fatalf("%s on the server: outcome %s, case %q, note %q", n, tk.Outcome, tk.CaseRef, tk.Note)
	}

	// Enter in the case reference forwards at once.
	c.key(keyNext)
	n2 := c.calledNumber()
	c.key(keyForward)
	c.waitFor("the dialog", c.dialogOpen)
	c.d.do(func() { c.typeRunes("ANA-2026-119") })
	c.key(fyne.KeyReturn)
	c.waitIdle()
	if tk := d.ticket(n2); tk.CaseRef != "ANA-2026-119" {
		t.Fatalf("%s on the server: case %q", n2, tk.CaseRef)
	}
}

// Escape closes every dialog and changes nothing; so does Enter on its
// focused Cancel button.
func TestEscapeCancelsEveryDialog(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	d.issue("anagrafe", false)
	d.issue("documenti", false)
	c, n := serving(t, d)
	for _, k := range []fyne.KeyName{keyForward, keyTransfer} {
		c.key(k)
		c.waitFor("the dialog", c.dialogOpen)
		c.d.do(func() { c.typeRunes("2") })
		c.key(fyne.KeyEscape)
		c.d.do(func() {
			if c.dialogOpen() {
				t.Errorf("%s: Escape left the dialog open", k)
			}
		})
		// And with the focus on Cancel, Enter cancels.
		c.key(k)
		c.waitFor("the dialog", c.dialogOpen)
		c.d.do(func() { c.w.Canvas().Focus(c.dlg.cancel) })
		c.key(fyne.KeyReturn)
		c.d.do(func() {
			if c.dialogOpen() {
				t.Errorf("%s: Enter on Cancel left the dialog open", k)
			}
		})
	}
	if tk := d.ticket(n); tk.Status != queue.StatusServing || tk.Service != "anagrafe" {
		t.Fatalf("%s after cancelled dialogs: %s in %s, want serving in anagrafe", n, tk.Status, tk.Service)
	}

	// The no-show dialog.
	c.key(keyFinish)
	c.waitIdle()
	c.key(keyNext)
	c.calledNumber()
	c.key(keyNoShow)
	c.waitIdle()
	c.key(keyReactivate)
	c.waitFor("the dialog", c.dialogOpen)
	c.key(fyne.KeyEscape)
	c.d.do(func() {
		if c.dialogOpen() {
			t.Error("no-show dialog: Escape left it open")
		}
	})

	// The register dialog, at the fast-track counter.
	f := d.console(Options{})
	f.logIn("luca", "6")
	f.openWith("documenti")
	f.key(keyNext)
	f.calledNumber()
	f.key(keyRegister)
	f.waitFor("the dialog", f.dialogOpen)
	f.d.do(func() { f.typeRunes("Istanza") })
	f.key(fyne.KeyEscape)
	f.d.do(func() {
		if f.dialogOpen() {
			t.Error("register dialog: Escape left it open")
		}
	})
	if tk := d.ticket("D001"); tk.Protocol != "" {
		t.Fatalf("D001 registered by a cancelled dialog: %q", tk.Protocol)
	}
}

// A transfer is three keys: F7, the service's number or letter, Enter.
func TestTransferInThreeKeys(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	d.issue("anagrafe", false)
	c, n := serving(t, d)

	c.key(keyTransfer)
	c.waitFor("the dialog", c.dialogOpen)
	var offered []string
	c.d.do(func() {
		offered = slices.Clone(c.dlg.transfer.ids)
		c.typeRunes("2")
	})
	c.key(fyne.KeyReturn)
	c.waitIdle()
	to := offered[1]
	if tk := d.ticket(n); tk.Status != queue.StatusWaiting || tk.Service != to {
		t.Fatalf("%s after F7, 2, Enter: %s in %s, want waiting in %s (offered %v)", n, tk.Status, tk.Service, to, offered)
	}

	// By the service's letter: T is Tributi.
	c.key(keyNext)
	n2 := c.calledNumber()
	c.key(keyTransfer)
	c.waitFor("the dialog", c.dialogOpen)
	c.d.do(func() { c.typeRunes("t") })
	c.key(fyne.KeyReturn)
	c.waitIdle()
	if tk := d.ticket(n2); tk.Service != "tributi" {
		t.Fatalf("%s after F7, t, Enter: in %s, want tributi", n2, tk.Service)
	}

	// Enter with no service chosen says so and stays.
	c.key(keyNext)
	c.calledNumber()
	c.key(keyTransfer)
	c.waitFor("the dialog", c.dialogOpen)
	c.key(fyne.KeyReturn)
	c.d.do(func() {
		if !c.dialogOpen() || !c.dlg.transfer.msg.Visible() {
			t.Error("Enter with no service chosen: the dialog closed, or said nothing")
		}
	})
}

// F12 then Enter puts the newest no-show back in its queue; a digit picks
// another.
func TestReactivateByKeys(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	for range 3 {
		d.issue("anagrafe", false)
	}
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	for range 2 {
		c.key(keyNext)
		c.calledNumber()
		d.o.Clock.Add(1)
		c.key(keyNoShow)
		c.waitIdle()
	}
	c.waitFor("two no-shows", func() bool { return len(c.desk.reactivate) == 2 })
	c.keys(keyReactivate, fyne.KeyReturn) // the newest: A002
	c.waitFor("A002 back", func() bool { return strings.Contains(c.message(), "A002 is back in its queue") })
	if tk := d.ticket("A002"); tk.Status != queue.StatusWaiting {
		t.Fatalf("A002: %s, want waiting", tk.Status)
	}
	c.key(keyReactivate)
	c.waitFor("the dialog", c.dialogOpen)
	c.d.do(func() { c.typeRunes("1") })
	c.key(fyne.KeyReturn)
	c.waitFor("A001 back", func() bool { return strings.Contains(c.message(), "A001 is back in its queue") })

	// With none left, F12 says so.
	c.key(keyReactivate)
	c.d.do(func() {
		if c.dialogOpen() || !strings.Contains(c.message(), "no recent no-show") {
			t.Errorf("F12 with no no-show: dialog %v, message %q", c.dialogOpen(), c.message())
		}
	})
}

// The register dialog confirms with Enter, refuses an empty or too long
// description in words, and F11 saves the receipt.
func TestRegisterAndSaveByKeys(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("documenti", false)
	f := d.console(Options{})
	f.logIn("luca", "6")
	f.openWith("documenti")
	f.key(keyNext)
	f.calledNumber()
	f.key(keySave)
	f.waitFor("no receipt yet, in words", func() bool { return strings.Contains(f.message(), "register the document first (F8)") })
	f.key(keyRegister)
	f.waitFor("the dialog", f.dialogOpen)
	f.key(fyne.KeyReturn)
	f.waitFor("empty refused", func() bool { return f.dlg.register.msg.Visible() && f.dialogOpen() })
	f.typeIn(f.dlg.register.document, strings.Repeat("x", queue.MaxDocument+1))
	f.key(fyne.KeyReturn)
	f.waitFor("too long refused", func() bool { return strings.Contains(f.dlg.register.msg.Text, "too long") && f.dialogOpen() })
	f.typeIn(f.dlg.register.document, "Istanza cambio di residenza")
	f.key(fyne.KeyReturn)
	f.waitFor("the protocol number", func() bool { return !f.busy && f.desk.protocol.Visible() })
	f.key(keySave)
	f.waitFor("saved", func() bool { return strings.Contains(f.message(), "saved as") })
}

// The choice of services opens the counter with Enter and goes back to the
// desk with Escape.
func TestOpenScreenByKeys(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.key(fyne.KeyReturn)
	c.waitFor("the desk", func() bool { return c.screen == screenDesk && c.counter != nil && c.counter.State == queue.CounterOpen })
	c.tap(c.desk.services)
	c.waitFor("the choice", func() bool { return c.screen == screenOpen })
	c.key(fyne.KeyEscape)
	c.waitFor("the desk again", func() bool { return c.screen == screenDesk })
}
