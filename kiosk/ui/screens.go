package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

// relabel writes every fixed string in the current language.
func (k *Kiosk) relabel() {
	for l, b := range k.langs {
		b.SetText(k.tr.L("lang." + l))
		if l == k.tr.Language() {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	if k.contrast {
		k.contrastB.SetText(k.tr.L("contrast.off"))
	} else {
		k.contrastB.SetText(k.tr.L("contrast.on"))
	}
	k.title.SetText(k.tr.L("start.title"))
	k.prioText.SetText(k.tr.L("priority.active"))
	k.prioCanc.SetText(k.tr.L("priority.cancel"))
	k.prioB.SetText(k.tr.L("priority.button"))
	k.infoBack.SetText(k.tr.L("button.back"))
	k.infoTake.SetText(k.tr.L("info.take"))
	k.busyText.SetText(k.tr.L("busy.text"))
	k.tYour.SetText(k.tr.L("ticket.yourNumber"))
	k.tQRText.SetText(k.tr.L("ticket.qr"))
	k.tDone.SetText(k.tr.L("button.done"))
	k.mOK.SetText(k.tr.L("button.ok"))
	k.refresh()
	if k.screen == screenTicket && k.shown != nil {
		k.fillTicket(k.shown)
	}
}

// name is a service's name in the kiosk's language.
func (k *Kiosk) name(sv *queue.ServiceView) string { return sv.Name(k.tr.Language()) }

// refresh shows the office as the stream has it: one button per service
// with its state, or the server-down banner.
func (k *Kiosk) refresh() {
	k.office.SetText(k.model.Office)
	online := k.online()
	if k.priority {
		k.subtitle.SetText(k.tr.L("start.subtitlePriority"))
	} else {
		k.subtitle.SetText(k.tr.L("start.subtitle"))
	}
	k.prioBar.Hidden = !k.priority
	k.prioB.Hidden = k.priority || !online

	// The buttons follow the office's services, in its order.
	ids := make([]string, 0, len(k.model.Services))
	for i := range k.model.Services {
		ids = append(ids, k.model.Services[i].ID)
	}
	if !sameOrder(ids, k.grid.Objects, k.tiles) {
		k.grid.Objects = nil
		for _, id := range ids {
			if k.tiles[id] == nil {
				k.tiles[id] = newTile(id, func() { k.take(id) })
				k.infoBs[id] = &widget.Button{Icon: theme.InfoIcon(), OnTapped: func() { k.openInfo(id) }}
			}
			k.grid.Add(newCell(k.tiles[id], k.infoBs[id]))
		}
	}
	for i := range k.model.Services {
		sv := &k.model.Services[i]
		t := k.tiles[sv.ID]
		state, todo := k.words.reason(sv)
		switch {
		case !online:
			t.set(k.name(sv), k.tr.L("service.unavailable"), "", true, false)
		case state != "":
			detail := state
			if todo != "" {
				detail += "\n" + todo
			}
			t.set(k.name(sv), detail, "", true, false)
		default:
			detail := k.words.waitingText(sv.Waiting)
			if sv.Waiting > 0 || sv.EstimatedWait > 0 {
				detail += " · " + k.tr.L("service.wait", map[string]any{"Wait": k.words.waitText(sv.EstimatedWait)})
			}
			hint := k.tr.L("service.tap")
			if k.priority {
				hint = k.tr.L("service.tapPriority")
			}
			t.set(k.name(sv), detail, hint, false, k.priority)
		}
		t.Refresh()
		b := k.infoBs[sv.ID]
		b.SetText(k.tr.L("service.info"))
		b.Hidden = strings.TrimSpace(sv.Info) == ""
		b.Refresh()
	}

	k.banner.Hidden = online
	k.grid.Hidden = !online
	if !online {
		title, detail := k.offlineText()
		k.bannerT.Text = title
		k.bannerT.Refresh()
		k.bannerD.SetText(detail)
	}
	if k.screen == screenInfo {
		k.fillInfo() // the service may have stopped while the sheet is read
	}
	k.staffLine()
	k.grid.Refresh()
	k.root.Refresh()
}

// offlineText says why no ticket can be issued, and what happens next.
func (k *Kiosk) offlineText() (title, detail string) {
	switch {
	case k.refused():
		// The stream has stopped for good: promising that the kiosk
		// reconnects by itself would keep citizens, and staff, waiting for
		// nothing.
		return k.tr.L("offline.title"), k.tr.L("offline.auth")
	case k.status.State == client.Connecting:
		return k.tr.L("offline.connecting"), k.tr.L("offline.wait")
	}
	return k.tr.L("offline.title"), k.tr.L("offline.detail")
}

// refused reports whether the server turned the kiosk's stream away for
// good: a bad token (401), a forbidden one (403), or a subscription it
// refused. The stream does not retry those (client.Stream), so the kiosk
// is out of service until staff fix its token or the office's
// configuration and restart it.
func (k *Kiosk) refused() bool {
	return k.status.State == client.Stopped && k.status.Err != nil &&
		!errors.Is(k.status.Err, client.ErrStreamClosed) && !errors.Is(k.status.Err, client.ErrUnreachable)
}

// notAuthorised reports whether the server refused a call for the
// kiosk's credentials: its token is unknown (401) or may not do this
// (403).
func notAuthorised(err error) bool {
	s := client.StatusOf(err)
	return s == http.StatusUnauthorized || s == http.StatusForbidden
}

// staffLine is the small line at the bottom for staff: the kiosk, its
// connection, its printer.
func (k *Kiosk) staffLine() {
	parts := []string{k.opt.KioskID}
	switch k.status.State {
	case client.Connected:
		parts = append(parts, k.tr.L("staff.online"))
	case client.Disconnected:
		parts = append(parts, k.tr.L("staff.offline", map[string]any{
			"Since": k.status.Since.Format("15:04:05"), "Retries": k.status.Retries}))
	case client.Stopped:
		msg := k.tr.L("staff.stopped")
		if k.refused() {
			msg = k.tr.L("staff.refused")
		}
		if k.status.Err != nil {
			msg += ": " + k.status.Err.Error()
		}
		parts = append(parts, msg)
	default:
		parts = append(parts, k.tr.L("staff.connecting"))
	}
	if k.printErr != "" {
		parts = append(parts, k.tr.L("staff.printFailed", map[string]any{"Error": k.printErr}))
	}
	k.staff.SetText(strings.Join(parts, " · "))
	if k.printErr != "" || k.refused() {
		k.staff.Importance = widget.DangerImportance
	} else {
		k.staff.Importance = widget.LowImportance
	}
	k.staff.Refresh()
}

func sameOrder(ids []string, cells []fyne.CanvasObject, tiles map[string]*tile) bool {
	if len(ids) != len(cells) {
		return false
	}
	for i, id := range ids {
		c, ok := cells[i].(*fyne.Container)
		if !ok || tiles[id] == nil || len(c.Objects) == 0 || c.Objects[0] != tiles[id] {
			return false
		}
	}
	return true
}

// newCell is a service's place in the grid: its button, and under it the
// button of its information sheet.
func newCell(t *tile, info *widget.Button) *fyne.Container {
	c := &fyne.Container{Layout: &cellLayout{}, Objects: []fyne.CanvasObject{t, info}}
	return c
}

// cellLayout gives the tile all the height but the info button's.
type cellLayout struct{}

func (cellLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	t, info := objs[0], objs[1]
	h := float32(0)
	if info.Visible() {
		h = info.MinSize().Height
	}
	t.Move(fyne.NewPos(0, 0))
	t.Resize(fyne.NewSize(size.Width, size.Height-h-4*boolf(h > 0)))
	info.Move(fyne.NewPos(0, size.Height-h))
	info.Resize(fyne.NewSize(size.Width, h))
}

func (cellLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(a.Width, b.Width), a.Height+b.Height+4)
}

func boolf(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

// show switches to a screen; timers armed for the previous one lapse.
func (k *Kiosk) show(screen string) {
	k.screen = screen
	k.gen++
	for name, o := range k.screens {
		if name == screen {
			o.Show()
		} else {
			o.Hide()
		}
	}
	k.root.Refresh()
}

// back returns to the start at once.
func (k *Kiosk) back() { k.reset() }

// reset prepares the kiosk for the next citizen: the start screen, in the
// kiosk's language, without the priority path.
func (k *Kiosk) reset() {
	if k.shown != nil {
		// A ticket was on screen: its citizen is served, and whoever taps
		// next is someone else, who must not inherit the key of an earlier
		// tap that got no answer (it would bring back that tap's ticket).
		// Keys survive only the way from the "no answer" message back to
		// the start, where the same citizen taps the same button again: a
		// key dropped there would issue a second ticket if the server had
		// issued the first, a ghost that a clerk calls into an empty hall.
		// Should that citizen walk away instead, the next one gets the
		// ghost only while it is still waiting (request), within keyReuse:
		// a live place in the queue, never a dead one.
		clear(k.pending)
	}
	k.priority = false
	k.info = ""
	k.shown = nil
	if k.tr.Language() != k.opt.Language {
		k.tr.SetLanguage(k.opt.Language)
		k.relabel()
	}
	k.show(screenStart)
	k.refresh()
}

func (k *Kiosk) setLanguage(l string) {
	k.tr.SetLanguage(l)
	k.relabel()
	k.armIdle()
}

func (k *Kiosk) toggleContrast() {
	k.contrast = !k.contrast
	k.opt.App.Settings().SetTheme(newTheme(k.contrast))
	k.colorize()
	k.relabel()
	k.root.Refresh()
}

func (k *Kiosk) setPriority(on bool) {
	k.priority = on
	k.refresh()
	if on {
		k.armIdle()
	}
}

func (k *Kiosk) openInfo(id string) {
	k.info = id
	k.fillInfo()
	k.show(screenInfo)
	k.armIdle()
}

func (k *Kiosk) fillInfo() {
	sv := k.model.Service(k.info)
	if sv == nil {
		return
	}
	k.infoTitle.SetText(k.name(sv))
	k.infoText.ParseMarkdown(sv.Info)
	state, todo := k.words.reason(sv)
	switch {
	case !k.online():
		k.infoTake.Disable()
	case state != "":
		k.infoTake.Disable()
		k.infoText.ParseMarkdown(fmt.Sprintf("**%s** %s\n\n%s", state, todo, sv.Info))
	default:
		k.infoTake.Enable()
	}
}
