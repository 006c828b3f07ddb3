package ui

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// textPart is one paragraph of a fitText: its words, their size, weight
// and colour. A "\n" in Text starts a new line in the same style; Bullet
// puts "•" before the first line and indents the others under it.
type textPart struct {
	Text   string
	Size   fyne.ThemeSizeName
	Bold   bool
	Color  fyne.ThemeColorName
	Bullet bool
}

// fitText is text that stays inside the place its screen gives it: it
// wraps at spaces, and when the words still do not fit it shrinks every
// part together, each down to three quarters of the theme's body size (a
// title further than a detail); only if they do not fit even then does it
// cut the last line with "…". Its MinSize is honest: the height the words
// need at the smallest sizes for the width it has, so that a test can
// tell text that fits from text that was cut. The screens give it room
// top-down and never grow the window for it.
//
// Fyne's Label wraps or truncates but cannot shrink, and a wrapped label's
// extra lines are drawn past its bounds, over whatever lies below: that is
// how a refusal's last line went missing at 1280x1024.
type fitText struct {
	widget.BaseWidget

	parts  []textPart
	align  fyne.TextAlign
	middle bool // centred vertically; at the top otherwise
	// maxLines, when set, allows at most that many lines: the rest is cut
	// with "…" by design, and MinSize asks for no more (a staff line).
	maxLines int
	// flow keeps the full size and asks, through MinSize, for the height
	// the words need (a sheet in a scroller).
	flow bool
	// icon, when set, stands left of the first line, in the first part's
	// colour, the lines indented past it.
	icon fyne.Resource
	// maxScale, when set, is the largest scale it may use: the tiles of a
	// grid use one size, the smallest any of them needs.
	maxScale float32

	last    fitting // the renderer's last layout
	version int     // bumped by every change: the layout is recomputed
	memo    map[string]fitting
}

func newFitText(align fyne.TextAlign, parts ...textPart) *fitText {
	t := &fitText{parts: parts, align: align}
	t.ExtendBaseWidget(t)
	return t
}

// set replaces the parts and redraws.
func (t *fitText) set(parts ...textPart) {
	t.parts = parts
	t.Refresh()
}

// Text is the words shown, parts joined by newlines (for tests and logs).
func (t *fitText) Text() string {
	var b []string
	for _, p := range t.parts {
		if p.Text != "" {
			b = append(b, p.Text)
		}
	}
	return strings.Join(b, "\n")
}

// Truncated reports whether the last layout had to cut words that were
// all meant to show (a text without maxLines), or broke a word between
// letters that fits whole on a line at the smallest size.
func (t *fitText) Truncated() bool {
	if t.last.truncated && t.maxLines == 0 {
		return true
	}
	if !t.last.broken {
		return false
	}
	th := t.Theme()
	return t.longestWord(th, t.minScale(th)) <= t.Size().Width
}

// Scale is the factor the last layout applied to the theme's sizes.
func (t *fitText) Scale() float32 { return t.last.scale }

func (t *fitText) CreateRenderer() fyne.WidgetRenderer {
	r := &fitRenderer{t: t, icon: &canvas.Image{FillMode: canvas.ImageFillContain}}
	r.Refresh()
	return r
}

// line is one laid-out line.
type line struct {
	text   string
	size   float32
	bold   bool
	color  fyne.ThemeColorName
	w, h   float32
	gap    float32 // space above it
	indent float32 // from the text's left edge (a bullet's following lines)
}

// fitting is a layout of the parts in a width.
type fitting struct {
	lines     []line
	scale     float32
	height    float32
	width     float32 // the widest line, icon and indent included
	truncated bool
	broken    bool // a word was broken between letters
	iconSize  float32
}

// floorPx is the smallest text the kiosk draws: three quarters of the
// body text (18 px, 23 px in large text).
func floorPx(th fyne.Theme) float32 { return 0.75 * th.Size(theme.SizeNameText) }

// partSize is a part's size at scale: shrunk with the others, but never
// below floorPx (nor grown to it).
func partSize(th fyne.Theme, p textPart, scale float32) float32 {
	full := th.Size(p.Size)
	// Whole half pixels: the sizes a layout tries repeat, and so do their
	// measurements (measures).
	return max(float32(math.Round(float64(full*scale)*2))/2, min(full, floorPx(th)))
}

// minScale is the scale at which every part has reached floorPx.
func (t *fitText) minScale(th fyne.Theme) float32 {
	if t.flow {
		return 1
	}
	largest := float32(0)
	for _, p := range t.parts {
		if strings.TrimSpace(p.Text) != "" {
			largest = max(largest, th.Size(p.Size))
		}
	}
	if largest == 0 {
		return 1
	}
	return min(1, floorPx(th)/largest)
}

// need is the height the words take in width at the smallest sizes.
func (t *fitText) need(th fyne.Theme, width float32) float32 {
	if width <= 0 {
		width = 1 << 20 // not laid out yet: one line per paragraph
	}
	return t.wrap(th, t.minScale(th), width, t.maxLines).height
}

func (t *fitText) longestWord(th fyne.Theme, s float32) float32 {
	var w float32
	for _, p := range t.parts {
		size := partSize(th, p, s)
		for _, word := range splitWords(p.Text) {
			w = max(w, measure(th, word, size, p.Bold))
		}
	}
	if t.icon != nil && len(t.parts) > 0 {
		w += 1.4 * partSize(th, t.parts[0], s)
	}
	return w
}

// fit finds the largest scale, from 1 down to minScale, at which the
// parts fit in size; at minScale it cuts what does not fit. It remembers
// its last answers: the screens lay the same words out in the same places
// at every refresh.
func (t *fitText) fit(th fyne.Theme, size fyne.Size) fitting {
	key := t.key(th, size)
	if f, ok := t.memo[key]; ok {
		return f
	}
	f := t.fitNow(th, size)
	if t.memo == nil || len(t.memo) > 32 {
		t.memo = map[string]fitting{}
	}
	t.memo[key] = f
	return f
}

// key names a layout: the words and their styles, the place, the
// theme's sizes.
func (t *fitText) key(th fyne.Theme, size fyne.Size) string {
	var b strings.Builder
	for _, p := range t.parts {
		b.WriteString(p.Text)
		b.WriteByte(0)
		b.WriteString(string(p.Size))
		b.WriteByte(0)
		b.WriteString(string(p.Color))
		b.WriteString(strconv.FormatBool(p.Bold) + strconv.FormatBool(p.Bullet))
		b.WriteByte(1)
	}
	for _, f := range []float32{size.Width, size.Height, t.maxScale, th.Size(theme.SizeNameText), floorPx(th)} {
		b.WriteString(strconv.FormatFloat(float64(f), 'f', 2, 32))
		b.WriteByte(',')
	}
	b.WriteString(strconv.Itoa(t.maxLines) + strconv.FormatBool(t.flow) + strconv.FormatBool(t.icon != nil))
	return b.String()
}

func (t *fitText) fitNow(th fyne.Theme, size fyne.Size) fitting {
	// A word broken between letters is a last resort, like cutting.
	fits := func(f fitting) bool {
		return !f.truncated && !f.broken && f.height <= size.Height+0.5 && f.width <= size.Width+0.5
	}
	top := float32(1)
	if t.maxScale > 0 {
		top = max(t.minScale(th), min(1, t.maxScale))
	}
	if f := t.wrap(th, top, size.Width, t.maxLines); fits(f) || t.flow {
		return f
	}
	lo, hi := t.minScale(th), top
	best := t.wrap(th, lo, size.Width, t.maxLines)
	if !fits(best) {
		if best.broken && !best.truncated && best.height <= size.Height+0.5 {
			return best // whole words do not fit even at the smallest size: broken ones do
		}
		return t.cut(th, best, size)
	}
	for range 6 {
		mid := (lo + hi) / 2
		if f := t.wrap(th, mid, size.Width, t.maxLines); fits(f) {
			lo, best = mid, f
		} else {
			hi = mid
		}
	}
	return best
}

// cut keeps the lines that fit in size and ends the last one with "…".
func (t *fitText) cut(th fyne.Theme, f fitting, size fyne.Size) fitting {
	var h float32
	n := 0
	for _, l := range f.lines {
		if h+l.gap+l.h > size.Height+0.5 {
			break
		}
		h += l.gap + l.h
		n++
	}
	if n == 0 && len(f.lines) > 0 {
		n = 1 // one line, even if it is too tall, rather than nothing
		h = f.lines[0].h
	}
	if n < len(f.lines) {
		f.lines = f.lines[:n]
		f.truncated = true
		last := &f.lines[n-1]
		width := size.Width - last.indent
		if t.icon != nil {
			width -= f.iconSize * 1.4
		}
		last.text, last.w = ellipsize(th, last.text, last.size, last.bold, width)
	}
	f.height = h
	return f
}

// wrap lays the parts out at scale in width; with maxLines > 0 the lines
// past it are cut, the last ending in "…".
func (t *fitText) wrap(th fyne.Theme, scale, width float32, maxLines int) fitting {
	f := fitting{scale: scale}
	indent := float32(0)
	if t.icon != nil && len(t.parts) > 0 {
		f.iconSize = partSize(th, t.parts[0], scale)
		indent = f.iconSize * 1.4
	}
	avail := max(1, width-indent)
	first := true
	for _, p := range t.parts {
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		size := partSize(th, p, scale)
		gap := float32(0)
		if !first {
			gap = 0.35 * size
			if p.Bullet {
				gap = 0.15 * size
			}
		}
		first = false
		hang := float32(0)
		text := p.Text
		if p.Bullet {
			text = "• " + text
			hang = measure(th, "• ", size, p.Bold)
		}
		for _, para := range strings.Split(text, "\n") {
			lines, broken := wrapWords(th, para, size, p.Bold, avail, hang)
			f.broken = f.broken || broken
			for i, s := range lines {
				w, h := measureBoth(th, s, size, p.Bold)
				in := float32(0)
				if i > 0 {
					in = hang
				}
				f.lines = append(f.lines, line{text: s, size: size, bold: p.Bold, color: p.Color, w: w, h: h, gap: gap, indent: in})
				gap = 0
			}
		}
	}
	if maxLines > 0 && len(f.lines) > maxLines {
		f.lines = f.lines[:maxLines]
		f.truncated = true
		last := &f.lines[maxLines-1]
		last.text, last.w = ellipsize(th, last.text, last.size, last.bold, avail-last.indent)
	}
	for _, l := range f.lines {
		f.height += l.gap + l.h
		f.width = max(f.width, l.w+l.indent+indent)
	}
	return f
}

// splitWords splits at spaces and tabs only: a no-break space (French
// "\u00a0:") keeps its neighbours together.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
}

// wrapWords breaks a paragraph into lines no wider than width (the lines
// after the first, width less hang), at spaces; a word wider than a line
// is broken between letters, and broken says so.
func wrapWords(th fyne.Theme, para string, size float32, bold bool, width, hang float32) (lines []string, broken bool) {
	words := splitWords(para)
	if len(words) == 0 {
		return []string{""}, false
	}
	space := measure(th, " ", size, bold)
	var cur []string
	var curW float32
	limit := width
	flush := func() {
		// The sum of the words' widths is the line's to a fraction of a
		// pixel; a line close to the edge is measured whole, and loses its
		// last word if the font makes it wider.
		for len(cur) > 1 && curW > 0.97*limit && measure(th, strings.Join(cur, " "), size, bold) > limit+0.5 {
			last := cur[len(cur)-1]
			cur = cur[:len(cur)-1]
			lines = append(lines, strings.Join(cur, " "))
			limit = width - hang
			cur = []string{last}
		}
		lines = append(lines, strings.Join(cur, " "))
		limit = width - hang
		cur, curW = nil, 0
	}
	for _, w := range words {
		ww := measure(th, w, size, bold)
		if len(cur) > 0 && curW+space+ww <= limit {
			cur = append(cur, w)
			curW += space + ww
			continue
		}
		if len(cur) > 0 {
			flush()
		}
		for ww > limit && utf8.RuneCountInString(w) > 1 {
			broken = true
			head := longestPrefix(th, w, size, bold, limit)
			lines = append(lines, head)
			limit = width - hang
			w = w[len(head):]
			ww = measure(th, w, size, bold)
		}
		cur, curW = []string{w}, ww
	}
	flush()
	return lines, broken
}

// longestPrefix is the longest start of s (one rune at least) that fits.
func longestPrefix(th fyne.Theme, s string, size float32, bold bool, width float32) string {
	end := 0
	for i := range s {
		if i > 0 && measure(th, s[:i], size, bold) > width {
			break
		}
		end = i
	}
	if end == 0 {
		_, n := utf8.DecodeRuneInString(s)
		return s[:n]
	}
	return s[:end]
}

// ellipsize shortens s, word by word then letter by letter, until s and
// "…" fit in width.
func ellipsize(th fyne.Theme, s string, size float32, bold bool, width float32) (string, float32) {
	s = strings.TrimRight(s, " ")
	for {
		t := s + "…"
		if w := measure(th, t, size, bold); w <= width || s == "" {
			return t, min(w, width)
		}
		if i := strings.LastIndexByte(s, ' '); i > 0 && measure(th, s[:i]+"…", size, bold) > width {
			s = s[:i]
			continue
		}
		_, n := utf8.DecodeLastRuneInString(s)
		s = strings.TrimRight(s[:len(s)-n], " ")
	}
}

func measure(th fyne.Theme, s string, size float32, bold bool) float32 {
	w, _ := measureBoth(th, s, size, bold)
	return w
}

// measureBoth measures text as the driver draws it. Shaping text is slow
// and the kiosk measures the same words at the same sizes over and over
// (every layout tries several sizes), so the kiosk's theme keeps the
// answers.
func measureBoth(th fyne.Theme, s string, size float32, bold bool) (float32, float32) {
	kt, ok := th.(*kioskTheme)
	if !ok || kt.measures == nil {
		m := fyne.MeasureText(s, size, fyne.TextStyle{Bold: bold})
		return m.Width, m.Height
	}
	return kt.measures.measure(s, size, bold)
}

// measures remembers text measurements for one theme (its font).
type measures struct {
	mu sync.Mutex
	m  map[measureKey]fyne.Size
}

type measureKey struct {
	text string
	size float32
	bold bool
}

func (c *measures) measure(s string, size float32, bold bool) (float32, float32) {
	k := measureKey{s, size, bold}
	c.mu.Lock()
	m, ok := c.m[k]
	c.mu.Unlock()
	if !ok {
		m = fyne.MeasureText(s, size, fyne.TextStyle{Bold: bold})
		c.mu.Lock()
		if c.m == nil || len(c.m) > 50_000 { // a long-running kiosk sees new words every day
			c.m = map[measureKey]fyne.Size{}
		}
		c.m[k] = m
		c.mu.Unlock()
	}
	return m.Width, m.Height
}

type fitRenderer struct {
	t     *fitText
	texts []*canvas.Text
	icon  *canvas.Image
	// The last layout, kept while neither the size nor the words change.
	laidFor     fyne.Size
	laidVersion int
	// The icon as last drawn.
	iconOf    fyne.Resource
	iconColor fyne.ThemeColorName
	iconTheme fyne.Theme
	// min caches MinSize's answer for a width.
	minFor     float32
	minVersion int
	min        fyne.Size
}

func (r *fitRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, len(r.texts)+1)
	objs = append(objs, r.icon)
	for _, o := range r.texts {
		objs = append(objs, o)
	}
	return objs
}

func (r *fitRenderer) Destroy() {}

func (r *fitRenderer) MinSize() fyne.Size {
	w := r.t.Size().Width
	if r.minVersion == r.t.version && r.minFor == w && r.min != (fyne.Size{}) {
		return r.min
	}
	th := r.t.Theme()
	// As narrow as its longest word, but never so wide that a long word
	// (a URL, a code) would push its neighbours: it is broken instead.
	minW := min(r.t.longestWord(th, r.t.minScale(th)), 8*th.Size(theme.SizeNameText))
	r.min, r.minFor, r.minVersion = fyne.NewSize(minW, r.t.need(th, w)), w, r.t.version
	return r.min
}

func (r *fitRenderer) Layout(size fyne.Size) {
	if size == r.laidFor && r.laidVersion == r.t.version {
		return
	}
	r.laidFor, r.laidVersion = size, r.t.version
	th := r.t.Theme()
	f := r.t.fit(th, size)
	r.t.last = f
	for len(r.texts) < len(f.lines) {
		r.texts = append(r.texts, &canvas.Text{})
	}
	y := float32(0)
	if r.t.middle && f.height < size.Height {
		y = (size.Height - f.height) / 2
	}
	// With an icon, the block (icon and lines) is placed as a whole.
	indent := float32(0)
	if r.t.icon != nil && f.iconSize > 0 {
		indent = f.iconSize * 1.4
	}
	blockX := float32(0)
	if r.t.icon != nil {
		switch r.t.align {
		case fyne.TextAlignCenter:
			blockX = max(0, (size.Width-f.width)/2)
		case fyne.TextAlignTrailing:
			blockX = max(0, size.Width-f.width)
		}
	}
	v := theme.VariantLight // the kiosk's themes ignore the system's variant
	for i, o := range r.texts {
		if i >= len(f.lines) {
			o.Hide()
			continue
		}
		l := f.lines[i]
		y += l.gap
		x := blockX + indent + l.indent
		if r.t.icon == nil {
			switch r.t.align {
			case fyne.TextAlignCenter:
				x = (size.Width - l.w) / 2
			case fyne.TextAlignTrailing:
				x = size.Width - l.w
			}
		}
		if i == 0 && r.t.icon != nil {
			r.icon.Move(fyne.NewPos(blockX, y+(l.h-f.iconSize)/2))
			r.icon.Resize(fyne.NewSquareSize(f.iconSize))
		}
		o.Text, o.TextSize = l.text, l.size
		o.TextStyle = fyne.TextStyle{Bold: l.bold}
		o.Color = th.Color(l.color, v)
		o.Move(fyne.NewPos(max(0, x), y))
		o.Resize(fyne.NewSize(l.w, l.h))
		o.Show()
		o.Refresh()
		y += l.h
	}
	r.icon.Hidden = r.t.icon == nil || len(f.lines) == 0
}

func (r *fitRenderer) Refresh() {
	r.t.version++
	if r.t.icon != nil {
		col := theme.ColorNameForeground
		if len(r.t.parts) > 0 {
			col = r.t.parts[0].Color
		}
		// Drawing an icon is slow: only when it, its colour or the theme
		// changed.
		th := r.t.Theme()
		if r.iconOf != r.t.icon || r.iconColor != col || r.iconTheme != th {
			r.iconOf, r.iconColor, r.iconTheme = r.t.icon, col, th
			r.icon.Resource = theme.NewColoredResource(r.t.icon, col)
			r.icon.Refresh()
		}
	}
	r.Layout(r.t.Size())
	canvas.Refresh(r.t)
}
