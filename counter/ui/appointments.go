package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// The Appointments tab: today's bookings of the services served, live from
// the stream, in slot order with where each stands; a search by code or
// name for the other days; the chosen booking's details with Move and
// Cancel; and the Book button.

type apptPanel struct {
	book   *keyButton
	search *keyEntry
	find   *keyButton
	today  *keyButton // back to today's list, after a search
	title  *widget.Label
	list   *fyne.Container

	// results are the last search's bookings; searched says the tab shows
	// them instead of today's.
	query    string
	results  []queue.Booking
	searched bool
	// selected is the chosen booking's id; shown the ids in the order the
	// list shows them.
	selected string
	shown    []string
	sig      string // what the list shows, to rebuild it only when it changes
	move     *keyButton
	cancel   *keyButton

	// fetched holds the bookings of tickets at the counter that the model
	// does not hold (another day's, or a service not served), by id; a nil
	// value is a fetch in flight.
	fetched map[string]*queue.Booking
}

// ctrl names a Ctrl shortcut on a button.
func ctrl(k fyne.KeyName) fyne.KeyName { return "Ctrl+" + k }

func (c *Console) buildAppointments() fyne.CanvasObject {
	a := &c.desk.appt
	a.fetched = map[string]*queue.Booking{}
	a.book = c.newButton(withKey(tr("Book…"), ctrl(keyBook)), theme.ContentAddIcon(), c.showBook)
	a.search = c.newEntry(false)
	a.search.SetPlaceHolder(tr("Code or name") + "  [" + string(ctrl(keyFind)) + "]")
	a.search.OnSubmitted = func(string) { c.doSearch() }
	a.search.onKey = c.searchKey
	a.find = c.newButton("", theme.SearchIcon(), c.doSearch)
	a.today = c.newButton(tr("Today"), theme.NavigateBackIcon(), c.clearSearch)
	a.today.Hide()
	a.title = heading(tr("Today's appointments"))
	a.list = newRows()
	top := newRows(a.book,
		container.NewBorder(nil, nil, nil, a.find, a.search),
		container.NewBorder(nil, nil, nil, a.today, a.title))
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(a.list))
}

// todaysBookings are today's bookings of the services served, in slot
// order, as the stream keeps them.
func (c *Console) todaysBookings() []queue.Booking {
	if c.counter == nil {
		return nil
	}
	var out []queue.Booking
	for _, b := range c.model.Bookings {
		if slices.Contains(c.counter.Services, b.Service) && b.Day == c.model.Day {
			out = append(out, b)
		}
	}
	return out
}

// listed returns what the tab lists: today's bookings, or the search's
// with the live version of those the stream holds.
func (c *Console) listed() []queue.Booking {
	a := &c.desk.appt
	if !a.searched {
		return c.todaysBookings()
	}
	out := slices.Clone(a.results)
	for i := range out {
		if b := c.modelBooking(out[i].ID); b != nil {
			out[i] = *b
		}
	}
	return out
}

func (c *Console) modelBooking(id string) *queue.Booking {
	for i := range c.model.Bookings {
		if c.model.Bookings[i].ID == id {
			return &c.model.Bookings[i]
		}
	}
	return nil
}

// late reports whether a booked citizen's slot has begun without them.
func (c *Console) late(b queue.Booking) bool {
	return b.State == queue.BookingBooked && c.opt.Now().After(b.Slot)
}

// bookingState says where a booking stands, in a few words.
func (c *Console) bookingState(b queue.Booking) string {
	switch b.State {
	case queue.BookingBooked:
		if c.late(b) {
			return tr("late")
		}
		return tr("booked")
	case queue.BookingCheckedIn:
		if b.Late {
			return tr("arrived late, served as a walk-in · ticket {{.N}}", "N", b.Number)
		}
		return tr("arrived · ticket {{.N}}", "N", b.Number)
	case queue.BookingMissed:
		return tr("did not come")
	case queue.BookingCancelled:
		return tr("cancelled")
	}
	return string(b.State)
}

// renderAppointments brings the tab in line with the model and the clock.
// The rows are made again only when what they show changes, so a button
// reached with Tab keeps the focus.
func (c *Console) renderAppointments() {
	a := &c.desk.appt
	if c.counter == nil {
		return
	}
	bs := c.listed()
	expected := 0
	for _, b := range c.todaysBookings() {
		if b.State == queue.BookingBooked {
			expected++
		}
	}
	title := tr("Appointments")
	if expected > 0 {
		title = tr("Appointments ({{.N}})", "N", expected)
	}
	if c.desk.apptTab.Text != title {
		c.desk.apptTab.Text = title
		c.desk.tabs.Refresh()
	}
	var sig strings.Builder
	fmt.Fprintf(&sig, "%v|%s|%s|", a.searched, a.query, a.selected)
	for _, b := range bs {
		fmt.Fprintf(&sig, "%s/%s/%d/%s/%v/%v/%s/%s/%s;", b.ID, b.State, b.Slot.Unix(), b.Number, b.Late, c.late(b), b.Name, b.Contact, b.Note)
	}
	if sig.String() == a.sig && a.list.Objects != nil {
		return
	}
	a.sig = sig.String()
	show(a.today, a.searched)
	if a.searched {
		a.title.SetText(trn("{{.N}} found for “{{.Q}}”", len(bs), "Q", a.query))
	} else {
		a.title.SetText(tr("Today's appointments"))
	}
	a.shown = nil
	a.move, a.cancel = nil, nil
	var objs []fyne.CanvasObject
	for _, b := range bs {
		a.shown = append(a.shown, b.ID)
		when := c.clock(b.Slot)
		line := b.Name + "\n" + c.serviceName(b.Service) + " · " + c.bookingState(b)
		if a.searched {
			line = b.Name + "\n" + c.dayName(b.Slot) + " · " + c.serviceName(b.Service) + " · " + c.bookingState(b)
		}
		row := newBookingRow(when, line, func() { c.selectBooking(b.ID, true) })
		row.setSelected(b.ID == a.selected)
		objs = append(objs, row)
		if b.ID == a.selected {
			objs = append(objs, c.bookingCard(b))
		}
	}
	if len(objs) == 0 {
		text := tr("No appointments today for the services of this counter.")
		if a.searched {
			text = tr("No appointment from today on matches “{{.Q}}”. Search by the code (ACD-E47) or by part of the name.", "Q", a.query)
		}
		objs = append(objs, hint(text))
	}
	a.list.Objects = objs
	a.list.Refresh()
	c.relayout()
}

// bookingCard is the chosen booking's details (its name and state are on
// its row), with Move and Cancel while it is booked.
func (c *Console) bookingCard(b queue.Booking) fyne.CanvasObject {
	a := &c.desk.appt
	lines := []string{tr("No contact given")}
	if b.Contact != "" {
		lines[0] = tr("Contact: {{.C}}", "C", b.Contact)
	}
	if b.Note != "" {
		lines = append(lines, tr("Note: {{.Note}}", "Note", b.Note))
	}
	lines = append(lines,
		tr("{{.Service}} · {{.Day}}, {{.From}}–{{.To}}", "Service", c.serviceName(b.Service), "Day", c.dayName(b.Slot),
			"From", c.clock(b.Slot), "To", c.clock(b.SlotEnd)),
		tr("Code {{.Code}} · {{.How}}", "Code", queue.FormatCode(b.Code), "How", channelWords(b)))
	details := widget.NewLabel(strings.Join(lines, "\n"))
	details.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{details}
	if b.State == queue.BookingBooked {
		a.move = c.newButton(withKey(tr("Move…"), ctrl(keyMove)), theme.ContentRedoIcon(), func() { c.showMove(b) })
		a.cancel = c.newButton(withKey(tr("Cancel…"), ctrl(keyCancelBooking)), theme.DeleteIcon(), func() { c.showCancelBooking(b) })
		objs = append(objs, newColumns(a.move, a.cancel))
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewPadded(newRows(objs...)))
}

// channelWords says who booked, and how.
func channelWords(b queue.Booking) string {
	switch b.Channel {
	case queue.ChannelWeb:
		return tr("booked online by the citizen")
	case queue.ChannelKiosk:
		return tr("booked at the kiosk")
	case queue.ChannelCounter:
		if b.CreatedBy != "" {
			return tr("booked at the counter by {{.Who}}", "Who", b.CreatedBy)
		}
		return tr("booked at the counter")
	case queue.ChannelPhone:
		if b.CreatedBy != "" {
			return tr("booked by phone by {{.Who}}", "Who", b.CreatedBy)
		}
		return tr("booked by phone")
	}
	return b.Channel
}

// selectBooking chooses a booking of the list and shows its details;
// toggle closes them when it is the chosen one already (a second click).
func (c *Console) selectBooking(id string, toggle bool) {
	a := &c.desk.appt
	if toggle && a.selected == id {
		id = ""
	}
	a.selected = id
	c.renderAppointments()
}

// moveSelection chooses the next (+1) or previous (-1) booking of the list.
func (c *Console) moveSelection(step int) {
	a := &c.desk.appt
	if len(a.shown) == 0 {
		return
	}
	i := slices.Index(a.shown, a.selected)
	switch {
	case i < 0 && step > 0:
		i = 0
	case i < 0:
		i = len(a.shown) - 1
	default:
		i = max(0, min(i+step, len(a.shown)-1))
	}
	c.selectBooking(a.shown[i], false)
}

// searchKey gives the search field its keys: the arrows choose a booking
// of the list, Escape goes back to today's.
func (c *Console) searchKey(ev *fyne.KeyEvent) bool {
	a := &c.desk.appt
	switch ev.Name {
	case fyne.KeyDown:
		c.moveSelection(1)
	case fyne.KeyUp:
		c.moveSelection(-1)
	case fyne.KeyEscape:
		if !a.searched && a.search.Text == "" {
			return false
		}
		c.clearSearch()
	default:
		return false
	}
	return true
}

// doSearch finds bookings from today on by code or name.
func (c *Console) doSearch() {
	a := &c.desk.appt
	q := strings.TrimSpace(a.search.Text)
	if q == "" {
		c.clearSearch()
		return
	}
	var found []queue.Booking
	c.run(func(ctx context.Context) error {
		var err error
		found, err = c.cl.FindBookings(ctx, q)
		return err
	}, func(err error) {
		if err != nil {
			c.fail(err)
			return
		}
		a.query, a.results, a.searched = q, found, true
		a.selected = ""
		if len(found) == 1 {
			a.selected = found[0].ID // a code finds one: show it
		}
		c.renderAppointments()
	})
}

// clearSearch goes back to today's bookings.
func (c *Console) clearSearch() {
	a := &c.desk.appt
	a.search.SetText("")
	a.query, a.results, a.searched, a.selected = "", nil, false, ""
	c.renderAppointments()
}

// bookingChanged takes a booking an action answered: the search's copy
// follows (today's list follows the stream).
func (c *Console) bookingChanged(b queue.Booking) {
	a := &c.desk.appt
	for i := range a.results {
		if a.results[i].ID == b.ID {
			a.results[i] = b
		}
	}
	if _, ok := a.fetched[b.ID]; ok {
		a.fetched[b.ID] = &b
	}
	c.renderAppointments()
}

// refreshBooking fetches a booking again and shows how it stands.
func (c *Console) refreshBooking(id string) {
	if id == "" {
		return
	}
	var b *queue.Booking
	c.run(func(ctx context.Context) error {
		var err error
		b, err = c.cl.Booking(ctx, id)
		return err
	}, func(err error) {
		if err == nil {
			c.bookingChanged(*b)
		}
	})
}

// selectedBooking returns the chosen booking as the list shows it.
func (c *Console) selectedBooking() (queue.Booking, bool) {
	a := &c.desk.appt
	for _, b := range c.listed() {
		if b.ID == a.selected {
			return b, true
		}
	}
	return queue.Booking{}, false
}

// bookingOf returns the booking behind a ticket: the model's, or one
// fetched from the server (the ticket of a service this counter does not
// serve today, say), fetching it the first time it is asked for.
func (c *Console) bookingOf(id string) *queue.Booking {
	if id == "" {
		return nil
	}
	if b := c.modelBooking(id); b != nil {
		return b
	}
	a := &c.desk.appt
	if b, ok := a.fetched[id]; ok {
		return b
	}
	a.fetched[id] = nil
	var b *queue.Booking
	c.run(func(ctx context.Context) error {
		var err error
		b, err = c.cl.Booking(ctx, id)
		return err
	}, func(err error) {
		if err != nil {
			c.log.Info("booking of the ticket", "booking", id, "err", err)
			delete(a.fetched, id) // asked again at the next render
			return
		}
		a.fetched[id] = b
		c.renderDesk()
	})
	return nil
}

// appointmentLines say, for a ticket at the counter, whose appointment it
// is (the time and the name, or that a late citizen is served as a
// walk-in) and the booking's note; "" for a walk-in's ticket.
func (c *Console) appointmentLines(t *queue.TicketView) (head, note string) {
	if t == nil || (t.Due == nil && t.Booking == "") {
		return "", ""
	}
	b := c.bookingOf(t.Booking)
	switch {
	case t.Due != nil:
		head = tr("Appointment at {{.T}}", "T", c.clock(*t.Due))
	case b != nil:
		head = tr("Late for the appointment at {{.T}}: served as a walk-in", "T", c.clock(b.Slot))
	default:
		head = tr("Late for an appointment: served as a walk-in")
	}
	if b == nil {
		return head, ""
	}
	head += " · " + b.Name
	if b.Note != "" {
		note = tr("Note: {{.Note}}", "Note", shorten(b.Note, cardNote))
	}
	return head, note
}

// cardNote is how much of a booking's note the ticket card shows; the
// Appointments tab shows all of it.
const cardNote = 160

// shorten cuts s to at most n characters, at a word, with an ellipsis.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// bookingRow is one booking of the list: its time, and its name, service
// and state, wrapped. A click chooses it.
type bookingRow struct {
	widget.BaseWidget
	bg     *canvas.Rectangle
	time   *widget.Label
	text   *widget.Label
	tapped func()
}

func newBookingRow(when, text string, tapped func()) *bookingRow {
	r := &bookingRow{tapped: tapped}
	r.bg = canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	r.bg.Hide()
	r.time = widget.NewLabelWithStyle(when, fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	r.text = widget.NewLabel(text)
	r.text.Wrapping = fyne.TextWrapWord
	r.ExtendBaseWidget(r)
	return r
}

func (r *bookingRow) setSelected(on bool) {
	show(r.bg, on)
	r.text.TextStyle.Bold = on
	r.text.Refresh()
}

// Tapped chooses the booking.
func (r *bookingRow) Tapped(*fyne.PointEvent) { r.tapped() }

func (r *bookingRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.bg,
		container.NewBorder(nil, nil, container.NewVBox(r.time), nil, r.text)))
}
