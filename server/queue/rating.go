package queue

import "time"

// EventTicketRated is a citizen's satisfaction with a finished ticket. It
// carries Rating, not the ticket: the ticket names its clerk, and a rating
// is the citizen's judgement of the office, counted per service and counter.
const EventTicketRated = "ticket.rated"

// Rating scores.
const (
	MinScore = 1
	MaxScore = 5
)

// Rating is one citizen's answer to "how were you served?", from 1 (very
// unhappy) to 5 (very happy), given once per ticket on its day.
type Rating struct {
	// Ticket is the rated ticket's id, so that a second rating is refused
	// after a restart too.
	Ticket  string `json:"ticket"`
	Service string `json:"service"`
	Counter string `json:"counter,omitempty"`
	// Clerk is set only when the office's rules record it
	// (Rules.RatingsPerClerk): a workers' agreement usually forbids it.
	Clerk string `json:"clerk,omitempty"`
	Score int    `json:"score"`
}

// Rate records a citizen's rating of a ticket finished today. It refuses
// a score out of range, an unknown ticket (or one of another day), a ticket
// not finished (waiting, at a counter, a no-show, expired) and a second
// rating. by is the channel: the phone page, or a rating pad's device.
func (o *Office) Rate(now time.Time, ticketID string, score int, by Actor) ([]Event, error) {
	if score < MinScore || score > MaxScore {
		return nil, ErrInvalidScore.withf("a rating is a whole number from %d to %d, not %d", MinScore, MaxScore, score)
	}
	t := o.tickets[ticketID]
	if t == nil {
		return nil, ErrUnknownTicket.withf("no ticket %q today: ratings are given on the day of the visit", ticketID)
	}
	if t.Status != StatusDone {
		return nil, ErrNotFinished.withf("ticket %s is %s: only a finished ticket can be rated", t.Number, t.Status)
	}
	if o.rated[t.ID] {
		return nil, ErrAlreadyRated.withf("ticket %s has already been rated", t.Number)
	}
	r := &Rating{Ticket: t.ID, Service: t.Service, Counter: t.Counter, Score: score}
	if o.cfg.Rules.RatingsPerClerk {
		r.Clerk = t.Clerk
	}
	ev := o.event(now, EventTicketRated, by)
	ev.Service, ev.Rating = t.Service, r
	return []Event{ev}, nil
}

// Rated reports whether today's ticket id has been rated.
func (o *Office) Rated(id string) bool { return o.rated[id] }

// LastFinished returns the ticket finished last today at a counter, or nil:
// the only one a rating pad facing the citizen at that counter may rate.
func (o *Office) LastFinished(counterID string) *Ticket {
	var last *Ticket
	for _, t := range o.issued {
		if t.Status == StatusDone && t.Counter == counterID && t.FinishedAt != nil &&
			(last == nil || !t.FinishedAt.Before(*last.FinishedAt)) {
			last = t
		}
	}
	return last
}

func (o *Office) applyRating(ev *Event) {
	r := ev.Rating
	o.rated[r.Ticket] = true
	if st := o.stats[r.Service]; st != nil {
		st.Ratings++
		st.RatingSum += r.Score
	}
}
