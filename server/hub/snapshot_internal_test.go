package hub

import (
	"strings"
	"testing"
	"time"

	"turno/server/queue"
)

// Views alike share one encoded snapshot, down to its bytes (a hundred
// screens subscribing at once hold one copy); another kind of view, another
// counter or a newer snapshot gets its own, cut as that view may read it.
func TestSnapshotFramesAreSharedByViewsAlike(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	snap := &queue.Snapshot{Seq: 7, Day: "2026-11-24",
		Counters: []queue.Counter{{ID: "1", Clerk: "mario"}, {ID: "2", Clerk: "giulia"}},
		Tickets: []queue.TicketView{
			{Ticket: queue.Ticket{ID: "a", Service: "anagrafe", Status: queue.StatusWaiting, Note: "private", IssuedAt: at}},
			{Ticket: queue.Ticket{ID: "t", Service: "tributi", Status: queue.StatusWaiting, IssuedAt: at}},
			{Ticket: queue.Ticket{ID: "c", Service: "tributi", Status: queue.StatusCalled, Counter: "2", Note: "private", CalledAt: &at, IssuedAt: at}},
		}}
	var frames snapshotFrames
	display1, display2 := frames.frame(snap, &View{Kind: KindDisplay}), frames.frame(snap, &View{Kind: KindDisplay})
	if &display1[0] != &display2[0] {
		t.Fatal("two displays got two copies of the same snapshot")
	}
	if strings.Contains(string(display1), "private") || strings.Contains(string(display1), "mario") {
		t.Fatalf("a display's snapshot carries private fields: %s", display1)
	}
	// A hall screen shows who is called where, and counts the waiting from
	// the services: their tickets are left out, and it says so.
	if !strings.Contains(string(display1), `"id":"c"`) || strings.Contains(string(display1), `"id":"a"`) || !strings.Contains(string(display1), `"waiting_omitted":true`) {
		t.Fatalf("a display's snapshot holds the waiting tickets, or not the called one: %s", display1)
	}
	staff := frames.frame(snap, &View{Kind: KindAll})
	if !strings.Contains(string(staff), "private") || !strings.Contains(string(staff), `"id":"a"`) || strings.Contains(string(staff), "waiting_omitted") || &staff[0] == &display1[0] {
		t.Fatalf("staff's snapshot: %s", staff)
	}
	clerk1 := frames.frame(snap, &View{Kind: KindClerk, Counter: "1", Services: []string{"anagrafe"}})
	clerk2 := frames.frame(snap, &View{Kind: KindClerk, Counter: "2", Services: []string{"tributi"}})
	if !strings.Contains(string(clerk1), `"id":"a"`) || strings.Contains(string(clerk1), `"id":"t"`) || strings.Contains(string(clerk2), `"id":"a"`) {
		t.Fatalf("clerks' snapshots:\n%s\n%s", clerk1, clerk2)
	}
	newer := *snap
	newer.Seq = 8
	if again := frames.frame(&newer, &View{Kind: KindDisplay}); &again[0] == &display1[0] || !strings.Contains(string(again), `"seq":8`) {
		t.Fatal("a newer snapshot was answered with the old one")
	}
}
