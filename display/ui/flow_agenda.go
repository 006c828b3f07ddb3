package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// agendaPanel is the flow view's appointments tab: a search by code or
// name, "book for a citizen", and each bookable service's day: its counts
// and its bookings in slot order, each a target that opens the booking
// (check in at the desk, move, cancel). While booking or moving, the tab
// shows the form instead (flow_booking.go).
type agendaPanel struct {
	fl  *Flow
	box *fyne.Container // the agenda or the form

	list     *fyne.Container
	search   *widget.Entry
	searchGo *widget.Button
	bookNew  *widget.Button

	// The last search, shown above the services until cleared.
	found      *fyne.Container
	foundTitle *widget.Label
	foundGrid  *fyne.Container
	foundTiles []*bookingTile
	foundClear *widget.Button
	query      string
	results    []queue.Booking
	searching  bool

	cards     *fyne.Container
	byService map[string]*agendaCard
	none      *widget.Label
	sig       string

	form   *bookingForm
	detail *bookingDialog
	booked *bookedDialog
}

// agendaCard is one bookable service's day.
type agendaCard struct {
	obj                fyne.CanvasObject
	name, counts, next *widget.Label
	empty              *widget.Label
	grid               *fyne.Container
	tiles              []*bookingTile
	service            string
}

// bookingTile is one booking: a target the width of a column, its time
// and name over its state.
type bookingTile struct {
	obj    fyne.CanvasObject
	button *widget.Button
	head   *widget.Label
	state  *widget.Label
	id     string
}

// bookingColumns is how many bookings a row of the agenda shows: three
// leave each a third of the tablet's width, room for a long name.
const bookingColumns = 3

func newAgendaPanel(fl *Flow) *agendaPanel {
	p := &agendaPanel{fl: fl, byService: map[string]*agendaCard{}}
	p.search = widget.NewEntry()
	p.search.SetPlaceHolder(fl.tr("Booking code or name"))
	p.search.OnSubmitted = func(string) { p.doSearch() }
	p.searchGo = widget.NewButtonWithIcon(fl.tr("Search"), theme.SearchIcon(), p.doSearch)
	p.bookNew = widget.NewButtonWithIcon(fl.tr("Book for a citizen"), theme.ContentAddIcon(), func() { p.form.startBook() })
	p.bookNew.Importance = widget.HighImportance
	tools := container.NewBorder(nil, nil, nil, container.NewHBox(touch(p.searchGo), touch(p.bookNew)), touch(p.search))

	p.foundTitle = heading("")
	p.foundTitle.Wrapping = fyne.TextWrapWord
	p.foundGrid = container.NewGridWithColumns(bookingColumns)
	p.foundClear = widget.NewButtonWithIcon(fl.tr("Close the search"), theme.CancelIcon(), p.clearSearch)
	p.found = container.NewVBox(card(container.NewBorder(nil, nil, nil, touch(p.foundClear), p.foundTitle), p.foundGrid))
	p.found.Hide()

	p.none = wrapped(fl.tr("No service of this office takes appointments."))
	p.none.Hide()
	p.cards = container.NewVBox()
	p.list = container.NewVBox(tools, p.found, heading(fl.tr("Today's appointments")), p.none, p.cards)
	p.box = container.NewStack(p.list)
	p.form = newBookingForm(p)
	p.detail = newBookingDialog(p)
	p.booked = newBookedDialog(p)
	return p
}

func (p *agendaPanel) object() fyne.CanvasObject { return p.box }

// tab says how many booked citizens are late, else how many are expected.
func (p *agendaPanel) tab() string {
	fl := p.fl
	now := fl.opt.Now()
	late, expected := 0, 0
	for _, b := range fl.model.Bookings {
		if b.State != queue.BookingBooked || b.Day != fl.model.Day {
			continue
		}
		if b.Slot.After(now) {
			expected++
		} else {
			late++
		}
	}
	switch {
	case late > 0:
		return fl.tr("Appointments") + " · " + fl.trN(late, "1 late", "{{.N}} late")
	case expected > 0:
		return fl.tr("Appointments") + " · " + fl.trN(expected, "1 expected", "{{.N}} expected")
	}
	return fl.tr("Appointments")
}

func (p *agendaPanel) refresh(now time.Time) {
	fl := p.fl
	live := fl.online() && !fl.busy
	setEnabled(p.bookNew, live)
	setEnabled(p.searchGo, fl.online() && !p.searching)
	p.form.refresh(now)
	p.detail.refresh()
	if p.results != nil {
		p.drawFound(now)
	}
	p.drawCards(now)
}

// showList shows the agenda, from the top.
func (p *agendaPanel) showList() {
	p.box.Objects = []fyne.CanvasObject{p.list}
	p.box.Refresh()
	p.fl.show(p.fl.current)
}

// showForm shows the form, from the top.
func (p *agendaPanel) showForm() {
	p.box.Objects = []fyne.CanvasObject{p.form.box}
	p.box.Refresh()
	p.fl.show(p.fl.current)
}

func (p *agendaPanel) newCard(service string) *agendaCard {
	c := &agendaCard{service: service, name: bold(""), counts: wrapped(""), next: wrapped(""), empty: wrapped("")}
	c.name.SizeName = theme.SizeNameSubHeadingText
	c.name.Truncation = fyne.TextTruncateEllipsis
	c.grid = container.NewGridWithColumns(bookingColumns)
	c.obj = card(c.name, c.counts, c.next, c.empty, c.grid)
	return c
}

func (p *agendaPanel) drawCards(now time.Time) {
	fl := p.fl
	var sig strings.Builder
	for _, sv := range fl.model.Services {
		if sv.Agenda != nil {
			sig.WriteString(sv.ID + ";")
		}
	}
	if sig.String() != p.sig {
		p.sig = sig.String()
		clear(p.byService)
		var objs []fyne.CanvasObject
		for _, sv := range fl.model.Services {
			if sv.Agenda != nil {
				c := p.newCard(sv.ID)
				p.byService[sv.ID] = c
				objs = append(objs, c.obj)
			}
		}
		p.cards.Objects = objs
		p.cards.Refresh()
		if len(objs) == 0 {
			p.none.Show()
		} else {
			p.none.Hide()
		}
	}
	for i := range fl.model.Services {
		sv := &fl.model.Services[i]
		c := p.byService[sv.ID]
		if c == nil {
			continue
		}
		c.name.SetText(fl.name(sv))
		var shown []queue.Booking
		var expected, late, in, missed, cancelled int
		for _, b := range fl.model.Bookings {
			if b.Service != sv.ID || b.Day != fl.model.Day {
				continue
			}
			switch b.State {
			case queue.BookingBooked:
				if b.Slot.After(now) {
					expected++
				} else {
					late++
				}
			case queue.BookingCheckedIn:
				in++
			case queue.BookingMissed:
				missed++
			case queue.BookingCancelled:
				cancelled++
				continue // counted, not listed: the slot is free again
			}
			shown = append(shown, b)
		}
		counts := strings.Join([]string{
			fl.trN(expected, "1 expected", "{{.N}} expected"),
			fl.trN(late, "1 late", "{{.N}} late"),
			fl.trN(in, "1 checked in", "{{.N}} checked in"),
			fl.trN(missed, "1 missed", "{{.N}} missed"),
			fl.trN(cancelled, "1 cancelled", "{{.N}} cancelled"),
		}, " · ")
		imp := widget.MediumImportance
		if late > 0 {
			imp = widget.WarningImportance
		}
		setLabel(c.counts, counts, imp)
		next := fl.tr("No free slot for citizens in the coming days")
		if sv.Agenda.NextFree != nil {
			next = fl.tr("First slot free for citizens (web and kiosk): {{.D}} at {{.T}}", "D", fl.dayText(sv.Agenda.NextFree.Start, now), "T", clock(sv.Agenda.NextFree.Start, fl.loc))
		}
		setLabel(c.next, next, widget.MediumImportance)
		if len(shown) == 0 {
			setLabel(c.empty, fl.tr("No appointments today."), widget.MediumImportance)
			c.empty.Show()
		} else {
			c.empty.Hide()
		}
		c.tiles = p.fill(c.grid, c.tiles, shown, now, false)
	}
}

// fill shows bookings in a grid of tiles, reusing the tiles it has (a
// wrapped label made anew is one line high until laid out).
func (p *agendaPanel) fill(grid *fyne.Container, tiles []*bookingTile, bs []queue.Booking, now time.Time, withDay bool) []*bookingTile {
	changed := false
	for len(tiles) < len(bs) {
		tiles = append(tiles, p.newTile())
		changed = true
	}
	if changed || len(grid.Objects) != len(tiles) {
		objs := make([]fyne.CanvasObject, len(tiles))
		for i, t := range tiles {
			objs[i] = t.obj
		}
		grid.Objects = objs
		grid.Refresh()
	}
	for i, t := range tiles {
		if i >= len(bs) {
			if t.obj.Visible() {
				t.obj.Hide()
				changed = true
			}
			continue
		}
		if !t.obj.Visible() {
			t.obj.Show()
			changed = true
		}
		p.drawTile(t, bs[i], now, withDay)
	}
	if changed {
		grid.Refresh()
	}
	return tiles
}

func (p *agendaPanel) newTile() *bookingTile {
	t := &bookingTile{head: bold(""), state: wrapped("")}
	t.head.Wrapping = fyne.TextWrapWord
	t.button = widget.NewButton("", func() { p.openBooking(t.id) })
	// The text lies on the button and wraps: a long name is read whole, and
	// the tap goes through it to the button.
	t.obj = touch(container.NewStack(t.button, container.New(layout.NewCustomPaddedLayout(2, 2, 4, 4), container.NewVBox(t.head, t.state))))
	return t
}

// drawTile says a booking: its time (and day, in the search's results)
// and name, then its state: booked with its code, late, checked in with
// its ticket and where that ticket is, missed, cancelled.
func (p *agendaPanel) drawTile(t *bookingTile, b queue.Booking, now time.Time, withDay bool) {
	fl := p.fl
	t.id = b.ID
	when := clock(b.Slot, fl.loc)
	if withDay {
		when = fl.dayText(b.Slot, now) + " " + when
	}
	head := when + " · " + b.Name
	code := queue.FormatCode(b.Code)
	state, imp := fl.tr("Booked · {{.C}}", "C", code), widget.MediumImportance
	switch b.State {
	case queue.BookingBooked:
		if !b.Slot.After(now) && b.Day == fl.model.Day {
			state, imp = fl.tr("Late by {{.D}}: not checked in · {{.C}}", "D", minutes(now.Sub(b.Slot)), "C", code), widget.WarningImportance
		}
	case queue.BookingCheckedIn:
		state, imp = p.checkedIn(b), widget.SuccessImportance
	case queue.BookingMissed:
		state = fl.tr("Missed · {{.C}}", "C", code)
	case queue.BookingCancelled:
		state = fl.tr("Cancelled · {{.C}}", "C", code)
	}
	if withDay {
		state = fl.serviceName(b.Service) + " · " + state
	}
	t.head.TextStyle.Bold = true
	setLabel(t.head, head, map[bool]widget.Importance{true: widget.WarningImportance, false: widget.MediumImportance}[imp == widget.WarningImportance])
	setLabel(t.state, state, imp)
}

// checkedIn says where a checked-in citizen's ticket is: waiting (with
// its wait as the citizen reads it), at a counter, served.
func (p *agendaPanel) checkedIn(b queue.Booking) string {
	fl := p.fl
	number := b.Number
	t := fl.model.FindTicket(b.Ticket)
	if t != nil {
		number = t.Number
	}
	head := fl.tr("Checked in · {{.N}}", "N", number)
	if b.Late {
		head = fl.tr("Came late, served as a walk-in · {{.N}}", "N", number)
	}
	if t == nil {
		return head
	}
	switch t.Status {
	case queue.StatusWaiting:
		if t.Position != nil {
			return head + " · " + fl.tr("waiting, {{.W}}", "W", fl.waitText(t.Position.Wait))
		}
		return head + " · " + fl.tr("waiting")
	case queue.StatusCalled, queue.StatusServing:
		return head + " · " + fl.tr("at {{.C}}", "C", fl.counterName(t.Counter))
	case queue.StatusDone:
		return head + " · " + fl.tr("served")
	case queue.StatusNoShow:
		return head + " · " + fl.tr("did not answer the call")
	}
	return head
}

// openBooking shows a booking's details and actions: today's from the
// live model, another day's as the search found it.
func (p *agendaPanel) openBooking(id string) {
	if b := p.booking(id); b != nil {
		p.detail.show(*b)
	}
}

// booking finds a booking by id: the live model's for today, else the
// search's.
func (p *agendaPanel) booking(id string) *queue.Booking {
	for i := range p.fl.model.Bookings {
		if p.fl.model.Bookings[i].ID == id {
			return &p.fl.model.Bookings[i]
		}
	}
	for i := range p.results {
		if p.results[i].ID == id {
			return &p.results[i]
		}
	}
	return nil
}

func (p *agendaPanel) doSearch() {
	fl := p.fl
	q := strings.TrimSpace(p.search.Text)
	if q == "" {
		fl.tell(fl.tr("Write a booking code or part of a name to search."), true)
		return
	}
	if p.searching || !fl.online() {
		return
	}
	p.searching = true
	setEnabled(p.searchGo, false)
	var found []queue.Booking
	fl.run(func(ctx context.Context) (err error) {
		found, err = fl.cl.FindBookings(ctx, q)
		return err
	}, func(err error) {
		p.searching = false
		if err != nil {
			fl.log("search refused", "err", err)
			fl.tell(fl.explain(err), true)
			fl.refresh(fl.model, fl.status)
			return
		}
		p.query, p.results = q, found
		if p.results == nil {
			p.results = []queue.Booking{}
		}
		p.found.Show()
		fl.refresh(fl.model, fl.status)
	})
}

// researched runs the last search again after an action changed what it
// found (a booking of another day moved or cancelled).
func (p *agendaPanel) researched() {
	if p.results == nil || p.query == "" {
		return
	}
	p.search.SetText(p.query)
	p.doSearch()
}

func (p *agendaPanel) clearSearch() {
	p.results, p.query = nil, ""
	p.search.SetText("")
	p.found.Hide()
	p.fl.relayout()
}

func (p *agendaPanel) drawFound(now time.Time) {
	fl := p.fl
	if len(p.results) == 0 {
		setLabel(p.foundTitle, fl.tr("No booking found for «{{.Q}}» today or in the days ahead.", "Q", p.query), widget.MediumImportance)
	} else {
		setLabel(p.foundTitle, fl.trN(len(p.results), "1 booking found for «{{.Q}}»", "{{.N}} bookings found for «{{.Q}}»", "Q", p.query), widget.MediumImportance)
	}
	shown := make([]queue.Booking, len(p.results))
	for i, b := range p.results {
		if live := p.booking(b.ID); live != nil {
			b = *live // today's, as it is now
		}
		shown[i] = b
	}
	p.foundTiles = p.fill(p.foundGrid, p.foundTiles, shown, now, true)
}

// dayText names a day for people: today, tomorrow, or its weekday and
// date, in the office's zone.
func (fl *Flow) dayText(t, now time.Time) string {
	d, today := t.In(fl.loc), now.In(fl.loc)
	y, m, dd := today.Date()
	switch d.Format(queue.DayLayout) {
	case today.Format(queue.DayLayout):
		return fl.tr("today")
	case time.Date(y, m, dd+1, 12, 0, 0, 0, fl.loc).Format(queue.DayLayout):
		return fl.tr("tomorrow")
	}
	return fl.tr(d.Weekday().String()) + " " + d.Format("02/01")
}

// waitText says a forecast wait as the citizen reads it on the kiosk and
// the phone (queue.Wait.Readable): "about 15 min", "between 10 and 25 min".
func (fl *Flow) waitText(w queue.Wait) string {
	r := w.Readable()
	switch {
	case r.About && r.Minutes == 0:
		return fl.tr("any moment now")
	case r.About:
		return fl.tr("about {{.M}} min", "M", r.Minutes)
	}
	return fl.tr("between {{.L}} and {{.H}} min", "L", r.Low, "H", r.High)
}

// codeText is a booking code drawn large, to be read over the phone.
func codeText(size float32) *canvas.Text {
	t := canvas.NewText("", flowInk)
	t.TextSize = size
	t.TextStyle = fyne.TextStyle{Bold: true}
	t.Alignment = fyne.TextAlignCenter
	return t
}
