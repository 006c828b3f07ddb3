package queue

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// A snapshot holds what the screens show, not the whole day: every open
// ticket, each service's ten latest closed tickets and ten latest
// no-shows. A closed ticket put back in the queue after it left the view
// comes back last; the office itself still knows every ticket of the day.
func TestSnapshotHoldsOpenTicketsAndEachServicesLatestClosed(t *testing.T) {
	cfg := testConfig(t)
	cfg.Rules.ReactivateWindow = 4 * time.Hour
	h := newHarness(t, cfg)
	now := at(tue, "08:30")
	tick := func() time.Time { now = now.Add(time.Minute); return now }
	var issued []*Ticket
	for range 30 {
		issued = append(issued, h.issue(tick(), "anagrafe", false))
	}
	other := h.issue(tick(), "tributi", false)
	h.open(tick(), "1", "mario", "anagrafe")
	noShow := func() *Ticket {
		h.next(tick(), "1", "mario")
		return h.do(tick(), func(now time.Time) ([]Event, *Ticket, error) { return h.o.NoShow(now, "1", Actor{Name: "mario"}) })
	}
	var done, noShows []string
	for range 5 {
		h.next(tick(), "1", "mario")
		done = append(done, h.finish(tick(), "1", "mario").ID)
	}
	for range 12 {
		noShows = append(noShows, noShow().ID)
	}
	for range 10 {
		h.next(tick(), "1", "mario")
		done = append(done, h.finish(tick(), "1", "mario").ID)
	}
	ids := func() []string {
		var out []string
		for _, v := range h.o.Snapshot(now).Tickets {
			out = append(out, v.ID)
		}
		return out
	}
	// Open: the last three anagrafe tickets and the tributi one; closed: the
	// ten latest served and the ten latest no-shows, in issue order.
	var want []string
	for _, tk := range issued {
		switch id := tk.ID; {
		case slices.Contains(done[5:], id), slices.Contains(noShows[2:], id), !slices.Contains(done, id) && !slices.Contains(noShows, id):
			want = append(want, id)
		}
	}
	want = append(want, other.ID) // issued after every anagrafe ticket
	if got := ids(); !slices.Equal(got, want) {
		t.Fatalf("got tickets\n%v\nwant\n%v", got, want)
	}
	if h.o.TicketByID(done[0]) == nil || h.o.TicketByID(noShows[0]) == nil {
		t.Fatal("the office forgot a ticket that left the view")
	}
	// The first no-show, long out of the view, back in the queue: last.
	h.do(tick(), func(now time.Time) ([]Event, *Ticket, error) {
		return h.o.Reactivate(now, "1", noShows[0], Actor{Name: "mario"})
	})
	if got := ids(); got[len(got)-1] != noShows[0] || len(got) != len(want)+1 {
		t.Fatalf("after the reactivation got %v, want %v then %s", got, want, noShows[0])
	}
}

// Recent's lists depend on the tickets alone, not on the order they were
// noted: a view rebuilt from a snapshot keeps what the office keeps.
func TestRecentIsTheSameWhateverTheOrderOfNoting(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, rome)
	var tickets []Ticket
	for i := range 25 {
		end := at.Add(time.Duration(i%7) * time.Minute) // ties in closing time
		tk := Ticket{ID: fmt.Sprintf("%032x", i), Service: "anagrafe", Status: StatusDone, FinishedAt: &end}
		if i%3 == 0 {
			tk.Status, tk.NoShowAt = StatusNoShow, &end
		}
		tickets = append(tickets, tk)
	}
	kept := func(order []int) []string {
		var r Recent
		for _, i := range order {
			r.Note(&tickets[i])
		}
		var out []string
		for i := range tickets {
			if r.Shown(&tickets[i]) {
				out = append(out, tickets[i].ID)
			}
		}
		return out
	}
	forward := make([]int, len(tickets))
	backward := make([]int, len(tickets))
	for i := range tickets {
		forward[i], backward[i] = i, len(tickets)-1-i
	}
	a, b := kept(forward), kept(backward)
	if !slices.Equal(a, b) {
		t.Fatalf("noted forward kept %v, backward %v", a, b)
	}
	if len(a) > RecentClosed+RecentNoShows {
		t.Fatalf("kept %d tickets, want at most %d", len(a), RecentClosed+RecentNoShows)
	}
}
