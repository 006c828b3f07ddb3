package ui

import (
	"context"
	"crypto/rand"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

// Limits of a booking's fields, as the server checks them (characters).
const (
	maxBookingName = queue.MaxBookingName
	maxBookingNote = queue.MaxBookingNote
)

// Days the form offers: five at a time, up to bookingDays ahead (the
// server refuses what lies beyond a service's horizon).
const (
	daysShown   = 5
	bookingDays = 60
	slotColumns = 6
)

// bookingForm books a slot for a citizen on the phone or at the desk, or
// moves a booking to another slot: the service, the day, a free time and,
// for a new booking, the citizen's name, an optional contact and note, and
// how they asked. It takes the agenda tab's place while it is open.
type bookingForm struct {
	p      *agendaPanel
	box    *fyne.Container
	scroll *container.Scroll

	title  *widget.Label
	moving *queue.Booking // nil: a new booking

	serviceBox  *fyne.Container
	serviceGrid *fyne.Container
	services    map[string]*choiceTile
	serviceSig  string
	service     string

	dayPrev, dayNext *widget.Button
	days             []*widget.Button
	first            int // the first day shown, in days from today
	day              int // the day chosen, in days from today

	slotMsg   *widget.Label
	slotGrid  *fyne.Container
	slotTiles []*widget.Button
	slots     []queue.Slot
	slot      time.Time // the chosen slot's start
	lost      bool      // the slot chosen was taken meanwhile: said until the next choice
	loading   int       // the slots asked for last: an older answer is dropped
	loadedAt  uint64    // the model's sequence when they were asked for
	inFlight  bool

	citizen             *fyne.Container
	name, contact, note *widget.Entry
	phone, desk         *widget.Button
	channel             string

	msg          *widget.Label
	back, submit *widget.Button

	// pending is the booking asked for whose answer was lost: asked again
	// for the same service and slot within issueRetry, it carries the same
	// key, and the server gives back the booking it may have made.
	pending *pendingBooking
}

type pendingBooking struct {
	key, service string
	slot, at     time.Time
}

func newBookingForm(p *agendaPanel) *bookingForm {
	fl := p.fl
	f := &bookingForm{p: p, services: map[string]*choiceTile{}, channel: queue.ChannelPhone}
	f.title = heading("")
	f.title.Wrapping = fyne.TextWrapWord

	f.serviceGrid = container.NewGridWithColumns(3)
	f.serviceBox = container.NewVBox(bold(fl.tr("Service")), f.serviceGrid)

	f.dayPrev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { f.page(-daysShown) })
	f.dayNext = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { f.page(daysShown) })
	dayObjs := make([]fyne.CanvasObject, daysShown)
	for i := range daysShown {
		b := widget.NewButton("", func() { f.chooseDay(f.first + i) })
		f.days = append(f.days, b)
		dayObjs[i] = touch(b)
	}
	dayRow := container.NewBorder(nil, nil, touch(f.dayPrev), touch(f.dayNext), container.NewGridWithColumns(daysShown, dayObjs...))

	f.slotMsg = wrapped("")
	f.slotGrid = container.NewGridWithColumns(slotColumns)

	f.name = widget.NewEntry()
	f.name.SetPlaceHolder(fl.tr("Name and surname"))
	f.contact = widget.NewEntry()
	f.contact.SetPlaceHolder(fl.tr("E-mail or phone (optional)"))
	f.note = widget.NewEntry()
	f.note.SetPlaceHolder(fl.tr("Note for the clerk (optional)"))
	f.phone = widget.NewButtonWithIcon(fl.tr("By phone"), theme.AccountIcon(), func() { f.channel = queue.ChannelPhone; f.drawChannel() })
	f.desk = widget.NewButtonWithIcon(fl.tr("At the desk"), theme.HomeIcon(), func() { f.channel = queue.ChannelCounter; f.drawChannel() })
	f.citizen = container.NewVBox(bold(fl.tr("Citizen")),
		container.NewGridWithColumns(2, touch(f.name), touch(f.contact)),
		container.NewGridWithColumns(2, touch(f.note), container.NewGridWithColumns(2, touch(f.phone), touch(f.desk))))

	f.msg = wrapped("")
	f.msg.Importance = widget.DangerImportance
	f.back = widget.NewButtonWithIcon(fl.tr("Back to the agenda"), theme.NavigateBackIcon(), p.showList)
	f.submit = widget.NewButtonWithIcon("", theme.ConfirmIcon(), f.doSubmit)
	f.submit.Importance = widget.HighImportance
	// The fields scroll; what is missing and the two buttons stay in view
	// at the bottom, whatever the tablet's keyboard leaves of the screen.
	f.scroll = container.NewVScroll(container.NewVBox(f.title, f.serviceBox, bold(fl.tr("Day and time")), dayRow, f.slotMsg, f.slotGrid, f.citizen))
	bar := container.NewVBox(widget.NewSeparator(), f.msg, container.NewGridWithColumns(2, touch(f.back), touch(f.submit)))
	f.box = container.NewBorder(nil, bar, nil, nil, f.scroll)
	f.drawChannel()
	return f
}

// startBook opens the form for a new booking.
func (f *bookingForm) startBook() {
	fl := f.p.fl
	f.moving = nil
	f.title.SetText(fl.tr("Book for a citizen"))
	f.submit.SetText(fl.tr("Book"))
	f.serviceBox.Show()
	f.citizen.Show()
	f.name.SetText("")
	f.contact.SetText("")
	f.note.SetText("")
	f.channel = queue.ChannelPhone
	f.drawChannel()
	f.service = ""
	if ids := f.bookable(); len(ids) == 1 {
		f.service = ids[0]
	}
	f.first, f.day, f.slot, f.slots, f.lost = 0, 0, time.Time{}, nil, false
	f.warn("")
	f.scroll.ScrollToTop()
	f.p.showForm()
	f.load()
}

// startMove opens the form to move a booking within its service.
func (f *bookingForm) startMove(b queue.Booking) {
	fl := f.p.fl
	f.moving = &b
	f.title.SetText(fl.tr("Move the booking of {{.P}} ({{.C}}), now {{.D}} at {{.T}}",
		"P", b.Name, "C", queue.FormatCode(b.Code), "D", fl.dayText(b.Slot, fl.opt.Now()), "T", clock(b.Slot, fl.loc)))
	f.submit.SetText(fl.tr("Move here"))
	f.serviceBox.Hide()
	f.citizen.Hide()
	f.service = b.Service
	f.day = max(0, min(f.daysFrom(b.Slot), bookingDays-1))
	f.first = f.day / daysShown * daysShown
	f.slot, f.slots, f.lost = time.Time{}, nil, false
	f.warn("")
	f.scroll.ScrollToTop()
	f.p.showForm()
	f.load()
}

// bookable returns the services that take appointments, in the office's order.
func (f *bookingForm) bookable() []string {
	var ids []string
	for _, sv := range f.p.fl.model.Services {
		if sv.Agenda != nil {
			ids = append(ids, sv.ID)
		}
	}
	return ids
}

// dayAt is noon of the day i days from today, in the office's zone.
func (f *bookingForm) dayAt(i int) time.Time {
	fl := f.p.fl
	y, m, d := fl.opt.Now().In(fl.loc).Date()
	return time.Date(y, m, d+i, 12, 0, 0, 0, fl.loc)
}

// daysFrom is how many days from today t's date is.
func (f *bookingForm) daysFrom(t time.Time) int {
	fl := f.p.fl
	y, m, d := t.In(fl.loc).Date()
	target := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	y, m, d = fl.opt.Now().In(fl.loc).Date()
	today := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	return int(target.Sub(today).Hours() / 24)
}

func (f *bookingForm) page(by int) {
	f.first = max(0, min(f.first+by, bookingDays-daysShown))
	f.refresh(f.p.fl.opt.Now())
}

func (f *bookingForm) chooseService(id string) {
	if f.service == id {
		return
	}
	f.service, f.slot, f.slots, f.lost = id, time.Time{}, nil, false
	f.warn("")
	f.load()
}

func (f *bookingForm) chooseDay(i int) {
	if f.day == i {
		return
	}
	f.day, f.slot, f.slots, f.lost = i, time.Time{}, nil, false
	f.warn("")
	f.load()
}

func (f *bookingForm) chooseSlot(s queue.Slot) {
	fl := f.p.fl
	f.slot, f.lost = s.Start, false
	f.warn("")
	f.refresh(fl.opt.Now())
	if f.moving == nil && strings.TrimSpace(f.name.Text) == "" {
		// Next comes the citizen's name: in view, with the keyboard.
		f.scroll.ScrollToBottom()
		fl.opt.Window.Canvas().Focus(f.name)
	}
}

// warn shows what the form misses, or "" for nothing.
func (f *bookingForm) warn(msg string) {
	f.msg.SetText(msg)
	if msg == "" {
		f.msg.Hide()
	} else {
		f.msg.Show()
	}
	f.p.fl.relayout()
}

// load asks the server for the chosen day's slots of the chosen service.
func (f *bookingForm) load() {
	fl := f.p.fl
	if f.service == "" {
		f.refresh(fl.opt.Now())
		return
	}
	f.loading++
	gen, service, day := f.loading, f.service, f.dayAt(f.day)
	f.loadedAt, f.inFlight = fl.model.Seq, true
	if f.slots == nil {
		setLabel(f.slotMsg, fl.tr("Looking for free times…"), widget.MediumImportance)
	}
	f.refresh(fl.opt.Now())
	var slots []queue.Slot
	fl.run(func(ctx context.Context) (err error) {
		slots, err = fl.cl.Slots(ctx, service, day)
		return err
	}, func(err error) {
		if gen != f.loading {
			return // the choice changed meanwhile
		}
		f.inFlight = false
		if err != nil {
			fl.log("slots refused", "service", service, "err", err)
			f.slots = nil
			setLabel(f.slotMsg, fl.explain(err), widget.DangerImportance)
			f.refresh(fl.opt.Now())
			return
		}
		if slots == nil {
			slots = []queue.Slot{}
		}
		f.slots = slots
		f.refresh(fl.opt.Now())
	})
}

// refresh redraws the form; the slots are asked for again when the office
// changed since they were (a slot may have been taken meanwhile).
func (f *bookingForm) refresh(now time.Time) {
	fl := f.p.fl
	if len(f.p.box.Objects) == 0 || f.p.box.Objects[0] != f.box {
		return
	}
	f.drawServices()
	f.drawDays(now)
	f.drawSlots()
	setEnabled(f.submit, fl.online() && !fl.busy)
	if f.service != "" && !f.inFlight && f.slots != nil && fl.model.Seq != f.loadedAt && fl.online() {
		f.load()
	}
}

func (f *bookingForm) drawServices() {
	fl := f.p.fl
	ids := f.bookable()
	if sig := strings.Join(ids, ";"); sig != f.serviceSig {
		f.serviceSig = sig
		clear(f.services)
		objs := make([]fyne.CanvasObject, 0, len(ids))
		for _, id := range ids {
			c := newChoiceTile(func() { f.chooseService(id) })
			f.services[id] = c
			objs = append(objs, c.obj)
		}
		f.serviceGrid.Objects = objs
		f.serviceGrid.Refresh()
	}
	for id, c := range f.services {
		c.set(fl.serviceName(id), id == f.service)
	}
}

func (f *bookingForm) drawDays(now time.Time) {
	fl := f.p.fl
	for i, b := range f.days {
		n := f.first + i
		d := f.dayAt(n)
		text := capitalize(fl.dayText(d, now)) + " · " + d.Format("02/01")
		if n > 1 {
			text = capitalize(fl.tr(d.Weekday().String())) + " · " + d.Format("02/01")
		}
		if b.Text != text {
			b.SetText(text)
		}
		imp := widget.MediumImportance
		if n == f.day {
			imp = widget.HighImportance
		}
		if b.Importance != imp {
			b.Importance = imp
			b.Refresh()
		}
	}
	setEnabled(f.dayPrev, f.first > 0)
	setEnabled(f.dayNext, f.first+daysShown < bookingDays)
}

func (f *bookingForm) drawSlots() {
	fl := f.p.fl
	switch {
	case f.service == "":
		setLabel(f.slotMsg, fl.tr("Choose the service first."), widget.MediumImportance)
	case f.slots == nil:
	case len(f.slots) == 0:
		setLabel(f.slotMsg, fl.tr("No time can be booked on this day: the service takes no appointments then, or the day is too far ahead."), widget.WarningImportance)
	default:
		free := 0
		for _, s := range f.slots {
			if s.Free > 0 {
				free++
			}
		}
		switch {
		case free == 0:
			setLabel(f.slotMsg, fl.tr("Every time of this day is taken: choose another day."), widget.WarningImportance)
		case f.slot.IsZero() && f.lost:
			setLabel(f.slotMsg, fl.tr("The time chosen has just been taken: choose another."), widget.DangerImportance)
		case f.slot.IsZero():
			setLabel(f.slotMsg, fl.trN(free, "1 free time on {{.D}}: tap it.", "{{.N}} free times on {{.D}}: tap one.", "D", fl.dayText(f.dayAt(f.day), fl.opt.Now())), widget.MediumImportance)
		default:
			setLabel(f.slotMsg, fl.tr("Chosen: {{.D}} at {{.T}}.", "D", fl.dayText(f.slot, fl.opt.Now()), "T", clock(f.slot, fl.loc)), widget.SuccessImportance)
		}
	}
	changed := false
	for len(f.slotTiles) < len(f.slots) {
		b := widget.NewButton("", nil)
		f.slotTiles = append(f.slotTiles, b)
		changed = true
	}
	if changed {
		objs := make([]fyne.CanvasObject, len(f.slotTiles))
		for i, b := range f.slotTiles {
			objs[i] = touch(b)
		}
		f.slotGrid.Objects = objs
	}
	chosenStillFree := false
	for i, b := range f.slotTiles {
		cell := f.slotGrid.Objects[i]
		if i >= len(f.slots) {
			if cell.Visible() {
				cell.Hide()
				changed = true
			}
			continue
		}
		if !cell.Visible() {
			cell.Show()
			changed = true
		}
		s := f.slots[i]
		// A time booked by an attempt whose answer was lost may be taken
		// by that very booking: it stays open to the retry, which the
		// server answers with the booking made, if it was.
		mine := f.moving == nil && f.pending != nil && f.pending.service == f.service && s.Start.Equal(f.pending.slot)
		text, enabled := clock(s.Start, fl.loc), s.Free > 0 || mine
		switch {
		case f.moving != nil && s.Start.Equal(f.moving.Slot):
			text, enabled = fl.tr("{{.T}} · current", "T", text), false
		case !enabled:
			text = fl.tr("{{.T}} · taken", "T", text)
		}
		if b.Text != text {
			b.SetText(text)
		}
		b.OnTapped = func() { f.chooseSlot(s) }
		imp := widget.MediumImportance
		if s.Start.Equal(f.slot) && enabled {
			imp, chosenStillFree = widget.HighImportance, true
		}
		if b.Importance != imp {
			b.Importance = imp
			b.Refresh()
		}
		setEnabled(b, enabled)
	}
	if !f.slot.IsZero() && f.slots != nil && !chosenStillFree {
		// Taken meanwhile: the floor assistant chooses again.
		f.slot, f.lost = time.Time{}, true
		setLabel(f.slotMsg, fl.tr("The time chosen has just been taken: choose another."), widget.DangerImportance)
	}
	if changed {
		f.slotGrid.Refresh()
		fl.relayout()
	}
}

func (f *bookingForm) drawChannel() {
	for b, ch := range map[*widget.Button]string{f.phone: queue.ChannelPhone, f.desk: queue.ChannelCounter} {
		imp := widget.MediumImportance
		if f.channel == ch {
			imp = widget.HighImportance
		}
		if b.Importance != imp {
			b.Importance = imp
			b.Refresh()
		}
	}
}

// check says what is missing or wrong before anything is sent, in the
// words the floor assistant needs; "" when the form is complete.
func (f *bookingForm) check() string {
	fl := f.p.fl
	switch {
	case f.service == "":
		return fl.tr("Choose the service.")
	case f.slot.IsZero():
		return fl.tr("Choose a free time.")
	case f.moving != nil:
		return ""
	}
	name := strings.TrimSpace(f.name.Text)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return fl.tr("Write the citizen's name: the clerk greets them by it.")
	case n > maxBookingName:
		return fl.tr("The name is too long: {{.N}}/{{.M}} characters.", "N", n, "M", maxBookingName)
	}
	if _, ok := queue.NormalizeContact(f.contact.Text); !ok {
		return fl.tr("The contact must be an e-mail address or a phone number (or left empty).")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(f.note.Text)); n > maxBookingNote {
		return fl.tr("The note is too long: {{.N}}/{{.M}} characters.", "N", n, "M", maxBookingNote)
	}
	return ""
}

func (f *bookingForm) doSubmit() {
	fl := f.p.fl
	if fl.busy {
		return
	}
	if msg := f.check(); msg != "" {
		f.warn(msg)
		return
	}
	f.warn("")
	if f.moving != nil {
		f.doMove()
		return
	}
	now := fl.opt.Now()
	req := client.BookRequest{Service: f.service, Slot: f.slot, Name: strings.TrimSpace(f.name.Text),
		Contact: strings.TrimSpace(f.contact.Text), Note: strings.TrimSpace(f.note.Text), Channel: f.channel}
	p := f.pending
	if p == nil || p.service != req.Service || !p.slot.Equal(req.Slot) || now.Sub(p.at) > issueRetry || now.Before(p.at) {
		p = &pendingBooking{key: rand.Text(), service: req.Service, slot: req.Slot} // one key per booking asked for, kept for its retries
	}
	p.at = now
	req.IdempotencyKey = p.key
	var booked queue.Booking
	var replay bool
	fl.actThen("book", quietly(func(ctx context.Context) error {
		b, r, err := fl.cl.Book(ctx, req)
		if err == nil {
			booked, replay = *b, r
		}
		return err
	}), func(err error) string {
		switch {
		case err == nil:
			f.pending = nil
			f.p.showList()
			f.p.booked.show(booked, replay)
			return fl.tr("Booked {{.C}} for {{.P}}: {{.S}}, {{.D}} at {{.T}}.", "C", queue.FormatCode(booked.Code), "P", booked.Name,
				"S", fl.serviceName(booked.Service), "D", fl.dayText(booked.Slot, fl.opt.Now()), "T", clock(booked.Slot, fl.loc))
		case answerLost(err):
			f.pending = p
			return fl.tr("The server does not answer: the booking may have been made. Tap Book again in a moment: a booking already made is given back, not made twice.")
		}
		f.pending = nil
		f.load() // the slots as they are now
		return ""
	})
}

func (f *bookingForm) doMove() {
	fl := f.p.fl
	b, slot := *f.moving, f.slot
	fl.actThen("move booking", quietly(func(ctx context.Context) error {
		_, err := fl.cl.MoveBooking(ctx, b.ID, slot)
		return err
	}), func(err error) string {
		if err != nil {
			f.load()
			return ""
		}
		f.p.showList()
		f.p.researched()
		return fl.tr("The booking {{.C}} of {{.P}} is moved to {{.D}} at {{.T}}; its code stays the same.",
			"C", queue.FormatCode(b.Code), "P", b.Name, "D", fl.dayText(slot, fl.opt.Now()), "T", clock(slot, fl.loc))
	})
}
