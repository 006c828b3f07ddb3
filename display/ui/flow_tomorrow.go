package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// The forecast the tab reads: the coming two weeks from tomorrow, read
// again when it is older than forecastStale or the office's day changed
// (the history behind it changes once a day, the bookings all day).
const (
	forecastDays  = 14
	forecastStale = 15 * time.Minute
)

// tomorrowPanel is the flow view's "tomorrow": the forecast of the next
// days from the office's own history (server/history), hour by hour: the
// citizens expected per service, the counters needed to call them within
// their target wait (Erlang C), against the counters the staffing plan
// has, with the hours the plan falls short marked. Tomorrow first; a day
// picker shows the following days.
type tomorrowPanel struct {
	fl  *Flow
	box *fyne.Container

	// Touched only inside Do.
	fc      *queue.DemandForecast
	fetched time.Time // when, on the view's clock
	today   string    // the office's day it was read on
	loading bool
	failed  string // why the last reading failed
	day     int    // the chosen day, an index into fc.Days
	first   int    // the first day in the picker
	sig     string // what the day's table was drawn from

	msgRow    *fyne.Container
	msg       *widget.Label
	retry     *widget.Button
	dayPrev   *widget.Button
	dayNext   *widget.Button
	dayTiles  []*choiceTile
	dayRow    fyne.CanvasObject
	title     *widget.Label
	summary   *widget.Label
	plan      *widget.Label
	peaks     *widget.Label
	basis     *widget.Label
	services  *fyne.Container
	table     *fyne.Container
	dayDetail *fyne.Container
}

func newTomorrowPanel(fl *Flow) *tomorrowPanel {
	p := &tomorrowPanel{fl: fl}
	p.msg = wrapped("")
	p.retry = widget.NewButtonWithIcon(fl.tr("Try again"), theme.ViewRefreshIcon(), func() { p.fetch() })
	p.dayPrev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { p.page(-daysShown) })
	p.dayNext = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { p.page(daysShown) })
	tiles := make([]fyne.CanvasObject, daysShown)
	for i := range daysShown {
		c := newChoiceTile(func() { p.choose(p.first + i) })
		p.dayTiles = append(p.dayTiles, c)
		tiles[i] = c.obj
	}
	p.dayRow = container.NewBorder(nil, nil, touch(p.dayPrev), touch(p.dayNext), container.NewGridWithColumns(daysShown, tiles...))
	p.title = heading("")
	p.title.Wrapping = fyne.TextWrapWord
	p.summary = wrapped("")
	p.plan = wrapped("")
	p.plan.TextStyle.Bold = true
	p.peaks = wrapped("")
	p.peaks.Importance = widget.WarningImportance
	p.basis = wrapped("")
	p.basis.Importance = widget.LowImportance
	p.services = container.NewGridWithColumns(2)
	p.table = container.NewVBox()
	// The table first: the letters of its columns are the tickets' own,
	// which the floor assistant reads all day; the services' names and
	// day totals follow.
	p.dayDetail = container.NewVBox(p.title, p.summary, p.plan, p.peaks, p.table, p.services, p.basis)
	p.msgRow = container.NewBorder(nil, nil, nil, touch(p.retry), p.msg)
	p.box = container.NewVBox(heading(fl.tr("Forecast of the coming days")), p.msgRow, p.dayRow, p.dayDetail)
	p.msgRow.Hide()
	p.dayRow.Hide()
	p.dayDetail.Hide()
	return p
}

func (p *tomorrowPanel) object() fyne.CanvasObject { return p.box }

// tab names the tab, and warns on it when tomorrow's staffing plan falls
// short or the office is closed tomorrow.
func (p *tomorrowPanel) tab() string {
	fl := p.fl
	if p.fc == nil || len(p.fc.Days) == 0 {
		return fl.tr("Tomorrow")
	}
	d := p.fc.Days[0]
	switch {
	case d.Closed:
		return fl.tr("Tomorrow") + " · " + fl.tr("closed")
	case p.fc.Plan && d.Short > 0:
		return fl.tr("Tomorrow") + " · " + fl.trN(d.Short, "1 hour short", "{{.N}} hours short")
	}
	return fl.tr("Tomorrow")
}

// keep reads the forecast again when it is stale, whichever tab is in
// view, so that the tab's warning is there before the tab is opened.
func (p *tomorrowPanel) keep(now time.Time) {
	fl := p.fl
	if p.loading || !fl.online() || fl.model.Day == "" {
		return
	}
	if p.fc == nil && p.failed != "" && now.Sub(p.fetched) < time.Minute {
		return // said on the panel; "Try again" reads it at once
	}
	if p.fc == nil || p.today != fl.model.Day || now.Sub(p.fetched) >= forecastStale {
		p.fetch()
	}
}

// fetch reads the forecast off the UI goroutine.
func (p *tomorrowPanel) fetch() {
	fl := p.fl
	if p.loading {
		return
	}
	p.loading, p.failed = true, ""
	day := fl.model.Day
	var fc *queue.DemandForecast
	fl.run(func(ctx context.Context) (err error) {
		fc, err = fl.cl.Forecast(ctx, "", forecastDays)
		return err
	}, func(err error) {
		p.loading = false
		p.fetched = fl.opt.Now()
		if err != nil {
			fl.log("forecast not read", "err", err)
			p.failed = fl.tr("The forecast could not be read: {{.Err}}", "Err", fl.explain(err))
		} else {
			if p.fc == nil || p.fc.From != fc.From {
				p.day, p.first = 0, 0 // a new day: tomorrow again
			}
			p.fc, p.today = fc, day
			p.sig = ""
		}
		fl.refresh(fl.model, fl.status) // this panel if in view, and the tab's warning
	})
}

func (p *tomorrowPanel) page(by int) {
	if p.fc == nil {
		return
	}
	p.first = max(0, min(p.first+by, len(p.fc.Days)-daysShown))
	p.refresh(p.fl.opt.Now())
	p.fl.relayout() // the tiles' texts take one line or two
}

func (p *tomorrowPanel) choose(i int) {
	if p.fc == nil || i >= len(p.fc.Days) {
		return
	}
	p.day = i
	p.refresh(p.fl.opt.Now())
	p.fl.relayout()
}

func (p *tomorrowPanel) refresh(now time.Time) {
	fl := p.fl
	p.keep(now)
	setEnabled(p.retry, fl.online() && !p.loading)
	switch {
	case p.fc == nil && p.loading:
		p.note(fl.tr("Reading the forecast…"), widget.MediumImportance, false)
	case p.fc == nil && p.failed != "":
		p.note(p.failed, widget.DangerImportance, true)
	case p.fc == nil:
		p.note(fl.tr("The forecast is read once the server is in reach."), widget.MediumImportance, false)
	case p.failed != "":
		p.note(p.failed+" "+fl.tr("Shown: the forecast read at {{.T}}.", "T", clock(p.fetched, fl.loc)), widget.DangerImportance, true)
	default:
		p.note("", widget.MediumImportance, false)
	}
	if p.fc == nil || len(p.fc.Days) == 0 {
		p.dayRow.Hide()
		p.dayDetail.Hide()
		return
	}
	p.dayRow.Show()
	p.dayDetail.Show()
	p.drawDays()
	p.drawDay()
}

func (p *tomorrowPanel) note(text string, imp widget.Importance, retry bool) {
	setLabel(p.msg, text, imp)
	show(p.msgRow, text != "")
	show(p.retry, retry)
}

// setShown sets a label's text and hides it when empty: an empty label
// still takes a line's height in a column.
func setShown(l *widget.Label, text string, imp widget.Importance) {
	setLabel(l, text, imp)
	show(l, text != "")
}

// date is a forecast day's date at noon in the office's zone.
func (p *tomorrowPanel) date(d queue.DemandDay) time.Time {
	t, err := time.ParseInLocation(queue.DayLayout, d.Date, p.fl.loc)
	if err != nil {
		return time.Time{}
	}
	return t.Add(12 * time.Hour)
}

func (p *tomorrowPanel) drawDays() {
	fl := p.fl
	for i, c := range p.dayTiles {
		n := p.first + i
		if n >= len(p.fc.Days) {
			c.obj.Hide()
			continue
		}
		c.obj.Show()
		d := p.fc.Days[n]
		date := p.date(d)
		name := capitalize(fl.tr(date.Weekday().String()))
		if n == 0 {
			name = capitalize(fl.tr("tomorrow"))
		}
		mark, imp := "", widget.MediumImportance
		switch {
		case d.Closed:
			mark = "\n" + fl.tr("closed")
		case p.fc.Plan && d.Short > 0:
			mark, imp = "\n"+fl.tr("plan short"), widget.DangerImportance
		}
		c.set(name+" · "+date.Format("02/01")+mark, n == p.day)
		if c.label.Importance != imp {
			c.label.Importance = imp
			c.label.Refresh()
		}
	}
	setEnabled(p.dayPrev, p.first > 0)
	setEnabled(p.dayNext, p.first+daysShown < len(p.fc.Days))
}

// drawDay draws the chosen day, when it or the forecast changed.
func (p *tomorrowPanel) drawDay() {
	fl := p.fl
	p.day = min(p.day, len(p.fc.Days)-1)
	d := p.fc.Days[p.day]
	sig := fmt.Sprint(p.fc.Generated.UnixNano(), p.day, fl.opt.Lang)
	if sig == p.sig {
		return
	}
	p.sig = sig
	date := p.date(d)
	title := capitalize(fl.tr(date.Weekday().String())) + " " + date.Format("02/01/2006")
	if p.day == 0 {
		title = capitalize(fl.tr("tomorrow")) + ", " + fl.tr(date.Weekday().String()) + " " + date.Format("02/01/2006")
	}
	p.title.SetText(title)
	p.services.Objects, p.table.Objects = nil, nil
	setShown(p.peaks, "", widget.WarningImportance)
	setShown(p.basis, "", widget.LowImportance)
	if d.Closed {
		holiday := d.Holiday
		if fl.opt.Lang == "en" && d.HolidayEN != "" {
			holiday = d.HolidayEN
		}
		if holiday != "" {
			setLabel(p.summary, fl.tr("The office is closed: {{.H}}.", "H", holiday), widget.HighImportance)
		} else {
			setLabel(p.summary, fl.tr("The office is closed: {{.D}} is not one of its opening days.", "D", fl.tr(date.Weekday().String())), widget.HighImportance)
		}
		setShown(p.plan, "", widget.MediumImportance)
		p.services.Refresh()
		p.table.Refresh()
		return
	}
	setLabel(p.summary, p.summaryText(d, date), widget.MediumImportance)
	switch {
	case !p.fc.Plan:
		setShown(p.plan, fl.tr("The office has no staffing plan to compare with: up to {{.N}} counters are needed.", "N", d.Needed), widget.MediumImportance)
	case d.Short > 0:
		setShown(p.plan, fl.trN(d.Short, "The staffing plan falls short in 1 hour: up to {{.C}} counters are needed, the plan has at most {{.P}}.",
			"The staffing plan falls short in {{.N}} hours: up to {{.C}} counters are needed, the plan has at most {{.P}}.", "C", d.Needed, "P", p.number(d.Planned)), widget.DangerImportance)
	default:
		setShown(p.plan, fl.tr("The staffing plan covers every hour: up to {{.C}} counters are needed, the plan has up to {{.P}}.", "C", d.Needed, "P", p.number(d.Planned)), widget.SuccessImportance)
	}
	var peaks []string
	for _, s := range d.Services {
		if s.Factor > 1 {
			peaks = append(peaks, fl.tr("{{.P}}: {{.S}} ×{{.F}}", "P", strings.Join(s.Peaks, ", "), "S", fl.serviceName(s.Service), "F", p.number(s.Factor)))
		}
	}
	if len(peaks) > 0 {
		setShown(p.peaks, fl.tr("A peak of the calendar: {{.L}}.", "L", strings.Join(peaks, "; ")), widget.WarningImportance)
	}
	for _, s := range d.Services {
		p.services.Add(p.serviceCard(s))
	}
	p.table.Objects = p.hourRows(d)
	p.table.Refresh()
	setShown(p.basis, fl.tr("From the last {{.W}} weeks of the office's history ({{.D}} days with figures), the same weekday and hour, times the calendar's peaks; counters needed to call {{.L}}% of the citizens within their service's target wait (Erlang C, measured service times). Read at {{.T}}.",
		"W", p.fc.Weeks, "D", p.fc.HistoryDays, "L", int(math.Round(p.fc.ServiceLevel*100)), "T", clock(p.fetched, fl.loc)), widget.LowImportance)
}

// summaryText says how many citizens are expected, and plainly when there
// is no history to expect them from.
func (p *tomorrowPanel) summaryText(d queue.DemandDay, date time.Time) string {
	fl := p.fl
	expected := fl.tr("Expected: about {{.A}} citizens without an appointment and {{.B}} with one.", "A", int(math.Round(d.Arrivals)), "B", d.Booked)
	switch {
	case p.fc.HistoryDays == 0:
		return fl.tr("No history yet: the office has no past day to learn from, so only the appointments already booked are counted.") + " " + expected
	case d.NoHistory:
		return fl.tr("No history of a {{.D}} in the last {{.W}} weeks for some services: for them only the appointments already booked are counted.",
			"D", fl.tr(date.Weekday().String()), "W", p.fc.Weeks) + " " + expected
	}
	return expected
}

// serviceCard is a service's day: its letter (the table's column), name,
// citizens expected and booked.
func (p *tomorrowPanel) serviceCard(s queue.DemandServiceDay) fyne.CanvasObject {
	fl := p.fl
	l := wrapped(p.letter(s.Service) + " · " + fl.serviceName(s.Service) + ": " +
		fl.trN(s.Booked, "about {{.A}} without an appointment, 1 booked", "about {{.A}} without an appointment, {{.N}} booked", "A", int(math.Round(s.Arrivals))))
	return card(l)
}

// letter is a service's ticket letter, its column's heading.
func (p *tomorrowPanel) letter(id string) string {
	if sv := p.fl.model.Service(id); sv != nil && sv.Prefix != "" {
		return sv.Prefix
	}
	return id
}

// hourRows is the day's table: per hour the citizens expected per service,
// the counters needed and planned, and where the plan falls short.
func (p *tomorrowPanel) hourRows(d queue.DemandDay) []fyne.CanvasObject {
	fl := p.fl
	var ids []string
	for _, s := range d.Services {
		ids = append(ids, s.Service)
	}
	weights := []float32{1.1}
	for range ids {
		weights = append(weights, 0.9)
	}
	weights = append(weights, 1.5, 1.5, 3.6)
	row := func(ground color.Color, cells ...fyne.CanvasObject) fyne.CanvasObject {
		r := container.New(&columns{weights: weights, gap: 8}, cells...)
		return container.NewStack(canvas.NewRectangle(ground), r)
	}
	head := []fyne.CanvasObject{bold(fl.tr("Hour"))}
	for _, id := range ids {
		h := bold(p.letter(id))
		h.Alignment = fyne.TextAlignCenter
		head = append(head, h)
	}
	needed, planned, gap := wrapped(fl.tr("Counters needed")), wrapped(fl.tr("In the plan")), wrapped(fl.tr("Against the plan"))
	for _, l := range []*widget.Label{needed, planned, gap} {
		l.TextStyle.Bold = true
	}
	head = append(head, needed, planned, gap)
	rows := []fyne.CanvasObject{row(flowCard, head...)}
	for _, h := range d.Hours {
		cells := []fyne.CanvasObject{widget.NewLabel(fmt.Sprintf("%02d:00", h.Hour))}
		for _, id := range ids {
			n := ""
			for _, s := range h.Services {
				if s.Service == id {
					n = strconv.Itoa(int(math.Round(s.Arrivals)) + s.Booked)
				}
			}
			c := widget.NewLabel(n)
			c.Alignment = fyne.TextAlignCenter
			cells = append(cells, c)
		}
		nl := bold(strconv.Itoa(h.Needed))
		pl := widget.NewLabel("–")
		mark, imp, ground := "–", widget.MediumImportance, color.Color(color.Transparent)
		if p.fc.Plan {
			pl.SetText(p.number(h.Planned))
			mark, imp = fl.tr("Covered"), widget.SuccessImportance
			if h.Short {
				mark, imp, ground = p.shortText(h), widget.DangerImportance, flowShortRow
			}
		}
		m := wrapped(mark)
		m.Importance = imp
		m.TextStyle.Bold = h.Short
		cells = append(cells, nl, pl, m)
		rows = append(rows, row(ground, cells...))
	}
	return rows
}

// shortText says by how many counters each lane falls short in an hour:
// "2 counters missing", and the fast-track lane by name.
func (p *tomorrowPanel) shortText(h queue.DemandHour) string {
	fl := p.fl
	var parts []string
	for _, l := range h.Lanes {
		if !l.Short {
			continue
		}
		n := int(math.Ceil(float64(l.Needed) - l.Planned - 1e-9))
		s := fl.trN(n, "1 counter missing", "{{.N}} counters missing")
		if l.Lane == queue.LaneFastTrack {
			s = fl.trN(n, "1 fast-track counter missing", "{{.N}} fast-track counters missing")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// number says a count that may be fractional (a counter planned for half
// the hour) in the view's language: "3", "2,5" in Italian.
func (p *tomorrowPanel) number(x float64) string {
	s := strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
	if p.fl.opt.Lang != "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}
