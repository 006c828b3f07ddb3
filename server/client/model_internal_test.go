package client

import (
	"encoding/json"
	"testing"
	"time"

	"turno/server/queue"
)

func TestBackoffGrowsWithJitterWithinBounds(t *testing.T) {
	lo, hi := 100*time.Millisecond, time.Second
	for _, tc := range []struct {
		attempt  int
		min, max time.Duration
	}{
		{1, 50 * time.Millisecond, 100 * time.Millisecond},
		{2, 100 * time.Millisecond, 200 * time.Millisecond},
		{4, 400 * time.Millisecond, 800 * time.Millisecond},
		{5, 500 * time.Millisecond, time.Second},
		{1000, 500 * time.Millisecond, time.Second},
	} {
		for range 50 {
			if d := backoff(tc.attempt, lo, hi); d < tc.min || d > tc.max {
				t.Fatalf("attempt %d: got %v, want within [%v, %v]", tc.attempt, d, tc.min, tc.max)
			}
		}
	}
}

// FuzzModelApply feeds the model frames it was never meant to get: it must
// never panic, whatever a broken or hostile server sends.
func FuzzModelApply(f *testing.F) {
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	tk := queue.Ticket{ID: "t1", Number: "A001", Service: "anagrafe", Status: queue.StatusWaiting, QueuedAt: at}
	for _, fr := range []queue.Frame{
		{Type: queue.FrameSnapshot, Seq: 1, Snapshot: &queue.Snapshot{Seq: 1, Services: []queue.ServiceView{{ID: "anagrafe"}}, Counters: []queue.Counter{{ID: "1", State: queue.CounterOpen, Services: []string{"anagrafe"}}}}},
		{Type: queue.FrameEvent, Seq: 2, Event: &queue.Event{Seq: 2, Type: queue.EventTicketIssued, Ticket: &tk}},
		{Type: queue.FrameEvent, Seq: 3, Event: &queue.Event{Seq: 3, Type: queue.EventServiceLocked, Service: "anagrafe", Lock: &queue.Lock{Reason: "x"}}},
		{Type: queue.FrameEvent, Seq: 4, Event: &queue.Event{Seq: 4, Type: queue.EventServiceTurnaway, Service: "anagrafe", Refusal: &queue.Refusal{Rule: "locked"}}},
		{Type: queue.FrameEvent, Seq: 5, Event: &queue.Event{Seq: 5, Type: queue.EventDayRollover, Day: "2026-11-25"}},
		{Type: queue.FrameStats, Seq: 5, Services: []queue.ServiceView{{ID: "anagrafe", ServiceStatus: queue.ServiceStatus{Waiting: 3, Wait: queue.Wait{EstimatedWait: 60}}}}},
		{Type: queue.FrameTicket, Seq: 6, Ticket: &queue.PublicTicket{ID: "t1"}},
	} {
		data, err := json.Marshal(fr)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m := newModel()
		var fr queue.Frame
		if json.Unmarshal(data, &fr) != nil {
			return
		}
		// The same frame as a snapshot start and as what follows it.
		m.apply(&queue.Frame{Type: queue.FrameSnapshot, Snapshot: &queue.Snapshot{Services: []queue.ServiceView{{ID: "anagrafe"}}, Counters: []queue.Counter{{ID: "1", State: queue.CounterOpen, Services: []string{"anagrafe"}}}}})
		m.apply(&fr)
		m.apply(&fr)
		c := m.clone()
		_ = c.Waiting("anagrafe")
	})
}
