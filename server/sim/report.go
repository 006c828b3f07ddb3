package sim

import (
	"math"
	"slices"
	"time"

	"turno/server/queue"
)

// lateGrace is how much later than promised a call must come before it
// counts as late: tickets show whole minutes, and a promise of "any moment
// now" kept within the clerk's half-minute pause is kept.
const lateGrace = time.Minute

// Report is a simulation's figures; docs/accuracy.md defines each one.
// Times are minutes.
type Report struct {
	Office  string `json:"office"`
	Profile string `json:"profile"`
	Seed    uint64 `json:"seed"`
	Days    int    `json:"days"`
	From    string `json:"from"` // first and last simulated day
	To      string `json:"to"`
	// NoFloor: played without the fixed cut-off margin before closing.
	NoFloor bool `json:"no_floor"`
	// Estimators are the names of the second promises scored beside the
	// engine's: "naive", and the oracle's when there is one.
	Estimators []string         `json:"estimators"`
	Scenarios  []ScenarioReport `json:"scenarios"`
}

// ScenarioReport is one scenario over every simulated day.
type ScenarioReport struct {
	Scenario
	Total     Figures   `json:"total"`
	ByService []Figures `json:"by_service"`
	// ByHour groups citizens by the clock hour they came (and took, or were
	// refused, their ticket) in the office's zone.
	ByHour []Figures `json:"by_hour"`
	// Cells are by service and hour together.
	Cells []Figures  `json:"by_service_and_hour"`
	Days  DayFigures `json:"days"`
}

// Figures are one group of citizens.
type Figures struct {
	Service string `json:"service,omitempty"`
	Hour    *int   `json:"hour,omitempty"`
	// Arrived came to the office; Issued got a ticket; TurnedAway were
	// refused, by rule.
	Arrived    int            `json:"arrived"`
	Issued     int            `json:"issued"`
	TurnedAway map[string]int `json:"turned_away"`
	// Clairvoyant is how many of them a clairvoyant cut-off would have had
	// to turn away (see docs/accuracy.md).
	Clairvoyant int `json:"clairvoyant_turnaways"`
	// Every issued ticket ends served, a no-show, or left uncalled.
	Served       int `json:"served"`
	NoShows      int `json:"noshows"`
	LeftUncalled int `json:"left_uncalled"`
	// Called have a first call: their wait is measured.
	Called   int     `json:"called"`
	WaitMean float64 `json:"wait_mean_min"`
	WaitP90  float64 `json:"wait_p90_min"`
	// Engine scores the ticket's own promise; Others the estimators', in
	// Report.Estimators order (nil where an estimator made no promise).
	Engine Accuracy    `json:"engine"`
	Others []*Accuracy `json:"others"`
}

// Accuracy scores promises against actual waits (actual = first call -
// issue; promised = the wait printed on the ticket).
type Accuracy struct {
	N int `json:"n"`
	// MAE is the mean of |actual - promised|; Bias the mean of actual -
	// promised (positive: citizens wait longer than promised).
	MAE  float64 `json:"mae_min"`
	Bias float64 `json:"bias_min"`
	// Late is the share called more than 50 % later than promised (and
	// more than lateGrace later); AfterHigh the share called after the
	// promised range's high end (plus lateGrace).
	Late      float64 `json:"late_share"`
	AfterHigh float64 `json:"after_high_share"`
	// LateSaid is the share called more than 50 % (and lateGrace) later
	// than the ticket said in words (queue.Wait.Readable): "about N min"
	// said N, "between L and H min" said H, "any moment" said a minute.
	LateSaid float64 `json:"late_said_share"`
}

// DayFigures are per day.
type DayFigures struct {
	Days int `json:"days"`
	// DaysLeftUncalled had someone still waiting when the last counter
	// closed; LeftUncalled is how many, over all days.
	DaysLeftUncalled int `json:"days_left_uncalled"`
	LeftUncalled     int `json:"left_uncalled"`
	// Overtime is how long past closing the last clerk closed, summed over
	// the day's closings.
	OvertimeMean      float64 `json:"overtime_mean_min"`
	OvertimeP95       float64 `json:"overtime_p95_min"`
	DaysOvertimeOver5 int     `json:"days_overtime_over_5_min"`
	// CutoffTurnaways are refusals by cutoff_time, cutoff_load and
	// daily_cap; Clairvoyant what a clairvoyant cut-off would have needed.
	CutoffTurnaways int `json:"cutoff_turnaways"`
	Clairvoyant     int `json:"clairvoyant_turnaways"`
	// ReopenedCutoffs are numerators cut off by load that reopened within
	// the same opening (a flap), on DaysReopenedCutoffs days, with the
	// median time they stayed cut. AtOpening are those cut while clerks
	// were logging in (within login_delay + 5 min of the opening), on
	// DaysAtOpening days.
	ReopenedCutoffs      int     `json:"reopened_cutoffs"`
	DaysReopenedCutoffs  int     `json:"days_reopened_cutoffs"`
	ReopenedCutoffLullS  float64 `json:"reopened_cutoff_lull_median_s"`
	AtOpening            int     `json:"reopened_cutoffs_at_opening"`
	DaysAtOpening        int     `json:"days_reopened_cutoffs_at_opening"`
	CutoffTurnawaysByDay float64 `json:"cutoff_turnaways_per_day"`
	ClairvoyantByDay     float64 `json:"clairvoyant_turnaways_per_day"`
}

// cutoffRules are the refusals a cut-off makes (closed and locked are not).
var cutoffRules = []string{queue.RuleCutoffTime, queue.RuleCutoffLoad, queue.RuleDailyCap}

// tally accumulates one group.
type tally struct {
	arrived, issued, served, noShows, left, clairvoyant int
	turned                                              map[string]int
	waits                                               []float64
	engine                                              score
	others                                              []score
}

type score struct {
	n                         int
	abs, sum                  float64
	late, afterHigh, lateSaid int
}

func (s *score) add(actual time.Duration, w queue.Wait) {
	promised := w.EstimatedWait.D()
	diff := actual - promised
	s.n++
	s.abs += math.Abs(minutes(diff))
	s.sum += minutes(diff)
	if float64(actual) > 1.5*float64(promised) && diff > lateGrace {
		s.late++
	}
	if actual > w.WaitHigh.D()+lateGrace {
		s.afterHigh++
	}
	if said := saidOf(w); float64(actual) > 1.5*float64(said) && actual-said > lateGrace {
		s.lateSaid++
	}
}

// saidOf is the wait a ticket states in words.
func saidOf(w queue.Wait) time.Duration {
	r := w.Readable()
	minutes := r.High
	if r.About {
		minutes = r.Minutes
	}
	return time.Duration(max(minutes, 1)) * time.Minute
}

func (s *score) accuracy() Accuracy {
	if s.n == 0 {
		return Accuracy{}
	}
	n := float64(s.n)
	return Accuracy{N: s.n, MAE: round2(s.abs / n), Bias: round2(s.sum / n), Late: round3(float64(s.late) / n), AfterHigh: round3(float64(s.afterHigh) / n),
		LateSaid: round3(float64(s.lateSaid) / n)}
}

func newTally(estimators int) *tally {
	return &tally{turned: map[string]int{}, others: make([]score, estimators)}
}

// add counts one citizen: c as planned, out as played, clair whether the
// clairvoyant cut-off would have turned them away.
func (t *tally) add(c *citizen, out *outcome, clair bool) {
	t.arrived++
	if clair {
		t.clairvoyant++
	}
	if out.refused != "" {
		t.turned[out.refused]++
		return
	}
	t.issued++
	switch {
	case out.left:
		t.left++
	case out.served:
		t.served++
	case out.noShow:
		t.noShows++
	}
	if !out.called {
		return
	}
	actual := waitOf(c, out)
	t.waits = append(t.waits, minutes(actual))
	t.engine.add(actual, out.promise)
	for i, p := range out.others {
		if p.ok {
			t.others[i].add(actual, p.w)
		}
	}
}

// waitOf is a called citizen's wait: from the ticket's issue (or a booked
// citizen's slot, when later) to the first call; a booked citizen called
// before the slot did not wait.
func waitOf(c *citizen, out *outcome) time.Duration {
	start := c.arrive
	if c.due.After(start) {
		start = c.due
	}
	return max(0, out.calledAt.Sub(start))
}

func (t *tally) figures() Figures {
	f := Figures{
		Arrived: t.arrived, Issued: t.issued, TurnedAway: t.turned, Clairvoyant: t.clairvoyant,
		Served: t.served, NoShows: t.noShows, LeftUncalled: t.left, Called: len(t.waits),
		Engine: t.engine.accuracy(),
	}
	if len(t.waits) > 0 {
		var sum float64
		for _, w := range t.waits {
			sum += w
		}
		f.WaitMean = round2(sum / float64(len(t.waits)))
		f.WaitP90 = round2(percentile(t.waits, 0.9))
	}
	for i := range t.others {
		if t.others[i].n > 0 {
			a := t.others[i].accuracy()
			f.Others = append(f.Others, &a)
		} else {
			f.Others = append(f.Others, nil)
		}
	}
	return f
}

// percentile is the nearest-rank percentile: the smallest value with at
// least q of the values at or below it.
func percentile(values []float64, q float64) float64 {
	if len(values) == 0 {
		return 0
	}
	s := slices.Clone(values)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(i, 0)]
}

func minutes(d time.Duration) float64 { return d.Minutes() }

func round2(v float64) float64 { return math.Round(v*100) / 100 }
func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
