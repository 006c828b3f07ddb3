package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"turno/kiosk/printer"
	"turno/server/client"
	"turno/server/officetest"
	"turno/server/queue"
)

// clerk is a member of staff logged in, who books for citizens on the
// phone as the counter console does.
func clerk(t *testing.T, o *officetest.Office) *client.Client {
	t.Helper()
	c, err := client.New(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(context.Background(), "mario", officetest.Password); err != nil {
		t.Fatal(err)
	}
	return c
}

// bookFor books a slot for a citizen through the API.
func bookFor(t *testing.T, c *client.Client, service string, slot time.Time, name string) *queue.Booking {
	t.Helper()
	b, _, err := c.Book(context.Background(), client.BookRequest{Service: service, Slot: slot, Name: name})
	if err != nil {
		t.Fatalf("book %s at %s: %v", service, slot, err)
	}
	return b
}

// typeCode taps the keypad's keys, a second apart.
func (h *harness) typeCode(code string) {
	h.t.Helper()
	for _, r := range queue.NormalizeCode(code) {
		var key *button
		h.k.locked(func() { key = h.k.ciKeys[r] })
		if key == nil {
			h.t.Fatalf("no key %q on the keypad", r)
		}
		h.tap(key)
	}
}

// scan types s on the window as a USB barcode reader does, all at once,
// and Enter.
func (h *harness) scan(s string) {
	h.k.locked(func() {
		test.TypeOnCanvas(h.win.Canvas(), s)
		h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
}

// typedCode is the code on the check-in screen, without its spacing.
func (k *Kiosk) typedCode() string {
	return strings.ReplaceAll(k.ciCode.parts[0].Text, "\u2009", "")
}

// ticketMark is the ticket's line under the service: priority, or the
// appointment's time.
func (k *Kiosk) ticketMark() string { return k.tNumber.parts[3].Text }

// booking reads a booking as staff see it.
func booking(t *testing.T, c *client.Client, ref string) *queue.Booking {
	t.Helper()
	b, err := c.Booking(context.Background(), ref)
	if err != nil {
		t.Fatalf("booking %s: %v", ref, err)
	}
	return b
}

// A booked citizen taps "I have an appointment", types the code on the
// keypad and confirms: an appointment ticket, called at the slot, printed
// like any ticket. The booking is checked in on the server.
func TestCheckInByTypedCode(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	mario := clerk(t, o)
	b := bookFor(t, mario, "anagrafe", officetest.Tuesday("09:15"), "Maria Rossi")
	dir := t.TempDir()
	h := newHarness(t, o.URL, o.Clock, nil)
	h.k.locked(func() { h.k.opt.PDFs, h.k.opt.Printer = h.c, printer.Folder{Dir: dir} })
	h.tile("anagrafe")
	h.k.locked(func() {
		if !h.k.checkInB.Visible() || h.k.checkInB.Text() != "Ho un appuntamento" {
			t.Fatalf("check-in button: visible %t, %q", h.k.checkInB.Visible(), h.k.checkInB.Text())
		}
	})

	h.tap(h.k.checkInB)
	h.k.locked(func() {
		if h.k.screen != screenCheckIn || !h.k.ciConfirm.Disabled() {
			t.Fatalf("screen %s, Confirm disabled %t: want the keypad, Confirm off", h.k.screen, h.k.ciConfirm.Disabled())
		}
		if got := h.k.typedCode(); got != "___-___" {
			t.Errorf("empty code: got %q", got)
		}
	})
	h.typeCode(b.Code[:5])
	h.k.locked(func() {
		if got, want := h.k.typedCode(), queue.FormatCode(b.Code[:5]+"_"); got != want || !h.k.ciConfirm.Disabled() {
			t.Errorf("five characters: got %q (Confirm disabled %t), want %q and Confirm off", got, h.k.ciConfirm.Disabled(), want)
		}
	})
	h.tap(h.k.ciDelete) // a mistake, corrected
	h.typeCode(b.Code[4:])
	h.typeCode("A") // a seventh does nothing
	h.k.locked(func() {
		if got := h.k.typedCode(); got != queue.FormatCode(b.Code) || h.k.ciConfirm.Disabled() {
			t.Fatalf("the code: got %q (Confirm disabled %t), want %s", got, h.k.ciConfirm.Disabled(), queue.FormatCode(b.Code))
		}
	})
	h.tap(h.k.ciConfirm)
	h.waitFor("the appointment's ticket", func() bool { return h.k.screen == screenTicket })
	h.k.locked(func() {
		if got := h.k.number(); got != "P001" {
			t.Errorf("number: got %q, want P001", got)
		}
		if got := h.k.ticketService(); got != "Anagrafe e stato civile" {
			t.Errorf("service: got %q", got)
		}
		if got := h.k.ticketMark(); got != "Appuntamento delle 09:15" {
			t.Errorf("mark: got %q", got)
		}
		if got := h.k.tFacts.Text(); !strings.HasPrefix(got, "La chiameremo verso le 09:15\n") {
			t.Errorf("facts: got %q", got)
		}
		if h.k.tQR.Image == nil {
			t.Error("no QR code")
		}
	})
	var id string
	h.k.locked(func() { id = h.k.shown.ID })
	h.waitFor("the ticket in the folder", func() bool { return fileHasPDF(filepath.Join(dir, "ticket-P001-"+id+".pdf")) })
	if got := booking(t, mario, b.ID); got.State != queue.BookingCheckedIn || got.Number != "P001" {
		t.Errorf("the booking: %s %q, want checked in as P001", got.State, got.Number)
	}

	// A second check-in with the same code brings back the same ticket,
	// and does not print it again.
	h.tap(h.k.tDone)
	h.tap(h.k.checkInB)
	h.typeCode(strings.ToLower(b.Code))
	h.tap(h.k.ciConfirm)
	h.waitFor("the same ticket", func() bool { return h.k.screen == screenTicket && h.k.number() == "P001" })
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Errorf("printed %d files, want 1", len(files))
	}
}

// Every code the server makes can be typed: each of its characters has a
// key (the keypad copies the server's alphabet).
func TestKeypadTypesEveryCode(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	mario := clerk(t, o)
	h := newHarness(t, o.URL, o.Clock, nil)
	h.tile("anagrafe")
	ctx := context.Background()
	seen := map[rune]bool{}
	n := 0
	for day := 1; day <= 3; day++ {
		for _, svc := range []string{"anagrafe", "tributi", "documenti"} {
			slots, err := mario.Slots(ctx, svc, officetest.Tuesday("12:00").AddDate(0, 0, day))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range slots[:min(len(slots), 4)] {
				for _, r := range bookFor(t, mario, svc, s.Start, "Maria Rossi").Code {
					seen[r] = true
				}
				n++
			}
		}
	}
	h.k.locked(func() {
		for r := range seen {
			if h.k.ciKeys[r] == nil {
				t.Errorf("the server's codes use %q: no key for it", r)
			}
		}
		if len(h.k.ciKeys) != len(codeAlphabet) {
			t.Errorf("%d keys, want %d", len(h.k.ciKeys), len(codeAlphabet))
		}
	})
	t.Logf("%d codes, %d characters seen of %d keys", n, len(seen), len(codeAlphabet))
}

// The confirmation's QR code, read by a USB barcode reader that types it
// and Enter: from the start screen, without a tap, the citizen is checked
// in. A code read or typed on a keyboard works the same; anything else is
// "not a booking code".
func TestCheckInByScannedLink(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	mario := clerk(t, o)
	first := bookFor(t, mario, "anagrafe", officetest.Tuesday("09:15"), "Maria Rossi")
	second := bookFor(t, mario, "tributi", officetest.Tuesday("09:15"), "Luigi Bianchi")
	h := newHarness(t, o.URL, o.Clock, nil)
	h.tile("anagrafe")

	h.scan("https://turno.comune.example/prenota/b/" + first.ID)
	h.waitFor("the first ticket", func() bool { return h.k.screen == screenTicket && h.k.number() == "P001" })
	h.k.locked(func() {
		if got := h.k.ticketMark(); got != "Appuntamento delle 09:15" {
			t.Errorf("mark: got %q", got)
		}
	})

	// Half a reading, then a pause: the next reading starts afresh.
	h.k.locked(h.k.reset)
	h.k.locked(func() { test.TypeOnCanvas(h.win.Canvas(), "https://turno.com") })
	h.clock.Add(2 * time.Second)
	h.scan(strings.ToLower(queue.FormatCode(second.Code)))
	h.waitFor("the second ticket", func() bool { return h.k.screen == screenTicket && h.k.number() == "P002" })

	// On the keypad's screen too, and a reading is not mixed with the
	// keys.
	h.k.locked(h.k.reset)
	h.tap(h.k.checkInB)
	h.typeCode("ACD")
	h.scan("not a booking")
	h.waitFor("the refusal", func() bool { return h.k.screen == screenMessage })
	h.k.locked(func() {
		if got := h.k.mText.Text(); !strings.HasPrefix(got, "Codice non valido\nIl codice letto non è un codice di prenotazione.") {
			t.Errorf("message: got %q", got)
		}
	})
	// A reading on the message: checked in at once.
	h.scan(o.URL + "/prenota/b/" + first.ID + "?lang=en")
	h.waitFor("the first ticket again", func() bool { return h.k.screen == screenTicket && h.k.number() == "P001" })

	// Enter on the keypad is Confirm.
	h.k.locked(h.k.reset)
	h.tap(h.k.checkInB)
	h.typeCode(second.Code)
	h.scan("")
	h.waitFor("the second ticket again", func() bool { return h.k.screen == screenTicket && h.k.number() == "P002" })
}

// A reading is not taken on the booking keyboard (a link is not a name),
// nor while a request is under way.
func TestReadingsWhereNoneIsTaken(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("12:10"))
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	h.waitFor("the offer", func() bool { return anagrafe.Stopped() && !anagrafe.Disabled() })
	h.tap(anagrafe)
	h.tap(h.k.infoTake)
	h.k.locked(func() {
		if h.k.screen != screenBook {
			t.Fatalf("screen %s, want the booking", h.k.screen)
		}
	})
	h.scan("https://turno.comune.example/prenota/b/0123456789abcdef0123456789abcdef")
	h.k.locked(func() {
		if h.k.screen != screenBook || len(h.k.typedName) != 0 || len(h.k.scan) != 0 {
			t.Errorf("a reading on the booking keyboard: screen %s, name %q", h.k.screen, string(h.k.typedName))
		}
	})
}

// Each refusal in plain words, with what to do: too early (and when to
// come back), not today, unknown, cancelled (with the next free
// appointment), already used; and a late citizen of a walk-in service
// gets an ordinary ticket, told why.
func TestCheckInRefusals(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	mario := clerk(t, o)
	ctx := context.Background()
	early := bookFor(t, mario, "anagrafe", officetest.Tuesday("11:00"), "Maria Rossi")
	tomorrow := bookFor(t, mario, "anagrafe", officetest.Tuesday("09:15").AddDate(0, 0, 1), "Maria Rossi")
	cancelled := bookFor(t, mario, "tributi", officetest.Tuesday("10:00"), "Luigi Bianchi")
	if _, err := mario.CancelBooking(ctx, cancelled.ID); err != nil {
		t.Fatal(err)
	}
	used := bookFor(t, mario, "anagrafe", officetest.Tuesday("09:15"), "Anna Verdi")
	late := bookFor(t, mario, "anagrafe", officetest.Tuesday("09:30"), "Paolo Neri")

	h := newHarness(t, o.URL, o.Clock, nil)
	h.tile("anagrafe")
	checkIn := func(code string) {
		t.Helper()
		h.k.locked(h.k.reset)
		h.tap(h.k.checkInB)
		h.typeCode(code)
		h.tap(h.k.ciConfirm)
		h.waitFor("the answer to "+code, func() bool { return !h.k.busy && h.k.screen != screenBusy && h.k.screen != screenCheckIn })
	}
	message := func(want ...string) {
		t.Helper()
		h.k.locked(func() {
			if h.k.screen != screenMessage {
				t.Errorf("screen %s, want a message", h.k.screen)
				return
			}
			got := h.k.mText.Text()
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("message %q lacks %q", got, w)
				}
			}
		})
	}

	checkIn(early.Code)
	message("È in anticipo", "Il suo appuntamento è alle 11:00: può confermare il suo arrivo dalle 10:45.", "Torni a questo totem dalle 10:45.")
	h.k.locked(func() { h.k.setLanguage("en") })
	message("You are early", "Your appointment is at 11:00: you can check in from 10:45.", "Please come back to this kiosk from 10:45.")

	checkIn(tomorrow.Code)
	message("L'appuntamento non è oggi", "Il suo appuntamento è domani alle 09:15, non oggi.", "Torni quel giorno")

	checkIn("ACDEFG")
	message("Codice non trovato", "Il codice ACD-EFG non corrisponde a nessuna prenotazione.", "Controlli il codice sulla conferma")

	// Cancelled: it says so, and offers the service's next free
	// appointment.
	checkIn(cancelled.Code)
	h.k.locked(func() {
		if h.k.screen != screenBook {
			t.Fatalf("cancelled: screen %s, want the offer of an appointment", h.k.screen)
		}
		// The service's next free appointment as the stream last told it:
		// 11:00 at 09:00 with two hours' notice, 11:15 once the clock has
		// moved past 09:00 and the server has sent its views again.
		slot := h.k.offer.slot
		if !slot.Equal(officetest.Tuesday("11:00")) && !slot.Equal(officetest.Tuesday("11:15")) {
			t.Errorf("cancelled: offered %s, want the next free appointment, 11:00 or 11:15", slot)
		}
		got := h.k.bkHeading.Text()
		for _, w := range []string{"Prenotazione annullata", "Questa prenotazione è stata annullata.", "Tributi (IMU, TARI)",
			"Primo appuntamento libero: oggi alle " + slot.In(officetest.Rome).Format("15:04")} {
			if !strings.Contains(got, w) {
				t.Errorf("cancelled: %q lacks %q", got, w)
			}
		}
		if !h.k.bkConfirm.Disabled() {
			t.Error("Book can be pressed before a name is typed")
		}
	})

	// Checked in, called, served: the code is used.
	checkIn(used.Code)
	h.k.locked(func() {
		if h.k.screen != screenTicket {
			t.Fatalf("screen %s, want the ticket", h.k.screen)
		}
	})
	o.Clock.Set(officetest.Tuesday("09:15"))
	if _, err := mario.Open(ctx, "1", []string{"anagrafe"}); err != nil {
		t.Fatal(err)
	}
	if res, err := mario.Next(ctx, "1"); err != nil || res.Ticket == nil || res.Ticket.Booking != used.ID {
		t.Fatalf("next: got %+v %v, want the appointment", res, err)
	}
	if _, err := mario.Finish(ctx, "1", queue.OutcomeResolved, "", ""); err != nil {
		t.Fatal(err)
	}
	checkIn(used.Code)
	message("Prenotazione già usata", "Questa prenotazione è già stata usata oggi.", "prenda un numero")

	// Late for a walk-in service: an ordinary ticket, and why.
	o.Clock.Set(officetest.Tuesday("09:45"))
	checkIn(late.Code)
	h.k.locked(func() {
		if h.k.screen != screenTicket || !strings.HasPrefix(h.k.number(), "A") {
			t.Fatalf("late: screen %s number %q, want a walk-in ticket", h.k.screen, h.k.number())
		}
		if h.k.ticketMark() != "" {
			t.Errorf("late: the ticket says %q", h.k.ticketMark())
		}
		if got := h.k.tFacts.Text(); !strings.HasPrefix(got, "L'ora del suo appuntamento è passata: la chiameremo dopo le persone già in attesa.\n") ||
			!strings.Contains(got, "Attesa prevista") {
			t.Errorf("late: facts %q", got)
		}
	})
	if got := booking(t, mario, late.ID); got.State != queue.BookingCheckedIn || !got.Late {
		t.Errorf("late booking: %s late=%t", got.State, got.Late)
	}
}

// Too late for a service that asks to book again: the refusal offers the
// next free appointment right there; the citizen types a name and books
// it, gets the code large and the confirmation printed.
func TestTooLateBooksTheNextFreeAppointment(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("08:45"))
	mario := clerk(t, o)
	b := bookFor(t, mario, "sociali", officetest.Tuesday("09:00"), "Anna Verdi")
	dir := t.TempDir()
	h := newHarness(t, o.URL, o.Clock, nil)
	h.k.locked(func() { h.k.opt.PDFs, h.k.opt.Printer = h.c, printer.Folder{Dir: dir} })
	h.tile("sociali")
	o.Clock.Set(officetest.Tuesday("09:20")) // the window closed at 09:10

	h.tap(h.k.checkInB)
	h.typeCode(b.Code)
	h.tap(h.k.ciConfirm)
	h.waitFor("the offer", func() bool { return h.k.screen == screenBook })
	var slot time.Time
	h.k.locked(func() {
		got := h.k.bkHeading.Text()
		for _, w := range []string{"L'ora dell'appuntamento è passata", "Il suo appuntamento era alle 09:00 e il tempo per confermare l'arrivo è scaduto.",
			"Servizi sociali", "Primo appuntamento libero: oggi alle 11:30", "Digiti nome e cognome"} {
			if !strings.Contains(got, w) {
				t.Errorf("offer: %q lacks %q", got, w)
			}
		}
		slot = h.k.offer.slot
	})
	for _, r := range "ANNA DELL'ÒRTO" {
		var key *button
		h.k.locked(func() {
			key = h.k.bkKeys[r]
			if r == ' ' {
				key = h.k.bkSpace
			}
		})
		h.tap(key)
	}
	h.tap(h.k.bkConfirm)
	h.waitFor("the booking", func() bool { return h.k.screen == screenBooked })
	var code, id string
	h.k.locked(func() {
		code, id = h.k.booked.Code, h.k.booked.ID
		got := h.k.bdCode.Text()
		for _, w := range []string{"Il suo codice di prenotazione", queue.FormatCode(code), "Servizi sociali", "Oggi alle 11:30"} {
			if !strings.Contains(got, w) {
				t.Errorf("booked: %q lacks %q", got, w)
			}
		}
		if h.k.bdQR.Image == nil {
			t.Error("no QR code of the booking's page")
		}
	})
	nb := booking(t, mario, code)
	if nb.ID != id || nb.Name != "Anna Dell'Òrto" || nb.Channel != queue.ChannelKiosk || !nb.Slot.Equal(slot) || nb.State != queue.BookingBooked {
		t.Errorf("the booking on the server: %+v", nb)
	}
	h.waitFor("the confirmation in the folder", func() bool {
		return fileHasPDF(filepath.Join(dir, "booking-"+code+"-2026-11-24.pdf"))
	})
}

// A service cut off offers its next free appointment on its button: a tap
// opens its sheet (why, the appointment, what to bring) with Book in
// Take's place; the name is typed on the keyboard, and the appointment
// is booked at the kiosk. The button then offers the next one.
func TestBookTheNextFreeAppointmentOfACutOffService(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("12:10"))
	mario := clerk(t, o)
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	h.waitFor("the offer on the button", func() bool { return anagrafe.Stopped() && !anagrafe.Disabled() })
	h.k.locked(func() {
		for _, w := range []string{"12:30", "Riapre oggi alle 15:00."} {
			if !strings.Contains(anagrafe.detail, w) {
				t.Errorf("reason %q lacks %q", anagrafe.detail, w)
			}
		}
		if anagrafe.hint != "Prenoti per oggi alle 15:00\u00a0›" {
			t.Errorf("hint: got %q", anagrafe.hint)
		}
	})
	h.tap(anagrafe)
	h.k.locked(func() {
		if h.k.screen != screenInfo || h.k.infoTake.Disabled() || h.k.infoTake.Text() != "Prenoti l'appuntamento" {
			t.Fatalf("screen %s, Take %q disabled %t: want the sheet with Book", h.k.screen, h.k.infoTake.Text(), h.k.infoTake.Disabled())
		}
		if got := h.k.infoTitle.Text(); !strings.Contains(got, "Primo appuntamento libero: oggi alle 15:00") {
			t.Errorf("sheet's title: %q", got)
		}
	})
	h.tap(h.k.infoTake)
	h.k.locked(func() {
		if h.k.screen != screenBook || !h.k.bkConfirm.Disabled() {
			t.Fatalf("screen %s, Book disabled %t", h.k.screen, h.k.bkConfirm.Disabled())
		}
		if got := h.k.bkName.Text(); got != "Nome e cognome" {
			t.Errorf("empty name: %q", got)
		}
	})
	for _, r := range "M" {
		h.tap(h.k.bkKeys[r])
	}
	h.tap(h.k.bkSpace)
	h.tap(h.k.bkSpace) // no double space
	h.k.locked(func() {
		if !h.k.bkConfirm.Disabled() {
			t.Error("Book with one letter")
		}
	})
	for _, r := range "ROSSI" {
		h.tap(h.k.bkKeys[r])
	}
	h.tap(h.k.bkKeys['X'])
	h.tap(h.k.bkDelete)
	h.k.locked(func() {
		if got := h.k.bkName.Text(); got != "M Rossi_" || h.k.bkConfirm.Disabled() {
			t.Errorf("name: %q, Book disabled %t", got, h.k.bkConfirm.Disabled())
		}
	})
	// A double tap books once.
	h.k.locked(func() {
		test.Tap(h.k.bkConfirm)
		test.Tap(h.k.bkConfirm)
	})
	h.waitFor("the booking", func() bool { return h.k.screen == screenBooked })
	var code string
	h.k.locked(func() { code = h.k.booked.Code })
	all, err := mario.Bookings(context.Background(), officetest.Tuesday("12:00"), "anagrafe")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Code != code || all[0].Name != "M Rossi" || !all[0].Slot.Equal(officetest.Tuesday("15:00")) {
		t.Errorf("bookings: %+v", all)
	}
	h.tap(h.k.bdDone)
	h.waitFor("the next offer", func() bool { return anagrafe.hint == "Prenoti per oggi alle 15:15\u00a0›" })
}

// The slot is taken between the offer and Book: the kiosk says so, and
// where the next one is.
func TestBookingATakenSlot(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("12:10"))
	mario := clerk(t, o)
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	h.waitFor("the offer", func() bool { return anagrafe.Stopped() && !anagrafe.Disabled() })
	h.tap(anagrafe)
	h.tap(h.k.infoTake)
	bookFor(t, mario, "anagrafe", officetest.Tuesday("15:00"), "Someone Else")
	for _, r := range "ROSSI" {
		h.tap(h.k.bkKeys[r])
	}
	h.waitFor("the next free slot", func() bool {
		sv := h.k.model.Service("anagrafe")
		return sv.Agenda.NextFree != nil && sv.Agenda.NextFree.Start.Equal(officetest.Tuesday("15:15"))
	})
	h.tap(h.k.bkConfirm)
	h.waitFor("the refusal", func() bool { return h.k.screen == screenMessage })
	h.k.locked(func() {
		want := "Appuntamento non prenotato\nL'orario scelto non è più disponibile.\nIl primo appuntamento libero ora è oggi alle 15:15: tocchi di nuovo il servizio per prenotarlo."
		if got := h.k.mText.Text(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

// The idle reset clears what the citizen typed: the code, half a reading,
// the name.
func TestIdleResetClearsWhatWasTyped(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("12:10"))
	h := newHarness(t, o.URL, o.Clock, nil)
	h.tile("anagrafe")
	h.tap(h.k.checkInB)
	h.typeCode("KM4")
	h.k.locked(func() { test.TypeOnCanvas(h.win.Canvas(), "https://tur") })
	h.elapse(59 * time.Second)
	h.k.locked(func() {
		if h.k.screen != screenCheckIn || h.k.typedCode() != "KM4-___" {
			t.Fatalf("after 59 s: screen %s code %q", h.k.screen, h.k.typedCode())
		}
	})
	h.elapse(2 * time.Second)
	h.k.locked(func() {
		if h.k.screen != screenStart || len(h.k.code) != 0 || len(h.k.scan) != 0 || !h.k.fresh() {
			t.Fatalf("after a minute: screen %s code %q scan %q", h.k.screen, string(h.k.code), string(h.k.scan))
		}
	})
	h.tap(h.k.checkInB)
	h.k.locked(func() {
		if got := h.k.typedCode(); got != "___-___" {
			t.Errorf("the next citizen finds %q", got)
		}
	})

	// The name on the booking keyboard, the same.
	anagrafe := h.tile("anagrafe")
	h.k.locked(h.k.reset)
	h.tap(anagrafe)
	h.tap(h.k.infoTake)
	for _, r := range "ROSSI" {
		h.tap(h.k.bkKeys[r])
	}
	h.elapse(61 * time.Second)
	h.k.locked(func() {
		if h.k.screen != screenStart || len(h.k.typedName) != 0 || h.k.offer != nil {
			t.Errorf("after a minute: screen %s name %q", h.k.screen, string(h.k.typedName))
		}
	})
}

func TestBookingRef(t *testing.T) {
	id := "0123456789abcdef0123456789abcdef"
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"https://turno.comune.example/prenota/b/" + id, id, true},
		{"http://10.0.0.5:8080/prenota/b/" + strings.ToUpper(id) + "?lang=en", id, true},
		{"km4-txa", "KM4TXA", true},
		{" KM4 TXA ", "KM4TXA", true},
		{"KM4-TX", "", false},                  // too short
		{"KM5-TXA", "", false},                 // 5 is not in the alphabet
		{"https://x/t/" + id + "0", "", false}, // 33 digits: not an id
		{"hello", "", false},
	} {
		got, ok := bookingRef(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("bookingRef(%q): got %q %t, want %q %t", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestTitleCase(t *testing.T) {
	for in, want := range map[string]string{
		"MARIA ROSSI":        "Maria Rossi",
		"DELL'ACQUA NICCOLÒ": "Dell'Acqua Niccolò",
		"ÈLIA":               "Èlia",
	} {
		if got := titleCase(in); got != want {
			t.Errorf("titleCase(%q): got %q, want %q", in, got, want)
		}
	}
}

// Late for a service that serves late comers as walk-ins, when it issues
// no more tickets: the kiosk says both, and offers the next free
// appointment.
func TestLateCheckInWhenNoMoreTickets(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("11:50"))
	mario := clerk(t, o)
	b := bookFor(t, mario, "anagrafe", officetest.Tuesday("12:00"), "Maria Rossi")
	h := newHarness(t, o.URL, o.Clock, nil)
	h.tile("anagrafe")
	o.Clock.Set(officetest.Tuesday("12:20")) // the window closed at 12:10, the tickets at 12:00
	h.tap(h.k.checkInB)
	h.typeCode(b.Code)
	h.tap(h.k.ciConfirm)
	h.waitFor("the offer", func() bool { return h.k.screen == screenBook })
	h.k.locked(func() {
		got := h.k.bkHeading.Text()
		for _, w := range []string{"L'ora dell'appuntamento è passata", "Il tempo per confermare il suo appuntamento è scaduto. Biglietti terminati",
			"12:30", "Primo appuntamento libero: oggi alle 15:00"} {
			if !strings.Contains(got, w) {
				t.Errorf("offer: %q lacks %q", got, w)
			}
		}
	})
	if got := booking(t, mario, b.ID); got.State == queue.BookingCheckedIn {
		t.Errorf("the booking was checked in without a ticket: %+v", got)
	}
}
