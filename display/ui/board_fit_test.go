package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"turno/assets"
	"turno/server/config"
	"turno/server/officetest"
)

// sixServices is the demo office with two more services, both with long
// names, and a counter with a long name: the board is designed for six
// services with their reasons.
func sixServices(t *testing.T) *config.Config {
	t.Helper()
	extra := `
[[services]]
id = "edilizia"
name = { it = "Sportello unico per l'edilizia e le attività produttive (SUAP e SUE)", en = "One-stop desk for building permits and business activities" }
prefix = "E"
target_wait = "30m"
service_time = "15m"
daily_cap = 4
appointments = true

[[services]]
id = "elettorale"
name = { it = "Ufficio elettorale, leva militare e certificati storici di residenza", en = "Electoral roll, military service and historical residence certificates" }
prefix = "L"
target_wait = "20m"
service_time = "10m"

[[counters]]
id = "7"
name = "Sportello 7 — Edilizia privata, SUAP e ufficio elettorale"
services = ["edilizia", "elettorale", "anagrafe"]
`
	cfg, err := config.Parse(append(append([]byte(nil), assets.DemoOffice...), extra...))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// longMessage is as long as a hall message may be (280 characters).
const longMessage = "Oggi lo sportello 4 resta chiuso per un guasto informatico: i servizi tributari sono garantiti agli sportelli 1, 2 e 5. Today counter 4 is closed: local taxes are served at counters 1, 2 and 5. Ci scusiamo per il disagio · We apologise for the inconvenience. Grazie · Thank you!"

// crowdedBoard is the worst morning the board must show: six services,
// each stopped for a reason (a long lock reason, cut-offs with when they
// reopen and the appointment hint), calls at long-named counters, the
// longest hall message, and the connection lost.
func crowdedBoard(t *testing.T) *officetest.Office {
	t.Helper()
	if len(longMessage) > 280 {
		t.Fatalf("the message is %d bytes, the server takes 280", len(longMessage))
	}
	o := officetest.StartWith(t, sixServices(t), officetest.NewClock(officetest.Tuesday("10:00")))
	ctx := context.Background()
	issue(t, o, "anagrafe", "tributi", "edilizia", "elettorale", "anagrafe", "tributi", "sociali", "edilizia", "anagrafe")
	mario := open(t, o, "mario", "7", "edilizia", "elettorale", "anagrafe")
	giulia := open(t, o, "giulia", "2", "anagrafe", "tributi")
	for range 3 {
		if _, err := mario.Next(ctx, "7"); err != nil {
			t.Fatal(err)
		}
		if _, err := mario.Finish(ctx, "7", "resolved", "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := mario.Next(ctx, "7"); err != nil {
		t.Fatal(err)
	}
	if _, err := giulia.Next(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	anna := login(t, o, "anna")
	if _, err := anna.LockService(ctx, "sociali", "L'assistente sociale è in riunione con il servizio tutela minori fino alle 11:30; per urgenze rivolgersi allo sportello 1 o telefonare allo 0123 456789"); err != nil {
		t.Fatal(err)
	}
	if err := anna.SetHallMessage(ctx, longMessage); err != nil {
		t.Fatal(err)
	}
	// 12:05: the standard services have stopped issuing for the morning.
	o.Clock.Set(officetest.Tuesday("12:05"))
	if _, err := anna.LogContact(ctx, "", "orari"); err != nil {
		t.Fatal(err)
	}
	return o
}

// boardAt starts a board in a window of size.
func boardAt(t *testing.T, o *officetest.Office, size fyne.Size, langs ...string) (*Board, *ui, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	u := &ui{}
	opt := options(o, connect(t, o, officetest.DisplayToken), u)
	opt.MinBackoff, opt.MaxBackoff = time.Hour, time.Hour // once lost, the connection stays lost
	b := NewBoard(context.Background(), BoardOptions{Options: opt, Langs: langs})
	t.Cleanup(b.Close)
	var w fyne.Window
	u.do(func() {
		w = test.NewTempWindow(t, b.Content())
		w.SetPadded(false)
		w.Resize(size)
	})
	return b, u, w
}

// The board fits its screen on the worst morning: every region inside the
// window, no text clipped, nothing a citizen reads smaller than 28, the
// header, the banner, the message and the newest call all there; on the
// hall's 1920x1080 the six services on one page.
func TestTheBoardFitsItsScreen(t *testing.T) {
	o := crowdedBoard(t)
	for _, size := range []fyne.Size{boardSize, fyne.NewSize(1280, 720)} {
		for _, langs := range [][]string{{"it", "en"}, {"it"}, {"en"}} {
			name := fmt.Sprintf("%vx%v %s", size.Width, size.Height, strings.Join(langs, "+"))
			t.Run(name, func(t *testing.T) {
				b, u, w := boardAt(t, o, size, langs...)
				eventually(t, u, "the services and the calls", func() (bool, string) {
					got, _ := b.newest()
					return len(b.shown) > 0 && got != "" && b.message.Visible(), got
				})
				// Each language of the services in turn, and (with both
				// languages, the longest banner) the connection lost: the
				// board must fit in every state.
				states := len(langs)
				if len(langs) > 1 {
					states++
				}
				for i := range states {
					if i == len(langs) {
						o.Stop()
						eventually(t, u, "the banner", func() (bool, string) { return b.banner.Visible(), b.bannerText.full })
					}
					u.do(func() { b.refresh(b.model, b.status); w.Canvas().Content().Refresh() })
					r := assertFits(t, u, w, name)
					if r.smallestText < sizeMin {
						t.Errorf("%s: %q is %.0f units, want at least %.0f at ten metres", name, r.smallestWhat, r.smallestText, sizeMin)
					}
					var office, clock, message string
					var six int
					u.do(func() {
						office, clock, message = b.office.t.Text, b.clock.t.Text, b.messageText.text()
						six = b.pages
					})
					if !strings.HasPrefix(office, "Comune di Borgo Demo") || clock != o.Clock.Now().In(officetest.Rome).Format("15:04") || !strings.HasPrefix(message, "Oggi lo sportello 4") {
						t.Errorf("%s: header %q %q, message %q", name, office, clock, message)
					}
					if size == boardSize && six != 1 {
						t.Errorf("%s: the services take %d pages, want the six on one", name, six)
					}
					o.Clock.Add(DefaultAlternate)
				}
				if states > len(langs) {
					o = o.Restart()
				}
			})
		}
	}
}

// A service's reason and the hall message are cut with an ellipsis when
// they do not fit, never spilled onto the next row.
func TestLongTextIsCutWhereItMustBe(t *testing.T) {
	o := crowdedBoard(t)
	b, u, w := boardAt(t, o, fyne.NewSize(1280, 720))
	eventually(t, u, "the services", func() (bool, string) { return len(b.shown) > 0 && b.pages > 1, fmt.Sprint(b.pages) })
	// Turn to the page with the locked service.
	u.do(func() {
		for range 4 * b.pages {
			if b.shown["sociali"] != nil {
				break
			}
			o.Clock.Add(DefaultAlternate)
			b.refresh(b.model, b.status)
		}
		w.Canvas().Content().Refresh()
	})
	var got string
	var cut bool
	u.do(func() {
		if r := b.shown["sociali"]; r != nil {
			got, cut = r.state.text(), r.state.cut
		}
	})
	if !cut || !strings.HasSuffix(got, ellipsis) || !strings.HasPrefix(got, "Sospeso") && !strings.HasPrefix(got, "Suspended") {
		t.Fatalf("the lock's long reason shows as %q (cut %v), want its start and an ellipsis", got, cut)
	}
}

func TestAfterClosingTheBoardRests(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("12:10"))
	b, u, w := boardAt(t, o, boardSize)
	ctx := context.Background()
	issue(t, o, "documenti")
	luca := open(t, o, "luca", "6", "documenti")
	o.Clock.Set(officetest.Tuesday("12:29"))
	if _, err := luca.Next(ctx, "6"); err != nil {
		t.Fatal(err)
	}
	// 12:31: every service closed, nobody waits, the last citizen is at the
	// counter: the call made two minutes ago still shows.
	o.Clock.Set(officetest.Tuesday("12:31"))
	anna := login(t, o, "anna")
	if _, err := anna.LogContact(ctx, "", "orari"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "the last call still shown", func() (bool, string) {
		got, _ := b.newest()
		return got == "D001 → Sportello 6 — Consegna rapida" && b.model.Service("documenti").Status == "closed", got
	})
	// A few minutes later the board rests: no number, when the office
	// opens again, no last calls.
	o.Clock.Set(officetest.Tuesday("12:35"))
	eventually(t, u, "the board rests", func() (bool, string) {
		return b.state == stateClosed && b.nowNum.full == "Ufficio chiuso · Office closed" &&
				b.nowCounter.full == "Riapre alle 15:00 · Opens again at 15:00" && len(b.current.Objects) == 0 && len(b.last.Objects) == 0,
			fmt.Sprintf("state %d %q %q", b.state, b.nowNum.full, b.nowCounter.full)
	})
	assertFits(t, u, w, "the resting board")
	// After the afternoon's opening and closing (the server notices each on
	// its next command), it names the next morning.
	for _, at := range []string{"15:05", "17:05"} {
		o.Clock.Set(officetest.Tuesday(at))
		if _, err := anna.LogContact(ctx, "", "orari"); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, u, "tomorrow", func() (bool, string) {
		return b.nowCounter.full == "Riapre domani alle 08:30 · Opens again tomorrow at 08:30", b.nowCounter.full
	})
}

// More services than fit are shown a page at a time, each page in every
// language before the next.
func TestMoreServicesThanFitArePaged(t *testing.T) {
	o := officetest.StartWith(t, sixServices(t), officetest.NewClock(officetest.Tuesday("09:00")))
	b, u, _ := boardAt(t, o, fyne.NewSize(1280, 720))
	anna := login(t, o, "anna")
	if err := anna.SetHallMessage(context.Background(), longMessage); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for range 12 {
		eventually(t, u, "a page", func() (bool, string) { return b.message.Visible() && len(b.shown) > 0, "" })
		u.do(func() {
			b.refresh(b.model, b.status)
			for id := range b.shown {
				seen[id] = true
			}
			if b.pages < 2 {
				t.Errorf("%d page(s) at 1280x720 with a message: want the services paged", b.pages)
			}
		})
		o.Clock.Add(DefaultAlternate)
	}
	if len(seen) != 6 {
		t.Fatalf("saw %d services over the pages, want all 6: %v", len(seen), seen)
	}
}
