package history

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"turno/server/config"
	"turno/server/queue"
)

// Groupings of a report's rows.
const (
	GroupDay     = "day"
	GroupWeek    = "week"    // ISO weeks, Monday to Sunday: 2026-W10
	GroupMonth   = "month"   // 2026-03
	GroupWeekday = "weekday" // mon ... sun, over the period
	GroupHour    = "hour"    // 08, 09 ... over the period
)

// MaxDays bounds a report's period: three years.
const MaxDays = 3*366 + 1

// Weekdays are the labels of GroupWeekday, Monday first.
var Weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// QueryError is a bad report request; Field names the parameter.
type QueryError struct {
	Field, Message string
}

func (e *QueryError) Error() string { return e.Field + ": " + e.Message }

// ErrPerClerkOff is a report by clerk while the office keeps none.
var ErrPerClerkOff = errors.New("reports by clerk are off (reports.per_clerk in the configuration): the workers' agreement decides")

// Query is a report's period and shape.
type Query struct {
	From, To string // YYYY-MM-DD, both included
	Group    string // day, week, month, weekday, hour
	By       string // service, counter, clerk or office ("none")
}

// Report is the office's indicators over a period.
type Report struct {
	Office    string    `json:"office"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Group     string    `json:"group"`
	By        string    `json:"by"`
	Generated time.Time `json:"generated_at"`
	// Days is how many days of the period have figures (something
	// happened: a ticket, a refusal, a contact); OpenDays how many
	// the office opened by its configuration; Pending how many closed days
	// of the period have no stored figures yet (just after an upgrade,
	// while they are folded from the log).
	Days     int  `json:"days"`
	OpenDays int  `json:"open_days"`
	Pending  int  `json:"pending_days,omitempty"`
	Today    bool `json:"includes_today,omitempty"`
	// Rows are per period, and per key unless By is office.
	Rows []Row `json:"rows"`
	// Keys are per key over the whole period (By not office).
	Keys []Row `json:"keys,omitempty"`
	// Total is the whole office over the whole period.
	Total Row `json:"total"`
}

// Row is the indicators of one period and key.
type Row struct {
	Period string `json:"period,omitempty"`
	Key    string `json:"key,omitempty"`
	Name   string `json:"name,omitempty"`
	NameEN string `json:"name_en,omitempty"`
	// Days is how many days with figures the row covers.
	Days int `json:"days"`
	Indicators
}

// Indicators are the figures of a row as people read them. Durations are
// seconds; a mean, a percentile or a share with nothing to measure is
// null.
type Indicators struct {
	Issued       int      `json:"issued"`
	Appointments int      `json:"appointment_tickets"`
	Priority     int      `json:"priority"`
	Served       int      `json:"served"`
	Resolved     int      `json:"resolved"`
	Forwarded    int      `json:"forwarded"`
	FilterPct    *float64 `json:"filter_pct"` // resolved at the desk, of those served
	NoShows      int      `json:"noshows"`
	Transferred  int      `json:"transferred"`
	Expired      int      `json:"expired"`
	Turnaways    int      `json:"turnaways"`
	// TurnawaysByRule has every rule: closed, locked, daily_cap,
	// cutoff_time, cutoff_load.
	TurnawaysByRule map[string]int `json:"turnaways_by_rule"`
	Contacts        int            `json:"contacts"`
	Booked          int            `json:"appointments_booked"`
	Kept            int            `json:"appointments_kept"`
	Late            int            `json:"appointments_late"`
	Missed          int            `json:"appointments_missed"`
	KeptPct         *float64       `json:"appointments_kept_pct"`
	Waits           int            `json:"waits"`
	WaitMean        *float64       `json:"wait_mean_s"`
	WaitMedian      *float64       `json:"wait_median_s"`
	WaitP90         *float64       `json:"wait_p90_s"`
	InTargetPct     *float64       `json:"within_target_pct"`
	Services        int            `json:"services"`
	ServiceMean     *float64       `json:"service_mean_s"`
	ServiceMedian   *float64       `json:"service_median_s"`
	Ratings         int            `json:"ratings"`
	RatingMean      *float64       `json:"rating_mean"`
	RatingsByScore  [5]int         `json:"ratings_by_score"`
	Promised        int            `json:"promised"`
	PromiseMAE      *float64       `json:"promise_mae_s"`
	PromiseBias     *float64       `json:"promise_bias_s"`
	PromiseLatePct  *float64       `json:"promise_late_pct"`
}

// Reports answers reports and forecasts from the stored days.
type Reports struct {
	current func() *config.Config
	store   Store
	now     func() time.Time
}

// NewReports returns the office's reports over store.
func NewReports(cfg *config.Config, store Store, now func() time.Time) *Reports {
	return NewLiveReports(func() *config.Config { return cfg }, store, now)
}

// NewLiveReports returns reports that follow the configuration in force,
// which current returns (the administration console changes it).
func NewLiveReports(current func() *config.Config, store Store, now func() time.Time) *Reports {
	if now == nil {
		now = time.Now
	}
	return &Reports{current: current, store: store, now: now}
}

func (r *Reports) cfg() *config.Config { return r.current() }

// FoldOptions are the office's: what its days may record.
func (r *Reports) FoldOptions() FoldOptions { return FoldOptions{PerClerk: r.cfg().ReportsPerClerk} }

// check validates q, filling its defaults (group day, by office).
func (r *Reports) check(q *Query) error {
	from, err := time.Parse(queue.DayLayout, q.From)
	if err != nil || len(q.From) != len(queue.DayLayout) {
		return &QueryError{"from", fmt.Sprintf("%q is not a date YYYY-MM-DD", q.From)}
	}
	to, err := time.Parse(queue.DayLayout, q.To)
	if err != nil || len(q.To) != len(queue.DayLayout) {
		return &QueryError{"to", fmt.Sprintf("%q is not a date YYYY-MM-DD", q.To)}
	}
	if to.Before(from) {
		return &QueryError{"to", fmt.Sprintf("%s is before from %s", q.To, q.From)}
	}
	if days := int(to.Sub(from).Hours()/24) + 1; days > MaxDays {
		return &QueryError{"to", fmt.Sprintf("the period has %d days; a report covers at most %d", days, MaxDays)}
	}
	switch q.Group {
	case "":
		q.Group = GroupDay
	case GroupDay, GroupWeek, GroupMonth, GroupWeekday, GroupHour:
	default:
		return &QueryError{"group", fmt.Sprintf("%q must be day, week, month, weekday or hour", q.Group)}
	}
	switch q.By {
	case "", "none", DimOffice:
		q.By = DimOffice
	case DimService, DimCounter:
	case DimClerk:
		if !r.cfg().ReportsPerClerk {
			return ErrPerClerkOff
		}
	default:
		return &QueryError{"by", fmt.Sprintf("%q must be service, counter, clerk or none", q.By)}
	}
	return nil
}

// acc adds up the cells of a row.
type acc struct {
	period, key string
	days        map[string]bool
	fig         Figures
	wait, svc   distAcc
}

func (a *acc) add(day string, f *Figures) {
	a.days[day] = true
	g := &a.fig
	g.Issued += f.Issued
	g.Appointment += f.Appointment
	g.Priority += f.Priority
	g.Served += f.Served
	g.Resolved += f.Resolved
	g.Forwarded += f.Forwarded
	g.NoShows += f.NoShows
	g.Transferred += f.Transferred
	g.Expired += f.Expired
	g.Turnaways = addInts(g.Turnaways, f.Turnaways, len(Rules))
	g.Contacts += f.Contacts
	g.Booked += f.Booked
	g.Kept += f.Kept
	g.Late += f.Late
	g.Missed += f.Missed
	g.Ratings = addInts(g.Ratings, f.Ratings, queue.MaxScore)
	g.InTarget += f.InTarget
	g.Promised += f.Promised
	g.PromiseErr += f.PromiseErr
	g.PromiseBias += f.PromiseBias
	g.PromiseLate += f.PromiseLate
	a.wait.merge(f.Wait)
	a.svc.merge(f.Service)
}

func addInts(into, from []int, n int) []int {
	if len(from) == 0 {
		return into
	}
	if into == nil {
		into = make([]int, n)
	}
	for i := range min(len(from), n) {
		into[i] += from[i]
	}
	return into
}

// Report computes the indicators of q's period: the stored days, and
// today's events when the period reaches the open day.
func (r *Reports) Report(ctx context.Context, q Query) (*Report, error) {
	reps, err := r.Reports(ctx, q)
	if err != nil {
		return nil, err
	}
	return reps[0], nil
}

// Reports computes several reports of the same period in one pass over
// its days (the PDF and the back office show the period several ways).
func (r *Reports) Reports(ctx context.Context, qs ...Query) ([]*Report, error) {
	if len(qs) == 0 {
		return nil, nil
	}
	bs := make([]*builder, len(qs))
	for i := range qs {
		if err := r.check(&qs[i]); err != nil {
			return nil, err
		}
		if qs[i].From != qs[0].From || qs[i].To != qs[0].To {
			return nil, &QueryError{"from", "reports computed together cover the same period"}
		}
		q := qs[i]
		bs[i] = &builder{q: q, rows: map[[2]string]*acc{}, keys: map[[2]string]*acc{}, total: &acc{days: map[string]bool{}},
			rep: &Report{Office: r.cfg().Office.Name, From: q.From, To: q.To, Group: q.Group, By: q.By, Generated: r.now().In(r.cfg().Office.Location)}}
	}
	from, to := qs[0].From, qs[0].To
	addDay := func(d *Day) {
		for _, b := range bs {
			b.addDay(d)
		}
	}
	stored := map[string]bool{}
	err := r.store.EachDayStats(from, to, func(day string, data []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var d Day
		if err := decode(data, &d); err != nil {
			return fmt.Errorf("history: figures of %s: %w", day, err)
		}
		stored[day] = true
		addDay(&d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	days, err := r.store.Days()
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	pending, today := 0, false
	for i, day := range days {
		if day < from || day > to || stored[day] {
			continue
		}
		if i < len(days)-1 {
			pending++ // closed, not yet folded by the keeper
			continue
		}
		events, err := r.store.DayEvents(day) // the open day: today's events
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		d := Fold(&r.cfg().Office, day, events, r.FoldOptions())
		today = true
		addDay(&d)
	}
	open := r.openDays(from, to)
	out := make([]*Report, len(bs))
	for i, b := range bs {
		rep := b.rep
		rep.Pending, rep.Today, rep.OpenDays = pending, today, open
		rep.Rows = r.rows(b.q, b.rows)
		if b.q.By != DimOffice {
			rep.Keys = r.rows(b.q, b.keys)
		}
		rep.Total = r.finish(b.total)
		out[i] = rep
	}
	return out, nil
}

// builder accumulates one report's rows.
type builder struct {
	q     Query
	rep   *Report
	rows  map[[2]string]*acc // period, key
	keys  map[[2]string]*acc // "", key: the whole period
	total *acc
}

func (b *builder) row(m map[[2]string]*acc, period, key string) *acc {
	a := m[[2]string{period, key}]
	if a == nil {
		a = &acc{period: period, key: key, days: map[string]bool{}}
		m[[2]string{period, key}] = a
	}
	return a
}

func (b *builder) addDay(d *Day) {
	if len(d.Cells) > 0 { // a day with a rollover and nothing else has no figures
		b.rep.Days++
	}
	q := b.q
	for i := range d.Cells {
		c := &d.Cells[i]
		if c.Hour < 0 {
			if c.Dim == DimOffice {
				b.total.add(d.Day, &c.Figures)
			}
			if c.Dim == q.By && q.By != DimOffice {
				b.row(b.keys, "", c.Key).add(d.Day, &c.Figures)
			}
		}
		if c.Dim != q.By || (c.Hour < 0) == (q.Group == GroupHour) {
			continue
		}
		b.row(b.rows, period(q.Group, d.Day, c.Hour), c.Key).add(d.Day, &c.Figures)
	}
}

// rows returns the accumulated rows in period order, then in the
// configuration's order of keys.
func (r *Reports) rows(q Query, m map[[2]string]*acc) []Row {
	list := make([]*acc, 0, len(m))
	for _, a := range m {
		list = append(list, a)
	}
	rank := r.keyRank(q.By)
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.period != b.period {
			return periodLess(q.Group, a.period, b.period)
		}
		ra, rb := rank(a.key), rank(b.key)
		if ra != rb {
			return ra < rb
		}
		return a.key < b.key
	})
	out := make([]Row, 0, len(list))
	for _, a := range list {
		row := r.finish(a)
		row.Period, row.Key = a.period, a.key
		row.Name, row.NameEN = r.names(q.By, a.key)
		out = append(out, row)
	}
	return out
}

// keyRank orders keys as the configuration lists them; unknown keys (a
// service removed since) come last.
func (r *Reports) keyRank(dim string) func(string) int {
	idx := map[string]int{}
	switch dim {
	case DimService:
		for i, s := range r.cfg().Office.Services {
			idx[s.ID] = i
		}
	case DimCounter:
		for i, k := range r.cfg().Office.Counters {
			idx[k.ID] = i
		}
	}
	return func(k string) int {
		if i, ok := idx[k]; ok {
			return i
		}
		return len(idx)
	}
}

// names returns a key's name in Italian and English.
func (r *Reports) names(dim, key string) (string, string) {
	switch dim {
	case DimService:
		if s := r.cfg().Office.Service(key); s != nil {
			return s.Name("it"), s.Name("en")
		}
	case DimCounter:
		if k := r.cfg().Office.Counter(key); k != nil {
			return k.Name, ""
		}
	case DimClerk:
		if u := r.cfg().User(key); u != nil {
			return u.FullName, ""
		}
	}
	return key, ""
}

// finish computes a row's indicators from its sums.
func (r *Reports) finish(a *acc) Row {
	f := &a.fig
	in := Indicators{
		Issued: f.Issued, Appointments: f.Appointment, Priority: f.Priority,
		Served: f.Served, Resolved: f.Resolved, Forwarded: f.Forwarded,
		NoShows: f.NoShows, Transferred: f.Transferred, Expired: f.Expired,
		Contacts: f.Contacts, Booked: f.Booked, Kept: f.Kept, Late: f.Late, Missed: f.Missed,
		TurnawaysByRule: map[string]int{},
		Waits:           a.wait.n, Services: a.svc.n, Promised: f.Promised,
	}
	for i, rule := range Rules {
		n := 0
		if i < len(f.Turnaways) {
			n = f.Turnaways[i]
		}
		in.TurnawaysByRule[rule] = n
		in.Turnaways += n
	}
	in.FilterPct = pct(f.Resolved, f.Resolved+f.Forwarded)
	in.KeptPct = pct(f.Kept, f.Booked)
	in.WaitMean, in.WaitMedian, in.WaitP90 = num(a.wait.mean()), num(a.wait.quantile(0.5)), num(a.wait.quantile(0.9))
	in.InTargetPct = pct(f.InTarget, a.wait.n)
	in.ServiceMean, in.ServiceMedian = num(a.svc.mean()), num(a.svc.quantile(0.5))
	sum := 0
	for i := range min(len(f.Ratings), queue.MaxScore) {
		in.RatingsByScore[i] = f.Ratings[i]
		in.Ratings += f.Ratings[i]
		sum += (i + 1) * f.Ratings[i]
	}
	if in.Ratings > 0 {
		in.RatingMean = round(float64(sum)/float64(in.Ratings), 100)
	}
	if f.Promised > 0 {
		in.PromiseMAE = num(float64(f.PromiseErr) / float64(f.Promised))
		in.PromiseBias = num(float64(f.PromiseBias) / float64(f.Promised))
	}
	in.PromiseLatePct = pct(f.PromiseLate, f.Promised)
	return Row{Days: len(a.days), Indicators: in}
}

// pct is part/whole as a percentage to one decimal, or nil for nothing.
func pct(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	return round(100*float64(part)/float64(whole), 10)
}

// num is a duration in seconds to one decimal, or nil for NaN.
func num(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return round(x, 10)
}

func round(x, by float64) *float64 {
	v := math.Round(x*by) / by
	return &v
}

// period returns the label of the period holding day (and hour).
func period(group, day string, hour int) string {
	switch group {
	case GroupWeek:
		t, _ := time.Parse(queue.DayLayout, day)
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case GroupMonth:
		return day[:7]
	case GroupWeekday:
		t, _ := time.Parse(queue.DayLayout, day)
		return Weekdays[(int(t.Weekday())+6)%7]
	case GroupHour:
		return fmt.Sprintf("%02d", hour)
	}
	return day
}

func periodLess(group, a, b string) bool {
	if group == GroupWeekday {
		return slices.Index(Weekdays, a) < slices.Index(Weekdays, b)
	}
	return a < b
}

// openDays counts the days from from to to on which any service opens.
func (r *Reports) openDays(from, to string) int {
	o := &r.cfg().Office
	start, _ := time.ParseInLocation(queue.DayLayout, from, o.Location)
	end, _ := time.ParseInLocation(queue.DayLayout, to, o.Location)
	n := 0
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		noon := d.Add(12 * time.Hour)
		for i := range o.Services {
			if len(o.Spans(&o.Services[i], noon)) > 0 {
				n++
				break
			}
		}
	}
	return n
}

// PeriodName is a period's label for people, in lang ("it" or "en").
func PeriodName(group, p, lang string) string {
	if group == GroupWeekday {
		names := map[string][2]string{"mon": {"lunedì", "Monday"}, "tue": {"martedì", "Tuesday"}, "wed": {"mercoledì", "Wednesday"},
			"thu": {"giovedì", "Thursday"}, "fri": {"venerdì", "Friday"}, "sat": {"sabato", "Saturday"}, "sun": {"domenica", "Sunday"}}
		if n, ok := names[p]; ok {
			if lang == "en" {
				return n[1]
			}
			return n[0]
		}
	}
	if group == GroupHour {
		return p + ":00"
	}
	if group == GroupDay {
		if t, err := time.Parse(queue.DayLayout, p); err == nil {
			return t.Format("02/01/2006")
		}
	}
	return strings.TrimSpace(p)
}
