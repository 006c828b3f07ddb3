package history

import (
	"context"
	"fmt"
	"math"
	"time"

	"turno/server/queue"
)

// MaxForecastDays bounds a forecast: eight weeks ahead.
const MaxForecastDays = 56

// minServiceSamples is how many measured service times the forecast
// wants before it trusts them over the configured service_time.
const minServiceSamples = 20

// The forecast's types are the wire's (queue/demand.go).
type (
	Forecast     = queue.DemandForecast
	ForecastDay  = queue.DemandDay
	ServiceDay   = queue.DemandServiceDay
	ForecastHour = queue.DemandHour
	ServiceHour  = queue.DemandServiceHour
	LaneHour     = queue.DemandLaneHour
)

// baseline is the history of one weekday: per service and hour, the
// arrivals of an ordinary day (a peak day's divided by its factor),
// averaged over the days of that weekday the service was open.
type baseline struct {
	sum  map[string]*[24]float64
	days map[string]int
}

// Forecast forecasts days days from from ("" : tomorrow).
func (r *Reports) Forecast(ctx context.Context, from string, days int) (*Forecast, error) {
	o := &r.cfg().Office
	now := r.now()
	today := o.Day(now)
	if from == "" {
		from = dateAdd(today, 1, o.Location)
	}
	start, err := time.ParseInLocation(queue.DayLayout, from, o.Location)
	if err != nil || len(from) != len(queue.DayLayout) {
		return nil, &QueryError{"from", fmt.Sprintf("%q is not a date YYYY-MM-DD", from)}
	}
	if days < 1 || days > MaxForecastDays {
		return nil, &QueryError{"days", fmt.Sprintf("%d must be 1 to %d", days, MaxForecastDays)}
	}
	weeks := r.cfg().Forecast.Weeks
	fc := &Forecast{Office: o.Name, From: from, To: dateAdd(from, days-1, o.Location), Generated: now.In(o.Location),
		Weeks: weeks, ServiceLevel: r.cfg().Forecast.ServiceLevel, Plan: !o.Staffing.Empty()}

	// The history: the last weeks of stored days before today.
	base := map[time.Weekday]*baseline{}
	svcSum, svcN := map[string]int64{}, map[string]int{}
	histFrom := dateAdd(today, -7*weeks, o.Location)
	err = r.store.EachDayStats(histFrom, dateAdd(today, -1, o.Location), func(day string, data []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var d Day
		if err := decode(data, &d); err != nil {
			return fmt.Errorf("history: figures of %s: %w", day, err)
		}
		fc.HistoryDays++
		r.learn(base, svcSum, svcN, &d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	booked, err := r.booked(fc.From, fc.To)
	if err != nil {
		return nil, err
	}
	for i := 0; i < days; i++ {
		fc.Days = append(fc.Days, r.forecastDay(start.AddDate(0, 0, i), base, svcSum, svcN, booked))
	}
	return fc, nil
}

// learn adds a past day to the baselines of its weekday.
func (r *Reports) learn(base map[time.Weekday]*baseline, svcSum map[string]int64, svcN map[string]int, d *Day) {
	o := &r.cfg().Office
	date, err := time.ParseInLocation(queue.DayLayout, d.Day, o.Location)
	if err != nil {
		return
	}
	noon := date.Add(12 * time.Hour)
	b := base[date.Weekday()]
	if b == nil {
		b = &baseline{sum: map[string]*[24]float64{}, days: map[string]int{}}
		base[date.Weekday()] = b
	}
	for i := range o.Services {
		s := &o.Services[i]
		if len(o.Spans(s, noon)) > 0 {
			b.days[s.ID]++ // an open day with no arrival is a zero, not a gap
		}
	}
	for i := range d.Cells {
		c := &d.Cells[i]
		if c.Dim != DimService {
			continue
		}
		if c.Hour < 0 {
			svcSum[c.Key] += c.Service.Sum
			svcN[c.Key] += c.Service.N
			continue
		}
		factor, _ := r.cfg().Calendar.Factor(c.Key, d.Day)
		h := b.sum[c.Key]
		if h == nil {
			h = &[24]float64{}
			b.sum[c.Key] = h
		}
		h[c.Hour] += float64(walkInDemand(&c.Figures)) / factor
	}
}

// walkInDemand is a cell's walk-in arrivals: tickets issued other than
// booked citizens', and those a cut-off, a cap or a lock turned away (they
// came); not those who found the service closed, who come back at opening
// and are counted then.
func walkInDemand(f *Figures) int {
	n := f.Issued - f.Appointment
	for i, rule := range Rules {
		if rule != queue.RuleClosed && i < len(f.Turnaways) {
			n += f.Turnaways[i]
		}
	}
	return max(n, 0)
}

// booked counts the appointments booked from from to to, by day, service
// and the hour of their slot.
func (r *Reports) booked(from, to string) (map[string]map[string]*[24]int, error) {
	bookings, err := r.store.Bookings(from)
	if err != nil {
		return nil, fmt.Errorf("history: bookings: %w", err)
	}
	out := map[string]map[string]*[24]int{}
	for _, b := range bookings {
		if b.Day > to || (b.State != queue.BookingBooked && b.State != queue.BookingCheckedIn) {
			continue
		}
		bySvc := out[b.Day]
		if bySvc == nil {
			bySvc = map[string]*[24]int{}
			out[b.Day] = bySvc
		}
		h := bySvc[b.Service]
		if h == nil {
			h = &[24]int{}
			bySvc[b.Service] = h
		}
		h[b.Slot.In(r.cfg().Office.Location).Hour()]++
	}
	return out, nil
}

// serviceTime is a service's mean time at the counter in seconds: as
// measured over the history, or as configured until enough is measured.
func (r *Reports) serviceTime(s *queue.Service, svcSum map[string]int64, svcN map[string]int) float64 {
	if n := svcN[s.ID]; n >= minServiceSamples {
		return float64(svcSum[s.ID]) / float64(n)
	}
	return s.ServiceTime.Seconds()
}

func (r *Reports) forecastDay(date time.Time, base map[time.Weekday]*baseline, svcSum map[string]int64, svcN map[string]int, booked map[string]map[string]*[24]int) ForecastDay {
	o := &r.cfg().Office
	day := date.Format(queue.DayLayout)
	noon := date.Add(12 * time.Hour)
	fd := ForecastDay{Date: day, Weekday: Weekdays[(int(date.Weekday())+6)%7]}
	if h, ok := r.cfg().Calendar.Holiday(day); ok {
		fd.Holiday, fd.HolidayEN = h.NameIT, h.NameEN
	}
	for _, p := range r.cfg().Calendar.PeaksOn(day) {
		fd.Peaks = append(fd.Peaks, p.Name)
	}
	b := base[date.Weekday()]
	open := false
	hours := map[int]*ForecastHour{}
	hour := func(h int) *ForecastHour {
		fh := hours[h]
		if fh == nil {
			fh = &ForecastHour{Hour: h}
			hours[h] = fh
		}
		return fh
	}
	for i := range o.Services {
		s := &o.Services[i]
		spans := o.Spans(s, noon)
		if len(spans) == 0 {
			continue
		}
		open = true
		factor, peaks := r.cfg().Calendar.Factor(s.ID, day)
		sd := ServiceDay{Service: s.ID, Factor: factor, Peaks: peaks}
		n := 0
		var hist *[24]float64
		if b != nil {
			n, hist = b.days[s.ID], b.sum[s.ID]
		}
		if n == 0 {
			fd.NoHistory = true
		}
		st := r.serviceTime(s, svcSum, svcN)
		for h := 0; h < 24; h++ {
			if openMinutes(spans, date, h) == 0 {
				continue
			}
			var arrivals float64
			if n > 0 && hist != nil {
				arrivals = hist[h] / float64(n) * factor
			}
			bk := 0
			if bh := booked[day][s.ID]; bh != nil {
				bk = bh[h]
			}
			load := (arrivals + float64(bk)) * st / 3600
			sh := ServiceHour{
				Service: s.ID, Arrivals: round1(arrivals), Booked: bk, Load: round2(load),
				ServiceTime: math.Round(st), Target: s.TargetWait.Seconds(),
				Needed:  CountersNeeded(load, st, s.TargetWait.Seconds(), r.cfg().Forecast.ServiceLevel),
				Planned: round2(r.planned(date, h, func(p queue.Planned) float64 { return serves(p, s.ID) })),
			}
			hour(h).Services = append(hour(h).Services, sh)
			sd.Arrivals += arrivals
			sd.Booked += bk
		}
		sd.Arrivals = round1(sd.Arrivals)
		fd.Arrivals += sd.Arrivals
		fd.Booked += sd.Booked
		fd.Services = append(fd.Services, sd)
	}
	fd.Arrivals = round1(fd.Arrivals)
	if !open {
		fd.Closed, fd.NoHistory = true, false
		return fd
	}
	for h := 0; h < 24; h++ {
		fh := hours[h]
		if fh == nil {
			continue
		}
		r.pool(date, fh)
		fd.Hours = append(fd.Hours, *fh)
		if fh.Needed > fd.Needed {
			fd.Needed = fh.Needed
		}
		fd.Planned = max(fd.Planned, fh.Planned)
		if fh.Short {
			fd.Short++
		}
	}
	return fd
}

// pool adds an hour's lanes: its services pooled, the counters needed
// within the strictest target, and the lane's planned counters.
func (r *Reports) pool(date time.Time, fh *ForecastHour) {
	o := &r.cfg().Office
	for _, lane := range []queue.Lane{queue.LaneStandard, queue.LaneFastTrack} {
		var arrivals, work float64 // work: citizens x seconds
		target := math.Inf(1)
		any := false
		for _, sh := range fh.Services {
			if o.Service(sh.Service).Lane != lane {
				continue
			}
			any = true
			n := sh.Arrivals + float64(sh.Booked)
			arrivals += n
			work += n * sh.ServiceTime
			if n > 0 {
				target = math.Min(target, sh.Target)
			}
		}
		if !any {
			continue
		}
		lh := LaneHour{Lane: lane, Arrivals: round1(arrivals), Load: round2(work / 3600)}
		if arrivals > 0 {
			lh.Needed = CountersNeeded(work/3600, work/arrivals, target, r.cfg().Forecast.ServiceLevel)
		}
		lh.Planned = round2(r.planned(date, fh.Hour, func(p queue.Planned) float64 {
			if k := r.laneOfPlan(p); k == lane {
				return 1
			}
			return 0
		}))
		lh.Short = !o.Staffing.Empty() && float64(lh.Needed) > lh.Planned+1e-9
		fh.Lanes = append(fh.Lanes, lh)
		fh.Needed += lh.Needed
		fh.Planned = round2(fh.Planned + lh.Planned)
		fh.Short = fh.Short || lh.Short
	}
}

// laneOfPlan is the lane of a planned stretch's services.
func (r *Reports) laneOfPlan(p queue.Planned) queue.Lane {
	for _, id := range p.Services {
		if s := r.cfg().Office.Service(id); s != nil {
			return s.Lane
		}
	}
	return queue.LaneStandard
}

func serves(p queue.Planned, service string) float64 {
	for _, id := range p.Services {
		if id == service {
			return 1
		}
	}
	return 0
}

// planned sums, over the counters planned on date, the share of hour h
// each stretch covers, weighted by weight (1 to count it, 0 not to).
func (r *Reports) planned(date time.Time, h int, weight func(queue.Planned) float64) float64 {
	o := &r.cfg().Office
	noon := date.Add(12 * time.Hour)
	from := time.Date(date.Year(), date.Month(), date.Day(), h, 0, 0, 0, o.Location)
	to := from.Add(time.Hour)
	var sum float64
	for _, k := range o.Counters {
		for _, p := range o.PlannedFor(k.ID, noon) {
			if w := weight(p); w > 0 {
				sum += w * overlap(p.Open, p.Close, from, to).Hours()
			}
		}
	}
	return sum
}

// openMinutes is how many minutes of hour h of date the spans cover.
func openMinutes(spans []queue.Span, date time.Time, h int) float64 {
	from := time.Date(date.Year(), date.Month(), date.Day(), h, 0, 0, 0, date.Location())
	to := from.Add(time.Hour)
	var m float64
	for _, sp := range spans {
		m += overlap(sp.Open, sp.Close, from, to).Minutes()
	}
	return m
}

func overlap(a0, a1, b0, b1 time.Time) time.Duration {
	start, end := a0, a1
	if b0.After(start) {
		start = b0
	}
	if b1.Before(end) {
		end = b1
	}
	if end.Before(start) {
		return 0
	}
	return end.Sub(start)
}

func dateAdd(day string, n int, loc *time.Location) string {
	t, err := time.ParseInLocation(queue.DayLayout, day, loc)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(queue.DayLayout)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round2(x float64) float64 { return math.Round(x*100) / 100 }
