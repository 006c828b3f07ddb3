package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// fitReport is what checkFit saw on a canvas.
type fitReport struct {
	// problems are the things that do not fit, one line each.
	problems []string
	// smallestText is the smallest size of a visible text, and what it says.
	smallestText float32
	smallestWhat string
	// targets are the visible things a finger taps, and their sizes.
	targets []target
	texts   int // visible texts seen
}

type target struct {
	what string
	size fyne.Size
}

// slack absorbs the rounding of float layouts.
const slack = 0.5

// checkFit walks everything visible on a canvas, its content and its
// pop-ups, and reports what does not fit:
//   - the content's minimum size larger than the canvas: a real window
//     would grow past the screen and the top of the board would be lost;
//   - an object whose bounds leave the canvas;
//   - a widget given less than its minimum size: a clipped label, two
//     buttons on top of each other ("BigliettPrecedenzX");
//   - a text wider or taller than its place: clipped text.
//
// Inside a scroll container only the container is held to the canvas's
// bounds (its content scrolls), but the widgets in it are still held to
// their minimum sizes.
func checkFit(c fyne.Canvas) fitReport {
	r := fitReport{smallestText: 1e9}
	size := c.Size()
	if m := c.Content().MinSize(); m.Width > size.Width+slack || m.Height > size.Height+slack {
		r.problems = append(r.problems, fmt.Sprintf("the content needs %v, the window is %v", m, size))
	}
	r.walk(c.Content(), c.Content().Position(), size, false)
	for _, o := range c.Overlays().List() {
		r.walk(o, o.Position(), size, false)
	}
	return r
}

func (r *fitReport) walk(o fyne.CanvasObject, at fyne.Position, window fyne.Size, scrolled bool) {
	if o == nil || !o.Visible() {
		return
	}
	s := o.Size()
	if s.Width <= 0 && s.Height <= 0 {
		return
	}
	if !scrolled && (at.X < -slack || at.Y < -slack || at.X+s.Width > window.Width+slack || at.Y+s.Height > window.Height+slack) {
		r.problems = append(r.problems, fmt.Sprintf("%s at %v size %v leaves the window %v", describe(o), at, s, window))
	}
	switch x := o.(type) {
	case *canvas.Text:
		if x.Text == "" {
			return
		}
		r.texts++
		if x.TextSize < r.smallestText {
			r.smallestText, r.smallestWhat = x.TextSize, x.Text
		}
		m := fyne.MeasureText(x.Text, x.TextSize, x.TextStyle)
		if m.Width > s.Width+slack || m.Height > s.Height+1 {
			r.problems = append(r.problems, fmt.Sprintf("text %q at %.0f needs %v, has %v: clipped", x.Text, x.TextSize, m, s))
		}
		return
	case *container.Scroll:
		r.walk(x.Content, at.Add(x.Content.Position()), window, true) // the content moves by the offset
		return
	case fyne.Widget:
		if m := x.MinSize(); m.Width > s.Width+slack || m.Height > s.Height+slack {
			r.problems = append(r.problems, fmt.Sprintf("%s at %v has %v, needs %v", describe(o), at, s, m))
			return // what is inside is squeezed with it: said once
		}
		if _, ok := o.(fyne.Tappable); ok {
			r.targets = append(r.targets, target{describe(o), s})
		}
		for _, child := range test.WidgetRenderer(x).Objects() {
			r.walk(child, at.Add(child.Position()), window, scrolled)
		}
	case *fyne.Container:
		for _, child := range x.Objects {
			r.walk(child, at.Add(child.Position()), window, scrolled)
		}
	}
}

// describe names an object for a failure message.
func describe(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *widget.Label:
		return fmt.Sprintf("label %q", x.Text)
	case *widget.Button:
		return fmt.Sprintf("button %q", x.Text)
	case *widget.Select:
		return fmt.Sprintf("choice %q", x.PlaceHolder)
	case *widget.Entry:
		return fmt.Sprintf("entry %q", x.PlaceHolder)
	case *canvas.Text:
		return fmt.Sprintf("text %q", x.Text)
	}
	return fmt.Sprintf("%T", o)
}

// assertFits fails the test for whatever does not fit the window, and
// returns the report for further checks.
func assertFits(t *testing.T, u *ui, w fyne.Window, what string) fitReport {
	t.Helper()
	var r fitReport
	u.do(func() { r = checkFit(w.Canvas()) })
	if len(r.problems) > 0 {
		t.Errorf("%s: %d things do not fit:\n  %s", what, len(r.problems), strings.Join(r.problems, "\n  "))
	}
	if r.texts == 0 {
		t.Errorf("%s: no text seen: is the checker still walking the screen?", what)
	}
	return r
}

// The checker itself: it sees a clipped label, a button squeezed by its
// neighbour, and an object off the window; and nothing in a screen that
// fits.
func TestTheFitCheckerSeesWhatDoesNotFit(t *testing.T) {
	test.NewTempApp(t)
	u := &ui{}
	long := widget.NewLabel("a label far too long for the narrow column it was given")
	b1, b2 := widget.NewButton("Biglietto", nil), widget.NewButton("Precedenza", nil)
	row := container.New(&columns{weights: []float32{1, 1}}, b1, b2)
	box := container.NewWithoutLayout(long, row)
	w := test.NewTempWindow(t, box)
	w.Resize(fyne.NewSize(300, 200))
	long.Move(fyne.NewPos(0, 0))
	long.Resize(fyne.NewSize(120, 40))
	row.Move(fyne.NewPos(0, 60))
	row.Resize(fyne.NewSize(120, 40))
	row.Refresh()
	off := canvas.NewText("off the window", nil)
	box.Add(off)
	off.Move(fyne.NewPos(250, 180))
	off.Resize(fyne.NewSize(200, 40))
	var r fitReport
	u.do(func() { r = checkFit(w.Canvas()) })
	all := strings.Join(r.problems, "\n")
	for _, want := range []string{`label "a label far too long`, `button "Biglietto"`, `button "Precedenza"`, `"off the window" at`} {
		if !strings.Contains(all, want) {
			t.Errorf("the checker missed %s; it saw:\n%s", want, all)
		}
	}

	fine := container.NewVBox(widget.NewLabel("short"), widget.NewButton("OK", nil))
	w2 := test.NewTempWindow(t, fine)
	w2.Resize(fyne.NewSize(300, 200))
	u.do(func() { r = checkFit(w2.Canvas()) })
	if len(r.problems) > 0 || r.texts == 0 || len(r.targets) != 1 {
		t.Fatalf("a screen that fits: got %v, %d texts, targets %v", r.problems, r.texts, r.targets)
	}
}
