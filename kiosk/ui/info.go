package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// The information sheet of a service: what to bring, which form. Its
// title and the service's state at the top, the sheet below (it scrolls:
// the office writes it, and may write a lot), Back and Take in the band.

func (k *Kiosk) buildInfo() {
	k.infoTitle = newFitText(fyne.TextAlignLeading)
	k.infoText = newFitText(fyne.TextAlignLeading)
	k.infoText.flow = true
	k.infoScroll = container.NewVScroll(k.infoText)
	sheet, paint := panel(colorButtonEdge, k.infoScroll)
	k.addPaint(paint)
	k.bodies[screenInfo] = container.New(infoLayout{title: k.infoTitle}, k.infoTitle, sheet)

	k.infoBack = newButton(theme.NavigateBackIcon(), styleNormal, k.guard(k.back))
	k.infoTake = newButton(theme.ConfirmIcon(), styleAction, k.guard(func() {
		if k.info == "" {
			return
		}
		if next := k.infoOffer(); next != nil {
			k.offerBooking(k.info, *next, nil)
			return
		}
		k.take(k.info)
	}))
	// Back on the left, Take on the right: Take's place is empty on the
	// ticket and message screens that follow it, and holds the booking's
	// Book, which cannot be pressed before a name is typed, when Take
	// is the offer of an appointment.
	k.bands[screenInfo] = container.New(halves{}, k.infoBack, k.infoTake)
}

func (k *Kiosk) openInfo(id string) {
	k.info = id
	k.infoRefus = nil
	k.infoScroll.ScrollToTop()
	k.fillInfo()
	k.show(screenInfo)
}

// infoOffer is the appointment the open sheet offers in the place of a
// ticket, or nil: its service issues no ticket now (or refused one at
// the tap) and has a free appointment.
func (k *Kiosk) infoOffer() *time.Time {
	sv := k.model.Service(k.info)
	if sv == nil || !k.online() {
		return nil
	}
	if next := offerable(sv); next != nil {
		return &next.Start
	}
	if k.infoRefus != nil && sv.Agenda != nil && sv.Agenda.NextFree != nil {
		return &sv.Agenda.NextFree.Start
	}
	return nil
}

func (k *Kiosk) fillInfo() {
	sv := k.model.Service(k.info)
	if sv == nil {
		return
	}
	parts := []textPart{{Text: k.name(sv), Size: sizeTitle, Bold: true, Color: theme.ColorNameForeground}}
	state, todo := k.words.reason(sv)
	if k.infoRefus != nil && state == "" {
		// Refused at the tap before the stream said so.
		state, todo = k.words.refusal(sv, k.infoRefus)
	}
	k.infoTake.setText(k.tr.L("info.take"))
	k.infoTake.label.icon = theme.ConfirmIcon()
	switch next := k.infoOffer(); {
	case !k.online():
		k.infoTake.setDisabled(true)
	case next != nil:
		// No ticket, but an appointment: Take becomes Book.
		state, todo, offer := k.words.offerReason(sv, k.infoRefus, *next)
		parts = append(parts,
			textPart{Text: strings.TrimSpace(state + " " + todo), Size: sizeDetail, Bold: true, Color: theme.ColorNameForeground},
			textPart{Text: offer, Size: sizeHeadline, Bold: true, Color: theme.ColorNamePrimary})
		k.infoTake.setText(k.tr.L("info.book"))
		k.infoTake.label.icon = theme.CalendarIcon()
		k.infoTake.setDisabled(false)
	case state != "":
		k.infoTake.setDisabled(true)
		parts = append(parts, textPart{Text: fmt.Sprintf("%s %s", state, todo), Size: sizeDetail, Bold: true, Color: theme.ColorNameForeground})
	default:
		k.infoTake.setDisabled(false)
	}
	k.infoTake.Refresh()
	k.infoTitle.set(parts...)
	k.infoText.set(sheetParts(sv.Info)...)
}
