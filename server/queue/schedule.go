package queue

import "time"

// DayLayout formats a business day.
const DayLayout = "2006-01-02"

// maxLookahead bounds the search for a service's next opening.
const maxLookahead = 400

// Span is one opening range on a given date, as instants.
type Span struct {
	Open  time.Time `json:"open"`
	Close time.Time `json:"close"`
}

// Day returns the business day of t: its civil date in the office's zone.
func (c *Config) Day(t time.Time) string { return t.In(c.Location).Format(DayLayout) }

func (c *Config) week(s *Service) Week {
	if s.Hours != nil {
		return *s.Hours
	}
	return c.Hours
}

// Spans returns the service's opening spans on the civil date of t. Times of
// day are wall clock in the office's zone, so daylight-saving days keep their
// nominal hours.
func (c *Config) Spans(s *Service, t time.Time) []Span {
	t = t.In(c.Location)
	if c.Closures[t.Format(DayLayout)] {
		return nil
	}
	return c.spansOf(c.week(s)[t.Weekday()], t)
}

// spansOf turns a day's ranges into instants on the civil date of t.
func (c *Config) spansOf(ranges []Range, t time.Time) []Span {
	y, m, d := t.In(c.Location).Date()
	spans := make([]Span, 0, len(ranges))
	for _, r := range ranges {
		spans = append(spans, Span{
			Open:  time.Date(y, m, d, 0, int(r.From), 0, 0, c.Location),
			Close: time.Date(y, m, d, 0, int(r.To), 0, 0, c.Location),
		})
	}
	return spans
}

// spanAt returns the span containing now, if the service is open.
func (c *Config) spanAt(s *Service, now time.Time) (Span, bool) {
	for _, sp := range c.Spans(s, now) {
		if !now.Before(sp.Open) && now.Before(sp.Close) {
			return sp, true
		}
	}
	return Span{}, false
}

// NextOpening returns the first opening of the service strictly after t, or
// nil when it does not open within maxLookahead days.
func (c *Config) NextOpening(s *Service, t time.Time) *time.Time {
	local := t.In(c.Location)
	y, m, d := local.Date()
	for i := 0; i < maxLookahead; i++ {
		// Noon avoids landing on the wrong date across a DST change.
		day := time.Date(y, m, d+i, 12, 0, 0, 0, c.Location)
		for _, sp := range c.Spans(s, day) {
			if sp.Open.After(t) {
				open := sp.Open
				return &open
			}
		}
	}
	return nil
}

// nextDayOpening returns the service's first opening on a business day after
// the one of t.
func (c *Config) nextDayOpening(s *Service, t time.Time) *time.Time {
	local := t.In(c.Location)
	y, m, d := local.Date()
	return c.NextOpening(s, time.Date(y, m, d, 23, 59, 59, 0, c.Location))
}
