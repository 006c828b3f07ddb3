// Package history is the office's memory: per-day indicators folded from
// each business day's events, stored in bbolt when the day closes (and
// rebuilt from the log whenever one is missing or was folded by an older
// version), reports over any period grouped by day, week, month, weekday or
// hour and by service, counter or clerk, in JSON and CSV, and the forecast
// of arrivals and of the counters needed, by Erlang C, against the
// staffing plan.
//
// A report never reads events: it merges the stored days of its period
// (and folds today's events, the one open day). docs/reports.md says how
// each indicator is computed.
package history

import (
	"sort"
	"time"

	"turno/server/queue"
)

// FoldVersion is the version of Fold: days stored by an older one are
// folded again from the log at start.
const FoldVersion = 1

// Dimensions of the figures: the whole office, or one service, counter or
// clerk.
const (
	DimOffice  = "office"
	DimService = "service"
	DimCounter = "counter"
	DimClerk   = "clerk"
)

// Rules are the refusal rules in the order of Figures.Turnaways.
var Rules = []string{queue.RuleClosed, queue.RuleLocked, queue.RuleDailyCap, queue.RuleCutoffTime, queue.RuleCutoffLoad}

func ruleIndex(rule string) int {
	for i, r := range Rules {
		if r == rule {
			return i
		}
	}
	return -1
}

// lateGrace: a call counts as later than promised only past 1.5 times the
// promise and a minute more (the simulator's definition, docs/accuracy.md):
// tickets show whole minutes, and "any moment now" is a promise of 0.
const lateGrace = 60

// Figures are the raw counts of one cell: what can be added across days
// and cells. Indicators (means, shares, percentiles) are computed from
// them only when a report asks.
type Figures struct {
	Issued      int `json:"iss,omitempty"`
	Appointment int `json:"appt,omitempty"` // tickets of booked citizens who checked in
	Priority    int `json:"prio,omitempty"`
	Served      int `json:"srv,omitempty"` // finished: resolved or forwarded
	Resolved    int `json:"res,omitempty"`
	Forwarded   int `json:"fwd,omitempty"`
	NoShows     int `json:"ns,omitempty"`
	Transferred int `json:"tr,omitempty"`  // sent to another service
	Expired     int `json:"exp,omitempty"` // still waiting or unfinished when the day ended
	// Turnaways counts refused tickets by rule, in the order of Rules.
	Turnaways []int `json:"ta,omitempty"`
	Contacts  int   `json:"ct,omitempty"`
	// Appointments due that day: booked (not cancelled) = kept + missed;
	// late ones are among the kept.
	Booked int `json:"bk,omitempty"`
	Kept   int `json:"kept,omitempty"`
	Late   int `json:"late,omitempty"`
	Missed int `json:"miss,omitempty"`
	// Ratings counts the citizens' ratings by score, 1 to 5.
	Ratings []int `json:"rt,omitempty"`
	// Wait is from issue (an appointment: from its slot, if later) to the
	// first call; InTarget counts the waits within the service's target.
	Wait     Dist `json:"w"`
	InTarget int  `json:"wt,omitempty"`
	// Service is from the last call to the finish, for finished tickets.
	Service Dist `json:"sv"`
	// The promise (the wait told at issue) against the wait: how many,
	// the sums of |wait - promise| and of wait - promise in seconds, and
	// how many were called more than 50 % (and a minute) later.
	Promised    int   `json:"pr,omitempty"`
	PromiseErr  int64 `json:"pe,omitempty"`
	PromiseBias int64 `json:"pb,omitempty"`
	PromiseLate int   `json:"pl,omitempty"`
}

// Cell is the figures of one dimension's key (a service's id, a counter's,
// a clerk's name; "" for the office) at one hour of the day (0-23, the
// office's local hour) or the whole day (-1).
type Cell struct {
	Dim  string `json:"d"`
	Key  string `json:"k,omitempty"`
	Hour int    `json:"h"`
	Figures
}

// Day is one business day's figures.
type Day struct {
	Day     string `json:"day"`
	Version int    `json:"v"`
	// FirstSeq and LastSeq are the day's events folded.
	FirstSeq uint64 `json:"first"`
	LastSeq  uint64 `json:"last"`
	// Cells are whole-day cells (Hour -1) first, then hourly ones, each in
	// dimension, key and hour order.
	Cells []Cell `json:"cells"`
}

// FoldOptions say what a fold may record.
type FoldOptions struct {
	// PerClerk keeps the clerk dimension (config reports.per_clerk).
	PerClerk bool
}

type cellKey struct {
	dim, key string
	hour     int
}

type cellBuilder struct {
	f       Figures
	wait    distBuilder
	service distBuilder
}

type folder struct {
	cfg   *queue.Config
	opt   FoldOptions
	cells map[cellKey]*cellBuilder
	// bookings are the day's bookings counted so far, kept or missed: a
	// citizen who comes after the window is marked missed, then checks in
	// late (as a walk-in), and is kept, not missed.
	bookings map[string]string
}

// Fold computes a day's figures from its events, in order: a pure
// function, so the stored days can always be rebuilt from the log and
// must equal what was written.
func Fold(cfg *queue.Config, day string, events []queue.Event, opt FoldOptions) Day {
	f := &folder{cfg: cfg, opt: opt, cells: map[cellKey]*cellBuilder{}, bookings: map[string]string{}}
	d := Day{Day: day, Version: FoldVersion}
	for i := range events {
		ev := &events[i]
		if d.FirstSeq == 0 {
			d.FirstSeq = ev.Seq
		}
		d.LastSeq = ev.Seq
		if ev.Day != day {
			continue
		}
		f.event(ev)
	}
	d.Cells = f.result()
	return d
}

func (f *folder) hour(t time.Time) int { return t.In(f.cfg.Location).Hour() }

func (f *folder) clerk(name string) string {
	if f.opt.PerClerk {
		return name
	}
	return ""
}

// at calls fn on the cells a fact counts in: the office's, and its
// service's, counter's and clerk's when it has one, each for the whole day
// and for its hour.
func (f *folder) at(hour int, service, counter, clerk string, fn func(c *cellBuilder)) {
	for _, dk := range [...]struct{ dim, key string }{{DimOffice, ""}, {DimService, service}, {DimCounter, counter}, {DimClerk, clerk}} {
		if dk.dim != DimOffice && dk.key == "" {
			continue
		}
		for _, h := range [...]int{-1, hour} {
			k := cellKey{dk.dim, dk.key, h}
			c := f.cells[k]
			if c == nil {
				c = &cellBuilder{}
				f.cells[k] = c
			}
			fn(c)
		}
	}
}

func (f *folder) event(ev *queue.Event) {
	h := f.hour(ev.At)
	switch ev.Type {
	case queue.EventTicketIssued:
		t := ev.Ticket
		f.at(h, t.Service, "", "", func(c *cellBuilder) {
			c.f.Issued++
			if t.Priority {
				c.f.Priority++
			}
			if t.Due != nil {
				c.f.Appointment++
			}
		})
	case queue.EventTicketCalled:
		if t := ev.Ticket; t.Calls == 1 && t.CalledAt != nil {
			f.firstCall(t)
		}
	case queue.EventTicketFinished:
		t := ev.Ticket
		var sample int64 = -1
		if t.CalledAt != nil && t.FinishedAt != nil {
			sample = int64(t.FinishedAt.Sub(*t.CalledAt) / time.Second)
		}
		f.at(h, t.Service, t.Counter, f.clerk(t.Clerk), func(c *cellBuilder) {
			c.f.Served++
			if t.Outcome == queue.OutcomeForwarded {
				c.f.Forwarded++
			} else {
				c.f.Resolved++
			}
			if sample >= 0 {
				c.service.add(sample)
			}
		})
	case queue.EventTicketNoShow:
		t := ev.Ticket
		f.at(h, t.Service, t.Counter, f.clerk(t.Clerk), func(c *cellBuilder) { c.f.NoShows++ })
	case queue.EventTicketTransferred:
		t := ev.Ticket
		from := t.Service
		if n := len(t.FromServices); n > 0 {
			from = t.FromServices[n-1]
		}
		counter, clerk := "", ""
		if ev.Counter != nil { // at a counter; the floor assistant's moves have none
			counter, clerk = ev.Counter.ID, f.clerk(ev.Actor)
		}
		f.at(h, from, counter, clerk, func(c *cellBuilder) { c.f.Transferred++ })
	case queue.EventTicketExpired:
		t := ev.Ticket
		f.at(f.hour(t.IssuedAt), t.Service, "", "", func(c *cellBuilder) { c.f.Expired++ })
	case queue.EventServiceTurnaway:
		if ev.Refusal == nil {
			return
		}
		if i := ruleIndex(ev.Refusal.Rule); i >= 0 {
			f.at(h, ev.Service, "", "", func(c *cellBuilder) {
				if c.f.Turnaways == nil {
					c.f.Turnaways = make([]int, len(Rules))
				}
				c.f.Turnaways[i]++
			})
		}
	case queue.EventContactLogged:
		f.at(h, ev.Service, "", f.clerk(ev.Actor), func(c *cellBuilder) { c.f.Contacts++ })
	case queue.EventBookingCheckedIn, queue.EventBookingMissed:
		b := ev.Booking
		if b == nil || b.Day != ev.Day {
			return
		}
		state := "kept"
		if ev.Type == queue.EventBookingMissed {
			state = "missed"
		}
		prev := f.bookings[b.ID]
		if prev == state || prev == "kept" {
			return // told twice, or missed after it came: counted once
		}
		f.bookings[b.ID] = state
		f.at(f.hour(b.Slot), b.Service, "", "", func(c *cellBuilder) {
			if state == "missed" {
				c.f.Booked++
				c.f.Missed++
				return
			}
			if prev == "missed" {
				c.f.Missed--
			} else {
				c.f.Booked++
			}
			c.f.Kept++
			if b.Late {
				c.f.Late++
			}
		})
	case queue.EventTicketRated:
		r := ev.Rating
		if r == nil || r.Score < queue.MinScore || r.Score > queue.MaxScore {
			return
		}
		f.at(h, r.Service, r.Counter, f.clerk(r.Clerk), func(c *cellBuilder) {
			if c.f.Ratings == nil {
				c.f.Ratings = make([]int, queue.MaxScore)
			}
			c.f.Ratings[r.Score-1]++
		})
	}
}

// firstCall counts a ticket's wait, at the hour it arrived, in the service
// it was called for (the floor assistant may have moved it from a wrong
// queue), at the counter that called it.
func (f *folder) firstCall(t *queue.Ticket) {
	from := t.IssuedAt
	if t.Due != nil && t.Due.After(from) { // an appointment waits from its slot
		from = *t.Due
	}
	wait := max(int64(t.CalledAt.Sub(from)/time.Second), 0)
	target := queue.DefaultTargetWait
	if s := f.cfg.Service(t.Service); s != nil {
		target = s.TargetWait
	}
	in := wait <= int64(target/time.Second)
	var promise, errAbs, bias int64
	late := false
	if t.Promise != nil {
		promise = int64(t.Promise.EstimatedWait.D() / time.Second)
		bias = wait - promise
		errAbs = max(bias, -bias)
		late = wait*2 > promise*3 && wait > promise+lateGrace
	}
	f.at(f.hour(t.IssuedAt), t.Service, t.Counter, f.clerk(t.Clerk), func(c *cellBuilder) {
		c.wait.add(wait)
		if in {
			c.f.InTarget++
		}
		if t.Promise != nil {
			c.f.Promised++
			c.f.PromiseErr += errAbs
			c.f.PromiseBias += bias
			if late {
				c.f.PromiseLate++
			}
		}
	})
}

// result returns the cells in a stable order: whole days first, then by
// dimension, key and hour.
func (f *folder) result() []Cell {
	cells := make([]Cell, 0, len(f.cells))
	for k, b := range f.cells {
		fig := b.f
		fig.Wait, fig.Service = b.wait.dist(), b.service.dist()
		cells = append(cells, Cell{Dim: k.dim, Key: k.key, Hour: k.hour, Figures: fig})
	}
	sortCells(cells)
	return cells
}

var dimOrder = map[string]int{DimOffice: 0, DimService: 1, DimCounter: 2, DimClerk: 3}

func sortCells(cells []Cell) {
	sort.Slice(cells, func(i, j int) bool {
		a, b := &cells[i], &cells[j]
		if (a.Hour < 0) != (b.Hour < 0) {
			return a.Hour < 0
		}
		if a.Dim != b.Dim {
			return dimOrder[a.Dim] < dimOrder[b.Dim]
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Hour < b.Hour
	})
}
