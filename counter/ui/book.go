package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

// Booking for a citizen on the phone or at the desk (Ctrl+N), and moving a
// booking to another time: dialogs built like the others, Enter confirms
// and Escape cancels.

// bookSize is the Book dialog's size: the slot choice and the citizen's
// details side by side, so that nothing hides below the fold of a laptop.
var bookSize = fyne.NewSize(920, 600)

type bookDialog struct {
	slots   *slotChooser
	name    *keyEntry
	contact *keyEntry
	note    *keyEntry
	atDesk  *keyCheck
	confirm *keyButton
	msg     *widget.Label
	// key makes the dialog's bookings one: a retry after an answer lost
	// on the way is answered with the booking already made.
	key string
	// unsure is the request whose answer was lost: it may have booked.
	unsure  *client.BookRequest
	sending bool
	shown   *modal
}

type bookedDialog struct {
	code    *canvas.Text
	spelled *widget.Label
	what    *widget.Label
	earlier *widget.Label // nil unless an earlier attempt had booked
	done    *keyButton
}

type moveDialog struct {
	booking queue.Booking
	slots   *slotChooser
	confirm *keyButton
	msg     *widget.Label
	sending bool
	shown   *modal
}

type cancelDialog struct {
	booking queue.Booking
	confirm *keyButton
	msg     *widget.Label
	sending bool
	shown   *modal
}

// isOpen reports whether m is the dialog showing: the clerk may close a
// dialog (Escape) while its call is in flight.
func (c *Console) isOpen(m *modal) bool { return m != nil && c.modal == m }

// newKey returns a fresh idempotency key.
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// bookableServices are the services of this counter that take
// appointments: those chosen today first, then the others it may serve.
func (c *Console) bookableServices() []string {
	if c.counter == nil {
		return nil
	}
	var ids []string
	for _, id := range slices.Concat(c.counter.Services, c.counter.MayServe) {
		if v := c.serviceView(id); v != nil && v.Appointments && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// showBook opens the Book dialog (Ctrl+N): the service (the current
// ticket's, if it takes appointments), the first day with a free time,
// and the citizen's details. A citizen at the desk is booked through the
// counter channel, one on the phone through the phone channel.
func (c *Console) showBook() {
	if c.screen != screenDesk || c.modal != nil {
		return
	}
	ids := c.bookableServices()
	if len(ids) == 0 {
		c.say(tr("None of this counter's services takes appointments."), false)
		return
	}
	cur := c.current()
	want := ""
	if cur != nil {
		want = cur.Service
	}
	b := &c.dlg.book
	*b = bookDialog{key: newKey()}
	b.slots = c.newSlotChooser(ids, want, c.opt.Now())
	b.name = c.newEntry(false)
	b.contact = c.newEntry(false)
	b.note = c.newEntry(true)
	b.note.SetMinRowsVisible(3)
	b.atDesk = c.newCheck(tr("The citizen is here at the desk (not on the phone)"), nil)
	b.atDesk.SetChecked(cur != nil && cur.Status == queue.StatusServing)
	b.msg = newMessage()
	b.confirm = c.newButton(withKey(tr("Book"), keyConfirm()), theme.ConfirmIcon(), c.doBook)

	var service fyne.CanvasObject
	if b.slots.service != nil {
		service = field(tr("Service"), b.slots.service)
	} else {
		service = field(tr("Service"), widget.NewLabel(c.serviceName(b.slots.serviceID)))
	}
	left := newRows(service,
		field(tr("Day"), b.slots.day),
		field(tr("Free times"), b.slots.grid),
		b.slots.status)
	right := newRows(
		field(tr("Citizen's name and surname"), b.name),
		field(tr("Contact (optional)"), b.contact),
		hint(tr("An e-mail address or a phone number, to reach the citizen if the office must change the appointment.")),
		field(tr("Note for the clerk (optional)"), b.note),
		b.atDesk)
	content := newRows(
		hint(tr("Choose the service, the day and a free time (arrows), then type the citizen's name. Tab moves to the next field; Enter books; Esc cancels.")),
		newColumns(left, right),
		b.msg)
	focus := fyne.Focusable(b.slots.grid)
	if b.slots.service != nil {
		focus = b.slots.service
	}
	c.showModal(dialogSpec{title: tr("Book an appointment"), content: content, confirm: b.confirm, focus: focus, size: bookSize})
	b.shown = c.modal
}

// doBook checks the dialog and books, keeping the dialog open until the
// server answers: a refusal is said there, with the times refreshed.
func (c *Console) doBook() {
	b := &c.dlg.book
	if b.sending {
		return
	}
	slot, ok := b.slots.selected()
	name := strings.TrimSpace(b.name.Text)
	contact := strings.TrimSpace(b.contact.Text)
	note := strings.TrimSpace(b.note.Text)
	switch {
	case !ok:
		c.setMessage(b.msg, tr("Choose a free time first."), true)
		c.w.Canvas().Focus(b.slots.grid)
		return
	case name == "":
		c.setMessage(b.msg, tr("The citizen's name is needed: the clerk greets them by it."), true)
		c.w.Canvas().Focus(b.name)
		return
	case utf8.RuneCountInString(name) > queue.MaxBookingName:
		c.setMessage(b.msg, tooLong(tr("The name"), utf8.RuneCountInString(name), queue.MaxBookingName), true)
		c.w.Canvas().Focus(b.name)
		return
	case utf8.RuneCountInString(note) > queue.MaxBookingNote:
		c.setMessage(b.msg, tooLong(tr("The note"), utf8.RuneCountInString(note), queue.MaxBookingNote), true)
		c.w.Canvas().Focus(b.note)
		return
	}
	if _, ok := queue.NormalizeContact(contact); !ok {
		c.setMessage(b.msg, tr("The contact must be an e-mail address (name@example.it) or a phone number (6 to 15 digits). Correct it or leave it empty."), true)
		c.w.Canvas().Focus(b.contact)
		return
	}
	channel := queue.ChannelPhone
	if b.atDesk.Checked {
		channel = queue.ChannelCounter
	}
	req := client.BookRequest{Service: b.slots.serviceID, Slot: slot.Start, Name: name, Contact: contact, Note: note,
		Channel: channel, IdempotencyKey: b.key}
	c.sendBooking(req, false)
}

// sendBooking sends req; recovering says it is the lost attempt sent again
// to learn what it booked.
func (c *Console) sendBooking(req client.BookRequest, recovering bool) {
	b := &c.dlg.book
	b.sending = true
	b.confirm.Disable()
	c.setMessage(b.msg, tr("Booking…"), false)
	var booked *queue.Booking
	c.run(func(ctx context.Context) error {
		var err error
		booked, _, err = c.cl.Book(ctx, req)
		return err
	}, func(err error) {
		if c.dlg.book.key != req.IdempotencyKey {
			// Another Book dialog since: a booking made is still told,
			// with its code, on the desk.
			if err == nil {
				c.say(bookedLine(c, booked), false)
			}
			return
		}
		b.sending = false
		b.confirm.Enable()
		open := c.isOpen(b.shown)
		switch {
		case err == nil && (open || c.modal == nil):
			earlier := recovering || (b.unsure != nil && (b.unsure.Service != req.Service || !b.unsure.Slot.Equal(req.Slot)))
			c.showBooked(booked, earlier)
		case err == nil: // the clerk is in another dialog: the code stays on the desk
			c.say(bookedLine(c, booked), false)
		case open:
			c.bookRefused(req, err, recovering)
		default:
			if _, what := explain(err); what == offline {
				c.say(tr("The server did not answer the booking for {{.Name}}: it may have been made. Look for it by name (Ctrl+F) before booking again.", "Name", req.Name), true)
			}
		}
	})
}

// bookRefused says why a booking was refused, in words, and what to do.
func (c *Console) bookRefused(req client.BookRequest, err error, recovering bool) {
	b := &c.dlg.book
	code := errorCode(err)
	if text, reload, ok := slotRefused(code, c.when(req.Slot)); ok {
		c.setMessage(b.msg, text, true)
		if reload {
			b.slots.reload()
		}
		return
	}
	switch {
	case code == "idempotency_conflict" && b.unsure != nil && !recovering:
		// The attempt whose answer was lost did book, another time: ask
		// for it again with the same key, which answers that booking.
		c.sendBooking(*b.unsure, true)
		return
	case code == "booking_limit":
		c.setMessage(b.msg, tr("This contact already holds as many appointments for this service as one citizen may. Find them in Appointments (Ctrl+F, by name) to move or cancel one."), true)
		c.w.Canvas().Focus(b.contact)
	case code == "not_bookable":
		c.setMessage(b.msg, tr("This service no longer takes appointments."), true)
	default:
		msg, what := explain(err)
		if what == relogin {
			c.fail(err)
			return
		}
		if what == offline {
			// The booking may have been made: the same key, sent again,
			// cannot make a second one.
			r := req
			b.unsure = &r
			msg = tr("The server does not answer, so it is not known whether the appointment was booked. Press Enter again: it will not be booked twice.")
		}
		c.setMessage(b.msg, msg, true)
	}
}

// showBooked shows the booking's code large, to read to the citizen, and
// keeps it on the desk's message line after the dialog closes. earlier
// says the booking is one an earlier attempt made, whose answer was lost.
func (c *Console) showBooked(bk *queue.Booking, earlier bool) {
	r := &c.dlg.booked
	r.code = canvas.NewText(queue.FormatCode(bk.Code), theme.Color(theme.ColorNameForeground))
	r.code.TextSize = 64
	r.code.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	r.code.Alignment = fyne.TextAlignCenter
	r.spelled = widget.NewLabelWithStyle(spell(bk.Code), fyne.TextAlignCenter, fyne.TextStyle{})
	r.spelled.Wrapping = fyne.TextWrapWord
	r.what = widget.NewLabelWithStyle(tr("{{.Name}} · {{.Service}} · {{.When}}", "Name", bk.Name, "Service", c.serviceName(bk.Service), "When", c.when(bk.Slot)),
		fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	r.what.Wrapping = fyne.TextWrapWord
	r.done = c.newButton(withKey(tr("Done"), keyConfirm()), theme.ConfirmIcon(), c.hideModal)
	lines := []fyne.CanvasObject{r.code, r.spelled, r.what,
		hint(tr("Read the code to the citizen and ask them to repeat it: on the day they type it at the kiosk when they arrive."))}
	r.earlier = nil
	if earlier {
		r.earlier = hint(tr("The first attempt, whose answer was lost, had already booked this time: this is that appointment. Move it from Appointments if another time is wanted."))
		r.earlier.Importance = widget.WarningImportance
		lines = append(lines, r.earlier)
	}
	c.showModal(dialogSpec{title: tr("Appointment booked"), content: newRows(lines...), confirm: r.done, noDismiss: true})
	c.say(bookedLine(c, bk), false)
}

// bookedLine is the desk's message after a booking: the code stays there
// to be read again.
func bookedLine(c *Console, bk *queue.Booking) string {
	return tr("Booked: {{.Name}}, {{.When}}, code {{.Code}}.", "Name", bk.Name, "When", c.when(bk.Slot), "Code", queue.FormatCode(bk.Code))
}

// showMove offers the free times of the booking's service to move it to
// (Ctrl+M on the chosen booking).
func (c *Console) showMove(bk queue.Booking) {
	if c.screen != screenDesk || c.modal != nil || bk.State != queue.BookingBooked {
		return
	}
	m := &c.dlg.move
	*m = moveDialog{booking: bk}
	m.slots = c.newSlotChooser([]string{bk.Service}, bk.Service, bk.Slot)
	m.msg = newMessage()
	m.confirm = c.newButton(withKey(tr("Move"), keyConfirm()), theme.ContentRedoIcon(), c.doMove)
	now := widget.NewLabelWithStyle(tr("{{.Name}} · {{.Service}} · now {{.When}} · code {{.Code}}", "Name", bk.Name, "Service", c.serviceName(bk.Service),
		"When", c.when(bk.Slot), "Code", queue.FormatCode(bk.Code)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	now.Wrapping = fyne.TextWrapWord
	content := newRows(now,
		field(tr("Day"), m.slots.day),
		field(tr("Free times"), m.slots.grid),
		m.slots.status,
		hint(tr("The code stays the same. Choose the new time with the arrows, then Enter. Esc cancels.")),
		m.msg)
	c.showModal(dialogSpec{title: tr("Move the appointment"), content: content, confirm: m.confirm, focus: m.slots.grid, size: fyne.NewSize(760, 600)})
	m.shown = c.modal
}

func (c *Console) doMove() {
	m := &c.dlg.move
	if m.sending {
		return
	}
	slot, ok := m.slots.selected()
	if !ok {
		c.setMessage(m.msg, tr("Choose the new time first."), true)
		return
	}
	m.sending = true
	m.confirm.Disable()
	c.setMessage(m.msg, tr("Moving…"), false)
	id := m.booking.ID
	var moved *queue.Booking
	c.run(func(ctx context.Context) error {
		var err error
		moved, err = c.cl.MoveBooking(ctx, id, slot.Start)
		return err
	}, func(err error) {
		if c.dlg.move.booking.ID != id {
			return
		}
		m.sending = false
		m.confirm.Enable()
		open := c.isOpen(m.shown)
		if err != nil {
			if open {
				c.changeRefused(err, id, m.msg, slot.Start, m.slots)
			}
			return
		}
		if open {
			c.hideModal()
		}
		c.bookingChanged(*moved)
		c.say(tr("The appointment of {{.Name}} is moved to {{.When}}; the code stays {{.Code}}.", "Name", moved.Name,
			"When", c.when(moved.Slot), "Code", queue.FormatCode(moved.Code)), false)
	})
}

// showCancelBooking asks before cancelling a booking (Ctrl+D on the chosen
// booking): its time becomes free for someone else at once.
func (c *Console) showCancelBooking(bk queue.Booking) {
	if c.screen != screenDesk || c.modal != nil || bk.State != queue.BookingBooked {
		return
	}
	d := &c.dlg.cancelBooking
	*d = cancelDialog{booking: bk}
	d.msg = newMessage()
	d.confirm = c.newButton(withKey(tr("Cancel the appointment"), keyConfirm()), theme.DeleteIcon(), c.doCancelBooking)
	what := widget.NewLabelWithStyle(tr("{{.Name}} · {{.Service}} · {{.When}} · code {{.Code}}", "Name", bk.Name, "Service", c.serviceName(bk.Service),
		"When", c.when(bk.Slot), "Code", queue.FormatCode(bk.Code)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	what.Wrapping = fyne.TextWrapWord
	content := newRows(what,
		hint(tr("The time becomes free at once for someone else. Enter cancels the appointment; Esc keeps it.")),
		d.msg)
	c.showModal(dialogSpec{title: tr("Cancel the appointment?"), content: content, confirm: d.confirm, dismiss: tr("Keep it")})
	d.shown = c.modal
}

func (c *Console) doCancelBooking() {
	d := &c.dlg.cancelBooking
	if d.sending {
		return
	}
	d.sending = true
	d.confirm.Disable()
	c.setMessage(d.msg, tr("Cancelling…"), false)
	id := d.booking.ID
	var cancelled *queue.Booking
	c.run(func(ctx context.Context) error {
		var err error
		cancelled, err = c.cl.CancelBooking(ctx, id)
		return err
	}, func(err error) {
		if c.dlg.cancelBooking.booking.ID != id {
			return
		}
		d.sending = false
		d.confirm.Enable()
		open := c.isOpen(d.shown)
		if err != nil {
			if open {
				c.changeRefused(err, id, d.msg, d.booking.Slot, nil)
			}
			return
		}
		if open {
			c.hideModal()
		}
		c.bookingChanged(*cancelled)
		c.say(tr("The appointment of {{.Name}} ({{.When}}) is cancelled; the time is free again.", "Name", cancelled.Name,
			"When", c.when(cancelled.Slot)), false)
	})
}

// slotRefused says in words why a time could not be booked, and whether
// the day's free times must be shown again; ok is false for a refusal of
// another kind.
func slotRefused(code, when string) (msg string, reload, ok bool) {
	switch code {
	case "slot_full":
		return tr("{{.When}} has just been booked by someone else. The free times are shown again: choose another.", "When", when), true, true
	case "slot_past":
		return tr("{{.When}} has begun meanwhile. The free times are shown again: choose a later one.", "When", when), true, true
	case "no_such_slot":
		return tr("{{.When}} is no longer a time of the agenda (the hours may have changed). The free times are shown again.", "When", when), true, true
	case "slot_too_soon", "slot_too_far":
		return tr("{{.When}} cannot be booked: it is further ahead than this service takes bookings. Choose an earlier day.", "When", when), false, true
	}
	return "", false, false
}

func errorCode(err error) string {
	var e *client.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// changeRefused says why a move or a cancellation of booking id was
// refused; slots, if any, shows the day's free times again when they changed.
func (c *Console) changeRefused(err error, id string, msg *widget.Label, slot time.Time, slots *slotChooser) {
	code := errorCode(err)
	if text, reload, ok := slotRefused(code, c.when(slot)); ok {
		c.setMessage(msg, text, true)
		if reload && slots != nil {
			slots.reload()
		}
		return
	}
	switch code {
	case "booking_state":
		c.setMessage(msg, tr("This appointment changed meanwhile (cancelled, checked in or missed), so it can no longer be moved or cancelled. Esc closes; the list shows how it stands."), true)
		c.refreshBooking(id)
	case "unknown_booking":
		c.setMessage(msg, tr("This appointment no longer exists."), true)
	default:
		text, what := explain(err)
		if what == relogin {
			c.fail(err)
			return
		}
		c.setMessage(msg, text, true)
	}
}
