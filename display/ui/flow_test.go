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

	"fyne.io/fyne/v2"
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

// newFlowAt is newFlow through the server's address url (a proxy's), in
// English.
func newFlowAt(t *testing.T, o *officetest.Office, url string) (*Flow, *ui, *client.Client) {
	t.Helper()
	return newFlowIn(t, o, url, "en", flowSize)
}

// flowSize is the floor assistant's tablet.
var flowSize = fyne.NewSize(1280, 800)

// newFlowIn is a flow view in a language and a window of size, logged in
// as anna.
func newFlowIn(t *testing.T, o *officetest.Office, url, lang string, size fyne.Size) (*Flow, *ui, *client.Client) {
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
		fl = NewFlow(context.Background(), FlowOptions{Options: options(o, c, u), Window: w, User: "anna", Lang: lang})
		w.SetContent(fl.Content())
		w.Resize(size)
	})
	t.Cleanup(fl.Close)
	u.do(func() {
		test.Type(fl.loginPassword, officetest.Password)
		test.Tap(fl.loginButton)
	})
	eventually(t, u, "logged in and following", func() (bool, string) {
		return fl.mainBox.Visible() && fl.status.State == client.Connected && len(fl.hall.cards) > 0, fl.loginMsg.Text
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
		fl = NewFlow(context.Background(), FlowOptions{Options: options(o, connect(t, o, ""), u), Window: w, User: "anna", Lang: "en"})
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
	// Without a staffing plan: the plan's own alerts are tested apart.
	o := officetest.StartWith(t, withoutPlan(t), officetest.NewClock(officetest.Tuesday("09:00")))
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
			texts = append(texts, fl.hall.alertText(a, o.Clock.Now()))
		}
		all := strings.Join(texts, "\n")
		for _, want := range []string{"Local taxes stops issuing tickets at 12:00, in 10 min", "Sportello 4 has been paused for"} {
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

	// Issue on a citizen's behalf, confirmed, then a priority ticket.
	u.do(func() {
		test.Tap(fl.hall.cards["anagrafe"].issue)
		if !fl.dialogs.issuePop.Visible() || fl.dialogs.issueService.Text != "Service: Registry office" || fl.dialogs.issuePriority.Text != "Priority: no." {
			t.Errorf("the confirmation says %q, %q", fl.dialogs.issueService.Text, fl.dialogs.issuePriority.Text)
		}
		test.Tap(fl.dialogs.issueConfirm)
	})
	pollServer("a ticket issued", func(s *queue.Snapshot) (bool, string) { return len(s.Tickets) == 1, fmt.Sprint(len(s.Tickets)) })
	eventually(t, u, "not busy", func() (bool, string) { return !fl.busy, fl.say.Text })
	u.do(func() {
		test.Tap(fl.hall.cards["anagrafe"].priority)
		if !strings.HasPrefix(fl.dialogs.issuePriority.Text, "Priority: yes") {
			t.Errorf("the confirmation says %q", fl.dialogs.issuePriority.Text)
		}
		test.Tap(fl.dialogs.issueConfirm)
	})
	pollServer("a priority ticket", func(s *queue.Snapshot) (bool, string) {
		return len(s.Tickets) == 2 && s.Tickets[1].Priority && s.Tickets[1].Channel != "", fmt.Sprintf("%+v", s.Tickets)
	})
	eventually(t, u, "the view says so", func() (bool, string) {
		return !fl.busy && strings.Contains(fl.say.Text, "Priority ticket A002"), fl.say.Text
	})

	// Lock with a reason, then unlock.
	u.do(func() {
		test.Tap(fl.hall.cards["sociali"].lock)
		test.Type(fl.dialogs.lockReason, "assistente sociale assente")
		test.Tap(fl.dialogs.lockConfirm)
	})
	pollServer("locked", func(s *queue.Snapshot) (bool, string) {
		sv := service(s, "sociali")
		return sv.Status == queue.ServiceLocked && sv.Lock != nil && sv.Lock.Reason == "assistente sociale assente", sv.Status
	})
	eventually(t, u, "the row shows the lock", func() (bool, string) {
		r := fl.hall.cards["sociali"]
		return !fl.busy && r.lock.Text == "Unlock" && strings.Contains(r.state.Text, "assistente sociale assente") && hasAlert(fl, AlertNumeratorLocked, "sociali"), r.state.Text
	})
	u.do(func() { test.Tap(fl.hall.cards["sociali"].lock) })
	pollServer("unlocked", func(s *queue.Snapshot) (bool, string) {
		return service(s, "sociali").Status == queue.ServiceOpen, service(s, "sociali").Status
	})

	// Move a waiting ticket to the fast-track lane, in the actions' tab.
	u.do(func() { fl.show(2) })
	eventually(t, u, "the waiting tickets to move", func() (bool, string) {
		return !fl.busy && len(fl.actions.moveTicket.Options) == 2, fmt.Sprint(fl.actions.moveTicket.Options)
	})
	u.do(func() {
		// Each choice through its list, as a finger makes it.
		test.Tap(fl.actions.moveTicket.button)
		test.Tap(fl.dialogs.choices[1]) // A001, after the priority A002
		test.Tap(fl.actions.moveTo.button)
		test.Tap(fl.dialogs.choices[3])
		if fl.actions.moveTo.Selected != "Document drop-off" || fl.actions.moveTicket.Selected != "A001 · Registry office" {
			t.Errorf("chose %q to %q", fl.actions.moveTicket.Selected, fl.actions.moveTo.Selected)
		}
		test.Tap(fl.actions.moveButton)
	})
	pollServer("moved", func(s *queue.Snapshot) (bool, string) {
		return s.Tickets[0].Service == "documenti", s.Tickets[0].Service
	})

	// A simple-information contact about a service.
	eventually(t, u, "not busy", func() (bool, string) { return !fl.busy, fl.say.Text })
	u.do(func() {
		fl.actions.contactOf.SetSelected("Local taxes")
		test.Type(fl.actions.contactTopic, "modulo TARI")
		test.Tap(fl.actions.contactLog)
	})
	pollServer("a contact", func(s *queue.Snapshot) (bool, string) {
		return s.Contacts == 1 && service(s, "tributi").Stats.Contacts == 1, fmt.Sprint(s.Contacts)
	})
	eventually(t, u, "counted in the view", func() (bool, string) {
		return strings.Contains(fl.actions.contactCount.Text, "1"), fl.actions.contactCount.Text
	})
	u.do(func() { fl.show(0) })
	eventually(t, u, "and in the service's card", func() (bool, string) {
		return strings.HasSuffix(fl.hall.cards["tributi"].today.Text, "· 1 information contact"), fl.hall.cards["tributi"].today.Text
	})
	u.do(func() { fl.show(2) })

	// Post the hall message, then clear it.
	u.do(func() {
		test.Type(fl.actions.hallEntry, "Sportello 4 chiuso oggi")
		test.Tap(fl.actions.hallPost)
	})
	pollServer("the message", func(s *queue.Snapshot) (bool, string) {
		return s.HallMessage == "Sportello 4 chiuso oggi", s.HallMessage
	})
	eventually(t, u, "the clear button", func() (bool, string) {
		return !fl.busy && !fl.actions.hallClear.Disabled(), fl.actions.hallCurrent.Text
	})
	u.do(func() { test.Tap(fl.actions.hallClear) })
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
	eventually(t, u, "gone, but within the grace", func() (bool, string) {
		for _, d := range fl.model.Devices {
			if d.ID == "display-1" && !d.Online {
				return !hasAlert(fl, AlertDeviceOffline, "display-1"), kinds(fl.alerts)
			}
		}
		return false, fmt.Sprintf("%+v", fl.model.Devices)
	})
	o.Clock.Add(DefaultAlertRules().DeviceGrace + time.Second)
	eventually(t, u, "the display offline", func() (bool, string) {
		return hasAlert(fl, AlertDeviceOffline, "display-1"), kinds(fl.alerts) + fmt.Sprintf(" %+v", fl.model.Devices)
	})
}

// lossyProxy passes everything to the office but loses the answer to the
// first ticket issued: the server issues it, the caller hears nothing.
func lossyProxy(t *testing.T, o *officetest.Office) string {
	t.Helper()
	return lossyProxyFor(t, o, "/api/v1/tickets")
}

// lossyProxyFor loses the answer to the first POST to a path ending in
// path.
func lossyProxyFor(t *testing.T, o *officetest.Office, path string) string {
	t.Helper()
	target, err := url.Parse(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	pass := httputil.NewSingleHostReverseProxy(target)
	var lost atomic.Bool
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, path) || lost.Swap(true) {
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
	issueOne := func() {
		u.do(func() {
			test.Tap(fl.hall.cards["anagrafe"].issue)
			test.Tap(fl.dialogs.issueConfirm)
		})
	}
	issueOne()
	eventually(t, u, "the view says the server did not answer", func() (bool, string) {
		return !fl.busy && strings.Contains(fl.say.Text, "does not answer"), fl.say.Text
	})
	if n := issued(); n != 1 {
		t.Fatalf("%d tickets on the server after the lost answer, want 1", n)
	}
	// The floor assistant issues again, as the view suggests.
	issueOne()
	eventually(t, u, "the ticket, given back", func() (bool, string) {
		return !fl.busy && strings.Contains(fl.say.Text, "Ticket A001 issued"), fl.say.Text
	})
	if n := issued(); n != 1 {
		t.Fatalf("%d tickets on the server after the retry, want the first one given back", n)
	}
	// Another tap, once the first went through, is another citizen's ticket.
	issueOne()
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
	fl, u, _ := newFlowIn(t, o, o.URL, "it", flowSize)
	eventually(t, u, "the English name", func() (bool, string) {
		sv := fl.model.Service("sociali")
		if sv == nil || sv.NameEN == "" {
			return false, "no sociali"
		}
		got := fl.hall.cards["sociali"].name.Text
		fl.show(2)
		return got == sv.NameEN && slices.Contains(fl.actions.moveTo.Options, sv.NameEN), fmt.Sprintf("%q in %q", got, fl.actions.moveTo.Options)
	})
}
