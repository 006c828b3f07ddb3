package web_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"turno/server/web"
)

// pdfStart starts the demo office on Tuesday 24 November 2026 at 09:00 in
// Rome, a working day, with the given public URL for the QR codes.
func pdfStart(t *testing.T, publicURL string) *office {
	t.Helper()
	return start(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: tuesday("09:00")}, demo(t),
		func(o *web.Options) { o.PublicURL = publicURL })
}

// get fetches path with no token and reads the whole answer.
func (o *office) get(path string) (*http.Response, []byte) {
	o.t.Helper()
	resp, err := http.Get(o.http.URL + path)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		o.t.Fatal(err)
	}
	return resp, data
}

// pdf fetches a document and checks it is served as a PDF named filename.
// It returns the text of its content streams.
func (o *office) pdf(path, filename string) string {
	o.t.Helper()
	resp, body := o.get(path)
	if resp.StatusCode != 200 {
		o.t.Fatalf("GET %s: got %d %s, want 200", path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
		o.t.Errorf("GET %s: Content-Type %q, want application/pdf", path, ct)
	}
	want := `inline; filename="` + filename + `"`
	if cd := resp.Header.Get("Content-Disposition"); cd != want {
		o.t.Errorf("GET %s: Content-Disposition %q, want %q", path, cd, want)
	}
	if !bytes.HasPrefix(body, []byte("%PDF-")) {
		o.t.Fatalf("GET %s: no %%PDF header in %q", path, body[:min(len(body), 32)])
	}
	return pdfText(o.t, body)
}

// wantError checks a JSON error answer.
func (o *office) wantError(path string, status int, code string) {
	o.t.Helper()
	resp, body := o.get(path)
	if resp.StatusCode != status || errorCode(o.t, body) != code {
		o.t.Errorf("GET %s: got %d %s, want %d with error code %q", path, resp.StatusCode, body, status, code)
	}
}

var pdfStreamRE = regexp.MustCompile(`(?s)<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)

// pdfText inflates the page content streams of a PDF made by fpdf.
func pdfText(t testing.TB, data []byte) string {
	t.Helper()
	var text strings.Builder
	for _, m := range pdfStreamRE.FindAllSubmatchIndex(data, -1) {
		r, err := zlib.NewReader(bytes.NewReader(data[m[1]:]))
		if err != nil {
			t.Fatalf("inflate: %v", err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("inflate: %v", err)
		}
		text.Write(b)
	}
	return text.String()
}

func pdfWant(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF lacks %q", s)
		}
	}
}

func TestTicketPDFEndpoint(t *testing.T) {
	o := pdfStart(t, "")
	a1 := o.issue("anagrafe", false)
	a2 := o.issue("anagrafe", false)
	text := o.pdf("/api/v1/tickets/"+a2.ID+"/ticket.pdf", "ticket-A002.pdf")
	pdfWant(t, text,
		"(A002)Tj",
		"(Anagrafe e stato civile)Tj",
		"(24/11/2026  09:00)Tj",
		"(Persone in attesa prima di lei: 1)Tj",
		"(Cosa portare / What to bring: documento d'identit\xe0", // from the service's sheet
		"("+o.http.URL+"/t/"+a2.ID+")Tj",                         // the QR's URL, from the request
	)

	// Once A001 is called, its ticket says where to go and A002 is next.
	mario := o.token("mario")
	o.mustDo(mario, "POST", "/api/v1/counters/1/open", map[string]any{"services": []string{"anagrafe"}}, 200, nil)
	o.mustDo(mario, "POST", "/api/v1/counters/1/next", nil, 200, nil)
	called := o.pdf("/api/v1/tickets/"+a1.ID+"/ticket.pdf", "ticket-A001.pdf")
	pdfWant(t, called, "(Si rechi a: Sportello 1)Tj")
	if strings.Contains(called, "Persone in attesa") {
		t.Error("a called ticket shows a wait")
	}
	next := o.pdf("/api/v1/tickets/"+a2.ID+"/ticket.pdf", "ticket-A002.pdf")
	pdfWant(t, next, "(Persone in attesa prima di lei: 0)Tj")

	// A past day's ticket comes from the store, without a place in a queue.
	o.clock.Add(24 * time.Hour)
	past := o.pdf("/api/v1/tickets/"+a2.ID+"/ticket.pdf", "ticket-A002.pdf")
	pdfWant(t, past, "(A002)Tj", "(24/11/2026  09:00)Tj")
	if strings.Contains(past, "Persone in attesa") {
		t.Error("a past day's ticket shows a wait")
	}
}

func TestTicketPDFUsesThePublicURL(t *testing.T) {
	o := pdfStart(t, "http://192.168.1.10:8080/")
	tk := o.issue("tributi", false)
	text := o.pdf("/api/v1/tickets/"+tk.ID+"/ticket.pdf", "ticket-T001.pdf")
	pdfWant(t, text, "(http://192.168.1.10:8080/t/"+tk.ID+")Tj")
}

func TestTicketPDFUnknownTickets(t *testing.T) {
	o := pdfStart(t, "")
	tk := o.issue("anagrafe", false)
	for _, id := range []string{"nothex", "A001", strings.Repeat("0", 32), strings.ToUpper(tk.ID), tk.ID + "0"} {
		for _, doc := range []string{"ticket.pdf", "receipt.pdf"} {
			o.wantError("/api/v1/tickets/"+id+"/"+doc, 404, "unknown_ticket")
		}
	}
}

func TestReceiptPDFEndpoint(t *testing.T) {
	o := pdfStart(t, "")
	d := o.issue("documenti", false)
	path := "/api/v1/tickets/" + d.ID + "/receipt.pdf"
	o.wantError(path, 409, "not_registered")

	luca := o.token("luca")
	o.mustDo(luca, "POST", "/api/v1/counters/6/open", map[string]any{"services": []string{"documenti"}}, 200, nil)
	o.mustDo(luca, "POST", "/api/v1/counters/6/next", nil, 200, nil)
	o.clock.Add(2 * time.Minute)
	var res struct{ Ticket struct{ Protocol string } }
	o.mustDo(luca, "POST", "/api/v1/counters/6/register", map[string]any{"document": "Istanza cambio di residenza — già firmata"}, 200, &res)
	if res.Ticket.Protocol != "2026/000001" {
		t.Fatalf("got protocol %q, want 2026/000001", res.Ticket.Protocol)
	}
	text := o.pdf(path, "receipt-2026-000001.pdf")
	pdfWant(t, text,
		"(2026/000001)Tj",
		"(Ricevuta di protocollo)Tj",
		"Istanza cambio di residenza \x97 gi\xe0",
		"(D001)Tj",
		"(Sportello 6 \x97 Consegna rapida)Tj",
		"(24/11/2026  09:02)Tj", // when it was registered, not called
		"("+o.http.URL+"/t/"+d.ID+")Tj",
	)
	// The ticket's own PDF is still there too.
	o.pdf("/api/v1/tickets/"+d.ID+"/ticket.pdf", "ticket-D001.pdf")
}

// The printed times are the office's, whatever zone the server's clock and
// the stored times carry: here the clock runs in UTC, an hour behind Rome,
// as a server on a machine set to UTC does.
func TestPDFsPrintTheOfficesTime(t *testing.T) {
	o := start(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: tuesday("09:00").UTC()}, demo(t))
	d := o.issue("documenti", false)
	pdfWant(t, o.pdf("/api/v1/tickets/"+d.ID+"/ticket.pdf", "ticket-D001.pdf"), "(24/11/2026  09:00)Tj")
	luca := o.token("luca")
	o.mustDo(luca, "POST", "/api/v1/counters/6/open", map[string]any{"services": []string{"documenti"}}, 200, nil)
	o.mustDo(luca, "POST", "/api/v1/counters/6/next", nil, 200, nil)
	o.mustDo(luca, "POST", "/api/v1/counters/6/register", map[string]any{"document": "Istanza"}, 200, nil)
	pdfWant(t, o.pdf("/api/v1/tickets/"+d.ID+"/receipt.pdf", "receipt-2026-000001.pdf"), "(24/11/2026  09:00)Tj")
	// A past day's ticket, read back from the store.
	o.clock.Add(24 * time.Hour)
	pdfWant(t, o.pdf("/api/v1/tickets/"+d.ID+"/ticket.pdf", "ticket-D001.pdf"), "(24/11/2026  09:00)Tj")
}
