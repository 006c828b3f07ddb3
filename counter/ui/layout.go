package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// A wrapping label only knows how high it is once it knows how wide it is.
// Fyne's VBox asks the height first, so a name that wraps onto two lines
// gets the room of one and is cut. rows asks after giving the width.

// rows lays out its objects one under another at the full width, each as
// high as it is at that width.
type rows struct {
	width float32 // the width of the last layout
}

// newRows is a VBox for wrapping labels.
func newRows(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&rows{}, objs...)
}

func (l *rows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	pad := theme.Padding()
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		if l.width > 0 && o.Size().Width != l.width {
			o.Resize(fyne.NewSize(l.width, o.MinSize().Height))
		}
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		n++
	}
	if n > 1 {
		s.Height += pad * float32(n-1)
	}
	return s
}

func (l *rows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	pad := theme.Padding()
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		o.Resize(fyne.NewSize(size.Width, o.MinSize().Height))
		h := o.MinSize().Height // again: now it knows its width
		o.Resize(fyne.NewSize(size.Width, h))
		o.Move(fyne.NewPos(0, y))
		y += h + pad
	}
}

// minHeight lays out its objects stacked, at least h tall.
type minHeight struct{ h float32 }

func (m *minHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(0, m.h)
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (m *minHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// middle gives its objects the whole width and their own height, centred
// in the height there is.
type middle struct{}

func (middle) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (middle) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(fyne.NewSize(size.Width, o.MinSize().Height))
		h := o.MinSize().Height // again: wrapped labels now know their width
		o.Resize(fyne.NewSize(size.Width, min(h, size.Height)))
		o.Move(fyne.NewPos(0, max(0, (size.Height-h)/2)))
	}
}

// column is a card of a fixed width, as high as its content at that
// width, for the screens centred in the window (login, choice of
// services).
type column struct {
	width  float32
	height float32 // at least
}

func (c column) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(c.width, 0)
	for _, o := range objs {
		if o.Size().Width != c.width {
			o.Resize(fyne.NewSize(c.width, o.MinSize().Height))
		}
		s.Height = max(s.Height, o.MinSize().Height)
	}
	s.Height = max(s.Height, c.height)
	return s
}

func (c column) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// newColumns puts its objects side by side in equal columns, as high as
// the highest at its width.
func newColumns(objs ...fyne.CanvasObject) *fyne.Container {
	return container.NewGridWithColumns(len(objs), objs...)
}
