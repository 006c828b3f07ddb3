package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tile is a service's button: its name, its live state or why it issues
// nothing, and what a tap does, all inside the tile at any size and in any
// language (fitText). A disabled tile still reads well: it says why and
// what to do.
type tile struct {
	widget.BaseWidget

	service string
	onTap   func()

	disabled bool
	priority bool // the priority path: the tile wears its accent
	// stopped is a service that issues no ticket now but offers its next
	// free appointment: its reason in the stopped colour, and a tap opens
	// the offer.
	stopped bool

	name, detail, hint string
	text               *fitText
	// ref and refOpen are the longest the tile may have to say, stopped
	// (its name, the longest reason in the language) and open (its name,
	// a long wait, the priority hint): the grid is arranged for them, so
	// that the tiles stay put as services stop and start.
	// refOffer is the longest a stopped tile that offers an appointment
	// may say (empty when no service takes appointments).
	ref, refOpen, refOffer *fitText
	bg, accent             *canvas.Rectangle
}

// Inner measures of a tile: the accent bar, and the padding around the text.
const (
	tileBar = 16
	tilePad = 16
)

func newTile(service string, onTap func()) *tile {
	t := &tile{service: service, onTap: onTap,
		bg:       &canvas.Rectangle{StrokeWidth: 4, CornerRadius: 18},
		accent:   &canvas.Rectangle{CornerRadius: 8},
		text:     newFitText(fyne.TextAlignLeading),
		ref:      newFitText(fyne.TextAlignLeading),
		refOpen:  newFitText(fyne.TextAlignLeading),
		refOffer: newFitText(fyne.TextAlignLeading),
	}
	t.text.middle = true
	t.ExtendBaseWidget(t)
	return t
}

// set updates what the tile says; the caller refreshes.
func (t *tile) set(name, detail, hint string, disabled, priority, stopped bool) {
	t.name, t.detail, t.hint = name, detail, hint
	t.disabled, t.priority, t.stopped = disabled, priority, stopped
	detailColor, hintColor := theme.ColorNameForeground, colorHint
	if disabled || stopped {
		detailColor = colorTileOffText
	}
	if priority {
		hintColor = colorPriority
	}
	t.text.parts = []textPart{
		{Text: name, Size: sizeTile, Bold: true, Color: theme.ColorNameForeground},
		{Text: detail, Size: sizeDetail, Color: detailColor},
		{Text: hint, Size: sizeDetail, Bold: true, Color: hintColor},
	}
}

// setReference sets the longest words the tile may show: stopped, stopped
// with the offer of an appointment (reasonOffer and offer; empty when no
// service takes appointments), and open.
func (t *tile) setReference(name, reason, reasonOffer, offer, waiting, hint string) {
	t.ref.parts = []textPart{{Text: name, Size: sizeTile, Bold: true}, {Text: reason, Size: sizeDetail}}
	t.refOffer.parts = []textPart{{Text: name, Size: sizeTile, Bold: true}, {Text: reasonOffer, Size: sizeDetail}, {Text: offer, Size: sizeDetail, Bold: true}}
	t.refOpen.parts = []textPart{{Text: name, Size: sizeTile, Bold: true}, {Text: waiting, Size: sizeDetail}, {Text: hint, Size: sizeDetail, Bold: true}}
}

// Disabled reports whether a tap does nothing.
func (t *tile) Disabled() bool { return t.disabled }

// Stopped reports whether the service issues no ticket now: the tile is
// disabled, or offers an appointment instead.
func (t *tile) Stopped() bool { return t.disabled || t.stopped }

// Tapped takes a ticket, unless the service issues none now.
func (t *tile) Tapped(*fyne.PointEvent) {
	if t.disabled || t.onTap == nil || !t.Visible() {
		return
	}
	t.onTap()
}

// textArea is where the words go in a tile of size.
func textArea(size fyne.Size) (fyne.Position, fyne.Size) {
	x := float32(tileBar + tilePad + 6)
	return fyne.NewPos(x, tilePad), fyne.NewSize(max(0, size.Width-x-tilePad), max(0, size.Height-2*tilePad))
}

// refs are the references in use.
func (t *tile) refs() []*fitText {
	if t.refOffer.parts[2].Text == "" {
		return []*fitText{t.ref, t.refOpen}
	}
	return []*fitText{t.ref, t.refOffer, t.refOpen}
}

// fits reports whether the tile's longest words (ref) fit whole in a
// tile of size at scale (0: the smallest sizes).
func (t *tile) fits(size fyne.Size, scale float32) bool {
	th := t.Theme()
	_, area := textArea(size)
	for _, ref := range t.refs() {
		s := scale
		if s <= 0 {
			s = ref.minScale(th)
		}
		f := ref.wrap(th, s, area.Width, 0)
		if f.height > area.Height+0.5 || f.broken && s > ref.minScale(th) {
			return false
		}
	}
	return true
}

// refScale is the largest scale at which the tile's longest words fit in
// a tile of size.
func (t *tile) refScale(size fyne.Size) float32 {
	th := t.Theme()
	_, area := textArea(size)
	scale := float32(1)
	for _, ref := range t.refs() {
		scale = min(scale, ref.fit(th, area).scale)
	}
	return scale
}

// scaleIn is the largest scale at which the tile's words fit in a tile of
// size.
func (t *tile) scaleIn(size fyne.Size) float32 {
	_, area := textArea(size)
	return t.text.fit(t.Theme(), area).scale
}

func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	return &tileRenderer{t: t}
}

type tileRenderer struct{ t *tile }

func (r *tileRenderer) Layout(size fyne.Size) {
	r.t.bg.Resize(size)
	r.t.accent.Move(fyne.NewPos(6, 6))
	r.t.accent.Resize(fyne.NewSize(tileBar, max(0, size.Height-12)))
	pos, area := textArea(size)
	r.t.text.Move(pos)
	r.t.text.Resize(area)
}

func (r *tileRenderer) MinSize() fyne.Size {
	m := r.t.text.MinSize()
	return fyne.NewSize(m.Width+tileBar+2*tilePad+6, m.Height+2*tilePad)
}

func (r *tileRenderer) Refresh() {
	th := r.t.Theme()
	v := theme.VariantLight // the kiosk's themes ignore the system's variant
	switch {
	case r.t.disabled:
		r.t.bg.FillColor = th.Color(colorTileOff, v)
		r.t.bg.StrokeColor = th.Color(colorTileOffEdge, v)
		r.t.bg.StrokeWidth = 2
		r.t.accent.FillColor = th.Color(colorTileOffEdge, v)
	case r.t.priority:
		r.t.bg.FillColor = th.Color(colorTile, v)
		r.t.bg.StrokeColor = th.Color(colorPriority, v)
		r.t.bg.StrokeWidth = 6
		r.t.accent.FillColor = th.Color(colorPriority, v)
	default:
		r.t.bg.FillColor = th.Color(colorTile, v)
		r.t.bg.StrokeColor = th.Color(colorTileBorder, v)
		r.t.bg.StrokeWidth = 4
		r.t.accent.FillColor = th.Color(theme.ColorNamePrimary, v)
	}
	r.t.bg.Refresh()
	r.t.accent.Refresh()
	r.t.text.Refresh()
}

func (r *tileRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.t.bg, r.t.accent, r.t.text}
}

func (r *tileRenderer) Destroy() {}
