package ui

import (
	"math"

	"fyne.io/fyne/v2"
)

// serviceGrid lays the service buttons out in equal cells that fill the
// space: one column on a portrait screen (up to five services), more on a
// landscape one, so that the buttons stay as large as the screen allows
// whichever way the monitor is mounted.
type serviceGrid struct{ gap float32 }

func (g *serviceGrid) columns(n int, size fyne.Size) int {
	if n <= 1 {
		return 1
	}
	if size.Height > size.Width { // portrait
		if n <= 5 {
			return 1
		}
		return 2
	}
	c := int(math.Ceil(math.Sqrt(float64(n))))
	return max(2, c)
}

func (g *serviceGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	visible := objs[:0:0]
	for _, o := range objs {
		if o.Visible() {
			visible = append(visible, o)
		}
	}
	n := len(visible)
	if n == 0 {
		return
	}
	cols := g.columns(n, size)
	rows := (n + cols - 1) / cols
	w := (size.Width - g.gap*float32(cols-1)) / float32(cols)
	h := (size.Height - g.gap*float32(rows-1)) / float32(rows)
	for i, o := range visible {
		r, c := i/cols, i%cols
		o.Move(fyne.NewPos(float32(c)*(w+g.gap), float32(r)*(h+g.gap)))
		o.Resize(fyne.NewSize(w, h))
	}
}

func (g *serviceGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	n := 0
	for _, o := range objs {
		if o.Visible() {
			m = m.Max(o.MinSize())
			n++
		}
	}
	if n == 0 {
		return m
	}
	// Reported as one column: the grid fills the space it is given.
	return fyne.NewSize(m.Width, m.Height)
}

// orientLayout puts its objects side by side on a landscape area and one
// above the other on a portrait one, each taking its minimum height in a
// column and an equal width in a row.
type orientLayout struct{ gap float32 }

func (l *orientLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	if size.Width >= size.Height {
		w := (size.Width - l.gap*float32(len(objs)-1)) / float32(len(objs))
		for i, o := range objs {
			o.Move(fyne.NewPos(float32(i)*(w+l.gap), 0))
			o.Resize(fyne.NewSize(w, size.Height))
		}
		return
	}
	var total float32
	for _, o := range objs {
		total += o.MinSize().Height
	}
	extra := max(0, size.Height-total-l.gap*float32(len(objs)-1)) / float32(len(objs))
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height + extra
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + l.gap
	}
}

func (l *orientLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height + l.gap
	}
	return fyne.NewSize(w, h)
}
