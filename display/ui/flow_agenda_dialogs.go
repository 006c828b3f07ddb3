package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

// bookingDialog is a booking opened from the agenda or the search: who,
// when, its code large, its state, and what can be done with it: check the
// citizen in at the desk, move it, cancel it (after a second tap).
type bookingDialog struct {
	p   *agendaPanel
	pop *widget.PopUp

	name    *widget.Label
	code    *canvas.Text
	details *widget.Label

	actions                      *fyne.Container
	checkIn, move, cancel, close *widget.Button

	confirm               *fyne.Container
	confirmMsg            *widget.Label
	confirmYes, confirmNo *widget.Button

	b queue.Booking
}

func newBookingDialog(p *agendaPanel) *bookingDialog {
	fl := p.fl
	d := &bookingDialog{p: p, name: heading(""), code: codeText(40), details: wrapped("")}
	d.name.Wrapping = fyne.TextWrapWord
	d.checkIn = widget.NewButtonWithIcon(fl.tr("Check in at the desk"), theme.LoginIcon(), d.doCheckIn)
	d.checkIn.Importance = widget.HighImportance
	d.move = widget.NewButtonWithIcon(fl.tr("Move…"), theme.MailForwardIcon(), func() {
		d.pop.Hide()
		p.form.startMove(d.b)
	})
	d.cancel = widget.NewButtonWithIcon(fl.tr("Cancel the booking…"), theme.DeleteIcon(), func() {
		d.actions.Hide()
		d.confirm.Show()
		showPop(d.pop)
	})
	d.close = widget.NewButtonWithIcon(fl.tr("Close"), theme.CancelIcon(), func() { d.pop.Hide() })
	d.actions = container.NewGridWithColumns(2, touch(d.checkIn), touch(d.move), touch(d.cancel), touch(d.close))

	d.confirmMsg = wrapped(fl.tr("Cancel this booking? Its slot is free again at once, for anyone."))
	d.confirmMsg.Importance = widget.DangerImportance
	d.confirmNo = widget.NewButton(fl.tr("Keep it"), func() {
		d.confirm.Hide()
		d.actions.Show()
		showPop(d.pop)
	})
	d.confirmYes = widget.NewButtonWithIcon(fl.tr("Yes, cancel it"), theme.DeleteIcon(), d.doCancel)
	d.confirmYes.Importance = widget.DangerImportance
	d.confirm = container.NewVBox(d.confirmMsg, container.NewGridWithColumns(2, touch(d.confirmNo), touch(d.confirmYes)))
	d.confirm.Hide()

	d.pop = widget.NewModalPopUp(themed(container.New(fixedWidth{dialogWidth}, container.NewVBox(
		d.name, d.code, d.details, d.actions, d.confirm))), fl.opt.Window.Canvas())
	return d
}

// show opens a booking.
func (d *bookingDialog) show(b queue.Booking) {
	d.b = b
	d.confirm.Hide()
	d.actions.Show()
	d.draw()
	showPop(d.pop)
}

// refresh follows the booking while it is open: checked in at the kiosk
// or cancelled by the citizen meanwhile, it says so.
func (d *bookingDialog) refresh() {
	if !shown(d.pop) {
		return
	}
	if live := d.p.booking(d.b.ID); live != nil {
		d.b = *live
	}
	d.draw()
}

func (d *bookingDialog) draw() {
	fl := d.p.fl
	b := d.b
	now := fl.opt.Now()
	if d.name.Text != b.Name {
		d.name.SetText(b.Name)
	}
	if code := queue.FormatCode(b.Code); d.code.Text != code {
		d.code.Text = code
		d.code.Refresh()
	}
	lines := []string{
		fl.tr("Service: {{.S}}", "S", fl.serviceName(b.Service)),
		fl.tr("When: {{.D}}, {{.T}}–{{.E}}", "D", fl.dayText(b.Slot, now), "T", clock(b.Slot, fl.loc), "E", clock(b.SlotEnd, fl.loc)),
	}
	if b.Contact != "" {
		lines = append(lines, fl.tr("Contact: {{.C}}", "C", b.Contact))
	}
	if b.Note != "" {
		lines = append(lines, fl.tr("Note: {{.N}}", "N", b.Note))
	}
	lines = append(lines, fl.channelText(b), d.stateText(now))
	text := strings.Join(lines, "\n")
	if d.details.Text != text {
		d.details.SetText(text)
		if shown(d.pop) {
			showPop(d.pop)
		}
	}
	live := fl.online() && !fl.busy
	booked := b.State == queue.BookingBooked
	setEnabled(d.checkIn, live && booked && b.Day == fl.model.Day)
	setEnabled(d.move, live && booked)
	setEnabled(d.cancel, live && booked)
	setEnabled(d.confirmYes, live && booked)
}

func (d *bookingDialog) stateText(now time.Time) string {
	fl := d.p.fl
	b := d.b
	switch b.State {
	case queue.BookingCheckedIn:
		return fl.tr("State:") + " " + d.p.checkedIn(b)
	case queue.BookingMissed:
		return fl.tr("State: missed, the citizen did not check in.")
	case queue.BookingCancelled:
		return fl.tr("State: cancelled.")
	}
	if b.Day == fl.model.Day && !b.Slot.After(now) {
		return fl.tr("State: booked, late by {{.D}}: not checked in yet.", "D", minutes(now.Sub(b.Slot)))
	}
	return fl.tr("State: booked.")
}

// channelText says how a booking was made.
func (fl *Flow) channelText(b queue.Booking) string {
	how := map[string]string{
		queue.ChannelWeb:     fl.tr("Booked by the citizen on the web page"),
		queue.ChannelKiosk:   fl.tr("Booked by the citizen at the kiosk"),
		queue.ChannelPhone:   fl.tr("Booked by phone"),
		queue.ChannelCounter: fl.tr("Booked at the counter"),
	}[b.Channel]
	if how == "" {
		how = b.Channel
	}
	if b.CreatedBy != "" {
		how += " " + fl.tr("by {{.U}}", "U", b.CreatedBy)
	}
	return how + ", " + b.CreatedAt.In(fl.loc).Format("02/01 15:04")
}

// doCheckIn checks the citizen in at the desk, as the kiosk would: the
// ticket is called at the slot, before the walk-ins.
func (d *bookingDialog) doCheckIn() {
	fl := d.p.fl
	b := d.b
	d.pop.Hide()
	var res *client.CheckIn
	var replay bool
	fl.actThen("check in", quietly(func(ctx context.Context) (err error) {
		res, replay, err = fl.cl.CheckIn(ctx, b.Code)
		return err
	}), func(err error) string {
		if err != nil {
			return ""
		}
		number := res.Booking.Number
		if res.Ticket != nil {
			number = res.Ticket.Number
		}
		switch {
		case replay:
			return fl.tr("{{.P}} was already checked in: ticket {{.N}}.", "P", b.Name, "N", number)
		case res.Booking.Late:
			return fl.tr("{{.P}} came after the check-in window: ticket {{.N}}, served as a walk-in. Please hand it to the citizen.", "P", b.Name, "N", number)
		}
		return fl.tr("{{.P}} checked in: ticket {{.N}}, called from {{.T}}. Please hand it to the citizen.", "P", b.Name, "N", number, "T", clock(b.Slot, fl.loc))
	})
}

func (d *bookingDialog) doCancel() {
	fl := d.p.fl
	b := d.b
	d.pop.Hide()
	fl.actThen("cancel booking", quietly(func(ctx context.Context) error {
		_, err := fl.cl.CancelBooking(ctx, b.ID)
		return err
	}), func(err error) string {
		if err != nil {
			return ""
		}
		d.p.researched()
		return fl.tr("The booking {{.C}} of {{.P}} ({{.D}} at {{.T}}) is cancelled: the slot is free again.",
			"C", queue.FormatCode(b.Code), "P", b.Name, "D", fl.dayText(b.Slot, fl.opt.Now()), "T", clock(b.Slot, fl.loc))
	})
}

// bookedDialog shows a booking just made, its code large: the floor
// assistant reads it to the citizen, who reads it back.
type bookedDialog struct {
	p       *agendaPanel
	pop     *widget.PopUp
	title   *widget.Label
	code    *canvas.Text
	details *widget.Label
	done    *widget.Button
}

// bookedCodeSize is the booking code's size on the result: read at arm's
// length, and over a shoulder by the citizen at the desk.
const bookedCodeSize float32 = 72

func newBookedDialog(p *agendaPanel) *bookedDialog {
	fl := p.fl
	d := &bookedDialog{p: p, title: heading(""), code: codeText(bookedCodeSize), details: wrapped("")}
	d.title.Wrapping = fyne.TextWrapWord
	d.done = widget.NewButtonWithIcon(fl.tr("Done"), theme.ConfirmIcon(), func() { d.pop.Hide() })
	d.done.Importance = widget.HighImportance
	d.pop = widget.NewModalPopUp(themed(container.New(fixedWidth{dialogWidth}, container.NewVBox(
		d.title, wrapped(fl.tr("Read the code to the citizen, and ask them to read it back:")), d.code, d.details, touch(d.done)))), fl.opt.Window.Canvas())
	return d
}

func (d *bookedDialog) show(b queue.Booking, replay bool) {
	fl := d.p.fl
	now := fl.opt.Now()
	if replay {
		d.title.SetText(fl.tr("The booking was already made: here it is (not made twice)."))
	} else {
		d.title.SetText(fl.tr("Booking made"))
	}
	d.code.Text = queue.FormatCode(b.Code)
	d.code.Refresh()
	lines := []string{
		fl.tr("{{.S}}, {{.D}} at {{.T}}, for {{.P}}.", "S", fl.serviceName(b.Service), "D", fl.dayText(b.Slot, now), "T", clock(b.Slot, fl.loc), "P", b.Name),
		fl.tr("On arrival the citizen types this code at the kiosk, or gives it at the desk."),
	}
	d.details.SetText(strings.Join(lines, "\n"))
	showPop(d.pop)
}

// explainBooking words the server's refusal of a booking, a move, a
// cancellation or a check-in; "" when it is none of those.
func (fl *Flow) explainBooking(e *client.Error) string {
	switch e.Code {
	case "slot_full":
		return fl.tr("That time has just been taken: choose another.")
	case "slot_past":
		return fl.tr("That time has already begun: choose a later one.")
	case "slot_too_soon", "slot_too_far":
		return fl.tr("That time cannot be booked now: choose another day.")
	case "no_such_slot":
		return fl.tr("That time is no longer in the agenda (its hours may have changed): choose another.")
	case "booking_limit":
		return fl.tr("This contact already holds a booking for this service: move or cancel that one instead.")
	case "not_bookable":
		return fl.tr("This service does not take appointments.")
	case "unknown_booking":
		return fl.tr("The booking no longer exists.")
	case "booking_state":
		return fl.tr("The booking is no longer booked: it was checked in, cancelled or missed meanwhile.")
	case "idempotency_conflict":
		return fl.tr("An earlier attempt may have made a booking: search the citizen's name before booking again.")
	}
	r := e.CheckIn
	if r == nil {
		return ""
	}
	now := fl.opt.Now()
	at := func(t *time.Time) string {
		if t == nil {
			return "?"
		}
		return fl.dayText(*t, now) + " " + clock(*t, fl.loc)
	}
	switch r.Reason {
	case queue.CheckInUnknown:
		return fl.tr("No booking with this code today or in the days ahead.")
	case queue.CheckInNotToday:
		return fl.tr("The appointment is not today: it is {{.S}}.", "S", at(r.Slot))
	case queue.CheckInTooEarly:
		return fl.tr("Too early to check in: the appointment is at {{.S}}; check-in opens at {{.T}}.", "S", clock(derefTime(r.Slot), fl.loc), "T", clock(derefTime(r.ComeBackAt), fl.loc))
	case queue.CheckInTooLate:
		if r.NextSlot != nil {
			return fl.tr("Too late for the appointment: this service asks to book again. The first free slot is {{.S}}.", "S", at(r.NextSlot))
		}
		return fl.tr("Too late for the appointment: this service asks to book again.")
	case queue.CheckInCancelled:
		return fl.tr("This booking was cancelled: it cannot be checked in.")
	case queue.CheckInServed:
		return fl.tr("This booking was already used today.")
	}
	return ""
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// shown reports whether a pop-up is on its canvas: one made and not yet
// shown says it is visible.
func shown(p *widget.PopUp) bool {
	for _, o := range p.Canvas.Overlays().List() {
		if o == p {
			return true
		}
	}
	return false
}
