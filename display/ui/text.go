package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// ellipsis ends a text cut to fit its place.
const ellipsis = "…"

// bigText is one line of board text: a colour, a size, bold or not. Too
// wide or too tall for its place (a long counter or service name, a small
// screen), it shrinks, down to its minimum size; below that it is cut with
// an ellipsis. It never makes its container wider than the screen: its
// minimum width is a few characters.
type bigText struct {
	t         *canvas.Text
	box       *fyne.Container
	full      string // the text before any cut
	size, min float32
}

// newText is a text that never shrinks below min (min <= 0: its size).
func newText(s string, c color.Color, size float32, bold bool, minSize ...float32) *bigText {
	t := canvas.NewText(s, c)
	t.TextSize = size
	t.TextStyle.Bold = bold
	b := &bigText{t: t, full: s, size: size, min: size}
	if len(minSize) > 0 && minSize[0] > 0 {
		b.min = min(minSize[0], size)
	}
	b.box = container.New(b, t)
	return b
}

// set changes the text and its colour, laying it out again only on a change.
func (b *bigText) set(s string, c color.Color) {
	if b.full == s && b.t.Color == c {
		return
	}
	b.full, b.t.Color = s, c
	if b.box.Size().Width > 0 {
		b.Layout(nil, b.box.Size())
	} else {
		b.t.Text = s
	}
	b.t.Refresh()
}

// MinSize is one line at the full size (lists lay it out so, and cut what
// does not fit; fixed regions give it what they have), a few characters
// wide.
func (b *bigText) MinSize([]fyne.CanvasObject) fyne.Size {
	w := min(fyne.MeasureText(b.full, b.min, b.t.TextStyle).Width, 3*b.min)
	return fyne.NewSize(w, b.natural())
}

// Layout fits the text to size: shrunk to the width and height, then cut.
func (b *bigText) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	style := b.t.TextStyle
	ts := b.size
	if m := fyne.MeasureText(b.full, ts, style); size.Width > 0 && size.Height > 0 {
		if m.Width > size.Width {
			ts = ts * size.Width / m.Width * 0.99
		}
		// A font's height is not quite proportional to its size (hinting):
		// step down until the line fits.
		for ts > b.min && fyne.MeasureText("Mg", ts, style).Height > size.Height {
			ts -= 0.5
		}
	}
	ts = max(ts, b.min)
	text := b.full
	if size.Width > 0 && fyne.MeasureText(text, ts, style).Width > size.Width {
		text = ellipsize(text, ts, style, size.Width)
	}
	if b.t.TextSize != ts || b.t.Text != text {
		b.t.TextSize, b.t.Text = ts, text
		b.t.Refresh()
	}
	b.t.Move(fyne.NewPos(0, 0))
	b.t.Resize(size)
}

// ellipsize ends s with an ellipsis, shortened until it fits width: "…"
// says there is more than the place can show.
func ellipsize(s string, size float32, style fyne.TextStyle, width float32) string {
	r := []rune(strings.TrimSpace(s))
	for n := len(r); n > 0; n-- {
		t := strings.TrimRight(string(r[:n]), " ·,:;—-") + ellipsis
		if fyne.MeasureText(t, size, style).Width <= width {
			return t
		}
	}
	return ""
}

// textBlock is board text that wraps: the hall message, a service's state
// and reason. It takes the largest of its sizes at which the whole text
// fits its place; at the smallest, what does not fit is cut with an
// ellipsis on the last line that does. Its minimum size is one short line,
// so that it never pushes the board beyond the screen.
type textBlock struct {
	box   *fyne.Container
	lines []*canvas.Text // a pool; unused lines are hidden
	full  string
	color color.Color
	style fyne.TextStyle
	sizes []float32 // largest first
	cut   bool      // the last layout had to cut the text
}

// maxLines bounds a block's lines: more than this at the board's sizes is
// an essay, not a sign.
const maxLines = 6

func newTextBlock(c color.Color, bold bool, sizes ...float32) *textBlock {
	tb := &textBlock{color: c, style: fyne.TextStyle{Bold: bold}, sizes: sizes}
	objs := make([]fyne.CanvasObject, maxLines)
	for i := range objs {
		t := canvas.NewText("", c)
		t.TextStyle = tb.style
		t.Hide()
		tb.lines = append(tb.lines, t)
		objs[i] = t
	}
	tb.box = container.New(tb, objs...)
	return tb
}

func (tb *textBlock) smallest() float32 { return tb.sizes[len(tb.sizes)-1] }

// set changes the text and colour.
func (tb *textBlock) set(s string, c color.Color) {
	if tb.full == s && tb.color == c {
		return
	}
	tb.full, tb.color = s, c
	for _, l := range tb.lines {
		l.Color = c
	}
	if tb.box.Size().Width > 0 {
		tb.Layout(nil, tb.box.Size())
	}
}

// MinSize is one line at the smallest size, when there is text.
func (tb *textBlock) MinSize([]fyne.CanvasObject) fyne.Size {
	if tb.full == "" {
		return fyne.Size{}
	}
	return fyne.NewSize(3*tb.smallest(), fyne.MeasureText("Mg", tb.smallest(), tb.style).Height)
}

func (tb *textBlock) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	var lines []string
	var ts, lh float32
	tb.cut = false
	for i, s := range tb.sizes {
		ts, lh = s, fyne.MeasureText("Mg", s, tb.style).Height
		lines = wrap(tb.full, s, tb.style, size.Width)
		fit := max(int(size.Height/lh), 1)
		if len(lines) <= fit && len(lines) <= maxLines {
			break
		}
		if i == len(tb.sizes)-1 {
			n := min(fit, maxLines, len(lines))
			lines = append(lines[:n-1:n-1], ellipsize(lines[n-1], s, tb.style, size.Width))
			tb.cut = true
		}
	}
	for i, l := range tb.lines {
		if i >= len(lines) {
			if l.Visible() {
				l.Hide()
			}
			continue
		}
		if l.Text != lines[i] || l.TextSize != ts {
			l.Text, l.TextSize = lines[i], ts
			l.Refresh()
		}
		l.Move(fyne.NewPos(0, float32(i)*lh))
		l.Resize(fyne.NewSize(size.Width, lh))
		if !l.Visible() {
			l.Show()
		}
	}
}

// text is what the block shows, its lines joined (tests read it).
func (tb *textBlock) text() string {
	var out []string
	for _, l := range tb.lines {
		if l.Visible() {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, "\n")
}

// wrap breaks s into lines no wider than width, at spaces, and at the
// newlines it holds; a word wider than a line is broken where it must.
func wrap(s string, size float32, style fyne.TextStyle, width float32) []string {
	var out []string
	fits := func(t string) bool { return fyne.MeasureText(t, size, style).Width <= width }
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			try := w
			if line != "" {
				try = line + " " + w
			}
			if fits(try) {
				line = try
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			for !fits(w) && len([]rune(w)) > 1 {
				r := []rune(w)
				k := len(r) - 1
				for k > 1 && !fits(string(r[:k])) {
					k--
				}
				out = append(out, string(r[:k]))
				w = string(r[k:])
			}
			line = w
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// natural is the height of one line at the text's full size.
func (b *bigText) natural() float32 {
	return fyne.MeasureText("Mg", b.size, b.t.TextStyle).Height
}
