package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"turno/server/client"
	"turno/server/config"
	"turno/server/officetest"
	"turno/server/queue"
)

// newFlow starts a flow view on the office, logged in as anna through its
// own login form.
func newFlow(t *testing.T, o *officetest.Office) (*Flow, *ui, *client.Client) {
	t.Helper()
	return newFlowAt(t, o, o.URL)
}

// newFlowAt is newFlow through the server's address url (a proxy's).
func newFlowAt(t *testing.T, o *officetest.Office, url string) (*Flow, *ui, *client.Client) {
	t.Helper()
	test.NewTempApp(t)
	u := &ui{}
	c, err := client.New(url)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	var fl *Flow
	u.do(func() {
		fl = NewFlow(context.Background(), FlowOptions{Options: options(o, c, u), Window: w, User: "anna"})
		w.SetContent(fl.Content())
		w.Resize(boardSize)
	})
	t.Cleanup(fl.Close)
	u.do(func() {
		test.Type(fl.loginPassword, officetest.Password)
		test.Tap(fl.loginButton)
	})
	eventually(t, u, "logged in and following", func() (bool, string) {
		return fl.mainBox.Visible() && fl.status.State == client.Connected && len(fl.serviceRows) > 0, fl.loginMsg.Text
	})
	return fl, u, c
}

func kinds(as []Alert) string {
	var s []string
	for _, a := range as {
		s = append(s, fmt.Sprintf("%d:%s%s", a.Kind, a.Service, a.Counter))
	}
	return strings.Join(s, " ")
}

func hasAlert(fl *Flow, kind AlertKind, who string) bool {
	for _, a := range fl.alerts {
		if a.Kind == kind && (a.Service == who || a.Counter == who || a.Device == who) {
			return true
		}
	}
	return false
}

func TestTheLoginRefusesAWrongPasswordAndAClerk(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	test.NewTempApp(t)
	u := &ui{}
	w := test.NewTempWindow(t, nil)
	var fl *Flow
	u.do(func() {
		fl = NewFlow(context.Background(), FlowOptions{Options: options(o, connect(t, o, ""), u), Window: w, User: "anna"})
		w.SetContent(fl.Content())
		test.Type(fl.loginPassword, "wrong")
		test.Tap(fl.loginButton)
	})
	t.Cleanup(fl.Close)
	eventually(t, u, "refused", func() (bool, string) {
		return strings.Contains(fl.loginMsg.Text, "Wrong user name or password") && !fl.mainBox.Visible(), fl.loginMsg.Text
	})
	u.do(func() {
		fl.loginUser.SetText("mario")
		fl.loginPassword.SetText(officetest.Password)
		test.Tap(fl.loginButton)
	})
	eventually(t, u, "a clerk refused", func() (bool, string) {
		return strings.Contains(fl.loginMsg.Text, "floor assistant") && !fl.mainBox.Visible(), fl.loginMsg.Text
	})
}

func TestEachAlertAppearsUnderItsCondition(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	ctx := context.Background()
	fl, u, _ := newFlow(t, o)
	eventually(t, u, "no alert on a quiet morning", func() (bool, string) { return len(fl.alerts) == 0, kinds(fl.alerts) })

	// Wait above target: anagrafe's target is 20 minutes.
	issue(t, o, "anagrafe", "anagrafe")
	o.Clock.Add(21 * time.Minute)
	eventually(t, u, "wait over target", func() (bool, string) {
		return hasAlert(fl, AlertWaitOverTarget, "anagrafe"), kinds(fl.alerts)
	})

	// A counter idle while its services have people waiting.
	mario := open(t, o, "mario", "1", "anagrafe")
	eventually(t, u, "no idle alert within the grace", func() (bool, string) {
		return fl.model.Counter("1").State == queue.CounterOpen && !hasAlert(fl, AlertIdleCounter, "1"), kinds(fl.alerts)
	})
	o.Clock.Add(3 * time.Minute)
	eventually(t, u, "idle counter", func() (bool, string) { return hasAlert(fl, AlertIdleCounter, "1"), kinds(fl.alerts) })
	// The most urgent first: the wait, 24 minutes over, before the idle counter, 1 minute over its grace.
	u.do(func() {
		if fl.alerts[0].Kind != AlertWaitOverTarget {
			t.Errorf("got alerts %s, want the wait over target first", kinds(fl.alerts))
		}
	})
	if _, err := mario.Next(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "the idle alert ends with a call", func() (bool, string) { return !hasAlert(fl, AlertIdleCounter, "1"), kinds(fl.alerts) })

	// A counter paused too long.
	luca := open(t, o, "luca", "4", "tributi")
	if _, err := luca.Pause(ctx, "4"); err != nil {
		t.Fatal(err)
	}
	o.Clock.Add(16 * time.Minute)
	eventually(t, u, "paused too long", func() (bool, string) { return hasAlert(fl, AlertPausedTooLong, "4"), kinds(fl.alerts) })

	// Cut-off within 15 minutes: the standard services stop at 12:00.
	o.Clock.Set(officetest.Tuesday("11:50"))
	eventually(t, u, "cut-off soon", func() (bool, string) {
		return hasAlert(fl, AlertCutoffSoon, "tributi") && !hasAlert(fl, AlertCutoffSoon, "documenti"), kinds(fl.alerts)
	})
	u.do(func() {
		var texts []string
		for _, a := range fl.alerts {
			texts = append(texts, fl.alertText(a, o.Clock.Now()))
		}
		all := strings.Join(texts, "\n")
		for _, want := range []string{"Tributi (IMU, TARI) stops issuing tickets at 12:00, in 10 min", "Sportello 4 has been paused for"} {
			if !strings.Contains(all, want) {
				t.Errorf("alerts say:\n%s\nwant %q", all, want)
			}
		}
	})
}

func TestEachActionChangesTheServersState(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	ctx := context.Background()
	fl, u, _ := newFlow(t, o)
	anna := login(t, o, "anna")
	snap := func() *queue.Snapshot {
		t.Helper()
		s, err := anna.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	pollServer := func(what string, cond func(*queue.Snapshot) (bool, string)) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, got := cond(snap())
			if ok {
				return
			}
			if time.Now().After(deadline) {
				var said string
				u.do(func() { said = fl.say.Text })
				t.Fatalf("%s: got %s (the view said %q)", what, got, said)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	service := func(s *queue.Snapshot, id string) queue.ServiceView {
		for _, sv := range s.Services {
			if sv.ID == id {
				return sv
			}
		}
		return queue.ServiceView{}
	}

	// Issue on a citizen's behalf, then a priority ticket.
	u.do(func() { test.Tap(fl.serviceRows["anagrafe"].issue) })
	pollServer("a ticket issued", func(s *queue.Snapshot) (bool, string) { return len(s.Tickets) == 1, fmt.Sprint(len(s.Tickets)) })
	eventually(t, u, "not busy", func() (bool, string) { return !fl.busy, fl.say.Text })
	u.do(func() { test.Tap(fl.serviceRows["anagrafe"].priority) })
	pollServer("a priority ticket", func(s *queue.Snapshot) (bool, string) {
		return len(s.Tickets) == 2 && s.Tickets[1].Priority && s.Tickets[1].Channel != "", fmt.Sprintf("%+v", s.Tickets)
	})
	eventually(t, u, "the view says so", func() (bool, string) {
		return !fl.busy && strings.Contains(fl.say.Text, "Priority ticket A002"), fl.say.Text
	})

	// Lock with a reason, then unlock.
	u.do(func() {
		test.Tap(fl.serviceRows["sociali"].lock)
		test.Type(fl.lockReason, "assistente sociale assente")
		test.Tap(fl.lockConfirm)
	})
	pollServer("locked", func(s *queue.Snapshot) (bool, string) {
		sv := service(s, "sociali")
		return sv.Status == queue.ServiceLocked && sv.Lock != nil && sv.Lock.Reason == "assistente sociale assente", sv.Status
	})
	eventually(t, u, "the row shows the lock", func() (bool, string) {
		r := fl.serviceRows["sociali"]
		return !fl.busy && r.lock.Text == "Unlock" && strings.Contains(r.state.Text, "assistente sociale assente"), r.state.Text
	})
	u.do(func() { test.Tap(fl.serviceRows["sociali"].lock) })
	pollServer("unlocked", func(s *queue.Snapshot) (bool, string) {
		return service(s, "sociali").Status == queue.ServiceOpen, service(s, "sociali").Status
	})

	// Move a waiting ticket to the fast-track lane.
	eventually(t, u, "the waiting tickets to move", func() (bool, string) {
		return !fl.busy && len(fl.moveTicket.Options) == 2, fmt.Sprint(fl.moveTicket.Options)
	})
	u.do(func() {
		fl.moveTicket.SetSelected(fl.moveTicket.Options[1]) // A001, after the priority A002
		fl.moveTo.SetSelected("Consegna documenti e protocollo")
		test.Tap(fl.moveButton)
	})
	pollServer("moved", func(s *queue.Snapshot) (bool, string) {
		return s.Tickets[0].Service == "documenti", s.Tickets[0].Service
	})

	// A simple-information contact about a service.
	eventually(t, u, "not busy", func() (bool, string) { return !fl.busy, fl.say.Text })
	u.do(func() {
		fl.contactOf.SetSelected("Tributi (IMU, TARI)")
		test.Type(fl.contactTopic, "modulo TARI")
		test.Tap(fl.contactLog)
	})
	pollServer("a contact", func(s *queue.Snapshot) (bool, string) {
		return s.Contacts == 1 && service(s, "tributi").Stats.Contacts == 1, fmt.Sprint(s.Contacts)
	})
	eventually(t, u, "counted in the view", func() (bool, string) {
		return strings.Contains(fl.contactCount.Text, "1") && strings.HasSuffix(fl.serviceRows["tributi"].counts.Text, "· 1"), fl.contactCount.Text
	})

	// Post the hall message, then clear it.
	u.do(func() {
		test.Type(fl.hallEntry, "Sportello 4 chiuso oggi")
		test.Tap(fl.hallPost)
	})
	pollServer("the message", func(s *queue.Snapshot) (bool, string) {
		return s.HallMessage == "Sportello 4 chiuso oggi", s.HallMessage
	})
	eventually(t, u, "the clear button", func() (bool, string) { return !fl.busy && !fl.hallClear.Disabled(), fl.hallCurrent.Text })
	u.do(func() { test.Tap(fl.hallClear) })
	pollServer("the message cleared", func(s *queue.Snapshot) (bool, string) { return s.HallMessage == "", s.HallMessage })
}

func TestADisplayThatGoesOfflineIsAnAlert(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	fl, u, _ := newFlow(t, o)
	// The same UI lock as the flow's: Fyne's font cache is not safe for two
	// UI goroutines.
	b := NewBoard(context.Background(), BoardOptions{Options: options(o, connect(t, o, officetest.DisplayToken), u)})
	eventually(t, u, "the display online", func() (bool, string) {
		for _, d := range fl.model.Devices {
			if d.ID == "display-1" && d.Online {
				return true, ""
			}
		}
		return false, fmt.Sprintf("%+v", fl.model.Devices)
	})
	o.Clock.Set(officetest.Tuesday("09:07"))
	b.Close()
	eventually(t, u, "the display offline", func() (bool, string) {
		return hasAlert(fl, AlertDeviceOffline, "display-1"), kinds(fl.alerts) + fmt.Sprintf(" %+v", fl.model.Devices)
	})
}

// lossyProxy passes everything to the office but loses the answer to the
// first ticket issued: the server issues it, the caller hears nothing.
func lossyProxy(t *testing.T, o *officetest.Office) string {
	t.Helper()
	target, err := url.Parse(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	pass := httputil.NewSingleHostReverseProxy(target)
	var lost atomic.Bool
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/tickets" || lost.Swap(true) {
			pass.ServeHTTP(w, r)
			return
		}
		pass.ServeHTTP(httptest.NewRecorder(), r) // issued, answer dropped
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	}))
	t.Cleanup(p.Close)
	return p.URL
}

func TestATicketRetriedAfterALostAnswerIsIssuedOnce(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	fl, u, _ := newFlowAt(t, o, lossyProxy(t, o))
	anna := login(t, o, "anna")
	issued := func() int {
		t.Helper()
		s, err := anna.Snapshot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(s.Tickets)
	}
	u.do(func() { test.Tap(fl.serviceRows["anagrafe"].issue) })
	eventually(t, u, "the view says the server did not answer", func() (bool, string) {
		return !fl.busy && strings.Contains(fl.say.Text, "does not answer"), fl.say.Text
	})
	if n := issued(); n != 1 {
		t.Fatalf("%d tickets on the server after the lost answer, want 1", n)
	}
	// The floor assistant taps again, as the view suggests.
	u.do(func() { test.Tap(fl.serviceRows["anagrafe"].issue) })
	eventually(t, u, "the ticket, given back", func() (bool, string) {
		return !fl.busy && strings.Contains(fl.say.Text, "Ticket A001 issued"), fl.say.Text
	})
	if n := issued(); n != 1 {
		t.Fatalf("%d tickets on the server after the retry, want the first one given back", n)
	}
	// Another tap, once the first went through, is another citizen's ticket.
	u.do(func() { test.Tap(fl.serviceRows["anagrafe"].issue) })
	eventually(t, u, "a second ticket", func() (bool, string) {
		return !fl.busy && strings.Contains(fl.say.Text, "Ticket A002 issued"), fl.say.Text
	})
}

func TestAServiceWithoutAnItalianNameShowsItsEnglishOne(t *testing.T) {
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	for i := range cfg.Office.Services {
		if cfg.Office.Services[i].ID == "sociali" {
			cfg.Office.Services[i].NameIT = ""
		}
	}
	o := officetest.StartWith(t, cfg, officetest.NewClock(officetest.Tuesday("09:00")))
	fl, u, _ := newFlow(t, o)
	eventually(t, u, "the English name", func() (bool, string) {
		sv := fl.model.Service("sociali")
		if sv == nil || sv.NameEN == "" {
			return false, "no sociali"
		}
		got := fl.serviceRows["sociali"].name.Text
		return got == sv.NameEN && slices.Contains(fl.moveTo.Options, sv.NameEN), fmt.Sprintf("%q in %q", got, fl.moveTo.Options)
	})
}
