package ui

import (
	"fyne.io/fyne/v2"
)

// Heights of the board's fixed regions, in Fyne units at scale 1: the
// header (office and clock), the connection banner and the hall message
// (each only while there is one to show). What is left is the body.
const (
	headerH   float32 = 88
	bannerH   float32 = 72
	messageH  float32 = 138 // two lines of 44, or three of 32
	regionGap float32 = 12
)

// boardPage lays out the board's regions from the top at fixed heights, and
// gives the body what is left: nothing the office, the queues or the
// floor assistant put on the board can push the header, the banner or the
// message off the screen. Its minimum size is small, so that the window is
// never made larger than the screen.
type boardPage struct{}

func (boardPage) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(640, 360) }

// Layout expects header, banner, message, body.
func (boardPage) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	heights := []float32{headerH, bannerH, messageH}
	for i, o := range objs[:3] {
		if !o.Visible() {
			continue
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, heights[i]))
		y += heights[i] + regionGap
	}
	body := objs[3]
	body.Move(fyne.NewPos(0, y))
	body.Resize(fyne.NewSize(size.Width, max(size.Height-y, 0)))
}

// callsColumn lays out the calls: the heading, the box of the newest call
// (a fixed share of the height, between bounds), then the list of other
// calls in what is left.
type callsColumn struct{}

const (
	headingH float32 = 52
	nowMinH  float32 = 170
	nowMaxH  float32 = 340
)

func (callsColumn) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(300, headingH+nowMinH) }

// Layout expects heading, now box, list.
func (callsColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, headingH))
	nowH := min(max(size.Height*0.55, nowMinH), nowMaxH, max(size.Height-headingH, 0))
	objs[1].Move(fyne.NewPos(0, headingH))
	objs[1].Resize(fyne.NewSize(size.Width, nowH))
	y := headingH + nowH + regionGap
	objs[2].Move(fyne.NewPos(0, y))
	objs[2].Resize(fyne.NewSize(size.Width, max(size.Height-y, 0)))
}

// clipList lays out its objects from the top at their minimum heights, and
// hides those that do not fit: the last calls are a list that ends where
// the screen does.
type clipList struct {
	gap float32
	// whole is how many objects must fit for any to show: a heading with
	// no row under it is hidden with its rows.
	whole int
	// restToLast gives the last object the height left, for it to cut
	// itself, instead of its minimum.
	restToLast bool
}

// MinSize is the height of every object, shown or not (what is hidden is
// hidden for want of room, and would be shown with it): a list inside a
// list asks for its whole length and is cut by the outer one.
func (l clipList) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		if i > 0 {
			s.Height += l.gap
		}
	}
	return s
}

func (l clipList) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	shown := 0
	for i, o := range objs {
		h := o.MinSize().Height
		if l.restToLast && i == len(objs)-1 {
			h = min(h, size.Height-y)
		}
		if shown < i || h <= 0 || y+h > size.Height+slackLayout {
			continue
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + l.gap
		shown++
	}
	if shown < l.whole {
		shown = 0
	}
	for i, o := range objs {
		if i < shown && !o.Visible() {
			o.Show()
		} else if i >= shown && o.Visible() {
			o.Hide()
		}
	}
}

// slackLayout absorbs the rounding of float layouts.
const slackLayout = 0.5

// Service rows: the board is designed for six services with their reasons;
// each row has the height of a sixth of the region (no taller than
// rowMaxH), whether there are six services or two, so that nothing moves
// when a service changes state. More than fit are shown a page at a time.
const (
	rowMinH          float32 = 100
	rowMaxH          float32 = 160
	designedServices         = 6
)

// serviceSlots lays out the service rows at one height, and tells the
// board how many fit (its pages' length).
type serviceSlots struct{ fit *int }

func (serviceSlots) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(200, rowMinH) }

func (s serviceSlots) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	*s.fit = max(int(size.Height/rowMinH), 1)
	h := min(size.Height/float32(max(designedServices, min(len(objs), *s.fit))), rowMaxH)
	h = max(h, min(rowMinH, size.Height))
	for i, o := range objs {
		if float32(i+1)*h > size.Height+0.5 {
			if o.Visible() {
				o.Hide()
			}
			continue
		}
		if !o.Visible() {
			o.Show()
		}
		o.Move(fyne.NewPos(0, float32(i)*h))
		o.Resize(fyne.NewSize(size.Width, h))
	}
}

// serviceRowLayout lays out one service: its name on top and its state and
// reason below, on the left; the people waiting and their caption in a
// column on the right; a rule at the bottom.
type serviceRowLayout struct{ r *serviceRow }

const (
	countW float32 = 150
	rowPad float32 = 8
)

func (serviceRowLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(300, rowMinH) }

func (l serviceRowLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	r := l.r
	left := max(size.Width-countW-rowPad, 0)
	inner := max(size.Height-2*rowPad-2, 0)
	// The name gives way to one line of state: the state is what changes.
	nameH := max(min(r.name.natural(), inner-r.state.MinSize(nil).Height), 0)
	r.name.box.Move(fyne.NewPos(0, rowPad))
	r.name.box.Resize(fyne.NewSize(left, nameH))
	r.state.box.Move(fyne.NewPos(0, rowPad+nameH))
	r.state.box.Resize(fyne.NewSize(left, max(inner-nameH, 0)))
	capH := r.caption.MinSize(nil).Height
	waitH := min(max(inner-capH, 0), r.waiting.natural())
	r.waiting.box.Move(fyne.NewPos(left+rowPad, rowPad))
	r.waiting.box.Resize(fyne.NewSize(countW, waitH))
	r.caption.box.Move(fyne.NewPos(left+rowPad, rowPad+waitH))
	r.caption.box.Resize(fyne.NewSize(countW, capH))
	r.rule.Move(fyne.NewPos(0, size.Height-2))
	r.rule.Resize(fyne.NewSize(size.Width, 2))
}

// fixedHeight gives its object the whole width and a fixed height.
type fixedHeight struct{ h float32 }

func (f fixedHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(objs[0].MinSize().Width, f.h)
}

func (f fixedHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}
