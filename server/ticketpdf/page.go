package ticketpdf

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// Geometry of an 80 mm thermal roll, in millimetres. The print head covers
// about 72 mm of it; the rest is a margin the printer cannot reach.
const (
	PageWidth    = 80.0
	margin       = 4.0
	contentWidth = PageWidth - 2*margin
	// QRSize is the printed QR code's side: about 1 mm a module for a page
	// URL, which any phone reads at arm's length.
	QRSize = 40.0
	// qrQuiet is the blank space kept around the code, four modules or more.
	qrQuiet = 4.0
	// measureHeight is the page height of the first, measuring pass: longer
	// than any ticket.
	measureHeight = 2000.0
	// ptToMM converts font sizes (points) to millimetres.
	ptToMM = 25.4 / 72
	font   = "Helvetica"
)

// page draws one document top to bottom on a roll: every helper advances
// the current position, so a layout is a list of calls.
type page struct {
	pdf *fpdf.Fpdf
	enc encoder
	paper
}

// paper is the geometry of a sheet: the roll's by default.
type paper struct {
	pageWidth float64 // mm
	left      float64 // the margins, mm
	width     float64 // the content's width, mm
	qrSize    float64 // the QR code's side, mm
	scale     float64 // font sizes are given for the roll, and scaled by this
}

// roll is an 80 mm thermal roll.
var roll = paper{pageWidth: PageWidth, left: margin, width: contentWidth, qrSize: QRSize, scale: 1}

// render lays a document out twice: once on a long page to measure it, then
// on a page as long as the content, since a roll is cut where the ticket
// ends. created dates the file, which keeps the output a pure function of
// the data.
func render(w io.Writer, title, author string, created time.Time, draw func(*page)) error {
	if created.IsZero() {
		created = time.Unix(0, 0) // fpdf would use the clock
	}
	measure := newPage(roll, measureHeight, title, author, created)
	draw(measure)
	if err := measure.pdf.Error(); err != nil {
		return fmt.Errorf("ticketpdf: %w", err)
	}
	height := measure.pdf.GetY() + margin
	p := newPage(roll, height, title, author, created)
	draw(p)
	if err := p.pdf.Output(w); err != nil {
		return fmt.Errorf("ticketpdf: %w", err)
	}
	return nil
}

func newPage(pp paper, height float64, title, author string, created time.Time) *page {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: pp.pageWidth, Ht: height}})
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(author, true)
	pdf.SetCreator("Turno", false)
	pdf.SetMargins(pp.left, pp.left, pp.left)
	pdf.SetAutoPageBreak(false, 0) // one piece of paper, however long
	pdf.SetLineWidth(0.3)
	pdf.AddPage()
	return &page{pdf: pdf, enc: encoder{tr: pdf.UnicodeTranslatorFromDescriptor("")}, paper: pp}
}

// lineHeight is the leading of text at size points.
func lineHeight(size float64) float64 { return size * ptToMM * 1.25 }

// text prints s wrapped to the content width. style is fpdf's: "", "B",
// "I", "BI".
func (p *page) text(style string, size float64, align, s string) {
	if s == "" {
		return
	}
	size *= p.scale
	p.pdf.SetFont(font, style, size)
	p.pdf.SetX(p.left)
	p.pdf.MultiCell(p.width, lineHeight(size), p.enc.encode(s), "", align, false)
}

// item prints s as a list item: a bullet, and the text wrapped beside it.
func (p *page) item(size float64, s string) {
	size *= p.scale
	indent := 1.6 * size * ptToMM
	p.pdf.SetFont(font, "", size)
	p.pdf.SetX(p.left)
	p.pdf.CellFormat(indent, lineHeight(size), p.enc.encode("•"), "", 0, "C", false, 0, "")
	p.pdf.MultiCell(p.width-indent, lineHeight(size), p.enc.encode(s), "", "L", false)
}

// big prints one line of s as large as the width allows, up to maxSize
// points, centred.
func (p *page) big(style string, maxSize float64, s string) {
	s = p.enc.encode(s)
	size := maxSize * p.scale
	p.pdf.SetFont(font, style, size)
	if w := p.pdf.GetStringWidth(s); w > p.width-2 {
		size *= (p.width - 2) / w
		p.pdf.SetFont(font, style, size)
	}
	// fpdf puts the baseline 0.3 font sizes below the cell's middle, so a
	// cell of 0.85 font sizes just holds capitals and digits (0.72 high),
	// without the empty band a descender would need.
	p.pdf.SetX(p.left)
	p.pdf.CellFormat(p.width, 0.85*size*ptToMM, s, "", 1, "C", false, 0, "")
}

// banner prints s in white on a black band, the way a thermal printer
// makes something stand out without colour.
func (p *page) banner(size float64, s string) {
	size *= p.scale
	p.pdf.SetFont(font, "B", size)
	p.pdf.SetFillColor(0, 0, 0)
	p.pdf.SetTextColor(255, 255, 255)
	p.pdf.SetX(p.left)
	p.pdf.CellFormat(p.width, lineHeight(size)+1.5, p.enc.encode(s), "", 1, "C", true, 0, "")
	p.pdf.SetTextColor(0, 0, 0)
}

// rule draws a thin line across the content, with space around it.
func (p *page) rule() {
	p.gap(1.5)
	y := p.pdf.GetY()
	p.pdf.Line(p.left, y, p.left+p.width, y)
	p.gap(1.5)
}

func (p *page) gap(mm float64) { p.pdf.SetY(p.pdf.GetY() + mm) }

// qr places a QR code (a PNG from qrPNG) centred, with its quiet zone.
func (p *page) qr(name string, png []byte) {
	if len(png) == 0 {
		return
	}
	p.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	p.gap(qrQuiet)
	p.pdf.ImageOptions(name, (p.pageWidth-p.qrSize)/2, p.pdf.GetY(), p.qrSize, p.qrSize, true, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	p.gap(qrQuiet)
}

// qrPNG encodes url as a QR code image without its border (the page's
// blank space is the quiet zone), 8 pixels a module so that a printer
// driver scaling it to its dots keeps the modules square. An empty URL
// yields no image.
func qrPNG(url string) ([]byte, error) {
	if url == "" {
		return nil, nil
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("ticketpdf: QR code of %q: %w", url, err)
	}
	q.DisableBorder = true
	png, err := q.PNG(-8)
	if err != nil {
		return nil, fmt.Errorf("ticketpdf: QR code of %q: %w", url, err)
	}
	return png, nil
}
