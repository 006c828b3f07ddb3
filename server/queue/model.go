package queue

import (
	"math"
	"time"
)

// ServiceModel is what the forecast expects of a service's tickets at a
// counter. Service times are taken as log-normal (positive, skewed: most
// requests are quick, a few take long), described by their mean and
// coefficient of variation.
type ServiceModel struct {
	// Mean and CV describe a served ticket's time at the counter, from the
	// call to the finish.
	Mean time.Duration
	CV   float64
	// NoShow is the share of calls that end as a no-show, after NoShowTime
	// at the counter (the recalls).
	NoShow     float64
	NoShowTime time.Duration
	// Show is the share of booked citizens who come to their appointment.
	Show float64
	// Gap is the time a counter takes between one citizen and the next
	// call while people wait: the clerk files, stands up, presses F1.
	Gap time.Duration
}

// Priors of the measured models, and how many observations each is worth:
// a service's own figures take over as the day measures them.
const (
	// DefaultServiceCV is the spread of service times assumed until
	// measured; front-office service times typically vary by about this
	// much around their mean.
	DefaultServiceCV = 0.6
	priorServiceN    = 5
	priorNoShow      = 0.05
	priorNoShowN     = 20
	priorNoShowTimeN = 3
	priorShow        = 0.85
	priorShowN       = 10
	priorGapN        = 5 // a zero gap, worth five observations
	// maxGapSample is the longest pause between citizens that is measured
	// as a gap; longer ones are a break the clerk did not record.
	maxGapSample = 10 * time.Minute
)

// measure is what the day has measured of a service.
type measure struct {
	served        int     // served tickets that count as a sample
	sumLn, sumLn2 float64 // of their times, ln(seconds)
	ended         int     // calls that ended: finished or no-show
	noShows       int
	noShowSecs    float64 // total seconds from call to no-show
	kept, missed  int     // appointments checked in, and missed
}

func (o *Office) measure(service string) *measure {
	m := o.measures[service]
	if m == nil {
		m = &measure{}
		o.measures[service] = m
	}
	return m
}

// Model is the service's model as measured today, each figure shrunk
// toward its prior (the configured service time, DefaultServiceCV, and
// typical no-show and show rates) while there are few observations, so one
// quick or slow citizen at 08:35 does not swing every estimate.
func (o *Office) Model(service string) ServiceModel {
	s := o.cfg.Service(service)
	prior := DefaultServiceTime
	if s != nil {
		prior = s.ServiceTime
	}
	m := o.measures[service]
	if m == nil {
		m = &measure{}
	}
	// Log-normal in log space: the prior's mu and sigma^2, then the
	// pooled estimate with priorServiceN pseudo-observations.
	s2p := math.Log(1 + DefaultServiceCV*DefaultServiceCV)
	mup := math.Log(prior.Seconds()) - s2p/2
	n := float64(m.served)
	mu := (priorServiceN*mup + m.sumLn) / (priorServiceN + n)
	ss := priorServiceN*(s2p+(mup-mu)*(mup-mu)) + m.sumLn2 - 2*mu*m.sumLn + n*mu*mu
	s2 := ss / (priorServiceN + n)
	mean := math.Exp(mu + s2/2)

	noShowPrior := float64(o.cfg.Rules.MaxRecalls+1) * time.Minute.Seconds()
	return ServiceModel{
		Mean:       time.Duration(mean * float64(time.Second)).Round(time.Second),
		CV:         math.Sqrt(math.Exp(s2) - 1),
		NoShow:     (priorNoShowN*priorNoShow + float64(m.noShows)) / (priorNoShowN + float64(m.ended)),
		NoShowTime: time.Duration((priorNoShowTimeN*noShowPrior + m.noShowSecs) / (priorNoShowTimeN + float64(m.noShows)) * float64(time.Second)),
		Show:       (priorShowN*priorShow + float64(m.kept)) / (priorShowN + float64(m.kept+m.missed)),
		Gap:        time.Duration(o.gapSecs / (priorGapN + float64(o.gaps)) * float64(time.Second)),
	}
}

// measureGap records the pause of a counter between becoming free and
// calling t, when t was already waiting then.
func (o *Office) measureGap(t *Ticket) {
	c := o.counters[t.Counter]
	if c == nil || c.IdleSince == nil || t.CalledAt == nil || t.QueuedAt.After(*c.IdleSince) {
		return
	}
	if d := t.CalledAt.Sub(*c.IdleSince); d >= 0 && d <= maxGapSample {
		o.gaps++
		o.gapSecs += d.Seconds()
	}
}

// logParams are the service time's mu and sigma in ln(seconds).
func (m ServiceModel) logParams() (mu, sigma float64) {
	s2 := math.Log(1 + m.CV*m.CV)
	return math.Log(math.Max(m.Mean.Seconds(), 1)) - s2/2, math.Sqrt(s2)
}

// served returns the mean and variance, in seconds, of a served ticket.
func (m ServiceModel) served() (mean, variance float64) {
	mean = m.Mean.Seconds()
	sd := mean * m.CV
	return mean, sd * sd
}

// call returns the mean and variance, in seconds, of the counter time a
// call takes until the next: a served ticket, or a no-show's recalls, and
// the gap before the next call.
func (m ServiceModel) call() (mean, variance float64) {
	sm, sv := m.served()
	n := m.NoShowTime.Seconds()
	p := m.NoShow
	mean = (1-p)*sm + p*n
	second := (1-p)*(sv+sm*sm) + p*n*n
	return mean + m.Gap.Seconds(), math.Max(second-mean*mean, 0)
}

// remaining returns the mean and variance, in seconds, of the time still
// to go for a ticket elapsed seconds into its service: the longer it has
// lasted, the longer a skewed service time is expected to last.
func (m ServiceModel) remaining(elapsed float64) (mean, variance float64) {
	sm, sv := m.served()
	if elapsed <= 0 {
		return sm, sv
	}
	mu, sigma := m.logParams()
	if sigma < 1e-9 { // a fixed time: what is left of it
		return math.Max(sm-elapsed, minRemaining), 0
	}
	z := (mu - math.Log(elapsed)) / sigma
	survive := normCDF(z)
	if survive < 1e-9 { // far beyond any usual service: it ends any moment
		return minRemaining, 0
	}
	first := math.Exp(mu+sigma*sigma/2) * normCDF(z+sigma) / survive
	second := math.Exp(2*mu+2*sigma*sigma) * normCDF(z+2*sigma) / survive
	mean = math.Max(first-elapsed, minRemaining)
	variance = math.Max(second-first*first, 0)
	return mean, variance
}

// minRemaining is the least time, in seconds, a ticket still at a counter
// is expected to take.
const minRemaining = 20.0

func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// normQuantile is the standard normal's p-quantile.
func normQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// lnQuantile is the p-quantile of a positive quantity with the given mean
// and variance, taken as log-normal: a wait cannot be negative, and its
// spread grows with it.
func lnQuantile(mean, variance, p float64) float64 {
	if mean <= 0 {
		return 0
	}
	if variance <= 0 {
		return mean
	}
	s2 := math.Log(1 + variance/(mean*mean))
	return math.Exp(math.Log(mean) - s2/2 + normQuantile(p)*math.Sqrt(s2))
}

// lnCDF is the probability that a positive quantity with the given mean
// and variance, taken as log-normal, is at most x.
func lnCDF(mean, variance, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case mean <= 0:
		return 1
	case variance <= 0:
		if mean <= x {
			return 1
		}
		return 0
	}
	s2 := math.Log(1 + variance/(mean*mean))
	return normCDF((math.Log(x) - (math.Log(mean) - s2/2)) / math.Sqrt(s2))
}

// waitOf is the Wait of a quantity in seconds with a mean and a variance.
func waitOf(mean, variance float64) Wait {
	sec := func(x float64) Seconds { return Seconds(time.Duration(x * float64(time.Second)).Round(time.Second)) }
	return Wait{
		EstimatedWait: sec(math.Max(mean, 0)),
		WaitLow:       sec(lnQuantile(mean, variance, 0.1)),
		WaitHigh:      sec(lnQuantile(mean, variance, 0.9)),
	}
}
