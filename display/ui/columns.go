package ui

import "fyne.io/fyne/v2"

// columns lays out a table row: each object gets its weight's share of the
// width, so that rows built with the same weights line up.
type columns struct {
	weights []float32
	gap     float32
}

func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Height = max(s.Height, m.Height)
		s.Width += min(m.Width, 60) + c.gap
	}
	return s
}

func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var total float32
	for i := range objs {
		total += c.weight(i)
	}
	free := size.Width - c.gap*float32(max(len(objs)-1, 0))
	x := float32(0)
	for i, o := range objs {
		w := free * c.weight(i) / total
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + c.gap
	}
}

func (c *columns) weight(i int) float32 {
	if i < len(c.weights) {
		return c.weights[i]
	}
	return 1
}
