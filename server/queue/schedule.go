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
// nominal hours (see wallClock for times the clock skips or repeats).
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
		spans = append(spans, Span{Open: c.wallClock(y, m, d, r.From), Close: c.wallClock(y, m, d, r.To)})
	}
	return spans
}

// wallClock returns the first instant of the civil date y-m-d at which the
// office's clock reads minute or later. On most days that is simply the
// time; on a daylight-saving day it is the moment the clock jumps past a
// time it skips (in America/Santiago 00:00 does not exist on the day summer
// time starts: the day begins at 01:00), and the first occurrence of a time
// it reads twice. 24:00 is the start of the next date, whenever that is.
// time.Date alone may answer with an instant of the previous date for a
// skipped midnight, which closed a 24-hour service for the hour before it.
func (c *Config) wallClock(y int, mo time.Month, d int, minute Minute) time.Time {
	if minute >= 24*60 {
		next := time.Date(y, mo, d+1, 0, 0, 0, 0, time.UTC) // only the date: UTC has no gaps
		return c.wallClock(next.Year(), next.Month(), next.Day(), minute-24*60)
	}
	loc := c.Location
	want := time.Date(y, mo, d, 0, int(minute), 0, 0, time.UTC) // the reading, as if UTC
	// The offsets in force well before and well after the time: each gives
	// the instant at which the clock would read it, if it does.
	var first time.Time
	for _, probe := range []time.Duration{-36 * time.Hour, 0, 36 * time.Hour} {
		_, offset := want.Add(probe).In(loc).Zone()
		t := want.Add(-time.Duration(offset) * time.Second)
		if reads(t.In(loc), want) && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	if !first.IsZero() {
		return first.In(loc)
	}
	// Skipped: read with the offset before the change, the time falls
	// after the jump, in the zone period that the jump starts.
	_, before := want.Add(-36 * time.Hour).In(loc).Zone()
	start, _ := want.Add(-time.Duration(before) * time.Second).In(loc).ZoneBounds()
	return start.In(loc)
}

// reads reports whether local shows the wall-clock date, hour and minute of
// want.
func reads(local, want time.Time) bool {
	ly, lm, ld := local.Date()
	wy, wm, wd := want.Date()
	return ly == wy && lm == wm && ld == wd && local.Hour() == want.Hour() && local.Minute() == want.Minute()
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
	return c.NextOpening(s, c.wallClock(y, m, d, 24*60).Add(-time.Nanosecond))
}
