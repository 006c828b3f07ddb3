package history

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"
	"time"

	"turno/server/queue"
	"turno/server/store"
)

// scripted stores the scripted day in a real bbolt log and folds it.
func scripted(t *testing.T) (*Reports, *store.Store, *office) {
	t.Helper()
	cfg := testConfig(t)
	st := openStore(t)
	o := newOffice(t, cfg)
	script(o, scriptDay)
	if err := st.Append(o.log); err != nil {
		t.Fatal(err)
	}
	k := NewKeeper(&cfg.Office, st, FoldOptions{}, nil)
	if n, err := k.CatchUp(context.Background()); err != nil || n != 1 {
		t.Fatalf("catch-up: %d days, %v; want 1", n, err)
	}
	return NewReports(cfg, st, func() time.Time { return at("2026-03-04", "09:00") }), st, o
}

func f(x float64) *float64 { return &x }

func eq(a, b *float64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func TestReportIndicatorsByHand(t *testing.T) {
	r, _, _ := scripted(t)
	rep, err := r.Report(context.Background(), Query{From: "2026-03-01", To: "2026-03-31", Group: GroupMonth, By: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Days != 1 || !rep.Today || rep.Pending != 0 || rep.OpenDays != 22 || len(rep.Rows) != 1 || rep.Rows[0].Period != "2026-03" {
		t.Fatalf("got %d days (today %v, pending %d), %d open, rows %+v", rep.Days, rep.Today, rep.Pending, rep.OpenDays, rep.Rows)
	}
	row := rep.Rows[0]
	// Waits 5, 9, 10, 19, 23, 37 min; service times 9, 9, 10, 10, 10 min.
	for _, tc := range []struct {
		name      string
		got, want *float64
	}{
		{"filter (4 resolved of 5)", row.FilterPct, f(80)},
		{"wait mean", row.WaitMean, f(1030)},
		{"wait median (3rd of 6)", row.WaitMedian, f(600)},
		{"wait p90 (6th of 6)", row.WaitP90, f(2220)},
		{"within target", row.InTargetPct, f(50)},
		{"service mean", row.ServiceMean, f(576)},
		{"service median", row.ServiceMedian, f(600)},
		{"rating mean (5+2+4)/3", row.RatingMean, f(3.67)},
		{"appointments kept", row.KeptPct, f(66.7)},
	} {
		if !eq(tc.got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, deref(tc.got), *tc.want)
		}
	}
	if row.Issued != 8 || row.Served != 5 || row.Turnaways != 4 || row.TurnawaysByRule["daily_cap"] != 1 || row.RatingsByScore != [5]int{0, 1, 0, 1, 1} ||
		row.Booked != 3 || row.Expired != 2 || row.Days != 1 || row.Promised != 5 {
		t.Errorf("got %+v", row)
	}
	if !reflect.DeepEqual(rep.Total.Indicators, row.Indicators) {
		t.Errorf("the total of a one-row report differs from its row")
	}

	// By service and hour.
	rep, err = r.Report(context.Background(), Query{From: scriptDay, To: scriptDay, Group: GroupHour, By: DimService})
	if err != nil {
		t.Fatal(err)
	}
	var periods []string
	for _, row := range rep.Rows {
		periods = append(periods, row.Period+" "+row.Key)
	}
	want := []string{"08 anagrafe", "08 tributi", "09 anagrafe", "09 tributi", "10 anagrafe", "11 anagrafe", "12 anagrafe"}
	if !reflect.DeepEqual(periods, want) {
		t.Fatalf("got rows %v, want %v", periods, want)
	}
	trib := rep.Rows[1] // 08 tributi: T001 19, T002 23, T003 37 min, none within 10
	if trib.Name != "Tributi (IMU, TARI)" || trib.NameEN != "Local taxes" || trib.Waits != 3 || !eq(trib.WaitMedian, f(23*60)) || !eq(trib.InTargetPct, f(0)) || trib.FilterPct != nil {
		t.Errorf("08 tributi: got %+v", trib)
	}
	if len(rep.Keys) != 2 || rep.Keys[0].Key != "anagrafe" || rep.Keys[0].Issued != 5 || rep.Keys[1].Issued != 3 || rep.Total.Issued != 8 {
		t.Errorf("keys %+v, total %d", rep.Keys, rep.Total.Issued)
	}

	// By counter, by weekday.
	rep, err = r.Report(context.Background(), Query{From: scriptDay, To: scriptDay, Group: GroupWeekday, By: DimCounter})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 2 || rep.Rows[0].Period != "tue" || rep.Rows[1].Key != "2" || rep.Rows[1].Name != "Sportello 2 — Tributi" ||
		!eq(rep.Rows[1].FilterPct, f(50)) || !eq(rep.Rows[0].WaitP90, f(19*60)) {
		t.Fatalf("got %+v", rep.Rows)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestReportRefusesBadQueries(t *testing.T) {
	r, _, _ := scripted(t)
	for _, tc := range []struct {
		q     Query
		field string
	}{
		{Query{From: "2026-3-1", To: "2026-03-31"}, "from"},
		{Query{From: "2026-03-01", To: "yesterday"}, "to"},
		{Query{From: "2026-03-31", To: "2026-03-01"}, "to"},
		{Query{From: "2020-01-01", To: "2026-03-01"}, "to"},
		{Query{From: "2026-03-01", To: "2026-03-31", Group: "year"}, "group"},
		{Query{From: "2026-03-01", To: "2026-03-31", By: "desk"}, "by"},
	} {
		_, err := r.Report(context.Background(), tc.q)
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Field != tc.field {
			t.Errorf("%+v: got %v, want an error about %s", tc.q, err, tc.field)
		}
	}
	if _, err := r.Report(context.Background(), Query{From: "2026-03-01", To: "2026-03-31", By: DimClerk}); !errors.Is(err, ErrPerClerkOff) {
		t.Errorf("by clerk: got %v, want ErrPerClerkOff", err)
	}
}

// Several weeks generated through the engine: the report over any
// grouping adds up to counts taken straight from the log, and its
// percentiles equal those of every wait sorted.
func TestReportOverGeneratedWeeks(t *testing.T) {
	cfg := testConfig(t)
	st := openStore(t)
	log := genDays(t, cfg, st, "2026-05-04", 20, 40, 7) // four weeks from a Monday
	k := NewKeeper(&cfg.Office, st, FoldOptions{}, nil)
	if n, err := k.CatchUp(context.Background()); err != nil || n != 20 {
		t.Fatalf("catch-up: %d, %v; want 20 days", n, err)
	}
	if n, _ := k.CatchUp(context.Background()); n != 0 {
		t.Fatalf("a second catch-up folded %d days again", n)
	}
	// Straight from the log: counts, and every first call's wait.
	var issued, served, forwarded, rated, turnaways int
	var waits []int64
	for _, ev := range log {
		switch ev.Type {
		case queue.EventTicketIssued:
			issued++
		case queue.EventTicketFinished:
			served++
			if ev.Ticket.Outcome == queue.OutcomeForwarded {
				forwarded++
			}
		case queue.EventTicketRated:
			rated++
		case queue.EventServiceTurnaway:
			turnaways++
		case queue.EventTicketCalled:
			if ev.Ticket.Calls == 1 {
				waits = append(waits, int64(ev.Ticket.CalledAt.Sub(ev.Ticket.IssuedAt)/time.Second))
			}
		}
	}
	if issued < 350 || served < 300 || rated < 80 || forwarded == 0 || turnaways < 100 {
		t.Fatalf("a thin history: %d issued, %d served, %d rated", issued, served, rated)
	}
	sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
	nearest := func(p float64) float64 {
		i := int(float64(len(waits))*p+0.999999999) - 1
		return float64(waits[i] / 15 * 15)
	}
	r := NewReports(cfg, st, func() time.Time { return at("2026-06-01", "09:00") })
	for _, group := range []string{GroupDay, GroupWeek, GroupMonth, GroupWeekday, GroupHour} {
		for _, by := range []string{DimOffice, DimService, DimCounter} {
			rep, err := r.Report(context.Background(), Query{From: "2026-05-01", To: "2026-05-31", Group: group, By: by})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Days != 20 || !rep.Today || rep.Pending != 0 { // and the open day, Saturday 30th's rollover, with no figures
				t.Fatalf("%s/%s: %d days, today %v, pending %d", group, by, rep.Days, rep.Today, rep.Pending)
			}
			tot := rep.Total
			if tot.Issued != issued || tot.Served != served || tot.Forwarded != forwarded || tot.Ratings != rated || tot.Turnaways != turnaways || tot.Waits != len(waits) {
				t.Fatalf("%s/%s total: %+v; log: %d issued, %d served, %d forwarded, %d rated, %d turned away, %d waits",
					group, by, tot, issued, served, forwarded, rated, turnaways, len(waits))
			}
			if !eq(tot.WaitMedian, f(nearest(0.5))) || !eq(tot.WaitP90, f(nearest(0.9))) {
				t.Fatalf("%s/%s: median %v p90 %v, want %v %v", group, by, deref(tot.WaitMedian), deref(tot.WaitP90), nearest(0.5), nearest(0.9))
			}
			// Rows add up to the total: served and waits count where they
			// happen, in every dimension.
			var rs, rw int
			for _, row := range rep.Rows {
				rs += row.Served
				rw += row.Waits
			}
			if rs != served || rw != len(waits) {
				t.Fatalf("%s/%s: rows add up to %d served, %d waits; want %d, %d", group, by, rs, rw, served, len(waits))
			}
		}
	}
	// Weeks: Monday to Sunday, ISO numbered.
	rep, err := r.Report(context.Background(), Query{From: "2026-05-01", To: "2026-05-31", Group: GroupWeek})
	if err != nil {
		t.Fatal(err)
	}
	var weeks []string
	for _, row := range rep.Rows {
		weeks = append(weeks, row.Period)
		if row.Days != 5 {
			t.Errorf("%s: %d days, want 5", row.Period, row.Days)
		}
	}
	if !reflect.DeepEqual(weeks, []string{"2026-W19", "2026-W20", "2026-W21", "2026-W22"}) {
		t.Fatalf("got weeks %v", weeks)
	}
}

// The days the keeper writes are the days the log folds to; a day stored
// by an older fold is folded again; a closed day not yet folded is pending
// and today is folded at the request.
func TestStoredDaysAreTheLogsFold(t *testing.T) {
	cfg := testConfig(t)
	st := openStore(t)
	log := genDays(t, cfg, st, "2026-05-04", 3, 30, 11)
	// The last day in the log is the open one (the rollover's).
	days, err := st.Days()
	if err != nil || len(days) != 4 {
		t.Fatalf("got days %v %v", days, err)
	}
	k := NewKeeper(&cfg.Office, st, FoldOptions{}, nil)
	r := NewReports(cfg, st, nil)
	rep, err := r.Report(context.Background(), Query{From: "2026-05-01", To: "2026-05-31"})
	if err != nil || rep.Pending != 3 || rep.Days != 0 || !rep.Today {
		t.Fatalf("before the keeper: %+v %v", rep, err)
	}
	if _, err := k.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	stored := map[string][]byte{}
	err = st.EachDayStats("", "", func(day string, data []byte) error {
		stored[day] = append([]byte(nil), data...)
		return nil
	})
	if err != nil || len(stored) != 3 {
		t.Fatalf("stored %d days, %v", len(stored), err)
	}
	for _, day := range days[:3] {
		want := Fold(&cfg.Office, day, dayEvents(log, day), FoldOptions{})
		var got Day
		if err := decode(stored[day], &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: the stored day differs from the fold of the events", day)
		}
	}
	// An older fold's day is folded again; a current one is left alone.
	old := Day{Day: days[0], Version: FoldVersion - 1}
	data, _ := encode(&old)
	if err := st.PutDayStats(days[0], data); err != nil {
		t.Fatal(err)
	}
	if n, err := k.CatchUp(context.Background()); err != nil || n != 1 {
		t.Fatalf("got %d refolded, %v; want 1", n, err)
	}
	err = st.EachDayStats(days[0], days[0], func(_ string, data []byte) error {
		if string(data) != string(stored[days[0]]) {
			t.Error("the refolded day differs from the first fold")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
