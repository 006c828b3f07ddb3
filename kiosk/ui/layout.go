package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// The kiosk's screens are laid out top-down: the window's size is shared
// out among fixed regions, and each region's content fits what it gets
// (fitText shrinks, the grid pages, the information sheet scrolls). No
// layout here reports the sum of its children as its MinSize, so that a
// long word can never grow the window past the screen or push a region
// off it; the fit tests check instead that each child's MinSize is within
// what it was given.
//
// Every screen has the same frame:
//
//	access row   languages, large text, high contrast (the same on every screen)
//	body         the screen's content
//	band         the screen's way out: Back/Done/OK on the left, Take on the right;
//	             on the start screen the office's name and clock, which no tap moves
//	staff line   the kiosk, its connection, its printer
//
// The band is where a screen's buttons sit and the start screen has none
// (touch safety): the second tap of a double tap on Done or Back lands on
// the start screen's clock, never on a service or on the priority path.

// Measures shared by the layouts.
const (
	frameMargin = 16 // around the whole frame
	frameGap    = 12 // between regions
)

// lineHeight is the height of one line of text of size.
func lineHeight(th fyne.Theme, size float32) float32 {
	_, h := measureBoth(th, "Mg", size, true)
	return h
}

// buttonHeight is a button of one line at full size, or two at the
// smallest: the access row, the information buttons.
func buttonHeight(th fyne.Theme) float32 {
	s := th.Size(sizeButton)
	return max(lineHeight(th, s), 2*lineHeight(th, 0.75*s)) + 2*th.Size(theme.SizeNamePadding) + 2
}

// bigButtonHeight is a little taller, for the buttons that move on: the
// band's, the priority path's, the pager's.
func bigButtonHeight(th fyne.Theme) float32 { return buttonHeight(th) + 12 }

// region is a place on the screen.
type region struct {
	Pos  fyne.Position
	Size fyne.Size
}

// frameLayout places [access row, body, band, staff line].
type frameLayout struct{}

// frameRegions returns the regions of a frame of size, in the order of
// its objects.
func frameRegions(th fyne.Theme, size fyne.Size) [4]region {
	w := size.Width - 2*frameMargin
	top := buttonHeight(th)
	band := bigButtonHeight(th)
	staff := lineHeight(th, th.Size(sizeStaff)) + 4
	body := size.Height - 2*frameMargin - top - band - staff - 3*frameGap
	y := float32(frameMargin)
	var r [4]region
	for i, h := range []float32{top, body, band, staff} {
		r[i] = region{Pos: fyne.NewPos(frameMargin, y), Size: fyne.NewSize(w, max(0, h))}
		y += max(0, h) + frameGap
	}
	return r
}

func (frameLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	r := frameRegions(theme.Current(), size)
	for i, o := range objs[:min(4, len(objs))] {
		o.Move(r[i].Pos)
		o.Resize(r[i].Size)
	}
}

// MinSize is the smallest window the kiosk is meant for; smaller ones are
// clipped rather than grown (a kiosk's window is the screen).
func (frameLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(480, 640) }

// startLayout places the start screen's [heading, services, actions].
type startLayout struct{}

// headingHeight is a title line and two small lines under it (the
// priority path's explanation; the words shrink to fit).
func headingHeight(th fyne.Theme) float32 {
	return lineHeight(th, th.Size(sizeTitle)) + 2*lineHeight(th, floorPx(th)) + 0.35*th.Size(sizeDetail)
}

func (startLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	th := theme.Current()
	head := headingHeight(th)
	actions := bigButtonHeight(th)
	grid := max(0, size.Height-head-actions-2*frameGap)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, head))
	objs[1].Move(fyne.NewPos(0, head+frameGap))
	objs[1].Resize(fyne.NewSize(size.Width, grid))
	objs[2].Move(fyne.NewPos(0, size.Height-actions))
	objs[2].Resize(fyne.NewSize(size.Width, actions))
}

func (startLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// halves places its objects in the left and right halves of the band, in
// order.
type halves struct{}

func (halves) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := (size.Width - 2*frameGap) / 2
	for i, o := range objs {
		o.Move(fyne.NewPos(float32(i)*(w+2*frameGap), 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func (halves) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// ticketLayout places the ticket screen's [number, facts, QR code]: one
// above the other on a portrait screen, the QR code beside the others on
// a landscape or square one.
type ticketLayout struct{}

func (ticketLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	number, facts, qr := objs[0], objs[1], objs[2]
	place := func(o fyne.CanvasObject, x, y, w, h float32) {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(max(0, w), max(0, h)))
	}
	if size.Width > 0.9*size.Height {
		left := (size.Width - 2*frameGap) * 0.56
		nh := (size.Height - frameGap) * 0.58
		place(number, 0, 0, left, nh)
		place(facts, 0, nh+frameGap, left, size.Height-nh-frameGap)
		place(qr, left+2*frameGap, 0, size.Width-left-2*frameGap, size.Height)
		return
	}
	nh := size.Height * 0.38
	fh := size.Height * 0.22
	place(number, 0, 0, size.Width, nh)
	place(facts, 0, nh+frameGap, size.Width, fh)
	place(qr, 0, nh+fh+2*frameGap, size.Width, size.Height-nh-fh-2*frameGap)
}

func (ticketLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// qrLayout places [image, caption]: the caption's three lines at the
// bottom, the image the largest square above it.
type qrLayout struct{}

func (qrLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	th := theme.Current()
	img, caption := objs[0], objs[1]
	ch := 2 * lineHeight(th, th.Size(sizeDetail))
	side := max(0, min(size.Width, size.Height-ch-frameGap))
	block := side + frameGap + ch
	y := max(0, (size.Height-block)/2)
	img.Move(fyne.NewPos((size.Width-side)/2, y))
	img.Resize(fyne.NewSquareSize(side))
	caption.Move(fyne.NewPos(0, y+side+frameGap))
	caption.Resize(fyne.NewSize(size.Width, ch))
}

func (qrLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// insetLayout gives every object the whole area less pad on each side.
type insetLayout struct{ pad float32 }

func (l insetLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewSquareOffsetPos(l.pad))
		o.Resize(fyne.NewSize(max(0, size.Width-2*l.pad), max(0, size.Height-2*l.pad)))
	}
}

func (insetLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// fill gives every object the whole area (a stack that, unlike Fyne's,
// does not ask for its children's minimum).
type fill struct{}

func (fill) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (fill) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// infoLayout places the information screen's [title, sheet]: the title as
// tall as its words need at full size, up to two fifths of the screen
// (then they shrink), the sheet in the rest, scrolling.
type infoLayout struct{ title *fitText }

func (l infoLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	th := theme.Current()
	h := min(l.title.wrap(th, 1, size.Width, 0).height, 0.4*size.Height)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	objs[1].Move(fyne.NewPos(0, h+frameGap))
	objs[1].Resize(fyne.NewSize(size.Width, max(0, size.Height-h-frameGap)))
}

func (infoLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// centered places its one object, a panel around text with pad inside,
// in the middle: as tall as the words need at full size, or all the
// height there is (then they shrink).
type centered struct {
	text *fitText
	pad  float32
}

func (l centered) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	th := theme.Current()
	need := l.text.wrap(th, 1, size.Width-2*l.pad, 0).height + 4*l.pad
	h := min(size.Height, need)
	for _, o := range objs {
		o.Move(fyne.NewPos(0, (size.Height-h)/2))
		o.Resize(fyne.NewSize(size.Width, h))
	}
}

func (centered) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }
