package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"turno/server/queue"
)

// The ticket screen: the number in a panel, the people ahead and the
// wait, the QR code of the phone page; Done on the left of the band. Its
// body has nothing to tap: the second tap of the tap that issued the
// ticket lands on the number. The message screen (a refusal, a failure)
// is built the same way, with OK in Done's place.

func (k *Kiosk) buildTicket() {
	k.tNumber = newFitText(fyne.TextAlignCenter)
	k.tNumber.middle = true
	number, paint := panel(theme.ColorNamePrimary, k.tNumber)
	k.addPaint(paint)

	k.tFacts = newFitText(fyne.TextAlignCenter)
	k.tFacts.middle = true
	k.tQR = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScalePixels}
	k.tQRText = newFitText(fyne.TextAlignCenter)
	qr := container.New(qrLayout{}, k.tQR, k.tQRText)
	k.bodies[screenTicket] = container.New(ticketLayout{}, number, k.tFacts, qr)

	k.tDone = newButton(theme.ConfirmIcon(), styleAction, k.guard(k.back))
	k.bands[screenTicket] = container.New(halves{}, k.tDone)
}

func (k *Kiosk) buildMessage() {
	k.mText = newFitText(fyne.TextAlignCenter)
	k.mText.middle = true
	k.bodies[screenMessage] = k.mText
	k.mOK = newButton(theme.ConfirmIcon(), styleAction, k.guard(k.back))
	k.bands[screenMessage] = container.New(halves{}, k.mOK)
}

// message shows a short message that goes away by itself. words writes
// it in the kiosk's language, again if the citizen changes language.
func (k *Kiosk) message(words func() (title, text, todo string)) {
	k.messageWords = words
	k.fillMessage()
	k.show(screenMessage)
	k.returnAt = k.opt.Now().Add(k.opt.ReturnAfter)
}

func (k *Kiosk) fillMessage() {
	if k.messageWords == nil {
		return
	}
	title, text, todo := k.messageWords()
	k.mText.set(
		textPart{Text: title, Size: sizeTitle, Bold: true, Color: theme.ColorNameForeground},
		textPart{Text: text, Size: sizeHeadline, Color: theme.ColorNameForeground},
		textPart{Text: todo, Size: sizeHeadline, Bold: true, Color: theme.ColorNamePrimary},
	)
}

// calledSlack is how much later than its slot an appointment's expected
// call may be and still be announced as "at about" the slot.
const calledSlack = 5 * time.Minute

// fillTicket writes the ticket screen: a ticket issued, or the ticket of
// a booked citizen who checked in (its slot, when they will be called).
func (k *Kiosk) fillTicket(t *queue.TicketView) {
	name := t.Service
	if sv := k.model.Service(t.Service); sv != nil {
		name = k.name(sv)
	}
	mark := textPart{Size: sizeDetail, Bold: true, Color: colorPriority}
	switch {
	case t.Due != nil:
		mark.Text, mark.Color = k.tr.L("ticket.appointment", map[string]any{"Time": k.words.clock(*t.Due)}), theme.ColorNameForeground
	case t.Priority:
		mark.Text = k.tr.L("ticket.priority")
	}
	k.tNumber.set(
		textPart{Text: k.tr.L("ticket.yourNumber"), Size: sizeHeadline, Color: theme.ColorNameForeground},
		textPart{Text: t.Number, Size: sizeNumber, Bold: true, Color: colorNumber},
		textPart{Text: name, Size: sizeHeadline, Bold: true, Color: theme.ColorNameForeground},
		mark,
	)
	late, ahead, wait := "", "", ""
	switch {
	case t.Due != nil:
		// An appointment: called at its slot, or later if the counters
		// are behind, as the forecast says.
		due := *t.Due
		if t.Position == nil || !k.opt.Now().Add(t.Wait.EstimatedWait.D()).After(due.Add(calledSlack)) {
			wait = k.tr.L("ticket.calledAt", map[string]any{"Time": k.words.clock(due)})
		} else {
			wait = k.tr.L("ticket.wait", map[string]any{"Wait": k.words.waitText(t.Wait)})
		}
	case t.Position != nil:
		ahead = k.words.aheadText(t.Ahead)
		wait = k.tr.L("ticket.wait", map[string]any{"Wait": k.words.waitText(t.Wait)})
	}
	if k.shownFor != nil && k.shownFor.Late {
		late = k.tr.L("ticket.lateWalkin")
	}
	k.tFacts.set(
		textPart{Text: late, Size: sizeDetail, Bold: true, Color: theme.ColorNameForeground},
		textPart{Text: ahead, Size: sizeHeadline, Color: theme.ColorNameForeground},
		textPart{Text: wait, Size: sizeHeadline, Color: theme.ColorNameForeground},
		textPart{Text: k.printNote("ticket", t.ID), Size: sizeDetail, Bold: true, Color: theme.ColorNameForeground},
	)
	img, err := qrImage(k.opt.PublicURL + "/t/" + t.ID)
	if err != nil {
		k.log.Error("qr code", "err", err)
	}
	k.tQR.Image = img
	k.tQR.Hidden = img == nil
	k.tQRText.Hidden = img == nil
	k.tQR.Refresh()
}
