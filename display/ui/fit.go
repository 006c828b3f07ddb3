package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// fitLayout lays out one canvas.Text at its size, or smaller when the text
// would not fit the width: a long counter or service name shrinks instead
// of running off a screen that nobody can scroll.
type fitLayout struct{ size float32 }

func (l fitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	t := objs[0].(*canvas.Text)
	s := fyne.MeasureText(t.Text, l.size, t.TextStyle)
	return fyne.NewSize(min(s.Width, 40), s.Height)
}

func (l fitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	t := objs[0].(*canvas.Text)
	ts := l.size
	if w := fyne.MeasureText(t.Text, ts, t.TextStyle).Width; w > size.Width && size.Width > 0 {
		ts = max(ts*size.Width/w*0.98, 8)
	}
	if t.TextSize != ts {
		t.TextSize = ts
		t.Refresh()
	}
	t.Move(fyne.NewPos(0, 0))
	t.Resize(size)
}

// bigText is a board text: a colour, a size, bold or not, shrinking to fit
// its width.
type bigText struct {
	t   *canvas.Text
	box *fyne.Container
}

func newText(s string, c color.Color, size float32, bold bool) *bigText {
	t := canvas.NewText(s, c)
	t.TextSize = size
	t.TextStyle.Bold = bold
	return &bigText{t: t, box: container.New(fitLayout{size}, t)}
}

// set changes the text and its colour, laying it out again only on a change.
func (b *bigText) set(s string, c color.Color) {
	if b.t.Text == s && b.t.Color == c {
		return
	}
	b.t.Text, b.t.Color = s, c
	b.box.Refresh()
	b.t.Refresh()
}
