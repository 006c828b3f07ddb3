package ui

import (
	"context"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"turno/assets"
	"turno/kiosk/printer"
	"turno/server/client"
	"turno/server/config"
	"turno/server/officetest"
	"turno/server/queue"
)

// harness is a kiosk on a test window, talking to a real office. The
// kiosk's clock is the office's: the tests move it (a tap is a second
// after the last thing that happened, elapse moves it further) and the
// kiosk looks at it (tick) without the tests sleeping.
type harness struct {
	t     *testing.T
	k     *Kiosk
	c     *client.Client
	win   fyne.Window
	clock *officetest.Clock
}

func newHarness(t *testing.T, url string, clock *officetest.Clock, edit func(*Options)) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	c, err := client.New(url, client.WithToken(officetest.KioskToken))
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{App: a, Client: c, KioskID: "kiosk-1", Now: clock.Now, ReturnAfter: time.Minute, IssueTimeout: 3 * time.Second}
	if edit != nil {
		edit(&opt)
	}
	k, err := New(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Close)
	h := &harness{t: t, k: k, c: c, clock: clock}
	k.locked(func() {
		h.win = test.NewTempWindow(t, k.Content())
		h.win.SetPadded(false) // as main.go
		h.win.Resize(fyne.NewSize(1080, 1920))
		k.Attach(h.win.Canvas())
	})
	return h
}

// elapse moves the clock on by d and lets the kiosk look at it.
func (h *harness) elapse(d time.Duration) {
	h.clock.Add(d)
	h.k.locked(h.k.tick)
}

// locked runs fn as the UI goroutine would: exclusive of the stream's
// updates.
func (k *Kiosk) locked(fn func()) {
	k.mu.Lock()
	defer k.mu.Unlock()
	fn()
}

// waitFor polls the kiosk until cond holds, or fails after a deadline.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var ok bool
		h.k.locked(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var state string
			h.k.locked(func() { state = h.k.describe() })
			h.t.Fatalf("timed out waiting for %s; kiosk: %s", what, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// describe is the kiosk's state in one line, for failures.
func (k *Kiosk) describe() string {
	var b strings.Builder
	b.WriteString("screen=" + k.screen + " status=" + k.status.State.String() + " lang=" + k.tr.Language())
	for _, sv := range k.model.Services {
		if c := k.cells[sv.ID]; c != nil {
			b.WriteString(" | " + sv.ID + ": " + c.tile.name + " / " + strings.ReplaceAll(c.tile.detail, "\n", " ") + " disabled=" + boolText(c.tile.disabled))
		}
	}
	return b.String()
}

func boolText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// tile waits for a service's button and returns it.
func (h *harness) tile(id string) *tile {
	h.t.Helper()
	var t *tile
	h.waitFor("the button of "+id, func() bool {
		if c := h.k.cells[id]; c != nil {
			t = c.tile
		}
		return t != nil && h.k.online()
	})
	return t
}

// tap taps o a second after whatever happened last, as a citizen would.
func (h *harness) tap(o fyne.Tappable) {
	h.clock.Add(time.Second)
	h.k.locked(func() { test.Tap(o) })
}

// infoButton is the information button of a service.
func (h *harness) infoButton(id string) *button {
	h.tile(id)
	var b *button
	h.k.locked(func() { b = h.k.cells[id].info })
	return b
}

// issued counts the tickets the server issued for a service today.
func (h *harness) issued(service string) int {
	h.t.Helper()
	svcs, err := h.c.Services(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	for _, s := range svcs {
		if s.ID == service {
			return s.Stats.Issued
		}
	}
	h.t.Fatalf("no service %s", service)
	return 0
}

func (h *harness) shownNumber() string {
	var n string
	h.k.locked(func() {
		if h.k.screen == screenTicket {
			n = h.k.number()
		}
	})
	return n
}

// number is the number on the ticket screen.
func (k *Kiosk) number() string { return k.tNumber.parts[1].Text }

// ticketService is the service's name on the ticket screen.
func (k *Kiosk) ticketService() string { return k.tNumber.parts[2].Text }

// ticketPriority is the priority line on the ticket screen.
func (k *Kiosk) ticketPriority() string { return k.tNumber.parts[3].Text }

func TestTapShowsTheTicket(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, func(opt *Options) { opt.ReturnAfter = 12 * time.Second })

	anagrafe := h.tile("anagrafe")
	h.waitFor("anagrafe open and empty", func() bool {
		return !anagrafe.Disabled() && anagrafe.detail == "Nessuno in attesa" && anagrafe.name == "Anagrafe e stato civile"
	})
	h.tap(anagrafe)
	h.waitFor("the ticket screen", func() bool { return h.k.screen == screenTicket })
	if got := h.shownNumber(); got != "A001" {
		t.Errorf("number: got %q, want A001", got)
	}
	h.k.locked(func() {
		if got := h.k.ticketService(); got != "Anagrafe e stato civile" {
			t.Errorf("service: got %q", got)
		}
		if got := h.k.tFacts.Text(); !strings.HasPrefix(got, "Nessuno prima di lei\nAttesa prevista: nessuna attesa") {
			t.Errorf("facts: got %q", got)
		}
		if h.k.tQR.Image == nil || h.k.tQR.Hidden {
			t.Error("no QR code")
		}
	})

	// Back to the start by itself, and the button counts the ticket.
	h.elapse(11 * time.Second)
	if h.k.screen != screenTicket {
		t.Errorf("after 11 s: screen %s, want the ticket still", h.k.screen)
	}
	h.elapse(time.Second)
	h.waitFor("the start screen again", func() bool { return h.k.screen == screenStart })
	h.waitFor("one person waiting", func() bool { return strings.HasPrefix(anagrafe.detail, "1 persona in attesa") })

	// The second citizen is second.
	h.tap(anagrafe)
	h.waitFor("the second ticket", func() bool { return h.k.screen == screenTicket })
	h.k.locked(func() {
		if got := h.k.number(); got != "A002" {
			t.Errorf("number: got %q, want A002", got)
		}
		// The wait is the server's forecast (at 09:00 the staffing plan
		// has three counters ready for two people: no wait), in words.
		want := "1 persona prima di lei\nAttesa prevista: " + h.k.words.waitText(h.k.shown.Wait)
		if got := h.k.tFacts.Text(); !strings.HasPrefix(got, want) {
			t.Errorf("facts: got %q, want %q", got, want)
		}
	})
	if n := h.issued("anagrafe"); n != 2 {
		t.Errorf("issued: got %d, want 2", n)
	}
}

// demoOffice is the demo office with edits (old: new).
func demoOffice(t *testing.T, edits ...string) *config.Config {
	t.Helper()
	toml := string(assets.DemoOffice)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(toml, edits[i]) {
			t.Fatalf("the demo office has changed: no %q", edits[i])
		}
		toml = strings.Replace(toml, edits[i], edits[i+1], 1)
	}
	cfg, err := config.Parse([]byte(toml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// notBookable is the demo office's edit that takes the registry office's
// appointments away.
var notBookable = []string{`appointments = { slot = "15m", per_slot = 1, horizon_days = 30, min_notice = "2h", check_in_early = "15m", check_in_late = "10m", late = "walkin", max_per_contact = 1 }`, ""}

// A service cut off that takes no appointments: its button cannot be
// pressed, and says why and when it reopens. (A bookable one offers its
// next free appointment: checkin_test.go.)
func TestCutoffButtonIsDisabledWithItsReason(t *testing.T) {
	o := officetest.StartWith(t, demoOffice(t, notBookable...), officetest.NewClock(officetest.Tuesday("12:10")))
	h := newHarness(t, o.URL, o.Clock, nil)

	anagrafe := h.tile("anagrafe")
	h.waitFor("anagrafe cut off", func() bool { return anagrafe.Disabled() })
	h.k.locked(func() {
		d := anagrafe.detail
		for _, want := range []string{"12:30", "Riapre oggi alle 15:00."} {
			if !strings.Contains(d, want) {
				t.Errorf("reason %q lacks %q", d, want)
			}
		}
		if anagrafe.hint != "" {
			t.Errorf("a disabled button invites a tap: %q", anagrafe.hint)
		}
	})
	h.tap(anagrafe)
	h.tap(anagrafe)
	if h.k.screen != screenStart {
		t.Errorf("screen: got %s, want start", h.k.screen)
	}
	if n := h.issued("anagrafe"); n != 0 {
		t.Errorf("issued: got %d, want 0", n)
	}
	// The fast-track lane stops at 12:15: still open.
	if h.tile("documenti").Stopped() {
		t.Error("documenti is stopped at 12:10")
	}
}

func TestLockedServiceFollowsLive(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	sociali := h.tile("sociali")
	h.waitFor("sociali open", func() bool { return !sociali.Stopped() })

	floor, err := client.New(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := floor.Login(context.Background(), "anna", officetest.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := floor.LockService(context.Background(), "sociali", "assistente sociale assente fino alle 11"); err != nil {
		t.Fatal(err)
	}
	// Its tickets are suspended, not its agenda: it offers the next free
	// appointment.
	h.waitFor("sociali locked with the reason", func() bool {
		return sociali.Stopped() && strings.Contains(sociali.detail, "assistente sociale assente fino alle 11") &&
			sociali.hint == "Prenoti per oggi alle 11:00\u00a0›"
	})
	if _, err := floor.UnlockService(context.Background(), "sociali"); err != nil {
		t.Fatal(err)
	}
	h.waitFor("sociali open again", func() bool { return !sociali.Stopped() })
}

func TestLanguageSwitch(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("12:10"))
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	h.waitFor("Italian", func() bool {
		return strings.HasPrefix(h.k.heading.Text(), "Prenda il suo numero") && anagrafe.Stopped()
	})

	h.tap(h.k.langs["en"])
	h.k.locked(func() {
		if got := h.k.heading.Text(); got != "Take a number\nTap the service you need" {
			t.Errorf("heading: got %q", got)
		}
		if got := anagrafe.name; got != "Registry office" {
			t.Errorf("service: got %q", got)
		}
		if d := anagrafe.detail + "\n" + anagrafe.hint; !strings.Contains(d, "today at 15:00") || !strings.Contains(d, "Book for today at 15:00\u00a0›") {
			t.Errorf("reason: got %q", d)
		}
	})
	h.tap(h.k.langs["fr"])
	h.k.locked(func() {
		if got := h.k.heading.Text(); got != "Prenez votre numéro\nTouchez le service dont vous avez besoin" {
			t.Errorf("heading: got %q", got)
		}
		if d := anagrafe.detail + "\n" + anagrafe.hint; !strings.Contains(d, "aujourd'hui à 15:00") || !strings.Contains(d, "Réservez pour aujourd'hui à 15:00\u00a0›") {
			t.Errorf("reason: got %q", d)
		}
		if got := anagrafe.name; got != "Anagrafe e stato civile" {
			t.Errorf("service: got %q, want the Italian name", got)
		}
	})
	h.tap(h.k.langs["en"])

	// The next citizen starts in the kiosk's language.
	documenti := h.tile("documenti") // the fast-track lane stops at 12:15
	h.waitFor("documenti open", func() bool { return !documenti.Stopped() })
	h.tap(documenti)
	h.waitFor("the ticket in English", func() bool {
		return h.k.screen == screenTicket && h.k.tNumber.parts[0].Text == "Your number" && h.k.ticketService() == "Document drop-off"
	})
	h.elapse(time.Minute)
	h.waitFor("back in Italian", func() bool {
		return h.k.screen == screenStart && strings.HasPrefix(h.k.heading.Text(), "Prenda il suo numero")
	})
}

func TestDoubleTapGivesOneTicket(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	tributi := h.tile("tributi")
	h.waitFor("tributi open", func() bool { return !tributi.Disabled() })
	h.k.locked(func() {
		test.Tap(tributi)
		test.Tap(tributi)
	})
	h.tap(tributi) // and a third, while the answer is on its way
	h.waitFor("the ticket", func() bool { return h.k.screen == screenTicket })
	if got := h.shownNumber(); got != "T001" {
		t.Errorf("number: got %q, want T001", got)
	}
	if n := h.issued("tributi"); n != 1 {
		t.Errorf("issued: got %d, want 1", n)
	}
}

// A tap whose answer was lost (the server issued the ticket, the kiosk
// never heard) keeps its key: tapping again gets that ticket, not another.
func TestRetriedTapGetsTheSameTicket(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	var key string
	h.k.locked(func() {
		key = h.k.keyFor("anagrafe", false)
		h.k.issued("anagrafe", "anagrafe/false", key, nil, false, client.ErrUnreachable)
	})
	first, _, err := h.c.Issue(context.Background(), "anagrafe", false, key) // the lost answer
	if err != nil {
		t.Fatal(err)
	}
	h.k.locked(h.k.back)
	h.tap(anagrafe)
	h.waitFor("the ticket", func() bool { return h.k.screen == screenTicket })
	if got := h.shownNumber(); got != first.Number {
		t.Errorf("number: got %q, want %s (the first tap's)", got, first.Number)
	}
	if n := h.issued("anagrafe"); n != 1 {
		t.Errorf("issued: got %d, want 1", n)
	}
	// Answered: the next tap is a new citizen.
	h.k.locked(h.k.back)
	h.tap(anagrafe)
	h.waitFor("a second ticket", func() bool { return h.k.screen == screenTicket && h.k.number() == "A002" })
}

func TestPriorityPath(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	h.waitFor("anagrafe open", func() bool { return !anagrafe.Disabled() })
	h.tap(h.k.prioB)
	h.k.locked(func() {
		if !h.k.priority || !anagrafe.priority || !strings.HasPrefix(h.k.heading.Text(), "Biglietto con precedenza") {
			t.Errorf("the priority path does not show: heading %q", h.k.heading.Text())
		}
		if got := h.k.prioB.Text(); got != "Annulli la precedenza" {
			t.Errorf("priority button: got %q", got)
		}
	})
	h.tap(anagrafe)
	h.waitFor("the priority ticket", func() bool { return h.k.screen == screenTicket && h.k.ticketPriority() == "CON PRECEDENZA" })
	h.k.locked(func() {
		if h.k.shown == nil || !h.k.shown.Priority {
			t.Error("the ticket is not a priority one")
		}
	})
	h.tap(h.k.tDone)
	h.k.locked(func() {
		if h.k.priority || h.k.screen != screenStart {
			t.Error("the next citizen inherits the priority path")
		}
	})
}

func TestInformationSheetBeforeTheTicket(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	h.tap(h.infoButton("anagrafe"))
	h.k.locked(func() {
		if h.k.screen != screenInfo {
			t.Fatalf("screen: got %s, want info", h.k.screen)
		}
		if txt := h.k.infoText.Text(); !strings.Contains(txt, "documento d'identità valido") {
			t.Errorf("sheet: got %q", txt)
		}
	})
	h.tap(h.k.infoTake)
	h.waitFor("the ticket", func() bool { return h.k.screen == screenTicket && h.k.number() == "A001" })
}

// relay forwards TCP connections to a target that can be swapped, so that
// a kiosk keeps one address while the server behind it goes and comes.
type relay struct {
	l      net.Listener
	mu     sync.Mutex
	target string
	conns  []net.Conn
}

func newRelay(t *testing.T, target string) *relay {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{l: l, target: target}
	t.Cleanup(func() { l.Close(); r.cut() })
	go r.serve()
	return r
}

func (r *relay) URL() string { return "http://" + r.l.Addr().String() }

func (r *relay) serve() {
	for {
		in, err := r.l.Accept()
		if err != nil {
			return
		}
		r.mu.Lock()
		target := r.target
		r.mu.Unlock()
		out, err := net.Dial("tcp", target)
		if err != nil {
			in.Close()
			continue
		}
		r.mu.Lock()
		r.conns = append(r.conns, in, out)
		r.mu.Unlock()
		go func() { _, _ = io.Copy(out, in); out.Close() }()
		go func() { _, _ = io.Copy(in, out); in.Close() }()
	}
}

func (r *relay) point(target string) {
	r.mu.Lock()
	r.target = target
	r.mu.Unlock()
}

func (r *relay) cut() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		c.Close()
	}
	r.conns = nil
}

func TestServerDownThenBack(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	r := newRelay(t, strings.TrimPrefix(o.URL, "http://"))
	h := newHarness(t, r.URL(), o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	h.waitFor("anagrafe open", func() bool { return !anagrafe.Disabled() })

	o.Stop()
	r.cut()
	h.waitFor("the server-down message", func() bool {
		return h.k.banner.Visible() && !h.k.grid.Visible() && h.k.heading.Text() == "Biglietti non disponibili"
	})
	h.tap(anagrafe) // hidden, and refused anyway
	h.k.locked(func() {
		if h.k.screen != screenStart || h.k.busy {
			t.Errorf("a tap while the server is down did something: screen %s", h.k.screen)
		}
		if !anagrafe.Disabled() {
			t.Error("the button is enabled while the server is down")
		}
		// Nothing invites a tap: not the heading, not a button.
		for _, invite := range []string{"Prenda", "Tocchi"} {
			if strings.Contains(h.k.heading.Text(), invite) || strings.Contains(h.k.bannerText.Text(), invite) {
				t.Errorf("offline, the screen still says %q: %q / %q", invite, h.k.heading.Text(), h.k.bannerText.Text())
			}
		}
		if h.k.prioB.Visible() {
			t.Error("the priority button shows while no ticket can be issued")
		}
	})

	// The server comes back at the same address.
	back := officetest.StartWith(t, o.Config, o.Clock)
	r.point(strings.TrimPrefix(back.URL, "http://"))
	h.waitFor("recovery", func() bool { return !h.k.banner.Visible() && h.k.grid.Visible() && !anagrafe.Disabled() })
	h.tap(anagrafe)
	h.waitFor("a ticket after recovery", func() bool { return h.k.screen == screenTicket && h.k.number() == "A001" })
}

func TestPrintsOnceIntoTheFolder(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	dir := t.TempDir()
	h := newHarness(t, o.URL, o.Clock, nil)
	h.k.locked(func() { h.k.opt.PDFs, h.k.opt.Printer = h.c, printer.Folder{Dir: dir} })
	anagrafe := h.tile("anagrafe")
	h.waitFor("anagrafe open", func() bool { return !anagrafe.Disabled() })
	h.tap(anagrafe)
	h.waitFor("the ticket", func() bool { return h.k.screen == screenTicket })
	var tk *queue.TicketView
	h.k.locked(func() { tk = h.k.shown })
	want := dir + "/ticket-A001-" + tk.ID + ".pdf"
	h.waitFor("the PDF in the folder", func() bool { return fileHasPDF(want) })
	h.k.locked(func() {
		h.k.print(tk) // a second time: nothing
		if h.k.printErr != "" {
			t.Errorf("print error: %s", h.k.printErr)
		}
	})
}

func TestPrintingFailureIsShownAndKeepsTheTicket(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	h.k.locked(func() {
		h.k.opt.PDFs, h.k.opt.Printer = h.c, printer.LP{Printer: "kiosk", Command: "/nonexistent/lp"}
	})
	anagrafe := h.tile("anagrafe")
	h.waitFor("anagrafe open", func() bool { return !anagrafe.Disabled() })
	h.tap(anagrafe)
	h.waitFor("the printing failure", func() bool {
		return h.k.screen == screenTicket && strings.Contains(h.k.staff.Text(), "STAMPA NON RIUSCITA") &&
			strings.Contains(h.k.tFacts.Text(), "non è stato stampato")
	})
	if got := h.shownNumber(); got != "A001" {
		t.Errorf("number: got %q, want A001", got)
	}
	if n := h.issued("anagrafe"); n != 1 {
		t.Errorf("issued: got %d, want 1", n)
	}
}

func fileHasPDF(path string) bool {
	b, err := os.ReadFile(path)
	return err == nil && strings.HasPrefix(string(b), "%PDF")
}

// A service that stops between what the button shows and the tap: the
// server refuses, and the kiosk says why in the citizen's words.
func TestRefusalAtTheTapIsExplained(t *testing.T) {
	o := officetest.StartWith(t, demoOffice(t, notBookable...), officetest.NewClock(officetest.Tuesday("11:59")))
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	h.waitFor("anagrafe open", func() bool { return !anagrafe.Disabled() })
	h.k.locked(func() {
		// Under the lock the button cannot learn of the cut-off first.
		o.Clock.Set(officetest.Tuesday("12:01"))
		test.Tap(anagrafe)
	})
	h.waitFor("the refusal", func() bool { return h.k.screen == screenMessage })
	h.k.locked(func() {
		if got := h.k.mText.parts[0].Text; got != "Biglietto non disponibile" {
			t.Errorf("title: got %q", got)
		}
		if got := h.k.mText.Text(); !strings.Contains(got, "12:30") || !strings.Contains(got, "oggi alle 15:00") {
			t.Errorf("reason: got %q", got)
		}
	})
	if n := h.issued("anagrafe"); n != 0 {
		t.Errorf("issued: got %d, want 0", n)
	}
}

// The same for a service that can be booked: its sheet says why, and
// offers the next free appointment with what to bring to it.
func TestRefusalAtTheTapOffersAnAppointment(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("11:59"))
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	h.waitFor("anagrafe open", func() bool { return !anagrafe.Stopped() })
	h.k.locked(func() {
		o.Clock.Set(officetest.Tuesday("12:01"))
		test.Tap(anagrafe)
	})
	h.waitFor("the offer", func() bool { return h.k.screen == screenInfo })
	h.k.locked(func() {
		got := h.k.infoTitle.Text()
		for _, w := range []string{"Anagrafe e stato civile", "12:30", "Riapre oggi alle 15:00.", "Primo appuntamento libero: oggi alle 15:00"} {
			if !strings.Contains(got, w) {
				t.Errorf("sheet's title %q lacks %q", got, w)
			}
		}
		if h.k.infoTake.Disabled() || h.k.infoTake.Text() != "Prenoti l'appuntamento" {
			t.Errorf("Take: %q disabled %t, want Book", h.k.infoTake.Text(), h.k.infoTake.Disabled())
		}
	})
	if n := h.issued("anagrafe"); n != 0 {
		t.Errorf("issued: got %d, want 0", n)
	}
}
