package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"turno/server/client"
	"turno/server/queue"
)

// Booking at the kiosk: a service that issues no more tickets (cut off,
// capped, closed) offers its next free appointment on its button and its
// sheet, and so does a check-in that came too late or for a cancelled
// booking. The citizen types a name on a large keyboard and taps Book;
// the kiosk shows the booking's code large, with the QR code of its page,
// and prints the confirmation the booking page prints (its PDF on the
// 80 mm roll). The server applies the citizen's notice and horizon: the
// kiosk books as the citizen would on the web (channel kiosk).
//
// Back on the left of the band, Book on the right: Book is the place of
// the button that led here (Book on the sheet, Confirm on the check-in),
// and it cannot be pressed before a name is typed.

// offer is an appointment offered to the citizen at the kiosk.
type offer struct {
	service string
	slot    time.Time
	// why is what led here (a refusal of a check-in or a ticket), in the
	// citizen's language; nil for an offer the citizen chose.
	why func() (title, text, todo string)
}

// minNameLetters is the shortest name the kiosk books: two letters (an
// initial is not enough for a clerk to greet the citizen).
const minNameLetters = 2

// errNoBooking is an answer that says "booked" but carries no booking.
var errNoBooking = errors.New("book: the server's answer carries no booking")

func (k *Kiosk) buildBook() {
	k.bkHeading = newFitText(fyne.TextAlignCenter)
	k.bkHeading.middle = true
	k.bkName = newFitText(fyne.TextAlignCenter)
	k.bkName.middle = true
	field, paint := panel(theme.ColorNamePrimary, k.bkName)
	k.addPaint(paint)

	k.bkKeys = map[rune]*button{}
	var keys []fyne.CanvasObject
	var spans []int
	for _, row := range nameKeys {
		for _, r := range row {
			b := newKey(string(r), k.guard(func() { k.typeName(r) }))
			k.bkKeys[r] = b
			keys = append(keys, b)
			spans = append(spans, 1)
		}
	}
	k.bkSpace = newButton(nil, styleNormal, k.guard(func() { k.typeName(' ') }))
	k.bkDelete = newButton(theme.ContentUndoIcon(), styleNormal, k.guard(k.deleteName))
	keys = append(keys, k.bkSpace, k.bkDelete)
	spans = append(spans, spaceSpan, deleteSpan)
	kb := keyboardLayout{spans: spans}
	k.bodies[screenBook] = container.New(entryLayout{heading: k.bkHeading, keysHeight: kb.height},
		k.bkHeading, field, container.New(kb, keys...))

	k.bkBack = newButton(theme.NavigateBackIcon(), styleNormal, k.guard(k.back))
	k.bkConfirm = newButton(theme.ConfirmIcon(), styleAction, k.guard(k.book))
	k.bands[screenBook] = container.New(halves{}, k.bkBack, k.bkConfirm)
}

// buildBooked is the booking made: the ticket screen's layout, with the
// booking's code in the number's place and its page's QR code.
func (k *Kiosk) buildBooked() {
	k.bdCode = newFitText(fyne.TextAlignCenter)
	k.bdCode.middle = true
	code, paint := panel(theme.ColorNamePrimary, k.bdCode)
	k.addPaint(paint)
	k.bdFacts = newFitText(fyne.TextAlignCenter)
	k.bdFacts.middle = true
	k.bdQR = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScalePixels}
	k.bdQRText = newFitText(fyne.TextAlignCenter)
	qr := container.New(qrLayout{}, k.bdQR, k.bdQRText)
	k.bodies[screenBooked] = container.New(ticketLayout{}, code, k.bdFacts, qr)
	k.bdDone = newButton(theme.ConfirmIcon(), styleAction, k.guard(k.back))
	k.bands[screenBooked] = container.New(halves{}, k.bdDone)
}

// offerBooking shows the booking keyboard for an appointment of service
// at slot.
func (k *Kiosk) offerBooking(service string, slot time.Time, why func() (string, string, string)) {
	if !k.online() {
		return
	}
	k.offer = &offer{service: service, slot: slot, why: why}
	k.typedName = nil
	k.fillBook()
	k.show(screenBook)
}

// fillBook writes the booking screen: why (if a refusal led here), the
// service and the appointment, what to do; the name as typed.
func (k *Kiosk) fillBook() {
	o := k.offer
	if o == nil {
		return
	}
	name := o.service
	if sv := k.model.Service(o.service); sv != nil {
		name = k.name(sv)
	}
	title, text := k.tr.L("book.title"), ""
	if o.why != nil {
		title, text, _ = o.why()
	}
	instructions := k.tr.L("book.instructions")
	if !k.online() {
		_, instructions = k.offlineText()
	}
	k.bkHeading.set(
		textPart{Text: title, Size: sizeTitle, Bold: true, Color: theme.ColorNameForeground},
		textPart{Text: text, Size: sizeDetail, Color: theme.ColorNameForeground},
		textPart{Text: name, Size: sizeHeadline, Bold: true, Color: theme.ColorNameForeground},
		textPart{Text: k.tr.L("offer.next", map[string]any{"When": k.words.slot(o.slot)}), Size: sizeHeadline, Bold: true, Color: theme.ColorNamePrimary},
		textPart{Text: instructions, Size: sizeDetail, Color: theme.ColorNameForeground},
	)
	k.fillName()
}

// fillName writes the name as typed, and whether Book can be pressed.
func (k *Kiosk) fillName() {
	if len(k.typedName) == 0 {
		k.bkName.set(textPart{Text: k.tr.L("book.placeholder"), Size: sizeHeadline, Color: colorMuted})
	} else {
		// The cursor shows where the next letter goes, a space included.
		k.bkName.set(textPart{Text: titleCase(string(k.typedName)) + "_", Size: sizeCode, Bold: true, Color: theme.ColorNameForeground})
	}
	k.bkConfirm.setDisabled(!k.nameOK() || !k.online())
	k.bkDelete.setDisabled(len(k.typedName) == 0)
}

// nameOK reports whether the name typed can be booked.
func (k *Kiosk) nameOK() bool {
	letters := 0
	for _, r := range k.typedName {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= minNameLetters
}

// capitalize writes s as a sentence's start: "oggi alle 15:00" on a
// line of its own is "Oggi alle 15:00".
func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// nameText is the name to book: trimmed, written as names are.
func (k *Kiosk) nameText() string { return titleCase(strings.TrimSpace(string(k.typedName))) }

func (k *Kiosk) typeName(r rune) {
	n := len(k.typedName)
	switch {
	case n >= maxName:
		return
	case r == ' ' && (n == 0 || k.typedName[n-1] == ' '):
		return // no leading or double spaces
	}
	k.typedName = append(k.typedName, r)
	k.fillName()
}

func (k *Kiosk) deleteName() {
	if len(k.typedName) > 0 {
		k.typedName = k.typedName[:len(k.typedName)-1]
		k.fillName()
	}
}

// book books the appointment offered for the name typed. A tap while one
// is under way does nothing; a request with no answer keeps its key, like
// a ticket's, so that tapping again cannot book twice.
func (k *Kiosk) book() {
	o := k.offer
	if k.busy || o == nil || !k.online() || !k.nameOK() {
		return
	}
	k.busy = true
	offered := *o
	name := k.nameText()
	slot := fmt.Sprintf("book/%s/%d", o.service, o.slot.Unix())
	key := k.keyAt(slot)
	k.setBusy("busy.book")
	k.show(screenBusy)
	go func() {
		ctx, cancel := context.WithTimeout(k.ctx, k.opt.IssueTimeout)
		defer cancel()
		var b *queue.Booking
		err := k.retry(ctx, "book", func(ctx context.Context) (err error) {
			b, _, err = k.opt.Client.Book(ctx, client.BookRequest{Service: offered.service, Slot: offered.slot, Name: name,
				Channel: queue.ChannelKiosk, IdempotencyKey: key})
			return err
		}, "service", offered.service, "slot", offered.slot, "key", key)
		if err == nil && b == nil {
			err = errNoBooking
		}
		k.do(func() {
			k.busy = false
			k.bookAnswer(slot, key, offered, b, err)
		})
	}()
}

// bookAnswer shows the answer to Book.
func (k *Kiosk) bookAnswer(slot, key string, o offer, b *queue.Booking, err error) {
	switch {
	case err == nil:
		delete(k.pending, slot)
		k.log.Info("booked at the kiosk", "code", b.Code, "service", b.Service, "slot", b.Slot)
		k.offer, k.typedName = nil, nil
		k.booked = b
		k.fillBooked()
		k.show(screenBooked)
		// Twice a ticket's time: the code is to be written down, or its
		// QR code scanned.
		k.returnAt = k.opt.Now().Add(2 * k.opt.ReturnAfter)
		k.printBooking(b)
	case client.IsCode(err, queue.ErrSlotFull.Code, queue.ErrSlotTooSoon.Code, queue.ErrSlotPast.Code, queue.ErrSlotTooFar.Code, queue.ErrNoSuchSlot.Code):
		// Someone took the slot meanwhile, or its notice has run out:
		// the service's button offers the next one.
		delete(k.pending, slot)
		k.log.Info("booking refused: the slot is no longer free", "service", o.service, "slot", o.slot, "err", err)
		k.message(func() (string, string, string) {
			todo := k.tr.L("todo.askStaff")
			if sv := k.model.Service(o.service); sv != nil && sv.Agenda != nil && sv.Agenda.NextFree != nil && !sv.Agenda.NextFree.Start.Equal(o.slot) {
				todo = k.tr.L("bookFailed.next", map[string]any{"When": k.words.slot(sv.Agenda.NextFree.Start)})
			}
			return k.tr.L("bookFailed.title"), k.tr.L("bookFailed.taken"), todo
		})
	case errors.Is(err, client.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded):
		// The key is kept, as for a ticket: the server may have booked.
		k.log.Error("book: no answer from the server", "service", o.service, "slot", o.slot, "err", err)
		k.message(k.words.fixed("bookFailed.title", "failed.unreachable", "failed.todo"))
	default:
		delete(k.pending, slot)
		if notAuthorised(err) {
			k.log.Error("book: the server does not authorise this kiosk to book: check its token (TURNO_KIOSK_TOKEN) and the office's [[devices]]",
				"status", client.StatusOf(err), "err", err)
		} else {
			k.log.Error("book: refused", "service", o.service, "slot", o.slot, "err", err)
		}
		k.message(k.words.fixed("bookFailed.title", "bookFailed.other", "failed.todo"))
	}
}

// fillBooked writes the booking made: the code large, the service and
// the appointment, how to check in, the QR code of the booking's page.
func (k *Kiosk) fillBooked() {
	b := k.booked
	if b == nil {
		return
	}
	name := b.Service
	if sv := k.model.Service(b.Service); sv != nil {
		name = k.name(sv)
	}
	k.bdCode.set(
		textPart{Text: k.tr.L("booked.yourCode"), Size: sizeHeadline, Color: theme.ColorNameForeground},
		textPart{Text: queue.FormatCode(b.Code), Size: sizeNumber, Bold: true, Color: colorNumber},
		textPart{Text: name, Size: sizeHeadline, Bold: true, Color: theme.ColorNameForeground},
		textPart{Text: capitalize(k.words.slot(b.Slot)), Size: sizeHeadline, Bold: true, Color: theme.ColorNamePrimary},
	)
	k.bdFacts.set(
		textPart{Text: k.tr.L("booked.checkin"), Size: sizeHeadline, Color: theme.ColorNameForeground},
		textPart{Text: k.printNote("booked", b.ID), Size: sizeDetail, Bold: true, Color: theme.ColorNameForeground},
	)
	k.bdQRText.set(textPart{Text: k.tr.L("booked.qr"), Size: sizeDetail, Color: theme.ColorNameForeground})
	img, err := qrImage(k.opt.PublicURL + "/prenota/b/" + b.ID)
	if err != nil {
		k.log.Error("qr code", "err", err)
	}
	k.bdQR.Image = img
	k.bdQR.Hidden = img == nil
	k.bdQRText.Hidden = img == nil
	k.bdQR.Refresh()
}

// printBooking prints the booking's confirmation once.
func (k *Kiosk) printBooking(b *queue.Booking) {
	if k.opt.PDFs == nil || k.opt.Printer == nil {
		return
	}
	id := b.ID
	// Named by code and day: the id is the key of the citizen's page.
	k.printDoc(id, fmt.Sprintf("booking-%s-%s.pdf", b.Code, b.Day), "booking "+queue.FormatCode(b.Code), k.opt.PDFs.BookingPDF, func() {
		if k.booked != nil && k.booked.ID == id {
			k.fillBooked()
		}
	})
}
