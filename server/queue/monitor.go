package queue

import (
	"maps"
	"time"
)

// Monitor is the office's state in numbers for monitoring (the server's
// /metrics): cheap to read on every scrape, with no forecast.
type Monitor struct {
	Day      string
	Services []ServiceMonitor
	// Counters counts the counters in each state.
	Counters map[CounterState]int
}

// ServiceMonitor is one service's numbers.
type ServiceMonitor struct {
	Service string
	// Status is the numerator's state as last announced by an event (open,
	// cutoff or closed; empty before the first word of the day), or locked.
	// The server announces changes after every command and every 15
	// seconds, so it is at most that old.
	Status     string
	Waiting    int
	OldestWait time.Duration
	TargetWait time.Duration
	// Stats are today's counts; ByRule is a copy.
	Stats ServiceStats
}

// Monitor returns the office's numbers at now.
func (o *Office) Monitor(now time.Time) Monitor {
	m := Monitor{Day: o.day, Counters: map[CounterState]int{CounterOpen: 0, CounterPaused: 0, CounterClosed: 0}}
	for _, c := range o.counters {
		m.Counters[c.State]++
	}
	for i := range o.cfg.Services {
		s := &o.cfg.Services[i]
		sm := ServiceMonitor{Service: s.ID, Status: o.announced[s.ID], Waiting: o.waiting(s.ID), TargetWait: s.TargetWait}
		if o.locks[s.ID] != nil {
			sm.Status = ServiceLocked
		}
		if sm.Waiting > 0 {
			sm.OldestWait = max(0, now.Sub(o.oldest(s.ID)))
		}
		if st := o.stats[s.ID]; st != nil {
			sm.Stats = *st
			sm.Stats.ByRule = maps.Clone(st.ByRule)
		}
		m.Services = append(m.Services, sm)
	}
	return m
}
