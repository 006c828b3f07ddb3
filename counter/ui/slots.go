package ui

import (
	"context"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// Choosing a slot, for a new booking and for a move: the service, the day
// (today and the days ahead) and the day's free times as a grid the clerk
// reads out to the citizen on the phone.

// bookingDays is how many days, from today, the day choice offers: more
// than any service's horizon is likely to be (the demo's is 30 days). A day
// beyond a service's own horizon shows no time, and says why.
const bookingDays = 61

// slotColumns is how many times a row of the grid holds.
const slotColumns = 6

// slotChooser is the service, day and time choice of a dialog.
type slotChooser struct {
	c         *Console
	ids       []string   // the services offered
	service   *keySelect // nil when the service is fixed (a move)
	serviceID string
	days      []time.Time // noon of each day offered, in the office's zone
	day       *keySelect
	grid      *slotGrid
	status    *widget.Label
	seq       int  // the latest load: older answers are dropped
	quiet     bool // setting the day's select, not the clerk
	loading   bool
}

// newSlotChooser offers the services ids (one: fixed), preferring want,
// and the days from today; it looks for the first day with a free time at
// or after from (zero: today).
func (c *Console) newSlotChooser(ids []string, want string, from time.Time) *slotChooser {
	s := &slotChooser{c: c, ids: ids, serviceID: want}
	if !slices.Contains(ids, want) && len(ids) > 0 {
		s.serviceID = ids[0]
	}
	today := c.officeDay(c.opt.Now())
	first := 0
	for i := range bookingDays {
		d := today.AddDate(0, 0, i)
		s.days = append(s.days, d)
		if !from.IsZero() && d.Format(queue.DayLayout) == c.inZone(from).Format(queue.DayLayout) {
			first = i
		}
	}
	if len(ids) > 1 {
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = c.serviceName(id)
		}
		s.service = c.newSelect(func(string) {
			if i := s.service.SelectedIndex(); i >= 0 && i < len(s.ids) && s.ids[i] != s.serviceID {
				s.serviceID = s.ids[i]
				s.grid.set(nil, time.Time{})
				s.findFirst(0)
			}
		})
		s.service.Options = names
		s.service.SetSelectedIndex(slices.Index(ids, s.serviceID))
	}
	labels := make([]string, len(s.days))
	for i, d := range s.days {
		labels[i] = c.dayName(d)
		if i == 0 {
			labels[i] = tr("{{.Day}} (today)", "Day", labels[i])
		}
	}
	s.day = c.newSelect(func(string) {
		if !s.quiet {
			s.load(s.day.SelectedIndex(), time.Time{})
		}
	})
	s.day.Options = labels
	s.grid = c.newSlotGrid()
	s.status = newMessage()
	s.findFirst(first)
	return s
}

// officeDay returns noon of t's date in the office's zone: the day a
// slots request names.
func (c *Console) officeDay(t time.Time) time.Time {
	t = c.inZone(t)
	y, m, d := t.Date()
	return time.Date(y, m, d, 12, 0, 0, 0, t.Location())
}

// selected returns the chosen time, if any.
func (s *slotChooser) selected() (queue.Slot, bool) { return s.grid.chosen() }

// setDay shows day i in the select without loading it again.
func (s *slotChooser) setDay(i int) {
	s.quiet = true
	s.day.SetSelectedIndex(i)
	s.quiet = false
}

// load fetches day i's times, keeping keep chosen if it is still free.
func (s *slotChooser) load(i int, keep time.Time) {
	if i < 0 || i >= len(s.days) {
		return
	}
	s.seq++
	seq, service, day := s.seq, s.serviceID, s.days[i]
	s.loading = true
	s.c.setMessage(s.status, tr("Looking for free times…"), false)
	var slots []queue.Slot
	s.c.run(func(ctx context.Context) error {
		var err error
		slots, err = s.c.cl.Slots(ctx, service, day)
		return err
	}, func(err error) {
		if seq != s.seq {
			return // the clerk has moved on
		}
		s.loading = false
		if err != nil {
			msg, _ := explain(err)
			s.grid.set(nil, time.Time{})
			s.c.setMessage(s.status, msg, true)
			s.c.relayout()
			return
		}
		s.show(day, slots, keep)
	})
}

// findFirst looks for the first day from day i with a free time and shows
// it: what a citizen on the phone asks first is "when is there room?".
func (s *slotChooser) findFirst(i int) {
	s.seq++
	seq, service := s.seq, s.serviceID
	days := s.days[i:]
	s.loading = true
	s.setDay(i)
	s.c.setMessage(s.status, tr("Looking for free times…"), false)
	found := -1
	var slots []queue.Slot
	s.c.run(func(ctx context.Context) error {
		for j, d := range days {
			got, err := s.c.cl.Slots(ctx, service, d)
			if err != nil {
				return err
			}
			if j == 0 || free(got) > 0 {
				found, slots = j, got // the first day at least, to show why
			}
			if free(got) > 0 {
				return nil
			}
		}
		found = -1 // none anywhere
		return nil
	}, func(err error) {
		if seq != s.seq {
			return
		}
		s.loading = false
		switch {
		case err != nil:
			msg, _ := explain(err)
			s.grid.set(nil, time.Time{})
			s.c.setMessage(s.status, msg, true)
		case found < 0:
			s.grid.set(nil, time.Time{})
			s.c.setMessage(s.status, tr("No free time in the next {{.N}} days.", "N", len(days)), true)
		default:
			s.setDay(i + found)
			s.show(days[found], slots, time.Time{})
		}
		s.c.relayout()
	})
}

func free(slots []queue.Slot) int {
	n := 0
	for _, sl := range slots {
		if sl.Free > 0 {
			n++
		}
	}
	return n
}

// show puts a day's free times in the grid and says how many there are,
// or why there are none.
func (s *slotChooser) show(day time.Time, slots []queue.Slot, keep time.Time) {
	var open []queue.Slot
	for _, sl := range slots {
		if sl.Free > 0 {
			open = append(open, sl)
		}
	}
	s.grid.set(open, keep)
	today := day.Format(queue.DayLayout) == s.days[0].Format(queue.DayLayout)
	switch {
	case len(open) > 0:
		s.c.setMessage(s.status, trn("{{.N}} free time on {{.Day}}", len(open), "Day", s.c.dayName(day)), false)
	case len(slots) > 0:
		s.c.setMessage(s.status, tr("Every time on {{.Day}} is booked: choose another day.", "Day", s.c.dayName(day)), true)
	case today:
		s.c.setMessage(s.status, tr("No more times today: choose another day."), true)
	default:
		s.c.setMessage(s.status, tr("No appointments on {{.Day}}: the office is closed, or the day is further ahead than this service takes bookings.", "Day", s.c.dayName(day)), true)
	}
	s.c.relayout()
}

// reload fetches the shown day again, keeping the chosen time if it is
// still free: after a refusal, the grid shows the day as it now is.
func (s *slotChooser) reload() {
	keep := time.Time{}
	if sl, ok := s.selected(); ok {
		keep = sl.Start
	}
	s.load(s.day.SelectedIndex(), keep)
}

// slotGrid is a day's free times, one cell each: a click or the arrows
// choose one. It takes the focus like a field, so Tab reaches it and the
// arrows move the choice; Enter and Escape go to the dialog.
type slotGrid struct {
	widget.BaseWidget
	c        *Console
	slots    []queue.Slot
	selected int // -1: none
	focused  bool
	box      *fyne.Container
	frame    *canvas.Rectangle
	cells    []*slotCell
}

func (c *Console) newSlotGrid() *slotGrid {
	g := &slotGrid{c: c, selected: -1}
	g.box = container.NewGridWithColumns(slotColumns)
	g.frame = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	g.frame.StrokeWidth = 1
	g.frame.CornerRadius = theme.InputRadiusSize()
	g.ExtendBaseWidget(g)
	return g
}

// set shows slots, choosing keep if it is among them.
func (g *slotGrid) set(slots []queue.Slot, keep time.Time) {
	g.slots = slots
	g.selected = -1
	g.cells = nil
	objs := make([]fyne.CanvasObject, len(slots))
	for i, sl := range slots {
		text := g.c.clock(sl.Start)
		if sl.Free > 1 {
			text = tr("{{.T}} ({{.N}} places)", "T", text, "N", sl.Free)
		}
		cell := newSlotCell(text, func() {
			g.choose(i)
			g.c.w.Canvas().Focus(g)
		})
		g.cells = append(g.cells, cell)
		objs[i] = cell
		if !keep.IsZero() && sl.Start.Equal(keep) {
			g.selected = i
		}
	}
	g.box.Objects = objs
	g.paint()
	g.box.Refresh()
	g.Refresh()
}

func (g *slotGrid) chosen() (queue.Slot, bool) {
	if g.selected < 0 || g.selected >= len(g.slots) {
		return queue.Slot{}, false
	}
	return g.slots[g.selected], true
}

func (g *slotGrid) choose(i int) {
	if i < 0 || i >= len(g.slots) {
		return
	}
	g.selected = i
	g.paint()
}

func (g *slotGrid) paint() {
	for i, cell := range g.cells {
		cell.setSelected(i == g.selected)
	}
	if g.focused {
		g.frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
		g.frame.StrokeWidth = 2
	} else {
		g.frame.StrokeColor = theme.Color(theme.ColorNameInputBorder)
		g.frame.StrokeWidth = 1
	}
	g.frame.FillColor = theme.Color(theme.ColorNameInputBackground)
	g.frame.Refresh()
}

// FocusGained shows the focus on the grid's frame; the first time is
// chosen if none is, so the arrows start from somewhere.
func (g *slotGrid) FocusGained() {
	g.focused = true
	if g.selected < 0 && len(g.slots) > 0 {
		g.selected = 0
	}
	g.paint()
}

func (g *slotGrid) FocusLost() { g.focused = false; g.paint() }

// TypedRune gives characters to the open dialog.
func (g *slotGrid) TypedRune(r rune) { g.c.handleRune(r) }

// TypedKey moves the choice with the arrows (a row up or down), Home and
// End; the other keys go to the console (Enter books, Escape cancels).
func (g *slotGrid) TypedKey(ev *fyne.KeyEvent) {
	i := g.selected
	switch ev.Name {
	case fyne.KeyRight:
		i++
	case fyne.KeyLeft:
		i--
	case fyne.KeyDown:
		i += slotColumns
	case fyne.KeyUp:
		i -= slotColumns
	case fyne.KeyHome:
		i = 0
	case fyne.KeyEnd:
		i = len(g.slots) - 1
	default:
		g.c.handleKey(ev)
		return
	}
	if len(g.slots) > 0 {
		g.choose(max(0, min(i, len(g.slots)-1)))
	}
}

// Tapped takes the focus.
func (g *slotGrid) Tapped(*fyne.PointEvent) { g.c.w.Canvas().Focus(g) }

func (g *slotGrid) CreateRenderer() fyne.WidgetRenderer {
	g.paint()
	return widget.NewSimpleRenderer(container.NewStack(g.frame, container.NewPadded(g.box)))
}

// slotCell is one time of the grid.
type slotCell struct {
	widget.BaseWidget
	bg     *canvas.Rectangle
	text   *widget.Label
	tapped func()
}

func newSlotCell(text string, tapped func()) *slotCell {
	c := &slotCell{tapped: tapped}
	c.bg = canvas.NewRectangle(theme.Color(theme.ColorNameButton))
	c.bg.CornerRadius = theme.InputRadiusSize()
	c.text = widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	c.ExtendBaseWidget(c)
	return c
}

func (c *slotCell) setSelected(on bool) {
	c.text.TextStyle.Bold = on
	if on {
		c.bg.FillColor = theme.Color(theme.ColorNameSelection)
		c.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
		c.bg.StrokeWidth = 2
	} else {
		c.bg.FillColor = theme.Color(theme.ColorNameButton)
		c.bg.StrokeWidth = 0
	}
	c.bg.Refresh()
	c.text.Refresh()
}

// Tapped chooses the time.
func (c *slotCell) Tapped(*fyne.PointEvent) { c.tapped() }

func (c *slotCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, c.text))
}
