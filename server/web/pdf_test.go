package web_test

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/live"
	"turno/server/store"
	"turno/server/web"
)

// The helpers here are prefixed pdf: this file shares package web_test
// with the other API tests.

type pdfClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *pdfClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *pdfClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// pdfOffice is a real server on a real bbolt file, over real HTTP.
type pdfOffice struct {
	t     *testing.T
	clock *pdfClock
	url   string
}

// pdfStart starts the demo office on Tuesday 24 November 2026 at 09:00 in
// Rome, a working day.
func pdfStart(t *testing.T, publicURL string) *pdfOffice {
	t.Helper()
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	clk := &pdfClock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, rome)}
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "turno.db"))
	if err != nil {
		t.Fatal(err)
	}
	lo, err := live.Open(&cfg.Office, db, live.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	api, err := web.New(web.Options{Config: cfg, Office: lo, Store: db, Now: clk.Now, PublicURL: publicURL})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	t.Cleanup(func() {
		srv.Close()
		lo.Close()
		db.Close()
	})
	return &pdfOffice{t: t, clock: clk, url: srv.URL}
}

// pdfResponse is a response read whole.
type pdfResponse struct {
	status int
	header http.Header
	body   []byte
}

func (o *pdfOffice) do(token, method, path string, body any) pdfResponse {
	o.t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			o.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, o.url+path, r)
	if err != nil {
		o.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		o.t.Fatal(err)
	}
	return pdfResponse{resp.StatusCode, resp.Header, data}
}

// mustDo sends a JSON request, wants status and decodes the answer into out.
func (o *pdfOffice) mustDo(token, method, path string, body any, status int, out any) {
	o.t.Helper()
	resp := o.do(token, method, path, body)
	if resp.status != status {
		o.t.Fatalf("%s %s: got %d %s, want %d", method, path, resp.status, resp.body, status)
	}
	if out != nil {
		if err := json.Unmarshal(resp.body, out); err != nil {
			o.t.Fatalf("%s %s: %v in %s", method, path, err, resp.body)
		}
	}
}

type pdfTicket struct {
	ID, Number string
}

func (o *pdfOffice) issue(service string) pdfTicket {
	o.t.Helper()
	var tk pdfTicket
	o.mustDo("demo-kiosk-token", "POST", "/api/v1/tickets", map[string]any{"service": service}, 201, &tk)
	return tk
}

// login logs a demo user in (password "demo").
func (o *pdfOffice) login(user string) string {
	o.t.Helper()
	var resp struct{ Token string }
	o.mustDo("", "POST", "/api/v1/login", map[string]string{"user": user, "password": "demo"}, 200, &resp)
	return resp.Token
}

// pdf fetches a document and checks it is served as a PDF named filename.
// It returns the text of its content streams.
func (o *pdfOffice) pdf(path, filename string) string {
	o.t.Helper()
	resp := o.do("", "GET", path, nil)
	if resp.status != 200 {
		o.t.Fatalf("GET %s: got %d %s, want 200", path, resp.status, resp.body)
	}
	if ct := resp.header.Get("Content-Type"); ct != "application/pdf" {
		o.t.Errorf("GET %s: Content-Type %q, want application/pdf", path, ct)
	}
	want := `inline; filename="` + filename + `"`
	if cd := resp.header.Get("Content-Disposition"); cd != want {
		o.t.Errorf("GET %s: Content-Disposition %q, want %q", path, cd, want)
	}
	if !bytes.HasPrefix(resp.body, []byte("%PDF-")) {
		o.t.Fatalf("GET %s: no %%PDF header in %q", path, resp.body[:min(len(resp.body), 32)])
	}
	return pdfText(o.t, resp.body)
}

// wantError checks a JSON error answer.
func (o *pdfOffice) wantError(path string, status int, code string) {
	o.t.Helper()
	resp := o.do("", "GET", path, nil)
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(resp.body, &body); err != nil || resp.status != status || body.Error.Code != code || body.Error.Message == "" {
		o.t.Errorf("GET %s: got %d %s, want %d with error code %q", path, resp.status, resp.body, status, code)
	}
}

var pdfStreamRE = regexp.MustCompile(`(?s)<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)

// pdfText inflates the page content streams of a PDF made by fpdf.
func pdfText(t *testing.T, data []byte) string {
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
	a1 := o.issue("anagrafe")
	a2 := o.issue("anagrafe")
	text := o.pdf("/api/v1/tickets/"+a2.ID+"/ticket.pdf", "ticket-A002.pdf")
	pdfWant(t, text,
		"(A002)Tj",
		"(Anagrafe e stato civile)Tj",
		"(24/11/2026  09:00)Tj",
		"(Persone in attesa prima di lei: 1)Tj",
		"(Cosa portare / What to bring: documento d'identit\xe0", // from the service's sheet
		"("+o.url+"/t/"+a2.ID+")Tj",                              // the QR's URL, from the request
	)

	// Once A001 is called, its ticket says where to go and A002 is next.
	mario := o.login("mario")
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
	tk := o.issue("tributi")
	text := o.pdf("/api/v1/tickets/"+tk.ID+"/ticket.pdf", "ticket-T001.pdf")
	pdfWant(t, text, "(http://192.168.1.10:8080/t/"+tk.ID+")Tj")
}

func TestTicketPDFUnknownTickets(t *testing.T) {
	o := pdfStart(t, "")
	tk := o.issue("anagrafe")
	for _, id := range []string{"nothex", "A001", strings.Repeat("0", 32), strings.ToUpper(tk.ID), tk.ID + "0"} {
		for _, doc := range []string{"ticket.pdf", "receipt.pdf"} {
			o.wantError("/api/v1/tickets/"+id+"/"+doc, 404, "unknown_ticket")
		}
	}
}

func TestReceiptPDFEndpoint(t *testing.T) {
	o := pdfStart(t, "")
	d := o.issue("documenti")
	path := "/api/v1/tickets/" + d.ID + "/receipt.pdf"
	o.wantError(path, 409, "not_registered")

	luca := o.login("luca")
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
		"("+o.url+"/t/"+d.ID+")Tj",
	)
	// The ticket's own PDF is still there too.
	o.pdf("/api/v1/tickets/"+d.ID+"/ticket.pdf", "ticket-D001.pdf")
}
