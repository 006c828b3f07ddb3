package client_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"turno/server/client"
	"turno/server/queue"
)

// A hall screen that follows a long day holds what a fresh snapshot holds:
// the open tickets and each service's latest closed ones, not every ticket
// of the day, and a reactivated no-show that had left the view comes back.
func TestModelHoldsWhatAFreshSnapshotHolds(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	ctx := context.Background()
	kiosk, admin, mario := o.client(kioskToken), o.login("admin"), o.login("mario")
	s := openStream(t, admin, client.StreamOptions{})
	waitState(t, s, client.Connected)
	const n = 2*(queue.RecentClosed+queue.RecentNoShows) + 3
	for range n {
		if _, _, err := kiosk.Issue(ctx, "anagrafe", false, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := mario.Open(ctx, "1", []string{"anagrafe"}); err != nil {
		t.Fatal(err)
	}
	var first string
	for i := range n - 3 {
		o.clock.Add(20 * time.Second) // the first no-show stays within the reactivate window
		if _, err := mario.Next(ctx, "1"); err != nil {
			t.Fatal(err)
		}
		var res *queue.Result
		var err error
		if i%2 == 0 {
			res, err = mario.NoShow(ctx, "1")
		} else {
			res, err = mario.Finish(ctx, "1", queue.OutcomeResolved, "", "")
		}
		if err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = res.Ticket.ID
		}
	}
	waitTickets(t, admin, s)
	m := s.Model()
	if len(m.Tickets) >= n || m.FindTicket(first) != nil {
		t.Fatalf("the model holds %d of %d tickets (the first no-show: %v), want the open ones and the latest closed", len(m.Tickets), n, m.FindTicket(first) != nil)
	}
	if _, err := mario.Reactivate(ctx, "1", first); err != nil {
		t.Fatal(err)
	}
	waitTickets(t, admin, s)
	if m := s.Model(); m.FindTicket(first) == nil || m.FindTicket(first).Status != queue.StatusWaiting {
		t.Fatal("the reactivated no-show is not back in the model")
	}
}

// waitTickets waits until the model holds the tickets of the server's
// snapshot, with their positions, in its order. (The services' estimates of
// services no event touched are refreshed by the hub's timer: waitSame
// compares those too.)
func waitTickets(t *testing.T, admin *client.Client, s *client.Stream) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		snap, err := admin.Snapshot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		m := s.Model()
		got, want := asJSON(t, m.Tickets), asJSON(t, snap.Tickets)
		if m.Seq == snap.Seq && got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the model's tickets are not the snapshot's:\ngot  %s\nwant %s", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The day's finished tickets, which the model no longer holds, are read on
// demand, a page at a time.
func TestDayTicketsReadsTheDayOnDemand(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	ctx := context.Background()
	kiosk, admin, mario := o.client(kioskToken), o.login("admin"), o.login("mario")
	const n = queue.RecentClosed + 3
	for range n {
		if _, _, err := kiosk.Issue(ctx, "anagrafe", false, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := mario.Open(ctx, "1", []string{"anagrafe"}); err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, err := mario.Next(ctx, "1"); err != nil {
			t.Fatal(err)
		}
		if _, err := mario.Finish(ctx, "1", queue.OutcomeResolved, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	var all []queue.Ticket
	q := client.TicketsQuery{Statuses: []queue.Status{queue.StatusDone}, Service: "anagrafe", Limit: 5}
	for {
		page, err := admin.DayTickets(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Tickets...)
		if page.Next == 0 {
			break
		}
		q.After = page.Next
	}
	if len(all) != n || all[0].Number != "A001" || all[n-1].Number != fmt.Sprintf("A%03d", n) {
		t.Fatalf("got %d tickets from %s, want %d from A001", len(all), all[0].Number, n)
	}
	if _, err := kiosk.DayTickets(ctx, client.TicketsQuery{}); !client.IsCode(err, "forbidden") {
		t.Fatalf("a kiosk: got %v, want forbidden", err)
	}
}

// A hall display's view leaves the waiting tickets out (its snapshot says
// so, and counts them per service): the model following its stream holds
// what a fresh display snapshot holds through issues, calls, a no-show put
// back in the queue and a transfer, and keeps the server's counts instead
// of recounting the tickets it does not hold.
func TestDisplayModelHoldsNoWaitingTickets(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	ctx := context.Background()
	kiosk, display, mario := o.client(kioskToken), o.client(displayToken), o.login("mario")
	s := openStream(t, display, client.StreamOptions{})
	waitState(t, s, client.Connected)
	for range 4 {
		if _, _, err := kiosk.Issue(ctx, "anagrafe", false, ""); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string, called, waiting int) {
		t.Helper()
		waitTickets(t, display, s)
		m := s.Model()
		// The counts come with the stats frame that follows the events.
		for deadline := time.Now().Add(5 * time.Second); m.Service("anagrafe").Waiting != waiting && time.Now().Before(deadline); m = s.Model() {
			time.Sleep(10 * time.Millisecond)
		}
		if !m.WaitingOmitted || len(m.Tickets) != called || m.Service("anagrafe").Waiting != waiting {
			t.Fatalf("%s: the display's model holds %d tickets, counts %d waiting (omitted: %v); want %d and %d", step, len(m.Tickets), m.Service("anagrafe").Waiting, m.WaitingOmitted, called, waiting)
		}
	}
	check("issued", 0, 4)
	if _, err := mario.Open(ctx, "1", []string{"anagrafe", "tributi"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mario.Next(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	check("called", 1, 3)
	res, err := mario.NoShow(ctx, "1")
	if err != nil {
		t.Fatal(err)
	}
	check("no-show", 1, 3)
	if _, err := mario.Reactivate(ctx, "1", res.Ticket.ID); err != nil {
		t.Fatal(err)
	}
	check("put back in the queue", 0, 4)
	if _, err := mario.Next(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := mario.Transfer(ctx, "1", "tributi", false); err != nil {
		t.Fatal(err)
	}
	check("transferred", 0, 3)
}
