package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// faceSide is the room left and right of a face's word in its tile.
const faceSide = 6

// faceWordMin is the smallest a face's word may shrink to.
const faceWordMin float32 = 18

// faceTile is one of the pad's five answers: a face over its word, the
// whole tile one target.
type faceTile struct {
	obj    fyne.CanvasObject
	button *widget.Button
	face   *canvas.Image
	word   *bigText
	score  int
}

func newFaceTile(score int, tapped func()) *faceTile {
	f := &faceTile{score: score, button: widget.NewButton("", tapped)}
	f.face = canvas.NewImageFromResource(faceResource(score))
	f.face.FillMode = canvas.ImageFillContain
	f.face.SetMinSize(fyne.NewSquareSize(56))
	f.word = newText("", padInk, padText, true, faceWordMin)
	f.word.t.Alignment = fyne.TextAlignCenter
	edge := canvas.NewRectangle(color.Transparent)
	edge.StrokeColor = padTileEdge
	edge.StrokeWidth = 2
	edge.CornerRadius = 12
	body := container.New(layout.NewCustomPaddedLayout(14, 10, faceSide, faceSide), container.NewBorder(nil, f.word.box, nil, nil, f.face))
	f.obj = container.New(minSize{fyne.NewSquareSize(padTarget)}, container.NewStack(f.button, edge, body))
	return f
}

// faceMouths are the faces' mouths, from a deep frown (1) to a broad smile
// (5), in a 100x100 box.
var faceMouths = []string{
	`<path d="M28 76 Q50 50 72 76" fill="none" stroke="%[2]s" stroke-width="7" stroke-linecap="round"/>`,
	`<path d="M31 72 Q50 60 69 72" fill="none" stroke="%[2]s" stroke-width="7" stroke-linecap="round"/>`,
	`<path d="M31 68 L69 68" fill="none" stroke="%[2]s" stroke-width="7" stroke-linecap="round"/>`,
	`<path d="M31 62 Q50 76 69 62" fill="none" stroke="%[2]s" stroke-width="7" stroke-linecap="round"/>`,
	`<path d="M26 58 Q50 90 74 58 Z" fill="%[2]s" stroke="%[2]s" stroke-width="5" stroke-linejoin="round"/>`,
}

// faceSVG draws a score's face: its colour, two eyes, its mouth.
func faceSVG(score int) []byte {
	fill, ink := hex(padFaces[score-1]), hex(padFeature)
	return []byte(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">`+
		`<circle cx="50" cy="50" r="46" fill="%s" stroke="%s" stroke-width="3"/>`+
		`<circle cx="35" cy="40" r="6.5" fill="%[2]s"/><circle cx="65" cy="40" r="6.5" fill="%[2]s"/>`+
		faceMouths[score-1]+`</svg>`, fill, ink))
}

func faceResource(score int) fyne.Resource {
	return fyne.NewStaticResource(fmt.Sprintf("face-%d.svg", score), faceSVG(score))
}

func hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// faceRow lays the five faces out side by side, their words in one size:
// the largest at which the longest word fits its tile ("Molto bene" no
// smaller than "Male").
type faceRow struct {
	columns
	tiles []*faceTile
}

func (r *faceRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := float32(max(len(objs), 1))
	inner := (size.Width-r.gap*(n-1))/n - 2*faceSide - 4
	ts := padText
	for _, f := range r.tiles {
		if w := fyne.MeasureText(f.word.full, padText, f.word.t.TextStyle).Width; w > inner && inner > 0 {
			ts = min(ts, padText*inner/w)
		}
	}
	ts = max(ts, faceWordMin)
	for _, f := range r.tiles {
		f.word.size, f.word.min = ts, ts
	}
	r.columns.Layout(objs, size)
}
