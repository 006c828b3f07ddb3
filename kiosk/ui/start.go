package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"turno/server/client"
	"turno/server/queue"
)

// build makes every screen and the frame around them (layout.go).
func (k *Kiosk) build() {
	// The access row: the same on every screen.
	k.langs = map[string]*button{}
	var access []fyne.CanvasObject
	for _, l := range languages {
		b := newButton(nil, styleNormal, k.guard(func() { k.setLanguage(l) }))
		k.langs[l] = b
		access = append(access, b)
	}
	k.largeB = newButton(theme.ZoomInIcon(), styleNormal, k.guard(k.toggleLarge))
	k.contrastB = newButton(theme.VisibilityIcon(), styleNormal, k.guard(k.toggleContrast))
	access = append(access, k.largeB, k.contrastB)
	top := container.New(&buttonRow{gap: 8, sep: 32, split: len(languages)}, access...)

	k.bodies, k.bands = map[string]fyne.CanvasObject{}, map[string]fyne.CanvasObject{}
	k.buildStart()
	k.buildInfo()
	k.buildTicket()
	k.buildMessage()
	k.buildCheckIn()
	k.buildBook()
	k.buildBooked()

	var bodies, bands []fyne.CanvasObject
	for _, name := range screenNames {
		bodies = append(bodies, k.bodies[name])
		bands = append(bands, k.bands[name])
	}
	k.staff = newFitText(fyne.TextAlignLeading)
	k.staff.maxLines = 1
	frame := container.New(frameLayout{}, top, container.New(fill{}, bodies...), container.New(fill{}, bands...), k.staff)
	bg := canvas.NewRectangle(nil)
	k.root = container.New(fill{}, bg, frame)

	// The theme is the app's, not a ThemeOverride of the content: Fyne 2.7
	// resolves a label's custom text size through the app's theme when
	// the label was not yet in the override's scope, and the kiosk is the
	// only window of its app anyway.
	k.opt.App.Settings().SetTheme(newTheme(k.contrast, k.large, k.measures))
	prev := k.colorize
	k.colorize = func() {
		th := k.opt.App.Settings().Theme()
		bg.FillColor = th.Color(theme.ColorNameBackground, theme.VariantLight)
		bg.Refresh()
		if prev != nil {
			prev()
		}
	}
	k.colorize()
}

// panel is a rounded surface in the panel colour with a border.
func panel(border fyne.ThemeColorName, content fyne.CanvasObject) (fyne.CanvasObject, func()) {
	bg := &canvas.Rectangle{CornerRadius: 24, StrokeWidth: 4}
	paint := func() {
		th := theme.Current()
		bg.FillColor = th.Color(colorPanel, theme.VariantLight)
		bg.StrokeColor = th.Color(border, theme.VariantLight)
		bg.Refresh()
	}
	return container.New(fill{}, bg, container.New(insetLayout{pad: 24}, content)), paint
}

// addPaint adds to colorize.
func (k *Kiosk) addPaint(paint func()) {
	prev := k.colorize
	k.colorize = func() {
		if prev != nil {
			prev()
		}
		paint()
	}
}

func (k *Kiosk) buildStart() {
	k.heading = newFitText(fyne.TextAlignCenter)
	k.heading.middle = true

	k.bannerText = newFitText(fyne.TextAlignCenter)
	k.bannerText.middle = true
	banner, paint := panel(colorBanner, k.bannerText)
	k.addPaint(paint)
	k.banner = container.New(centered{text: k.bannerText, pad: 24}, banner)

	k.grid = newServiceGrid(func(int, int) { k.paged() })
	k.prevB = newButton(theme.NavigateBackIcon(), styleNormal, k.guard(func() { k.turnPage(-1) }))
	k.nextB = newButton(theme.NavigateNextIcon(), styleNormal, k.guard(func() { k.turnPage(+1) }))
	k.prevB.Hide()
	k.nextB.Hide()
	k.prioB = newButton(theme.AccountIcon(), stylePriority, k.guard(func() { k.setPriority(!k.priority) }))
	k.checkInB = newButton(theme.CalendarIcon(), styleNormal, k.guard(k.openCheckIn))
	// The action row: the priority path and the check-in of a booked
	// citizen, between the pages' buttons when the services take more
	// than a page.
	actions := container.New(&buttonRow{gap: frameGap}, k.prevB, k.prioB, k.checkInB, k.nextB)

	k.bodies[screenStart] = container.New(startLayout{}, k.heading, container.New(fill{}, k.grid, k.banner), actions)
	k.officeLine = newFitText(fyne.TextAlignCenter)
	k.officeLine.middle = true
	k.bands[screenStart] = k.officeLine

	// The busy screen: its words, no buttons at all. It shows for the
	// time of a request, usually too short for an animation to be seen.
	k.busyText = newFitText(fyne.TextAlignCenter)
	k.busyText.middle = true
	k.bodies[screenBusy] = k.busyText
	k.bands[screenBusy] = container.New(fill{})
	k.busyWords = "busy.text"
}

// setBusy writes what the busy screen says while a request is under way
// (a key: a ticket, a check-in, a booking).
func (k *Kiosk) setBusy(key string) {
	k.busyWords = key
	k.busyText.set(textPart{Text: k.tr.L(key), Size: sizeHeadline, Color: theme.ColorNameForeground})
}

// relabel writes every fixed string in the current language, and the
// rest through refresh.
func (k *Kiosk) relabel() {
	for l, b := range k.langs {
		b.setText(k.tr.L("lang." + l))
		b.setStyle(styleNormal)
		if l == k.tr.Language() {
			b.setStyle(styleAction)
		}
		b.Refresh()
	}
	for b, on := range map[*button]bool{k.largeB: k.large, k.contrastB: k.contrast} {
		b.setStyle(styleNormal)
		if on {
			b.setStyle(styleAction)
		}
	}
	k.largeB.setText(k.tr.L("access.large"))
	k.contrastB.setText(k.tr.L("access.contrast"))
	k.largeB.Refresh()
	k.contrastB.Refresh()
	k.prevB.setText(k.tr.L("grid.prev"))
	k.nextB.setText(k.tr.L("grid.next"))
	k.infoBack.setText(k.tr.L("button.back"))
	k.infoTake.setText(k.tr.L("info.take"))
	k.setBusy(k.busyWords)
	k.tQRText.set(textPart{Text: k.tr.L("ticket.qr"), Size: sizeDetail, Color: theme.ColorNameForeground})
	k.tDone.setText(k.tr.L("button.done"))
	k.mOK.setText(k.tr.L("button.ok"))
	k.checkInB.setText(k.tr.L("start.checkin"))
	for _, b := range []*button{k.ciBack, k.bkBack} {
		b.setText(k.tr.L("button.back"))
	}
	k.ciConfirm.setText(k.tr.L("checkin.confirm"))
	k.ciDelete.setText(k.tr.L("key.delete"))
	k.bkDelete.setText(k.tr.L("key.delete"))
	k.bkSpace.setText(k.tr.L("key.space"))
	k.bkConfirm.setText(k.tr.L("book.confirm"))
	k.bdDone.setText(k.tr.L("button.done"))
	for _, b := range []*button{k.infoBack, k.infoTake, k.tDone, k.mOK, k.checkInB, k.ciBack, k.ciConfirm, k.ciDelete,
		k.bkBack, k.bkDelete, k.bkSpace, k.bkConfirm, k.bdDone} {
		b.Refresh()
	}
	k.clockText = ""
	k.writeClock(k.opt.Now())
	k.refresh()
	if k.screen == screenTicket && k.shown != nil {
		k.fillTicket(k.shown)
	}
	if k.screen == screenMessage {
		k.fillMessage()
	}
	if k.screen == screenBooked {
		k.fillBooked()
	}
}

// writeHeading writes the start screen's heading: what to do, the
// priority path's terms, or why nothing can be done now; and which page
// of services shows.
func (k *Kiosk) writeHeading() {
	page := ""
	if k.grid.pages > 1 {
		page = " · " + k.tr.L("grid.page", map[string]any{"Page": k.grid.page + 1, "Pages": k.grid.pages})
	}
	switch {
	case !k.online():
		// Nothing to tap: the heading says so instead of inviting a tap.
		title, detail := k.offlineText()
		k.heading.set(textPart{Text: title, Size: sizeTitle, Bold: true, Color: theme.ColorNameForeground})
		k.bannerText.set(textPart{Text: detail, Size: sizeHeadline, Color: theme.ColorNameForeground})
	case k.priority:
		k.heading.set(
			textPart{Text: k.tr.L("priority.title"), Size: sizeTitle, Bold: true, Color: colorPriority},
			textPart{Text: k.tr.L("priority.active") + page, Size: sizeDetail, Color: theme.ColorNameForeground},
		)
	default:
		k.heading.set(
			textPart{Text: k.tr.L("start.title"), Size: sizeTitle, Bold: true, Color: theme.ColorNameForeground},
			textPart{Text: k.tr.L("start.subtitle") + page, Size: sizeDetail, Color: theme.ColorNameForeground},
		)
	}
}

// paged follows the grid's pages: the heading says which page shows, and
// the pages' buttons show when there are pages.
func (k *Kiosk) paged() {
	many := k.online() && k.grid.pages > 1
	for _, b := range []*button{k.prevB, k.nextB} {
		if many {
			b.Show()
		} else {
			b.Hide()
		}
	}
	k.prevB.setDisabled(k.grid.page == 0)
	k.nextB.setDisabled(k.grid.page >= k.grid.pages-1)
	k.writeHeading()
}

// refresh shows the office as the stream has it: a tile per service with
// its state, or why no ticket can be issued now.
func (k *Kiosk) refresh() {
	online := k.online()
	k.writeHeading()
	if k.priority {
		k.prioB.setText(k.tr.L("priority.cancel"))
		k.prioB.label.icon = theme.CancelIcon()
		k.prioB.setStyle(styleInPath)
	} else {
		k.prioB.setText(k.tr.L("priority.button"))
		k.prioB.label.icon = theme.AccountIcon()
		k.prioB.setStyle(stylePriority)
	}
	k.prioB.Hidden = !online
	k.prioB.Refresh()
	k.checkInB.Hidden = !online || !k.bookable()
	k.checkInB.Refresh()

	k.syncCells()
	longest, longestOffered, longestOffer := k.longestReason()
	longestWait := k.words.waitingText(99) + " · " + k.tr.L("service.wait",
		map[string]any{"Wait": k.tr.N("wait.between", 120, map[string]any{"Low": 100, "High": 120})})
	for i := range k.model.Services {
		sv := &k.model.Services[i]
		c := k.cells[sv.ID]
		c.tile.setReference(k.name(sv), longest, longestOffered, longestOffer, longestWait, k.tr.L("service.tapPriority"))
		state, todo := k.words.reason(sv)
		next := offerable(sv)
		switch {
		case state != "" && next != nil && online:
			// No ticket, but an appointment: the button offers it.
			state, todo, _ := k.words.offerReason(sv, nil, next.Start)
			detail := state
			if todo != "" {
				detail += "\n" + todo
			}
			c.tile.set(k.name(sv), detail, k.tr.L("offer.tile", map[string]any{"When": k.words.slot(next.Start)}), false, false, true)
		case state != "":
			detail := state
			if todo != "" {
				detail += "\n" + todo
			}
			c.tile.set(k.name(sv), detail, "", true, false, false)
		default:
			detail := k.words.waitingText(sv.Waiting)
			if sv.Waiting > 0 || sv.EstimatedWait > 0 {
				if r := sv.Wait.Readable(); r.About && r.Minutes == 0 {
					detail += " · " + k.tr.L("wait.none") // not "wait no wait"
				} else {
					detail += " · " + k.tr.L("service.wait", map[string]any{"Wait": k.words.waitText(sv.Wait)})
				}
			}
			hint := k.tr.L("service.tap")
			if k.priority {
				hint = k.tr.L("service.tapPriority")
			}
			c.tile.set(k.name(sv), detail, hint, !online, k.priority, false)
		}
		c.info.setText(k.tr.L("service.info"))
		c.hasInfo = strings.TrimSpace(sv.Info) != ""
	}
	if online {
		k.banner.Hide()
	} else {
		k.banner.Show()
	}
	k.grid.Hidden = !online
	switch k.screen {
	case screenInfo:
		k.fillInfo() // the service may have stopped while the sheet is read
	case screenCheckIn:
		k.fillCheckIn() // the server may have gone: Confirm waits for it
	case screenBook:
		k.fillBook()
	}
	k.staffLine()
	k.writeClock(k.opt.Now())
	k.grid.Refresh()
	k.paged()
	k.root.Refresh()
}

// bookable reports whether any service takes appointments: then the
// start screen offers the check-in.
func (k *Kiosk) bookable() bool {
	for i := range k.model.Services {
		if k.model.Services[i].Agenda != nil {
			return true
		}
	}
	return false
}

// longestReason is the longest reason a tile may show in the kiosk's
// language (a lock's reason aside: the floor assistant writes it): the
// people waiting fill the time to closing, and the service reopens on a
// day named in full, or can be booked; and, if a service takes
// appointments, the longest reason with an offer and the offer.
func (k *Kiosk) longestReason() (reason, reasonOffered, offer string) {
	loc := k.location()
	closes := time.Date(2026, 9, 30, 12, 30, 0, 0, loc)
	reopens := time.Date(2026, 9, 30, 15, 0, 0, 0, loc) // a Wednesday in September: long names
	w := k.words
	w.now = func() time.Time { return closes.AddDate(0, 0, -7) }
	state, todo := w.reason(&queue.ServiceView{ServiceStatus: queue.ServiceStatus{Status: queue.ServiceCutoff, ClosesAt: &closes,
		Refusal: &queue.Refusal{Rule: queue.RuleCutoffLoad, ReopensAt: &reopens, Appointment: true}}})
	reason = state + "\n" + todo
	if k.bookable() {
		state, todo, _ := w.offerReason(&queue.ServiceView{ServiceStatus: queue.ServiceStatus{Status: queue.ServiceCutoff, ClosesAt: &closes,
			Refusal: &queue.Refusal{Rule: queue.RuleCutoffLoad, ReopensAt: &reopens, Appointment: true}}}, nil, reopens)
		return reason, state + "\n" + todo, k.tr.L("offer.tile", map[string]any{"When": w.slot(reopens)})
	}
	return reason, "", ""
}

// syncCells keeps one cell per service, in the office's order.
func (k *Kiosk) syncCells() {
	same := len(k.grid.cells) == len(k.model.Services)
	for i := range k.model.Services {
		if !same || k.grid.cells[i].tile.service != k.model.Services[i].ID {
			same = false
			break
		}
	}
	if same {
		return
	}
	cells := make([]*gridCell, 0, len(k.model.Services))
	for _, sv := range k.model.Services {
		c := k.cells[sv.ID]
		if c == nil {
			id := sv.ID
			c = &gridCell{
				tile: newTile(id, k.guard(func() { k.tapService(id) })),
				info: newButton(theme.InfoIcon(), styleNormal, k.guard(func() { k.openInfo(id) })),
			}
			k.cells[id] = c
		}
		cells = append(cells, c)
	}
	k.grid.cells = cells
	k.changed() // the services moved under the citizen's finger
}

// tapService takes a ticket, or opens the offer of an appointment of a
// service that issues no ticket now (its sheet: why, the appointment,
// what to bring, Book).
func (k *Kiosk) tapService(id string) {
	if sv := k.model.Service(id); sv != nil && offerable(sv) != nil {
		k.openInfo(id)
		return
	}
	k.take(id)
}

// name is a service's name in the kiosk's language. The office names its
// services in Italian and English; a French or Spanish reader gets the
// Italian name, the one on the hall's signs and boards.
func (k *Kiosk) name(sv *queue.ServiceView) string { return sv.Name(k.tr.Language()) }

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
