package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"turno/server/client"
	"turno/server/queue"
)

// recorder keeps what a stream told the app.
type recorder struct {
	mu     sync.Mutex
	events []queue.Event
}

func (r *recorder) onEvent(ev queue.Event) {
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
}

func (r *recorder) seqs() []uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s []uint64
	for _, ev := range r.events {
		s = append(s, ev.Seq)
	}
	return s
}

func (r *recorder) count(typ string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ev := range r.events {
		if ev.Type == typ {
			n++
		}
	}
	return n
}

// eventually polls cond until it holds or the time is up.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func openStream(t *testing.T, c *client.Client, opt client.StreamOptions) *client.Stream {
	t.Helper()
	s := c.Stream(context.Background(), opt)
	t.Cleanup(s.Close)
	return s
}

// asJSON compares structures as their wire form: what the apps see.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// sameAsServer reports whether the model matches the server's snapshot:
// tickets with their positions, counters and services.
func sameAsServer(t *testing.T, admin *client.Client, m client.Model) (bool, string) {
	t.Helper()
	snap, err := admin.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m.Seq != snap.Seq || m.Day != snap.Day {
		return false, "seq/day"
	}
	// The next free slot moves with the clock alone (the booking notice):
	// the hub's timer refreshes it, not the events this test waits for.
	for _, svcs := range [][]queue.ServiceView{m.Services, snap.Services} {
		for i := range svcs {
			if a := svcs[i].Agenda; a != nil {
				c := *a
				c.NextFree = nil
				svcs[i].Agenda = &c
			}
		}
	}
	for _, part := range []struct {
		name      string
		got, want any
	}{
		{"tickets", m.Tickets, snap.Tickets},
		{"counters", m.Counters, snap.Counters},
		{"services", m.Services, snap.Services},
	} {
		if g, w := asJSON(t, part.got), asJSON(t, part.want); g != w {
			return false, part.name + ":\ngot  " + g + "\nwant " + w
		}
	}
	return true, ""
}

func waitSame(t *testing.T, admin *client.Client, s *client.Stream) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, diff := sameAsServer(t, admin, s.Model())
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the model does not match the server's snapshot: %s", diff)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func waitState(t *testing.T, s *client.Stream, want client.ConnState) client.Status {
	t.Helper()
	var st client.Status
	eventually(t, "stream "+want.String(), func() bool { st = s.Status(); return st.State == want })
	return st
}

func TestStreamModelFollowsTheOffice(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	ctx := context.Background()
	kiosk, admin := o.client(kioskToken), o.login("admin")
	if _, _, err := kiosk.Issue(ctx, "anagrafe", false, ""); err != nil {
		t.Fatal(err)
	}
	var rec recorder
	changed := make(chan struct{}, 1000)
	s := openStream(t, admin, client.StreamOptions{OnEvent: rec.onEvent, OnChange: func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}})
	waitState(t, s, client.Connected)
	waitSame(t, admin, s)
	// The stream knows the server's time, whatever this machine's clock says.
	if d := s.ServerNow().Sub(o.clock.Now()); d < -2*time.Second || d > 2*time.Second {
		t.Fatalf("ServerNow is %s off the office's clock", d)
	}

	// A morning: tickets of several services, two counters, every action.
	mario, giulia, anna := o.login("mario"), o.login("giulia"), o.login("anna")
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, svc := range []string{"anagrafe", "tributi", "anagrafe", "sociali", "tributi", "anagrafe"} {
		_, _, err := kiosk.Issue(ctx, svc, i == 4, "")
		must(nil, err)
	}
	must(mario.Open(ctx, "1", []string{"anagrafe", "tributi"}))
	must(giulia.Open(ctx, "2", []string{"tributi"}))
	must(mario.Next(ctx, "1"))
	must(giulia.Next(ctx, "2"))
	must(mario.Recall(ctx, "1"))
	must(mario.Start(ctx, "1"))
	o.clock.Add(6 * time.Minute)
	must(mario.Finish(ctx, "1", queue.OutcomeResolved, "", "ok"))
	must(giulia.NoShow(ctx, "2"))
	must(mario.Next(ctx, "1"))
	must(mario.Transfer(ctx, "1", "sociali", false))
	must(giulia.Pause(ctx, "2"))
	must(anna.LockService(ctx, "sociali", "assistente assente"))
	waitSame(t, admin, s)
	if m := s.Model(); m.Service("sociali").Lock == nil || m.Service("sociali").Status != queue.ServiceLocked {
		t.Fatalf("sociali: got %+v, want locked", m.Service("sociali"))
	}
	must(anna.UnlockService(ctx, "sociali"))
	must(nil, anna.SetHallMessage(ctx, "Sportello 2 in pausa fino alle 10"))
	must(anna.LogContact(ctx, "tributi", "modulo TARI"))
	must(mario.LogContact(ctx, "", ""))
	waitSame(t, admin, s)
	if m := s.Model(); m.HallMessage != "Sportello 2 in pausa fino alle 10" || m.Contacts != 2 || m.Service("tributi").Stats.Contacts != 1 {
		t.Fatalf("got message %q, %d contacts", m.HallMessage, m.Contacts)
	}
	// The supervisor's stream says which devices are connected.
	ks := openStream(t, kiosk, client.StreamOptions{})
	waitState(t, ks, client.Connected)
	deadline := time.Now().Add(5 * time.Second)
	for !deviceOnline(s.Model().Devices, "kiosk-1") {
		if time.Now().After(deadline) {
			t.Fatalf("kiosk-1 never shown online: %+v", s.Model().Devices)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if devices, err := admin.Devices(ctx); err != nil || !deviceOnline(devices, "kiosk-1") || deviceOnline(devices, "display-1") {
		t.Fatalf("devices: got %+v %v", devices, err)
	}
	snap, err := admin.Snapshot(ctx)
	must(nil, err)
	var waiting string
	for _, tk := range snap.Tickets {
		if tk.Status == queue.StatusWaiting && tk.Service == "anagrafe" {
			waiting = tk.ID
		}
	}
	must(anna.MoveTicket(ctx, waiting, "tributi"))
	must(giulia.Resume(ctx, "2"))
	must(giulia.Close(ctx, "2", false))
	waitSame(t, admin, s)

	// Every event reached the app once, in order; calls and recalls can
	// ring the chime.
	seqs := rec.seqs()
	m := s.Model()
	for i := 1; i < len(seqs); i++ {
		if seqs[i] != seqs[i-1]+1 {
			t.Fatalf("events out of order or missing: %v", seqs)
		}
	}
	if len(seqs) == 0 || seqs[len(seqs)-1] != m.Seq {
		t.Fatalf("got events %v, want up to %d", seqs, m.Seq)
	}
	if n := rec.count(queue.EventTicketCalled); n != 3 {
		t.Fatalf("got %d ticket.called, want 3", n)
	}
	if n := rec.count(queue.EventTicketRecalled); n != 1 {
		t.Fatalf("got %d ticket.recalled, want 1", n)
	}
	if len(changed) == 0 {
		t.Fatal("OnChange was never called")
	}
	// The helpers read the model as the apps do.
	w := m.Waiting("anagrafe")
	for i, tk := range w {
		if tk.Position == nil || tk.Ahead != i || (i > 0 && tk.Priority && !w[i-1].Priority) {
			t.Fatalf("anagrafe's queue out of call order: %+v", w)
		}
	}
	if len(w) == 0 {
		t.Fatal("nobody waiting for anagrafe")
	}
	if c := m.Counter("2"); c == nil || c.State != queue.CounterClosed {
		t.Fatalf("counter 2: got %+v", c)
	}
	if tk := m.FindTicket(w[0].Number); tk == nil || tk.ID != w[0].ID {
		t.Fatalf("find %s: got %+v", w[0].Number, tk)
	}

	// The copy is the caller's: changing it changes nothing in the stream.
	m.Tickets[0].Status = "scribbled"
	m.Counters[0].Services = append(m.Counters[0].Services[:0], "scribbled")
	waitSame(t, admin, s)

	// The next morning starts from nothing: the model rolls over too.
	o.clock.Set(tuesday(t, "09:00").AddDate(0, 0, 1))
	if _, err := admin.Login(ctx, "admin", "demo"); err != nil { // yesterday's session has expired
		t.Fatal(err)
	}
	if _, _, err := kiosk.Issue(ctx, "anagrafe", false, ""); err != nil {
		t.Fatal(err)
	}
	waitSame(t, admin, s)
	if m := s.Model(); m.Day != "2026-11-25" || len(m.Tickets) != 1 || m.Tickets[0].Number != "A001" || m.Counter("1").State != queue.CounterClosed {
		t.Fatalf("after the rollover: got day %s, %d tickets, counter 1 %s", m.Day, len(m.Tickets), m.Counter("1").State)
	}
}

func TestStreamResumesAcrossARestartWithNothingMissedOrRepeated(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	ctx := context.Background()
	kiosk, admin := o.client(kioskToken), o.login("admin")
	var rec recorder
	s := openStream(t, admin, client.StreamOptions{OnEvent: rec.onEvent, MinBackoff: 200 * time.Millisecond, MaxBackoff: time.Second})
	waitState(t, s, client.Connected)
	for range 3 {
		if _, _, err := kiosk.Issue(ctx, "anagrafe", false, ""); err != nil {
			t.Fatal(err)
		}
	}
	waitSame(t, admin, s)
	before := s.Model().Seq

	o = o.restart()
	st := waitState(t, s, client.Disconnected)
	if !errors.Is(st.Err, client.ErrUnreachable) && st.Err == nil {
		t.Fatalf("disconnected: got err %v", st.Err)
	}
	// Changes made while the stream is away must arrive after it is back.
	for range 2 {
		if _, _, err := kiosk.Issue(ctx, "tributi", false, ""); err != nil {
			t.Fatal(err)
		}
	}
	waitState(t, s, client.Connected)
	health, err := o.client("").Health(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the missed events", func() bool { return s.Model().Seq == health.Seq })
	// A resumed stream gets the missed events but no fresh service views
	// until the next change: estimates that depend on them settle then.
	if _, _, err := kiosk.Issue(ctx, "tributi", false, ""); err != nil {
		t.Fatal(err)
	}
	waitSame(t, admin, s)
	seqs := rec.seqs()
	after := s.Model().Seq
	if after <= before {
		t.Fatalf("seq did not move: %d -> %d", before, after)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] != seqs[i-1]+1 {
			t.Fatalf("events missing or repeated across the restart: %v", seqs)
		}
	}
	if rec.count(queue.EventTicketIssued) != 6 {
		t.Fatalf("got %d ticket.issued, want 6 (once each)", rec.count(queue.EventTicketIssued))
	}
}

func TestStreamViewsByRole(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	ctx := context.Background()
	kiosk := o.client(kioskToken)
	mine, _, err := kiosk.Issue(ctx, "tributi", false, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := kiosk.Issue(ctx, "anagrafe", false, ""); err != nil {
		t.Fatal(err)
	}
	phone := openStream(t, o.client(""), client.StreamOptions{Ticket: mine.ID})
	kioskStream := openStream(t, kiosk, client.StreamOptions{})
	var chimes recorder
	display := openStream(t, o.client(displayToken), client.StreamOptions{OnEvent: chimes.onEvent})
	mario := o.login("mario")
	clerk := openStream(t, mario, client.StreamOptions{Counter: "4"})
	for _, s := range []*client.Stream{phone, kioskStream, display, clerk} {
		waitState(t, s, client.Connected)
	}
	eventually(t, "the phone's ticket", func() bool { m := phone.Model(); return m.Ticket != nil && m.Ticket.Number == "T001" })

	if _, err := mario.Open(ctx, "4", []string{"tributi"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mario.Next(ctx, "4"); err != nil {
		t.Fatal(err)
	}
	if _, err := mario.Finish(ctx, "4", queue.OutcomeResolved, "TR-1", "private note"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.login("anna").LockService(ctx, "anagrafe", "guasto"); err != nil {
		t.Fatal(err)
	}

	eventually(t, "the phone's ticket done", func() bool { m := phone.Model(); return m.Ticket != nil && m.Ticket.Status == queue.StatusDone })
	eventually(t, "the kiosk sees the lock", func() bool {
		sv := kioskStream.Model().Service("anagrafe")
		return sv != nil && sv.Status == queue.ServiceLocked && sv.Refusal != nil && sv.Refusal.Rule == queue.RuleLocked
	})
	if m := kioskStream.Model(); len(m.Tickets) != 0 || m.Service("anagrafe").Waiting != 1 {
		t.Fatalf("kiosk: got %d tickets, anagrafe waiting %d; want none and 1", len(m.Tickets), m.Service("anagrafe").Waiting)
	}
	eventually(t, "the display's chime", func() bool { return chimes.count(queue.EventTicketCalled) == 1 })
	eventually(t, "the display sees T001 done", func() bool {
		tk := display.Model().FindTicket("T001")
		return tk != nil && tk.Status == queue.StatusDone
	})
	if tk := display.Model().FindTicket("T001"); tk.Note != "" || tk.CaseRef != "" {
		t.Fatalf("display: got note %q case %q, want them hidden", tk.Note, tk.CaseRef)
	}
	eventually(t, "the clerk sees T001 done", func() bool {
		tk := clerk.Model().FindTicket("T001")
		return tk != nil && tk.Status == queue.StatusDone && tk.CaseRef == "TR-1"
	})
	m := clerk.Model()
	if len(m.Counters) != 1 || m.Counters[0].ID != "4" || m.FindTicket("A001") != nil {
		t.Fatalf("clerk at 4: got counters %+v and A001 %v; want only its own", m.Counters, m.FindTicket("A001"))
	}
}

func TestStreamStopsWhenRefused(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	for _, tc := range []struct {
		name string
		c    *client.Client
		opt  client.StreamOptions
	}{
		{"bad token", o.client("not-a-token-at-all"), client.StreamOptions{}},
		{"no token", o.client(""), client.StreamOptions{}},
		{"unknown ticket", o.client(""), client.StreamOptions{Ticket: "0123456789abcdef0123456789abcdef"}},
		{"unknown counter", o.login("mario"), client.StreamOptions{Counter: "99"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.c.Stream(context.Background(), tc.opt)
			defer s.Close()
			select {
			case <-s.Done():
			case <-time.After(10 * time.Second):
				t.Fatalf("still running: %+v", s.Status())
			}
			var e *client.Error
			if st := s.Status(); st.State != client.Stopped || !errors.As(s.Err(), &e) {
				t.Fatalf("got %+v, want stopped with a *client.Error", st)
			}
		})
	}
}

func TestStreamBacksOffAndStopsOnClose(t *testing.T) {
	before := runtime.NumGoroutine()
	o := newOffice(t, tuesday(t, "09:00"))
	admin := o.login("admin")
	o.stop()
	s := admin.Stream(context.Background(), client.StreamOptions{MinBackoff: 20 * time.Millisecond, MaxBackoff: 80 * time.Millisecond})
	var st client.Status
	eventually(t, "three failed attempts", func() bool { st = s.Status(); return st.Retries >= 3 })
	if st.State != client.Disconnected || !errors.Is(st.Err, client.ErrUnreachable) || st.NextAttempt.IsZero() {
		t.Fatalf("got %+v, want disconnected, unreachable, retrying", st)
	}
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not return")
	}
	if st := s.Status(); st.State != client.Stopped || !errors.Is(s.Err(), client.ErrStreamClosed) {
		t.Fatalf("got %+v, want stopped", st)
	}
	retries := s.Status().Retries
	time.Sleep(200 * time.Millisecond)
	if s.Status().Retries != retries {
		t.Fatal("still retrying after Close")
	}

	// A connected stream closed by its context leaves no goroutine behind.
	o2 := newOffice(t, tuesday(t, "09:00"))
	ctx, cancel := context.WithCancel(context.Background())
	s2 := o2.login("admin").Stream(ctx, client.StreamOptions{})
	waitState(t, s2, client.Connected)
	cancel()
	<-s2.Done()
	o2.stop()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines: %d before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func deviceOnline(devices []queue.DeviceStatus, id string) bool {
	for _, d := range devices {
		if d.ID == id {
			return d.Online
		}
	}
	return false
}
