package ui

import (
	"fmt"
	"image/color"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fitProblems walks everything a canvas shows, computing each object's
// place on the window, and returns what does not fit:
//
//   - an object that lies outside the window, or outside the object that
//     holds it (drawn over a neighbour, or cut at its parent's border);
//   - an object given less room than its MinSize: for a label, its words
//     do not fit on their lines; for wrapped text, the wrapped lines are
//     taller than its place (Fyne draws them anyway, past its bottom);
//   - a text whose words were cut to fit (an object with Truncated() true:
//     the kiosk's fitText ends it with "…").
//
// What scrolls is exempt from the window and parent checks below the
// scroller: it is meant to be larger than its viewport.
func fitProblems(c fyne.Canvas) []string {
	var out []string
	win := fyne.NewSize(c.Size().Width, c.Size().Height)
	const tol = 0.5
	inside := func(pos fyne.Position, size fyne.Size, outer fyne.Position, outerSize fyne.Size) bool {
		return pos.X >= outer.X-tol && pos.Y >= outer.Y-tol &&
			pos.X+size.Width <= outer.X+outerSize.Width+tol && pos.Y+size.Height <= outer.Y+outerSize.Height+tol
	}
	var walk func(o fyne.CanvasObject, abs fyne.Position, parentPos fyne.Position, parentSize fyne.Size, path string, scrolled bool)
	walk = func(o fyne.CanvasObject, abs, parentPos fyne.Position, parentSize fyne.Size, path string, scrolled bool) {
		if o == nil || !o.Visible() {
			return
		}
		pos := abs.Add(o.Position())
		size := o.Size()
		name := path + "/" + describe(o)
		if !scrolled {
			if !inside(pos, size, fyne.NewPos(0, 0), win) {
				out = append(out, fmt.Sprintf("%s at %v size %v: outside the window %v", name, pos, size, win))
			} else if !inside(pos, size, parentPos, parentSize) {
				out = append(out, fmt.Sprintf("%s at %v size %v: outside its parent at %v size %v", name, pos, size, parentPos, parentSize))
			}
		}
		if m := o.MinSize(); m.Width > size.Width+tol || m.Height > size.Height+tol {
			out = append(out, fmt.Sprintf("%s: needs %v, given %v", name, m, size))
		}
		if tr, ok := o.(interface{ Truncated() bool }); ok && tr.Truncated() {
			out = append(out, fmt.Sprintf("%s: words cut to fit %v", name, size))
		}
		_, isScroll := o.(*container.Scroll)
		for i, child := range children(o) {
			walk(child, pos, pos, size, fmt.Sprintf("%s[%d]", name, i), scrolled || isScroll)
		}
	}
	root := c.Content()
	walk(root, fyne.NewPos(0, 0), fyne.NewPos(0, 0), win, "", false)
	return out
}

// children are what a container holds or a widget's renderer draws.
func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch o := o.(type) {
	case *fyne.Container:
		return o.Objects
	case fyne.Widget:
		return test.WidgetRenderer(o).Objects()
	}
	return nil
}

// describe names an object in a problem: its type, and its words if any.
func describe(o fyne.CanvasObject) string {
	name := reflect.TypeOf(o).String()
	switch o := o.(type) {
	case *canvas.Text:
		return fmt.Sprintf("%s %q", name, o.Text)
	case *fitText:
		return fmt.Sprintf("%s %q", name, shorten(o.Text()))
	case *button:
		return fmt.Sprintf("%s %q", name, o.Text())
	case *tile:
		return fmt.Sprintf("%s %q", name, o.name)
	}
	return name
}

func shorten(s string) string {
	s = strings.ReplaceAll(s, "\n", " / ")
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// painted is a filled rectangle as drawn, for finding what lies behind a
// text.
type painted struct {
	pos  fyne.Position
	size fyne.Size
	fill color.Color
}

// textContrasts returns, for every text the canvas shows, its colour and
// the colour of the surface drawn behind it: the last opaque filled
// rectangle painted before it that holds its middle, else the window's
// background.
func textContrasts(c fyne.Canvas, background color.Color) []textOnSurface {
	var out []textOnSurface
	var rects []painted
	var walk func(o fyne.CanvasObject, abs fyne.Position)
	walk = func(o fyne.CanvasObject, abs fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		pos := abs.Add(o.Position())
		switch o := o.(type) {
		case *canvas.Rectangle:
			if o.FillColor != nil {
				if _, _, _, a := o.FillColor.RGBA(); a == 0xffff {
					rects = append(rects, painted{pos: pos, size: o.Size(), fill: o.FillColor})
				}
			}
		case *canvas.Text:
			if strings.TrimSpace(o.Text) == "" {
				return
			}
			mid := pos.Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
			bg := background
			for i := len(rects) - 1; i >= 0; i-- {
				r := rects[i]
				if mid.X >= r.pos.X && mid.Y >= r.pos.Y && mid.X <= r.pos.X+r.size.Width && mid.Y <= r.pos.Y+r.size.Height {
					bg = r.fill
					break
				}
			}
			out = append(out, textOnSurface{text: o.Text, fg: o.Color, bg: bg})
		}
		for _, child := range children(o) {
			walk(child, pos)
		}
	}
	walk(c.Content(), fyne.NewPos(0, 0))
	return out
}

type textOnSurface struct {
	text   string
	fg, bg color.Color
}

// The checker finds each thing it looks for, and nothing in what fits.
func TestFitCheckerFindsWhatDoesNotFit(t *testing.T) {
	test.NewTempApp(t)
	long := "a reason long enough to need three lines in a narrow place, and more words again"
	place := func(o fyne.CanvasObject, x, y, w, h float32) fyne.CanvasObject {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w, h))
		return o
	}
	for _, tc := range []struct {
		name string
		make func() fyne.CanvasObject
		want string // in a problem; "" for none
	}{
		{"fits", func() fyne.CanvasObject {
			return container.NewWithoutLayout(place(widget.NewLabel("short"), 10, 10, 200, 60))
		}, ""},
		{"wrapped label too short", func() fyne.CanvasObject {
			l := widget.NewLabel(long)
			l.Wrapping = fyne.TextWrapWord
			return container.NewWithoutLayout(place(l, 10, 10, 150, 40))
		}, "needs"},
		{"label too narrow", func() fyne.CanvasObject {
			return container.NewWithoutLayout(place(widget.NewLabel("Precedenza (disabilità)"), 10, 10, 60, 60))
		}, "needs"},
		{"outside the window", func() fyne.CanvasObject {
			return container.NewWithoutLayout(place(canvas.NewRectangle(color.Black), 350, 10, 100, 40))
		}, "outside the window"},
		{"outside its parent", func() fyne.CanvasObject {
			inner := container.NewWithoutLayout(place(canvas.NewRectangle(color.Black), 50, 0, 100, 40))
			return container.NewWithoutLayout(place(inner, 0, 0, 100, 100))
		}, "outside its parent"},
		{"words cut", func() fyne.CanvasObject {
			ft := newFitText(fyne.TextAlignLeading, textPart{Text: long + " " + long, Size: theme.SizeNameText, Color: theme.ColorNameForeground})
			return container.NewWithoutLayout(place(ft, 0, 0, 200, 30))
		}, "words cut"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := test.NewTempWindow(t, tc.make())
			w.SetPadded(false)
			w.Resize(fyne.NewSize(400, 300))
			got := strings.Join(fitProblems(w.Canvas()), "\n")
			switch {
			case tc.want == "" && got != "":
				t.Errorf("problems in what fits: %s", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("got %q, want a problem with %q", got, tc.want)
			}
		})
	}
}
