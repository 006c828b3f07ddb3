package sim

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"turno/server/queue"
)

// WriteText prints the report as plain tables: per scenario, citizens and
// turn-aways, then waits and promises, by service, in total and by hour of
// arrival; then the days.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Turno simulation: %s\n", r.Office)
	fmt.Fprintf(&b, "profile: %s; seed %d; %d working days, %s to %s\n", r.Profile, r.Seed, r.Days, r.From, r.To)
	if r.NoFloor {
		fmt.Fprintln(&b, "without the fixed cut-off margin before closing (-no-floor): only the load rule and daily caps cut off")
	}
	fmt.Fprintln(&b, "times in minutes; wait = first call - issue; promised = the wait printed on the ticket")
	for i := range r.Scenarios {
		r.writeScenario(&b, &r.Scenarios[i])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) writeScenario(b *strings.Builder, s *ScenarioReport) {
	fmt.Fprintf(b, "\n== %s: arrivals x%.2f, staffing %q ==\n\n", s.Name, s.Multiplier, s.Staffing)
	rows := r.rows(s)

	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tcame\ttickets\tcutoff_time\tcutoff_load\tclosed\tother refusal\tclairvoyant\tserved\tno-show\tleft uncalled\t")
	for _, row := range rows {
		if row.f == nil {
			fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t\t\t\t")
			continue
		}
		f := row.f
		other := 0
		for rule, n := range f.TurnedAway {
			if rule != queue.RuleCutoffTime && rule != queue.RuleCutoffLoad && rule != queue.RuleClosed {
				other += n
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", row.label, f.Arrived, f.Issued,
			f.TurnedAway[queue.RuleCutoffTime], f.TurnedAway[queue.RuleCutoffLoad], f.TurnedAway[queue.RuleClosed], other,
			f.Clairvoyant, f.Served, f.NoShows, f.LeftUncalled)
	}
	tw.Flush()
	fmt.Fprintln(b)

	tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "\tcalled\twait mean\twait p90\tpromise MAE\tbias\t>1.5x late\t>1.5x said\tafter high\t"
	for _, name := range r.Estimators {
		header += name + " MAE\t"
	}
	if len(r.Estimators) < 2 {
		header += "oracle MAE\t"
	}
	fmt.Fprintln(tw, header)
	for _, row := range rows {
		if row.f == nil {
			fmt.Fprintln(tw, strings.Repeat("\t", strings.Count(header, "\t")))
			continue
		}
		f := row.f
		line := fmt.Sprintf("%s\t%d\t%.1f\t%.1f\t%.1f\t%+.1f\t%s\t%s\t%s\t", row.label, f.Called, f.WaitMean, f.WaitP90,
			f.Engine.MAE, f.Engine.Bias, pct(f.Engine.Late), pct(f.Engine.LateSaid), pct(f.Engine.AfterHigh))
		for _, a := range f.Others {
			if a == nil {
				line += "n/a\t"
			} else {
				line += fmt.Sprintf("%.1f\t", a.MAE)
			}
		}
		if len(r.Estimators) < 2 {
			line += "n/a\t"
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()

	d := s.Days
	fmt.Fprintln(b)
	fmt.Fprintf(b, "days: %d; someone left uncalled on %d (%s), %d citizens in all\n", d.Days, d.DaysLeftUncalled, pct(ratio(d.DaysLeftUncalled, d.Days)), d.LeftUncalled)
	fmt.Fprintf(b, "overtime past closing: mean %.1f min, p95 %.1f min, over 5 min on %d days (%s)\n", d.OvertimeMean, d.OvertimeP95, d.DaysOvertimeOver5, pct(ratio(d.DaysOvertimeOver5, d.Days)))
	fmt.Fprintf(b, "turned away by a cut-off: %.2f a day; a clairvoyant cut-off: %.2f a day\n", d.CutoffTurnawaysByDay, d.ClairvoyantByDay)
	fmt.Fprintf(b, "numerators cut off by load that reopened: %d (on %d days), %d of them while clerks logged in (on %d days); cut for %.0f s (median)\n",
		d.ReopenedCutoffs, d.DaysReopenedCutoffs, d.AtOpening, d.DaysAtOpening, d.ReopenedCutoffLullS)
}

type row struct {
	label string
	f     *Figures // nil: a blank separator
}

func (r *Report) rows(s *ScenarioReport) []row {
	var rows []row
	for i := range s.ByService {
		rows = append(rows, row{s.ByService[i].Service, &s.ByService[i]})
	}
	rows = append(rows, row{"all services", &s.Total}, row{})
	for i := range s.ByHour {
		h := *s.ByHour[i].Hour
		rows = append(rows, row{fmt.Sprintf("came %02d-%02d", h, h+1), &s.ByHour[i]})
	}
	return rows
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
