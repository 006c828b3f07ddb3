package ui

import (
	"fmt"
	"reflect"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The fit checker: does what the window shows fit a screen? It walks the
// canvas's object tree (the content and the dialogs over it) with absolute
// positions and reports every visible widget or text that lies outside the
// screen, or outside the container that holds it (it would be drawn over a
// neighbour or cut off), and every text given less room than its minimum
// size (a label's MinSize must fit its allotted size, or its words are cut).
// Inside a scroll container, what scrolls must lie within the scrolled
// content (reachable by scrolling), and across it within the viewport: a
// long sheet may go on below the fold, not past the side.

// slack absorbs rounding of float positions.
const slack = 1

type rect struct{ x0, y0, x1, y1 float32 }

func (r rect) String() string {
	return fmt.Sprintf("(%.0f,%.0f)-(%.0f,%.0f)", r.x0, r.y0, r.x1, r.y1)
}

func (r rect) intersect(o rect) rect {
	return rect{max(r.x0, o.x0), max(r.y0, o.y0), min(r.x1, o.x1), min(r.y1, o.y1)}
}

// area is where a walked object must lie.
type area struct{ r rect }

func (a area) holds(r rect) bool {
	return r.x0 >= a.r.x0-slack && r.x1 <= a.r.x1+slack && r.y0 >= a.r.y0-slack && r.y1 <= a.r.y1+slack
}

// fitProblems lists what does not fit a screen of size in the canvas.
func fitProblems(cv fyne.Canvas, size fyne.Size) []string {
	var out []string
	screen := area{r: rect{0, 0, size.Width, size.Height}}
	content := cv.Content()
	if min := content.MinSize(); min.Width > size.Width+slack || min.Height > size.Height+slack {
		out = append(out, fmt.Sprintf("the screen needs %.0fx%.0f, the window has %.0fx%.0f", min.Width, min.Height, size.Width, size.Height))
	}
	walk(content, fyne.NewPos(0, 0), screen, "", &out)
	for _, o := range cv.Overlays().List() {
		walk(o, fyne.NewPos(0, 0), screen, "dialog", &out)
	}
	return out
}

// walk checks o, at parent (the absolute position of its parent), and
// what it holds.
func walk(o fyne.CanvasObject, parent fyne.Position, in area, path string, out *[]string) {
	if o == nil || !o.Visible() {
		return
	}
	pos := parent.Add(o.Position())
	r := rect{pos.X, pos.Y, pos.X + o.Size().Width, pos.Y + o.Size().Height}
	name, text, leaf := describe(o)
	here := strings.TrimPrefix(path+" > "+name, " > ")
	if t, ok := o.(*canvas.Text); ok {
		// A text is drawn at its natural size, aligned in its box: what
		// counts is whether that is seen.
		if drawn := drawnText(t, r); !in.holds(drawn) {
			*out = append(*out, fmt.Sprintf("%s %q drawn at %v lies outside %v: its text is cut", here, text, drawn, in.r))
		}
		return
	}
	if text != "" || leaf {
		if !in.holds(r) {
			*out = append(*out, fmt.Sprintf("%s %q at %v lies outside %v", here, text, r, in.r))
		}
		if msg := cramped(o); msg != "" {
			*out = append(*out, fmt.Sprintf("%s %q: %s", here, text, msg))
		}
	}
	if leaf {
		return
	}
	inner := area{r: in.r.intersect(r)}
	if x, ok := o.(*container.Scroll); ok && x.Content != nil {
		cpos := pos.Add(x.Content.Position())
		c := rect{cpos.X, cpos.Y, cpos.X + x.Content.Size().Width, cpos.Y + x.Content.Size().Height}
		if x.Direction == container.ScrollVerticalOnly || x.Direction == container.ScrollBoth {
			inner.r.y0, inner.r.y1 = c.y0, c.y1
		}
		if x.Direction == container.ScrollHorizontalOnly || x.Direction == container.ScrollBoth {
			inner.r.x0, inner.r.x1 = c.x0, c.x1
		}
		walk(x.Content, pos, inner, here, out)
		return
	}
	for _, child := range children(o) {
		walk(child, pos, inner, here, out)
	}
}

// drawnText is where a text's letters are: its natural size, aligned in
// its box r.
func drawnText(t *canvas.Text, r rect) rect {
	w := t.MinSize().Width
	x := r.x0
	switch t.Alignment {
	case fyne.TextAlignCenter:
		x = (r.x0 + r.x1 - w) / 2
	case fyne.TextAlignTrailing:
		x = r.x1 - w
	}
	return rect{x, r.y0, x + w, r.y0 + t.MinSize().Height}
}

func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch x := o.(type) {
	case *fyne.Container:
		return x.Objects
	case fyne.Widget:
		return test.WidgetRenderer(x).Objects()
	}
	return nil
}

// describe names an object for the report and says whether it is a leaf
// to check as a whole (a widget whose insides are its own business).
func describe(o fyne.CanvasObject) (name, text string, leaf bool) {
	name = reflect.TypeOf(o).String()
	switch x := o.(type) {
	case *canvas.Text:
		return name, x.Text, true
	case *widget.Label:
		return name, x.Text, true
	case *tapLabel:
		return name, x.Text, true
	case *keyButton:
		return name, x.Text, true
	case *widget.Button:
		return name, x.Text, true
	case *keyCheck:
		return name, x.Text, true
	case *widget.Check:
		return name, x.Text, true
	case *keySelect:
		return name, x.Selected, true
	case *widget.Select:
		return name, x.Selected, true
	case *keyEntry:
		return name, x.Text, true
	case *widget.Entry:
		return name, x.Text, true
	case *widget.Icon, *widget.Separator:
		return name, "", true
	}
	return name, "", false
}

// cramped says how o is given less room than it needs, or "".
func cramped(o fyne.CanvasObject) string {
	size, min := o.Size(), o.MinSize()
	wrapsOrCuts := false
	switch x := o.(type) {
	case *widget.Label:
		wrapsOrCuts = x.Wrapping != fyne.TextWrapOff || x.Truncation != fyne.TextTruncateOff
	case *tapLabel:
		wrapsOrCuts = x.Wrapping != fyne.TextWrapOff || x.Truncation != fyne.TextTruncateOff
	case *keyEntry, *widget.Entry, *keySelect, *widget.Select:
		wrapsOrCuts = true // scrolls or truncates its own text
	}
	switch {
	case !wrapsOrCuts && size.Width+slack < min.Width:
		return fmt.Sprintf("%.0f wide, needs %.0f: its text is cut", size.Width, min.Width)
	case size.Height+slack < min.Height:
		return fmt.Sprintf("%.0f high, needs %.0f: its text is cut", size.Height, min.Height)
	}
	return ""
}
