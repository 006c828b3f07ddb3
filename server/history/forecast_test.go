package history

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"turno/server/queue"
)

func TestForecastFromTheOfficesOwnHistory(t *testing.T) {
	cfg := testConfig(t)
	st := openStore(t)
	log := genDays(t, cfg, st, "2026-05-04", 20, 40, 3) // May's four weeks
	// A booking for Wednesday 3 June at 10:00, made on Monday the 1st by
	// the office that played May (replayed).
	o := newOffice(t, cfg)
	o.o.Apply(log...)
	o.book(at("2026-06-01", "08:35"), at("2026-06-03", "10:00"), "Maria Verdi")
	if err := st.Append(o.log); err != nil { // the rollover to Monday, the booking
		t.Fatal(err)
	}
	if _, err := NewKeeper(&cfg.Office, st, FoldOptions{}, nil).CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := NewReports(cfg, st, func() time.Time { return at("2026-06-01", "09:00") })
	fc, err := r.Forecast(context.Background(), "", 14)
	if err != nil {
		t.Fatal(err)
	}
	if fc.From != "2026-06-02" || fc.To != "2026-06-15" || len(fc.Days) != 14 || fc.HistoryDays != 21 || !fc.Plan || fc.Weeks != 8 {
		t.Fatalf("got %s to %s, %d days, %d history days", fc.From, fc.To, len(fc.Days), fc.HistoryDays)
	}
	day := map[string]*ForecastDay{}
	for i := range fc.Days {
		day[fc.Days[i].Date] = &fc.Days[i]
	}
	if d := day["2026-06-02"]; !d.Closed || d.Holiday != "Festa della Repubblica" || len(d.Hours) != 0 {
		t.Errorf("2 June: got %+v, want closed for the Republic", d)
	}
	if d := day["2026-06-06"]; !d.Closed || d.Holiday != "" {
		t.Errorf("a Saturday: got %+v", d)
	}

	// Monday 8 June, in the IMU period (tributi x2): each service's
	// arrivals are May's Mondays' walk-ins (issued, and turned away by a
	// rule other than closed), averaged, times the factor.
	var may [2]float64
	for _, ev := range log {
		if ev.Day < "2026-05-01" || ev.Day > "2026-05-31" {
			continue
		}
		if d, _ := time.Parse(queue.DayLayout, ev.Day); d.Weekday() != time.Monday {
			continue
		}
		i := 0
		switch {
		case ev.Type == queue.EventTicketIssued && ev.Ticket.Due == nil:
			if ev.Ticket.Service == "tributi" {
				i = 1
			}
			may[i]++
		case ev.Type == queue.EventServiceTurnaway && ev.Refusal.Rule != queue.RuleClosed:
			if ev.Service == "tributi" {
				i = 1
			}
			may[i]++
		}
	}
	mon := day["2026-06-08"]
	if len(mon.Services) != 2 || len(mon.Peaks) != 1 || mon.Peaks[0] != "IMU" || mon.NoHistory {
		t.Fatalf("8 June: got %+v", mon)
	}
	for i, want := range []float64{may[0] / 4, may[1] / 4 * 2} {
		sd := mon.Services[i]
		if math.Abs(sd.Arrivals-want) > 0.11 || sd.Factor != []float64{1, 2}[i] {
			t.Errorf("8 June %s: %v arrivals (x%v), want %.1f", sd.Service, sd.Arrivals, sd.Factor, want)
		}
	}

	// The hours: counter 1 is planned 08:30-12:30, counter 2 on Tuesdays
	// 09:00-11:00; each hour's need is Erlang C of its load.
	for _, h := range mon.Hours {
		wantPlanned := map[int]float64{8: 0.5, 9: 1, 10: 1, 11: 1, 12: 0.5}[h.Hour]
		if h.Planned != wantPlanned || len(h.Lanes) != 1 || h.Lanes[0].Lane != queue.LaneStandard {
			t.Errorf("Monday %02d: planned %v, lanes %+v; want %v", h.Hour, h.Planned, h.Lanes, wantPlanned)
		}
		for _, sh := range h.Services {
			if want := CountersNeeded(sh.Load, sh.ServiceTime, sh.Target, 0.8); sh.Needed != want {
				t.Errorf("Monday %02d %s: needs %d, Erlang C says %d", h.Hour, sh.Service, sh.Needed, want)
			}
		}
		if h.Short != (float64(h.Needed) > h.Planned) {
			t.Errorf("Monday %02d: short %v with %d needed and %v planned", h.Hour, h.Short, h.Needed, h.Planned)
		}
	}
	if tue := day["2026-06-09"]; tue.Planned != 2 {
		t.Errorf("Tuesday: %v counters planned at most, want 2", tue.Planned)
	}
	wed := day["2026-06-03"]
	if wed.Booked != 1 {
		t.Errorf("3 June: %d booked, want 1", wed.Booked)
	}
	for _, h := range wed.Hours {
		if h.Hour == 10 && h.Services[0].Booked != 1 {
			t.Errorf("3 June 10:00: got %+v", h.Services[0])
		}
	}

	// Bad requests.
	for _, tc := range []struct {
		from  string
		days  int
		field string
	}{{"2026-6-8", 7, "from"}, {"", 0, "days"}, {"", 57, "days"}} {
		_, err := r.Forecast(context.Background(), tc.from, tc.days)
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Field != tc.field {
			t.Errorf("%q %d: got %v", tc.from, tc.days, err)
		}
	}
}

func TestForecastWithoutHistorySaysSo(t *testing.T) {
	cfg := testConfig(t)
	r := NewReports(cfg, openStore(t), func() time.Time { return at("2026-06-01", "09:00") })
	fc, err := r.Forecast(context.Background(), "2026-06-04", 1)
	if err != nil {
		t.Fatal(err)
	}
	if d := fc.Days[0]; !d.NoHistory || d.Arrivals != 0 || d.Needed != 0 || len(d.Hours) != 5 { // 08:30-12:30 touches five hours
		t.Fatalf("got %+v", d)
	}
}
