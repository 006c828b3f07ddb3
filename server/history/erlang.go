package history

import "math"

// Erlang C: citizens arrive at random (Poisson) at rate lambda and queue
// for c counters, each serving one at a time for exponentially distributed
// times of mean s. The offered load is a = lambda * s erlangs: how many
// counters the arrivals keep busy on average. With c > a the queue is
// stable, and
//
//	C(c, a) = P(wait > 0) = B(c, a) / (1 - (a/c)(1 - B(c, a)))
//
// where B is Erlang B, computed by its recursion B(0) = 1,
// B(k) = a B(k-1) / (k + a B(k-1)), which never overflows. Then
// P(wait <= t) = 1 - C(c, a) exp(-(c - a) t / s), and the mean wait is
// C(c, a) s / (c - a).

// ErlangC is the probability that a citizen waits at all, with c counters
// and a load of a erlangs; 1 when c <= a (the queue grows without end).
func ErlangC(c int, a float64) float64 {
	switch {
	case a <= 0:
		return 0
	case float64(c) <= a:
		return 1
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b / (1 - a/float64(c)*(1-b))
}

// ServiceLevel is the share of citizens called within target, with c
// counters, a load of a erlangs and a mean service time s (target and s in
// the same unit); 0 when c <= a.
func ServiceLevel(c int, a, s, target float64) float64 {
	if a <= 0 {
		return 1
	}
	if float64(c) <= a {
		return 0
	}
	return 1 - ErlangC(c, a)*math.Exp(-(float64(c)-a)*target/s)
}

// MeanWait is the mean wait with c counters, in the unit of s; +Inf when
// c <= a.
func MeanWait(c int, a, s float64) float64 {
	if a <= 0 {
		return 0
	}
	if float64(c) <= a {
		return math.Inf(1)
	}
	return ErlangC(c, a) * s / (float64(c) - a)
}

// maxCounters bounds the search: no front office has more.
const maxCounters = 500

// CountersNeeded is the fewest counters that call at least level of the
// citizens within target: 0 with no load.
func CountersNeeded(a, s, target, level float64) int {
	if a <= 0 {
		return 0
	}
	for c := max(1, int(math.Floor(a))+1); c <= maxCounters; c++ {
		if ServiceLevel(c, a, s, target) >= level {
			return c
		}
	}
	return maxCounters
}
