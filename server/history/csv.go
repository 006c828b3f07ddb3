package history

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSVOptions shape a report as a spreadsheet reads it.
type CSVOptions struct {
	// DecimalComma writes 12,5 and separates fields with ';', as Italian
	// spreadsheets expect; otherwise 12.5 and ','.
	DecimalComma bool
	// BOM starts the file with the UTF-8 byte order mark, by which Excel
	// recognises UTF-8 (accents, the euro sign) instead of guessing.
	BOM bool
}

// csvColumn is one column: its header and its value in a row. Durations
// are in minutes in a spreadsheet, which people read.
type csvColumn struct {
	name  string
	value func(r *Row) any
}

func minutes(sec *float64) *float64 {
	if sec == nil {
		return nil
	}
	return round(*sec/60, 100)
}

var csvColumns = []csvColumn{
	{"days", func(r *Row) any { return r.Days }},
	{"issued", func(r *Row) any { return r.Issued }},
	{"appointment_tickets", func(r *Row) any { return r.Appointments }},
	{"priority", func(r *Row) any { return r.Priority }},
	{"served", func(r *Row) any { return r.Served }},
	{"resolved", func(r *Row) any { return r.Resolved }},
	{"forwarded", func(r *Row) any { return r.Forwarded }},
	{"filter_pct", func(r *Row) any { return r.FilterPct }},
	{"noshows", func(r *Row) any { return r.NoShows }},
	{"transferred", func(r *Row) any { return r.Transferred }},
	{"expired", func(r *Row) any { return r.Expired }},
	{"turnaways", func(r *Row) any { return r.Turnaways }},
	{"turnaways_closed", func(r *Row) any { return r.TurnawaysByRule[Rules[0]] }},
	{"turnaways_locked", func(r *Row) any { return r.TurnawaysByRule[Rules[1]] }},
	{"turnaways_daily_cap", func(r *Row) any { return r.TurnawaysByRule[Rules[2]] }},
	{"turnaways_cutoff_time", func(r *Row) any { return r.TurnawaysByRule[Rules[3]] }},
	{"turnaways_cutoff_load", func(r *Row) any { return r.TurnawaysByRule[Rules[4]] }},
	{"contacts", func(r *Row) any { return r.Contacts }},
	{"appointments_booked", func(r *Row) any { return r.Booked }},
	{"appointments_kept", func(r *Row) any { return r.Kept }},
	{"appointments_late", func(r *Row) any { return r.Late }},
	{"appointments_missed", func(r *Row) any { return r.Missed }},
	{"appointments_kept_pct", func(r *Row) any { return r.KeptPct }},
	{"waits", func(r *Row) any { return r.Waits }},
	{"wait_mean_min", func(r *Row) any { return minutes(r.WaitMean) }},
	{"wait_median_min", func(r *Row) any { return minutes(r.WaitMedian) }},
	{"wait_p90_min", func(r *Row) any { return minutes(r.WaitP90) }},
	{"within_target_pct", func(r *Row) any { return r.InTargetPct }},
	{"services", func(r *Row) any { return r.Services }},
	{"service_mean_min", func(r *Row) any { return minutes(r.ServiceMean) }},
	{"service_median_min", func(r *Row) any { return minutes(r.ServiceMedian) }},
	{"ratings", func(r *Row) any { return r.Ratings }},
	{"rating_mean", func(r *Row) any { return r.RatingMean }},
	{"ratings_1", func(r *Row) any { return r.RatingsByScore[0] }},
	{"ratings_2", func(r *Row) any { return r.RatingsByScore[1] }},
	{"ratings_3", func(r *Row) any { return r.RatingsByScore[2] }},
	{"ratings_4", func(r *Row) any { return r.RatingsByScore[3] }},
	{"ratings_5", func(r *Row) any { return r.RatingsByScore[4] }},
	{"promised", func(r *Row) any { return r.Promised }},
	{"promise_mae_min", func(r *Row) any { return minutes(r.PromiseMAE) }},
	{"promise_bias_min", func(r *Row) any { return minutes(r.PromiseBias) }},
	{"promise_late_pct", func(r *Row) any { return r.PromiseLatePct }},
}

// WriteCSV writes the report's rows as RFC 4180 CSV (CRLF line ends,
// quotes where needed), UTF-8, with a header row: period, then key and
// name unless the report is of the whole office, then the indicators.
// An empty cell is an indicator with nothing to measure.
func WriteCSV(w io.Writer, rep *Report, opt CSVOptions) error {
	if opt.BOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if opt.DecimalComma {
		cw.Comma = ';'
	}
	keyed := rep.By != DimOffice
	header := []string{"period"}
	if keyed {
		header = append(header, "key", "name")
	}
	for _, c := range csvColumns {
		header = append(header, c.name)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	record := make([]string, 0, len(header))
	for i := range rep.Rows {
		r := &rep.Rows[i]
		record = append(record[:0], r.Period)
		if keyed {
			record = append(record, safeText(r.Key), safeText(r.Name))
		}
		for _, c := range csvColumns {
			record = append(record, csvCell(c.value(r), opt.DecimalComma))
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(v any, comma bool) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case *float64:
		if x == nil {
			return ""
		}
		s := strconv.FormatFloat(*x, 'f', -1, 64)
		if comma {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	return fmt.Sprint(v)
}

// safeText keeps a spreadsheet from reading a name as a formula (CSV
// injection): a text starting with =, +, -, @ or a control character is
// prefixed with an apostrophe, which spreadsheets show as text.
func safeText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
