package queue

import (
	"cmp"
	"slices"
	"time"
)

// Snapshot is the whole office at one event sequence number: what a screen
// needs to start, before it follows the events.
type Snapshot struct {
	Seq    uint64 `json:"seq"`
	Office string `json:"office"`
	// TimeZone is the office's IANA zone (e.g. Europe/Rome): every screen
	// shows times in it, whatever the machine's own zone.
	TimeZone string        `json:"timezone"`
	Day      string        `json:"day"`
	At       time.Time     `json:"at"`
	Services []ServiceView `json:"services"`
	Counters []Counter     `json:"counters"`
	// Tickets are the ones a live view holds (see Recent): every open
	// ticket of the day and each service's latest closed ones, in the order
	// they entered the view (issue order, but that a closed ticket that
	// had left the view and is put back in the queue comes last). The
	// day's other tickets are read on demand (GET /api/v1/tickets).
	Tickets []TicketView `json:"tickets"`
	// WaitingOmitted says the view left the waiting tickets out: a hall
	// display shows who is called where and each service's count, and the
	// waiting tickets were most of its bytes (300 of them, 150 KB, sent to
	// every screen that subscribes). Such a view counts from the services'
	// Waiting, not from its tickets.
	WaitingOmitted bool `json:"waiting_omitted,omitempty"`
	// Bookings are today's appointments, in slot order: staff only.
	Bookings []Booking `json:"bookings,omitempty"`
	// Plan is today's staffing plan, counter by counter: the flow view
	// shows it against the counters' real state.
	Plan []PlannedCounter `json:"plan,omitempty"`
	// HallMessage is the floor assistant's message for the hall displays.
	HallMessage string `json:"hall_message,omitempty"`
	// Contacts counts today's simple-information contacts (per service in
	// each service's stats; this total includes those about no service).
	Contacts int `json:"contacts"`
	// The office's rules that the apps show or follow.
	MaxRecalls       int     `json:"max_recalls"`
	ReactivateWindow Seconds `json:"reactivate_window_s"`
}

// PlannedCounter is one counter's planned stretches of a day.
type PlannedCounter struct {
	Counter   string    `json:"counter"`
	Stretches []Planned `json:"stretches"`
}

// Location is the office's time zone, loaded from TimeZone; ok is false
// when the snapshot names none or the zone is unknown here (the apps embed
// time/tzdata, so that means a snapshot from an older server).
func (s *Snapshot) Location() (loc *time.Location, ok bool) {
	if s.TimeZone == "" {
		return time.UTC, false
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC, false
	}
	return loc, true
}

// ServiceView is a service's configuration, numerator state and day counts.
type ServiceView struct {
	ID           string  `json:"id"`
	NameIT       string  `json:"name_it"`
	NameEN       string  `json:"name_en"`
	Prefix       string  `json:"prefix"`
	Lane         Lane    `json:"lane"`
	TargetWait   Seconds `json:"target_wait_s"`
	ServiceTime  Seconds `json:"service_time_s"` // measured, or expected until measured
	Appointments bool    `json:"appointments"`
	Info         string  `json:"info"`
	ServiceStatus
	Stats ServiceStats `json:"stats"`
	// Agenda is today's appointments of a bookable service, and its next
	// free slot (a cut-off kiosk offers it); nil when not bookable.
	Agenda *AgendaView `json:"agenda,omitempty"`
}

// AgendaView counts a service's appointments today.
type AgendaView struct {
	Booked    int `json:"booked"`     // still expected
	Late      int `json:"late"`       // expected, the slot begun, within the window
	CheckedIn int `json:"checked_in"` // checked in (late ones included)
	Missed    int `json:"missed"`
	Cancelled int `json:"cancelled"`
	// NextFree is the first slot a citizen can book now.
	NextFree *Slot `json:"next_free,omitempty"`
}

// TicketView is a ticket with its place in the queue when waiting.
type TicketView struct {
	Ticket
	*Position
}

// Snapshot returns the office's state at now. Tickets are those a live view
// holds (Recent), in the order they entered it; waiting ones carry their
// position and estimated wait. Its cost is what it shows: the open tickets
// and a few closed ones per service, whatever the day issued.
func (o *Office) Snapshot(now time.Time) Snapshot {
	snap := Snapshot{Seq: o.seq, Office: o.cfg.Name, TimeZone: o.cfg.Location.String(), Day: o.day, At: now, HallMessage: o.message, Contacts: o.contacts,
		MaxRecalls: o.cfg.Rules.MaxRecalls, ReactivateWindow: Seconds(o.cfg.Rules.ReactivateWindow)}
	for i := range o.cfg.Services {
		snap.Services = append(snap.Services, o.ServiceView(now, o.cfg.Services[i].ID))
	}
	for _, k := range o.cfg.Counters {
		snap.Counters = append(snap.Counters, *o.counters[k.ID])
	}
	snap.Bookings = o.Bookings(o.day)
	for _, k := range o.cfg.Counters {
		if p := o.cfg.PlannedFor(k.ID, now); len(p) > 0 {
			snap.Plan = append(snap.Plan, PlannedCounter{Counter: k.ID, Stretches: p})
		}
	}
	fc := o.forecast(now)
	shown := make([]*Ticket, 0, len(o.shown))
	for id := range o.shown {
		shown = append(shown, o.tickets[id])
	}
	slices.SortFunc(shown, func(a, b *Ticket) int { return cmp.Compare(o.shown[a.ID], o.shown[b.ID]) })
	snap.Tickets = make([]TicketView, 0, len(shown))
	for _, t := range shown {
		v := TicketView{Ticket: *t}
		if p, ok := o.positionAt(fc, t); ok {
			v.Position = &p
		}
		snap.Tickets = append(snap.Tickets, v)
	}
	return snap
}

// Positions returns the place and expected wait of every waiting ticket of
// the services, by service, then by ticket id.
func (o *Office) Positions(now time.Time, services ...string) map[string]map[string]Position {
	fc := o.forecast(now)
	out := map[string]map[string]Position{}
	for _, id := range services {
		ps := map[string]Position{}
		if l := o.lines[id]; l != nil {
			for _, t := range l.all {
				ps[t.ID], _ = o.positionAt(fc, t)
			}
		}
		out[id] = ps
	}
	return out
}

// ServiceView returns one service's view at now; an unknown id gives an
// empty view.
func (o *Office) ServiceView(now time.Time, id string) ServiceView {
	s := o.cfg.Service(id)
	if s == nil {
		return ServiceView{ID: id}
	}
	return ServiceView{
		ID: s.ID, NameIT: s.NameIT, NameEN: s.NameEN, Prefix: s.Prefix, Lane: s.Lane,
		TargetWait: Seconds(s.TargetWait), ServiceTime: Seconds(o.ServiceTime(id)), Appointments: s.Appointments, Info: s.Info,
		ServiceStatus: o.ServiceStatus(now, id),
		Stats:         o.stats[id].clone(),
		Agenda:        o.agendaView(now, s),
	}
}

func (o *Office) agendaView(now time.Time, s *Service) *AgendaView {
	if s.Agenda == nil {
		return nil
	}
	v := &AgendaView{NextFree: o.NextFreeSlot(now, s.ID)}
	for _, b := range o.agenda.byID {
		if b.Service != s.ID || b.Day != o.day {
			continue
		}
		switch b.State {
		case BookingBooked:
			v.Booked++
			if !b.Slot.After(now) {
				v.Late++
			}
		case BookingCheckedIn:
			v.CheckedIn++
		case BookingMissed:
			v.Missed++
		case BookingCancelled:
			v.Cancelled++
		}
	}
	return v
}

// Public returns the view as kiosks and hall screens may show it: the
// reason of a lock, not who locked it.
func (v ServiceView) Public() ServiceView {
	if v.Lock != nil {
		l := *v.Lock
		l.By = ""
		v.Lock = &l
	}
	return v
}

// Name is the service's name in lang ("it" or "en"), else in the other
// language (the configuration requires one of the two), else its id: the
// apps show it on buttons and rows, which must never be blank.
func (v *ServiceView) Name(lang string) string {
	names := []string{v.NameIT, v.NameEN, v.ID}
	if lang == "en" {
		names[0], names[1] = names[1], names[0]
	}
	for _, n := range names {
		if n != "" {
			return n
		}
	}
	return ""
}
