package ui

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"turno/server/client"
	"turno/server/queue"
)

// The check-in: "I have an appointment". The citizen types the booking's
// code on a keypad of the codes' own characters, or holds the
// confirmation's QR code under a USB barcode reader, which types the
// booking's link and Enter as a keyboard would (Attach): on the start
// screen, the check-in screen or a message, a reading checks the citizen
// in at once. The answer is a ticket called at the appointment's slot, or
// what to do in plain words: come back at a time, on another day, book
// again (with the next free appointment offered right there), ask the
// staff.
//
// Back on the left of the band, Confirm on the right. The strip at the
// bottom of the body, where the start screen has "I have an
// appointment", only says that a QR code can be scanned: a double tap on
// that button presses nothing here.

const (
	// scanGap ends a reading: a barcode reader types a whole link in a
	// few tens of milliseconds, so a key typed after a pause this long
	// starts a new reading rather than being glued to half of an old one.
	scanGap = time.Second
	// maxScan bounds what a reading keeps: a link is under 200 characters.
	maxScan = 512
)

func (k *Kiosk) buildCheckIn() {
	k.ciHeading = newFitText(fyne.TextAlignCenter)
	k.ciHeading.middle = true
	k.ciCode = newFitText(fyne.TextAlignCenter)
	k.ciCode.middle = true
	field, paint := panel(theme.ColorNamePrimary, k.ciCode)
	k.addPaint(paint)

	k.ciKeys = map[rune]*button{}
	var keys []fyne.CanvasObject
	for _, r := range codeAlphabet {
		b := newKey(string(r), k.guard(func() { k.typeCode(r) }))
		k.ciKeys[r] = b
		keys = append(keys, b)
	}
	// Its word only: a key a letter wide has no room for an icon too.
	k.ciDelete = newButton(nil, styleNormal, k.guard(k.deleteCode))
	keys = append(keys, k.ciDelete)
	grid := keyGrid{cols: []int{6, 8, 12}} // 24 keys: 4 rows on a portrait totem, 3 on a landscape screen
	k.ciHint = newFitText(fyne.TextAlignCenter)
	k.ciHint.middle = true
	k.bodies[screenCheckIn] = container.New(
		entryLayout{heading: k.ciHeading, keysHeight: func(s fyne.Size) float32 { return grid.height(len(keys), s) }},
		k.ciHeading, field, container.New(grid, keys...), k.ciHint)

	k.ciBack = newButton(theme.NavigateBackIcon(), styleNormal, k.guard(k.back))
	k.ciConfirm = newButton(theme.ConfirmIcon(), styleAction, k.guard(k.confirmCode))
	k.bands[screenCheckIn] = container.New(halves{}, k.ciBack, k.ciConfirm)
}

// openCheckIn shows the keypad, empty.
func (k *Kiosk) openCheckIn() {
	if !k.online() {
		return
	}
	k.code, k.scan = nil, nil
	k.fillCheckIn()
	k.show(screenCheckIn)
}

// fillCheckIn writes the check-in screen: what to do, the code as typed,
// whether Confirm can be pressed.
func (k *Kiosk) fillCheckIn() {
	subtitle := k.tr.L("checkin.subtitle")
	if !k.online() {
		_, subtitle = k.offlineText()
	}
	k.ciHeading.set(
		textPart{Text: k.tr.L("checkin.title"), Size: sizeTitle, Bold: true, Color: theme.ColorNameForeground},
		textPart{Text: subtitle, Size: sizeDetail, Color: theme.ColorNameForeground},
	)
	k.ciHint.set(textPart{Text: k.tr.L("checkin.scan"), Size: sizeDetail, Bold: true, Color: theme.ColorNameForeground})
	k.fillCode()
}

// fillCode writes the code as typed, the places still to type as "_",
// in the two groups of the confirmation ("KM4-T__"), a thin space between
// the places so that each can be counted.
func (k *Kiosk) fillCode() {
	shown := []rune(strings.Repeat("_", queue.CodeLength))
	copy(shown, k.code)
	spaced := strings.Join(strings.Split(queue.FormatCode(string(shown)), ""), "\u2009")
	k.ciCode.set(textPart{Text: spaced, Size: sizeCode, Bold: true, Color: colorNumber})
	k.ciConfirm.setDisabled(len(k.code) != queue.CodeLength || !k.online())
	k.ciDelete.setDisabled(len(k.code) == 0)
}

func (k *Kiosk) typeCode(r rune) {
	k.scan = nil // a key tapped ends whatever a reader left half-typed
	if len(k.code) < queue.CodeLength && inCodeAlphabet(r) {
		k.code = append(k.code, r)
		k.fillCode()
	}
}

func (k *Kiosk) deleteCode() {
	k.scan = nil
	if len(k.code) > 0 {
		k.code = k.code[:len(k.code)-1]
		k.fillCode()
	}
}

// confirmCode checks the typed code in.
func (k *Kiosk) confirmCode() {
	if len(k.code) == queue.CodeLength {
		k.checkIn(string(k.code), queue.FormatCode(string(k.code)))
	}
}

// Attach gives the kiosk the window's keyboard: a USB barcode reader
// types the confirmation's QR code (the booking's link) and Enter.
func (k *Kiosk) Attach(c fyne.Canvas) {
	c.SetOnTypedRune(k.typedRune)
	c.SetOnTypedKey(k.typedKey)
}

// typedRune collects what a reader types, until Enter.
func (k *Kiosk) typedRune(r rune) {
	now := k.opt.Now()
	k.touchedAt = now
	if !k.reads() {
		return
	}
	if len(k.scan) > 0 && now.Sub(k.scanAt) > scanGap {
		k.scan = k.scan[:0]
	}
	k.scanAt = now
	if len(k.scan) < maxScan {
		k.scan = append(k.scan, r)
	}
}

// typedKey acts on Enter: the end of a reading, or Confirm; and on
// Backspace on the keypad.
func (k *Kiosk) typedKey(ev *fyne.KeyEvent) {
	k.touchedAt = k.opt.Now()
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		read := strings.TrimSpace(string(k.scan))
		k.scan = nil
		switch {
		case !k.reads():
		case read != "":
			k.checkInRead(read)
		case k.screen == screenCheckIn:
			k.confirmCode()
		}
	case fyne.KeyBackspace:
		if k.screen == screenCheckIn && len(k.scan) == 0 {
			k.deleteCode()
		}
	}
}

// reads reports whether a reading is taken now: not while a request is
// under way, and not on the booking keyboard, where a reader's link would
// become a name.
func (k *Kiosk) reads() bool {
	return !k.busy && k.screen != screenBusy && k.screen != screenBook
}

// checkInRead checks in what a reader typed: a booking's link or code.
// Anything else is not a booking, and the kiosk says so.
func (k *Kiosk) checkInRead(read string) {
	if !k.online() {
		k.log.Info("a reading while offline: ignored")
		return
	}
	ref, ok := bookingRef(read)
	if !ok {
		k.log.Info("a reading that is not a booking", "chars", len(read))
		k.message(k.words.fixed("checkin.invalid.title", "checkin.invalid", "checkin.invalid.todo"))
		return
	}
	k.checkIn(ref, "")
}

// bookingID is a booking's id in its link (…/prenota/b/{id}): 32
// hexadecimal digits, alone.
var bookingID = regexp.MustCompile(`(?:^|[^0-9A-Fa-f])([0-9A-Fa-f]{32})(?:$|[^0-9A-Fa-f])`)

// bookingRef reads a booking's reference from what a reader typed: the id
// in the confirmation's link, or a code (any case, with a dash or
// spaces).
func bookingRef(read string) (string, bool) {
	if m := bookingID.FindAllStringSubmatch(read, -1); len(m) > 0 {
		return strings.ToLower(m[len(m)-1][1]), true
	}
	code := []rune(queue.NormalizeCode(read))
	if len(code) != queue.CodeLength {
		return "", false
	}
	for _, r := range code {
		if !inCodeAlphabet(r) {
			return "", false
		}
	}
	return string(code), true
}

// checkIn sends a check-in: ref is a code or a booking's id; typed is the
// code as the citizen typed it, for the answer's words ("" for a
// reading).
func (k *Kiosk) checkIn(ref, typed string) {
	if k.busy || !k.online() {
		return
	}
	k.busy = true
	k.setBusy("busy.checkin")
	k.show(screenBusy)
	go func() {
		ctx, cancel := context.WithTimeout(k.ctx, k.opt.IssueTimeout)
		defer cancel()
		var res *client.CheckIn
		var replay bool
		err := k.retry(ctx, "check-in", func(ctx context.Context) (err error) {
			res, replay, err = k.opt.Client.CheckIn(ctx, ref)
			return err
		})
		if err == nil && (res == nil || res.Ticket == nil) {
			err = errNoTicket
		}
		k.do(func() {
			k.busy = false
			k.checkedIn(typed, res, replay, err)
		})
	}()
}

// checkedIn shows the answer to a check-in.
func (k *Kiosk) checkedIn(typed string, res *client.CheckIn, replay bool, err error) {
	var apiErr *client.Error
	switch {
	case err == nil:
		k.log.Info("checked in", "number", res.Ticket.Number, "service", res.Booking.Service, "slot", res.Booking.Slot,
			"late", res.Booking.Late, "replay", replay)
		k.code = nil
		b := res.Booking
		k.showTicket(res.Ticket, &b)
	case errors.As(err, &apiErr) && apiErr.CheckIn != nil:
		k.checkInRefused(typed, apiErr.CheckIn)
	case errors.As(err, &apiErr) && apiErr.Refusal() != nil:
		k.lateRefused(apiErr.Refusal())
	case notAuthorised(err):
		k.log.Error("check-in: the server does not authorise this kiosk: check its token (TURNO_KIOSK_TOKEN) and the office's [[devices]]",
			"status", client.StatusOf(err), "err", err)
		k.message(k.words.fixed("failed.title", "failed.auth", "todo.askStaff"))
	case errors.Is(err, client.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded):
		k.log.Error("check-in: no answer from the server", "err", err)
		k.message(k.words.fixed("failed.title", "failed.unreachable", "failed.todo"))
	default:
		k.log.Error("check-in: refused", "err", err)
		k.message(k.words.fixed("checkin.other.title", "checkin.other", "failed.todo"))
	}
}

// checkInRefused says why the office refused a check-in, and what to do.
// A citizen who is too late, or whose booking was cancelled, is offered
// the service's next free appointment right there.
func (k *Kiosk) checkInRefused(typed string, r *queue.CheckInRefusal) {
	k.log.Info("check-in refused", "reason", r.Reason, "service", r.Service)
	why := func() (string, string, string) { return k.words.checkInRefusal(r, typed) }
	var next *time.Time
	switch r.Reason {
	case queue.CheckInTooLate:
		next = r.NextSlot
	case queue.CheckInCancelled:
		if sv := k.model.Service(r.Service); sv != nil && sv.Agenda != nil && sv.Agenda.NextFree != nil {
			next = &sv.Agenda.NextFree.Start
		}
	}
	if next != nil {
		k.offerBooking(r.Service, *next, why)
		return
	}
	k.message(why)
}

// lateRefused answers a late citizen whom the service serves as a
// walk-in, when the numerator issues no more tickets: why, and the next
// free appointment if the service has one.
func (k *Kiosk) lateRefused(r *queue.Refusal) {
	k.log.Info("check-in refused: late, and no more tickets", "service", r.Service, "rule", r.Rule)
	sv := k.model.Service(r.Service)
	why := func() (string, string, string) {
		state, todo := k.words.refusal(sv, r)
		return k.tr.L("checkin.tooLate.title"), k.tr.L("checkin.lateClosed") + " " + state, todo
	}
	if sv != nil && sv.Agenda != nil && sv.Agenda.NextFree != nil {
		k.offerBooking(r.Service, sv.Agenda.NextFree.Start, why)
		return
	}
	k.message(why)
}
