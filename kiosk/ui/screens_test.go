package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"turno/assets"
	"turno/server/client"
	"turno/server/config"
	"turno/server/officetest"
	"turno/server/queue"
)

// The kiosk's target screens: a portrait totem, a square touch monitor,
// and a landscape one.
var kioskSizes = []fyne.Size{{Width: 1080, Height: 1920}, {Width: 1280, Height: 1024}, {Width: 1920, Height: 1080}}

// longOffice is the demo office with everything that makes a kiosk's
// words long: six services with long names in both languages, and each
// way a service stops (cut-off by time and by load, locked with a long
// bilingual reason, the day's cap, closed until next week).
func longOffice(t *testing.T) *config.Config {
	t.Helper()
	toml := string(assets.DemoOffice)
	for old, repl := range map[string]string{
		`{ it = "Anagrafe e stato civile", en = "Registry office" }`:           `{ it = "Anagrafe, stato civile ed elettorale, carte d'identità elettroniche", en = "Registry, civil status, electoral roll and electronic identity cards" }`,
		`{ it = "Tributi (IMU, TARI)", en = "Local taxes" }`:                   `{ it = "Tributi locali (IMU, TARI, canone unico patrimoniale)", en = "Local taxes (property tax, waste tax, public land fee)" }`,
		`{ it = "Servizi sociali", en = "Social services" }`:                   `{ it = "Servizi sociali e sostegno alle famiglie", en = "Social services and family support" }`,
		`{ it = "Consegna documenti e protocollo", en = "Document drop-off" }`: `{ it = "Consegna di documenti, istanze e protocollazione della corrispondenza", en = "Drop-off and registration of documents, applications and correspondence" }`,
		"prefix = \"T\"\ntarget_wait":                                          "prefix = \"T\"\ncutoff_before_close = \"1m\"\ncutoff_on_load = true\ntarget_wait",
		"appointments = true # the defaults":                                   "appointments = false # the long office: one service that cannot be booked; the defaults",
		`services = ["documenti"]`: `services = ["documenti"]

[[counters]]
id = "7"
name = "Sportello 7"
services = ["edilizia", "polizia"]`,
		"[[counters]]\nid = \"1\"": `[[services]]
id = "edilizia"
name = { it = "Sportello unico per l'edilizia e le attività produttive (SUAP e SUE)", en = "One-stop desk for building permits and businesses (SUAP and SUE)" }
prefix = "E"
cutoff_before_close = "1m"
daily_cap = 1
appointments = true
target_wait = "20m"
service_time = "15m"

[[services]]
id = "polizia"
name = { it = "Polizia locale: permessi ZTL, contrassegni per disabili, oggetti smarriti", en = "Local police: restricted traffic zone permits, disabled parking badges, lost property" }
prefix = "L"
appointments = true
target_wait = "20m"
service_time = "10m"
info = """
**Cosa portare / What to bring**
` + strings.Repeat("- un documento d'identità valido e la documentazione richiesta dal modulo / a valid identity document and the papers the form asks for\n", 25) + `"""
[services.hours]
mon = ["08:30-12:30"]

[[counters]]
id = "1"`,
	} {
		if !strings.Contains(toml, old) {
			t.Fatalf("the demo office has changed: no %q", old)
		}
		toml = strings.Replace(toml, old, repl, 1)
	}
	cfg, err := config.Parse([]byte(toml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// longLock is a floor assistant's reason, in both languages, as they write it.
const longLock = "l'assistente sociale è in riunione con il sindaco fino alle 11:30 / the social worker is in a meeting with the mayor until 11:30"

// startLongOffice runs the long office at 12:10 on a Tuesday with every
// service in a different state, and a kiosk on it.
func startLongOffice(t *testing.T) (*officetest.Office, *harness, *relay) {
	t.Helper()
	o := officetest.StartWith(t, longOffice(t), officetest.NewClock(officetest.Tuesday("12:10")))
	ctx := context.Background()
	kiosk, err := client.New(o.URL, client.WithToken(officetest.KioskToken))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := kiosk.Issue(ctx, "documenti", false, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := kiosk.Issue(ctx, "edilizia", false, ""); err != nil {
		t.Fatal(err)
	}
	// Tributi stops when the people waiting fill the time to 12:30: issue
	// until it says so, without a refused request (the refusal comes from
	// the kiosk, later).
	for i := 0; ; i++ {
		svcs, err := kiosk.Services(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && serviceStatus(svcs, "tributi") == queue.ServiceCutoff {
			break
		}
		if i == 40 {
			t.Fatal("tributi never stopped on load")
		}
		if _, _, err := kiosk.Issue(ctx, "tributi", false, ""); err != nil {
			t.Fatal(err)
		}
	}
	floor, err := client.New(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := floor.Login(ctx, "anna", officetest.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := floor.LockService(ctx, "sociali", longLock); err != nil {
		t.Fatal(err)
	}
	r := newRelay(t, strings.TrimPrefix(o.URL, "http://"))
	h := newHarness(t, r.URL(), o.Clock, nil)
	h.waitFor("every state", func() bool {
		if !h.k.online() || len(h.k.cells) != 6 {
			return false
		}
		for _, id := range []string{"anagrafe", "tributi", "sociali", "edilizia", "polizia"} {
			if !h.k.cells[id].tile.Stopped() {
				return false
			}
		}
		return !h.k.cells["documenti"].tile.Stopped()
	})
	return o, h, r
}

// mode sets the citizen's modes at once, as their buttons do.
// A theme changes only when a mode does: installing one lays every
// object of every screen out again, the tests' most expensive step.
func (k *Kiosk) mode(lang string, m themeMode) {
	k.tr.SetLanguage(lang)
	if k.contrast != m.contrast || k.large != m.large {
		k.contrast, k.large = m.contrast, m.large
		k.applyTheme()
	}
	k.relabel()
}

// checkFit renders the window at size and reports what does not fit, and
// every text under 4.5:1 contrast with what is behind it.
func (h *harness) checkFit(what string, size fyne.Size) {
	h.t.Helper()
	h.k.locked(func() {
		h.win.Resize(size)
		h.k.root.Refresh()
		c := h.win.Canvas()
		for _, p := range fitProblems(c) {
			h.t.Errorf("%s: %s", what, p)
		}
		bg := h.k.opt.App.Settings().Theme().Color("background", 0)
		for _, tc := range textContrasts(c, bg) {
			if r := contrastRatio(tc.fg, tc.bg); r < 4.5 {
				h.t.Errorf("%s: %q: %v on %v is %.2f:1, want at least 4.5:1", what, tc.text, tc.fg, tc.bg, r)
			}
		}
	})
}

// Every screen of the kiosk, at every size, in every language, in normal
// and large text and both palettes, with the longest names and reasons:
// everything inside the window and inside its place, no words clipped or
// cut, every text readable on what is behind it.
func TestEveryScreenFits(t *testing.T) {
	o, h, r := startLongOffice(t)

	// Every size, language and text size; the high-contrast palette
	// draws the same places in other colours, so it is checked at one
	// size, for its colours as much as for its places.
	each := func(screen string, prepare func()) {
		t.Helper()
		for _, m := range themeModes {
			for _, lang := range languages {
				h.k.locked(func() { h.k.mode(lang, m) })
				if prepare != nil {
					prepare()
				}
				for _, size := range kioskSizes {
					if m.contrast && size != kioskSizes[0] {
						continue
					}
					h.checkFit(fmt.Sprintf("%s %s %s %vx%v", screen, lang, m, size.Width, size.Height), size)
				}
			}
		}
	}
	each("start", nil)
	// The tiles' words are one size, whatever each needs.
	h.k.locked(func() {
		h.k.mode("it", themeMode{})
		h.win.Resize(kioskSizes[0])
		h.k.root.Refresh()
		var sizes []float32
		for _, c := range h.k.grid.cells {
			sizes = append(sizes, c.tile.text.Scale())
		}
		for _, s := range sizes[1:] {
			if s != sizes[0] {
				t.Errorf("tiles drawn at different scales: %v", sizes)
				break
			}
		}
	})
	h.k.locked(func() { h.k.setPriority(true) })
	each("priority", nil)
	h.k.locked(h.k.reset)

	h.k.locked(func() { h.k.openInfo("polizia") })
	each("info closed service", nil)
	h.k.locked(func() { h.k.openInfo("documenti") })
	each("info", nil)
	h.k.locked(func() { h.k.show(screenBusy) })
	each("busy", nil)

	h.k.locked(func() { h.k.priority = true; h.k.take("documenti") })
	h.waitFor("the priority ticket", func() bool { return h.k.screen == screenTicket })
	each("ticket", nil)

	// One refusal, shown in every language and mode (the message is
	// written again in the citizen's language). One: the server shares a
	// service's turnaway counts between the views it sends and the office
	// it updates, and a second turnaway of the same service while a view
	// is being sent is a data race there (reported to the server's owner).
	h.k.locked(func() { h.k.reset(); h.k.take("tributi") }) // stopped on load: the server refuses, and says why
	h.waitFor("the refusal", func() bool { return h.k.screen == screenMessage })
	h.k.locked(func() {
		if got := h.k.mText.Text(); !strings.Contains(got, "in attesa occupano lo sportello") {
			t.Errorf("refusal: got %q, want the longest reason (cut off on load)", got)
		}
	})
	each("refusal", nil)
	h.k.locked(h.k.reset)

	// The check-in: the keypad with a code half typed; the ticket of a
	// booked citizen; a refusal of a check-in.
	h.k.locked(func() {
		h.k.openCheckIn()
		for _, r := range "KM4T" {
			h.k.typeCode(r)
		}
	})
	each("check-in", nil)
	b := bookFor(t, clerk(t, o), "anagrafe", officetest.Tuesday("12:15"), "Maria Rossi")
	h.k.locked(func() { h.k.reset(); h.k.checkIn(b.Code, queue.FormatCode(b.Code)) })
	h.waitFor("the appointment's ticket", func() bool { return h.k.screen == screenTicket })
	each("ticket after check-in", nil)
	h.k.locked(func() { h.k.reset(); h.k.checkIn("ACDEFG", "ACD-EFG") })
	h.waitFor("the refusal of the check-in", func() bool { return h.k.screen == screenMessage })
	each("check-in refused", nil)

	// The booking keyboard after a late check-in, with the longest name;
	// the booking made.
	h.k.locked(func() {
		h.k.reset()
		slot := offerable(h.k.model.Service("anagrafe")).Start
		late := slot.Add(-4 * time.Hour)
		h.k.offerBooking("anagrafe", slot, func() (string, string, string) {
			return h.k.words.checkInRefusal(&queue.CheckInRefusal{Reason: queue.CheckInTooLate, Service: "anagrafe", Slot: &late}, "")
		})
		for _, r := range "MARIA FRANCESCA DELL'ACQUA BENEDETTI ROSSINI" {
			h.k.typeName(r)
		}
	})
	each("booking", nil)
	h.k.locked(h.k.book)
	h.waitFor("the booking", func() bool { return h.k.screen == screenBooked })
	each("booked", nil)
	h.k.locked(h.k.reset)

	o.Stop()
	r.cut()
	h.waitFor("the server-down screen", func() bool { return !h.k.online() })
	each("offline", nil)
}

func serviceStatus(svcs []queue.ServiceView, id string) string {
	for _, s := range svcs {
		if s.ID == id {
			return s.Status
		}
	}
	return ""
}

// A kiosk the server refuses shows the longest message of all.
func TestRefusedScreenFits(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, func(opt *Options) {
		c, err := client.New(o.URL, client.WithToken("not-the-kiosk-token-at-all"))
		if err != nil {
			t.Fatal(err)
		}
		opt.Client = c
	})
	h.waitFor("the refusal", func() bool { return h.k.refused() })
	for _, lang := range languages {
		for _, m := range themeModes {
			h.k.locked(func() { h.k.mode(lang, m) })
			for _, size := range kioskSizes {
				h.checkFit(fmt.Sprintf("refused %s %s %vx%v", lang, m, size.Width, size.Height), size)
			}
		}
	}
}
