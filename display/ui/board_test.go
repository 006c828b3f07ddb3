package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"turno/display/chime"
	"turno/server/officetest"
)

// newest returns what the newest call's box shows: "A001 → Sportello 1",
// and whether it is highlighted.
func (b *Board) newest() (string, bool) {
	if b.state != stateCalling {
		return "", false
	}
	return b.nowNum.full + " " + b.nowCounter.full, b.nowBg.FillColor == boardYellow
}

// waiting is the people waiting the board shows for a service on screen.
func (b *Board) waiting(service string) string {
	if r := b.shown[service]; r != nil {
		return r.waiting.full
	}
	return ""
}

func TestACallAppearsOnTheBoardHighlightedThenSettles(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	b, u, rec := newBoard(t, o)
	issue(t, o, "anagrafe", "anagrafe")
	mario := open(t, o, "mario", "1", "anagrafe")
	eventually(t, u, "waiting before the call", func() (bool, string) {
		return b.waiting("anagrafe") == "2", fmt.Sprint(b.model.Service("anagrafe"))
	})
	if _, err := mario.Next(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "the call, highlighted", func() (bool, string) {
		got, lit := b.newest()
		return got == "A001 → Sportello 1" && lit, fmt.Sprintf("%q lit=%v", got, lit)
	})
	eventually(t, u, "one fewer waiting", func() (bool, string) {
		got := b.waiting("anagrafe")
		return got == "1", got
	})
	if got := rec.list(); len(got) != 1 || got[0].Number != "A001" || got[0].Counter != "Sportello 1" {
		t.Fatalf("got chimes %+v, want one for A001 at Sportello 1", got)
	}
	// A few seconds later the call stays, without the highlight.
	o.Clock.Add(DefaultHighlight + time.Second)
	eventually(t, u, "the highlight ends", func() (bool, string) {
		got, lit := b.newest()
		return got == "A001 → Sportello 1" && !lit, fmt.Sprintf("%q lit=%v", got, lit)
	})
	// Once finished, the call moves to the last calls, and the next one
	// takes its place.
	if _, err := mario.Finish(context.Background(), "1", "resolved", "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := mario.Next(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "A002 called, A001 in the last calls", func() (bool, string) {
		got, lit := b.newest()
		return got == "A002 → Sportello 1" && lit && strings.Contains(b.lastSig, "A001>Sportello 1"), got + " / " + b.lastSig
	})
}

// player is a chime player that takes a while and notes overlaps.
type player struct {
	mu      sync.Mutex
	playing int
	overlap bool
	played  []string
}

func (p *player) Play(ctx context.Context, a chime.Announcement) error {
	p.mu.Lock()
	p.playing++
	p.overlap = p.overlap || p.playing > 1
	p.mu.Unlock()
	select {
	case <-time.After(150 * time.Millisecond):
	case <-ctx.Done():
	}
	p.mu.Lock()
	p.playing--
	p.played = append(p.played, a.Number+"@"+a.Counter)
	p.mu.Unlock()
	return nil
}

func TestTwoCallsTogetherQueueTheirChimes(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	p := &player{}
	q := chime.NewQueue(p, chime.Options{Gap: 20 * time.Millisecond})
	defer q.Close()
	rec := &announcements{}
	u := &ui{}
	b := NewBoard(context.Background(), BoardOptions{Options: options(o, connect(t, o, officetest.DisplayToken), u), Chime: tee{q, rec}})
	t.Cleanup(b.Close)
	issue(t, o, "anagrafe", "tributi")
	mario := open(t, o, "mario", "1", "anagrafe")
	giulia := open(t, o, "giulia", "2", "tributi")
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _, _ = mario.Next(context.Background(), "1") }()
	go func() { defer wg.Done(); _, _ = giulia.Next(context.Background(), "2") }()
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.mu.Lock()
		played, overlap := append([]string(nil), p.played...), p.overlap
		p.mu.Unlock()
		if overlap {
			t.Fatal("two chimes played on top of each other")
		}
		if len(played) == 2 {
			got := rec.list()
			if len(got) != 2 || played[0] != got[0].Number+"@"+got[0].Counter || played[1] != got[1].Number+"@"+got[1].Counter {
				t.Fatalf("played %v, announced %+v: want both, in the order of the calls", played, got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %v played, want A001 and T001", played)
		}
		time.Sleep(10 * time.Millisecond)
	}
	eventually(t, u, "both calls on the board", func() (bool, string) {
		got, _ := b.newest()
		return strings.Contains(b.currentSig, "Sportello") && got != "", got + " + " + b.currentSig
	})
}

// tee announces to two announcers.
type tee struct{ a, b Announcer }

func (t tee) Announce(x chime.Announcement) { t.a.Announce(x); t.b.Announce(x) }

func TestTheBannerShowsWhileDisconnectedAndTheBoardCatchesUp(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	u, rec := &ui{}, &announcements{}
	opt := options(o, connect(t, o, officetest.DisplayToken), u)
	// Long enough a reconnection delay for the test to see the banner.
	opt.MinBackoff, opt.MaxBackoff = 3*time.Second, 3*time.Second
	b := NewBoard(context.Background(), BoardOptions{Options: opt, Chime: rec})
	t.Cleanup(b.Close)
	issue(t, o, "anagrafe", "anagrafe")
	eventually(t, u, "connected, no banner", func() (bool, string) {
		return !b.banner.Visible() && b.waiting("anagrafe") == "2", b.bannerText.t.Text
	})
	o.Clock.Set(officetest.Tuesday("09:12"))
	o = o.Restart()
	eventually(t, u, "the banner", func() (bool, string) {
		return b.banner.Visible() && strings.Contains(b.bannerText.t.Text, "Connection lost since 09:12") &&
			strings.Contains(b.bannerText.t.Text, "Connessione persa dalle 09:12"), fmt.Sprintf("visible=%v %q", b.banner.Visible(), b.bannerText.t.Text)
	})
	// While the board is away the office goes on.
	mario := open(t, o, "mario", "1", "anagrafe")
	if _, err := mario.Next(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "the banner clears and the call shows", func() (bool, string) {
		got, lit := b.newest()
		return !b.banner.Visible() && got == "A001 → Sportello 1" && lit && b.waiting("anagrafe") == "1",
			fmt.Sprintf("banner=%v %q lit=%v", b.banner.Visible(), got, lit)
	})
	if got := rec.list(); len(got) != 1 || got[0].Number != "A001" {
		t.Fatalf("got chimes %+v, want the call made while away, announced once", got)
	}
}

func TestOldCallsReplayedAfterAReconnectionAreNotAnnounced(t *testing.T) {
	// Whatever the board's own clock says: the age of a call is judged on
	// the server's.
	for name, skew := range map[string]time.Duration{"on time": 0, "clock 5 min behind": -5 * time.Minute} {
		t.Run(name, func(t *testing.T) { testOldCallsNotAnnounced(t, skew) })
	}
}

func testOldCallsNotAnnounced(t *testing.T, skew time.Duration) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	u, rec := &ui{}, &announcements{}
	opt := options(o, connect(t, o, officetest.DisplayToken), u)
	clock := o.Clock // o changes with the restart below, the clock does not
	opt.Now = func() time.Time { return clock.Now().Add(skew) }
	opt.MinBackoff, opt.MaxBackoff = 3*time.Second, 3*time.Second
	b := NewBoard(context.Background(), BoardOptions{Options: opt, Chime: rec})
	t.Cleanup(b.Close)
	issue(t, o, "anagrafe")
	// The clerk logs in and opens before the outage (both survive a
	// restart), so that the call while the board is away is one quick
	// request, well within the board's reconnection delay.
	mario := open(t, o, "mario", "1", "anagrafe")
	eventually(t, u, "connected", func() (bool, string) { return b.status.State == 1, b.status.State.String() })
	o = o.Restart()
	eventually(t, u, "the banner", func() (bool, string) { return b.banner.Visible(), b.bannerText.t.Text })
	if _, err := mario.Next(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	// The board comes back a minute later: the call is shown, not chimed.
	o.Clock.Add(time.Minute)
	eventually(t, u, "the call, not highlighted", func() (bool, string) {
		got, lit := b.newest()
		return !b.banner.Visible() && got == "A001 → Sportello 1" && !lit, fmt.Sprintf("%q lit=%v", got, lit)
	})
	if got := rec.list(); len(got) != 0 {
		t.Fatalf("got chimes %+v for a call a minute old, want none", got)
	}
}

func TestTheBoardShowsEachServiceStateWithItsReason(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("12:05"))
	b, u, _ := newBoard(t, o)
	anna := login(t, o, "anna")
	if _, err := anna.LockService(context.Background(), "sociali", "assistente sociale assente fino alle 11"); err != nil {
		t.Fatal(err)
	}
	states := func(want map[string][]string) func() (bool, string) {
		return func() (bool, string) {
			var got []string
			ok := true
			for id, lines := range want {
				r := b.shown[id]
				if r == nil {
					return false, "no row for " + id
				}
				got = append(got, id+": "+r.state.full)
				for _, l := range lines {
					ok = ok && strings.Contains(r.state.full, l)
				}
			}
			return ok, strings.Join(got, " | ")
		}
	}
	// 12:05: the standard services stopped issuing at 12:00, the fast-track
	// lane goes on until 12:15. The services speak one language at a time:
	// Italian first, then English.
	eventually(t, u, "the services' states in Italian", states(map[string][]string{
		"anagrafe":  {"Numeri esauriti · riapre alle 15:00", "si può prenotare un appuntamento", "gli sportelli chiudono alle 12:30"},
		"sociali":   {"Sospeso", "assistente sociale assente fino alle 11"},
		"documenti": {"Aperto"},
	}))
	o.Clock.Add(DefaultAlternate)
	eventually(t, u, "then in English", states(map[string][]string{
		"anagrafe":  {"No more tickets · reopens at 15:00", "you can book an appointment", "the counters close at 12:30"},
		"sociali":   {"Suspended", "assistente sociale assente fino alle 11"},
		"documenti": {"Open"},
	}))
	eventually(t, u, "names in English", func() (bool, string) {
		r := b.shown["anagrafe"]
		return r.name.full == "Registry office" && r.caption.full == "waiting", r.name.full
	})
	o.Clock.Set(officetest.Tuesday("12:31"))
	// The server notices closing time on its next command (or its
	// 15-second timer): a contact logged by the floor assistant will do.
	if _, err := anna.LogContact(context.Background(), "", "orari"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "closed after closing time", func() (bool, string) {
		r := b.shown["documenti"]
		return strings.HasPrefix(r.state.full, "Chiuso · riapre domani alle 08:30"), r.state.full
	})
}

func TestTheHallMessageShowsOnTheBoard(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	b, u, _ := newBoard(t, o)
	anna := login(t, o, "anna")
	eventually(t, u, "connected", func() (bool, string) { return b.model.Seq > 0, "" })
	if err := anna.SetHallMessage(context.Background(), "Oggi lo sportello 4 chiude alle 11"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "the message", func() (bool, string) {
		return b.message.Visible() && b.messageText.full == "Oggi lo sportello 4 chiude alle 11", fmt.Sprintf("%v %q", b.message.Visible(), b.messageText.full)
	})
	if err := anna.SetHallMessage(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "the message cleared", func() (bool, string) { return !b.message.Visible(), b.messageText.full })
}

func TestARecalledNumberComesBackToTheBigBoxHighlighted(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	b, u, rec := newBoard(t, o)
	ctx := context.Background()
	issue(t, o, "anagrafe", "anagrafe")
	mario := open(t, o, "mario", "1", "anagrafe")
	giulia := open(t, o, "giulia", "2", "anagrafe")
	eventually(t, u, "connected", func() (bool, string) { return b.model.Seq > 0, "" })
	// Each step a few seconds apart on the office's clock, as at the counters.
	if _, err := mario.Next(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	o.Clock.Add(10 * time.Second)
	if _, err := giulia.Next(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "A002 in the big box", func() (bool, string) {
		got, lit := b.newest()
		return got == "A002 → Sportello 2" && lit, fmt.Sprintf("%q lit=%v", got, lit)
	})
	o.Clock.Add(10 * time.Second)
	if _, err := mario.Recall(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "A001 back in the big box, highlighted, A002 below", func() (bool, string) {
		got, lit := b.newest()
		return got == "A001 → Sportello 1" && lit && b.currentSig == "A002>Sportello 2;", fmt.Sprintf("%q lit=%v below=%q", got, lit, b.currentSig)
	})
	got := rec.list()
	if len(got) != 3 || got[2].Number != "A001" || !got[2].Recall {
		t.Fatalf("got chimes %+v, want the recall of A001 last", got)
	}
	// A new call after the recall is the newest again.
	o.Clock.Add(10 * time.Second)
	if _, err := giulia.Finish(ctx, "2", "resolved", "", ""); err != nil {
		t.Fatal(err)
	}
	issue(t, o, "anagrafe")
	if _, err := giulia.Next(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "A003 in the big box", func() (bool, string) {
		got, lit := b.newest()
		return got == "A003 → Sportello 2" && lit && b.currentSig == "A001>Sportello 1;", fmt.Sprintf("%q lit=%v below=%q", got, lit, b.currentSig)
	})
}

func TestABoardWhoseClockRunsAheadStillChimes(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	test.NewTempApp(t)
	u, rec := &ui{}, &announcements{}
	opt := options(o, connect(t, o, officetest.DisplayToken), u)
	// The board's machine is 40 s ahead of the server's.
	opt.Now = func() time.Time { return o.Clock.Now().Add(40 * time.Second) }
	b := NewBoard(context.Background(), BoardOptions{Options: opt, Chime: rec})
	t.Cleanup(b.Close)
	issue(t, o, "anagrafe")
	mario := open(t, o, "mario", "1", "anagrafe")
	eventually(t, u, "connected", func() (bool, string) { return b.model.Seq > 0, "" })
	if _, err := mario.Next(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "the call, highlighted", func() (bool, string) {
		got, lit := b.newest()
		return got == "A001 → Sportello 1" && lit, fmt.Sprintf("%q lit=%v", got, lit)
	})
	if got := rec.list(); len(got) != 1 || got[0].Number != "A001" {
		t.Fatalf("got chimes %+v, want one for A001", got)
	}
}

// A time to come is said as briefly as it stays clear, in the office's
// zone, across a change of daylight saving time too.
func TestWhenTheOfficeReopensIsSaidBriefly(t *testing.T) {
	b := &Board{words: loadCatalog(), loc: officetest.Rome}
	at := func(s string) time.Time {
		t.Helper()
		x, err := time.ParseInLocation("2006-01-02 15:04", s, officetest.Rome)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	now := at("2026-11-24 12:31") // a Tuesday
	for _, c := range []struct{ at, it, en string }{
		{"2026-11-24 15:00", "riapre alle 15:00", "reopens at 15:00"},
		{"2026-11-25 08:30", "riapre domani alle 08:30", "reopens tomorrow at 08:30"},
		{"2026-11-30 08:30", "riapre lunedì alle 08:30", "reopens on Monday at 08:30"},
		{"2026-12-02 08:30", "riapre mercoledì 02/12 alle 08:30", "reopens on Wednesday 02/12 at 08:30"},
	} {
		for lang, want := range map[string]string{"it": c.it, "en": c.en} {
			if got := b.when(lang, at(c.at), now, "reopens at {{.T}}", "reopens tomorrow at {{.T}}", "reopens on {{.D}} at {{.T}}"); got != want {
				t.Errorf("%s %s: got %q, want %q", c.at, lang, got, want)
			}
		}
	}
	// Saturday 24 October 2026 to Monday 26: the clocks go back on the
	// Sunday, a day of 25 hours.
	if got := b.when("it", at("2026-10-26 08:30"), at("2026-10-24 18:00"), "a {{.T}}", "domani {{.T}}", "{{.D}} {{.T}}"); got != "lunedì 08:30" {
		t.Errorf("across the change of time: got %q", got)
	}
	// Late on the day before, "tomorrow" is still tomorrow.
	if got := b.when("en", at("2026-11-25 08:30"), at("2026-11-24 23:59"), "at {{.T}}", "tomorrow at {{.T}}", "on {{.D}} at {{.T}}"); got != "tomorrow at 08:30" {
		t.Errorf("at 23:59: got %q", got)
	}
}

// The clock is the office's, as the server names its zone, whatever the
// machine's (or the -tz fallback) says.
func TestTheClocksShowTheOfficesZone(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	test.NewTempApp(t)
	u := &ui{}
	opt := options(o, connect(t, o, officetest.DisplayToken), u)
	opt.Location = time.UTC // the machine's, one hour behind Rome in November
	b := NewBoard(context.Background(), BoardOptions{Options: opt})
	t.Cleanup(b.Close)
	eventually(t, u, "the board's clock in Rome", func() (bool, string) {
		return b.model.Seq > 0 && b.clock.full == "09:00", b.clock.full
	})
	fopt := options(o, login(t, o, "anna"), u)
	fopt.Location = time.UTC
	w := test.NewTempWindow(t, nil)
	var fl *Flow
	u.do(func() { fl = NewFlow(context.Background(), FlowOptions{Options: fopt, Window: w}) })
	t.Cleanup(fl.Close)
	eventually(t, u, "the flow view's clock in Rome", func() (bool, string) {
		return fl.model.Seq > 0 && fl.clock.Text == "09:00", fl.clock.Text
	})
}
