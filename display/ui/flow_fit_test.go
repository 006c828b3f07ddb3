package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"turno/server/client"
	"turno/server/officetest"
)

// The flow view fits the floor assistant's 1280x800 tablet in Italian and
// in English, with six services with long names, a full morning of alerts
// and the hall message: every panel and every pop-up inside the window, no
// text clipped or smaller than 18 units, every target at least 56 units
// (9 mm) both ways.
func TestTheFlowViewFitsTheTablet(t *testing.T) {
	o := officetest.StartWith(t, sixServices(t), officetest.NewClock(officetest.Tuesday("10:20")))
	busyMorning(t, o)
	for _, lang := range []string{"it", "en"} {
		t.Run(lang, func(t *testing.T) {
			fl, u, _ := newFlowIn(t, o, o.URL, lang, flowSize)
			w := fl.opt.Window
			eventually(t, u, "the alerts and the counters", func() (bool, string) {
				return len(fl.alerts) >= 3 && len(fl.model.Counters) == 7, kinds(fl.alerts)
			})
			u.do(func() {
				fl.tell(fl.tr("Ticket {{.N}} issued for {{.S}}: please hand it to the citizen.", "N", "A019", "S", "Anagrafe e stato civile"), false)
			})
			check := func(what string) {
				t.Helper()
				u.do(func() { w.Canvas().Content().Refresh() })
				r := assertFits(t, u, w, lang+" "+what)
				if r.smallestText < flowText {
					t.Errorf("%s %s: %q is %.0f units, want at least %.0f", lang, what, r.smallestWhat, r.smallestText, flowText)
				}
				for _, tg := range r.targets {
					if tg.size.Width < touchMin-slack || tg.size.Height < touchMin-slack {
						t.Errorf("%s %s: %s is %v, want at least %.0f both ways", lang, what, tg.what, tg.size, touchMin)
					}
				}
				if len(r.targets) < 3 {
					t.Errorf("%s %s: only %d targets seen", lang, what, len(r.targets))
				}
			}
			eventually(t, u, "tomorrow's forecast", func() (bool, string) { return fl.tomorrow.fc != nil, fl.tomorrow.msg.Text })
			for i := range fl.panels {
				u.do(func() { fl.show(i) })
				check(fmt.Sprintf("panel %d", i))
			}
			u.do(func() { fl.show(0); fl.dialogs.confirmIssue("edilizia", true) })
			check("the ticket's confirmation")
			u.do(func() { fl.dialogs.issuePop.Hide(); fl.toggleLock("anagrafe") })
			check("the lock's reason")
			u.do(func() { fl.dialogs.lockPop.Hide(); fl.show(2); test.Tap(fl.actions.moveTicket.button) })
			check("the waiting tickets to move")
			u.do(func() { fl.dialogs.choosePop.Hide() })

			// The appointments: the day, a booking opened, the form with a
			// long service's free times, the code to read back, a search.
			a := fl.agenda
			u.do(func() { fl.show(agendaTab(fl)) })
			eventually(t, u, "the day's bookings", func() (bool, string) {
				_, said := tileOf(fl, "anagrafe", fl.model.Bookings[0].ID)
				return len(fl.model.Bookings) == 10, said
			})
			check("the appointments")
			u.do(func() { test.Tap(a.byService["anagrafe"].tiles[0].button) })
			check("a booking opened")
			u.do(func() { test.Tap(a.detail.cancel) })
			check("a cancellation to confirm")
			u.do(func() {
				a.detail.pop.Hide()
				test.Tap(a.bookNew)
				test.Tap(a.form.services["edilizia"].button)
			})
			eventually(t, u, "the free times", func() (bool, string) { return len(a.form.slots) > 0, a.form.slotMsg.Text })
			u.do(func() {
				test.Tap(a.form.slotTiles[len(a.form.slots)-1])
				a.form.warn(fl.tr("The contact must be an e-mail address or a phone number (or left empty)."))
			})
			check("the booking form")
			u.do(func() {
				a.showList()
				a.booked.show(fl.model.Bookings[len(fl.model.Bookings)-1], true)
			})
			check("the code to read back")
			u.do(func() {
				a.booked.pop.Hide()
				test.Type(a.search, "a")
				test.Tap(a.searchGo)
			})
			eventually(t, u, "found", func() (bool, string) { return len(a.results) > 3, a.foundTitle.Text })
			check("a search")
			u.do(func() { a.clearSearch(); fl.show(0) })
		})
	}
}

// While the server is out of reach the view says so once, plainly, dims
// what it shows, offers no action, and does not blame the kiosks: the
// server is what is down. When it is back, all of that goes.
func TestAnOutageIsOneBannerDimmedFiguresAndNoFalseAlerts(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	kiosk := connect(t, o, officetest.KioskToken)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ks := kiosk.Stream(ctx, client.StreamOptions{MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	defer ks.Close()
	fl, u, _ := newFlowIn(t, o, o.URL, "it", flowSize)
	eventually(t, u, "the kiosk online", func() (bool, string) {
		for _, d := range fl.model.Devices {
			if d.ID == "kiosk-1" && d.Online {
				return true, ""
			}
		}
		return false, fmt.Sprintf("%+v", fl.model.Devices)
	})
	o.Stop()
	eventually(t, u, "one banner, dimmed figures", func() (bool, string) {
		return fl.banner.Visible() && fl.veil.Visible() && strings.HasPrefix(fl.bannerMsg.Text, "Connessione persa dalle 09:00. I dati qui sotto sono quelli di allora"), fl.bannerMsg.Text
	})
	o.Clock.Add(5 * time.Minute) // well past the devices' grace
	u.do(func() { fl.refresh(fl.model, fl.status) })
	u.do(func() {
		for _, a := range fl.alerts {
			if a.Kind == AlertDeviceOffline {
				t.Errorf("device %s reported offline while the server is what is down", a.Device)
			}
		}
		c := fl.hall.cards["anagrafe"]
		fl.show(2)
		if !c.issue.Disabled() || !c.lock.Disabled() || !fl.actions.hallPost.Disabled() || !fl.actions.moveButton.Disabled() {
			t.Error("actions offered while the server is out of reach")
		}
		fl.show(0)
	})
	o.Restart()
	eventually(t, u, "live again", func() (bool, string) {
		return !fl.banner.Visible() && !fl.veil.Visible() && !fl.hall.cards["anagrafe"].issue.Disabled(), fl.bannerMsg.Text
	})
}

// The login fits the tablet too, in both languages.
func TestTheLoginFitsTheTablet(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	for _, lang := range []string{"it", "en"} {
		test.NewTempApp(t)
		u := &ui{}
		w := test.NewTempWindow(t, nil)
		var fl *Flow
		u.do(func() {
			fl = NewFlow(context.Background(), FlowOptions{Options: options(o, connect(t, o, ""), u), Window: w, User: "anna", Lang: lang})
			w.SetContent(fl.Content())
			w.Resize(flowSize)
			fl.loginMsg.SetText(fl.tr("This view is for the hall floor assistant: {{.U}} is a {{.R}}.", "U", "mario", "R", "clerk"))
			fl.relayout()
		})
		t.Cleanup(fl.Close)
		r := assertFits(t, u, w, lang+" login")
		if r.smallestText < flowText {
			t.Errorf("%s login: %q is %.0f units", lang, r.smallestWhat, r.smallestText)
		}
		for _, tg := range r.targets {
			if tg.size.Height < touchMin-slack {
				t.Errorf("%s login: %s is %v, want at least %.0f high", lang, tg.what, tg.size, touchMin)
			}
		}
	}
}
