package queue

import (
	"slices"
	"time"
)

// What a live view holds of the day's tickets: every open ticket (waiting,
// called, serving) and, of the closed ones, only each service's latest. A
// 50,000-ticket day is then as light to show as a 500-ticket one; the rest
// of the day's tickets are read from the store on demand.
//
// The counts cover what the apps show: the hall board's last six calls,
// the counter's six no-shows it may put back in the queue.
const (
	// RecentClosed is how many of each service's latest closed tickets
	// (served, no-shows, expired) a view holds.
	RecentClosed = 10
	// RecentNoShows is how many of each service's latest no-shows a view
	// holds, however many tickets were served since.
	RecentNoShows = 10
)

// Open reports whether the ticket is still in the day's play: waiting, or
// called or being served at a counter.
func (t *Ticket) Open() bool {
	return t.Status == StatusWaiting || t.Status == StatusCalled || t.Status == StatusServing
}

// closedAt is when a closed ticket closed, the order of the recent lists.
// An expired ticket closed at the day's end and has no time of its own; the
// day's rollover empties every view right after.
func closedAt(t *Ticket) time.Time {
	switch {
	case t.Status == StatusNoShow && t.NoShowAt != nil:
		return *t.NoShowAt
	case t.FinishedAt != nil:
		return *t.FinishedAt
	}
	return time.Time{}
}

// Recent decides which closed tickets a live view still holds: each
// service's RecentClosed latest closed tickets and RecentNoShows latest
// no-shows. The server's office and the apps' model (server/client) both
// follow the day's ticket events through it, so a model that applied events
// since its snapshot holds the same tickets as a fresh snapshot. Its order
// depends on the tickets alone (closing time, then id), never on the order
// it was told about them. The zero value is ready to use.
type Recent struct {
	closed, noShows map[string][]recentEntry // by service, newest first
}

type recentEntry struct {
	id string
	at time.Time
}

// newer orders the lists: the latest closing first, then by id.
func newer(a, b recentEntry) int {
	if c := b.at.Compare(a.at); c != 0 {
		return c
	}
	switch {
	case a.id > b.id:
		return -1
	case a.id < b.id:
		return 1
	}
	return 0
}

// Note records a ticket's new version and returns the ids of the closed
// tickets that no longer belong to the view (t itself among them, if it
// closed before every ticket kept). An open ticket leaves the lists: it is
// in the view as long as it is open.
func (r *Recent) Note(t *Ticket) (gone []string) {
	if r.closed == nil {
		r.closed, r.noShows = map[string][]recentEntry{}, map[string][]recentEntry{}
	}
	svc := t.Service
	for _, m := range []map[string][]recentEntry{r.closed, r.noShows} {
		// A ticket is in the lists of the service it closed in; a
		// reactivated no-show keeps its service.
		m[svc] = slices.DeleteFunc(m[svc], func(e recentEntry) bool { return e.id == t.ID })
	}
	if t.Open() {
		return nil
	}
	e := recentEntry{id: t.ID, at: closedAt(t)}
	var dropped []string
	add := func(m map[string][]recentEntry, keep int) {
		l := m[svc]
		i, _ := slices.BinarySearchFunc(l, e, newer)
		l = slices.Insert(l, i, e)
		if len(l) > keep {
			dropped = append(dropped, l[keep].id)
			l = l[:keep]
		}
		m[svc] = l
	}
	add(r.closed, RecentClosed)
	if t.Status == StatusNoShow {
		add(r.noShows, RecentNoShows)
	}
	for _, id := range dropped {
		if !r.holds(svc, id) {
			gone = append(gone, id)
		}
	}
	return gone
}

// Holds reports whether a closed ticket of the service is still in the view.
func (r *Recent) Holds(t *Ticket) bool { return r.holds(t.Service, t.ID) }

func (r *Recent) holds(svc, id string) bool {
	for _, m := range []map[string][]recentEntry{r.closed, r.noShows} {
		if slices.ContainsFunc(m[svc], func(e recentEntry) bool { return e.id == id }) {
			return true
		}
	}
	return false
}

// Shown reports whether a view holds the ticket as it now stands: open, or
// among its service's latest closed tickets. Call it after Note.
func (r *Recent) Shown(t *Ticket) bool { return t.Open() || r.Holds(t) }
