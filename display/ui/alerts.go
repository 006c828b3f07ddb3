package ui

import (
	"cmp"
	"slices"
	"time"

	"turno/server/client"
	"turno/server/queue"
)

// AlertKind is what an alert is about.
type AlertKind int

// Alert kinds, for the floor assistant.
const (
	AlertWaitOverTarget   AlertKind = iota // the first in line waited longer than the service's target
	AlertIdleCounter                       // a counter is free while its services have people waiting
	AlertCutoffSoon                        // a numerator stops within AlertRules.CutoffWarn
	AlertPausedTooLong                     // a counter paused for longer than AlertRules.PauseLimit
	AlertDeviceOffline                     // a kiosk or display that was connected is not, for longer than AlertRules.DeviceGrace
	AlertNumeratorLocked                   // a numerator locked by hand: citizens are turned away until it is unlocked
	AlertNumeratorStopped                  // a numerator stopped early, by load or by the daily cap
	AlertAppointmentDue                    // a checked-in appointment is due and no counter of its service is free
	AlertBookingLate                       // a booked citizen's slot has begun and they have not checked in (information)
	AlertPlannedClosed                     // a counter the staffing plan has open now is closed, past AlertRules.PlanGrace
)

// Level is how urgent an alert is.
type Level int

// Levels, most urgent last.
const (
	LevelInfo    Level = iota // worth knowing; nothing to do yet
	LevelWarning              // plan for it
	LevelUrgent               // citizens are waiting on it now
)

// Alert is one thing the floor assistant should look at.
type Alert struct {
	Kind    AlertKind
	Level   Level
	Service string // the service concerned, if any
	Counter string // the counter concerned, if any
	Device  string // the kiosk or display concerned, if any
	Ticket  string // the ticket concerned (a due appointment's), if any
	Booking string // the booking concerned (a late citizen's), if any
	// Amount is how far past its threshold the alert is (how much longer
	// than the target, idle for how long, how soon the cut-off): alerts of
	// the same level are ordered by it.
	Amount time.Duration
	// At is the instant the alert refers to: the cut-off time, the start of
	// the idle time or pause, the arrival of the first in line.
	At time.Time
	// Waiting is how many wait for the service (or the counter's services).
	Waiting int
	// Rule is why a stopped numerator stopped (queue.RuleCutoffLoad,
	// queue.RuleDailyCap).
	Rule string
	// Plan is the planned stretch of a counter that is closed.
	Plan queue.Span
	// Busy is how many counters serving a due appointment's service are
	// open but not free (serving or paused); 0 means none is open.
	Busy int
}

// AlertRules are the thresholds of the alerts.
type AlertRules struct {
	// IdleGrace is how long a free counter may stay idle with people
	// waiting before it is an alert: the clerk may be calling right now.
	IdleGrace time.Duration
	// PauseLimit is how long a pause may last.
	PauseLimit time.Duration
	// CutoffWarn is how long before a numerator's cut-off it is announced.
	CutoffWarn time.Duration
	// DeviceGrace is how long a kiosk or display may be away before it is
	// an alert: one that reconnects within it (a network blip, the server
	// restarting) is not a failure.
	DeviceGrace time.Duration
	// PlanGrace is how long after its planned start (or after it closed)
	// a counter the staffing plan has open may stay closed before it is an
	// alert: a clerk logging in at 08:32 is not missing.
	PlanGrace time.Duration
}

// DefaultAlertRules are the thresholds the floor assistants asked for.
func DefaultAlertRules() AlertRules {
	return AlertRules{IdleGrace: 2 * time.Minute, PauseLimit: 15 * time.Minute, CutoffWarn: 15 * time.Minute, DeviceGrace: time.Minute, PlanGrace: 5 * time.Minute}
}

// withDefaults fills the zero thresholds with the defaults.
func (r AlertRules) withDefaults() AlertRules {
	def := DefaultAlertRules()
	if r.IdleGrace <= 0 {
		r.IdleGrace = def.IdleGrace
	}
	if r.PauseLimit <= 0 {
		r.PauseLimit = def.PauseLimit
	}
	if r.CutoffWarn <= 0 {
		r.CutoffWarn = def.CutoffWarn
	}
	if r.DeviceGrace <= 0 {
		r.DeviceGrace = def.DeviceGrace
	}
	if r.PlanGrace <= 0 {
		r.PlanGrace = def.PlanGrace
	}
	return r
}

// Alerts returns what needs the floor assistant's attention at now, most
// urgent first: urgent before warnings, then the furthest past its
// threshold.
func Alerts(m client.Model, now time.Time, r AlertRules) []Alert {
	var out []Alert
	for _, sv := range m.Services {
		if oldest := oldestArrival(m, sv.ID); !oldest.IsZero() && sv.TargetWait > 0 {
			if over := now.Sub(oldest) - sv.TargetWait.D(); over > 0 {
				out = append(out, Alert{Kind: AlertWaitOverTarget, Level: LevelUrgent, Service: sv.ID, Amount: over, At: oldest, Waiting: sv.Waiting})
			}
		}
		if sv.Status == queue.ServiceOpen && sv.CutoffAt != nil {
			if left := sv.CutoffAt.Sub(now); left > 0 && left <= r.CutoffWarn {
				out = append(out, Alert{Kind: AlertCutoffSoon, Level: LevelWarning, Service: sv.ID, Amount: r.CutoffWarn - left, At: *sv.CutoffAt, Waiting: sv.Waiting})
			}
		}
		// A numerator that is not issuing during opening hours, other than
		// for the planned cut-off before closing, turns citizens away: it
		// is something to report, not "nothing to report".
		switch {
		case sv.Status == queue.ServiceLocked && sv.Lock != nil:
			out = append(out, Alert{Kind: AlertNumeratorLocked, Level: LevelWarning, Service: sv.ID, Amount: now.Sub(sv.Lock.At), At: sv.Lock.At, Waiting: sv.Waiting})
		case sv.Status == queue.ServiceCutoff && sv.Refusal != nil && (sv.Refusal.Rule == queue.RuleCutoffLoad || sv.Refusal.Rule == queue.RuleDailyCap):
			out = append(out, Alert{Kind: AlertNumeratorStopped, Level: LevelWarning, Service: sv.ID, Rule: sv.Refusal.Rule, Waiting: sv.Waiting})
		}
	}
	for _, c := range m.Counters {
		switch {
		case c.State == queue.CounterOpen && c.Current == "" && c.IdleSince != nil:
			idle := now.Sub(*c.IdleSince)
			waiting := 0
			for _, s := range c.Services {
				if sv := m.Service(s); sv != nil {
					waiting += sv.Waiting
				}
			}
			if waiting > 0 && idle > r.IdleGrace {
				out = append(out, Alert{Kind: AlertIdleCounter, Level: LevelUrgent, Counter: c.ID, Amount: idle - r.IdleGrace, At: *c.IdleSince, Waiting: waiting})
			}
		case c.State == queue.CounterPaused && c.PausedAt != nil:
			if over := now.Sub(*c.PausedAt) - r.PauseLimit; over > 0 {
				out = append(out, Alert{Kind: AlertPausedTooLong, Level: LevelWarning, Counter: c.ID, Amount: over, At: *c.PausedAt})
			}
		}
	}
	// A device never seen since the server started is not reported: a
	// configured spare is not a failure. One that went away is.
	for _, d := range m.Devices {
		if !d.Online && d.Since != nil && now.Sub(*d.Since) > r.DeviceGrace {
			out = append(out, Alert{Kind: AlertDeviceOffline, Level: LevelUrgent, Device: d.ID, Amount: now.Sub(*d.Since), At: *d.Since})
		}
	}
	out = append(out, appointmentAlerts(m, now)...)
	out = append(out, planAlerts(m, now, r)...)
	slices.SortStableFunc(out, func(a, b Alert) int {
		if a.Level != b.Level {
			return cmp.Compare(b.Level, a.Level)
		}
		return cmp.Compare(b.Amount, a.Amount)
	})
	return out
}

// oldestArrival is when the first in line of a service arrived (its
// original arrival, kept across moves), from the tickets: the service
// view's oldest_wait_s is as old as the last frame, the tickets are not.
func oldestArrival(m client.Model, service string) time.Time {
	var oldest time.Time
	for _, t := range m.Tickets {
		if t.Status == queue.StatusWaiting && t.Service == service && (oldest.IsZero() || t.QueuedAt.Before(oldest)) {
			oldest = t.QueuedAt
		}
	}
	return oldest
}

// appointmentAlerts are the booked citizens' alerts: a checked-in
// appointment whose slot has come while no counter of its service is free
// to call it (urgent when none is even open: it will not be called), and,
// as information, a booked citizen whose slot has begun and who has not
// checked in while the window is still open (the server marks the booking
// missed when it closes).
func appointmentAlerts(m client.Model, now time.Time) []Alert {
	var out []Alert
	for _, t := range m.Tickets {
		if t.Status != queue.StatusWaiting || t.Due == nil || t.Due.After(now) {
			continue
		}
		free, busy := false, 0
		for _, c := range m.Counters {
			if c.State == queue.CounterClosed || !slices.Contains(c.Services, t.Service) {
				continue
			}
			if c.State == queue.CounterOpen && c.Current == "" {
				free = true
				break
			}
			busy++
		}
		if free {
			continue
		}
		level := LevelWarning
		if busy == 0 {
			level = LevelUrgent
		}
		out = append(out, Alert{Kind: AlertAppointmentDue, Level: level, Service: t.Service, Ticket: t.ID, Amount: now.Sub(*t.Due), At: *t.Due, Busy: busy})
	}
	for _, b := range m.Bookings {
		if b.State == queue.BookingBooked && b.Day == m.Day && !b.Slot.After(now) {
			out = append(out, Alert{Kind: AlertBookingLate, Level: LevelInfo, Service: b.Service, Booking: b.ID, Amount: now.Sub(b.Slot), At: b.Slot})
		}
	}
	return out
}

// planAlerts are the counters the staffing plan has open now that are
// closed: a grace after the planned start, or after the counter closed
// within its stretch (a clerk who closes to open again with other services
// is not missing). A counter open beyond its plan is no alert: more
// service than planned is nobody's problem. It is urgent while people wait
// for the services the counter was planned to serve.
func planAlerts(m client.Model, now time.Time, r AlertRules) []Alert {
	var out []Alert
	for _, pc := range m.Plan {
		c := m.Counter(pc.Counter)
		if c == nil || c.State != queue.CounterClosed {
			continue
		}
		for _, st := range pc.Stretches {
			if now.Before(st.Open) || !now.Before(st.Close) {
				continue
			}
			since := st.Open
			if c.ClosedAt != nil && c.ClosedAt.After(since) {
				since = *c.ClosedAt
			}
			over := now.Sub(since) - r.PlanGrace
			if over <= 0 {
				continue
			}
			waiting := 0
			for _, s := range st.Services {
				if sv := m.Service(s); sv != nil {
					waiting += sv.Waiting
				}
			}
			level := LevelWarning
			if waiting > 0 {
				level = LevelUrgent
			}
			out = append(out, Alert{Kind: AlertPlannedClosed, Level: level, Counter: c.ID, Amount: over, At: since, Plan: st.Span, Waiting: waiting})
		}
	}
	return out
}

// Attention counts the alerts that ask the floor assistant to act: the
// information (a citizen late for an appointment) is shown, not counted.
func Attention(as []Alert) int {
	n := 0
	for _, a := range as {
		if a.Level > LevelInfo {
			n++
		}
	}
	return n
}
