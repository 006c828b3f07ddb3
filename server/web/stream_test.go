package web_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"turno/server/config"
	"turno/server/hub"
	"turno/server/queue"
)

const displayToken = "demo-display-token"

func TestStreamViewsSeeWhatTheyShouldAndNoMore(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	early := o.issue("anagrafe", false)
	var keyed ticketJSON
	o.mustDo(kioskToken, "POST", "/api/v1/tickets", map[string]any{"service": "tributi", "idempotency_key": "k-123"}, 201, &keyed)

	admin := o.dial(t, o.token("admin"), queue.Subscribe{})
	clerk := o.dial(t, "", queue.Subscribe{Token: o.token("luca"), Counter: "4"}) // tributi only
	display := o.dial(t, displayToken, queue.Subscribe{})
	kiosk := o.dial(t, "", queue.Subscribe{Token: kioskToken})
	phone := o.dial(t, "", queue.Subscribe{Ticket: early.ID})

	// Each starts from its own snapshot.
	snap := map[string]*queue.Snapshot{}
	for name, c := range map[string]*wsClient{"admin": admin, "clerk": clerk, "display": display, "kiosk": kiosk} {
		f := c.next()
		if f.Type != queue.FrameSnapshot || f.Snapshot == nil || f.Seq != f.Snapshot.Seq {
			t.Fatalf("%s: got %s, want a snapshot", name, f.raw)
		}
		if strings.Contains(f.raw, "idempotency_key") {
			t.Fatalf("%s: the snapshot shows an idempotency key: %s", name, f.raw)
		}
		snap[name] = f.Snapshot
	}
	if n := len(snap["admin"].Tickets); n != 2 {
		t.Fatalf("admin snapshot: got %d tickets, want 2", n)
	}
	if tk := snap["clerk"].Tickets; len(tk) != 1 || tk[0].Service != "tributi" || len(snap["clerk"].Counters) != 1 || snap["clerk"].Counters[0].ID != "4" {
		t.Fatalf("clerk snapshot: got %+v %+v", tk, snap["clerk"].Counters)
	}
	if len(snap["kiosk"].Tickets) != 0 || len(snap["kiosk"].Counters) != 0 || len(snap["kiosk"].Services) != 4 {
		t.Fatalf("kiosk snapshot: got %+v", snap["kiosk"])
	}
	first := phone.next()
	if first.Type != queue.FrameTicket || first.Ticket.Number != "A001" || first.Ticket.Status != queue.StatusWaiting || first.Ticket.Ahead == nil || *first.Ticket.Ahead != 0 {
		t.Fatalf("phone: got %s", first.raw)
	}

	// The day goes on.
	o.counter("luca", "4", "open", map[string]any{"services": []string{"tributi"}})
	o.counter("luca", "4", "next", nil)
	o.counter("luca", "4", "start", nil)
	o.counter("luca", "4", "finish", map[string]any{"outcome": "resolved", "case_ref": "TRI-9", "note": "private note"})
	o.counter("giulia", "2", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("giulia", "2", "next", nil)
	o.mustDo(o.token("anna"), "POST", "/api/v1/services/sociali/lock", map[string]any{"reason": "system down"}, 200, nil)
	lastSeq := o.seq()

	lock := eventOf(queue.EventServiceLocked)
	got := map[string][]frame{}
	for name, c := range map[string]*wsClient{"admin": admin, "clerk": clerk, "display": display, "kiosk": kiosk} {
		got[name] = c.until(lock)
		for _, f := range got[name] {
			if strings.Contains(f.raw, "idempotency_key") {
				t.Fatalf("%s: a frame shows an idempotency key: %s", name, f.raw)
			}
			if f.Type == queue.FrameStats && len(f.Services) == 0 {
				t.Fatalf("%s: empty stats frame", name)
			}
		}
	}
	types := func(name string) []string {
		var out []string
		for _, ev := range events(got[name]) {
			who := ""
			if ev.Ticket != nil {
				who = ev.Ticket.Number
			}
			if ev.Counter != nil && ev.Ticket == nil {
				who = ev.Counter.ID
			}
			out = append(out, ev.Type+" "+who)
		}
		return out
	}
	// The admin sees every event, in order, gapless up to the last.
	adminEvents := events(got["admin"])
	for i, ev := range adminEvents {
		if i > 0 && ev.Seq != adminEvents[i-1].Seq+1 {
			t.Fatalf("admin: seq %d after %d", ev.Seq, adminEvents[i-1].Seq)
		}
	}
	if adminEvents[len(adminEvents)-1].Seq != lastSeq || adminEvents[0].Seq != snap["admin"].Seq+1 {
		t.Fatalf("admin: got events %d..%d, want %d..%d", adminEvents[0].Seq, adminEvents[len(adminEvents)-1].Seq, snap["admin"].Seq+1, lastSeq)
	}
	var finished *queue.Event
	for _, ev := range adminEvents {
		if ev.Type == queue.EventTicketFinished {
			finished = ev
		}
	}
	if finished == nil || finished.Ticket.Note != "private note" || finished.Ticket.Clerk != "luca" {
		t.Fatalf("admin: the finish lacks staff fields: %+v", finished)
	}
	// The clerk of counter 4 sees tributi and its own counter, not anagrafe
	// or counter 2.
	for _, line := range types("clerk") {
		if strings.Contains(line, "A00") || line == "counter.opened 2" {
			t.Fatalf("clerk sees %q; all: %q", line, types("clerk"))
		}
	}
	for _, want := range []string{"counter.opened 4", "ticket.called T001", "ticket.finished T001", "service.locked "} {
		if !slices.Contains(types("clerk"), want) {
			t.Fatalf("clerk: missing %q in %q", want, types("clerk"))
		}
	}
	// The display sees tickets and counters without private fields.
	for _, want := range []string{"counter.opened 4", "ticket.called A001", "ticket.finished T001", "service.locked "} {
		if !slices.Contains(types("display"), want) {
			t.Fatalf("display: missing %q in %q", want, types("display"))
		}
	}
	for _, f := range got["display"] {
		for _, private := range []string{"private note", "TRI-9", `"clerk"`, "luca", "giulia", "anna"} {
			if strings.Contains(f.raw, private) {
				t.Fatalf("display: frame shows %s: %s", private, f.raw)
			}
		}
	}
	// The kiosk sees numerators only.
	for _, line := range types("kiosk") {
		if !strings.HasPrefix(line, "service.") && !strings.HasPrefix(line, "day.") {
			t.Fatalf("kiosk sees %q", line)
		}
	}
	// Fresh figures follow the events (hub.Options.StatsDelay later).
	isStats := func(f frame) bool { return f.Type == queue.FrameStats }
	if !slices.ContainsFunc(got["kiosk"], isStats) {
		more := kiosk.until(isStats)
		if len(more[len(more)-1].Services) == 0 {
			t.Fatal("kiosk: an empty stats frame")
		}
		got["kiosk"] = append(got["kiosk"], more...)
	}
	// Who locked the numerator stays among staff; the reason does not.
	kioskSnap, _ := json.Marshal(snap["kiosk"])
	for _, f := range append(got["kiosk"], frame{raw: string(kioskSnap)}) {
		if strings.Contains(f.raw, "anna") {
			t.Fatalf("kiosk: a frame shows who locked: %s", f.raw)
		}
	}
	// The phone hears only about its ticket: called at Sportello 2.
	calls := phone.until(func(f frame) bool { return f.Ticket != nil && f.Ticket.Status == queue.StatusCalled })
	for _, f := range calls {
		if f.Type != queue.FrameTicket || f.Ticket.ID != early.ID || strings.Contains(f.raw, "clerk") {
			t.Fatalf("phone: got %s", f.raw)
		}
	}
	if last := calls[len(calls)-1].Ticket; last.CounterName != "Sportello 2" || last.Counter != "2" {
		t.Fatalf("phone: got %+v", last)
	}
}

func TestStreamRefusesBadSubscriptions(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{SubscribeWait: 300 * time.Millisecond})
	mario := o.token("mario")
	for _, tc := range []struct {
		name, header string
		sub          any
		code         string
	}{
		{"not JSON", "", `hello`, hub.CodeBadSubscribe},
		{"unknown field", "", `{"token":"x","vip":true}`, hub.CodeBadSubscribe},
		{"wrong type", "", `{"since":"7"}`, hub.CodeBadSubscribe},
		{"negative since", "", `{"since":-1}`, hub.CodeBadSubscribe},
		{"two objects", "", `{}{}`, hub.CodeBadSubscribe},
		{"upper-case key", "", `{"TICKET":"0123456789abcdef0123456789abcdef"}`, hub.CodeBadSubscribe},
		{"duplicate key", "", `{"ticket":"0123456789abcdef0123456789abcdef","ticket":"0123456789abcdef0123456789abcdef"}`, hub.CodeBadSubscribe},
		{"invalid UTF-8", "", "{\"ticket\":\"\xff\"}", hub.CodeBadSubscribe},
		{"array", "", `[]`, hub.CodeBadSubscribe},
		{"nothing to follow", "", `{}`, "unauthorized"},
		{"bad token", "", `{"token":"nope-nope-nope"}`, "unauthorized"},
		{"clerk without counter", "", fmt.Sprintf(`{"token":%q}`, mario), hub.CodeBadSubscribe},
		{"clerk at unknown counter", "", fmt.Sprintf(`{"token":%q,"counter":"99"}`, mario), "unknown_counter"},
		{"different tokens", mario, `{"token":"demo-kiosk-token"}`, hub.CodeBadSubscribe},
		{"ticket id not hex", "", `{"ticket":"../../etc/passwd"}`, "unknown_ticket"},
		{"unknown ticket", "", `{"ticket":"0123456789abcdef0123456789abcdef"}`, "unknown_ticket"},
		{"ticket with a token", "", `{"token":"demo-kiosk-token","ticket":"0123456789abcdef0123456789abcdef"}`, hub.CodeBadSubscribe},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := o.dial(t, tc.header, tc.sub)
			f := c.next()
			if f.Type != queue.FrameError || f.Error == nil || f.Error.Code != tc.code || f.Error.Message == "" {
				t.Fatalf("got %s, want an error frame %s", f.raw, tc.code)
			}
			if err := c.ended(); !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
				t.Fatalf("got %v, want a policy-violation close", err)
			}
		})
	}
	t.Run("silent client", func(t *testing.T) {
		c, _, err := websocket.DefaultDialer.Dial(o.wsURL(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var f queue.Frame
		if err := c.ReadJSON(&f); err != nil || f.Type != queue.FrameError || f.Error.Code != hub.CodeTimeout {
			t.Fatalf("got %+v %v", f, err)
		}
	})
	t.Run("bad header token", func(t *testing.T) {
		_, err := o.tryDial("nope-nope-nope", queue.Subscribe{}, nil)
		if err == nil || !strings.Contains(err.Error(), "401") {
			t.Fatalf("got %v, want a 401", err)
		}
	})
	t.Run("plain GET", func(t *testing.T) {
		status, data := o.do("", "GET", "/api/v1/stream", nil)
		if status != http.StatusUpgradeRequired || errorCode(t, data) != "upgrade_required" {
			t.Fatalf("got %d %s", status, data)
		}
	})
}

func TestStreamResumesWithExactlyTheMissedEvents(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{RingSize: 50})
	floor := o.token("anna")
	c := o.dial(t, floor, queue.Subscribe{})
	snap := c.next()
	o.issue("anagrafe", false)
	o.issue("tributi", false)
	seen := c.until(func(f frame) bool { return f.Seq == o.seq() && f.Type == queue.FrameEvent })
	last := seen[len(seen)-1].Seq
	c.conn.Close()
	<-c.done

	// Missed while away.
	o.issue("sociali", false)
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("mario", "1", "next", nil)
	now := o.seq()

	r := o.dial(t, floor, queue.Subscribe{Since: last})
	got := r.until(func(f frame) bool { return f.Type == queue.FrameEvent && f.Seq == now })
	evs := events(got)
	if got[0].Type == queue.FrameSnapshot {
		t.Fatalf("got a snapshot, want the missed events")
	}
	if len(evs) != int(now-last) {
		t.Fatalf("got %d events, want %d (%d..%d)", len(evs), now-last, last+1, now)
	}
	for i, ev := range evs {
		if ev.Seq != last+1+uint64(i) {
			t.Fatalf("event %d: got seq %d, want %d", i, ev.Seq, last+1+uint64(i))
		}
	}
	// The stats missed while away follow the missed events.
	if f := r.until(func(f frame) bool { return f.Type == queue.FrameStats }); len(f[len(f)-1].Services) != len(o.cfg.Office.Services) {
		t.Fatalf("after resuming: got stats of %d services, want all", len(f[len(f)-1].Services))
	}
	// Live events follow without a duplicate.
	o.issue("tributi", false)
	if f := r.until(func(f frame) bool { return f.Type == queue.FrameEvent }); f[len(f)-1].Seq != now+1 {
		t.Fatalf("got seq %d, want %d", f[len(f)-1].Seq, now+1)
	}

	// Too far back for the ring (50 events), or from another database: a
	// fresh snapshot.
	for range 30 {
		o.mustDo(floor, "POST", "/api/v1/services/sociali/lock", map[string]any{"reason": "test"}, 200, nil)
		o.mustDo(floor, "POST", "/api/v1/services/sociali/unlock", nil, 200, nil)
	}
	for _, since := range []uint64{snap.Seq, o.seq() + 1000} {
		c := o.dial(t, floor, queue.Subscribe{Since: since})
		f := c.next()
		if f.Type != queue.FrameSnapshot || f.Snapshot.Seq != o.seq() {
			t.Fatalf("since %d: got %s..., want a snapshot at %d", since, f.raw[:min(80, len(f.raw))], o.seq())
		}
	}
}

func TestStreamDropsASlowClientAndKeepsTheOthers(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{SendQueue: 64, WriteWait: 500 * time.Millisecond, StatsEvery: time.Millisecond})
	floor := o.token("anna")
	slow, _, err := smallBufferDialer().Dial(o.wsURL(), http.Header{"Authorization": {"Bearer " + floor}})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	if err := slow.WriteJSON(queue.Subscribe{}); err != nil {
		t.Fatal(err)
	}
	fast := o.dial(t, floor, queue.Subscribe{})
	fast.next() // snapshot

	// slow never reads its socket. Enough traffic, from four floor
	// assistants locking and unlocking numerators, fills the kernel's
	// buffers and then its queue.
	const n = 200
	reason := strings.Repeat("r", 200)
	var wg sync.WaitGroup
	for _, svc := range []string{"anagrafe", "tributi", "sociali", "documenti"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n / 4 {
				_, err := o.live.Do(t.Context(), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
					if i%2 == 0 {
						return st.Lock(now, svc, reason, queue.Actor{Name: "anna", Supervisor: true})
					}
					return st.Unlock(now, svc, queue.Actor{Name: "anna", Supervisor: true})
				}, nil)
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	want := o.seq()
	got := fast.until(func(f frame) bool { return f.Type == queue.FrameEvent && f.Seq == want })
	if evs := events(got); len(evs) < n {
		t.Fatalf("fast client: got %d events, want at least %d", len(evs), n)
	}
	// The stats timer (every millisecond here) keeps the traffic going
	// until the slow client's buffers are full and it is dropped.
	for deadline := time.Now().Add(20 * time.Second); o.hub.Clients() != 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the slow client was not dropped: %d clients", o.hub.Clients())
		}
	}
	if st := o.hub.Stats(); st.Dropped != 1 || st.Clients["supervisor"] != 1 || st.Clients["phone"] != 0 {
		t.Fatalf("hub stats: got %+v, want 1 dropped and the fast supervisor left", st)
	}
	o.issue("anagrafe", false)
	want = o.seq()
	fast.until(func(f frame) bool { return f.Type == queue.FrameEvent && f.Seq == want })
	// Reading at last, the slow client finds its stream ended early.
	var lastSeen uint64
	_ = slow.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		var f queue.Frame
		if err = slow.ReadJSON(&f); err != nil {
			break
		}
		lastSeen = f.Seq
	}
	if lastSeen >= want || (websocket.IsCloseError(err) && !websocket.IsCloseError(err, websocket.CloseTryAgainLater)) {
		t.Fatalf("slow client: last seq %d of %d, ended with %v", lastSeen, want, err)
	}
	t.Logf("slow client: dropped after seq %d of %d: %v", lastSeen, want, err)
}

func TestSupervisorsSeeWhichDevicesAreConnected(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	floor := o.token("anna")
	sup := o.dial(t, floor, queue.Subscribe{})
	presence := func(f frame) bool { return f.Type == queue.FramePresence }
	device := func(devices []queue.DeviceStatus, id string) queue.DeviceStatus {
		for _, d := range devices {
			if d.ID == id {
				return d
			}
		}
		t.Fatalf("device %s not listed in %+v", id, devices)
		return queue.DeviceStatus{}
	}
	online := func(devices []queue.DeviceStatus, id string) bool { return device(devices, id).Online }
	got := sup.until(presence)
	if f := got[len(got)-1]; len(f.Devices) != 3 || online(f.Devices, "kiosk-1") || online(f.Devices, "display-1") {
		t.Fatalf("at start: got %+v, want the three devices (kiosk, board, rating pad) offline", f.Devices)
	}
	kiosk := o.dial(t, kioskToken, queue.Subscribe{})
	got = sup.until(presence)
	if f := got[len(got)-1]; !online(f.Devices, "kiosk-1") || online(f.Devices, "display-1") || device(f.Devices, "kiosk-1").Since == nil {
		t.Fatalf("kiosk connected: got %+v", f.Devices)
	}
	// The REST view says the same.
	var list struct{ Devices []queue.DeviceStatus }
	o.mustDo(floor, "GET", "/api/v1/devices", nil, 200, &list)
	if !online(list.Devices, "kiosk-1") {
		t.Fatalf("GET /devices: got %+v", list.Devices)
	}
	o.clock.Add(time.Minute)
	kiosk.conn.Close()
	got = sup.until(presence)
	if f := got[len(got)-1]; online(f.Devices, "kiosk-1") || !device(f.Devices, "kiosk-1").Since.Equal(tuesday("09:01")) {
		t.Fatalf("kiosk gone: got %+v, want offline since 09:01", f.Devices)
	}
	if status, data := o.do(o.token("mario"), "GET", "/api/v1/devices", nil); status != 403 {
		t.Fatalf("a clerk reading devices: got %d %s", status, data)
	}
}

func TestTheHallMessageReachesTheDisplays(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	board := o.dial(t, "demo-display-token", queue.Subscribe{})
	if f := board.next(); f.Type != queue.FrameSnapshot {
		t.Fatalf("got %s first", f.Type)
	}
	o.mustDo(o.token("anna"), "POST", "/api/v1/hall/message", map[string]string{"text": "Sportello 3 chiuso"}, 200, nil)
	got := board.until(eventOf(queue.EventHallMessage))
	if ev := got[len(got)-1].Event; ev.Message != "Sportello 3 chiuso" || ev.Actor != "" {
		t.Fatalf("got %+v", ev)
	}
}

// Logging out used to end only the token: the session's open stream kept
// receiving the office's events. Logout now ends the session's streams
// with an error frame and a close reason; other sessions' go on.
func TestLogoutEndsTheSessionsStreams(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	mario, giulia := o.token("mario"), o.token("giulia")
	clerk := o.dial(t, "", queue.Subscribe{Token: mario, Counter: "1"})
	header := o.dial(t, mario, queue.Subscribe{Counter: "1"}) // the same session, token in the header
	other := o.dial(t, "", queue.Subscribe{Token: giulia, Counter: "2"})
	display := o.dial(t, "demo-display-token", queue.Subscribe{})
	for _, c := range []*wsClient{clerk, header, other, display} {
		if f := c.next(); f.Type != queue.FrameSnapshot {
			t.Fatalf("got %s, want a snapshot", f.raw)
		}
	}

	o.mustDo(mario, "POST", "/api/v1/logout", nil, 204, nil)
	o.issue("anagrafe", false)

	for _, c := range []*wsClient{clerk, header} {
		f := c.next()
		if f.Type != queue.FrameError || f.Error.Code != "logged_out" || f.Error.Message == "" {
			t.Fatalf("after logout: got %s, want an error frame logged_out", f.raw)
		}
		err := c.ended()
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.ClosePolicyViolation || ce.Text != "logged out" {
			t.Fatalf("got %v, want close 1008 \"logged out\"", err)
		}
	}
	for _, c := range []*wsClient{other, display} {
		c.until(eventOf(queue.EventTicketIssued))
	}
	// The token is dead for a new stream too.
	again := o.dial(t, "", queue.Subscribe{Token: mario, Counter: "1"})
	if f := again.next(); f.Type != queue.FrameError || f.Error.Code != "unauthorized" {
		t.Fatalf("after logout, a new stream: got %s", f.raw)
	}
}

// A session that expires ends its stream at the first event after the
// expiry (or within the stats period, whichever comes first), the same way.
func TestAnExpiredSessionEndsItsStream(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	clerk := o.dial(t, "", queue.Subscribe{Token: o.token("mario"), Counter: "1"})
	display := o.dial(t, "demo-display-token", queue.Subscribe{})
	clerk.next()
	display.next()
	o.clock.Add(o.cfg.SessionTTL)
	o.mustDo(o.token("anna"), "POST", "/api/v1/hall/message", map[string]string{"text": "Buonasera"}, 200, nil)
	f := clerk.next()
	if f.Type != queue.FrameError || f.Error.Code != "session_expired" {
		t.Fatalf("got %s, want an error frame session_expired", f.raw)
	}
	var ce *websocket.CloseError
	if err := clerk.ended(); !errors.As(err, &ce) || ce.Code != websocket.ClosePolicyViolation || ce.Text != "session expired" {
		t.Fatalf("got %v, want close 1008 \"session expired\"", err)
	}
	display.until(eventOf(queue.EventHallMessage))
}

// A configuration change takes effect at a restart, which ends every stream
// (1001); a stream of a session the new configuration ends cannot come back
// with the old token.
func TestAStreamDoesNotOutliveAConfigurationChange(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	giulia := o.token("giulia")
	c := o.dial(t, "", queue.Subscribe{Token: giulia, Counter: "2"})
	c.next()
	cfg := demo(t)
	hash, err := config.HashPassword("nuova")
	if err != nil {
		t.Fatal(err)
	}
	cfg.User("giulia").PasswordHash = hash
	o.stop()
	if err := c.ended(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Fatalf("at the restart: got %v, want close 1001", err)
	}
	n := startStreaming(t, o.path, o.clock, cfg, o.opt)
	again := n.dial(t, "", queue.Subscribe{Token: giulia, Counter: "2"})
	if f := again.next(); f.Type != queue.FrameError || f.Error.Code != "session_expired" {
		t.Fatalf("after the change: got %s, want an error frame session_expired", f.raw)
	}
}
