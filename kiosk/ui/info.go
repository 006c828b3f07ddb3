package ui

import (
	"fmt"

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
		if k.info != "" {
			k.take(k.info)
		}
	}))
	// Back on the left, Take on the right: Take's place is empty on the
	// ticket and message screens that follow it.
	k.bands[screenInfo] = container.New(halves{}, k.infoBack, k.infoTake)
}

func (k *Kiosk) openInfo(id string) {
	k.info = id
	k.infoScroll.ScrollToTop()
	k.fillInfo()
	k.show(screenInfo)
}

func (k *Kiosk) fillInfo() {
	sv := k.model.Service(k.info)
	if sv == nil {
		return
	}
	parts := []textPart{{Text: k.name(sv), Size: sizeTitle, Bold: true, Color: theme.ColorNameForeground}}
	state, todo := k.words.reason(sv)
	switch {
	case !k.online():
		k.infoTake.setDisabled(true)
	case state != "":
		k.infoTake.setDisabled(true)
		parts = append(parts, textPart{Text: fmt.Sprintf("%s %s", state, todo), Size: sizeDetail, Bold: true, Color: theme.ColorNameForeground})
	default:
		k.infoTake.setDisabled(false)
	}
	k.infoTitle.set(parts...)
	k.infoText.set(sheetParts(sv.Info)...)
}
