package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"turno/server/config"
	"turno/server/queue"
	"turno/server/web"
)

// sentMessage is a message a test sender was asked to deliver.
type sentMessage struct{ to, subject, body string }

// testSender records the one-time codes the booking page sends; fail makes
// it refuse.
type testSender struct {
	mu   sync.Mutex
	sent []sentMessage
	fail bool
}

func (s *testSender) Send(_ context.Context, to, subject, body string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return fmt.Errorf("the gateway is down")
	}
	s.sent = append(s.sent, sentMessage{to, subject, body})
	return nil
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode returns the code of the last message sent to contact.
func (s *testSender) lastCode(t *testing.T, contact string) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.sent) - 1; i >= 0; i-- {
		if s.sent[i].to == contact {
			if code := sixDigits.FindString(s.sent[i].body); code != "" {
				return code
			}
		}
	}
	t.Fatalf("no code sent to %s in %+v", contact, s.sent)
	return ""
}

func (s *testSender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// bookingOffice is the demo office for the booking page: bookings per
// hour and contact verification as the test sets them, a test sender, and
// the server's log kept.
type bookingOffice struct {
	*office
	sender *testSender
	log    *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newBookingOffice(t *testing.T, now time.Time, adjust func(*config.Config), opts ...func(*web.Options)) *bookingOffice {
	t.Helper()
	cfg := demo(t)
	cfg.WebBookingsPerHour = 100
	if adjust != nil {
		adjust(cfg)
	}
	sender, log := &testSender{}, &syncBuffer{}
	o := start(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: now}, cfg, append([]func(*web.Options){func(opt *web.Options) {
		opt.Sender = sender
		opt.Logger = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}}, opts...)...)
	return &bookingOffice{office: o, sender: sender, log: log}
}

// citizenBrowser is a citizen's browser: its own cookies, its language, and no
// automatic redirects, so each answer can be looked at.
type citizenBrowser struct {
	t      *testing.T
	base   string
	client *http.Client
	lang   string
	header http.Header // extra headers on every request
}

func (o *bookingOffice) browser(lang string) *citizenBrowser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		o.t.Fatal(err)
	}
	return &citizenBrowser{t: o.t.(*testing.T), base: o.http.URL, lang: lang, header: http.Header{},
		client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// answer is a page as the browser received it.
type answer struct {
	status   int
	header   http.Header
	body     string
	location string
}

func (b *citizenBrowser) do(method, path string, form url.Values) answer {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept-Language", b.lang)
	if form != nil {
		// As Chromium sends a form from a page whose policy is no-referrer.
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "null")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for k, vs := range b.header {
		req.Header[k] = vs
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: string(data), location: resp.Header.Get("Location")}
}

func (b *citizenBrowser) get(path string) answer { b.t.Helper(); return b.do("GET", path, nil) }

func (b *citizenBrowser) post(path string, form url.Values) answer {
	b.t.Helper()
	return b.do("POST", path, form)
}

// must checks an answer's status and that its page says each of want.
func (a answer) must(t *testing.T, status int, want ...string) answer {
	t.Helper()
	if a.status != status {
		t.Fatalf("got status %d, want %d; page:\n%s", a.status, status, a.body)
	}
	for _, w := range want {
		if !strings.Contains(a.body, w) {
			t.Fatalf("page lacks %q:\n%s", w, a.body)
		}
	}
	return a
}

var (
	hrefRE     = regexp.MustCompile(`href="([^"]*)"`)
	inputRE    = regexp.MustCompile(`<input[^>]*>`)
	attrRE     = regexp.MustCompile(`\s([a-z-]+)="([^"]*)"`)
	textareaRE = regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>`)
	formRE     = regexp.MustCompile(`(?s)<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>`)
)

// link returns the first link whose address contains part.
func (a answer) link(t *testing.T, part string) string {
	t.Helper()
	for _, m := range hrefRE.FindAllStringSubmatch(a.body, -1) {
		if h := html.UnescapeString(m[1]); strings.Contains(h, part) {
			return h
		}
	}
	t.Fatalf("no link with %q in:\n%s", part, a.body)
	return ""
}

// form returns the page's first form: its action and the values it would
// send (text fields, hidden fields, checked radios, text areas).
func (a answer) form(t *testing.T) (string, url.Values) {
	t.Helper()
	m := formRE.FindStringSubmatch(a.body)
	if m == nil {
		t.Fatalf("no form in:\n%s", a.body)
	}
	vals := url.Values{}
	for _, tag := range inputRE.FindAllString(m[2], -1) {
		attrs := map[string]string{}
		for _, am := range attrRE.FindAllStringSubmatch(tag, -1) {
			attrs[am[1]] = html.UnescapeString(am[2])
		}
		if attrs["name"] == "" || (attrs["type"] == "radio" && !strings.Contains(tag, " checked")) {
			continue
		}
		vals.Set(attrs["name"], attrs["value"])
	}
	for _, tm := range textareaRE.FindAllStringSubmatch(m[2], -1) {
		vals.Set(tm[1], html.UnescapeString(tm[2]))
	}
	return html.UnescapeString(m[1]), vals
}

// bookingID returns the id in a booking page's address.
func bookingID(t *testing.T, location string) string {
	t.Helper()
	m := regexp.MustCompile(`^/prenota/b/([0-9a-f]{32})\?`).FindStringSubmatch(location)
	if m == nil {
		t.Fatalf("not a booking page's address: %q", location)
	}
	return m[1]
}

// openForm walks from /prenota to the form of a service's slot (day
// YYYY-MM-DD, time HH:MM), as a citizen clicks through.
func (b *citizenBrowser) openForm(service, day, hhmm string) answer {
	b.t.Helper()
	page := b.get("/prenota").must(b.t, 200)
	page = b.get(page.link(b.t, "service="+service)).must(b.t, 200)
	page = b.get(page.link(b.t, "day="+day)).must(b.t, 200)
	slot, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, rome)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.get(page.link(b.t, fmt.Sprintf("slot=%d", slot.Unix()))).must(b.t, 200, `name="token"`)
}

// book fills the form on page and sends it.
func (b *citizenBrowser) book(page answer, name, contact, note string) answer {
	b.t.Helper()
	action, vals := page.form(b.t)
	vals.Set("name", name)
	vals.Set("contact", contact)
	vals.Set("note", note)
	return b.post(action, vals)
}

// agenda returns a day's bookings as the office holds them, without the
// cost of a staff login (the API's own tests cover it).
func (o *bookingOffice) agenda(day string) []queue.Booking {
	o.t.Helper()
	var list []queue.Booking
	if _, err := o.live.Do(context.Background(), nil, func(_ time.Time, st *queue.Office) { list = st.Bookings(day) }); err != nil {
		o.t.Fatal(err)
	}
	return list
}

// staffBookings lists a day's bookings through the staff API.
func (o *bookingOffice) staffBookings(day string) []bookingJSON {
	o.t.Helper()
	var list struct{ Bookings []bookingJSON }
	o.mustDo(o.token("anna"), "GET", "/api/v1/bookings?day="+day, nil, 200, &list)
	return list.Bookings
}

func TestCitizenBooksAnAppointmentFromThePage(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	b := o.browser("it-IT,it;q=0.9,en;q=0.5")

	// 1. The services, with their information sheets, and the page's
	// headers.
	page := b.get("/prenota").must(t, 200, `<html lang="it">`, "Prenoti un appuntamento", "Anagrafe e stato civile",
		"Tributi (IMU, TARI)", "Servizi sociali", "Consegna documenti e protocollo",
		"<strong>Cosa portare / What to bring</strong>", "<li>codice fiscale / tax code card</li>",
		"Primo orario libero: oggi, martedì 24 novembre alle 11:00", "Passo 1 di 4")
	for h, want := range map[string]string{
		"Content-Type": "text/html; charset=utf-8", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
		"X-Frame-Options": "DENY",
	} {
		if got := page.header.Get(h); got != want {
			t.Errorf("%s: got %q, want %q", h, got, want)
		}
	}
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}

	// 2. The days with free slots (from the notice: 11:00 today), then the
	// day's free slots.
	page = b.get(page.link(t, "service=anagrafe")).must(t, 200, "Scelga il giorno", "Oggi, martedì 24 novembre"[1:],
		"Si prenota con almeno 2 ore di anticipo e fino a 30 giorni prima.")
	page = b.get(page.link(t, "day=2026-11-24")).must(t, 200, "Scelga l&#39;orario", ">11:00<", ">16:45<")
	if strings.Contains(page.body, ">10:45<") {
		t.Fatal("a slot within the two hours' notice is offered")
	}

	// 3. The form, then the booking.
	page = b.get(page.link(t, fmt.Sprintf("slot=%d", tuesday("11:00").Unix()))).must(t, 200, "I Suoi dati",
		"dalle 11:00 alle 11:15", `<label for="name">Nome e cognome</label>`, `autocomplete="name"`)
	if cc := page.header.Get("Cache-Control"); strings.Contains(cc, "no-store") {
		t.Errorf("the form's Cache-Control %q keeps the back button from showing the same form", cc)
	}
	done := b.book(page, "Maria Rossi", "Maria.Rossi@Example.org", "cambio di residenza <urgente>")
	if done.status != http.StatusSeeOther {
		t.Fatalf("got %d, want 303:\n%s", done.status, done.body)
	}
	id := bookingID(t, done.location)

	// 4. The confirmation.
	page = b.get(done.location).must(t, 200, "Prenotazione confermata", "La Sua prenotazione", "martedì 24 novembre 2026",
		"dalle 11:00 alle 11:15", "Maria Rossi", "Anagrafe e stato civile", `src="/prenota/b/`+id+`/qr.png"`,
		"booking.pdf?lang=it&amp;paper=a4", "paper=80mm", "booking.ics", o.http.URL+"/prenota/b/"+id,
		"Dalle 10:45 alle 11:10, al totem scelga «Ho una prenotazione»", "Annulli la prenotazione")
	code := regexp.MustCompile(`<p class="code"[^>]*>([A-Z0-9]{3}-[A-Z0-9]{3})</p>`).FindStringSubmatch(page.body)
	if code == nil {
		t.Fatalf("no code ABC-DEF on the page:\n%s", page.body)
	}
	if page.header.Get("Referrer-Policy") != "no-referrer" || page.header.Get("Cache-Control") != "no-store" {
		t.Errorf("booking page headers: %v", page.header)
	}

	// Staff see it, booked from the web with the contact as the domain
	// keeps it.
	list := o.staffBookings("2026-11-24")
	if len(list) != 1 || list[0].ID != id || list[0].Code != strings.ReplaceAll(code[1], "-", "") || list[0].Name != "Maria Rossi" ||
		list[0].Contact != "maria.rossi@example.org" || list[0].State != "booked" || !list[0].Slot.Equal(tuesday("11:00")) {
		t.Fatalf("got %+v", list)
	}
	var full struct{ Channel, Note string }
	o.mustDo(o.token("anna"), "GET", "/api/v1/bookings/"+id, nil, 200, &full)
	if full.Channel != "web" || full.Note != "cambio di residenza <urgente>" {
		t.Fatalf("got %+v", full)
	}

	// The QR code is the booking's own address.
	qr := b.get("/prenota/b/" + id + "/qr.png")
	if qr.status != 200 || qr.header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR: %d %v", qr.status, qr.header)
	}
	if _, err := png.Decode(strings.NewReader(qr.body)); err != nil {
		t.Fatal(err)
	}
	want, err := qrcode.Encode(o.http.URL+"/prenota/b/"+id, qrcode.Medium, 320)
	if err != nil {
		t.Fatal(err)
	}
	if qr.body != string(want) {
		t.Error("the QR code is not the booking's address")
	}
}

func TestBookingConfirmationPDFAndCalendar(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	b := o.browser("en-GB,en;q=0.8")
	done := b.book(b.openForm("sociali", "2026-11-26", "09:30"), "Giuseppe Verdi", "", "")
	id := bookingID(t, done.location)
	page := b.get(done.location).must(t, 200, "Booking confirmed", "Thursday 26 November 2026", "from 09:30 to 10:00", "Social services")
	code := regexp.MustCompile(`[A-Z0-9]{3}-[A-Z0-9]{3}`).FindString(page.body[strings.Index(page.body, `class="code"`):])

	for _, paper := range []string{"a4", "80mm"} {
		t.Run("pdf "+paper, func(t *testing.T) {
			pdf := b.get("/prenota/b/" + id + "/booking.pdf?paper=" + paper)
			if pdf.status != 200 || pdf.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.body, "%PDF-") {
				t.Fatalf("got %d %v %q", pdf.status, pdf.header, pdf.body[:min(20, len(pdf.body))])
			}
			text := pdftotext(t, []byte(pdf.body))
			for _, want := range []string{code, "Servizi sociali", "Social services", "giovedì 26 novembre 2026", "ore 09:30 – 10:00",
				"Giuseppe Verdi", "ISEE in corso di validità", "annulli la prenotazione", "/prenota/b/" + id} {
				if !strings.Contains(text, want) {
					t.Errorf("the PDF lacks %q:\n%s", want, text)
				}
			}
		})
	}
	b.get("/prenota/b/"+id+"/booking.pdf?paper=letter").must(t, 400, "Invalid request")

	t.Run("ics", func(t *testing.T) {
		ics := b.get("/prenota/b/" + id + "/booking.ics")
		if ics.status != 200 || ics.header.Get("Content-Type") != "text/calendar; charset=utf-8" ||
			!strings.Contains(ics.header.Get("Content-Disposition"), ".ics") {
			t.Fatalf("got %d %v", ics.status, ics.header)
		}
		host := strings.TrimPrefix(o.http.URL, "http://")
		host = host[:strings.LastIndexByte(host, ':')]
		ev := parseICS(t, ics.body)
		for k, want := range map[string]string{
			"UID":      id + "@" + host,
			"DTSTART":  "20261126T083000Z", // 09:30 in Rome
			"DTEND":    "20261126T090000Z",
			"DTSTAMP":  "20261124T080000Z",
			"SUMMARY":  "Appointment: Social services",
			"LOCATION": `Comune di Borgo Demo — Sportello polifunzionale`,
			"STATUS":   "CONFIRMED",
			"URL":      o.http.URL + "/prenota/b/" + id,
		} {
			if got := ev[k]; got != want {
				t.Errorf("%s: got %q, want %q", k, got, want)
			}
		}
		if !strings.Contains(ev["DESCRIPTION"], `Booking code: `+code+`\n`) || !strings.Contains(ev["DESCRIPTION"], `ISEE in corso di validità / a valid ISEE statement`) {
			t.Errorf("DESCRIPTION %q", ev["DESCRIPTION"])
		}
	})
}

// parseICS checks an iCalendar file's structure (CRLF lines of at most 75
// octets, folded lines, BEGIN/END nesting, the properties an event
// needs) and returns its VEVENT's properties, unfolded.
func parseICS(t *testing.T, s string) map[string]string {
	t.Helper()
	if !strings.HasSuffix(s, "\r\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
		t.Fatalf("lines must end with CRLF: %q", s)
	}
	raw := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var lines []string
	for _, l := range raw {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if strings.HasPrefix(l, " ") {
			if len(lines) == 0 {
				t.Fatal("the file starts with a continuation")
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	var stack []string
	ev := map[string]string{}
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("not a content line: %q", l)
		}
		switch name {
		case "BEGIN":
			stack = append(stack, value)
		case "END":
			if len(stack) == 0 || stack[len(stack)-1] != value {
				t.Fatalf("END:%s closes %v", value, stack)
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) == 2 && stack[1] == "VEVENT" {
				ev[name] = value
			}
		}
	}
	if len(stack) != 0 || lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Fatalf("unbalanced: %v", lines)
	}
	for _, p := range []string{"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} {
		if ev[p] == "" {
			t.Errorf("the event lacks %s", p)
		}
	}
	for _, p := range []string{"DTSTART", "DTEND", "DTSTAMP"} {
		if _, err := time.Parse("20060102T150405Z", ev[p]); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if !strings.Contains(s, "VERSION:2.0\r\n") || !strings.Contains(s, "PRODID:") {
		t.Error("no VERSION or PRODID")
	}
	return ev
}

// pdftotext is the text poppler's pdftotext reads in a PDF, or the test is skipped
// without poppler-utils.
func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("no pdftotext: install the Debian package poppler-utils (make deps) to read the PDF's text")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestBookingFormSentAgainGivesTheSameBooking(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), func(c *config.Config) { c.WebBookingsPerHour = 1 })
	b := o.browser("it")
	form := b.openForm("tributi", "2026-11-25", "10:00")
	first := b.book(form, "Anna Bianchi", "", "")
	id := bookingID(t, first.location)

	// Sent again (a retry, the back button and send): the same booking,
	// and the address's one booking an hour is not spent twice.
	again := b.book(form, "Anna Bianchi", "", "")
	if again.status != http.StatusSeeOther || bookingID(t, again.location) != id {
		t.Fatalf("got %d %q, want the same booking %s", again.status, again.location, id)
	}
	// A double click: the same form sent five times at once.
	form2 := b.openForm("tributi", "2026-11-25", "10:15")
	o.clock.Add(2 * time.Hour) // the address may book again
	var wg sync.WaitGroup
	locations := make([]string, 5)
	for i := range locations {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := b.book(form2, "Anna Bianchi", "", "")
			if a.status != http.StatusSeeOther {
				t.Errorf("click %d: got %d:\n%s", i, a.status, a.body)
			}
			locations[i] = a.location
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, l := range locations {
		if l != locations[0] {
			t.Fatalf("five clicks gave %v", locations)
		}
	}
	if list := o.agenda("2026-11-25"); len(list) != 2 {
		t.Fatalf("got %d bookings, want 2: %+v", len(list), list)
	}
}

func TestSlotTakenBetweenThePageAndTheSubmit(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	b := o.browser("it")
	form := b.openForm("anagrafe", "2026-11-25", "09:00")
	// Meanwhile a clerk books that slot for a caller.
	o.book("mario", map[string]any{"service": "anagrafe", "slot": time.Date(2026, 11, 25, 9, 0, 0, 0, rome), "name": "Al telefono", "channel": "phone"}, 201)

	page := b.book(form, "Luigi Neri", "+39 333 1234567", "una nota").must(t, http.StatusConflict,
		"Orario non più disponibile", "L&#39;orario delle 09:00 è appena stato prenotato da un&#39;altra persona.",
		"dalle 09:15 alle 09:30", `value="Luigi Neri"`, `value="una nota"`)
	if strings.Contains(page.body, "dalle 09:00 alle 09:15") {
		t.Fatal("the taken slot is offered again")
	}
	if list := o.agenda("2026-11-25"); len(list) != 1 {
		t.Fatalf("the refusal booked something: %+v", list)
	}
	// The next free slot is chosen; sending books it with the details
	// kept.
	action, vals := page.form(t)
	if vals.Get("slot") != fmt.Sprint(time.Date(2026, 11, 25, 9, 15, 0, 0, rome).Unix()) {
		t.Fatalf("the next free slot is not chosen: %v", vals)
	}
	done := b.post(action, vals)
	id := bookingID(t, done.location)
	b.get(done.location).must(t, 200, "dalle 09:15 alle 09:30", "Luigi Neri")
	list := o.agenda("2026-11-25")
	if len(list) != 2 || list[1].ID != id || list[1].Contact != "+393331234567" {
		t.Fatalf("got %+v", list)
	}

	// A slot gone from the page's list (taken before the form opened).
	b.get(fmt.Sprintf("/prenota?service=anagrafe&day=2026-11-25&slot=%d&lang=it", time.Date(2026, 11, 25, 9, 0, 0, 0, rome).Unix())).
		must(t, http.StatusConflict, "Scelga l&#39;orario", "appena stato prenotato")
}

func TestWebBookingsPerAddressAreLimited(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), func(c *config.Config) { c.WebBookingsPerHour = 2 })
	b := o.browser("en")
	b.header.Set("X-Forwarded-For", "203.0.113.7") // not a trusted proxy: changes nothing
	for _, hhmm := range []string{"09:00", "09:15"} {
		if a := b.book(b.openForm("anagrafe", "2026-11-25", hhmm), "Citizen "+hhmm, "", ""); a.status != http.StatusSeeOther {
			t.Fatalf("%s: got %d:\n%s", hhmm, a.status, a.body)
		}
	}
	// Another browser at the same address: the third booking of the hour.
	other := o.browser("en")
	o.clock.Add(30 * time.Minute)
	form := other.openForm("anagrafe", "2026-11-25", "09:30")
	other.book(form, "Citizen 3", "", "").must(t, http.StatusTooManyRequests, "Too many requests",
		"2 bookings have been made from this connection in the last hour, the most allowed. Please try again after 10:00")
	if list := o.agenda("2026-11-25"); len(list) != 2 {
		t.Fatalf("got %d bookings, want 2", len(list))
	}
	// An hour after the first, the same form books.
	o.clock.Add(31 * time.Minute)
	if a := other.book(form, "Citizen 3", "", ""); a.status != http.StatusSeeOther {
		t.Fatalf("got %d:\n%s", a.status, a.body)
	}
}

// Behind a trusted reverse proxy each client has its own budget, named by
// X-Forwarded-For.
func TestWebBookingsPerAddressBehindAProxy(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), func(c *config.Config) { c.WebBookingsPerHour = 1 },
		func(opt *web.Options) { opt.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	first, second := o.browser("en"), o.browser("en")
	first.header.Set("X-Forwarded-For", "203.0.113.7")
	second.header.Set("X-Forwarded-For", "198.51.100.20")
	for i, b := range []*citizenBrowser{first, second} {
		if a := b.book(b.openForm("anagrafe", "2026-11-25", []string{"09:00", "09:15"}[i]), "Citizen", "", ""); a.status != http.StatusSeeOther {
			t.Fatalf("client %d: got %d:\n%s", i, a.status, a.body)
		}
	}
	first.book(first.openForm("anagrafe", "2026-11-25", "09:30"), "Citizen", "", "").must(t, http.StatusTooManyRequests,
		"A booking has already been made from this connection in the last hour")
}

func TestOneTimeCodeConfirmsTheContact(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), func(c *config.Config) { c.VerifyContact = true })
	b := o.browser("it")
	form := b.openForm("anagrafe", "2026-11-25", "10:00").must(t, 200, "Passo 4 di 5", "Le invieremo un codice di 6 cifre", "Mi invii il codice")

	// A contact is required.
	b.book(form, "Maria Rossi", "", "").must(t, http.StatusBadRequest, "Scriva un indirizzo e-mail o un numero di telefono", `aria-invalid="true"`)
	if o.sender.count() != 0 {
		t.Fatal("a code was sent without a contact")
	}

	// The code is sent, and asked for.
	page := b.book(form, "Maria Rossi", "maria@example.org", "").must(t, 200, "Inserisca il codice",
		"Abbiamo inviato un codice di 6 cifre a maria@example.org. Lo inserisca qui sotto entro le 09:10.", `autocomplete="one-time-code"`)
	code := o.sender.lastCode(t, "maria@example.org")
	action, vals := page.form(t)
	vals.Set("action", "verify")

	// Wrong codes count down; nothing is booked.
	wrong := fmt.Sprintf("%06d", (atoi(code)+1)%1000000)
	vals.Set("code", wrong)
	page = b.post(action, vals).must(t, http.StatusBadRequest, "Il codice non è corretto. Le restano 4 tentativi.")
	vals.Set("code", "12a")
	b.post(action, vals).must(t, http.StatusBadRequest, "Il codice è di 6 cifre.")
	if list := o.agenda("2026-11-25"); len(list) != 0 {
		t.Fatalf("booked with a wrong code: %+v", list)
	}
	// The right one books.
	_, vals = page.form(t)
	vals.Set("action", "verify")
	vals.Set("code", code[:3]+" "+code[3:]) // as typed from an SMS
	done := b.post(action, vals)
	id := bookingID(t, done.location)
	b.get(done.location).must(t, 200, "Prenotazione confermata")
	if list := o.agenda("2026-11-25"); len(list) != 1 || list[0].ID != id || list[0].Contact != "maria@example.org" {
		t.Fatalf("got %+v", list)
	}
	// The code is in the outbox only, never in the server's log.
	if strings.Contains(o.log.String(), code) {
		t.Fatalf("the code %s is in the log:\n%s", code, o.log.String())
	}
	msg := o.sender.sent[0]
	if msg.subject != "Codice di verifica" || !strings.Contains(msg.body, "Comune di Borgo Demo — Sportello polifunzionale: il Suo codice per confermare la prenotazione è "+code) {
		t.Fatalf("got %+v", msg)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestOneTimeCodeExpiresAndLocks(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), func(c *config.Config) { c.VerifyContact = true })
	b := o.browser("en")
	send := func(hhmm, contact string) (string, url.Values) {
		t.Helper()
		page := b.book(b.openForm("tributi", "2026-11-25", hhmm), "Paolo Gialli", contact, "").must(t, 200, "Enter the code")
		action, vals := page.form(t)
		vals.Set("action", "verify")
		return action, vals
	}

	t.Run("expired", func(t *testing.T) {
		action, vals := send("10:00", "+39 347 000 1111")
		code := o.sender.lastCode(t, "+393470001111")
		o.clock.Add(10*time.Minute + time.Second)
		vals.Set("code", code)
		page := b.post(action, vals).must(t, http.StatusBadRequest, "The code has expired. Please ask for a new code.", "Send me a new code")
		if strings.Contains(page.body, `id="code"`) {
			t.Error("an expired code's page still asks for it")
		}
		// A new code for the same form books.
		_, vals = page.form(t)
		vals.Set("action", "resend")
		page = b.post(action, vals).must(t, 200, "We sent a 6-digit code to &#43;39 347 000 1111")
		_, vals = page.form(t)
		vals.Set("action", "verify")
		vals.Set("code", o.sender.lastCode(t, "+393470001111"))
		if done := b.post(action, vals); done.status != http.StatusSeeOther {
			t.Fatalf("got %d:\n%s", done.status, done.body)
		}
	})

	t.Run("five wrong attempts", func(t *testing.T) {
		action, vals := send("10:15", "paolo@example.org")
		code := o.sender.lastCode(t, "paolo@example.org")
		vals.Set("code", fmt.Sprintf("%06d", (atoi(code)+7)%1000000))
		for i := 4; i >= 1; i-- {
			want := fmt.Sprintf("You have %d attempts left.", i)
			if i == 1 {
				want = "You have 1 attempt left."
			}
			b.post(action, vals).must(t, http.StatusBadRequest, want)
		}
		b.post(action, vals).must(t, http.StatusBadRequest, "The code was entered wrongly too many times.")
		vals.Set("code", code) // the right one, too late
		b.post(action, vals).must(t, http.StatusBadRequest, "The code was entered wrongly too many times.")
		if list := o.agenda("2026-11-25"); len(list) != 1 {
			t.Fatalf("got %d bookings, want the expired test's 1", len(list))
		}
	})

	t.Run("one pending code per contact", func(t *testing.T) {
		action1, vals1 := send("10:30", "giulia@example.org")
		first := o.sender.lastCode(t, "giulia@example.org")
		_, _ = send("10:45", "giulia@example.org") // another form: a new code replaces the first
		vals1.Set("code", first)
		b.post(action1, vals1).must(t, http.StatusBadRequest, "The code has expired.")
	})

	t.Run("codes per contact per hour", func(t *testing.T) {
		// giulia has had 2 codes this hour; the third is the last.
		send("11:00", "giulia@example.org")
		b.book(b.openForm("tributi", "2026-11-25", "11:15"), "Giulia", "giulia@example.org", "").must(t, http.StatusTooManyRequests,
			"3 codes have already been requested for this contact in the last hour.")
	})

	t.Run("a code that cannot be sent", func(t *testing.T) {
		o.sender.mu.Lock()
		o.sender.fail = true
		o.sender.mu.Unlock()
		b.book(b.openForm("tributi", "2026-11-25", "11:30"), "Rita", "rita@example.org", "").must(t, http.StatusServiceUnavailable,
			"The code could not be sent. Please try again in a few minutes.")
		if strings.Contains(o.log.String(), "rita@example.org") {
			t.Error("the contact is in the log")
		}
	})
}

func TestOneTimeCodesPerAddressAreLimited(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), func(c *config.Config) { c.VerifyContact = true })
	b := o.browser("it")
	form := b.openForm("anagrafe", "2026-11-25", "10:00")
	for i := range 10 {
		b.book(form, "Bot", fmt.Sprintf("bot%d@example.org", i), "").must(t, 200, "Inserisca il codice")
	}
	b.book(form, "Bot", "bot10@example.org", "").must(t, http.StatusTooManyRequests,
		"Da questa connessione sono stati chiesti troppi codici nell&#39;ultima ora. Riprovi dopo le 10:00.")
	if o.sender.count() != 10 {
		t.Fatalf("sent %d codes, want 10", o.sender.count())
	}
}

func TestCitizenCancelsThroughTheLink(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	b := o.browser("it")
	done := b.book(b.openForm("anagrafe", "2026-11-24", "15:00"), "Carla Viola", "", "")
	id := bookingID(t, done.location)
	page := b.get(done.location)

	confirm := b.get(page.link(t, "/cancel")).must(t, 200, "Vuole annullare la prenotazione?",
		"L&#39;appuntamento di martedì 24 novembre 2026 alle 15:00 per «Anagrafe e stato civile» sarà annullato", "No, torni alla prenotazione")
	action, vals := confirm.form(t)

	// Refused without the form's token, or from another site.
	noToken := url.Values{"lang": {"it"}}
	b.post(action, noToken).must(t, http.StatusForbidden)
	evil := o.browser("it")
	evil.header.Set("Origin", "http://evil.example")
	evil.header.Set("Sec-Fetch-Site", "") // an older browser: the origin tells
	evil.post(action, vals).must(t, http.StatusForbidden, "La richiesta non proviene da questo sito")
	if list := o.agenda("2026-11-24"); list[0].State != "booked" {
		t.Fatalf("cancelled by a refused request: %+v", list)
	}

	gone := b.post(action, vals)
	if gone.status != http.StatusSeeOther || gone.location != "/prenota/b/"+id+"?cancelled=1&lang=it" {
		t.Fatalf("got %d %q", gone.status, gone.location)
	}
	b.get(gone.location).must(t, 200, "La prenotazione è stata annullata e il posto è di nuovo libero.", "Annullata",
		"Questa prenotazione è stata annullata da Lei martedì 24 novembre 2026 alle 09:00.", "Prenoti un altro appuntamento")
	list := o.agenda("2026-11-24")
	if list[0].State != "cancelled" {
		t.Fatalf("got %+v", list)
	}
	// The slot is free again at once.
	var slots []queue.Slot
	if _, err := o.live.Do(context.Background(), nil, func(now time.Time, st *queue.Office) {
		slots, _ = st.FreeSlots(now, "anagrafe", tuesday("12:00"), true)
	}); err != nil {
		t.Fatal(err)
	}
	for _, s := range slots {
		if s.Start.Equal(tuesday("15:00")) && s.Free != 1 {
			t.Fatalf("the slot has %d places after the cancellation", s.Free)
		}
	}
	// Sent again: the page, cancelled; the confirmation step is gone.
	if again := b.post(action, vals); again.status != http.StatusSeeOther || !strings.HasPrefix(again.location, "/prenota/b/"+id) {
		t.Fatalf("got %d %q", again.status, again.location)
	}
	if c := b.get("/prenota/b/" + id + "/cancel?lang=it"); c.status != http.StatusSeeOther {
		t.Fatalf("the confirmation of a cancelled booking: %d", c.status)
	}
	ics := parseICS(t, b.get("/prenota/b/"+id+"/booking.ics").body)
	if ics["STATUS"] != "CANCELLED" || ics["SEQUENCE"] != "1" {
		t.Fatalf("a cancelled booking's event: %v", ics)
	}
}

func TestBookingPageFollowsTheAppointment(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	b := o.browser("en")
	done := b.book(b.openForm("anagrafe", "2026-11-24", "11:00"), "Ugo Blu", "", "")
	id := bookingID(t, done.location)
	page := b.get(done.location)
	o.clock.Set(tuesday("10:58"))
	confirm := b.get(page.link(t, "/cancel"))
	action, vals := confirm.form(t)

	// The appointment begins: no more cancelling online, check in now.
	o.clock.Set(tuesday("11:02"))
	b.get("/prenota/b/"+id+"?lang=en").must(t, 200, "The appointment started at 11:00. If you are in the office, check in at the kiosk now, by 11:10.")
	b.post(action, vals).must(t, http.StatusConflict, "The appointment has already begun and can no longer be cancelled online")

	// Checked in at the kiosk with the id the QR code carries.
	var res struct{ Ticket struct{ Number string } }
	o.mustDo(kioskToken, "POST", "/api/v1/checkin", map[string]any{"code": id}, 201, &res)
	b.get("/prenota/b/"+id+"?lang=en").must(t, 200, "Checked in at 11:02: your number is "+res.Ticket.Number+".")

	// Another booking nobody comes to.
	done = b.book(b.openForm("anagrafe", "2026-11-24", "15:00"), "Nessuno", "", "")
	missed := bookingID(t, done.location)
	o.clock.Set(tuesday("15:30"))
	b.get("/prenota/b/"+missed+"?lang=en").must(t, 200, "Missed", "Nobody checked in within the time allowed")
}

func TestUnknownBookingsArePlainNotFoundPages(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	b := o.browser("it")
	done := b.book(b.openForm("anagrafe", "2026-11-25", "09:00"), "Maria", "", "")
	id := bookingID(t, done.location)
	code := o.agenda("2026-11-25")[0].Code
	for _, path := range []string{
		"/prenota/b/0123456789abcdef0123456789abcdef",
		"/prenota/b/" + code, // a real code: codes are never looked up on a public address
		"/prenota/b/" + strings.ToUpper(id),
		"/prenota/b/" + code + "/booking.pdf",
		"/prenota/b/0123456789abcdef0123456789abcdef/booking.ics",
		"/prenota/b/0123456789abcdef0123456789abcdef/qr.png",
		"/prenota/b/0123456789abcdef0123456789abcdef/cancel",
	} {
		a := b.get(path).must(t, http.StatusNotFound, "Prenotazione non trovata", "Non esiste una prenotazione a questo indirizzo")
		if a.header.Get("Content-Type") != "text/html; charset=utf-8" || strings.Contains(a.body, "Maria") {
			t.Errorf("%s: %v", path, a.header)
		}
	}
	b.get("/prenota/altro").must(t, http.StatusNotFound, "Pagina non trovata")
	b.get("/prenota?service=nessuno").must(t, http.StatusNotFound, "Questo servizio non esiste o non si prenota online.")
}

func TestBookingFormRefusalsChangeNothing(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	b := o.browser("it")
	form := b.openForm("anagrafe", "2026-11-25", "09:00")
	action, good := form.form(t)
	good.Set("name", "Maria Rossi")
	with := func(k, v string) url.Values {
		vals := url.Values{}
		for key, vs := range good {
			vals[key] = append([]string(nil), vs...)
		}
		vals.Set(k, v)
		return vals
	}
	for _, tc := range []struct {
		name   string
		vals   url.Values
		status int
		want   []string
	}{
		{"no name", with("name", "  "), 400, []string{"Controlli i dati", `<a href="#name">Scriva il Suo nome e cognome.</a>`, `aria-invalid="true"`}},
		{"long name", with("name", strings.Repeat("è", 101)), 400, []string{"Il nome può avere al massimo 100 caratteri."}},
		{"bad contact", with("contact", "maria@"), 400, []string{"Scriva un indirizzo e-mail (nome@esempio.it) o un numero di telefono", `value="maria@"`}},
		{"long note", with("note", strings.Repeat("n", 501)), 400, []string{"La nota può avere al massimo 500 caratteri."}},
		{"control characters", with("note", "a\x00b"), 400, []string{"Il testo contiene caratteri non validi."}},
		{"forged token", with("token", "1790000000.00"), 403, []string{"Per sicurezza il modulo è stato rinnovato", `value="Maria Rossi"`}},
		{"bad key", with("key", "x"), 400, []string{"Il modulo inviato è incompleto"}},
		{"unknown service", with("service", "nessuno"), 404, []string{"Questo servizio non esiste"}},
		{"not a slot", with("slot", fmt.Sprint(time.Date(2026, 11, 25, 9, 7, 0, 0, rome).Unix())), 400, []string{"Quell&#39;orario non è nell&#39;agenda del servizio."}},
		{"too far", with("slot", fmt.Sprint(time.Date(2027, 1, 15, 9, 0, 0, 0, rome).Unix())), 409, []string{"Si può prenotare al massimo 30 giorni prima."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b.post(action, tc.vals).must(t, tc.status, tc.want...)
		})
	}
	t.Run("cross-site", func(t *testing.T) {
		b.header.Set("Sec-Fetch-Site", "cross-site")
		defer b.header.Del("Sec-Fetch-Site")
		b.post(action, good).must(t, http.StatusForbidden, "La richiesta non proviene da questo sito")
	})
	t.Run("no cookie", func(t *testing.T) {
		fresh := o.browser("it") // never saw the form
		fresh.post(action, good).must(t, http.StatusBadRequest, "Abiliti i cookie per questo sito")
	})
	t.Run("oversized", func(t *testing.T) {
		b.post(action, with("note", strings.Repeat("x", 20<<10))).must(t, http.StatusRequestEntityTooLarge)
	})
	if list := o.agenda("2026-11-25"); len(list) != 0 {
		t.Fatalf("the refusals booked: %+v", list)
	}
	t.Run("expired form", func(t *testing.T) {
		form := b.openForm("anagrafe", "2026-12-01", "09:00")
		action, vals := form.form(t)
		vals.Set("name", "Maria Rossi")
		o.clock.Add(25 * time.Hour)
		page := b.post(action, vals).must(t, http.StatusForbidden, "Per sicurezza il modulo è stato rinnovato", `value="Maria Rossi"`)
		if list := o.agenda("2026-12-01"); len(list) != 0 {
			t.Fatalf("an expired form booked: %+v", list)
		}
		// The renewed form books.
		action, renewed := page.form(t)
		if done := b.post(action, renewed); done.status != http.StatusSeeOther {
			t.Fatalf("got %d:\n%s", done.status, done.body)
		}
	})
}

func TestDomainRefusalsAreSentences(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	b := o.browser("it")
	if a := b.book(b.openForm("anagrafe", "2026-11-25", "09:00"), "Maria", "maria@example.org", ""); a.status != http.StatusSeeOther {
		t.Fatalf("got %d", a.status)
	}
	// The same contact again for the same service.
	b.book(b.openForm("anagrafe", "2026-11-26", "09:00"), "Maria", "MARIA@example.org", "").must(t, http.StatusConflict,
		"Prenotazione non possibile", "Con questo contatto c&#39;è già una prenotazione attiva per «Anagrafe e stato civile»")
	// A slot that came within the notice while the form was open.
	form := b.openForm("anagrafe", "2026-11-24", "11:15")
	o.clock.Set(tuesday("09:20"))
	b.book(form, "Piero", "", "").must(t, http.StatusConflict,
		"L&#39;orario delle 11:15 è troppo vicino: si prenota con almeno 2 ore di anticipo.", "dalle 11:30 alle 11:45")
	// In English.
	en := o.browser("en-US")
	o.clock.Set(tuesday("12:55"))
	form = en.openForm("sociali", "2026-11-24", "15:00")
	o.clock.Set(tuesday("15:01"))
	en.book(form, "Piero", "", "").must(t, http.StatusConflict, "The 15:00 time has already passed. Please choose another time.")
	if list := o.agenda("2026-11-24"); len(list) != 0 {
		t.Fatalf("got %+v", list)
	}
}

func TestBookingPageSpeaksTheCitizensLanguage(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	en := o.browser("en-US,en;q=0.9,it;q=0.3")
	page := en.get("/prenota?service=tributi").must(t, 200, `<html lang="en">`, "Choose the day", "Local taxes",
		"You can book from 2 hours ahead up to 30 days ahead.", "Today, Tuesday 24 November"[1:])
	// The switch keeps the step.
	sw := page.link(t, "lang=it")
	if !strings.Contains(sw, "service=tributi") {
		t.Fatalf("the switch %q loses the service", sw)
	}
	en.get(sw).must(t, 200, `<html lang="it">`, "Scelga il giorno", "Tributi (IMU, TARI)")
	// An explicit choice wins over the browser's.
	o.browser("it").get("/prenota?lang=en").must(t, 200, "Book an appointment")
	// Neither language: Italian.
	o.browser("de-DE,fr;q=0.8").get("/prenota").must(t, 200, `<html lang="it">`)
	// The form's pages keep the language through the post.
	form := en.openForm("tributi", "2026-11-25", "09:00")
	en.book(form, "", "", "").must(t, http.StatusBadRequest, "Enter your full name.")
}

func TestNoCodeIsSentForABookingTheAddressMayNotMake(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), func(c *config.Config) { c.VerifyContact, c.WebBookingsPerHour = true, 1 })
	b := o.browser("it")
	page := b.book(b.openForm("anagrafe", "2026-11-25", "10:00"), "Maria", "maria@example.org", "")
	action, vals := page.form(t)
	vals.Set("action", "verify")
	vals.Set("code", o.sender.lastCode(t, "maria@example.org"))
	if done := b.post(action, vals); done.status != http.StatusSeeOther {
		t.Fatalf("got %d:\n%s", done.status, done.body)
	}
	b.book(b.openForm("tributi", "2026-11-25", "10:00"), "Maria", "maria@example.org", "").must(t, http.StatusTooManyRequests,
		"Da questa connessione è già stata fatta una prenotazione nell&#39;ultima ora, il massimo consentito. Riprovi dopo le 10:00")
	if n := o.sender.count(); n != 1 {
		t.Fatalf("sent %d codes, want 1", n)
	}
}

// The pages a crowd opens when booking opens: the services (each one's
// next free slot) and a service's days (its free slots over the horizon),
// through the real server, with 300 bookings in the agenda.
func BenchmarkBookingPages(b *testing.B) {
	cfg := demo(b)
	o := start(b, filepath.Join(b.TempDir(), "turno.db"), &clock{t: tuesday("09:00")}, cfg)
	for day := range 20 {
		for i := range 15 {
			slot := time.Date(2026, 11, 25+day, 8, 30, 0, 0, rome).Add(time.Duration(i) * 15 * time.Minute)
			o.do(o.token("mario"), "POST", "/api/v1/bookings", map[string]any{"service": "anagrafe", "slot": slot, "name": "B", "channel": "phone"})
		}
	}
	for _, pg := range []struct{ name, page string }{
		{"services", "/prenota?lang=it"},
		{"days", "/prenota?service=anagrafe&lang=it"},
		{"slots", "/prenota?service=anagrafe&day=2026-11-26&lang=it"},
	} {
		page := pg.page
		b.Run(pg.name, func(b *testing.B) {
			for b.Loop() {
				resp, err := http.Get(o.http.URL + page)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("got %d", resp.StatusCode)
				}
			}
		})
	}
}
