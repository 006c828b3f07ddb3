package history

import (
	"math"
	"sort"
)

// Waits and service times are kept as histograms so that any number of
// days merges exactly (counts add up) in a size that does not grow with the
// office: 15-second buckets up to two hours, one-minute buckets up to
// twelve hours, and one bucket beyond. Means are kept exactly beside them
// (a sum of seconds). Percentiles come out rounded down to their bucket:
// to the 15 seconds below two hours, which reports show in minutes anyway.
// Sorted samples would be exact too, but would cost a year of a large
// office its every ticket on each report; 1,081 counters never grow.
const (
	fineStep   = 15       // seconds a bucket below fineMax
	fineMax    = 2 * 3600 // seconds
	coarseStep = 60
	coarseMax  = 12 * 3600
	nBuckets   = fineMax/fineStep + (coarseMax-fineMax)/coarseStep + 1
)

// bucket returns the bucket of a duration in seconds.
func bucket(sec int64) int {
	switch {
	case sec < 0:
		return 0
	case sec < fineMax:
		return int(sec / fineStep)
	case sec < coarseMax:
		return fineMax/fineStep + int((sec-fineMax)/coarseStep)
	}
	return nBuckets - 1
}

// lower returns the shortest duration, in seconds, of a bucket.
func lower(b int) int64 {
	if b < fineMax/fineStep {
		return int64(b) * fineStep
	}
	return fineMax + int64(b-fineMax/fineStep)*coarseStep
}

// Dist is a distribution of durations in seconds: how many, their sum, and
// the histogram, stored sparse as pairs (bucket, count) in bucket order.
type Dist struct {
	N   int     `json:"n,omitempty"`
	Sum int64   `json:"s,omitempty"`
	H   []int32 `json:"h,omitempty"`
}

// distBuilder builds a Dist from samples.
type distBuilder struct {
	n      int
	sum    int64
	counts map[int]int32
}

func (d *distBuilder) add(sec int64) {
	if sec < 0 {
		sec = 0
	}
	if d.counts == nil {
		d.counts = map[int]int32{}
	}
	d.n++
	d.sum += sec
	d.counts[bucket(sec)]++
}

func (d *distBuilder) dist() Dist {
	if d.n == 0 {
		return Dist{}
	}
	keys := make([]int, 0, len(d.counts))
	for k := range d.counts {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	h := make([]int32, 0, 2*len(keys))
	for _, k := range keys {
		h = append(h, int32(k), d.counts[k])
	}
	return Dist{N: d.n, Sum: d.sum, H: h}
}

// distAcc merges Dists: a dense histogram, allocated on the first sample.
type distAcc struct {
	n      int
	sum    int64
	counts []int64
}

func (a *distAcc) merge(d Dist) {
	if d.N == 0 {
		return
	}
	if a.counts == nil {
		a.counts = make([]int64, nBuckets)
	}
	a.n += d.N
	a.sum += d.Sum
	for i := 0; i+1 < len(d.H); i += 2 {
		if b := int(d.H[i]); b >= 0 && b < nBuckets {
			a.counts[b] += int64(d.H[i+1])
		}
	}
}

// mean returns the mean in seconds, or NaN without samples.
func (a *distAcc) mean() float64 {
	if a.n == 0 {
		return math.NaN()
	}
	return float64(a.sum) / float64(a.n)
}

// quantile returns the p-quantile in seconds by the nearest-rank method
// (the smallest duration with at least p of the samples at or below it),
// rounded down to its bucket; NaN without samples.
func (a *distAcc) quantile(p float64) float64 {
	if a.n == 0 {
		return math.NaN()
	}
	rank := int64(math.Ceil(p * float64(a.n)))
	rank = max(rank, 1)
	var seen int64
	for b, c := range a.counts {
		seen += c
		if seen >= rank {
			return float64(lower(b))
		}
	}
	return float64(lower(nBuckets - 1))
}
