package web_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"turno/server/hub"
	"turno/server/queue"
)

// A client that answers each ping a quarter of the pong wait late (a busy
// phone, a slow network, one of a thousand screens on a loaded machine) is
// kept: the hub pings at half the wait, so it has the other half to answer.
// With pings at 9/10 of the wait it had a tenth, and was dropped.
func TestStreamKeepsAClientThatAnswersPingsLate(t *testing.T) {
	noLeaks(t)
	const pongWait = 2 * time.Second
	o := newStreaming(t, tuesday("09:00"), hub.Options{PongWait: pongWait})
	conn, _, err := websocket.DefaultDialer.Dial(o.wsURL(), http.Header{"Authorization": {"Bearer " + displayToken}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	pings := make(chan struct{}, 16)
	conn.SetPingHandler(func(data string) error {
		time.AfterFunc(pongWait/4, func() {
			_ = conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
			pings <- struct{}{}
		})
		return nil
	})
	if err := conn.WriteJSON(queue.Subscribe{}); err != nil {
		t.Fatal(err)
	}
	frames := make(chan queue.Frame, 64)
	ended := make(chan error, 1)
	go func() {
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				ended <- err
				close(frames)
				return
			}
			var f queue.Frame
			if json.Unmarshal(data, &f) == nil {
				frames <- f
			}
		}
	}()
	for i := 0; i < 3; i++ {
		select {
		case <-pings:
		case err := <-ended:
			t.Fatalf("dropped after %d pings: %v", i, err)
		case <-time.After(3 * pongWait):
			t.Fatalf("ping %d never came", i+1)
		}
	}
	// Still subscribed: the next event arrives.
	o.issue("anagrafe", false)
	timeout := time.After(5 * time.Second)
	for {
		select {
		case f, ok := <-frames:
			if !ok {
				t.Fatalf("dropped: %v", <-ended)
			}
			if f.Type == queue.FrameEvent && f.Event.Type == queue.EventTicketIssued {
				return
			}
		case <-timeout:
			t.Fatal("no ticket.issued within 5 s")
		}
	}
}

// Displays subscribing moments apart share one snapshot: the later one
// starts from it and gets the events since from the ring, so it misses
// nothing; once the snapshot is older than ShareSnapshot on the office's
// clock, a new one is read.
func TestStreamSubscribersShareARecentSnapshot(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{ShareSnapshot: time.Hour})
	first := o.dial(t, displayToken, queue.Subscribe{})
	s1 := first.next()
	if s1.Type != queue.FrameSnapshot {
		t.Fatalf("got %s, want a snapshot", s1.raw)
	}
	tk := o.issue("anagrafe", false)
	second := o.dial(t, displayToken, queue.Subscribe{})
	s2 := second.next()
	if s2.Type != queue.FrameSnapshot || s2.Seq != s1.Seq || len(s2.Snapshot.Tickets) != 0 {
		t.Fatalf("got %s, want the first display's snapshot at %d", s2.raw, s1.Seq)
	}
	if ev := second.until(eventOf(queue.EventTicketIssued)); ev[len(ev)-1].Event.Ticket.ID != tk.ID {
		t.Fatalf("got %s, want the ticket issued since", ev[len(ev)-1].raw)
	}
	o.clock.Add(time.Hour)
	third := o.dial(t, displayToken, queue.Subscribe{})
	// A display's snapshot counts the waiting, without their tickets.
	if s3 := third.next(); s3.Type != queue.FrameSnapshot || s3.Seq <= s1.Seq || s3.Snapshot.Services[0].Waiting != 1 {
		t.Fatalf("an hour later: got %s, want a new snapshot counting the ticket", s3.raw)
	}
}
