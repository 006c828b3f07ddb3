package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func bold(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	return l
}

func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// wrapped is a label that wraps at words.
func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func trimSpace(s string) string { return strings.TrimSpace(s) }

func setEnabled(w fyne.Disableable, on bool) {
	if on && w.Disabled() {
		w.Enable()
	} else if !on && !w.Disabled() {
		w.Disable()
	}
}

// touch makes a target at least touchMin square: 9 mm for a finger on the
// floor assistant's tablet (Fyne's buttons are about 6 mm).
func touch(o fyne.CanvasObject) fyne.CanvasObject { return container.New(touchLayout{}, o) }

type touchLayout struct{}

func (touchLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize().Max(fyne.NewSquareSize(touchMin))
}

func (touchLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}

// fixedWidth gives its objects, stacked, a fixed width.
type fixedWidth struct{ w float32 }

func (f fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(f.w, h)
}

func (f fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// card is a panel of the flow view: a title over its content on a light
// grey ground, edged.
func card(title fyne.CanvasObject, content ...fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(flowCard)
	bg.StrokeColor = flowCardEdge
	bg.StrokeWidth = 1
	bg.CornerRadius = 8
	body := container.NewVBox(append([]fyne.CanvasObject{title}, content...)...)
	return container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(6, 10, 10, 10), body))
}

// onColour is the flow's theme with white text, for a label on a coloured
// ground (the banner).
type onColour struct{ fyne.Theme }

func (t onColour) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameForeground {
		return flowOnColour
	}
	return t.Theme.Color(n, v)
}
