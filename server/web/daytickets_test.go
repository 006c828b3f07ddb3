package web_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"turno/server/queue"
)

// The day's tickets are read on demand, a page at a time, from the store:
// the snapshot keeps only what the screens show, and a supervisor still
// finds every ticket served since the morning, with its case reference; a
// hall display gets them without the case files.
func TestTheDaysTicketsAreReadOnDemand(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	const n = queue.RecentClosed + 5
	var issued []string
	for range n {
		issued = append(issued, o.issue("anagrafe", false).ID)
	}
	o.issue("tributi", false)
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	for i := range n - 1 {
		o.clock.Add(time.Minute)
		o.counter("mario", "1", "next", nil)
		o.counter("mario", "1", "finish", map[string]any{"outcome": "resolved", "case_ref": fmt.Sprintf("PR-%d", i)})
	}
	admin := o.token("admin")
	var snap queue.Snapshot
	o.mustDo(admin, "GET", "/api/v1/snapshot", nil, 200, &snap)
	if len(snap.Tickets) != queue.RecentClosed+2 {
		t.Fatalf("the snapshot holds %d tickets, want the %d latest served, the waiting one and tributi's", len(snap.Tickets), queue.RecentClosed)
	}
	// Every finished ticket of the day, in issue order, in pages of 6.
	var got []string
	var page queue.DayTickets
	path := "/api/v1/tickets?status=done&limit=6"
	for pages := 0; ; pages++ {
		page = queue.DayTickets{}
		o.mustDo(admin, "GET", path, nil, 200, &page)
		if page.Day != "2026-11-24" || pages > n {
			t.Fatalf("got day %s after %d pages", page.Day, pages)
		}
		for _, tk := range page.Tickets {
			if tk.Status != queue.StatusDone || tk.CaseRef == "" {
				t.Fatalf("got %+v, want a served ticket with its case reference", tk)
			}
			got = append(got, tk.ID)
		}
		if page.Next == 0 {
			break
		}
		path = fmt.Sprintf("/api/v1/tickets?status=done&limit=6&after=%d", page.Next)
	}
	if !slices.Equal(got, issued[:n-1]) {
		t.Fatalf("got %d finished tickets %v, want %v", len(got), got, issued[:n-1])
	}
	// Several statuses, a service, another day.
	o.mustDo(o.token("mario"), "GET", "/api/v1/tickets?status=waiting,called&service=tributi", nil, 200, &page)
	if len(page.Tickets) != 1 || page.Tickets[0].Service != "tributi" {
		t.Fatalf("got %+v", page.Tickets)
	}
	o.mustDo(admin, "GET", "/api/v1/tickets?day=2026-11-23", nil, 200, &page)
	if page.Day != "2026-11-23" || page.Tickets == nil || len(page.Tickets) != 0 {
		t.Fatalf("a day without tickets: got %+v", page)
	}
	// A hall display reads numbers, not case files; a kiosk reads nothing.
	status, data := o.do(displayToken, "GET", "/api/v1/tickets?status=done&limit=1", nil)
	if status != 200 || strings.Contains(string(data), "PR-") {
		t.Fatalf("display: got %d %s", status, data)
	}
	if status, data := o.do(kioskToken, "GET", "/api/v1/tickets", nil); status != 403 || errorCode(t, data) != "forbidden" {
		t.Fatalf("kiosk: got %d %s", status, data)
	}
	for _, q := range []string{"day=24-11-2026", "status=finished", "status=done,", "service=../x", "after=-1", "limit=0", "limit=1001", "limit=x", "sort=number"} {
		if status, data := o.do(admin, "GET", "/api/v1/tickets?"+q, nil); status != 400 || errorCode(t, data) != "invalid" {
			t.Fatalf("%s: got %d %s, want 400 invalid", q, status, data)
		}
	}
}

// A hall display's snapshot carries no bookings (the citizens' names), as
// its stream's does not.
func TestADisplaysSnapshotHasNoBookings(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	o.mustDo(o.token("mario"), "POST", "/api/v1/bookings", map[string]any{"service": "anagrafe", "slot": tuesday("10:15"), "name": "Maria Rossi"}, 201, nil)
	var snap queue.Snapshot
	o.mustDo(o.token("admin"), "GET", "/api/v1/snapshot", nil, 200, &snap)
	if len(snap.Bookings) != 1 {
		t.Fatalf("admin: got %d bookings, want 1", len(snap.Bookings))
	}
	status, data := o.do(displayToken, "GET", "/api/v1/snapshot", nil)
	if status != 200 || strings.Contains(string(data), "Maria Rossi") || strings.Contains(string(data), `"bookings"`) {
		t.Fatalf("display: got %d %s", status, data)
	}
}
