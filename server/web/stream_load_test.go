package web_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"turno/server/hub"
	"turno/server/queue"
)

// A thousand hall displays and counters all hear every call.
func TestStreamThousandClientsReceiveEveryCall(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 websocket clients: skipped in -short")
	}
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	const clients, calls = 1000, 5
	for range calls {
		o.issue("anagrafe", false)
	}
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})

	conns := make([]*websocket.Conn, clients)
	var dialers sync.WaitGroup
	errs := make(chan error, clients)
	for i := range conns {
		dialers.Add(1)
		go func() {
			defer dialers.Done()
			c, _, err := websocket.DefaultDialer.Dial(o.wsURL(), http.Header{"Authorization": {"Bearer " + displayToken}})
			if err == nil {
				err = c.WriteJSON(queue.Subscribe{})
			}
			if err != nil {
				errs <- err
				return
			}
			conns[i] = c
		}()
	}
	dialers.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	// Each reads its snapshot, then counts the calls it hears.
	var readers sync.WaitGroup
	heard := make([]int, clients)
	for i, c := range conns {
		readers.Add(1)
		go func() {
			defer readers.Done()
			_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
			for heard[i] < calls {
				var f queue.Frame
				if err := c.ReadJSON(&f); err != nil {
					return
				}
				if f.Type == queue.FrameEvent && f.Event.Type == queue.EventTicketCalled {
					heard[i]++
				}
			}
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); o.hub.Clients() < clients; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("got %d subscribed clients, want %d", o.hub.Clients(), clients)
		}
	}
	start := time.Now()
	for range calls {
		o.counter("mario", "1", "next", nil)
		o.counter("mario", "1", "start", nil)
		o.counter("mario", "1", "finish", map[string]any{"outcome": "resolved"})
	}
	readers.Wait()
	for i, n := range heard {
		if n != calls {
			t.Fatalf("client %d heard %d calls, want %d", i, n, calls)
		}
	}
	t.Logf("%d clients heard %d calls in %s", clients, calls, time.Since(start))
}

// Clients connected across a server restart resume with since and miss
// nothing, duplicate nothing: the new hub starts its ring from the log.
func TestStreamResumesAcrossARestart(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	admin, clerk := o.token("admin"), o.token("mario")
	o.issue("anagrafe", false)
	o.issue("tributi", false)
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe", "tributi"}})

	type follower struct {
		header string
		sub    queue.Subscribe
		seqs   []uint64 // event seqs received, over every connection
		last   uint64
	}
	fs := []*follower{{header: admin}, {sub: queue.Subscribe{Token: clerk, Counter: "2"}}}
	conns := make([]*wsClient, len(fs))
	target := o.seq()
	for i, f := range fs {
		conns[i] = o.dial(t, f.header, f.sub)
		got := conns[i].until(func(fr frame) bool { return fr.Seq >= target })
		if got[0].Type != queue.FrameSnapshot {
			t.Fatalf("got %s, want a snapshot", got[0].raw)
		}
		for _, fr := range got {
			f.last = max(f.last, fr.Seq)
		}
	}
	o.counter("mario", "1", "next", nil)
	target = o.seq()
	for i, f := range fs {
		for _, fr := range conns[i].until(func(fr frame) bool { return fr.Seq >= target }) {
			if fr.Type == queue.FrameEvent {
				f.seqs = append(f.seqs, fr.Seq)
			}
			f.last = max(f.last, fr.Seq)
		}
	}

	o = o.restart()
	for i := range fs {
		if err := conns[i].ended(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
			t.Fatalf("client %d: got %v, want a going-away close", i, err)
		}
	}
	// Things happen before they are back.
	o.issue("anagrafe", false)
	o.counter("giulia", "2", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("giulia", "2", "next", nil)
	target = o.seq()
	for i, f := range fs {
		f.sub.Since = f.last
		conns[i] = o.dial(t, f.header, f.sub)
		for _, fr := range conns[i].until(func(fr frame) bool { return fr.Seq >= target }) {
			if fr.Type == queue.FrameSnapshot {
				t.Fatalf("follower %d got a snapshot after the restart, want the missed events", i)
			}
			if fr.Type == queue.FrameEvent {
				f.seqs = append(f.seqs, fr.Seq)
			}
		}
	}
	// The admin got every event once; the clerk of counter 2 got its own,
	// once each, in order.
	a := fs[0].seqs
	for i := 1; i < len(a); i++ {
		if a[i] != a[i-1]+1 {
			t.Fatalf("admin: seq %d after %d", a[i], a[i-1])
		}
	}
	if a[len(a)-1] != target {
		t.Fatalf("admin: last seq %d, want %d", a[len(a)-1], target)
	}
	c := fs[1].seqs
	for i := 1; i < len(c); i++ {
		if c[i] <= c[i-1] {
			t.Fatalf("clerk: seq %d after %d", c[i], c[i-1])
		}
	}
	if len(c) == 0 || c[len(c)-1] != target {
		t.Fatalf("clerk: got %v, want its events up to %d", c, target)
	}
}
