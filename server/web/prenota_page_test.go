package web_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The booking page in a real browser: headless Chromium driven over the
// DevTools protocol, clicking and typing as a citizen does, with
// JavaScript off for the booking (the page must not need it) and on for
// the cancellation.

// devtools is a connection to one page of a headless Chromium.
type devtools struct {
	t       *testing.T
	ctx     context.Context
	conn    *websocket.Conn
	session string

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan cdpMessage
	events  chan cdpMessage
	logs    []string // the console's and the browser's errors
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct{ Message string }
	SessionID string `json:"sessionId,omitempty"`
}

// startChromium runs a headless Chromium and opens a page of width x
// height CSS pixels that speaks lang.
func startChromium(t *testing.T, width, height int, lang string) *devtools {
	t.Helper()
	browser := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars",
		"--remote-debugging-port=0", "--user-data-dir="+t.TempDir(), "--lang="+lang, "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers are ended with it
	if err := cmd.Start(); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	var d *devtools
	// Registered after t.TempDir, so it runs before the profile is
	// removed: the browser closes itself and its helpers, or is killed.
	t.Cleanup(func() {
		if d != nil {
			d.mu.Lock()
			_ = d.conn.WriteJSON(map[string]any{"id": 1 << 30, "method": "Browser.close"})
			d.mu.Unlock()
		}
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
		}
		if d != nil {
			d.conn.Close()
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	})
	found := make(chan string, 1)
	go func() { // Chromium names its DevTools address on stderr
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), "DevTools listening on "); ok {
				found <- strings.TrimSpace(url)
			}
		}
	}()
	var wsURL string
	select {
	case wsURL = <-found:
	case <-ctx.Done():
		t.Fatal("chromium did not start its DevTools server")
	}
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	d = &devtools{t: t, ctx: ctx, conn: conn, waiting: map[int]chan cdpMessage{}, events: make(chan cdpMessage, 1000)}
	go d.read()

	var target struct{ TargetID string }
	d.call("Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct{ SessionID string }
	d.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	d.session = attached.SessionID
	d.call("Page.enable", nil, nil)
	d.call("Log.enable", nil, nil)
	d.call("Runtime.enable", nil, nil)
	d.call("Network.setUserAgentOverride", map[string]any{"userAgent": "Mozilla/5.0 (Linux; Android 14) Turno-test", "acceptLanguage": lang}, nil)
	d.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": true}, nil)
	return d
}

func (d *devtools) read() {
	for {
		var m cdpMessage
		if err := d.conn.ReadJSON(&m); err != nil {
			close(d.events)
			return
		}
		if m.ID != 0 {
			d.mu.Lock()
			ch := d.waiting[m.ID]
			delete(d.waiting, m.ID)
			d.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		switch m.Method {
		case "Log.entryAdded":
			var p struct {
				Entry struct{ Level, Text, Source, URL string }
			}
			_ = json.Unmarshal(m.Params, &p)
			if p.Entry.Level == "error" && !strings.HasSuffix(p.Entry.URL, "/favicon.ico") { // the server has none
				d.mu.Lock()
				d.logs = append(d.logs, p.Entry.Source+": "+p.Entry.Text)
				d.mu.Unlock()
			}
		case "Runtime.exceptionThrown":
			d.mu.Lock()
			d.logs = append(d.logs, "exception: "+string(m.Params))
			d.mu.Unlock()
		}
		select {
		case d.events <- m:
		default: // nobody waits for this many events
		}
	}
}

// call sends a command to the page and decodes its result into out.
func (d *devtools) call(method string, params any, out any) {
	d.t.Helper()
	d.mu.Lock()
	d.nextID++
	id := d.nextID
	ch := make(chan cdpMessage, 1)
	d.waiting[id] = ch
	d.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if d.session != "" && !strings.HasPrefix(method, "Target.") {
		msg["sessionId"] = d.session
	}
	d.mu.Lock()
	err := d.conn.WriteJSON(msg)
	d.mu.Unlock()
	if err != nil {
		d.t.Fatalf("%s: %v", method, err)
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			d.t.Fatalf("%s: %s", method, m.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(m.Result, out); err != nil {
				d.t.Fatalf("%s: %v in %s", method, err, m.Result)
			}
		}
	case <-d.ctx.Done():
		d.t.Fatalf("%s: no answer", method)
	}
}

// loads runs action and waits until the page it leads to has loaded.
func (d *devtools) loads(action func()) {
	d.t.Helper()
	for len(d.events) > 0 {
		<-d.events
	}
	action()
	for {
		select {
		case m, ok := <-d.events:
			if !ok {
				d.t.Fatal("the browser went away")
			}
			if m.Method == "Page.loadEventFired" && m.SessionID == d.session {
				return
			}
		case <-d.ctx.Done():
			d.t.Fatal("the page did not load")
		}
	}
}

func (d *devtools) navigate(url string) {
	d.t.Helper()
	d.loads(func() { d.call("Page.navigate", map[string]any{"url": url}, nil) })
}

// node finds an element of the page by CSS selector.
func (d *devtools) node(selector string) int {
	d.t.Helper()
	var doc struct{ Root struct{ NodeID int } }
	d.call("DOM.getDocument", map[string]any{"depth": 0}, &doc)
	var found struct{ NodeID int }
	d.call("DOM.querySelector", map[string]any{"nodeId": doc.Root.NodeID, "selector": selector}, &found)
	if found.NodeID == 0 {
		d.t.Fatalf("no %s on the page:\n%s", selector, d.html())
	}
	return found.NodeID
}

// click presses and releases the mouse on the middle of an element, as a
// finger does.
func (d *devtools) click(selector string) {
	d.t.Helper()
	node := d.node(selector)
	d.call("DOM.scrollIntoViewIfNeeded", map[string]any{"nodeId": node}, nil)
	var box struct{ Model struct{ Content []float64 } }
	d.call("DOM.getBoxModel", map[string]any{"nodeId": node}, &box)
	q := box.Model.Content
	x, y := (q[0]+q[2]+q[4]+q[6])/4, (q[1]+q[3]+q[5]+q[7])/4
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		d.call("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": x, "y": y, "button": "left", "clickCount": 1}, nil)
	}
}

// typeInto focuses a field and types text into it.
func (d *devtools) typeInto(selector, text string) {
	d.t.Helper()
	d.call("DOM.focus", map[string]any{"nodeId": d.node(selector)}, nil)
	d.call("Input.insertText", map[string]any{"text": text}, nil)
}

func (d *devtools) html() string {
	d.t.Helper()
	var doc struct{ Root struct{ NodeID int } }
	d.call("DOM.getDocument", map[string]any{"depth": 0}, &doc)
	var out struct{ OuterHTML string }
	d.call("DOM.getOuterHTML", map[string]any{"nodeId": doc.Root.NodeID}, &out)
	return out.OuterHTML
}

// url is the address the page shows.
func (d *devtools) url() string {
	d.t.Helper()
	var h struct {
		CurrentIndex int
		Entries      []struct{ URL string }
	}
	d.call("Page.getNavigationHistory", nil, &h)
	return h.Entries[h.CurrentIndex].URL
}

// has checks that the page holds each of want.
func (d *devtools) has(want ...string) string {
	d.t.Helper()
	page := d.html()
	for _, w := range want {
		if !strings.Contains(page, w) {
			d.t.Fatalf("the page in the browser lacks %q:\n%s", w, page)
		}
	}
	return page
}

// screenshot returns the viewport as PNG, and writes it to
// $TURNO_SCREENSHOTS/name when set.
func (d *devtools) screenshot(name string) []byte {
	d.t.Helper()
	var shot struct{ Data string }
	d.call("Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	data, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		d.t.Fatal(err)
	}
	img, err := png.Decode(strings.NewReader(string(data)))
	if err != nil {
		d.t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 390 || b.Dy() != 844 {
		d.t.Errorf("screenshot %s is %dx%d, want 390x844", name, b.Dx(), b.Dy())
	}
	if dir := os.Getenv("TURNO_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			d.t.Fatal(err)
		}
	}
	return data
}

// screenshotPage writes the whole page, as long as it is, to
// $TURNO_SCREENSHOTS/name when set.
func (d *devtools) screenshotPage(name string) {
	d.t.Helper()
	dir := os.Getenv("TURNO_SCREENSHOTS")
	if dir == "" {
		return
	}
	var m struct {
		CSSContentSize struct{ Width, Height float64 }
	}
	d.call("Page.getLayoutMetrics", nil, &m)
	var shot struct{ Data string }
	d.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": m.CSSContentSize.Width, "height": m.CSSContentSize.Height, "scale": 1}}, &shot)
	data, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		d.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		d.t.Fatal(err)
	}
}

// accessible checks that every control of the page has an accessible
// name, as a screen reader announces it, and that the page has one h1.
func (d *devtools) accessible() {
	d.t.Helper()
	var tree struct {
		Nodes []struct {
			Ignored bool
			Role    struct{ Value string }
			Name    struct{ Value string }
		}
	}
	d.call("Accessibility.getFullAXTree", nil, &tree)
	controls, h1 := 0, 0
	for _, n := range tree.Nodes {
		if n.Ignored {
			continue
		}
		switch n.Role.Value {
		case "textbox", "button", "link", "radio", "combobox", "checkbox":
			controls++
			if strings.TrimSpace(n.Name.Value) == "" {
				d.t.Errorf("a %s without a name on %s", n.Role.Value, d.url())
			}
		case "heading":
			if strings.Contains(d.html(), "<h1>"+n.Name.Value+"</h1>") {
				h1++
			}
		}
	}
	if controls == 0 || h1 != 1 {
		d.t.Errorf("%s: %d controls, %d h1", d.url(), controls, h1)
	}
}

// noErrors checks that the browser reported no error: a style sheet or a
// script the page's policy blocks, a script that failed.
func (d *devtools) noErrors() {
	d.t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, l := range d.logs {
		d.t.Errorf("browser error: %s", l)
	}
	d.logs = nil
}

func TestBookingAndCancellingInABrowser(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	d := startChromium(t, 390, 844, "it-IT")
	d.call("Emulation.setScriptExecutionDisabled", map[string]any{"value": true}, nil)

	// 1. The services.
	d.navigate(o.http.URL + "/prenota")
	d.has(`<html lang="it">`, "Prenoti un appuntamento", "Anagrafe e stato civile", "Cosa portare e informazioni")
	d.accessible()
	d.screenshot("prenota-services.png")
	// The information sheet opens without a script.
	d.click("details.info summary")
	d.has("<details class=\"info\" open=\"\">")

	// 2. The day, 3. the time.
	d.loads(func() { d.click(`a.button[href*="service=anagrafe"]`) })
	d.has("Scelga il giorno", "Oggi, martedì 24 novembre"[1:], "Passo 2 di 4")
	d.accessible()
	d.loads(func() { d.click(`a.choice[href*="day=2026-11-25"]`) })
	d.has("Scelga l'orario", ">09:00<")
	d.accessible()
	d.screenshot("prenota-slots.png")
	d.loads(func() {
		d.click(fmt.Sprintf(`a.slot[href*="slot=%d"]`, time.Date(2026, 11, 25, 9, 0, 0, 0, rome).Unix()))
	})

	// 4. The details: the browser refuses to send the form without a name.
	d.has("I Suoi dati", "dalle 09:00 alle 09:15", `<label for="name">Nome e cognome</label>`)
	d.accessible()
	d.click(`button[type="submit"]`)
	d.has("I Suoi dati") // still the form: nothing was sent
	if list := o.agenda("2026-11-25"); len(list) != 0 {
		t.Fatalf("a form without a name booked: %+v", list)
	}
	d.typeInto("#name", "Maria Rossi")
	d.typeInto("#contact", "maria.rossi@example.org")
	d.typeInto("#note", "Cambio di residenza")
	d.screenshot("prenota-form.png")
	d.loads(func() { d.click(`button[type="submit"]`) })

	// 5. The confirmation.
	page := d.has("Prenotazione confermata", "La Sua prenotazione", "mercoledì 25 novembre 2026", "dalle 09:00 alle 09:15",
		"Maria Rossi", `class="qr"`, "Conferma in PDF, foglio A4", "Aggiunga al calendario (.ics)")
	d.accessible()
	m := regexp.MustCompile(`/prenota/b/([0-9a-f]{32})\?`).FindStringSubmatch(d.url())
	if m == nil {
		t.Fatalf("the browser is at %s", d.url())
	}
	id := m[1]
	code := regexp.MustCompile(`<p class="code"[^>]*>([A-Z0-9]{3}-[A-Z0-9]{3})</p>`).FindStringSubmatch(page)
	if code == nil {
		t.Fatalf("no code on the page:\n%s", page)
	}
	list := o.agenda("2026-11-25")
	if len(list) != 1 || list[0].ID != id || list[0].Name != "Maria Rossi" || list[0].Contact != "maria.rossi@example.org" {
		t.Fatalf("got %+v", list)
	}
	// The QR code loaded: the image has its size.
	var qr struct{ Model struct{ Width, Height int } }
	d.call("DOM.getBoxModel", map[string]any{"nodeId": d.node("img.qr")}, &qr)
	if qr.Model.Width != 220 || qr.Model.Height != 220 {
		t.Errorf("QR image %dx%d", qr.Model.Width, qr.Model.Height)
	}
	d.screenshot("prenota-confirmation.png")
	d.screenshotPage("prenota-confirmation-full.png")
	d.noErrors()

	// The confirmation as a PDF, for the README.
	if dir := os.Getenv("TURNO_SCREENSHOTS"); dir != "" {
		pdfScreenshot(t, o.http.URL+"/prenota/b/"+id+"/booking.pdf?paper=80mm", filepath.Join(dir, "prenota-pdf"))
	}

	// 6. Cancelled through its link, with scripts on, in a new visit.
	d.call("Emulation.setScriptExecutionDisabled", map[string]any{"value": false}, nil)
	d.navigate(o.http.URL + "/prenota/b/" + id)
	d.has("La Sua prenotazione", code[1], "Annulli la prenotazione")
	// The script shows the button that copies the link.
	d.has(`data-copy="link" data-done="Link copiato">Copi il link</button>`)
	d.loads(func() { d.click("a.button.danger") })
	d.has("Vuole annullare la prenotazione?", "Sì, annulli la prenotazione")
	d.accessible()
	d.loads(func() { d.click(`button[type="submit"]`) })
	d.has("La prenotazione è stata annullata e il posto è di nuovo libero.", "Annullata", "Prenoti un altro appuntamento")
	d.noErrors()
	if list := o.agenda("2026-11-25"); list[0].State != "cancelled" {
		t.Fatalf("got %+v", list)
	}

	// An unknown link.
	d.navigate(o.http.URL + "/prenota/b/0123456789abcdef0123456789abcdef")
	d.has("Prenotazione non trovata")
}

// The booking page's tab order follows its reading order, and the
// language switch keeps the step.
func TestBookingPageKeyboardAndLanguageInABrowser(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	d := startChromium(t, 390, 844, "en-GB")
	slot := time.Date(2026, 11, 25, 10, 0, 0, 0, rome).Unix()
	d.navigate(fmt.Sprintf("%s/prenota?service=tributi&day=2026-11-25&slot=%d", o.http.URL, slot))
	d.has(`<html lang="en">`, "Your details", "from 10:00 to 10:15", "Local taxes")
	var order []string
	for range 12 {
		d.call("Input.dispatchKeyEvent", map[string]any{"type": "keyDown", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}, nil)
		d.call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}, nil)
		var res struct{ Result struct{ Value string } }
		d.call("Runtime.evaluate", map[string]any{"expression": `(e => e.id || e.className || e.tagName)(document.activeElement)`, "returnByValue": true}, &res)
		order = append(order, res.Result.Value)
	}
	got := strings.Join(order, " ")
	t.Logf("tab order: %s", got)
	if !strings.HasPrefix(got, "skip ") || !regexp.MustCompile(`lang .*name contact note button primary`).MatchString(got) {
		t.Fatalf("tab order: %s", got)
	}
	d.loads(func() { d.click("a.lang") })
	d.has(`<html lang="it">`, "I Suoi dati", "dalle 10:00 alle 10:15", "Tributi (IMU, TARI)")
	d.noErrors()
}

// pdfScreenshot renders the first page of a PDF to base.png at 150 dpi
// with pdftoppm.
func pdfScreenshot(t *testing.T, url, base string) {
	t.Helper()
	tool, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Log("no pdftoppm (poppler-utils): the PDF's screenshot is not made")
		return
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if out, err := exec.Command(tool, "-png", "-r", "150", "-singlefile", path, base).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
}
