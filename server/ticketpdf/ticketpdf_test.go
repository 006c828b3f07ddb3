package ticketpdf_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"turno/server/queue"
	"turno/server/ticketpdf"
)

const (
	pageWidthPt = 80 / 25.4 * 72 // 80 mm
	url         = "http://192.168.1.10:8080/t/0123456789abcdef0123456789abcdef"
)

var rome, _ = time.LoadLocation("Europe/Rome")

func ticketData() ticketpdf.TicketData {
	ahead, wait := 4, queue.Seconds(25*time.Minute)
	return ticketpdf.TicketData{
		Office:   "Comune di Borgo Demo — Sportello polifunzionale",
		Location: rome,
		Ticket: queue.PublicTicket{ID: "0123456789abcdef0123456789abcdef", Number: "A012", Service: "anagrafe",
			ServiceNameIT: "Anagrafe e stato civile", ServiceNameEN: "Registry office", Status: queue.StatusWaiting,
			IssuedAt: time.Date(2026, 11, 24, 8, 12, 0, 0, time.UTC), Ahead: &ahead, Wait: &queue.Wait{EstimatedWait: wait, WaitLow: wait, WaitHigh: wait}},
		Info: "**Cosa portare / What to bring**\n- documento d'identità valido → originale\n",
		URL:  url,
	}
}

func receiptData() ticketpdf.ReceiptData {
	return ticketpdf.ReceiptData{
		Office: "Comune di Borgo Demo", Location: rome, Protocol: "2026/000123",
		Document: "Istanza cambio di residenza — già firmata 🙂", At: time.Date(2026, 11, 24, 8, 40, 0, 0, time.UTC),
		Number: "D004", Counter: "Sportello 6 — Consegna rapida", URL: url,
	}
}

// doc is a PDF taken apart just enough to check what it prints.
type doc struct {
	raw      []byte
	text     string // every content stream, inflated
	mediaBox []float64
	image    *image
}

// image is the one image XObject (the QR code) and where it is drawn.
type image struct {
	width, height int
	black         []bool // per pixel, row by row
	drawnPt       float64
}

var (
	objectRE   = regexp.MustCompile(`(?s)(\d+) 0 obj\n(.*?)endobj`)
	streamRE   = regexp.MustCompile(`(?s)^<<(.*?)/Length (\d+)>>\nstream\n`)
	mediaBoxRE = regexp.MustCompile(`/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]`)
	intRE      = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + ` (\d+)`) }
	paletteRE  = regexp.MustCompile(`/Indexed /DeviceRGB 1 (\d+) 0 R`)
	drawRE     = regexp.MustCompile(`q ([\d.]+) 0 0 ([\d.]+) [\d.]+ [\d.]+ cm /I\w+ Do Q`)
)

func inflate(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return out
}

// parse reads the objects fpdf writes: dictionaries with direct lengths,
// Flate streams, one page.
func parse(t *testing.T, raw []byte) *doc {
	t.Helper()
	if !bytes.HasPrefix(raw, []byte("%PDF-")) {
		t.Fatalf("no %%PDF header: %q", raw[:min(len(raw), 16)])
	}
	d := &doc{raw: raw}
	dicts := map[string]string{}
	streams := map[string][]byte{}
	for _, m := range objectRE.FindAllSubmatchIndex(raw, -1) {
		id, body := string(raw[m[2]:m[3]]), raw[m[4]:m[5]]
		sm := streamRE.FindSubmatchIndex(body)
		if sm == nil {
			dicts[id] = string(body)
			continue
		}
		dict := string(body[sm[2]:sm[3]])
		n, _ := strconv.Atoi(string(body[sm[4]:sm[5]]))
		data := body[sm[1] : sm[1]+n]
		if strings.Contains(dict, "/FlateDecode") {
			data = inflate(t, data)
		}
		dicts[id], streams[id] = dict, data
	}
	var imageID string
	for id, dict := range dicts {
		if m := mediaBoxRE.FindStringSubmatch(dict); m != nil {
			w, _ := strconv.ParseFloat(m[1], 64)
			h, _ := strconv.ParseFloat(m[2], 64)
			d.mediaBox = []float64{w, h}
		}
		if strings.Contains(dict, "/Subtype /Image") {
			imageID = id
		} else if s, ok := streams[id]; ok && bytes.Contains(s, []byte("BT ")) {
			d.text += string(s)
		}
	}
	if imageID != "" {
		d.image = decodeImage(t, dicts[imageID], streams[imageID], streams)
		if m := drawRE.FindStringSubmatch(d.text); m != nil {
			d.image.drawnPt, _ = strconv.ParseFloat(m[1], 64)
		}
	}
	return d
}

// decodeImage undoes PNG row filters (fpdf keeps the PNG's data, with
// Predictor 15) of a 1-bit indexed image.
func decodeImage(t *testing.T, dict string, data []byte, streams map[string][]byte) *image {
	t.Helper()
	w, _ := strconv.Atoi(intRE("Width").FindStringSubmatch(dict)[1])
	h, _ := strconv.Atoi(intRE("Height").FindStringSubmatch(dict)[1])
	if bpc := intRE("BitsPerComponent").FindStringSubmatch(dict)[1]; bpc != "1" {
		t.Fatalf("image has %s bits per component, want 1", bpc)
	}
	pal := paletteRE.FindStringSubmatch(dict)
	if pal == nil {
		t.Fatalf("image is not indexed: %s", dict)
	}
	palette := streams[pal[1]]
	stride := (w + 7) / 8
	if len(data) != h*(stride+1) {
		t.Fatalf("image data is %d bytes, want %d", len(data), h*(stride+1))
	}
	img := &image{width: w, height: h, black: make([]bool, w*h)}
	prev := make([]byte, stride)
	for y := 0; y < h; y++ {
		row := data[y*(stride+1):]
		filter, cur := row[0], append([]byte(nil), row[1:stride+1]...)
		for i := range cur {
			var a, c byte
			if i > 0 {
				a, c = cur[i-1], prev[i-1]
			}
			b := prev[i]
			switch filter {
			case 1:
				cur[i] += a
			case 2:
				cur[i] += b
			case 3:
				cur[i] += byte((int(a) + int(b)) / 2)
			case 4:
				cur[i] += paeth(a, b, c)
			}
		}
		for x := 0; x < w; x++ {
			idx := int(cur[x/8]>>(7-x%8)) & 1
			img.black[y*w+x] = palette[3*idx] == 0 && palette[3*idx+1] == 0 && palette[3*idx+2] == 0
		}
		prev = cur
	}
	return img
}

func paeth(a, b, c byte) byte {
	abs := func(x int) int {
		if x < 0 {
			return -x
		}
		return x
	}
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

// encodes reports whether the image is, module by module, the QR code of
// content at some recovery level: what a phone's reader would decode.
func (img *image) encodes(content string) bool {
	for _, level := range []qrcode.RecoveryLevel{qrcode.Low, qrcode.Medium, qrcode.High, qrcode.Highest} {
		q, err := qrcode.New(content, level)
		if err != nil {
			continue
		}
		q.DisableBorder = true
		bm := q.Bitmap()
		n := len(bm)
		if n == 0 || img.width != img.height || img.width%n != 0 {
			continue
		}
		scale, same := img.width/n, true
		for r := 0; r < n && same; r++ {
			for c := 0; c < n && same; c++ {
				same = img.black[(r*scale+scale/2)*img.width+c*scale+scale/2] == bm[r][c]
			}
		}
		if same {
			return true
		}
	}
	return false
}

func render(t *testing.T, f func(w io.Writer) error) *doc {
	t.Helper()
	var buf bytes.Buffer
	if err := f(&buf); err != nil {
		t.Fatal(err)
	}
	return parse(t, buf.Bytes())
}

func ticket(d ticketpdf.TicketData) func(io.Writer) error {
	return func(w io.Writer) error { return ticketpdf.Ticket(w, d) }
}

func receipt(d ticketpdf.ReceiptData) func(io.Writer) error {
	return func(w io.Writer) error { return ticketpdf.Receipt(w, d) }
}

func mm(pt float64) float64 { return pt / 72 * 25.4 }

// checkPage checks the roll width, a fitted length and a scannable QR code
// of url.
func checkPage(t *testing.T, d *doc) {
	t.Helper()
	if d.mediaBox == nil {
		t.Fatal("no MediaBox")
	}
	if w := d.mediaBox[0]; w < pageWidthPt-0.1 || w > pageWidthPt+0.1 {
		t.Errorf("page width %.2f pt (%.1f mm), want 80 mm", w, mm(w))
	}
	if h := mm(d.mediaBox[1]); h < 80 || h > 200 {
		t.Errorf("page height %.1f mm, want it fitted to the content (80-200 mm)", h)
	}
	if d.image == nil {
		t.Fatal("no QR image")
	}
	if got := mm(d.image.drawnPt); got < 35 {
		t.Errorf("QR code printed %.1f mm wide, want at least 35 mm", got)
	}
	if !d.image.encodes(url) {
		t.Errorf("the image is not the QR code of %s", url)
	}
	if d.image.encodes(url + "0") {
		t.Error("the QR comparison accepts another URL")
	}
}

func checkText(t *testing.T, d *doc, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(d.text, s) {
			t.Errorf("content stream lacks %q", s)
		}
	}
}

func TestTicketPDF(t *testing.T) {
	d := render(t, ticket(ticketData()))
	checkPage(t, d)
	checkText(t, d,
		"(A012)Tj",
		"(Anagrafe e stato civile)Tj",
		"(24/11/2026  09:12)Tj", // 08:12 UTC in Rome
		"(Persone in attesa prima di lei: 4)Tj",
		"(Attesa stimata: circa 25 min)Tj",
		"Wait: about 25 min",
		"Comune di Borgo Demo \x97", // the em dash in cp1252
		"identit\xe0)Tj", "-> originale)Tj",
		url,
	)
	if strings.Contains(d.text, "PRIORIT") {
		t.Error("a walk-in ticket is marked priority")
	}
	// The number is printed as large as the roll allows.
	m := regexp.MustCompile(`([\d.]+) Tf ET\nBT [\d.]+ [\d.]+ Td \(A012\)Tj`).FindStringSubmatch(d.text)
	if m == nil {
		t.Fatal("cannot find the number's font size")
	}
	if size, _ := strconv.ParseFloat(m[1], 64); size < 60 {
		t.Errorf("number printed at %.0f pt, want 60 pt or more", size)
	}
}

func TestTicketPDFVariants(t *testing.T) {
	t.Run("priority", func(t *testing.T) {
		data := ticketData()
		data.Ticket.Priority = true
		checkText(t, render(t, ticket(data)), "PRIORITARIO \xb7 PRIORITY")
	})
	t.Run("called", func(t *testing.T) {
		data := ticketData()
		data.Ticket.Ahead, data.Ticket.Wait = nil, nil
		data.Ticket.Status, data.Ticket.CounterName = queue.StatusCalled, "Sportello 1"
		d := render(t, ticket(data))
		checkText(t, d, "(Si rechi a: Sportello 1)Tj")
		if strings.Contains(d.text, "Attesa") {
			t.Error("a called ticket shows a wait")
		}
	})
	t.Run("short wait", func(t *testing.T) {
		data := ticketData()
		zero, soon := 0, queue.Seconds(20*time.Second)
		data.Ticket.Ahead, data.Ticket.Wait = &zero, &queue.Wait{EstimatedWait: soon, WaitLow: soon, WaitHigh: soon}
		checkText(t, render(t, ticket(data)), "(Attesa stimata: a momenti)Tj", "Wait: any moment now")
	})
	t.Run("a range", func(t *testing.T) {
		// The forecast is unsure: the ticket says so, as every surface does.
		data := ticketData()
		m := func(n int) queue.Seconds { return queue.Seconds(time.Duration(n) * time.Minute) }
		data.Ticket.Wait = &queue.Wait{EstimatedWait: m(15), WaitLow: m(8), WaitHigh: m(26)}
		checkText(t, render(t, ticket(data)), "(Attesa stimata: tra 8 e 30 min)Tj", "Wait: between 8 and 30 min")
	})
	t.Run("empty", func(t *testing.T) {
		// Nothing but defaults: still a document, without a QR code.
		d := render(t, ticket(ticketpdf.TicketData{}))
		if d.image != nil {
			t.Error("a QR code without a URL")
		}
	})
}

func TestTicketPDFIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := ticketpdf.Ticket(&a, ticketData()); err != nil {
		t.Fatal(err)
	}
	if err := ticketpdf.Ticket(&b, ticketData()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two renderings of the same ticket differ")
	}
	if !bytes.Contains(a.Bytes(), []byte("/CreationDate (D:20261124081200")) {
		t.Error("the creation date is not the issue time")
	}
}

func TestTicketPDFRefusesAnUnencodableURL(t *testing.T) {
	data := ticketData()
	data.URL = "http://x/" + strings.Repeat("a", 5000) // beyond any QR code
	if err := ticketpdf.Ticket(io.Discard, data); err == nil {
		t.Fatal("got no error")
	}
}

func TestReceiptPDF(t *testing.T) {
	d := render(t, receipt(receiptData()))
	checkPage(t, d)
	checkText(t, d,
		"(2026/000123)Tj",
		"(Ricevuta di protocollo)Tj",
		"(Registration receipt)Tj",
		"(24/11/2026  09:40)Tj",
		"Istanza cambio di residenza \x97 gi\xe0", "(?)Tj", // the emoji cp1252 lacks
		"(D004)Tj",
		"(Sportello 6 \x97 Consegna rapida)Tj",
	)
	var a, b bytes.Buffer
	if err := ticketpdf.Receipt(&a, receiptData()); err != nil {
		t.Fatal(err)
	}
	if err := ticketpdf.Receipt(&b, receiptData()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two renderings of the same receipt differ")
	}
}

func TestInfoLine(t *testing.T) {
	for _, tc := range []struct{ name, md, want string }{
		{"empty", "", ""},
		{"plain first line", "\n\nSolo consegna di documenti già compilati.\nSecond line.", "Solo consegna di documenti già compilati."},
		{"bold title joins its first bullet", "**Cosa portare / What to bring**\n- documento d'identità\n- codice fiscale", "Cosa portare / What to bring: documento d'identità"},
		{"heading", "## Orari:\n* lunedì 9-12", "Orari: lunedì 9-12"},
		{"numbered list", "1. il modulo `A1` *firmato*", "il modulo A1 firmato"},
		{"link and escapes", "> Vedi [il sito](https://example.org) \\*prima\\* di venire __oggi__", "Vedi il sito *prima* di venire oggi"},
		{"long", strings.Repeat("parola ", 60), strings.TrimSpace(strings.Repeat("parola ", 22)) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ticketpdf.InfoLine(tc.md); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func FuzzInfoLine(f *testing.F) {
	f.Add("**Cosa portare**\n- documento")
	f.Add("[a](b) \\")
	f.Fuzz(func(t *testing.T, md string) {
		if got := ticketpdf.InfoLine(md); len([]rune(got)) > 160 {
			t.Fatalf("got %d runes", len([]rune(got)))
		}
	})
}
