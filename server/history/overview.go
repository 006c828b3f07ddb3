package history

import (
	"context"
	"time"

	"turno/server/queue"
)

// Overview is a period as the PDF report and the back office show it.
type Overview struct {
	// Trend is the whole office by day, week or month (TrendGroup).
	Trend *Report
	// Hours is the whole office by hour of day.
	Hours *Report
	// Services and Counters hold, in Keys, each service's and counter's
	// figures over the period; Clerks too when the office keeps them.
	Services *Report
	Counters *Report
	Clerks   *Report
	// Forecast is the coming days from tomorrow; nil when not asked.
	Forecast *Forecast
}

// TrendGroup is the grouping a chart of the period reads best in: days up
// to two months, weeks up to a year and a bit, months beyond.
func TrendGroup(from, to string) string {
	a, err1 := time.Parse(queue.DayLayout, from)
	b, err2 := time.Parse(queue.DayLayout, to)
	if err1 != nil || err2 != nil {
		return GroupDay
	}
	switch days := b.Sub(a).Hours() / 24; {
	case days < 62:
		return GroupDay
	case days < 400:
		return GroupWeek
	}
	return GroupMonth
}

// Overview computes the period's reports in one pass, and the forecast of
// forecastDays from tomorrow (none when 0).
func (r *Reports) Overview(ctx context.Context, from, to string, forecastDays int) (*Overview, error) {
	trend := TrendGroup(from, to)
	qs := []Query{
		{From: from, To: to, Group: trend, By: DimOffice},
		{From: from, To: to, Group: GroupHour, By: DimOffice},
		{From: from, To: to, Group: trend, By: DimService},
		{From: from, To: to, Group: trend, By: DimCounter},
	}
	if r.cfg().ReportsPerClerk {
		qs = append(qs, Query{From: from, To: to, Group: trend, By: DimClerk})
	}
	reps, err := r.Reports(ctx, qs...)
	if err != nil {
		return nil, err
	}
	ov := &Overview{Trend: reps[0], Hours: reps[1], Services: reps[2], Counters: reps[3]}
	if len(reps) > 4 {
		ov.Clerks = reps[4]
	}
	if forecastDays > 0 {
		if ov.Forecast, err = r.Forecast(ctx, "", forecastDays); err != nil {
			return nil, err
		}
	}
	return ov, nil
}
