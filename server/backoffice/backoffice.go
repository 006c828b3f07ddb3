// Package backoffice renders the back office's page of the server: the
// office's indicators over a period as tiles, bar charts (inline SVG, no
// script) and tables, the forecast of the coming weeks against the
// staffing plan, and the login form, in Italian or English. package web
// serves it; this package only turns figures into HTML.
package backoffice

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"strings"
	"time"

	"turno/server/history"
)

//go:embed page.html
var pageHTML string

var page = template.Must(template.New("page").Parse(pageHTML))

// Page is what the page shows.
type Page struct {
	Lang   string // "it" or "en"
	Office string
	// User is the logged-in user's name; empty shows the login form.
	User string
	// Error is a message for the user (a wrong password, a bad date).
	Error string
	// From and To are the period, YYYY-MM-DD.
	From, To string
	Overview *history.Overview
	Location *time.Location
	// Presets are named periods ending today, for one-click choices.
	Today string
}

// view is the page prepared for the template.
type view struct {
	Lang, Other, OtherName string
	Office, User, Error    string
	From, To               string
	Login                  bool
	Title                  string
	Period                 string
	Note                   string
	Tiles                  []tile
	Charts                 []template.HTML
	HourCharts             []template.HTML
	Tables                 []table
	Forecast               *forecastView
	Presets                []link
	CSV, CSVComma, PDF     string
	T                      map[string]string
}

type tile struct{ Label, Value, Sub, Class string }

type table struct {
	Title  string
	Header []string
	Rows   [][]string
}

type link struct{ Name, URL string }

type forecastView struct {
	Note     string
	Arrivals template.HTML
	Chart    template.HTML
	Hours    template.HTML
	Header   []string
	Rows     []forecastRow
}

type forecastRow struct {
	Cells []string
	Short bool
	Dim   bool
}

// texts are the page's own words beyond the indicators' labels.
var texts = map[string][2]string{
	"login":        {"Accesso al back office", "Back-office login"},
	"login_note":   {"Per il personale del back office e gli amministratori.", "For back-office staff and administrators."},
	"user":         {"Utente", "User"},
	"password":     {"Password", "Password"},
	"enter":        {"Entra", "Log in"},
	"logout":       {"Esci", "Log out"},
	"from":         {"Dal", "From"},
	"to":           {"Al", "To"},
	"show":         {"Mostra", "Show"},
	"download":     {"Scarica", "Download"},
	"csv":          {"CSV", "CSV"},
	"csv_it":       {"CSV (Excel italiano)", "CSV (Italian Excel)"},
	"pdf":          {"Rapporto PDF", "PDF report"},
	"last30":       {"Ultimi 30 giorni", "Last 30 days"},
	"month":        {"Questo mese", "This month"},
	"lastmonth":    {"Mese scorso", "Last month"},
	"year":         {"Quest'anno", "This year"},
	"lang":         {"English", "Italiano"},
	"contacts_sub": {"senza biglietto", "without a ticket"},
}

func (v *view) text(key string) string {
	if t, ok := texts[key]; ok {
		if v.Lang == "en" {
			return t[1]
		}
		return t[0]
	}
	return history.Label(key, v.Lang)
}

// Render writes the page.
func Render(w io.Writer, p Page) error {
	v := &view{Lang: p.Lang, Office: p.Office, User: p.User, Error: p.Error, From: p.From, To: p.To, Login: p.User == ""}
	if v.Lang != "en" {
		v.Lang = "it"
	}
	v.Other, v.OtherName = "en", texts["lang"][0]
	if v.Lang == "en" {
		v.Other, v.OtherName = "it", texts["lang"][1]
	}
	v.T = map[string]string{}
	for k := range texts {
		v.T[k] = v.text(k)
	}
	for _, k := range []string{"report", "period", "forecast"} {
		v.T[k] = v.text(k)
	}
	v.Title = v.text("report")
	if v.Login {
		v.Title = v.text("login")
	}
	if p.Overview != nil {
		v.fill(p)
	}
	return page.Execute(w, v)
}

func (v *view) query(extra url.Values) string {
	q := url.Values{"from": {v.From}, "to": {v.To}, "lang": {v.Lang}}
	for k, vs := range extra {
		q[k] = vs
	}
	return q.Encode()
}

func (v *view) fill(p Page) {
	ov := p.Overview
	r := ov.Trend
	v.Period = fmt.Sprintf("%s – %s", dmy(r.From), dmy(r.To))
	v.Note = fmt.Sprintf("%d %s · %d %s", r.Days, v.text("days_with_data"), r.OpenDays, v.text("open_days"))
	if r.Pending > 0 {
		v.Note += fmt.Sprintf(" · %d %s", r.Pending, v.text("pending"))
	}
	v.CSV = "/backoffice/report.csv?" + v.query(url.Values{"group": {r.Group}, "by": {"service"}})
	v.CSVComma = "/backoffice/report.csv?" + v.query(url.Values{"group": {r.Group}, "by": {"service"}, "decimal": {"comma"}})
	v.PDF = "/backoffice/report.pdf?" + v.query(nil)
	v.presets(p.Today)
	v.tiles(r.Total)
	v.charts(ov)
	v.tables(ov)
	if ov.Forecast != nil {
		v.forecast(ov.Forecast)
	}
}

func (v *view) presets(today string) {
	t, err := time.Parse("2006-01-02", today)
	if err != nil {
		return
	}
	d := func(x time.Time) string { return x.Format("2006-01-02") }
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	for _, pr := range []struct{ key, from, to string }{
		{"last30", d(t.AddDate(0, 0, -29)), d(t)},
		{"month", d(first), d(t)},
		{"lastmonth", d(first.AddDate(0, -1, 0)), d(first.AddDate(0, 0, -1))},
		{"year", d(time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)), d(t)},
	} {
		q := url.Values{"from": {pr.from}, "to": {pr.to}, "lang": {v.Lang}}
		v.Presets = append(v.Presets, link{v.text(pr.key), "/backoffice?" + q.Encode()})
	}
}

func dmy(day string) string {
	if t, err := time.Parse("2006-01-02", day); err == nil {
		return t.Format("02/01/2006")
	}
	return day
}

func (v *view) dec(s string) string {
	if v.Lang == "it" {
		return strings.ReplaceAll(s, ".", ",")
	}
	return s
}

func (v *view) min(sec *float64) string {
	if sec == nil {
		return "—"
	}
	return v.dec(fmt.Sprintf("%.1f", *sec/60))
}

func (v *view) pct(x *float64) string {
	if x == nil {
		return "—"
	}
	return v.dec(fmt.Sprintf("%.1f%%", *x))
}

func (v *view) rating(r history.Row) string {
	if r.RatingMean == nil {
		return "—"
	}
	return v.dec(fmt.Sprintf("%.2f", *r.RatingMean)) + fmt.Sprintf(" (%d)", r.Ratings)
}

func (v *view) tiles(t history.Row) {
	good := func(x *float64, at float64) string {
		if x == nil {
			return ""
		}
		if *x >= at {
			return "ok"
		}
		return "ko"
	}
	rating := "—"
	if t.RatingMean != nil {
		rating = v.dec(fmt.Sprintf("%.2f", *t.RatingMean)) + " / 5"
	}
	appt := "—"
	if t.Booked > 0 {
		appt = fmt.Sprintf("%d / %d", t.Kept, t.Booked)
	}
	v.Tiles = []tile{
		{v.text("issued"), fmt.Sprint(t.Issued), fmt.Sprintf("%s %d", strings.ToLower(v.text("served")), t.Served), ""},
		{v.text("filter"), v.pct(t.FilterPct), fmt.Sprintf("%d / %d %s", t.Resolved, t.Resolved+t.Forwarded, v.text("filter_sub")), ""},
		{v.text("wait_median"), v.min(t.WaitMedian) + " min", fmt.Sprintf("%s %s · 90° %s", v.text("wait_mean"), v.min(t.WaitMean), v.min(t.WaitP90)), ""},
		{v.text("within_target"), v.pct(t.InTargetPct), fmt.Sprintf("%d %s", t.Waits, strings.ToLower(v.text("wait"))), good(t.InTargetPct, 80)},
		{v.text("satisfaction"), rating, fmt.Sprintf("%d %s", t.Ratings, v.text("ratings")), good(t.RatingMean, 3.5)},
		{v.text("turnaways"), fmt.Sprint(t.Turnaways), fmt.Sprintf("%s %d", strings.ToLower(v.text("noshows")), t.NoShows), ""},
		{v.text("appointments"), appt, fmt.Sprintf("%s / %s · %d %s", v.text("kept"), v.text("booked"), t.Missed, v.text("missed")), ""},
		{v.text("promise"), v.min(t.PromiseMAE) + " min", fmt.Sprintf("%s · %s %s", v.text("promise_mae"), v.pct(t.PromiseLatePct), v.text("promise_late_short")), ""},
		{v.text("service_time"), v.min(t.ServiceMean) + " min", fmt.Sprintf("%s %s", v.text("median"), v.min(t.ServiceMedian)), ""},
		{v.text("contacts"), fmt.Sprint(t.Contacts), v.text("contacts_sub"), ""},
	}
}

func val(x *float64, scale float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x / scale
}

func (v *view) num(decimals int) func(float64) string {
	return func(x float64) string { return v.dec(fmt.Sprintf("%.*f", decimals, x)) }
}

func (v *view) periodLabel(group, period string) string {
	switch group {
	case history.GroupDay:
		if t, err := time.Parse("2006-01-02", period); err == nil {
			return t.Format("02/01")
		}
	case history.GroupWeek:
		if i := strings.Index(period, "-W"); i > 0 {
			return "W" + period[i+2:]
		}
	case history.GroupMonth:
		if t, err := time.Parse("2006-01", period); err == nil {
			return t.Format("01/06")
		}
	}
	return history.PeriodName(group, period, v.Lang)
}

func (v *view) charts(ov *history.Overview) {
	r := ov.Trend
	var labels []string
	var issued, served, median, p90, filter []float64
	for _, row := range r.Rows {
		labels = append(labels, v.periodLabel(r.Group, row.Period))
		issued = append(issued, float64(row.Issued))
		served = append(served, float64(row.Served))
		median = append(median, val(row.WaitMedian, 60))
		p90 = append(p90, val(row.WaitP90, 60))
		filter = append(filter, val(row.FilterPct, 1))
	}
	trend := " " + v.text("trend_"+r.Group)
	v.Charts = []template.HTML{
		BarChart(v.text("issued_served")+trend, labels, []Series{{v.text("issued"), issued, "c2"}, {v.text("served"), served, "c1"}}, 160, v.num(0)),
		BarChart(v.text("median_p90")+trend, labels, []Series{{v.text("wait_median"), median, "c1"}, {v.text("wait_p90"), p90, "c2"}}, 160, v.num(0)),
		BarChart(v.text("filter_trend")+trend, labels, []Series{{v.text("filter"), filter, "good"}}, 120, v.num(0)),
	}
	h := ov.Hours
	var hl []string
	var hi, hm []float64
	for _, row := range h.Rows {
		hl = append(hl, row.Period)
		hi = append(hi, float64(row.Issued))
		hm = append(hm, val(row.WaitMedian, 60))
	}
	t := r.Total
	scores := make([]float64, 5)
	for i, n := range t.RatingsByScore {
		scores[i] = float64(n)
	}
	rules := make([]float64, len(history.Rules))
	var rl []string
	for i, rule := range history.Rules {
		rules[i] = float64(t.TurnawaysByRule[rule])
		rl = append(rl, v.text("rule_"+rule))
	}
	v.HourCharts = []template.HTML{
		BarChart(v.text("per_hour")+": "+strings.ToLower(v.text("issued")), hl, []Series{{v.text("issued"), hi, "c1"}}, 120, v.num(0)),
		BarChart(v.text("per_hour")+": "+strings.ToLower(v.text("wait_median"))+" (min)", hl, []Series{{v.text("wait_median"), hm, "c1"}}, 120, v.num(0)),
		BarChart(v.text("ratings_dist"), []string{"1 ☹", "2", "3", "4", "5 ☺"}, []Series{{v.text("ratings"), scores, "c1"}}, 120, v.num(0)),
		BarChart(v.text("turnaways_by_rule"), rl, []Series{{v.text("turnaways"), rules, "bad"}}, 120, v.num(0)),
	}
}

func (v *view) tables(ov *history.Overview) {
	svc := table{Title: v.text("per_service"), Header: []string{v.text("service"), v.text("issued"), v.text("served"), v.text("filter"),
		v.text("wait_median"), v.text("wait_p90"), v.text("within_target"), v.text("service_time"), v.text("noshows"), v.text("turnaways"), v.text("satisfaction")}}
	for _, r := range ov.Services.Keys {
		svc.Rows = append(svc.Rows, []string{r.Name, fmt.Sprint(r.Issued), fmt.Sprint(r.Served), v.pct(r.FilterPct), v.min(r.WaitMedian),
			v.min(r.WaitP90), v.pct(r.InTargetPct), v.min(r.ServiceMean), fmt.Sprint(r.NoShows), fmt.Sprint(r.Turnaways), v.rating(r)})
	}
	v.Tables = append(v.Tables, svc)
	keyed := func(title, first string, rep *history.Report) table {
		tb := table{Title: title, Header: []string{first, v.text("served"), v.text("filter"), v.text("wait_median"), v.text("service_time"),
			v.text("noshows"), v.text("transferred"), v.text("satisfaction")}}
		for _, r := range rep.Keys {
			tb.Rows = append(tb.Rows, []string{r.Name, fmt.Sprint(r.Served), v.pct(r.FilterPct), v.min(r.WaitMedian), v.min(r.ServiceMean),
				fmt.Sprint(r.NoShows), fmt.Sprint(r.Transferred), v.rating(r)})
		}
		return tb
	}
	v.Tables = append(v.Tables, keyed(v.text("per_counter"), v.text("counter"), ov.Counters))
	if ov.Clerks != nil {
		v.Tables = append(v.Tables, keyed(v.text("per_clerk"), v.text("clerk"), ov.Clerks))
	}
}

func (v *view) forecast(fc *history.Forecast) {
	f := &forecastView{Note: fmt.Sprintf(v.text("forecast_note"), fc.Weeks, 100*fc.ServiceLevel)}
	if !fc.Plan {
		f.Note += " " + v.text("no_plan") + "."
	}
	var labels []string
	var arrivals, needed, planned []float64
	for _, d := range fc.Days {
		labels = append(labels, dmy(d.Date)[:5])
		arrivals = append(arrivals, d.Arrivals+float64(d.Booked))
		needed = append(needed, float64(d.Needed))
		planned = append(planned, d.Planned)
		note := strings.Join(d.Peaks, ", ")
		switch {
		case d.Closed && d.Holiday != "":
			h := d.Holiday
			if v.Lang == "en" && d.HolidayEN != "" {
				h = d.HolidayEN
			}
			note = v.text("closed") + ": " + h
		case d.Closed:
			note = v.text("closed")
		case d.NoHistory:
			note = strings.TrimPrefix(note+", "+v.text("no_history"), ", ")
		}
		short := "—"
		if fc.Plan && !d.Closed {
			short = fmt.Sprint(d.Short)
		}
		day := history.PeriodName(history.GroupWeekday, d.Weekday, v.Lang)
		f.Rows = append(f.Rows, forecastRow{Cells: []string{day + " " + dmy(d.Date), v.dec(fmt.Sprintf("%.0f", d.Arrivals)), fmt.Sprint(d.Booked),
			fmt.Sprint(d.Needed), v.dec(fmt.Sprintf("%.1f", d.Planned)), short, note}, Short: d.Short > 0, Dim: d.Closed})
	}
	f.Header = []string{v.text("date"), v.text("arrivals_short"), v.text("booked_short"), v.text("needed_short"), v.text("planned_short"), v.text("short_hours"), ""}
	f.Chart = BarChart(v.text("needed")+" / "+v.text("planned"), labels,
		[]Series{{v.text("needed"), needed, "bad"}, {v.text("planned"), planned, "c2"}}, 120, v.num(0))
	f.Arrivals = BarChart(v.text("arrivals"), labels, []Series{{v.text("arrivals"), arrivals, "c1"}}, 120, v.num(0))
	for _, d := range fc.Days {
		if d.Closed || len(d.Hours) == 0 {
			continue
		}
		var hl []string
		var nd, pl []float64
		for _, h := range d.Hours {
			hl = append(hl, fmt.Sprintf("%02d", h.Hour))
			nd = append(nd, float64(h.Needed))
			pl = append(pl, h.Planned)
		}
		when := v.text("tomorrow")
		if d.Date != fc.From {
			when = v.text("next_open")
		}
		f.Hours = BarChart(fmt.Sprintf("%s, %s: %s / %s", when, dmy(d.Date), strings.ToLower(v.text("needed")), strings.ToLower(v.text("planned"))), hl,
			[]Series{{v.text("needed"), nd, "bad"}, {v.text("planned"), pl, "c2"}}, 120, v.num(0))
		break
	}
	v.Forecast = f
}
