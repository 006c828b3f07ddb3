package sim

import (
	"fmt"
	"math/rand/v2"
	"time"

	"turno/server/queue"
)

// Estimator makes a promise when a ticket is issued, beside the engine's own
// (the ticket's EstimatedWait); the simulator scores every promise against
// the same actual waits. It is the seam for the forecast that knows the true
// service-time distributions (issue 11's accuracy floor): until the forecast
// can be given distributions, Options.Oracle is nil and the report says
// "n/a". Naive is a second implementation, for comparison.
type Estimator interface {
	// Name labels the estimator's figures.
	Name() string
	// Promise is the wait this estimator would have printed on in.Ticket;
	// ok false means it makes none (that ticket is left out of its figures).
	Promise(in PromiseInput) (w queue.Wait, ok bool)
}

// PromiseInput is what an estimator may look at when a ticket is issued.
// Everything in it is read-only.
type PromiseInput struct {
	Now    time.Time
	Office *queue.Office // right after the ticket's issue
	Ticket *queue.Ticket
	// Issued are today's tickets so far, in issue order, as they are now.
	Issued []*queue.Ticket
	// Log is the day's events so far: a forecast can replay them into a
	// fresh queue.Office of its own and play the day forward from there.
	Log []queue.Event
	// Truth is what an oracle may know and the engine may not.
	Truth Truth
}

// Truth is the scenario's reality: the true distributions and the day's
// staffing as it will happen (logins included).
type Truth struct {
	ServiceTimes map[string]LogNormal
	NoShow       map[string]float64
	Shifts       []Shift
	// CallGap and RecallGap are the clerks' pauses: uniform 0..CallGap
	// before each call, recalls about RecallGap apart (up to the office's
	// max_recalls, then the no-show).
	CallGap, RecallGap time.Duration
}

// Naive is "people ahead x their mean service time / counters": the
// waiting tickets of the ticket's lane issued before it (for a priority
// ticket, the priority ones), each weighed by its service's measured mean
// (queue.Office.ServiceTime, what the engine itself knows), divided by the
// counters staffed in the lane, or by the lane's configured counters before
// anyone logs in. It knows nothing the engine does not.
type Naive struct{}

// Name is "naive".
func (Naive) Name() string { return "naive" }

// Promise computes the naive wait.
func (Naive) Promise(in PromiseInput) (queue.Wait, bool) {
	cfg := in.Office.Config()
	lane := cfg.Service(in.Ticket.Service).Lane
	var work time.Duration
	for _, t := range in.Issued {
		if t.Status != queue.StatusWaiting || t.ID == in.Ticket.ID || cfg.Service(t.Service).Lane != lane {
			continue
		}
		if in.Ticket.Priority && !t.Priority {
			continue
		}
		if t.Priority && !in.Ticket.Priority || t.QueuedAt.Before(in.Ticket.QueuedAt) {
			work += in.Office.ServiceTime(t.Service)
		}
	}
	staffed, configured := 0, 0
	for _, k := range cfg.Counters {
		if k.Lane != lane {
			continue
		}
		configured++
		if c := in.Office.Counter(k.ID); c != nil && c.State != queue.CounterClosed {
			staffed++
		}
	}
	counters := staffed
	if counters == 0 {
		counters = configured
	}
	d := queue.Seconds((work / time.Duration(max(counters, 1))).Round(time.Second))
	return queue.Wait{EstimatedWait: d, WaitLow: d, WaitHigh: d}, true
}

// Oracle is the office's own forecast given the true service-time
// distributions and no-show rates instead of the ones it measures: the
// floor of what better estimation of service times could achieve, against
// which issue 11 judges the estimate.
type Oracle struct{}

// Name is "oracle".
func (Oracle) Name() string { return "oracle" }

// Promise replays the day with the truth's distributions.
func (Oracle) Promise(in PromiseInput) (queue.Wait, bool) {
	cfg := in.Office.Config()
	model := func(service string) queue.ServiceModel {
		m := in.Office.Model(service) // the show rate and anything the truth does not say
		if d, ok := in.Truth.ServiceTimes[service]; ok {
			m.Mean, m.CV = d.Mean, d.CV
		}
		if p, ok := in.Truth.NoShow[service]; ok {
			m.NoShow = p
			m.NoShowTime = time.Duration(cfg.Rules.MaxRecalls) * in.Truth.RecallGap
		}
		m.Gap = in.Truth.CallGap / 2 // a pause uniform from nothing to CallGap
		return m
	}
	fc := in.Office.Forecast(in.Now, model)
	w, _, ok := fc.Ticket(in.Ticket.ID)
	return w, ok
}

// Appointments is the seam for booked citizens: the bookings of a day are
// made before it opens, and those who come join its walk-ins, each issued
// its ticket by its own CheckIn command at Arrive; its wait counts from its
// slot (or from check-in, if later). Agenda is the profile's.
type Appointments interface {
	// Day returns the day's booked citizens; rng is the day's own stream,
	// the same in the clairvoyant replay.
	Day(date time.Time, rng *rand.Rand) []Booking
}

// Booking is one booked citizen.
type Booking struct {
	Service     string
	Priority    bool
	Slot        time.Time     // the appointment's start
	Arrive      time.Time     // when the citizen checks in; zero: never comes
	ServiceTime time.Duration // true time at the counter, call to finish
	Absent      bool          // gone when called
	// Book makes the booking in the engine before the day opens.
	Book queue.Command
	// CheckIn gives the citizen a ticket at Arrive, through the engine.
	CheckIn func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error)
}

// Agenda fills the agendas of the office's bookable services as the
// profile's AgendaProfile says: each place of each slot is booked with its
// share; a booked citizen comes with its share, checks in before the slot
// (or, for the late share, after the window), and has the service's true
// time at the counter.
type Agenda struct {
	Config  *queue.Config
	Profile *Profile
}

// Day books the day's slots.
func (a Agenda) Day(date time.Time, rng *rand.Rand) []Booking {
	ap := a.Profile.Appointments
	if ap == nil {
		return nil
	}
	noon := date.Add(12 * time.Hour)
	var out []Booking
	for _, sp := range a.Profile.Services {
		s := a.Config.Service(sp.ID)
		if s == nil || s.Agenda == nil {
			continue
		}
		for _, slot := range a.Config.Slots(s, noon) {
			for place := range s.Agenda.PerSlot {
				if rng.Float64() >= ap.Booked {
					continue
				}
				b := Booking{Service: s.ID, Slot: slot.Open, ServiceTime: draw(rng, sp.Time), Absent: rng.Float64() < sp.NoShow/2}
				var code string
				name := fmt.Sprintf("%s %s/%d", s.ID, slot.Open.Format("15:04"), place)
				b.Book = func(now time.Time, o *queue.Office) ([]queue.Event, error) {
					events, booked, err := o.Book(now, queue.BookRequest{Service: s.ID, Slot: slot.Open, Name: name, Channel: queue.ChannelPhone, Staff: true}, queue.Actor{Name: "agenda"})
					if booked != nil {
						code = booked.Code
					}
					return events, err
				}
				if rng.Float64() < ap.Show {
					switch {
					case rng.Float64() < ap.LateShare:
						b.Arrive = slot.Open.Add(s.Agenda.CheckInLate + time.Duration(rng.Float64()*float64(20*time.Minute)))
					default:
						b.Arrive = slot.Open.Add(-time.Duration(rng.Float64() * float64(min(ap.Early, s.Agenda.CheckInEarly))))
					}
					b.Arrive = b.Arrive.Truncate(time.Second)
					b.CheckIn = func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error) {
						events, t, _, err := o.CheckIn(now, code, queue.Actor{Name: "kiosk"})
						return events, t, err
					}
				}
				out = append(out, b)
			}
		}
	}
	return out
}
