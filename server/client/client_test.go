package client_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"turno/server/client"
	"turno/server/queue"
	"turno/server/store"
)

func TestEveryCallAgainstARealServer(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	ctx := context.Background()
	kiosk := o.client(kioskToken)

	h, err := o.client("").Health(ctx)
	if err != nil || h.Status != "ok" || h.Day != "2026-11-24" {
		t.Fatalf("health: got %+v %v", h, err)
	}

	// Issue, and repeat with the same key: the same ticket, as a replay.
	a1, replay, err := kiosk.Issue(ctx, "anagrafe", false, "tap-1")
	if err != nil || replay || a1.Number != "A001" || a1.Status != queue.StatusWaiting || a1.Position == nil || a1.Ahead != 0 {
		t.Fatalf("issue: got %+v replay=%v %v", a1, replay, err)
	}
	again, replay, err := kiosk.Issue(ctx, "anagrafe", false, "tap-1")
	if err != nil || !replay || again.ID != a1.ID {
		t.Fatalf("issue again: got %+v replay=%v %v, want %s as a replay", again, replay, err, a1.ID)
	}
	services, err := kiosk.Services(ctx)
	if err != nil || len(services) != 4 || services[0].ID != "anagrafe" || services[0].Waiting != 1 {
		t.Fatalf("services: got %+v %v", services, err)
	}
	pub, err := o.client("").Ticket(ctx, a1.ID)
	if err != nil || pub.Number != "A001" || pub.Ahead == nil || *pub.Ahead != 0 {
		t.Fatalf("ticket: got %+v %v", pub, err)
	}

	// A clerk's day: open, call, recall, serve, finish.
	mario := o.login("mario")
	res, err := mario.Open(ctx, "1", []string{"anagrafe", "tributi"})
	if err != nil || res.Counter == nil || res.Counter.State != queue.CounterOpen || res.Counter.Clerk != "mario" {
		t.Fatalf("open: got %+v %v", res, err)
	}
	res, err = mario.Next(ctx, "1")
	if err != nil || res.Ticket == nil || res.Ticket.ID != a1.ID || res.Counter.Current != a1.ID {
		t.Fatalf("next: got %+v %v", res, err)
	}
	if res, err = mario.Recall(ctx, "1"); err != nil || res.Ticket.Recalls != 1 {
		t.Fatalf("recall: got %+v %v", res, err)
	}
	if res, err = mario.Start(ctx, "1"); err != nil || res.Ticket.Status != queue.StatusServing {
		t.Fatalf("start: got %+v %v", res, err)
	}
	o.clock.Add(5 * time.Minute)
	res, err = mario.Finish(ctx, "1", queue.OutcomeForwarded, "ANA-12", "cambio residenza")
	if err != nil || res.Ticket.Status != queue.StatusDone || res.Ticket.Outcome != queue.OutcomeForwarded || res.Ticket.CaseRef != "ANA-12" || res.Counter.Current != "" {
		t.Fatalf("finish: got %+v %v", res, err)
	}
	_, err = mario.Next(ctx, "1")
	if !client.IsCode(err, "queue_empty") || !errors.Is(err, queue.ErrQueueEmpty) || client.StatusOf(err) != http.StatusConflict {
		t.Fatalf("next on an empty queue: got %v, want queue_empty", err)
	}

	// A no-show, reactivated by number, then transferred to another queue.
	t1, _, err := kiosk.Issue(ctx, "tributi", false, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err = mario.Next(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	if res, err = mario.NoShow(ctx, "1"); err != nil || res.Ticket.Status != queue.StatusNoShow {
		t.Fatalf("noshow: got %+v %v", res, err)
	}
	if res, err = mario.Reactivate(ctx, "1", t1.Number); err != nil || res.Ticket.ID != t1.ID || res.Ticket.Status != queue.StatusWaiting {
		t.Fatalf("reactivate: got %+v %v", res, err)
	}
	if res, err = mario.Next(ctx, "1"); err != nil || res.Ticket.ID != t1.ID {
		t.Fatalf("next after reactivate: got %+v %v", res, err)
	}
	res, err = mario.Transfer(ctx, "1", "anagrafe", true)
	if err != nil || res.Ticket.Service != "anagrafe" || res.Ticket.Status != queue.StatusWaiting || len(res.Ticket.FromServices) != 1 {
		t.Fatalf("transfer: got %+v %v", res, err)
	}
	if res, err = mario.Pause(ctx, "1"); err != nil || res.Counter.State != queue.CounterPaused {
		t.Fatalf("pause: got %+v %v", res, err)
	}
	if res, err = mario.Resume(ctx, "1"); err != nil || res.Counter.State != queue.CounterOpen {
		t.Fatalf("resume: got %+v %v", res, err)
	}
	if res, err = mario.Close(ctx, "1", false); err != nil || res.Counter.State != queue.CounterClosed {
		t.Fatalf("close: got %+v %v", res, err)
	}

	// Fast track: register a document and get its protocol number.
	d1, _, err := kiosk.Issue(ctx, "documenti", false, "")
	if err != nil {
		t.Fatal(err)
	}
	luca := o.login("luca")
	if _, err = luca.Open(ctx, "6", []string{"documenti"}); err != nil {
		t.Fatal(err)
	}
	if _, err = luca.Next(ctx, "6"); err != nil {
		t.Fatal(err)
	}
	if res, err = luca.Register(ctx, "6", "Istanza cambio di residenza"); err != nil || res.Ticket.ID != d1.ID || res.Ticket.Protocol != "2026/000001" {
		t.Fatalf("register: got %+v %v", res, err)
	}
	// The printed ticket and the receipt, public like the ticket's page.
	public := o.client("")
	for name, get := range map[string]func(context.Context, string) ([]byte, error){"ticket": public.TicketPDF, "receipt": public.ReceiptPDF} {
		if pdf, err := get(ctx, d1.ID); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("%s PDF: got %d bytes %v", name, len(pdf), err)
		}
	}
	if _, err := public.ReceiptPDF(ctx, a1.ID); !client.IsCode(err, "not_registered") {
		t.Fatalf("receipt of an unregistered ticket: got %v", err)
	}

	// The floor assistant: move a ticket, lock and unlock a numerator, force
	// a counter closed with a ticket in progress.
	anna := o.login("anna")
	wrong, _, err := kiosk.Issue(ctx, "tributi", false, "")
	if err != nil {
		t.Fatal(err)
	}
	if res, err = anna.MoveTicket(ctx, wrong.ID, "sociali"); err != nil || res.Ticket.Service != "sociali" || res.Ticket.Number != wrong.Number {
		t.Fatalf("move: got %+v %v", res, err)
	}
	view, err := anna.LockService(ctx, "sociali", "assistente sociale assente")
	if err != nil || view.Status != queue.ServiceLocked || view.Lock == nil || view.Lock.Reason != "assistente sociale assente" {
		t.Fatalf("lock: got %+v %v", view, err)
	}
	_, _, err = kiosk.Issue(ctx, "sociali", false, "")
	if !client.IsCode(err, queue.RuleLocked) {
		t.Fatalf("issue while locked: got %v, want locked", err)
	}
	if view, err = anna.UnlockService(ctx, "sociali"); err != nil || view.Status != queue.ServiceOpen || view.Lock != nil {
		t.Fatalf("unlock: got %+v %v", view, err)
	}
	if _, err = luca.Finish(ctx, "6", queue.OutcomeResolved, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err = kiosk.Issue(ctx, "documenti", false, ""); err != nil {
		t.Fatal(err)
	}
	if _, err = luca.Next(ctx, "6"); err != nil {
		t.Fatal(err)
	}
	if _, err = luca.Close(ctx, "6", true); !client.IsCode(err, "forbidden") {
		t.Fatalf("a clerk forcing: got %v, want forbidden", err)
	}
	if res, err = anna.Close(ctx, "6", true); err != nil || res.Counter.State != queue.CounterClosed {
		t.Fatalf("forced close: got %+v %v", res, err)
	}

	// The administrator: the snapshot, and a backup that is a database.
	admin := o.login("admin")
	snap, err := admin.Snapshot(ctx)
	if err != nil || snap.Day != "2026-11-24" || len(snap.Tickets) != 5 || len(snap.Counters) != 6 || snap.Seq == 0 {
		t.Fatalf("snapshot: got %+v %v", snap, err)
	}
	var backup bytes.Buffer
	n, err := admin.Backup(ctx, &backup)
	if err != nil || n == 0 || int64(backup.Len()) != n {
		t.Fatalf("backup: got %d bytes, %v", n, err)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, backup.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.Ticket(a1.ID); err != nil || got.Number != "A001" {
		t.Fatalf("ticket in the backup: got %+v %v", got, err)
	}
	db.Close()

	// Logout forgets the token; the old session no longer works.
	tok := mario.Token()
	if err := mario.Logout(ctx); err != nil || mario.Token() != "" {
		t.Fatalf("logout: %v, token %q", err, mario.Token())
	}
	if _, err := o.client(tok).Services(ctx); !client.IsAuth(err) {
		t.Fatalf("after logout: got %v, want 401", err)
	}
}

func TestAPIErrorsAreTyped(t *testing.T) {
	o := newOffice(t, tuesday(t, "12:10")) // anagrafe's morning cut-off is 12:00
	ctx := context.Background()
	mario := o.login("mario")
	if _, err := mario.Open(ctx, "1", []string{"tributi"}); err != nil {
		t.Fatal(err)
	}

	// A refused ticket says its rule, when the service reopens and that it
	// can be booked.
	_, _, err := o.client(kioskToken).Issue(ctx, "anagrafe", false, "")
	var apiErr *client.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("got %v, want a *client.Error", err)
	}
	ref := apiErr.Refusal()
	if apiErr.Status != 409 || apiErr.Code != queue.RuleCutoffTime || apiErr.ReopensAt == nil || !apiErr.ReopensAt.Equal(tuesday(t, "15:00")) ||
		ref == nil || ref.Rule != queue.RuleCutoffTime || ref.Service != "anagrafe" || !ref.Appointment || apiErr.Message == "" {
		t.Fatalf("got %+v (refusal %+v)", apiErr, ref)
	}
	if errors.Is(err, client.ErrUnreachable) {
		t.Fatal("a refusal is not an unreachable server")
	}

	for _, tc := range []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"no token", func() error { _, err := o.client("").Services(ctx); return err }, 401, "unauthorized"},
		{"bad token", func() error { _, err := o.client("not-a-token-at-all").Snapshot(ctx); return err }, 401, "unauthorized"},
		{"bad password", func() error { _, err := o.client("").Login(ctx, "mario", "wrong"); return err }, 401, "bad_credentials"},
		{"kiosk reads the snapshot", func() error { _, err := o.client(kioskToken).Snapshot(ctx); return err }, 403, "forbidden"},
		{"display issues", func() error { _, _, err := o.client(displayToken).Issue(ctx, "tributi", false, ""); return err }, 403, "forbidden"},
		{"clerk locks", func() error { _, err := mario.LockService(ctx, "tributi", "x"); return err }, 403, "forbidden"},
		{"unknown ticket", func() error { _, err := o.client("").Ticket(ctx, strings.Repeat("ab", 16)); return err }, 404, "unknown_ticket"},
		{"ticket id with a slash", func() error { _, err := o.client("").Ticket(ctx, "../snapshot"); return err }, 404, "unknown_ticket"},
		{"unknown counter", func() error { _, err := mario.Next(ctx, "99"); return err }, 404, "unknown_counter"},
		{"unknown service", func() error { _, _, err := o.client(kioskToken).Issue(ctx, "passaporti", false, ""); return err }, 404, "unknown_service"},
		{"open with no service", func() error { _, err := o.login("giulia").Open(ctx, "2", nil); return err }, 400, "invalid"},
		{"bad outcome", func() error { _, err := mario.Finish(ctx, "1", "maybe", "", ""); return err }, 400, "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var e *client.Error
			if !errors.As(err, &e) || e.Status != tc.status || e.Code != tc.code || e.Message == "" {
				t.Fatalf("got %v, want %d %s", err, tc.status, tc.code)
			}
			if e.Refusal() != nil {
				t.Fatalf("got refusal %+v on a plain error", e.Refusal())
			}
		})
	}
	if err := mario.Logout(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestUnreachableServerIsDistinguishable(t *testing.T) {
	ctx := context.Background()

	t.Run("stopped server", func(t *testing.T) {
		o := newOffice(t, tuesday(t, "09:00"))
		c := o.client(kioskToken)
		o.stop()
		_, err := c.Services(ctx)
		if !errors.Is(err, client.ErrUnreachable) || client.StatusOf(err) != 0 {
			t.Fatalf("got %v, want ErrUnreachable", err)
		}
	})

	// The stand-ins below are not Turno: they play a network that hangs
	// and a proxy whose upstream is down.
	t.Run("server that never answers", func(t *testing.T) {
		hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
		defer hang.Close()
		c, err := client.New(hang.URL, client.WithTimeout(100*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = c.Health(ctx)
		if !errors.Is(err, client.ErrUnreachable) || time.Since(start) > 5*time.Second {
			t.Fatalf("got %v after %v, want ErrUnreachable within the timeout", err, time.Since(start))
		}
		// The caller's own cancellation is not the server's fault.
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err = c.Health(cctx)
		if !errors.Is(err, context.Canceled) || errors.Is(err, client.ErrUnreachable) {
			t.Fatalf("got %v, want context.Canceled only", err)
		}
	})

	t.Run("proxy with the server down", func(t *testing.T) {
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
		}))
		defer proxy.Close()
		c, err := client.New(proxy.URL)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Health(ctx)
		if !errors.Is(err, client.ErrUnreachable) || client.StatusOf(err) != 502 {
			t.Fatalf("got %v, want ErrUnreachable with status 502", err)
		}
	})

	t.Run("oversized answer", func(t *testing.T) {
		big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"status":"`))
			chunk := bytes.Repeat([]byte("x"), 1<<20)
			for range client.MaxResponse>>20 + 1 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}))
		defer big.Close()
		c, err := client.New(big.URL)
		if err != nil {
			t.Fatal(err)
		}
		if _, err = c.Health(ctx); err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Fatalf("got %v, want the answer refused as too large", err)
		}
	})
}

func TestNewRefusesBadAddresses(t *testing.T) {
	for _, addr := range []string{"", "localhost:8080", "ftp://x", "http://", "://x"} {
		if _, err := client.New(addr); err == nil {
			t.Errorf("New(%q): got no error", addr)
		}
	}
	c, err := client.New("http://10.0.0.5:8080/")
	if err != nil || c.BaseURL() != "http://10.0.0.5:8080" {
		t.Fatalf("got %v %v", c, err)
	}
}

func TestBookingCalls(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	ctx := context.Background()
	mario := o.login("mario")
	slots, err := mario.Slots(ctx, "anagrafe", tuesday(t, "12:00"))
	if err != nil || len(slots) == 0 || slots[0].Free != 1 {
		t.Fatalf("slots: got %+v %v", slots, err)
	}
	b, replay, err := mario.Book(ctx, client.BookRequest{Service: "anagrafe", Slot: tuesday(t, "09:15"), Name: "Maria Rossi", Contact: "maria@example.org", IdempotencyKey: "c1"})
	if err != nil || replay || b.State != queue.BookingBooked {
		t.Fatalf("book: got %+v %v %v", b, replay, err)
	}
	if again, replay, err := mario.Book(ctx, client.BookRequest{Service: "anagrafe", Slot: tuesday(t, "09:15"), Name: "Maria Rossi", IdempotencyKey: "c1"}); err != nil || !replay || again.ID != b.ID {
		t.Fatalf("book again: got %+v %v %v", again, replay, err)
	}
	if found, err := mario.FindBookings(ctx, "rossi"); err != nil || len(found) != 1 {
		t.Fatalf("find: got %+v %v", found, err)
	}
	if day, err := mario.Bookings(ctx, tuesday(t, "12:00"), "anagrafe"); err != nil || len(day) != 1 {
		t.Fatalf("day: got %+v %v", day, err)
	}
	if moved, err := mario.MoveBooking(ctx, b.Code, tuesday(t, "09:30")); err != nil || !moved.Slot.Equal(tuesday(t, "09:30")) {
		t.Fatalf("move: got %+v %v", moved, err)
	}
	kiosk := o.client(kioskToken)
	// The confirmation a kiosk prints, by the booking's id only.
	if pdf, err := kiosk.BookingPDF(ctx, b.ID); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("booking PDF: got %d bytes %v", len(pdf), err)
	}
	if _, err := kiosk.BookingPDF(ctx, b.Code); client.StatusOf(err) != 404 {
		t.Fatalf("booking PDF by code: got %v, want 404", err)
	}
	_, _, err = kiosk.CheckIn(ctx, b.Code)
	var apiErr *client.Error
	if !errors.As(err, &apiErr) || apiErr.CheckIn == nil || apiErr.CheckIn.Reason != queue.CheckInTooEarly || apiErr.Refusal() != nil {
		t.Fatalf("too early: got %v", err)
	}
	o.Clock.Set(tuesday(t, "09:20"))
	in, replay, err := kiosk.CheckIn(ctx, b.Code)
	if err != nil || replay || in.Ticket.Number != "P001" || in.Booking.Name != "" {
		t.Fatalf("check in: got %+v %v %v", in, replay, err)
	}
	if _, err := kiosk.Bookings(ctx, tuesday(t, "12:00"), ""); client.StatusOf(err) != 403 {
		t.Fatalf("a kiosk reading bookings: got %v, want 403", err)
	}
	if c, err := mario.CancelBooking(ctx, b.ID); !errors.Is(err, queue.ErrBookingState) {
		t.Fatalf("cancel a checked-in booking: got %+v %v", c, err)
	}
}
