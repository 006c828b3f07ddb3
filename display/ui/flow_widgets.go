package ui

import (
	"image/color"
	"strings"
	"unicode"
	"unicode/utf8"

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

// choiceTile is one choice among a few, made for a finger, whose text may
// be long (a service's name): the text wraps on the button, and the choice
// made is framed and ticked in the primary colour.
type choiceTile struct {
	obj    fyne.CanvasObject
	button *widget.Button
	label  *widget.Label
	frame  *canvas.Rectangle
	tick   *widget.Icon
}

func newChoiceTile(tapped func()) *choiceTile {
	c := &choiceTile{button: widget.NewButton("", tapped), label: wrapped("")}
	c.frame = canvas.NewRectangle(color.Transparent)
	c.frame.StrokeColor = flowPrimary
	c.frame.StrokeWidth = 3
	c.frame.CornerRadius = 4
	c.frame.Hide()
	c.tick = widget.NewIcon(theme.NewColoredResource(theme.ConfirmIcon(), theme.ColorNamePrimary))
	c.tick.Hide()
	middle := container.NewVBox(layout.NewSpacer(), c.label, layout.NewSpacer()) // the text in the middle of its target, as a button's
	c.obj = touch(container.NewStack(c.button, c.frame, container.NewBorder(nil, nil, container.NewPadded(c.tick), nil, middle)))
	return c
}

func (c *choiceTile) set(text string, chosen bool) {
	if c.label.Text != text || c.label.TextStyle.Bold != chosen {
		c.label.TextStyle.Bold = chosen
		c.label.SetText(text)
	}
	if chosen != c.frame.Visible() {
		if chosen {
			c.frame.Show()
			c.tick.Show()
		} else {
			c.frame.Hide()
			c.tick.Hide()
		}
	}
}

// capitalize makes a text's first letter upper case ("mercoledì" on a
// button reads "Mercoledì").
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// tabRow lays the flow view's tabs out side by side, each as wide as its
// label and an equal share of the room left: a long label ("Appuntamenti ·
// 1 in ritardo") no longer makes every tab as wide as itself, as a grid
// would, and five tabs fit the tablet.
type tabRow struct{ gap float32 }

func (r *tabRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	s.Width += r.gap * float32(max(len(objs)-1, 0))
	return s
}

func (r *tabRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	need := r.MinSize(objs).Width
	extra := (size.Width - need) / float32(len(objs))
	x := float32(0)
	for _, o := range objs {
		w := o.MinSize().Width + extra
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + r.gap
	}
}
