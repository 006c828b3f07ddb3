// Package sim is Turno's what-if simulator: it plays working days of an
// office through the real queue.Office, only by Office.Run with an injected
// clock, the way the server steps it, and measures what citizens and clerks
// would live: waits, the wait printed on each ticket against the wait that
// followed, turn-aways by rule, citizens left uncalled, clerks' overtime, and
// what a clairvoyant cut-off would have refused.
//
// A day is drawn first (plan.go: Poisson arrivals per hour and service,
// log-normal true service times, no-shows, priority citizens, clerks'
// logins), from random streams that depend only on the seed and the day, so
// a seed gives the same figures whatever the machine and however many days
// run at once. It is then played (day.go) by clerks who call the next as
// soon as they are free, recall an absent citizen about a minute apart up to
// the office's max_recalls and then mark the no-show, and past closing empty
// their queues for up to the profile's overtime limit. Each day is played a
// second time with no cut-off at all, same citizens, to count the
// clairvoyant turn-aways. docs/accuracy.md explains every figure.
//
// Estimators other than the office's own are compared on the same citizens:
// Naive, and Oracle (the office's forecast given the true distributions).
// Appointments books citizens through the engine's bookings.
package sim

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"turno/server/queue"
)

// Defaults of Options.
const (
	DefaultDays  = 100
	DefaultStart = "2026-01-05" // a Monday
	DefaultSeed  = 1
	// MaxDays bounds a run: ten years of working days.
	MaxDays = 2600
)

// Options are a simulation's inputs.
type Options struct {
	Office  *queue.Config
	Profile *Profile
	// Scenario is a scenario's name in the profile, or "all" (or "").
	Scenario string
	// Days is how many consecutive working days of the office's calendar
	// to play, from Start ("2006-01-02").
	Days  int
	Start string
	Seed  uint64
	// NoFloor plays the office without its fixed cut-off margin
	// (cutoff_before_close), as issue 11's turn-away target asks.
	NoFloor bool
	// Oracle is the forecast that knows the true distributions (sim.Oracle);
	// nil leaves it out (the report then says n/a).
	Oracle Estimator
	// Appointments books citizens; nil until the engine has bookings.
	Appointments Appointments
	// KeepPlan plays every scenario with the office's own staffing plan;
	// by default each scenario's staffing becomes the plan, as an office
	// that knows tomorrow's absences would write it (a surprise absence is
	// the office's plan with another scenario's staffing).
	KeepPlan bool
	// Workers plays days in parallel; 0 is one per CPU. The figures do not
	// depend on it.
	Workers int
}

// Run plays the scenarios and returns their figures.
func Run(ctx context.Context, opt Options) (*Report, error) {
	if opt.Office == nil || opt.Profile == nil {
		return nil, errors.New("simulate: no office or no profile")
	}
	cfg, p := opt.Office, opt.Profile
	if err := p.Check(cfg); err != nil {
		return nil, err
	}
	scenarios, err := pick(p, opt.Scenario)
	if err != nil {
		return nil, err
	}
	if opt.Days < 1 || opt.Days > MaxDays {
		return nil, fmt.Errorf("simulate: -days %d must be from 1 to %d", opt.Days, MaxDays)
	}
	if opt.Start == "" {
		opt.Start = DefaultStart
	}
	start, err := time.ParseInLocation(queue.DayLayout, opt.Start, cfg.Location)
	if err != nil {
		return nil, fmt.Errorf("simulate: -start %q is not a date YYYY-MM-DD", opt.Start)
	}
	days := workingDays(cfg, start, opt.Days)
	if len(days) < opt.Days {
		return nil, fmt.Errorf("simulate: the office opens on only %d days from %s", len(days), opt.Start)
	}
	if opt.NoFloor {
		if cfg, err = withoutFloor(cfg); err != nil {
			return nil, err
		}
	}
	cfgs, opens := make([]*queue.Config, len(scenarios)), make([]*queue.Config, len(scenarios))
	for i, sc := range scenarios {
		cfgs[i] = cfg
		if !opt.KeepPlan {
			if cfgs[i], err = withPlan(cfg, p.Staffing[sc.Staffing]); err != nil {
				return nil, fmt.Errorf("simulate %s: %w", sc.Name, err)
			}
		}
		if opens[i], err = withoutCutoff(cfgs[i]); err != nil {
			return nil, err
		}
	}
	estimators := []Estimator{Naive{}}
	if opt.Oracle != nil {
		estimators = append(estimators, opt.Oracle)
	}
	truth := Truth{ServiceTimes: map[string]LogNormal{}, NoShow: map[string]float64{}, CallGap: p.CallGap, RecallGap: p.RecallGap}
	for _, sp := range p.Services {
		truth.ServiceTimes[sp.ID], truth.NoShow[sp.ID] = sp.Time, sp.NoShow
	}

	// Days play in parallel and are folded into the figures in day order,
	// as soon as the days before them are in: the sums do not depend on the
	// workers, and only the days played out of order wait in memory.
	type job struct{ scenario, day int }
	sums := make([]*summary, len(scenarios))
	pending := make([][]*played, len(scenarios))
	folded := make([]int, len(scenarios))
	var jobs []job
	for s, sc := range scenarios {
		sums[s] = newSummary(cfg, sc, len(estimators))
		pending[s] = make([]*played, len(days))
		for d := range days {
			jobs = append(jobs, job{s, d})
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		next     = make(chan job)
	)
	for range workers {
		wg.Go(func() {
			for j := range next {
				book := opt.Appointments
				if sc := scenarios[j.scenario]; book == nil && sc.Appointments {
					book = Agenda{Config: cfgs[j.scenario], Profile: p}
				}
				pl, err := playBoth(cfgs[j.scenario], opens[j.scenario], p, scenarios[j.scenario], opt.Seed, j.day, days[j.day], estimators, truth, book)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("simulate %s: %w", scenarios[j.scenario].Name, err)
					cancel()
				}
				if err == nil {
					s, q := j.scenario, pending[j.scenario]
					q[j.day] = pl
					for ; folded[s] < len(q) && q[folded[s]] != nil; folded[s]++ {
						sums[s].add(q[folded[s]])
						q[folded[s]] = nil
					}
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	rep := &Report{
		Office: cfg.Name, Profile: p.Source, Seed: opt.Seed, Days: len(days), NoFloor: opt.NoFloor,
		From: days[0].Format(queue.DayLayout), To: days[len(days)-1].Format(queue.DayLayout),
	}
	for _, e := range estimators {
		rep.Estimators = append(rep.Estimators, e.Name())
	}
	for _, sum := range sums {
		rep.Scenarios = append(rep.Scenarios, sum.report())
	}
	return rep, nil
}

// pick returns the scenarios name asks for.
func pick(p *Profile, name string) ([]Scenario, error) {
	if name == "" || name == "all" {
		return p.Scenarios, nil
	}
	if sc := p.Scenario(name); sc != nil {
		return []Scenario{*sc}, nil
	}
	names := make([]string, 0, len(p.Scenarios)+1)
	for _, sc := range p.Scenarios {
		names = append(names, sc.Name)
	}
	return nil, fmt.Errorf("simulate: no scenario %q in profile %s: choose %s", name, p.Source, strings.Join(append(names, "all"), ", "))
}

// withoutCutoff is the office with no cut-off at all (no margin before
// closing, no load rule, no daily cap): the clairvoyant replay.
func withoutCutoff(cfg *queue.Config) (*queue.Config, error) {
	return edited(cfg, func(s *queue.Service) {
		s.CutoffOnLoad = false
		s.CutoffBeforeClose = 0
		s.DailyCap = 0
	})
}

// withPlan is the office whose staffing plan is the scenario's clerks: each
// at its counter for the hours of its services, clipped to its From-Until.
func withPlan(cfg *queue.Config, clerks []Clerk) (*queue.Config, error) {
	c := *cfg
	c.Staffing = queue.Staffing{}
	for _, k := range clerks {
		sh := queue.Shift{Counter: k.Counter, Services: k.Services}
		services := k.Services
		if len(services) == 0 {
			services = cfg.Counter(k.Counter).Services
		}
		for d := range sh.Hours {
			var ranges []queue.Range
			for _, id := range services {
				ranges = append(ranges, weekOf(cfg, cfg.Service(id))[d]...)
			}
			for _, r := range mergeRanges(ranges) {
				r.From, r.To = max(r.From, k.From), min(r.To, k.Until)
				if r.From < r.To {
					sh.Hours[d] = append(sh.Hours[d], r)
				}
			}
		}
		c.Staffing.Shifts = append(c.Staffing.Shifts, sh)
	}
	c.Services = slices.Clone(cfg.Services)
	c.Counters = slices.Clone(cfg.Counters)
	if err := c.Prepare(); err != nil {
		return nil, fmt.Errorf("the scenario's staffing as a plan: %w", err)
	}
	return &c, nil
}

// weekOf is a service's week: its own hours, or the office's.
func weekOf(cfg *queue.Config, s *queue.Service) queue.Week {
	if s.Hours != nil {
		return *s.Hours
	}
	return cfg.Hours
}

// mergeRanges joins overlapping or touching ranges of one day.
func mergeRanges(rs []queue.Range) []queue.Range {
	slices.SortFunc(rs, func(a, b queue.Range) int { return int(a.From) - int(b.From) })
	var out []queue.Range
	for _, r := range rs {
		if n := len(out); n > 0 && r.From <= out[n-1].To {
			out[n-1].To = max(out[n-1].To, r.To)
			continue
		}
		out = append(out, r)
	}
	return out
}

// withoutFloor is the office without the fixed margin before closing; the
// load rule and daily caps stay.
func withoutFloor(cfg *queue.Config) (*queue.Config, error) {
	return edited(cfg, func(s *queue.Service) { s.CutoffBeforeClose = 0 })
}

// edited is a copy of cfg with every service changed by edit.
func edited(cfg *queue.Config, edit func(*queue.Service)) (*queue.Config, error) {
	c := *cfg
	c.Services = slices.Clone(cfg.Services)
	c.Counters = slices.Clone(cfg.Counters)
	for i := range c.Services {
		edit(&c.Services[i])
	}
	if err := c.Prepare(); err != nil {
		return nil, fmt.Errorf("simulate: the office changed for the simulation: %w", err)
	}
	return &c, nil
}

// played is one day of one scenario, played twice.
type played struct {
	plan  *dayPlan
	day   *dayResult
	clair []bool // per citizen: the clairvoyant cut-off would refuse them
}

// playBoth plays a day as the office runs it, then with no cut-off.
func playBoth(cfg, open *queue.Config, p *Profile, sc Scenario, seed uint64, index int, date time.Time, estimators []Estimator, truth Truth, book Appointments) (*played, error) {
	dp := plan(cfg, p, sc, seed, index, date, book)
	day, err := playDay(cfg, p, dp, seed, estimators, truth)
	if err != nil {
		return nil, err
	}
	day.office = nil
	clair, err := clairvoyant(open, p, dp, seed)
	if err != nil {
		return nil, fmt.Errorf("without cut-off: %w", err)
	}
	return &played{plan: dp, day: day, clair: clair}, nil
}

// clairvoyant plays the day on open (the office with no cut-off) and marks
// the citizens whose ticket would end after the closing of the opening they
// came in, or never be called: a cut-off that knew the day's service times
// would have had to turn exactly them away.
func clairvoyant(open *queue.Config, p *Profile, dp *dayPlan, seed uint64) ([]bool, error) {
	day, err := playDay(open, p, dp, seed, nil, Truth{})
	if err != nil {
		return nil, err
	}
	marks := make([]bool, len(dp.citizens))
	for i, out := range day.outcomes {
		closing := dp.citizens[i].closing
		if out.refused != "" || closing.IsZero() {
			continue
		}
		marks[i] = out.left || !out.called || out.endAt.After(closing)
	}
	return marks, nil
}

// summary folds a scenario's days into its figures, in day order.
type summary struct {
	cfg        *queue.Config
	sc         Scenario
	estimators int
	total      *tally
	byService  map[string]*tally
	byHour     map[int]*tally
	cells      map[string]map[int]*tally
	df         DayFigures
	overtimes  []float64
	lulls      []float64
}

func newSummary(cfg *queue.Config, sc Scenario, estimators int) *summary {
	return &summary{
		cfg: cfg, sc: sc, estimators: estimators, total: newTally(estimators),
		byService: map[string]*tally{}, byHour: map[int]*tally{}, cells: map[string]map[int]*tally{},
	}
}

func (s *summary) hour(m map[int]*tally, h int) *tally {
	if m[h] == nil {
		m[h] = newTally(s.estimators)
	}
	return m[h]
}

// add folds one played day.
func (s *summary) add(pl *played) {
	df := &s.df
	df.Days++
	left := 0
	for i := range pl.plan.citizens {
		c, out, clair := &pl.plan.citizens[i], &pl.day.outcomes[i], pl.clair[i]
		hour := c.arrive.In(s.cfg.Location).Hour()
		if s.byService[c.service] == nil {
			s.byService[c.service] = newTally(s.estimators)
			s.cells[c.service] = map[int]*tally{}
		}
		for _, t := range []*tally{s.total, s.byService[c.service], s.hour(s.byHour, hour), s.hour(s.cells[c.service], hour)} {
			t.add(c, out, clair)
		}
		if out.left {
			left++
		}
		if slices.Contains(cutoffRules, out.refused) {
			df.CutoffTurnaways++
		}
		if clair {
			df.Clairvoyant++
		}
	}
	df.LeftUncalled += left
	if left > 0 {
		df.DaysLeftUncalled++
	}
	s.overtimes = append(s.overtimes, minutes(pl.day.overtime))
	if pl.day.overtime > 5*time.Minute {
		df.DaysOvertimeOver5++
	}
	if len(pl.day.flaps) > 0 {
		df.DaysReopenedCutoffs++
		df.ReopenedCutoffs += len(pl.day.flaps)
		early := 0
		for _, f := range pl.day.flaps {
			s.lulls = append(s.lulls, f.lull.Seconds())
			if f.atOpening {
				early++
			}
		}
		df.AtOpening += early
		if early > 0 {
			df.DaysAtOpening++
		}
	}
}

// report is the scenario's figures.
func (s *summary) report() ScenarioReport {
	df := s.df
	if n := len(s.overtimes); n > 0 {
		var sum float64
		for _, v := range s.overtimes {
			sum += v
		}
		df.OvertimeMean = round2(sum / float64(n))
		df.OvertimeP95 = round2(percentile(s.overtimes, 0.95))
		df.CutoffTurnawaysByDay = round2(float64(df.CutoffTurnaways) / float64(n))
		df.ClairvoyantByDay = round2(float64(df.Clairvoyant) / float64(n))
	}
	if len(s.lulls) > 0 {
		df.ReopenedCutoffLullS = round2(median(s.lulls))
	}
	rep := ScenarioReport{Scenario: s.sc, Total: s.total.figures(), Days: df}
	for _, svc := range s.cfg.Services {
		t := s.byService[svc.ID]
		if t == nil {
			continue
		}
		f := t.figures()
		f.Service = svc.ID
		rep.ByService = append(rep.ByService, f)
		for _, h := range sortedHours(s.cells[svc.ID]) {
			f := s.cells[svc.ID][h].figures()
			f.Service, f.Hour = svc.ID, &h
			rep.Cells = append(rep.Cells, f)
		}
	}
	for _, h := range sortedHours(s.byHour) {
		f := s.byHour[h].figures()
		f.Hour = &h
		rep.ByHour = append(rep.ByHour, f)
	}
	return rep
}

func sortedHours(m map[int]*tally) []int {
	hours := make([]int, 0, len(m))
	for h := range m {
		hours = append(hours, h)
	}
	slices.Sort(hours)
	return hours
}

// median is the lower median.
func median(values []float64) float64 {
	s := slices.Clone(values)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}
