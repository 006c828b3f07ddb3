package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"turno/server/queue"
)

// A day's plan is drawn before it is played, from random streams that
// depend only on the seed and the day's index: the scenarios of one run see
// the same citizens where their arrivals agree (normal and staffing), and
// the clairvoyant replay of a day sees exactly the same citizens, service
// times, no-shows, logins and clerks' pauses.

// Stream kinds, so each kind of draw has its own sequence.
const (
	streamCitizens = iota + 1
	streamShifts
	streamClerk
	streamBookings
)

// stream returns the random stream of a kind, day and index.
func stream(seed uint64, kind, day, index int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(kind)<<56|uint64(day)<<24|uint64(index)))
}

// citizen is one person who comes to the office.
type citizen struct {
	service  string
	arrive   time.Time
	priority bool
	// serviceTime is the true time at the counter, from call to finish.
	serviceTime time.Duration
	// absent citizens are gone when called: recalls, then a no-show.
	absent bool
	// due is when a booked citizen's slot starts (zero for walk-ins): the
	// wait counts from it.
	due time.Time
	// issue gives a booked citizen a ticket (check-in); nil is a walk-in's
	// ticket from the kiosk.
	issue func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error)
	// closing is the end of the service's opening at arrival, if open: the
	// clairvoyant cut-off counts the services that end after it.
	closing time.Time
}

// Shift is one clerk at one counter for one opening of the day.
type Shift struct {
	Clerk    string    `json:"clerk"`
	Counter  string    `json:"counter"`
	Services []string  `json:"services"`
	Login    time.Time `json:"login"` // when the clerk opens the counter
	End      time.Time `json:"end"`   // the closing, or the planned departure
	// Closing is the end of the opening the shift belongs to; past it the
	// clerk works overtime.
	Closing time.Time `json:"closing"`
	// Leaves says the shift ends before closing: the clerk finishes the
	// citizen at the desk and goes, whoever is waiting.
	Leaves bool `json:"leaves"`
}

// dayPlan is everything random about a day, drawn in advance.
type dayPlan struct {
	index    int
	date     time.Time // local midnight
	citizens []citizen
	shifts   []Shift
	// books are the bookings made before the day opens.
	books []queue.Command
}

// officeSpans are the office's opening ranges on date (its own hours, not
// a service's): when the door is open and citizens come in.
func officeSpans(cfg *queue.Config, date time.Time) []queue.Span {
	return cfg.Spans(&queue.Service{}, date)
}

// workingDays returns n consecutive days from start on which the office
// opens, as local midnights.
func workingDays(cfg *queue.Config, start time.Time, n int) []time.Time {
	var days []time.Time
	y, m, d := start.In(cfg.Location).Date()
	for i := 0; len(days) < n && i < n*7+400; i++ {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, cfg.Location)
		if len(officeSpans(cfg, day.Add(12*time.Hour))) > 0 {
			days = append(days, day)
		}
	}
	return days
}

// plan draws day index's citizens and shifts.
func plan(cfg *queue.Config, p *Profile, sc Scenario, seed uint64, index int, date time.Time, book Appointments) *dayPlan {
	dp := &dayPlan{index: index, date: date}
	noon := date.Add(12 * time.Hour)
	rng := stream(seed, streamCitizens, index, 0)
	spans := officeSpans(cfg, noon)
	for _, sp := range p.Services {
		svc := cfg.Service(sp.ID)
		var times []time.Time
		// The ones at the door when the service opens take their tickets
		// in its first two minutes.
		for _, span := range cfg.Spans(svc, noon) {
			for range poisson(rng, sp.AtOpen*sc.Multiplier) {
				times = append(times, span.Open.Add(time.Duration(rng.Float64()*float64(2*time.Minute))))
			}
		}
		for _, span := range spans {
			times = append(times, arrivals(rng, cfg.Location, span, sp.PerHour, sc.Multiplier)...)
		}
		for _, at := range times {
			c := citizen{service: sp.ID, arrive: at.Truncate(time.Second)}
			c.priority = rng.Float64() < p.PriorityShare
			c.absent = rng.Float64() < sp.NoShow
			c.serviceTime = draw(rng, sp.Time)
			c.closing = closingAt(cfg, svc, c.arrive)
			dp.citizens = append(dp.citizens, c)
		}
	}
	if book != nil {
		for _, b := range book.Day(date, stream(seed, streamBookings, index, 0)) {
			dp.books = append(dp.books, b.Book)
			if b.Arrive.IsZero() {
				continue // booked, and never came
			}
			dp.citizens = append(dp.citizens, citizen{
				service: b.Service, arrive: b.Arrive, priority: b.Priority, serviceTime: b.ServiceTime,
				absent: b.Absent, due: b.Slot, issue: b.CheckIn, closing: closingAt(cfg, cfg.Service(b.Service), b.Arrive),
			})
		}
	}
	slices.SortStableFunc(dp.citizens, func(a, b citizen) int { return a.arrive.Compare(b.arrive) })
	dp.shifts = shifts(cfg, p.Staffing[sc.Staffing], p.LoginDelay, stream(seed, streamShifts, index, 0), noon)
	return dp
}

// arrivals is a Poisson process over span whose rate changes every clock
// hour: perHour[h] x mult citizens an hour.
func arrivals(rng *rand.Rand, loc *time.Location, span queue.Span, perHour [24]float64, mult float64) []time.Time {
	var out []time.Time
	y, m, d := span.Open.In(loc).Date()
	for h := range 24 {
		from := max64(time.Date(y, m, d, h, 0, 0, 0, loc), span.Open)
		to := min64(time.Date(y, m, d, h+1, 0, 0, 0, loc), span.Close)
		rate := perHour[h] * mult / float64(time.Hour) // per nanosecond
		if !from.Before(to) || rate <= 0 {
			continue
		}
		for t := from; ; {
			t = t.Add(time.Duration(rng.ExpFloat64() / rate))
			if !t.Before(to) {
				break
			}
			out = append(out, t)
		}
	}
	return out
}

func max64(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func min64(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// poisson draws a Poisson count of mean lambda: the events of a unit-rate
// process in [0, lambda).
func poisson(rng *rand.Rand, lambda float64) int {
	n := 0
	for t := rng.ExpFloat64(); t < lambda; t += rng.ExpFloat64() {
		n++
	}
	return n
}

// minServiceTime keeps every drawn service a real one: the engine ignores
// calls closed within 30 s as mistaken, so a shorter draw would not be
// measured at all.
const minServiceTime = 30 * time.Second

// draw samples a log-normal service time.
func draw(rng *rand.Rand, d LogNormal) time.Duration {
	v := d.Mean
	if d.CV > 0 {
		mu, sigma := d.Params()
		v = time.Duration(math.Exp(mu+sigma*rng.NormFloat64()) * float64(time.Second))
	}
	return max(v.Round(time.Second), minServiceTime)
}

// closingAt is the end of the service's opening containing t, or zero.
func closingAt(cfg *queue.Config, s *queue.Service, t time.Time) time.Time {
	sp, _ := spanAt(cfg, s, t)
	return sp.Close
}

// spanAt is the service's opening containing t, if open.
func spanAt(cfg *queue.Config, s *queue.Service, t time.Time) (queue.Span, bool) {
	if s == nil {
		return queue.Span{}, false
	}
	for _, sp := range cfg.Spans(s, t) {
		if !t.Before(sp.Open) && t.Before(sp.Close) {
			return sp, true
		}
	}
	return queue.Span{}, false
}

// shifts turns the staffing into the day's shifts: each clerk works every
// opening of the counter's services (merged), clipped to From-Until, and
// logs in 0..loginDelay after its start.
func shifts(cfg *queue.Config, clerks []Clerk, loginDelay time.Duration, rng *rand.Rand, noon time.Time) []Shift {
	var out []Shift
	y, m, d := noon.Date()
	for _, k := range clerks {
		services := k.Services
		if len(services) == 0 {
			services = cfg.Counter(k.Counter).Services
		}
		var spans []queue.Span
		for _, id := range services {
			spans = append(spans, cfg.Spans(cfg.Service(id), noon)...)
		}
		from := time.Date(y, m, d, 0, int(k.From), 0, 0, cfg.Location)
		until := time.Date(y, m, d, 0, int(k.Until), 0, 0, cfg.Location)
		for _, sp := range merge(spans) {
			start, end := max64(sp.Open, from), min64(sp.Close, until)
			delay := time.Duration(rng.Float64() * float64(loginDelay)).Truncate(time.Second)
			if !start.Add(delay).Before(end) {
				continue
			}
			out = append(out, Shift{
				Clerk: k.Name, Counter: k.Counter, Services: services,
				Login: start.Add(delay), End: end, Closing: sp.Close, Leaves: end.Before(sp.Close),
			})
		}
	}
	return out
}

// merge joins overlapping or touching spans.
func merge(spans []queue.Span) []queue.Span {
	slices.SortFunc(spans, func(a, b queue.Span) int { return a.Open.Compare(b.Open) })
	var out []queue.Span
	for _, sp := range spans {
		if n := len(out); n > 0 && !sp.Open.After(out[n-1].Close) {
			out[n-1].Close = max64(out[n-1].Close, sp.Close)
			continue
		}
		out = append(out, sp)
	}
	return out
}
