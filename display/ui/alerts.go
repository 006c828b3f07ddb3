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
)

// Level is how urgent an alert is.
type Level int

// Levels, most urgent last.
const (
	LevelWarning Level = iota // plan for it
	LevelUrgent               // citizens are waiting on it now
)

// Alert is one thing the floor assistant should look at.
type Alert struct {
	Kind    AlertKind
	Level   Level
	Service string // the service concerned, if any
	Counter string // the counter concerned, if any
	Device  string // the kiosk or display concerned, if any
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
}

// DefaultAlertRules are the thresholds the floor assistants asked for.
func DefaultAlertRules() AlertRules {
	return AlertRules{IdleGrace: 2 * time.Minute, PauseLimit: 15 * time.Minute, CutoffWarn: 15 * time.Minute, DeviceGrace: time.Minute}
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
