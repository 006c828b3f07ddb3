package ui

import (
	"context"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"turno/server/client"
	"turno/server/officetest"
	"turno/server/queue"
)

// padToken is the demo office's rating pad, at counter 3.
const padToken = "demo-pad-3-token"

var (
	padSmall = fyne.NewSize(800, 480)  // a 7" panel
	padLarge = fyne.NewSize(1024, 600) // a 10" tablet
)

// newPad starts a rating pad facing counter, with token, on the server at
// url (the office's, or a proxy in front of it).
func newPad(t *testing.T, o *officetest.Office, url, token, counter string, size fyne.Size) (*Pad, *ui, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	u := &ui{}
	c, err := client.New(url, client.WithToken(token))
	if err != nil {
		t.Fatal(err)
	}
	var p *Pad
	var w fyne.Window
	u.do(func() {
		p = NewPad(context.Background(), PadOptions{Options: options(o, c, u), Counter: counter})
		w = test.NewTempWindow(t, p.Content())
		w.SetPadded(false)
		w.Resize(size)
	})
	t.Cleanup(p.Close)
	eventually(t, u, "the pad connected", func() (bool, string) {
		return p.status.State == client.Connected && p.model.Seq > 0, p.status.State.String()
	})
	return p, u, w
}

// serveAt has clerk call the next citizen at counter and finish.
func serveAt(t *testing.T, clerk *client.Client, counter string) *queue.TicketView {
	t.Helper()
	ctx := context.Background()
	res, err := clerk.Next(ctx, counter)
	if err != nil {
		t.Fatalf("next at %s: %v", counter, err)
	}
	if _, err := clerk.Finish(ctx, counter, queue.OutcomeResolved, "", ""); err != nil {
		t.Fatalf("finish at %s: %v", counter, err)
	}
	return res.Ticket
}

// ratings are the ratings the office has recorded, from its event log.
func ratings(t *testing.T, o *officetest.Office) []queue.Event {
	t.Helper()
	events, err := o.Store.EventsSince(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []queue.Event
	for _, ev := range events {
		if ev.Type == queue.EventTicketRated {
			out = append(out, ev)
		}
	}
	return out
}

func (p *Pad) isLit() bool {
	return p.state == padAsking && p.ask.Visible() && p.ground.FillColor == padGround
}

func (p *Pad) isDark() bool {
	return p.state == padDark && !p.ask.Visible() && !p.thanks.Visible() && p.ground.FillColor == padBlack
}

func (p *Pad) says() string {
	return fmt.Sprintf("state %d: %q %q · %q · %q %q · %q", p.state, p.question.full, p.sub.full, p.noteText.full, p.thanksBig.full, p.thanksLine.full, p.problemMsg.full)
}

// The pad is dark until the clerk of its own counter finishes a ticket (a
// finish at another counter is not its citizen's); then it asks, one tap
// rates that ticket, per service and counter and without the clerk, it
// thanks, and after the thanks it is dark again.
func TestThePadLightsUpOnItsCountersFinishAndOneTapRates(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	issue(t, o, "anagrafe", "anagrafe", "sociali")
	giulia := open(t, o, "giulia", "2", "anagrafe")
	luca := open(t, o, "luca", "3", "anagrafe", "sociali")
	p, u, _ := newPad(t, o, o.URL, padToken, "3", padSmall)
	u.do(func() {
		if !p.isDark() {
			t.Errorf("at start: %s, want dark", p.says())
		}
	})

	other := serveAt(t, giulia, "2")
	eventually(t, u, "the finish at counter 2 seen", func() (bool, string) {
		tk := p.model.FindTicket(other.ID)
		return tk != nil && tk.Status == queue.StatusDone, p.says()
	})
	u.do(func() {
		if !p.isDark() {
			t.Errorf("after a finish at counter 2: %s, want dark", p.says())
		}
	})

	o.Clock.Add(4 * time.Minute)
	mine := serveAt(t, luca, "3")
	eventually(t, u, "lit for "+mine.Number, func() (bool, string) {
		return p.isLit() && strings.Contains(p.sub.full, mine.Number), p.says()
	})
	u.do(func() {
		if p.question.full != "Come valuta il servizio ricevuto?" || p.faces[4].word.full != "Molto bene" {
			t.Errorf("the question: %s", p.says())
		}
		test.Tap(p.faces[3].button) // "Bene"
	})
	eventually(t, u, "thanks", func() (bool, string) {
		return p.state == padThanks && p.thanks.Visible() && p.thanksLine.full == "Il Suo giudizio è stato registrato.", p.says()
	})
	got := ratings(t, o)
	if len(got) != 1 {
		t.Fatalf("got %d ratings, want 1", len(got))
	}
	r := got[0]
	if r.Rating.Ticket != mine.ID || r.Rating.Score != 4 || r.Rating.Service != mine.Service || r.Rating.Counter != "3" || r.Rating.Clerk != "" || r.Actor != "pad-3" {
		t.Fatalf("the rating: got %+v by %q, want %s's, 4, %s, counter 3, no clerk, by pad-3", *r.Rating, r.Actor, mine.Number, mine.Service)
	}

	o.Clock.Add(DefaultPadThanks)
	eventually(t, u, "dark after the thanks", func() (bool, string) { return p.isDark(), p.says() })
}

// A double tap, and a tap during the thanks, rate once.
func TestADoubleTapRatesOnce(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	issue(t, o, "anagrafe")
	luca := open(t, o, "luca", "3", "anagrafe")
	p, u, _ := newPad(t, o, o.URL, padToken, "3", padLarge)
	serveAt(t, luca, "3")
	eventually(t, u, "lit", func() (bool, string) { return p.isLit(), p.says() })
	u.do(func() {
		test.Tap(p.faces[4].button)
		test.Tap(p.faces[4].button)
		test.Tap(p.faces[0].button)
		if p.state != padSending || p.noteText.full != "Invio del giudizio…" {
			t.Errorf("after the taps: %s, want sending", p.says())
		}
	})
	eventually(t, u, "thanks", func() (bool, string) { return p.state == padThanks, p.says() })
	u.do(func() { test.Tap(p.faces[1].button) })
	o.Clock.Add(DefaultPadThanks)
	eventually(t, u, "dark", func() (bool, string) { return p.isDark(), p.says() })
	if got := ratings(t, o); len(got) != 1 || got[0].Rating.Score != 5 {
		t.Fatalf("got %d ratings (%+v), want one 5", len(got), got)
	}
}

// When the clerk calls the next citizen before the last one has rated,
// the pad goes dark: the next citizen's tap must not rate the last one's
// ticket. A finish then lights it for the new ticket.
func TestTheNextCallDarkensThePad(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	issue(t, o, "anagrafe", "anagrafe")
	luca := open(t, o, "luca", "3", "anagrafe")
	p, u, _ := newPad(t, o, o.URL, padToken, "3", padSmall)
	first := serveAt(t, luca, "3")
	eventually(t, u, "lit", func() (bool, string) { return p.isLit() && strings.Contains(p.sub.full, first.Number), p.says() })
	res, err := luca.Next(context.Background(), "3")
	if err != nil {
		t.Fatal(err)
	}
	second := res.Ticket
	eventually(t, u, "dark on the call of "+second.Number, func() (bool, string) { return p.isDark(), p.says() })
	u.do(func() { test.Tap(p.faces[0].button) }) // a tap on the dark pad
	if got := ratings(t, o); len(got) != 0 {
		t.Fatalf("a dark pad rated: %+v", got)
	}
	if _, err := luca.Finish(context.Background(), "3", queue.OutcomeResolved, "", ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "lit for "+second.Number, func() (bool, string) {
		return p.isLit() && strings.Contains(p.sub.full, second.Number), p.says()
	})
}

// Nobody taps: the pad goes dark after its timeout, not before, counted on
// the office's clock.
func TestThePadGoesDarkAfterItsTimeout(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	issue(t, o, "anagrafe")
	luca := open(t, o, "luca", "3", "anagrafe")
	p, u, _ := newPad(t, o, o.URL, padToken, "3", padSmall)
	serveAt(t, luca, "3")
	eventually(t, u, "lit", func() (bool, string) { return p.isLit(), p.says() })
	o.Clock.Add(DefaultPadTimeout - 2*time.Second)
	u.do(func() {
		p.refresh(p.model, p.status)
		if !p.isLit() {
			t.Errorf("2 s before the timeout: %s, want lit", p.says())
		}
	})
	o.Clock.Add(2 * time.Second)
	eventually(t, u, "dark", func() (bool, string) { return p.isDark(), p.says() })
	if got := ratings(t, o); len(got) != 0 {
		t.Fatalf("got %+v", got)
	}
}

// The citizen switches the pad to English with one tap; the next citizen
// finds it in Italian again.
func TestThePadSpeaksTheCitizensLanguage(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	issue(t, o, "anagrafe", "anagrafe")
	luca := open(t, o, "luca", "3", "anagrafe")
	p, u, _ := newPad(t, o, o.URL, padToken, "3", padSmall)
	serveAt(t, luca, "3")
	eventually(t, u, "lit", func() (bool, string) { return p.isLit(), p.says() })
	u.do(func() {
		if p.langButton.Text != "English" {
			t.Errorf("the language button: %q", p.langButton.Text)
		}
		test.Tap(p.langButton)
		if p.question.full != "How would you rate the service you received?" || p.faces[0].word.full != "Bad" || p.langButton.Text != "Italiano" {
			t.Errorf("in English: %s, button %q", p.says(), p.langButton.Text)
		}
		test.Tap(p.faces[2].button)
	})
	eventually(t, u, "thanks in English", func() (bool, string) {
		return p.state == padThanks && p.thanksLine.full == "Your rating has been recorded.", p.says()
	})
	o.Clock.Add(DefaultPadThanks)
	serveAt(t, luca, "3")
	eventually(t, u, "the next citizen, in Italian", func() (bool, string) {
		return p.isLit() && p.question.full == "Come valuta il servizio ricevuto?", p.says()
	})
}

// A rating whose answer was lost is sent again; the server, which has it,
// says already_rated, and the pad thanks: one rating.
func TestALostAnswerRatesOnceAndThanks(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	issue(t, o, "anagrafe")
	luca := open(t, o, "luca", "3", "anagrafe")
	p, u, _ := newPad(t, o, lossyProxyFor(t, o, "/rating"), padToken, "3", padSmall)
	serveAt(t, luca, "3")
	eventually(t, u, "lit", func() (bool, string) { return p.isLit(), p.says() })
	u.do(func() { test.Tap(p.faces[1].button) })
	eventually(t, u, "thanks", func() (bool, string) { return p.state == padThanks, p.says() })
	if got := ratings(t, o); len(got) != 1 || got[0].Rating.Score != 2 {
		t.Fatalf("got %+v, want one rating of 2", got)
	}
}

// The server out of reach: the banner says since when, in the office's
// zone; a tap that cannot reach it says so and leaves the faces to tap
// again; once the server is back, the tap rates.
func TestThePadOffline(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	issue(t, o, "anagrafe")
	luca := open(t, o, "luca", "3", "anagrafe")
	p, u, w := newPad(t, o, o.URL, padToken, "3", padSmall)
	o.Clock.Set(officetest.Tuesday("09:12"))
	serveAt(t, luca, "3")
	eventually(t, u, "lit", func() (bool, string) { return p.isLit(), p.says() })
	o.Stop()
	eventually(t, u, "the banner", func() (bool, string) {
		return p.banner.Visible() && p.bannerText.full == "Connessione persa dalle 09:12", p.bannerText.full
	})
	u.do(func() { test.Tap(p.faces[4].button) })
	eventually(t, u, "the faces again, and why", func() (bool, string) {
		return p.isLit() && p.noteText.full == "Il giudizio non è arrivato al server. Tocchi di nuovo un volto.", p.says()
	})
	for _, size := range []fyne.Size{padSmall, padLarge} {
		u.do(func() { w.Resize(size) })
		checkPad(t, u, w, fmt.Sprintf("offline, lit, %v", size))
	}
	o = o.Restart()
	eventually(t, u, "live again", func() (bool, string) { return !p.banner.Visible(), p.bannerText.full })
	u.do(func() { test.Tap(p.faces[4].button) })
	eventually(t, u, "thanks", func() (bool, string) { return p.state == padThanks, p.says() })
	if got := ratings(t, o); len(got) != 1 || got[0].Rating.Score != 5 {
		t.Fatalf("got %+v", got)
	}
}

// The server's refusals: a pad whose -counter is not its device's hears
// the wrong counter's finishes, and the server will not take their
// ratings: it says the service can no longer be rated here and goes dark;
// a display token that is no rating pad's says so for the staff and never
// lights up again; an unknown counter is said at once.
func TestThePadsRefusals(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	issue(t, o, "anagrafe", "anagrafe", "anagrafe", "anagrafe")
	giulia := open(t, o, "giulia", "2", "anagrafe")

	t.Run("not_last_finished", func(t *testing.T) {
		p, u, _ := newPad(t, o, o.URL, padToken, "2", padSmall) // the device is counter 3's
		serveAt(t, giulia, "2")
		eventually(t, u, "lit", func() (bool, string) { return p.isLit(), p.says() })
		u.do(func() { test.Tap(p.faces[2].button) })
		eventually(t, u, "too late", func() (bool, string) {
			return p.state == padTooLate && p.thanksLine.full == "Questo servizio non può più essere valutato qui.", p.says()
		})
		o.Clock.Add(DefaultPadThanks)
		eventually(t, u, "dark", func() (bool, string) { return p.isDark(), p.says() })
	})

	t.Run("not_a_rating_pad", func(t *testing.T) {
		p, u, _ := newPad(t, o, o.URL, officetest.DisplayToken, "2", padSmall) // the hall board's token
		serveAt(t, giulia, "2")
		eventually(t, u, "lit", func() (bool, string) { return p.isLit(), p.says() })
		u.do(func() { test.Tap(p.faces[2].button) })
		eventually(t, u, "the problem said, dark", func() (bool, string) {
			return p.isDark() && p.problemMsg.full != "" && strings.Contains(p.problemMsg.full, "pad di valutazione"), p.says()
		})
		serveAt(t, giulia, "2")
		o.Clock.Add(time.Second)
		u.do(func() {
			p.refresh(p.model, p.status)
			if !p.isDark() {
				t.Errorf("a pad that may not rate lit up: %s", p.says())
			}
		})
	})

	t.Run("unknown counter", func(t *testing.T) {
		p, u, _ := newPad(t, o, o.URL, padToken, "9", padSmall)
		eventually(t, u, "the problem said", func() (bool, string) {
			return p.isDark() && p.problemMsg.full == "L'ufficio non ha lo sportello 9: controlli -counter.", p.says()
		})
	})

	if got := ratings(t, o); len(got) != 0 {
		t.Fatalf("refused ratings recorded: %+v", got)
	}
}

// checkPad fails the test for what does not fit the pad's screen, a text
// under 18 units, or a target under padTarget (15 mm) either way.
func checkPad(t *testing.T, u *ui, w fyne.Window, what string) {
	t.Helper()
	u.do(func() { w.Canvas().Content().Refresh() })
	r := assertFits(t, u, w, what)
	if r.smallestText < 18 {
		t.Errorf("%s: %q is %.1f units, want at least 18", what, r.smallestWhat, r.smallestText)
	}
	for _, tg := range r.targets {
		if tg.size.Width < padTarget-slack || tg.size.Height < padTarget-slack {
			t.Errorf("%s: %s is %v, want at least %.0f both ways (15 mm)", what, tg.what, tg.size, padTarget)
		}
	}
}

// The pad fits a 7" 800x480 panel and a 10" 1024x600 tablet in Italian and
// in English, in every state: asking (with the note of a lost tap),
// sending, thanking, too late, dark with a problem, and the banner over
// all of it.
func TestThePadFitsSmallScreens(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	issue(t, o, "anagrafe")
	luca := open(t, o, "luca", "3", "anagrafe")
	p, u, w := newPad(t, o, o.URL, padToken, "3", padSmall)
	serveAt(t, luca, "3")
	eventually(t, u, "lit", func() (bool, string) { return p.isLit(), p.says() })
	for _, size := range []fyne.Size{padSmall, padLarge} {
		for _, lang := range []string{"it", "en"} {
			at := fmt.Sprintf("%vx%v %s", size.Width, size.Height, lang)
			u.do(func() {
				w.Resize(size)
				p.lang = lang
				p.state, p.note = padAsking, ""
				p.draw()
			})
			r := assertFits(t, u, w, at+" asking")
			if len(r.targets) != 6 {
				t.Errorf("%s: %d targets, want the five faces and the language", at, len(r.targets))
			}
			checkPad(t, u, w, at+" asking")
			u.do(func() {
				p.note = p.tr("Your rating did not reach the server. Please tap a face again.")
				p.banner.Show()
				p.bannerText.set(p.tr("Cannot reach the server since {{.T}}: retrying", "T", "09:12"), padInk)
				p.root.Refresh()
			})
			checkPad(t, u, w, at+" a lost tap, offline")
			for _, s := range []padState{padSending, padThanks, padTooLate} {
				u.do(func() { p.state = s; p.draw() })
				checkPad(t, u, w, fmt.Sprintf("%s state %d", at, s))
			}
			u.do(func() {
				p.state = padDark
				p.problem = p.tr("This screen's token is not a rating pad's: in the office's file, give its [[devices]] entry counter = \"{{.C}}\".", "C", "3")
				p.connects = p.status.Since // found on this connection: kept
				p.draw()
			})
			checkPad(t, u, w, at+" dark with a problem")
			u.do(func() { p.problem = "" })
		}
	}
}

// TestScreenshotsOfThePad renders the rating pad to TURNO_SCREENSHOTS (make
// screenshots): lit on a 7" 800x480 panel after Sportello 3 finished a
// ticket, in Italian and in English on a 10" 1024x600 tablet, and its
// thanks.
func TestScreenshotsOfThePad(t *testing.T) {
	dir := os.Getenv("TURNO_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TURNO_SCREENSHOTS to a directory to render the screenshots")
	}
	o := officetest.Start(t, officetest.Tuesday("10:40"))
	issue(t, o, "anagrafe", "anagrafe", "anagrafe", "anagrafe", "anagrafe", "anagrafe", "anagrafe", "anagrafe", "anagrafe", "anagrafe", "anagrafe", "anagrafe")
	luca := open(t, o, "luca", "3", "anagrafe")
	for range 11 {
		serveAt(t, luca, "3")
	}
	p, u, w := newPad(t, o, o.URL, padToken, "3", padSmall)
	serveAt(t, luca, "3")
	eventually(t, u, "lit", func() (bool, string) { return p.isLit(), p.says() })
	checkPad(t, u, w, "the screenshot")
	capture(t, u, w, filepath.Join(dir, "display-pad.png"))
	u.do(func() {
		w.Resize(padLarge)
		test.Tap(p.langButton)
	})
	checkPad(t, u, w, "the screenshot in English")
	capture(t, u, w, filepath.Join(dir, "display-pad-en.png"))
	u.do(func() { w.Resize(padSmall); test.Tap(p.langButton); test.Tap(p.faces[4].button) })
	eventually(t, u, "thanks", func() (bool, string) { return p.state == padThanks, p.says() })
	capture(t, u, w, filepath.Join(dir, "display-pad-thanks.png"))
}

// The pad reads from across a counter, by citizens with every kind of
// eyesight: its text is at least 7:1 against every ground it lies on (WCAG
// AAA), a tapped or hovered tile included; the faces stand out from their
// tiles and their features from the faces at least 3:1 (WCAG 1.4.11), and
// so does a tile's edge from the ground.
func TestThePadsColoursHaveHighContrast(t *testing.T) {
	const aaa = 7.0
	th := NewPadTheme()
	col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, theme.VariantDark) }
	check := func(what string, fg, bg color.Color, least float64) {
		t.Helper()
		if c := contrast(fg, bg); c < least {
			t.Errorf("%s: %.2f:1, want at least %.1f:1", what, c, least)
		} else {
			t.Logf("%-50s %5.2f:1", what, c)
		}
	}
	tile := col(theme.ColorNameButton)
	grounds := map[string]color.Color{
		"the ground":         padGround,
		"the dark pad":       padBlack,
		"a tile":             tile,
		"a tile, hovered":    over(col(theme.ColorNameHover), tile),
		"a tile, tapped":     over(col(theme.ColorNamePressed), tile),
		"the theme's ground": col(theme.ColorNameBackground),
	}
	for name, g := range grounds {
		check("ink on "+name, padInk, g, aaa)
		check("dim text on "+name, padDim, g, aaa)
		check("the theme's text on "+name, col(theme.ColorNameForeground), g, aaa)
	}
	check("the banner's text", padInk, padRed, 4.5)
	check("a tile's edge on the ground", padTileEdge, padGround, 3)
	for i, f := range padFaces {
		check(fmt.Sprintf("face %d on its tile", i+1), f, tile, 3)
		check(fmt.Sprintf("face %d on its tile, tapped", i+1), f, over(col(theme.ColorNamePressed), tile), 3)
		check(fmt.Sprintf("face %d on its tile, hovered", i+1), f, over(col(theme.ColorNameHover), tile), 3)
		check(fmt.Sprintf("face %d's eyes and mouth", i+1), padFeature, f, 3)
	}
}

// The pad speaks to the citizen as "Lei", in every state it can show: no
// informal word, the imperative the formal one ("Tocchi"), the thanks
// "Il Suo giudizio".
func TestThePadSpeaksFormalItalian(t *testing.T) {
	p := &Pad{words: loadCatalog(), lang: "it", opt: PadOptions{Counter: "3"}}
	texts := []string{
		p.tr("How would you rate the service you received?"),
		p.tr("Ticket {{.N}} · One tap on a face: your rating is anonymous.", "N", "A012"),
		p.tr("Sending your rating…"),
		p.tr("Your rating did not reach the server. Please tap a face again."),
		p.tr("Thank you!"), p.tr("Your rating has been recorded."),
		p.tr("Thank you"), p.tr("This service can no longer be rated here."),
		p.tr("This screen's token is not a rating pad's: in the office's file, give its [[devices]] entry counter = \"{{.C}}\".", "C", "3"),
		p.tr("The office has no counter {{.C}}: check -counter.", "C", "9"),
	}
	for s := queue.MinScore; s <= queue.MaxScore; s++ {
		texts = append(texts, p.faceWord(s))
	}
	all := strings.Join(texts, "\n")
	for _, s := range texts {
		if m := informalItalian.FindString(s); m != "" {
			t.Errorf("%q: %q is the informal register", s, m)
		}
		if strings.Contains(s, "{{") || !utf8.ValidString(s) || s == "" {
			t.Errorf("%q: not translated", s)
		}
	}
	for _, want := range []string{"Tocchi un volto", "Tocchi di nuovo", "Il Suo giudizio", "controlli -counter", "aggiunga", "Molto bene"} {
		if !strings.Contains(all, want) {
			t.Errorf("the pad never says %q; it says:\n%s", want, all)
		}
	}
}
