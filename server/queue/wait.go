package queue

import "time"

// Wait is an expected wait and its likely range: the 10th and 90th
// percentiles of the forecast. Until the forecast knows better, WaitLow and
// WaitHigh equal EstimatedWait.
type Wait struct {
	EstimatedWait Seconds `json:"estimated_wait_s"`
	WaitLow       Seconds `json:"wait_low_s"`
	WaitHigh      Seconds `json:"wait_high_s"`
}

// ReadableWait is a wait as a citizen should read it on a screen or a
// ticket: "about Minutes min" when the range is narrow, else "between Low
// and High min". Every surface words it in its own language from these
// numbers, so they all round alike.
type ReadableWait struct {
	About   bool `json:"about"`
	Minutes int  `json:"minutes,omitempty"` // when About; 0 means "any moment now"
	Low     int  `json:"low,omitempty"`     // when not About
	High    int  `json:"high,omitempty"`
}

// Readable rounds a wait for citizens: whole minutes under ten, fives
// above (nobody reads "about 23 min" as more precise than "about 25"); a
// range narrower than five minutes, or than a quarter of the wait, is
// shown as "about".
func (w Wait) Readable() ReadableWait {
	exp := w.EstimatedWait.D()
	low, high := min(w.WaitLow.D(), exp), max(w.WaitHigh.D(), exp)
	spread := high - low
	if spread <= 5*time.Minute || spread <= exp/4 {
		return ReadableWait{About: true, Minutes: roundMinutes(exp, 0)}
	}
	lo, hi := roundMinutes(low, -1), roundMinutes(high, 1)
	if lo >= hi {
		return ReadableWait{About: true, Minutes: roundMinutes(exp, 0)}
	}
	return ReadableWait{Low: lo, High: hi}
}

// roundMinutes rounds d to whole minutes under ten and to fives above:
// down (dir < 0), to the nearest (0) or up (dir > 0).
func roundMinutes(d time.Duration, dir int) int {
	m := d.Minutes()
	step := 1.0
	if m >= 10 {
		step = 5
	}
	q := m / step
	switch {
	case dir < 0:
		q = float64(int(q))
	case dir > 0:
		if q != float64(int(q)) {
			q = float64(int(q) + 1)
		} else {
			q = float64(int(q))
		}
	default:
		q = float64(int(q + 0.5))
	}
	return int(q * step)
}
