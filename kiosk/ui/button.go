package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// buttonStyle is what a button looks like: what it does, at a glance.
type buttonStyle int

const (
	styleNormal   buttonStyle = iota // white, a blue edge: a choice
	styleAction                      // blue, white words: go ahead (take, done), or the choice in force
	stylePriority                    // the priority path's colour on white: enter it
	styleInPath                      // the priority colour filled: leave it
)

// button is the kiosk's button: its words wrap and shrink inside it
// (Fyne's Button holds one line, which a long translation pushes past the
// edge), and a tap reaches onTap only through the kiosk's guard.
type button struct {
	widget.BaseWidget

	label    *fitText
	style    buttonStyle
	disabled bool
	onTap    func()

	bg *canvas.Rectangle
}

func newButton(icon fyne.Resource, style buttonStyle, onTap func()) *button {
	b := &button{style: style, onTap: onTap, bg: &canvas.Rectangle{CornerRadius: 12, StrokeWidth: 3}}
	b.label = newFitText(fyne.TextAlignCenter, textPart{Size: sizeButton, Bold: true})
	b.label.middle = true
	b.label.icon = icon
	b.ExtendBaseWidget(b)
	return b
}

// Text is the button's words.
func (b *button) Text() string { return b.label.Text() }

// setText changes the words; the caller refreshes.
func (b *button) setText(s string) { b.label.parts[0].Text = s }

// setStyle changes the look; the caller refreshes.
func (b *button) setStyle(s buttonStyle) { b.style = s }

// Disabled reports whether a tap does nothing.
func (b *button) Disabled() bool { return b.disabled }

func (b *button) setDisabled(d bool) {
	if b.disabled != d {
		b.disabled = d
		b.Refresh()
	}
}

func (b *button) Tapped(*fyne.PointEvent) {
	if b.disabled || b.onTap == nil || !b.Visible() {
		return
	}
	b.onTap()
}

// naturalWidth is the width the button takes with its words on one line
// at full size.
func (b *button) naturalWidth() float32 {
	th := b.Theme()
	s := th.Size(sizeButton)
	w := measure(th, b.label.parts[0].Text, s, true) + 2*th.Size(theme.SizeNameInnerPadding)
	if b.label.icon != nil {
		w += 1.4 * s
	}
	return w
}

func (b *button) CreateRenderer() fyne.WidgetRenderer {
	return &buttonRenderer{b: b}
}

type buttonRenderer struct{ b *button }

func (r *buttonRenderer) inset() (x, y float32) {
	th := r.b.Theme()
	return th.Size(theme.SizeNameInnerPadding), th.Size(theme.SizeNamePadding)
}

func (r *buttonRenderer) Layout(size fyne.Size) {
	r.b.bg.Resize(size)
	x, y := r.inset()
	r.b.label.Move(fyne.NewPos(x, y))
	r.b.label.Resize(fyne.NewSize(size.Width-2*x, size.Height-2*y))
}

func (r *buttonRenderer) MinSize() fyne.Size {
	x, y := r.inset()
	m := r.b.label.MinSize()
	return fyne.NewSize(m.Width+2*x, m.Height+2*y)
}

func (r *buttonRenderer) Refresh() {
	th := r.b.Theme()
	v := theme.VariantLight
	bg, edge, text := colorButton, colorButtonEdge, colorButtonText
	switch {
	case r.b.disabled:
		bg, edge, text = colorOffButton, colorTileOffEdge, colorOffText
	case r.b.style == styleAction:
		bg, edge, text = colorAction, colorAction, colorActionText
	case r.b.style == stylePriority:
		bg, edge, text = colorButton, colorPriority, colorPriority
	case r.b.style == styleInPath:
		bg, edge, text = colorPriority, colorPriority, colorPriorityText
	}
	r.b.bg.FillColor = th.Color(bg, v)
	r.b.bg.StrokeColor = th.Color(edge, v)
	r.b.label.parts[0].Color = text
	r.b.bg.Refresh()
	r.b.label.Refresh()
}

func (r *buttonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.b.bg, r.b.label}
}

func (r *buttonRenderer) Destroy() {}

// buttonRow lays buttons out side by side in a row of fixed height: each
// as wide as its words need on one line when they all fit; else each
// shrunk by the same share but never below its longest word, so that a
// long translation takes room from its neighbours and its words shrink
// or wrap inside it (never past its edge). A gap of sep separates the
// first split buttons from the rest.
type buttonRow struct {
	gap, sep float32
	split    int
}

func (l *buttonRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var natural, least []float32
	var visible []fyne.CanvasObject
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		w := o.MinSize().Width
		least = append(least, w)
		if b, ok := o.(*button); ok {
			w = max(w, b.naturalWidth())
		}
		natural = append(natural, w)
		visible = append(visible, o)
	}
	if len(visible) == 0 {
		return
	}
	gaps := l.gap * float32(len(visible)-1)
	if l.split > 0 && l.split < len(visible) {
		gaps += l.sep - l.gap
	}
	widths := shareWidths(natural, least, size.Width-gaps)
	x := float32(0)
	for i, o := range visible {
		if i == l.split && i > 0 {
			x += l.sep - l.gap
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(widths[i], size.Height))
		x += widths[i] + l.gap
	}
}

// shareWidths shares avail among items that would like natural and need
// at least least: the natural widths and the rest shared alike when they
// fit; else the natural widths scaled by the largest factor that keeps
// every item at least at its least; else the least widths scaled down
// (nothing can fit whole then).
func shareWidths(natural, least []float32, avail float32) []float32 {
	n := len(natural)
	out := make([]float32, n)
	sum := func(s float32) (total float32) {
		for i := range natural {
			total += max(least[i], natural[i]*s)
		}
		return total
	}
	if total := sum(1); total <= avail {
		extra := (avail - total) / float32(n)
		for i := range natural {
			out[i] = max(least[i], natural[i]) + extra
		}
		return out
	}
	if total := sum(0); total > avail {
		for i := range least {
			out[i] = least[i] * avail / total
		}
		return out
	}
	lo, hi := float32(0), float32(1)
	for range 20 {
		mid := (lo + hi) / 2
		if sum(mid) <= avail {
			lo = mid
		} else {
			hi = mid
		}
	}
	for i := range natural {
		out[i] = max(least[i], natural[i]*lo)
	}
	return out
}

// MinSize is small: the frame gives the row its height, and the buttons
// shrink their words to the width they get.
func (l *buttonRow) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }
