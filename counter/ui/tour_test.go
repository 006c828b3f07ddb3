package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/config"
	"turno/server/officetest"
	"turno/server/queue"
)

// The tour: every screen and dialog of the console, reached as a clerk
// reaches them (by keys where there is one), for the fit tests and the
// screenshots.

// tourWords are what the clerk types on the tour.
type tourWords struct {
	note, document string
	// name and bookNote are a booked citizen's; search finds some of them.
	name, bookNote, search string
}

// tour drives a clerk's console (counter 1) and a fast-track console
// (counter 6) through every screen and dialog, and calls at with the
// console showing each, by name. The office needs tickets waiting for
// counter 1's services (a few) and for the fast-track lane (one).
func tour(t *testing.T, d *desk, words tourWords, at func(c *console, name string)) {
	t.Helper()
	// Today's appointments of counter 1's services, and one tomorrow.
	early := officetest.Tuesday("09:45") // the tours start at 09:40
	arriving := d.book("anagrafe", early, words.name, words.bookNote)
	d.book("tributi", early.Add(45*time.Minute), "Giuseppe Verdi", "")
	d.book("sociali", early.Add(75*time.Minute), "Anna Verdi Bianchi", "Prima visita.")
	d.book("anagrafe", early.AddDate(0, 0, 1), "Luigi Verdi", "")

	c := d.console(Options{User: "mario", Counter: "1"})
	c.waitFor("the login", func() bool { return c.screen == screenLogin })
	at(c, "login")

	c.typeIn(c.login.password, "wrong")
	c.tap(c.login.submit)
	c.waitFor("the refusal", func() bool { return c.message() != "" && !c.login.submit.Disabled() })
	at(c, "login-refused")

	c.logIn("mario", "1")
	at(c, "open")
	var all []string
	c.d.do(func() {
		for id := range c.open.checks {
			all = append(all, id)
		}
	})
	c.openWith(all...)
	c.waitFor("the live queues", func() bool { return c.model.Seq > 0 })
	at(c, "idle")

	c.key(keyPause)
	c.waitFor("paused", func() bool { return c.counter.State == queue.CounterPaused && !c.busy })
	at(c, "paused")
	c.key(keyPause)
	c.waitFor("open again", func() bool { return c.counter.State == queue.CounterOpen && !c.busy })

	c.key(keyNext)
	c.calledNumber()
	at(c, "called")
	c.key(keyRecall)
	c.waitFor("the recall", func() bool { return !c.busy && c.current() != nil && c.current().Recalls == 1 })
	at(c, "recalled")
	c.key(keyStart)
	c.waitFor("serving", func() bool { return !c.busy && c.current() != nil && c.current().Status == queue.StatusServing })
	d.o.Clock.Add(4*time.Minute + 12*time.Second)
	c.waitFor("the timer", func() bool { return strings.Contains(c.desk.timer.Text, "4:12") })
	at(c, "serving")

	c.key(keyForward)
	c.waitFor("the forward dialog", func() bool { return c.modal != nil })
	c.typeIn(c.dlg.forward.note, words.note)
	c.d.do(func() { c.press(fyne.KeyReturn) }) // no case reference yet: refused in words
	c.waitFor("the refusal", func() bool { return c.dlg.forward.msg.Visible() })
	at(c, "forward")
	c.key(fyne.KeyEscape)

	c.key(keyTransfer)
	c.waitFor("the transfer dialog", func() bool { return c.modal != nil })
	c.d.do(func() { c.typeRunes("2") })
	at(c, "transfer")
	c.key(fyne.KeyEscape)

	c.key(keyFinish)
	c.waitIdle()
	for range 3 {
		d.o.Clock.Add(2 * time.Minute)
		c.key(keyNext)
		c.calledNumber()
		c.key(keyNoShow)
		c.waitIdle()
	}
	c.waitFor("the no-shows", func() bool { return len(c.desk.reactivate) == 3 })
	at(c, "no-shows")
	c.key(keyReactivate)
	c.waitFor("the reactivate dialog", func() bool { return c.modal != nil })
	at(c, "reactivate")
	c.key(fyne.KeyEscape)

	c.tap(c.desk.services)
	c.waitFor("the choice of services", func() bool { return c.screen == screenOpen && c.open.back.Visible() })
	at(c, "services")
	c.key(fyne.KeyEscape)
	c.waitFor("the desk", func() bool { return c.screen == screenDesk })

	// The appointments: the tab (Ctrl+Tab), the first one chosen with the
	// arrows in the search field (Ctrl+F), a search, a move, a
	// cancellation, a booking.
	c.d.do(func() { c.pressCtrl(keyTabs) })
	c.d.do(func() { c.pressCtrl(keyFind); c.press(fyne.KeyDown) })
	c.waitFor("the chosen appointment", func() bool { return c.desk.appt.selected == arriving.ID && c.desk.appt.move != nil })
	at(c, "appointments")
	c.d.do(func() { c.typeRunes(words.search); c.press(fyne.KeyReturn) })
	c.waitFor("the search", func() bool { return c.desk.appt.searched })
	at(c, "search")
	c.d.do(func() { c.press(fyne.KeyEscape) })
	c.d.do(func() { c.press(fyne.KeyDown); c.pressCtrl(keyMove) })
	c.waitFor("the move dialog", c.dialogOpen)
	c.waitSlots(c.dlg.move.slots)
	at(c, "move")
	c.key(fyne.KeyEscape)
	c.d.do(func() { c.pressCtrl(keyCancelBooking) })
	c.waitFor("the cancel dialog", c.dialogOpen)
	at(c, "cancel")
	c.key(fyne.KeyEscape)
	b := c.openBook()
	c.d.do(func() {
		c.press(fyne.KeyTab) // the day
		c.press(fyne.KeyTab) // the times
		c.press(fyne.KeyTab)
		c.typeRunes(words.name)
		c.press(fyne.KeyTab)
		c.typeRunes("maria.rossi@example.it")
		c.press(fyne.KeyTab)
		c.typeRunes(words.bookNote)
	})
	at(c, "book")
	c.d.do(func() { c.pressCtrl(fyne.KeyReturn) }) // in the note, Enter is a new line
	c.waitBooked(b)
	at(c, "booked")
	c.key(fyne.KeyReturn)

	// The citizen of 09:45 checks in, and is called before the walk-ins.
	d.checkIn(arriving.Code)
	c.key(keyNext)
	c.waitFor("the appointment at the counter", func() bool {
		return c.desk.appointment.Visible() && strings.Contains(c.desk.appointment.Text, words.name)
	})
	at(c, "appointment-ticket")
	c.key(keyFinish)
	c.waitIdle()

	d.o.Stop()
	c.waitFor("the banner", func() bool { return c.desk.banner.Visible() })
	at(c, "offline")
	d.o = d.o.Restart()
	c.waitFor("back", func() bool { return c.status.State == client.Connected && !c.desk.banner.Visible() })

	f := d.console(Options{User: "luca", Counter: "6"})
	f.logIn("luca", "6")
	f.openWith("documenti")
	f.key(keyNext)
	f.calledNumber()
	f.key(keyRegister)
	f.waitFor("the register dialog", func() bool { return f.modal != nil })
	f.typeIn(f.dlg.register.document, words.document)
	at(f, "register")
	f.key(fyne.KeyReturn)
	f.waitFor("the protocol number", func() bool { return !f.busy && f.desk.protocol.Visible() })
	at(f, "receipt")
}

// arrivals issues a morning's tickets: spread over the last half hour,
// for counter 1's services and the fast-track lane.
func arrivals(d *desk, services ...string) {
	d.t.Helper()
	now := d.o.Clock.Now()
	d.o.Clock.Add(-30 * time.Minute)
	for i, s := range services {
		d.issue(s, i == 4)
		d.o.Clock.Add(3 * time.Minute)
	}
	d.o.Clock.Set(now)
}

// longOffice is the demo office with the longest names and sheets a real
// office might write, and three more services, so that the lists are long.
func longOffice(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	o := &cfg.Office
	long := map[string][2]string{
		"anagrafe":  {"Anagrafe, stato civile, elettorale e certificazioni storiche", "Registry office, civil status, electoral roll and historical certificates"},
		"tributi":   {"Tributi comunali: IMU, TARI, canone unico e rateizzazioni", "Local taxes: property tax, waste tax, single fee and instalments"},
		"sociali":   {"Servizi sociali, contributi economici e assistenza domiciliare", "Social services, financial support and home care assistance"},
		"documenti": {"Consegna documenti, protocollazione e ritiro ricevute", "Document drop-off, registration and collection of receipts"},
	}
	var sheet strings.Builder
	sheet.WriteString("**Cosa portare / What to bring**\n")
	for i := range 24 {
		sheet.WriteString("- documento numero " + string(rune('A'+i)) + " in originale e in copia, firmato e datato dal richiedente / document " + string(rune('A'+i)) + ", original and copy, signed and dated by the applicant\n")
	}
	sheet.WriteString("\nUn paragrafo molto lungo senza interruzioni che spiega le eccezioni, i casi particolari e i moduli da compilare prima di presentarsi allo sportello.\n")
	for i := range o.Services {
		s := &o.Services[i]
		if n, ok := long[s.ID]; ok {
			s.NameIT, s.NameEN = n[0], n[1]
		}
		s.Info = sheet.String()
	}
	base := o.Services[0]
	for i, id := range []string{"edilizia", "commercio", "scuola"} {
		s := base
		s.ID, s.Prefix = id, []string{"E", "C", "K"}[i]
		s.NameIT = "Sportello unico " + id + ": pratiche, autorizzazioni, segnalazioni certificate di inizio attività"
		s.NameEN = "One-stop desk " + id + ": applications, permits and certified notices of start of activity"
		o.Services = append(o.Services, s)
		o.Counters[0].Services = append(o.Counters[0].Services, id)
	}
	if err := o.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// useLanguage makes the console speak l ("it", "en") for the test.
func useLanguage(t *testing.T, l string) {
	t.Helper()
	old := os.Getenv("LANGUAGE")
	set := func(v string) {
		os.Setenv("LANGUAGE", v)
		if err := LoadTranslations(); err != nil {
			t.Fatal(err)
		}
	}
	set(l)
	t.Cleanup(func() { set(old) })
}

// Every screen and dialog of the console fits the laptop it is made for
// (1366x768, and the default window, which leaves room for a taskbar), in
// Italian and English, with the longest names, notes and sheets: nothing
// lies outside the window or its column, and no text is cut.
func TestEveryScreenFits(t *testing.T) {
	words := tourWords{
		note: strings.Repeat("Manca il consenso del proprietario; il cittadino tornerà con il contratto registrato. ", 11),
		document: "Istanza di cambio di residenza con allegati: contratto di locazione registrato, consenso del proprietario, " +
			"copia dei documenti d'identità del nucleo familiare",
		name: "Maria Addolorata Immacolata Concetta Rossi Bianchi Esposito Santangelo de' Medici Lombardi",
		bookNote: strings.Repeat("Porta il contratto di locazione registrato e il consenso del proprietario; chiede anche il certificato per il figlio. ", 3) +
			"Ha difficoltà a salire le scale: accoglierla al piano terra, vicino all'ingresso.", // 435 characters: near the 500 allowed
		search: "verdi",
	}
	for _, l := range []string{"it", "en"} {
		for _, size := range []fyne.Size{WindowSize, fyne.NewSize(1366, 768)} {
			t.Run(l+"/"+sizeName(size), func(t *testing.T) {
				useLanguage(t, l)
				d := newDeskWith(t, longOffice(t), officetest.Tuesday("09:40"))
				d.size, d.lang = size, l
				arrivals(d, "anagrafe", "tributi", "sociali", "anagrafe", "tributi", "edilizia", "anagrafe", "documenti")
				seen := map[string]bool{}
				shots := os.Getenv("TURNO_FIT_SHOTS") // a folder to see the matrix in
				tour(t, d, words, func(c *console, name string) {
					seen[name] = true
					c.d.do(func() {
						for _, p := range fitProblems(c.w.Canvas(), size) {
							t.Errorf("%s: %s", name, p)
						}
					})
					if shots != "" {
						capture(t, c, filepath.Join(shots, fmt.Sprintf("counter-%s-%s-%s.png", l, sizeName(size), name)))
					}
				})
				want := []string{"login", "login-refused", "open", "idle", "paused", "called", "recalled", "serving", "forward",
					"transfer", "no-shows", "reactivate", "services", "appointments", "search", "move", "cancel", "book", "booked",
					"appointment-ticket", "offline", "register", "receipt"}
				for _, n := range want {
					if !seen[n] {
						t.Errorf("the tour never showed %s", n)
					}
				}
				if len(seen) != len(want) {
					t.Errorf("the tour showed %d screens, the test checks %d: add the new ones to want", len(seen), len(want))
				}
			})
		}
	}
}

func sizeName(s fyne.Size) string {
	return fmt.Sprintf("%.0fx%.0f", s.Width, s.Height)
}

// The checker finds what does not fit: a row of buttons wider than the
// window, and a label squeezed under its text.
func TestFitCheckerFindsWhatDoesNotFit(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	c := d.console(Options{})
	var problems []string
	c.d.do(func() {
		c.desk.counterName.Truncation = fyne.TextTruncateOff
		c.desk.counterName.SetText(strings.Repeat("Sportello con un nome lunghissimo ", 10))
		c.showDesk("")
		problems = fitProblems(c.w.Canvas(), WindowSize)
	})
	if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "the screen needs") }) ||
		!slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "lies outside") }) {
		t.Fatalf("a top bar wider than the window: got %q", problems)
	}

	squeezed := test.NewWindow(container.NewVBox(
		container.NewGridWrap(fyne.NewSize(60, 20), widget.NewLabel("Chiama il prossimo")),
		container.NewVScroll(container.NewGridWrap(fyne.NewSize(900, 30), widget.NewLabel("wider than its scroll"))),
	))
	defer squeezed.Close()
	squeezed.Resize(fyne.NewSize(400, 300))
	problems = fitProblems(squeezed.Canvas(), fyne.NewSize(400, 300))
	for _, want := range []string{`"Chiama il prossimo": 60 wide, needs`, `"wider than its scroll" at`} {
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, want) }) {
			t.Errorf("want a problem with %s, got %q", want, problems)
		}
	}
}
