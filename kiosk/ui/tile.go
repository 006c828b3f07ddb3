package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tile is a service's button: its name, its live state in a line or two,
// and what a tap does. Fyne's Button holds one line of text, and a citizen
// needs three; so the tile is its own widget. A disabled tile still reads
// well: it says why and what to do.
type tile struct {
	widget.BaseWidget

	service string
	onTap   func()

	disabled bool
	priority bool // the priority path: the tile wears its accent

	name, detail, hint *widget.Label
	bg                 *canvas.Rectangle
	accent             *canvas.Rectangle
}

func newTile(service string, onTap func()) *tile {
	t := &tile{service: service, onTap: onTap}
	t.name = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, SizeName: sizeTile}
	t.detail = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: sizeDetail}
	t.hint = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: sizeDetail, TextStyle: fyne.TextStyle{Bold: true}}
	t.bg = &canvas.Rectangle{StrokeWidth: 4, CornerRadius: 18}
	t.accent = &canvas.Rectangle{CornerRadius: 18}
	t.ExtendBaseWidget(t)
	return t
}

// set updates what the tile says; the caller refreshes.
func (t *tile) set(name, detail, hint string, disabled, priority bool) {
	t.name.Text, t.detail.Text, t.hint.Text = name, detail, hint
	t.disabled, t.priority = disabled, priority
	t.hint.Hidden = hint == ""
	if disabled {
		t.detail.Importance = widget.DangerImportance
		t.hint.Importance = widget.MediumImportance
	} else {
		t.detail.Importance = widget.MediumImportance
		t.hint.Importance = widget.HighImportance
	}
}

// Disabled reports whether a tap does nothing.
func (t *tile) Disabled() bool { return t.disabled }

// Tapped takes a ticket, unless the service issues none now.
func (t *tile) Tapped(*fyne.PointEvent) {
	if t.disabled || t.onTap == nil {
		return
	}
	t.onTap()
}

func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	text := container.NewVBox(t.name, t.detail, t.hint)
	// A bar on the left edge: colour tells open from stopped before the
	// words are read.
	bar := container.New(&leftBar{width: 16}, t.accent)
	body := container.NewBorder(nil, nil, bar, nil, container.NewPadded(text))
	return &tileRenderer{t: t, objects: []fyne.CanvasObject{t.bg, body}, body: body}
}

type tileRenderer struct {
	t       *tile
	objects []fyne.CanvasObject
	body    *fyne.Container
}

func (r *tileRenderer) Layout(size fyne.Size) {
	r.t.bg.Resize(size)
	r.body.Resize(size)
}

func (r *tileRenderer) MinSize() fyne.Size {
	m := r.body.MinSize()
	return fyne.NewSize(m.Width, m.Height+8)
}

func (r *tileRenderer) Refresh() {
	th := r.t.Theme()
	v := theme.VariantLight // the kiosk's themes ignore the system's variant
	switch {
	case r.t.disabled:
		r.t.bg.FillColor = th.Color(colorTileOff, v)
		r.t.bg.StrokeColor = th.Color(theme.ColorNameDisabled, v)
		r.t.bg.StrokeWidth = 2
		r.t.accent.FillColor = th.Color(colorTileOffText, v)
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
	r.t.name.Refresh()
	r.t.detail.Refresh()
	r.t.hint.Refresh()
	r.body.Refresh()
}

func (r *tileRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *tileRenderer) Destroy()                     {}

// leftBar lays its one object out as a bar of a fixed width, full height,
// inset to sit inside the tile's rounded corners.
type leftBar struct{ width float32 }

func (l *leftBar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(l.width, size.Height))
	}
}

func (l *leftBar) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(l.width, 0) }
