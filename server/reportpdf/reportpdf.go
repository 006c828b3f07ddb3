// Package reportpdf prints the office's indicators over a period as an A4
// PDF: the headline figures, a chart per indicator (bars drawn with fpdf's
// own lines and rectangles, no chart library), the tables per service and
// per counter, and the forecast of the coming weeks against the staffing
// plan. The output depends only on the data given.
package reportpdf

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode"

	"codeberg.org/go-pdf/fpdf"

	"turno/server/history"
)

// Page geometry, millimetres.
const (
	pageW    = 210.0
	pageH    = 297.0
	margin   = 15.0
	contentW = pageW - 2*margin
	font     = "Helvetica"
)

// Colours: a blue for the main series, a grey-blue for the second, red for
// what falls short. They print legibly in greyscale too.
var (
	blue  = [3]int{37, 99, 235}
	slate = [3]int{148, 163, 184}
	red   = [3]int{220, 38, 38}
	green = [3]int{22, 163, 74}
	ink   = [3]int{17, 24, 39}
	muted = [3]int{100, 116, 139}
	tile  = [3]int{241, 245, 249}
	grid  = [3]int{226, 232, 240}
)

// Data is what the report prints.
type Data struct {
	Overview *history.Overview
	Lang     string         // "it" (default) or "en"
	Location *time.Location // the office's zone, for the generation time
}

type doc struct {
	pdf  *fpdf.Fpdf
	tr   func(string) string
	lang string
}

// Write writes the report as a PDF to w.
func Write(w io.Writer, d Data) error {
	ov := d.Overview
	if ov == nil || ov.Trend == nil {
		return fmt.Errorf("reportpdf: no figures")
	}
	lang := d.Lang
	if lang != "en" {
		lang = "it"
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	created := ov.Trend.Generated
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.SetCreator("Turno", false)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+5)
	pdf.AliasNbPages("{nb}")
	p := &doc{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor(""), lang: lang}
	title := history.Label("report", lang) + " — " + ov.Trend.Office
	pdf.SetTitle(title, true)
	pdf.SetAuthor(ov.Trend.Office, true)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		p.font("", 8, muted)
		pdf.CellFormat(contentW/2, 5, p.enc(ov.Trend.Office), "", 0, "L", false, 0, "")
		pdf.CellFormat(contentW/2, 5, p.enc(fmt.Sprintf("%s %d %s {nb}", p.l("page"), pdf.PageNo(), p.l("of"))), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	p.header(ov, created.In(loc))
	p.headline(ov)
	p.trendCharts(ov)
	p.hourCharts(ov)
	p.tables(ov)
	if ov.Forecast != nil {
		p.forecast(ov.Forecast)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("reportpdf: %w", err)
	}
	return nil
}

func (p *doc) l(key string) string { return history.Label(key, p.lang) }

// enc turns UTF-8 into the core fonts' cp1252, with a near equivalent or
// '?' for what it lacks (fpdf's translator would print '.').
func (p *doc) enc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		case r < 0x80:
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
		case r == '≤':
			b.WriteString("<=")
		case r == '≥':
			b.WriteString(">=")
		case r == '→':
			b.WriteString("->")
		default:
			if c := p.tr(string(r)); c != "." {
				b.WriteString(c)
			} else {
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}

func (p *doc) font(style string, size float64, c [3]int) {
	p.pdf.SetFont(font, style, size)
	p.pdf.SetTextColor(c[0], c[1], c[2])
}

func (p *doc) fill(c [3]int) { p.pdf.SetFillColor(c[0], c[1], c[2]) }
func (p *doc) draw(c [3]int) { p.pdf.SetDrawColor(c[0], c[1], c[2]) }

// text writes a line across the content width.
func (p *doc) text(style string, size float64, c [3]int, s string) {
	p.font(style, size, c)
	p.pdf.SetX(margin)
	p.pdf.MultiCell(contentW, size*0.45, p.enc(s), "", "L", false)
}

// need starts a new page unless h millimetres fit below.
func (p *doc) need(h float64) {
	if p.pdf.GetY()+h > pageH-margin-8 {
		p.pdf.AddPage()
	}
}

func (p *doc) section(title string) {
	p.need(20)
	p.pdf.Ln(3)
	p.text("B", 13, ink, title)
	y := p.pdf.GetY() + 0.5
	p.draw(grid)
	p.pdf.SetLineWidth(0.3)
	p.pdf.Line(margin, y, pageW-margin, y)
	p.pdf.Ln(2.5)
}

func (p *doc) header(ov *history.Overview, generated time.Time) {
	r := ov.Trend
	p.text("B", 18, ink, ov.Trend.Office)
	p.pdf.Ln(1)
	p.text("", 12, ink, fmt.Sprintf("%s · %s %s – %s", p.l("report"), p.l("period"), dmy(r.From), dmy(r.To)))
	note := fmt.Sprintf("%d %s, %d %s · %s %s", r.Days, p.l("days_with_data"), r.OpenDays, p.l("open_days"), p.l("generated"), generated.Format("02/01/2006 15:04"))
	if r.Pending > 0 {
		note += fmt.Sprintf(" · %d %s", r.Pending, p.l("pending"))
	}
	p.text("", 9, muted, note)
	p.pdf.Ln(3)
}

func dmy(day string) string {
	if t, err := time.Parse("2006-01-02", day); err == nil {
		return t.Format("02/01/2006")
	}
	return day
}

// minutes formats seconds as minutes with one decimal; "—" for none.
func minutes(sec *float64) string {
	if sec == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f", *sec/60)
}

func percent(x *float64) string {
	if x == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *x)
}

func (p *doc) decimal(s string) string {
	if p.lang == "it" {
		return strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// headline prints the period's key figures as tiles, four a row.
func (p *doc) headline(ov *history.Overview) {
	t := ov.Trend.Total
	rating := "—"
	if t.RatingMean != nil {
		rating = fmt.Sprintf("%.2f / 5", *t.RatingMean)
	}
	appt := "—"
	if t.Booked > 0 {
		appt = fmt.Sprintf("%d / %d", t.Kept, t.Booked)
	}
	tiles := []struct{ label, value, sub string }{
		{p.l("issued"), fmt.Sprint(t.Issued), fmt.Sprintf("%s %d", strings.ToLower(p.l("served")), t.Served)},
		{p.l("filter"), percent(t.FilterPct), fmt.Sprintf("%d / %d %s", t.Resolved, t.Resolved+t.Forwarded, p.l("filter_sub"))},
		{p.l("wait_median"), minutes(t.WaitMedian) + " min", fmt.Sprintf("%s %s · 90° %s", p.l("wait_mean"), minutes(t.WaitMean), minutes(t.WaitP90))},
		{p.l("within_target"), percent(t.InTargetPct), fmt.Sprintf("%d %s", t.Waits, strings.ToLower(p.l("wait")))},
		{p.l("satisfaction"), rating, fmt.Sprintf("%d %s", t.Ratings, p.l("ratings"))},
		{p.l("turnaways"), fmt.Sprint(t.Turnaways), fmt.Sprintf("%s %d", strings.ToLower(p.l("noshows")), t.NoShows)},
		{p.l("appointments"), appt, fmt.Sprintf("%s / %s · %d %s", p.l("kept"), p.l("booked"), t.Missed, p.l("missed"))},
		{p.l("promise"), minutes(t.PromiseMAE) + " min", fmt.Sprintf("%s · %s %s", p.l("promise_mae"), percent(t.PromiseLatePct), p.l("promise_late_short"))},
		{p.l("service_time"), minutes(t.ServiceMean) + " min", fmt.Sprintf("%s %s", p.l("median"), minutes(t.ServiceMedian))},
		{p.l("contacts"), fmt.Sprint(t.Contacts), ""},
		{p.l("transferred"), fmt.Sprint(t.Transferred), ""},
		{p.l("expired"), fmt.Sprint(t.Expired), ""},
	}
	const cols, gap, h = 4, 3.0, 22.0
	w := (contentW - gap*(cols-1)) / cols
	y := p.pdf.GetY()
	for i, tl := range tiles {
		x := margin + float64(i%cols)*(w+gap)
		if i > 0 && i%cols == 0 {
			y += h + gap
		}
		p.fill(tile)
		p.pdf.RoundedRect(x, y, w, h, 2, "1234", "F")
		p.font("", 7.5, muted)
		p.pdf.SetXY(x+2.5, y+2.5)
		p.pdf.CellFormat(w-5, 3.5, p.enc(tl.label), "", 0, "L", false, 0, "")
		p.font("B", 15, ink)
		p.pdf.SetXY(x+2.5, y+7.5)
		p.pdf.CellFormat(w-5, 7, p.enc(p.decimal(tl.value)), "", 0, "L", false, 0, "")
		p.font("", 6.5, muted)
		p.pdf.SetXY(x+2.5, y+15.5)
		p.pdf.CellFormat(w-5, 3.5, p.enc(p.decimal(tl.sub)), "", 0, "L", false, 0, "")
	}
	p.pdf.SetY(y + h + 4)
}

// series is one set of bars.
type series struct {
	name   string
	values []float64 // NaN: no value
	color  [3]int
}

// chart draws grouped bars of one or more series over labels, with a
// value axis of round steps, a legend, and labels thinned to fit.
func (p *doc) chart(title string, labels []string, ss []series, h float64, format func(float64) string) {
	p.need(h + 16)
	p.text("B", 10, ink, title)
	top := p.pdf.GetY() + 1
	if len(ss) > 1 { // legend
		x := margin
		p.font("", 7, muted)
		for _, s := range ss {
			p.fill(s.color)
			p.pdf.Rect(x, top+0.6, 3, 2.4, "F")
			p.pdf.SetXY(x+4, top)
			w := p.pdf.GetStringWidth(p.enc(s.name)) + 2
			p.pdf.CellFormat(w, 3.6, p.enc(s.name), "", 0, "L", false, 0, "")
			x += w + 8
		}
		top += 4.5
	}
	left, bottom := margin+12.0, top+h
	width := pageW - margin - left
	maxV := 0.0
	for _, s := range ss {
		for _, v := range s.values {
			if !math.IsNaN(v) {
				maxV = math.Max(maxV, v)
			}
		}
	}
	step := niceStep(maxV / 4)
	top2 := step * math.Ceil(maxV/step)
	if top2 == 0 {
		top2 = step
	}
	// Grid and axis.
	p.pdf.SetLineWidth(0.2)
	for v := 0.0; v <= top2+step/2; v += step {
		y := bottom - v/top2*h
		p.draw(grid)
		p.pdf.Line(left, y, left+width, y)
		p.font("", 6.5, muted)
		p.pdf.SetXY(margin, y-1.6)
		p.pdf.CellFormat(10.5, 3.2, p.enc(p.decimal(format(v))), "", 0, "R", false, 0, "")
	}
	n := len(labels)
	if n == 0 {
		p.font("I", 8, muted)
		p.pdf.SetXY(left, top+h/2-2)
		p.pdf.CellFormat(width, 4, p.enc(p.l("none")), "", 0, "C", false, 0, "")
		p.pdf.SetY(bottom + 6)
		return
	}
	slot := width / float64(n)
	barW := slot * 0.8 / float64(len(ss))
	for i := range labels {
		for j, s := range ss {
			v := s.values[i]
			if math.IsNaN(v) || v <= 0 {
				continue
			}
			bh := v / top2 * h
			p.fill(s.color)
			p.pdf.Rect(left+float64(i)*slot+slot*0.1+float64(j)*barW, bottom-bh, barW, bh, "F")
		}
	}
	p.draw(muted)
	p.pdf.Line(left, bottom, left+width, bottom)
	// Labels: as many as fit without touching.
	p.font("", 6.5, muted)
	widest := 0.0
	for _, lb := range labels {
		widest = math.Max(widest, p.pdf.GetStringWidth(p.enc(lb)))
	}
	every := int(math.Ceil((widest + 1.5) / slot))
	every = max(every, 1)
	for i, lb := range labels {
		if i%every != 0 {
			continue
		}
		p.pdf.SetXY(left+float64(i)*slot+slot/2-15, bottom+0.8)
		p.pdf.CellFormat(30, 3.2, p.enc(lb), "", 0, "C", false, 0, "")
	}
	p.pdf.SetY(bottom + 6)
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*e >= x {
			return m * e
		}
	}
	return 10 * e
}

func val(x *float64, scale float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x / scale
}

func whole(v float64) string { return fmt.Sprintf("%.0f", v) }
func one(v float64) string {
	if v == math.Trunc(v) {
		return whole(v)
	}
	return fmt.Sprintf("%.1f", v)
}

// periodLabel is a period's label on a chart's axis.
func (p *doc) periodLabel(group, period string) string {
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
			return monthName(t.Month(), p.lang) + " " + t.Format("06")
		}
	}
	return history.PeriodName(group, period, p.lang)
}

func monthName(m time.Month, lang string) string {
	it := []string{"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"}
	if lang == "en" {
		return m.String()[:3]
	}
	return it[m-1]
}

func (p *doc) trendCharts(ov *history.Overview) {
	r := ov.Trend
	var labels []string
	issued, served, median, p90, filter := []float64{}, []float64{}, []float64{}, []float64{}, []float64{}
	for _, row := range r.Rows {
		labels = append(labels, p.periodLabel(r.Group, row.Period))
		issued = append(issued, float64(row.Issued))
		served = append(served, float64(row.Served))
		median = append(median, val(row.WaitMedian, 60))
		p90 = append(p90, val(row.WaitP90, 60))
		filter = append(filter, val(row.FilterPct, 1))
	}
	p.section(fmt.Sprintf("%s %s", p.l("issued_served"), p.l("trend_"+r.Group)))
	p.chart("", labels, []series{{p.l("issued"), issued, slate}, {p.l("served"), served, blue}}, 38, whole)
	p.chart(p.l("median_p90"), labels, []series{{p.l("wait_median"), median, blue}, {p.l("wait_p90"), p90, slate}}, 34, one)
	p.chart(p.l("filter_trend"), labels, []series{{p.l("filter"), filter, green}}, 28, whole)
}

func (p *doc) hourCharts(ov *history.Overview) {
	r := ov.Hours
	var labels []string
	issued, median := []float64{}, []float64{}
	for _, row := range r.Rows {
		labels = append(labels, row.Period)
		issued = append(issued, float64(row.Issued))
		median = append(median, val(row.WaitMedian, 60))
	}
	p.section(p.l("per_hour"))
	p.chart(p.l("issued"), labels, []series{{p.l("issued"), issued, blue}}, 30, whole)
	p.chart(p.l("wait_median")+" (min)", labels, []series{{p.l("wait_median"), median, blue}}, 30, one)
	t := ov.Trend.Total
	scores := make([]float64, 5)
	for i, n := range t.RatingsByScore {
		scores[i] = float64(n)
	}
	p.chart(p.l("ratings_dist"), []string{"1 :-(", "2", "3", "4", "5 :-)"}, []series{{p.l("ratings"), scores, blue}}, 28, whole)
	rules := make([]float64, len(history.Rules))
	var ruleLabels []string
	for i, rule := range history.Rules {
		rules[i] = float64(t.TurnawaysByRule[rule])
		ruleLabels = append(ruleLabels, p.l("rule_"+rule))
	}
	p.chart(p.l("turnaways_by_rule"), ruleLabels, []series{{p.l("turnaways"), rules, red}}, 28, whole)
}

// table prints a header and rows, the first column left-aligned.
func (p *doc) table(header []string, widths []float64, rows [][]string) {
	p.need(7 + 5.2*math.Min(float64(len(rows)), 6))
	p.font("B", 7.5, ink)
	p.fill(tile)
	p.pdf.SetX(margin)
	for i, h := range header {
		align := "R"
		if i == 0 {
			align = "L"
		}
		p.pdf.CellFormat(widths[i], 6, p.enc(h), "", 0, align, true, 0, "")
	}
	p.pdf.Ln(6)
	p.font("", 7.5, ink)
	p.draw(grid)
	for _, row := range rows {
		p.need(5.2)
		p.pdf.SetX(margin)
		for i, c := range row {
			align := "R"
			if i == 0 {
				align = "L"
				c = fitText(p.pdf, p.enc(c), widths[i]-1)
			} else {
				c = p.enc(p.decimal(c))
			}
			p.pdf.CellFormat(widths[i], 5.2, c, "B", 0, align, false, 0, "")
		}
		p.pdf.Ln(5.2)
	}
	p.pdf.Ln(2)
}

// fitText shortens s with "..." to fit w millimetres at the current font.
func fitText(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	for len(s) > 1 && pdf.GetStringWidth(s+"...") > w {
		s = s[:len(s)-1]
	}
	return s + "..."
}

func rating(r history.Row) string {
	if r.RatingMean == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f (%d)", *r.RatingMean, r.Ratings)
}

func (p *doc) tables(ov *history.Overview) {
	p.section(p.l("per_service"))
	header := []string{p.l("service"), p.l("issued"), p.l("served"), p.l("filter"), p.l("wait_median"), p.l("wait_p90"),
		p.l("within_target"), p.l("service_time"), p.l("noshows"), p.l("turnaways"), p.l("satisfaction")}
	header = shortHeader(header, p.lang)
	widths := []float64{34, 13, 13, 15, 15, 15, 15, 15, 14, 15, 16}
	var rows [][]string
	for _, r := range ov.Services.Keys {
		rows = append(rows, []string{r.Name, fmt.Sprint(r.Issued), fmt.Sprint(r.Served), percent(r.FilterPct), minutes(r.WaitMedian), minutes(r.WaitP90),
			percent(r.InTargetPct), minutes(r.ServiceMean), fmt.Sprint(r.NoShows), fmt.Sprint(r.Turnaways), rating(r)})
	}
	p.table(header, widths, rows)
	p.keysTable(p.l("per_counter"), p.l("counter"), ov.Counters)
	if ov.Clerks != nil {
		p.keysTable(p.l("per_clerk"), p.l("clerk"), ov.Clerks)
	}
}

func (p *doc) keysTable(title, first string, rep *history.Report) {
	p.section(title)
	header := shortHeader([]string{first, p.l("served"), p.l("filter"), p.l("wait_median"), p.l("service_time"), p.l("noshows"), p.l("transferred"), p.l("satisfaction")}, p.lang)
	widths := []float64{46, 18, 18, 20, 20, 18, 18, 22}
	var rows [][]string
	for _, r := range rep.Keys {
		rows = append(rows, []string{r.Name, fmt.Sprint(r.Served), percent(r.FilterPct), minutes(r.WaitMedian), minutes(r.ServiceMean),
			fmt.Sprint(r.NoShows), fmt.Sprint(r.Transferred), rating(r)})
	}
	p.table(header, widths, rows)
}

// shortHeader abbreviates the table headers that would not fit.
func shortHeader(h []string, lang string) []string {
	short := map[string][2]string{
		"Biglietti emessi": {"Emessi", ""}, "Tickets issued": {"", "Issued"},
		"Filtro dello sportello": {"Filtro", ""}, "The desk as a filter": {"", "Filter"},
		"Attesa mediana": {"Att. med.", ""}, "Median wait": {"", "Median"},
		"Attesa, 90° percentile": {"Att. 90°", ""}, "Wait, 90th percentile": {"", "90th pct"},
		"Entro l'attesa obiettivo": {"In obiett.", ""}, "Within the target wait": {"", "In target"},
		"Tempo allo sportello": {"Servizio", ""}, "Time at the counter": {"", "Service"},
		"Assenti alla chiamata": {"Assenti", ""}, "No-shows": {"", "No-shows"},
		"Biglietti rifiutati": {"Rifiutati", ""}, "Turned away": {"", "Turned away"},
		"Soddisfazione": {"Soddisf.", ""}, "Satisfaction": {"", "Rating"},
		"Trasferiti": {"Trasfer.", ""}, "Transferred": {"", "Transf."},
		"Serviti": {"Serviti", ""}, "Served": {"", "Served"},
	}
	out := make([]string, len(h))
	for i, s := range h {
		out[i] = s
		if v, ok := short[s]; ok {
			if lang == "en" && v[1] != "" {
				out[i] = v[1]
			} else if lang != "en" && v[0] != "" {
				out[i] = v[0]
			}
		}
	}
	return out
}

func (p *doc) forecast(fc *history.Forecast) {
	p.pdf.AddPage()
	p.section(fmt.Sprintf("%s: %s", p.l("forecast"), p.l("forecast_days")))
	p.text("", 8, muted, fmt.Sprintf(p.l("forecast_note"), fc.Weeks, 100*fc.ServiceLevel))
	p.pdf.Ln(2)
	var labels []string
	arrivals, needed, planned := []float64{}, []float64{}, []float64{}
	var rows [][]string
	for _, d := range fc.Days {
		labels = append(labels, dmy(d.Date)[:5])
		arrivals = append(arrivals, d.Arrivals+float64(d.Booked))
		needed = append(needed, float64(d.Needed))
		planned = append(planned, d.Planned)
		note := strings.Join(d.Peaks, ", ")
		switch {
		case d.Closed && d.Holiday != "":
			note = p.l("closed") + ": " + d.Holiday
			if p.lang == "en" && d.HolidayEN != "" {
				note = p.l("closed") + ": " + d.HolidayEN
			}
		case d.Closed:
			note = p.l("closed")
		case d.NoHistory:
			note = strings.TrimPrefix(note+", "+p.l("no_history"), ", ")
		}
		short := "—"
		if fc.Plan && !d.Closed {
			short = fmt.Sprint(d.Short)
		}
		rows = append(rows, []string{history.PeriodName(history.GroupWeekday, d.Weekday, p.lang)[:3] + " " + dmy(d.Date),
			fmt.Sprintf("%.0f", d.Arrivals), fmt.Sprint(d.Booked), fmt.Sprint(d.Needed), one(d.Planned), short, note})
	}
	p.chart(p.l("arrivals"), labels, []series{{p.l("arrivals"), arrivals, blue}}, 30, whole)
	p.chart(p.l("needed")+" / "+p.l("planned"), labels, []series{{p.l("needed"), needed, red}, {p.l("planned"), planned, slate}}, 28, whole)
	header := []string{p.l("date"), p.l("arrivals_short"), p.l("booked_short"), p.l("needed_short"), p.l("planned_short"), p.l("short_hours"), ""}
	p.wideTable(header, []float64{30, 22, 18, 24, 24, 18, 44}, rows)
	if !fc.Plan {
		p.text("I", 8, muted, p.l("no_plan"))
	}
	// Tomorrow, hour by hour.
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
		when := p.l("tomorrow")
		if d.Date != fc.From {
			when = p.l("next_open")
		}
		p.chart(fmt.Sprintf("%s, %s: %s / %s", when, dmy(d.Date), p.l("needed"), p.l("planned")), hl,
			[]series{{p.l("needed"), nd, red}, {p.l("planned"), pl, slate}}, 28, whole)
		break
	}
}

// wideTable is table with a free last column of notes, left-aligned.
func (p *doc) wideTable(header []string, widths []float64, rows [][]string) {
	p.need(12)
	p.font("B", 7.5, ink)
	p.fill(tile)
	p.pdf.SetX(margin)
	for i, h := range header {
		align := "R"
		if i == 0 || i == len(header)-1 {
			align = "L"
		}
		p.pdf.CellFormat(widths[i], 6, p.enc(h), "", 0, align, true, 0, "")
	}
	p.pdf.Ln(6)
	p.font("", 7.5, ink)
	p.draw(grid)
	for _, row := range rows {
		p.need(5.2)
		p.pdf.SetX(margin)
		for i, c := range row {
			align := "R"
			if i == 0 || i == len(row)-1 {
				align = "L"
			}
			c = fitText(p.pdf, p.enc(p.decimal(c)), widths[i]-1)
			if i == len(row)-1 {
				c = fitText(p.pdf, p.enc(row[i]), widths[i]-1)
			}
			p.pdf.CellFormat(widths[i], 5.2, c, "B", 0, align, false, 0, "")
		}
		p.pdf.Ln(5.2)
	}
}
