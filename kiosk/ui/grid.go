package ui

import (
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// serviceGrid lays the services' tiles out in equal cells, each with its
// information button under it: all on one page if their words fit whole,
// in the columns that let them be largest; else a page at a time (the
// kiosk's "more services" buttons turn the pages, paged tells it when
// there are pages). The arrangement depends on the screen, the text
// size, the language and the services' names, and on the longest thing a
// tile may have to say (tile.ref), not on what the tiles say now: a
// service that stops changes its words, never where the tiles are.
type serviceGrid struct {
	widget.BaseWidget

	cells []*gridCell
	page  int
	// paged is called when the page or the number of pages changes.
	paged func(page, pages int)

	// Set by the layout.
	pages, perPage, cols int
	told                 [2]int // what paged was last told
}

type gridCell struct {
	tile    *tile
	info    *button
	hasInfo bool // the service has an information sheet
}

// gridGap is the space between cells.
const gridGap = 20

// tileAspect is the shape of tile that reads best (wide rather than tall:
// lines long enough for a reason in two or three lines).
const tileAspect = 3.2

func newServiceGrid(paged func(page, pages int)) *serviceGrid {
	g := &serviceGrid{paged: paged, pages: 1, told: [2]int{0, 1}}
	g.ExtendBaseWidget(g)
	return g
}

// setPage shows page p (clamped), and reports whether it changed.
func (g *serviceGrid) setPage(p int) bool {
	p = max(0, min(p, g.pages-1))
	if p == g.page {
		return false
	}
	g.page = p
	g.Refresh()
	return true
}

func (g *serviceGrid) CreateRenderer() fyne.WidgetRenderer { return &gridRenderer{g: g} }

type gridRenderer struct {
	g *serviceGrid
	// memo remembers arrangements: every layout of the window lays the
	// grid out, the start screen hidden or not, and trying arrangements
	// wraps every tile's longest words many times over.
	memo map[string]arrangement
}

func (r *gridRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, 2*len(r.g.cells))
	for _, c := range r.g.cells {
		objs = append(objs, c.tile, c.info)
	}
	return objs
}

func (r *gridRenderer) Destroy() {}

func (r *gridRenderer) MinSize() fyne.Size { return fyne.NewSize(0, 0) } // it fits what it is given

func (r *gridRenderer) Refresh() {
	r.Layout(r.g.Size())
	for _, c := range r.g.cells {
		c.tile.Refresh()
		c.info.Refresh()
	}
	canvas.Refresh(r.g)
}

// infoHeight is the height of a cell's information button: one line, the
// room going to the tiles.
func infoHeight(th fyne.Theme) float32 {
	return lineHeight(th, th.Size(sizeButton)) + 2*th.Size(theme.SizeNamePadding)
}

// arrangement is a way to lay the cells out.
type arrangement struct {
	perPage, cols, rows int
	cell                fyne.Size
}

// largeTileScale is the smallest scale of a tile's words in large-text
// mode before the grid prefers fewer tiles to a page: a citizen who asked
// for large text never gets tiles smaller than normal text.
const largeTileScale = 1 / largeScale

// arrange chooses the arrangement for n cells in size: the most cells on
// a page, then the tile shape closest to tileAspect, among those where
// every tile's words fit whole (in large text, at largeTileScale at
// least, if any arrangement allows it).
func (r *gridRenderer) arrange(th fyne.Theme, size fyne.Size) arrangement {
	key := r.arrangeKey(th, size)
	if a, ok := r.memo[key]; ok {
		return a
	}
	a := r.arrangeNow(th, size)
	if r.memo == nil || len(r.memo) > 64 {
		r.memo = map[string]arrangement{}
	}
	r.memo[key] = a
	return a
}

// arrangeKey names what an arrangement depends on: the size, the theme's
// sizes, every tile's longest words.
func (r *gridRenderer) arrangeKey(th fyne.Theme, size fyne.Size) string {
	var b strings.Builder
	for _, f := range []float32{size.Width, size.Height, th.Size(theme.SizeNameText), th.Size(sizeTile), th.Size(sizeDetail), th.Size(sizeButton)} {
		b.WriteString(strconv.FormatFloat(float64(f), 'f', 2, 32))
		b.WriteByte(',')
	}
	if kt, ok := th.(*kioskTheme); ok && kt.large {
		b.WriteString("large")
	}
	for _, c := range r.g.cells {
		for _, ref := range c.tile.refs() {
			for _, p := range ref.parts {
				b.WriteString(p.Text)
				b.WriteByte(0)
			}
		}
		b.WriteByte(1)
	}
	return b.String()
}

func (r *gridRenderer) arrangeNow(th fyne.Theme, size fyne.Size) arrangement {
	if kt, ok := th.(*kioskTheme); ok && kt.large {
		if a, ok := r.arrangeAt(th, size, largeTileScale); ok {
			return a
		}
	}
	if a, ok := r.arrangeAt(th, size, 0); ok {
		return a
	}
	// Nothing fits whole even one to a page: one to a page, words cut.
	return arrangement{perPage: 1, cols: 1, rows: 1, cell: size}
}

// arrangeAt is arrange with every tile's words fitting at scale (0: the
// smallest sizes).
func (r *gridRenderer) arrangeAt(th fyne.Theme, size fyne.Size, scale float32) (arrangement, bool) {
	n := len(r.g.cells)
	infoH := infoHeight(th)
	minW := 8 * th.Size(sizeTile)
	h := size.Height
	for per := n; per >= 1; per-- {
		var best arrangement
		bestScale, bestShape := float32(-1), math.Inf(1)
		for cols := 1; cols <= min(3, per); cols++ {
			rows := (per + cols - 1) / cols
			cw := (size.Width - gridGap*float32(cols-1)) / float32(cols)
			ch := (h - gridGap*float32(rows-1)) / float32(rows)
			if (cw < minW && cols > 1) || ch <= infoH {
				continue
			}
			ts := fyne.NewSize(cw, ch-infoH-6)
			ok, least := true, float32(1)
			for _, c := range r.g.cells {
				if !c.tile.fits(ts, scale) {
					ok = false
					break
				}
				least = min(least, c.tile.refScale(ts))
			}
			if !ok {
				continue
			}
			// The largest words, then the shape that reads best.
			shape := math.Abs(math.Log(float64(ts.Width/ts.Height) / tileAspect))
			if least > bestScale+0.02 || least >= bestScale-0.02 && shape < bestShape {
				best = arrangement{perPage: per, cols: cols, rows: rows, cell: fyne.NewSize(cw, ch)}
				bestScale, bestShape = max(least, bestScale), shape
			}
		}
		if best.perPage > 0 {
			return best, true
		}
	}
	return arrangement{}, false
}

func (r *gridRenderer) Layout(size fyne.Size) {
	g := r.g
	n := len(g.cells)
	if n == 0 || size.Width <= 0 || size.Height <= 0 {
		return
	}
	th := g.Theme()
	a := r.arrange(th, size)
	g.perPage, g.cols = a.perPage, a.cols
	g.pages = (n + a.perPage - 1) / a.perPage
	g.page = max(0, min(g.page, g.pages-1))
	infoH := infoHeight(th)
	tileSize := fyne.NewSize(a.cell.Width, a.cell.Height-infoH-6)
	// One size for every tile's words: the smallest any of them needs.
	common := float32(1)
	for _, c := range g.cells {
		c.tile.text.maxScale = 0
		common = min(common, c.tile.scaleIn(tileSize))
	}
	for _, c := range g.cells {
		if c.tile.text.maxScale != common {
			c.tile.text.maxScale = common
			c.tile.text.Refresh()
		}
	}
	first := g.page * a.perPage
	for i, c := range g.cells {
		if i < first || i >= first+a.perPage {
			c.tile.Hide()
			c.info.Hide()
			continue
		}
		k := i - first
		row, col := k/a.cols, k%a.cols
		x := float32(col) * (a.cell.Width + gridGap)
		y := float32(row) * (a.cell.Height + gridGap)
		c.tile.Move(fyne.NewPos(x, y))
		c.tile.Resize(tileSize)
		c.tile.Show()
		c.info.Move(fyne.NewPos(x, y+a.cell.Height-infoH))
		c.info.Resize(fyne.NewSize(a.cell.Width, infoH))
		// A service without a sheet keeps the space: the tiles line up.
		if c.hasInfo {
			c.info.Show()
		} else {
			c.info.Hide()
		}
	}
	if g.told != [2]int{g.page, g.pages} {
		g.told = [2]int{g.page, g.pages}
		if g.paged != nil {
			g.paged(g.page, g.pages)
		}
	}
}
