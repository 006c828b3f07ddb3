package hub

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"turno/server/queue"
)

// Kind is what a subscriber may see, by role.
type Kind int

// Kinds of view. The zero value sees nothing, so a forgotten assignment
// leaks nothing.
const (
	KindNone    Kind = iota
	KindAll          // floor, admin, back office: every event
	KindClerk        // one counter: its services' tickets, its own counter
	KindDisplay      // hall screen: tickets and counters without private fields
	KindKiosk        // numerators only: service and day events, stats
	KindPhone        // one ticket's public view, nothing else
)

// View is one subscriber's filter over the office's events.
type View struct {
	Kind Kind
	// Counter and Services are a clerk's counter and the services it may
	// serve (from the configuration, not only those chosen at opening, so
	// the clerk sees the queues it could pick).
	Counter  string
	Services []string
	// Ticket is a phone's ticket id; Past is its public view when the ticket
	// belongs to a past day and so never changes.
	Ticket string
	Past   *queue.PublicTicket
	// Device is the configured kiosk or display behind the connection, if
	// any: its presence is reported to supervisors.
	Device string
	// Session is the login session behind the connection (a person's, not
	// a device's), which EndSession ends; Expires is when it expires, after
	// which the stream ends too. Zero: none.
	Session string
	Expires time.Time
	// Addr is the client's address, which caps phone streams.
	Addr string
}

// level is how much of an event a view may read; each level has its own
// cached encoding of an event.
type level int

const (
	levelStaff  level = iota // everything but idempotency keys
	levelPublic              // no notes, case references, documents, clerks or actors
)

func (v *View) level() level {
	if v.Kind == KindDisplay || v.Kind == KindKiosk {
		return levelPublic
	}
	return levelStaff
}

// wantsStats says whether the view receives stats frames: every view but the
// phone's, whose ticket frame already carries its estimate.
func (v *View) wantsStats() bool { return v.Kind != KindPhone && v.Kind != KindNone }

func family(typ string) string {
	if i := strings.IndexByte(typ, '.'); i > 0 {
		return typ[:i]
	}
	return typ
}

// sees reports whether the view may receive ev.
func (v *View) sees(ev *queue.Event) bool {
	fam := family(ev.Type)
	switch v.Kind {
	case KindAll:
		return true
	case KindDisplay:
		// Bookings hold personal data, and a hall screen needs none of
		// them: it shows their tickets like any other.
		return fam == "ticket" || fam == "counter" || fam == "service" || fam == "day" || ev.Type == queue.EventHallMessage
	case KindKiosk:
		return fam == "service" || fam == "day"
	case KindClerk:
		switch fam {
		case "service", "day":
			return true
		case "booking":
			return ev.Booking != nil && slices.Contains(v.Services, ev.Booking.Service)
		case "counter":
			return ev.Counter != nil && ev.Counter.ID == v.Counter
		case "ticket":
			return v.clerkTicket(ev)
		}
	}
	return false
}

// clerkTicket: a ticket event concerns a clerk when the ticket is, or just
// was, in one of the counter's services, or when it happened at the counter.
func (v *View) clerkTicket(ev *queue.Event) bool {
	if ev.Counter != nil && ev.Counter.ID == v.Counter {
		return true
	}
	t := ev.Ticket
	if t == nil {
		return false
	}
	if slices.Contains(v.Services, t.Service) {
		return true
	}
	// A transfer out of the clerk's queue must reach the clerk, or the
	// ticket would stay in its copy of the queue.
	if ev.Type == queue.EventTicketTransferred && len(t.FromServices) > 0 {
		return slices.Contains(v.Services, t.FromServices[len(t.FromServices)-1])
	}
	return false
}

// event returns ev as the view may read it. ev is shared between views and
// is never modified: what is stripped is stripped from copies.
func (v *View) event(ev queue.Event) queue.Event {
	if v.Kind == KindClerk && ev.Counter != nil && ev.Counter.ID != v.Counter {
		ev.Counter = nil // another counter's state is not the clerk's view
	}
	return strip(ev, v.level())
}

func strip(ev queue.Event, lv level) queue.Event {
	if ev.Config != nil { // its text holds password hashes and device tokens: never sent
		c := *ev.Config
		c.TOML = ""
		ev.Config = &c
	}
	if ev.Ticket != nil {
		t := stripTicket(*ev.Ticket, lv)
		ev.Ticket = &t
	}
	if lv == levelPublic {
		ev.Actor = ""
		if ev.Counter != nil {
			c := *ev.Counter
			c.Clerk = ""
			ev.Counter = &c
		}
		if ev.Lock != nil {
			l := *ev.Lock
			l.By = ""
			ev.Lock = &l
		}
		if ev.Rating != nil { // named only where the rules allow, and never to a screen
			r := *ev.Rating
			r.Clerk = ""
			ev.Rating = &r
		}
	}
	return ev
}

func stripTicket(t queue.Ticket, lv level) queue.Ticket {
	t.IdempotencyKey = ""
	if lv == levelPublic { // a hall screen shows numbers, not case files
		t.Note, t.CaseRef, t.Document, t.Clerk = "", "", "", ""
		t.Booking = "" // the key of the citizen's booking page
	}
	return t
}

// Snapshot cuts the office's snapshot down to the view, with the same
// stripping as its events. s is shared and left as it is: what is cut is
// cut from copies.
func (v *View) Snapshot(s *queue.Snapshot) queue.Snapshot {
	lv := v.level()
	out := *s
	out.Services = v.services(s.Services)
	out.Tickets = make([]queue.TicketView, 0, len(s.Tickets))
	out.Counters = make([]queue.Counter, 0, len(s.Counters))
	out.Bookings, out.Plan = nil, nil
	switch v.Kind {
	case KindAll:
		out.Bookings, out.Plan = s.Bookings, s.Plan
	case KindClerk:
		for _, b := range s.Bookings {
			if slices.Contains(v.Services, b.Service) {
				out.Bookings = append(out.Bookings, b)
			}
		}
	}
	if v.Kind == KindKiosk {
		return out
	}
	out.WaitingOmitted = v.Kind == KindDisplay
	for _, t := range s.Tickets {
		if v.Kind == KindClerk && !slices.Contains(v.Services, t.Service) && t.Counter != v.Counter {
			continue
		}
		if out.WaitingOmitted && t.Status == queue.StatusWaiting {
			continue
		}
		t.Ticket = stripTicket(t.Ticket, lv)
		out.Tickets = append(out.Tickets, t)
	}
	for _, c := range s.Counters {
		if v.Kind == KindClerk && c.ID != v.Counter {
			continue
		}
		if lv == levelPublic {
			c.Clerk = ""
		}
		out.Counters = append(out.Counters, c)
	}
	return out
}

// snapshotKey names the snapshots alike: one per kind of view, one per
// counter for clerks.
func (v *View) snapshotKey() string {
	if v.Kind == KindClerk {
		return "clerk/" + v.Counter
	}
	return strconv.Itoa(int(v.Kind))
}

// snapshotFrames holds the encoded snapshot frames of the latest shared
// snapshot, one per kind of view: a hundred hall screens subscribing at
// once share one encoding and its bytes, instead of a copy each. Connection
// goroutines encode (outside the office's lock and the hub's goroutine).
type snapshotFrames struct {
	mu     sync.Mutex
	snap   *queue.Snapshot
	taken  time.Time // on the real clock: how long ago it was read
	frames map[string]*sharedFrame
	// reading is the read under way, which subscribers arriving meanwhile
	// wait for instead of reading one each (a hundred displays at once).
	reading *snapshotRead
}

type snapshotRead struct {
	done chan struct{}
	snap *queue.Snapshot
	err  error
}

// get returns the latest snapshot if it was read less than maxAge ago, on
// the real clock and on the office's (now: its time, injected in tests);
// else the one read meanwhile by another subscriber, or one read by read.
func (s *snapshotFrames) get(now time.Time, maxAge time.Duration, read func() (*queue.Snapshot, error)) (*queue.Snapshot, error) {
	s.mu.Lock()
	if s.snap != nil && time.Since(s.taken) < maxAge && !now.Before(s.snap.At) && now.Sub(s.snap.At) < maxAge {
		defer s.mu.Unlock()
		return s.snap, nil
	}
	if r := s.reading; r != nil {
		s.mu.Unlock()
		<-r.done
		return r.snap, r.err
	}
	r := &snapshotRead{done: make(chan struct{})}
	s.reading = r
	s.mu.Unlock()
	r.snap, r.err = read()
	s.mu.Lock()
	s.reading = nil
	if r.err == nil {
		s.keep(r.snap)
	}
	s.mu.Unlock()
	close(r.done)
	return r.snap, r.err
}

// keep makes snap the latest unless it is older; s.mu is held.
func (s *snapshotFrames) keep(snap *queue.Snapshot) bool {
	if s.snap == snap {
		return true
	}
	if s.snap != nil && (snap.Seq < s.snap.Seq || (snap.Seq == s.snap.Seq && !snap.At.After(s.snap.At))) {
		return false // an older one (a slow reader's): not worth keeping
	}
	s.snap, s.taken, s.frames = snap, time.Now(), map[string]*sharedFrame{}
	return true
}

type sharedFrame struct {
	once sync.Once
	data []byte
}

// frame returns the snapshot frame of snap as v sees it.
func (s *snapshotFrames) frame(snap *queue.Snapshot, v *View) []byte {
	key := v.snapshotKey()
	s.mu.Lock()
	if !s.keep(snap) {
		s.mu.Unlock()
		return marshalFrame(queue.Frame{Type: queue.FrameSnapshot, Seq: snap.Seq, Snapshot: ptr(v.Snapshot(snap))})
	}
	f := s.frames[key]
	if f == nil {
		f = &sharedFrame{}
		s.frames[key] = f
	}
	s.mu.Unlock()
	f.once.Do(func() {
		f.data = marshalFrame(queue.Frame{Type: queue.FrameSnapshot, Seq: snap.Seq, Snapshot: ptr(v.Snapshot(snap))})
	})
	return f.data
}

// services returns service views as the view may read them.
func (v *View) services(views []queue.ServiceView) []queue.ServiceView {
	if v.level() != levelPublic {
		return views
	}
	out := make([]queue.ServiceView, len(views))
	for i, sv := range views {
		out[i] = sv.Public()
	}
	return out
}

// positions flattens the positions of the services the view holds tickets
// of: every service for supervisors, its own for a clerk, none otherwise.
func (v *View) positions(byService map[string]map[string]queue.Position) map[string]queue.Position {
	if v.Kind != KindAll && v.Kind != KindClerk {
		return nil
	}
	out := map[string]queue.Position{}
	for svc, ps := range byService {
		if v.Kind == KindClerk && !slices.Contains(v.Services, svc) {
			continue
		}
		for id, p := range ps {
			out[id] = p
		}
	}
	return out
}

// touches reports the services whose queue or estimates ev may change.
func touches(cfg *queue.Config, ev *queue.Event, add func(service string)) {
	if ev.Type == queue.EventDayRollover || ev.Type == queue.EventConfigChanged {
		for _, s := range cfg.Services {
			add(s.ID)
		}
		return
	}
	if ev.Service != "" {
		add(ev.Service)
	}
	if t := ev.Ticket; t != nil {
		add(t.Service)
		if n := len(t.FromServices); n > 0 {
			add(t.FromServices[n-1])
		}
	}
	if c := ev.Counter; c != nil { // staffing changes the capacity of its services
		for _, s := range c.Services {
			add(s)
		}
	}
}
