package ui

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"turno/server/client"
	"turno/server/officetest"
	"turno/server/queue"
)

// TestScreenshots renders the board and the flow view of a busy morning to
// the directory named by TURNO_SCREENSHOTS (make screenshots): the board
// on the hall's 1920x1080 with a message, a cut-off reason and six
// services; the flow view on the floor assistant's 1280x800 tablet, live
// and with the server out of reach.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("TURNO_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TURNO_SCREENSHOTS to a directory to render the screenshots")
	}
	o := officetest.StartWith(t, sixServices(t), officetest.NewClock(officetest.Tuesday("10:20")))
	busyMorning(t, o)

	test.NewTempApp(t)
	u := &ui{}
	b := NewBoard(context.Background(), BoardOptions{Options: options(o, connect(t, o, officetest.DisplayToken), u)})
	defer b.Close()
	var w fyne.Window
	u.do(func() {
		w = test.NewTempWindow(t, b.Content())
		w.SetPadded(false)
		w.Resize(boardSize)
	})
	mario := login(t, o, "mario")
	if _, err := mario.Next(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "the newest call", func() (bool, string) {
		got, lit := b.newest()
		return lit && len(b.shown) == 6, got
	})
	assertFits(t, u, w, "the board")
	capture(t, u, w, filepath.Join(dir, "display-board.png"))

	// The flow view, a few minutes later: the call made above is being
	// served, Sportello 6 has been paused too long, queues are long.
	o.Clock.Add(3 * time.Minute)
	anna := login(t, o, "anna")
	fw := test.NewTempWindow(t, nil)
	var fl *Flow
	opt := options(o, anna, u) // one UI lock for both screens, as one app has one UI goroutine
	opt.MinBackoff, opt.MaxBackoff = time.Hour, time.Hour
	u.do(func() {
		fl = NewFlow(context.Background(), FlowOptions{Options: opt, Window: fw, User: "anna"})
		fw.SetContent(fl.Content())
		fw.Resize(flowSize)
	})
	defer fl.Close()
	eventually(t, u, "the alerts", func() (bool, string) { return len(fl.alerts) >= 3 && len(fl.hall.cards) > 0, kinds(fl.alerts) })
	u.do(func() { fl.tell("Biglietto A019 emesso per Anagrafe e stato civile: lo consegni al cittadino.", false) })
	assertFits(t, u, fw, "the flow view")
	capture(t, u, fw, filepath.Join(dir, "display-flow.png"))

	// The counters against the staffing plan; the day's appointments; a
	// booking by phone, and the code to read back.
	u.do(func() { fl.toast.Hide(); fl.show(1) })
	capture(t, u, fw, filepath.Join(dir, "display-flow-counters.png"))
	u.do(func() { fl.show(agendaTab(fl)) })
	eventually(t, u, "the appointments", func() (bool, string) { return len(fl.agenda.byService) == 5, fmt.Sprint(len(fl.agenda.byService)) })
	capture(t, u, fw, filepath.Join(dir, "display-flow-agenda.png"))
	f := fl.agenda.form
	u.do(func() {
		test.Tap(fl.agenda.bookNew)
		test.Tap(f.services["anagrafe"].button)
	})
	eventually(t, u, "the free times", func() (bool, string) { return len(f.slots) > 0, f.slotMsg.Text })
	u.do(func() {
		for i, s := range f.slots {
			if s.Start.Equal(officetest.Tuesday("11:15")) {
				test.Tap(f.slotTiles[i])
			}
		}
		test.Type(f.name, "Giuseppina Marchetti")
		test.Type(f.contact, "+39 347 555 0192")
		test.Type(f.note, "Rinnovo carta d'identità, porta la vecchia")
	})
	capture(t, u, fw, filepath.Join(dir, "display-flow-booking.png"))
	u.do(func() { test.Tap(f.submit) })
	eventually(t, u, "the code", func() (bool, string) { return shown(fl.agenda.booked.pop), fl.say.Text })
	// The new booking's tile joined the list in the refresh that showed
	// the code; the theme reaches a new widget in that refresh, its size
	// in the next one (a second at most in the app), as the fit tests do.
	u.do(func() { fw.Canvas().Content().Refresh() })
	assertFits(t, u, fw, "the booking made")
	capture(t, u, fw, filepath.Join(dir, "display-flow-booked.png"))
	u.do(func() { test.Tap(fl.agenda.booked.done); fl.show(0) })

	// The server goes away: one banner, the figures dimmed, no kiosk
	// reported offline for it.
	o.Stop()
	eventually(t, u, "the banner", func() (bool, string) { return fl.banner.Visible() && fl.veil.Visible(), fl.bannerMsg.Text })
	u.do(func() { fl.toast.Hide() })
	capture(t, u, fw, filepath.Join(dir, "display-flow-offline.png"))
}

func capture(t *testing.T, u *ui, w fyne.Window, path string) {
	t.Helper()
	var err error
	u.do(func() {
		w.Canvas().Content().Refresh()
		var f *os.File
		if f, err = os.Create(path); err != nil {
			return
		}
		defer f.Close()
		err = png.Encode(f, w.Canvas().Capture())
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

// busyMorning fills the office of six services: the day's appointments
// (served, waiting, late, missed, to come), tickets in every queue,
// counters at work, a numerator locked, the daily cap of another reached,
// an idle counter and a paused one, a planned counter missing, a hall
// message.
func busyMorning(t *testing.T, o *officetest.Office) {
	t.Helper()
	ctx := context.Background()
	start := o.Clock.Now()
	o.Clock.Set(officetest.Tuesday("08:35"))
	// The day's appointments, booked by phone and on the web page: one
	// checked in and served, one checked in and waiting for its slot, one
	// late, one missed, others to come, long names among them.
	ids := map[string]queue.Booking{}
	for _, b := range []struct{ key, service, at, name string }{
		{"served", "anagrafe", "10:00", "Maria Antonietta Bevilacqua De Santis Ferraris"},
		{"missed", "tributi", "09:30", "Giovanni Battista Dell'Acqua Montemurro"},
		{"late", "anagrafe", "10:15", "Lucia Esposito"},
		{"waiting", "anagrafe", "10:30", "Francesco Russo"},
		{"", "anagrafe", "11:00", "Chiara Colombo"},
		{"", "anagrafe", "11:30", "Alessandro Ricci Marino"},
		{"", "tributi", "10:45", "Paola Gallo"},
		{"", "sociali", "11:00", "Roberto Conti"},
		{"", "edilizia", "11:15", "Studio tecnico associato Bruno, Costa & Fontana"},
		{"", "documenti", "10:40", "Elena Rinaldi"},
	} {
		bk := book(t, o, b.service, officetest.Tuesday(b.at), b.name)
		if b.key != "" {
			ids[b.key] = bk
		}
	}
	for i, s := range []string{"anagrafe", "tributi", "edilizia", "anagrafe", "sociali", "anagrafe", "tributi", "documenti", "elettorale", "edilizia",
		"anagrafe", "tributi", "anagrafe", "sociali", "edilizia", "anagrafe", "documenti", "tributi", "anagrafe", "edilizia", "anagrafe", "tributi", "anagrafe"} {
		issue(t, o, s)
		o.Clock.Add(time.Duration(2+i%3) * time.Minute)
	}
	o.Clock.Set(officetest.Tuesday("09:50"))
	checkIn(t, o, ids["served"].Code)
	mario := open(t, o, "mario", "1", "anagrafe", "tributi", "sociali")
	giulia := open(t, o, "giulia", "2", "anagrafe", "tributi")
	luca := open(t, o, "luca", "6", "documenti")
	for range 2 {
		for _, c := range []struct {
			cl *client.Client
			id string
		}{{mario, "1"}, {giulia, "2"}, {luca, "6"}} {
			if _, err := c.cl.Next(ctx, c.id); err != nil {
				t.Fatal(err)
			}
			o.Clock.Add(3 * time.Minute)
			if _, err := c.cl.Finish(ctx, c.id, "resolved", "", ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := giulia.Next(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	if _, err := luca.Pause(ctx, "6"); err != nil {
		t.Fatal(err)
	}
	o.Clock.Set(officetest.Tuesday("10:16"))
	checkIn(t, o, ids["waiting"].Code)
	anna := login(t, o, "anna")
	if _, err := anna.LockService(ctx, "sociali", "assistente sociale assente fino alle 11"); err != nil {
		t.Fatal(err)
	}
	if err := anna.SetHallMessage(ctx, "Sportello 4 chiuso oggi: i tributi agli sportelli 1, 2 e 5 · Counter 4 closed today: local taxes at counters 1, 2 and 5"); err != nil {
		t.Fatal(err)
	}
	if _, err := anna.LogContact(ctx, "tributi", "modulo TARI"); err != nil {
		t.Fatal(err)
	}
	o.Clock.Set(start)
}
