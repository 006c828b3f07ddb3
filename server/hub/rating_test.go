package hub

import (
	"testing"

	"turno/server/queue"
)

// A rating reaches supervisors as it is, hall screens without the clerk
// (recorded only where the rules allow it), and no clerk at all: a clerk's
// console never shows the scores of its own citizens.
func TestRatingsReachOnlyWhomTheyMay(t *testing.T) {
	ev := queue.Event{Type: queue.EventTicketRated, Service: "anagrafe",
		Rating: &queue.Rating{Ticket: "t1", Service: "anagrafe", Counter: "1", Clerk: "mario", Score: 2}}
	all := View{Kind: KindAll}
	display := View{Kind: KindDisplay}
	clerk := View{Kind: KindClerk, Counter: "1", Services: []string{"anagrafe"}}
	kiosk := View{Kind: KindKiosk}
	if !all.sees(&ev) || all.event(ev).Rating.Clerk != "mario" {
		t.Error("supervisors: the rating as recorded")
	}
	if !display.sees(&ev) || display.event(ev).Rating.Clerk != "" || ev.Rating.Clerk != "mario" {
		t.Error("a hall screen: the rating without the clerk, the shared event untouched")
	}
	if clerk.sees(&ev) || kiosk.sees(&ev) {
		t.Error("a clerk or a kiosk sees a rating")
	}
}
