package history

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"turno/server/queue"
)

const scriptDay = "2026-03-03" // a Tuesday

// script plays one business day of the test office through queue.Office,
// every figure of which is counted by hand in TestFoldCountsEveryIndicator,
// and the next day's rollover that closes it. It returns the tickets by
// name.
func script(o *office, day string) map[string]*queue.Ticket {
	o.t.Helper()
	tk := map[string]*queue.Ticket{}
	t := func(hhmm string) time.Time { return at(day, hhmm) }
	anna := queue.Actor{Name: "anna", Supervisor: true}

	o.refused(t("08:00"), "anagrafe", queue.RuleClosed)
	o.open(t("08:30"), "1", "mario")
	o.open(t("08:30"), "2", "giulia")
	maria := o.book(t("08:35"), t("10:00"), "Maria Verdi")
	luca := o.book(t("08:35"), t("10:15"), "Luca Neri")
	o.book(t("08:35"), t("10:30"), "Anna Blu") // never comes
	tk["A001"] = o.issue(t("08:40"), "anagrafe", false)
	tk["A002"] = o.issue(t("08:41"), "anagrafe", true)
	tk["T001"] = o.issue(t("08:42"), "tributi", false)
	tk["T002"] = o.issue(t("08:43"), "tributi", false)
	tk["T003"] = o.issue(t("08:44"), "tributi", false)
	o.refused(t("08:45"), "tributi", queue.RuleDailyCap)

	o.next(t("08:50"), "1", "mario")  // A002, priority: waited 9 min
	o.next(t("08:50"), "2", "giulia") // A001: 10 min
	o.finish(t("09:00"), "1", "mario", queue.OutcomeResolved)
	o.finish(t("09:00"), "2", "giulia", queue.OutcomeForwarded)
	o.next(t("09:01"), "1", "mario") // T001: 19 min
	o.ticket(t("09:05"), func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		return st.NoShow(now, "1", queue.Actor{Name: "mario"})
	})
	o.next(t("09:06"), "2", "giulia") // T002: 23 min
	o.ticket(t("09:10"), func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		return st.Transfer(now, "2", "anagrafe", false, queue.Actor{Name: "giulia"})
	})
	o.next(t("09:11"), "1", "mario") // T002 again, in anagrafe: not a first call
	o.finish(t("09:20"), "1", "mario", queue.OutcomeResolved)
	o.next(t("09:21"), "2", "giulia") // T003: 37 min
	o.finish(t("09:30"), "2", "giulia", queue.OutcomeResolved)
	o.rate(t("09:31"), tk["A002"].ID, 5)
	o.rate(t("09:32"), tk["T003"].ID, 2)
	o.rate(t("09:33"), tk["T002"].ID, 4)
	o.must(t("09:40"), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		return st.LogContact(now, "tributi", "modulo TARI", anna)
	})
	o.must(t("09:41"), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		return st.LogContact(now, "", "orari", anna)
	})
	o.must(t("09:45"), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		return st.Lock(now, "anagrafe", "sistema lento", anna)
	})
	o.refused(t("09:45"), "anagrafe", queue.RuleLocked)
	o.must(t("09:46"), func(now time.Time, st *queue.Office) ([]queue.Event, error) { return st.Unlock(now, "anagrafe", anna) })

	tk["P001"] = o.checkIn(t("09:50"), maria.Code)
	o.next(t("10:05"), "1", "mario") // P001, due at 10:00: 5 min
	o.finish(t("10:15"), "1", "mario", queue.OutcomeResolved)
	o.must(t("10:26"), nil)                       // the window of 10:15 closed: Luca missed
	tk["A003"] = o.checkIn(t("10:30"), luca.Code) // late: a walk-in ticket
	tk["A004"] = o.issue(t("11:00"), "anagrafe", false)
	o.refused(t("12:00"), "anagrafe", queue.RuleCutoffTime)
	o.must(at(day, "23:59").Add(2*time.Minute), nil) // the next day: A003 and A004 expire
	return tk
}

func TestFoldCountsEveryIndicator(t *testing.T) {
	cfg := testConfig(t)
	o := newOffice(t, cfg)
	tk := script(o, scriptDay)
	// The live office's own counts, before the day closed, agree.
	d := Fold(&cfg.Office, scriptDay, dayEvents(o.log, scriptDay), FoldOptions{PerClerk: true})
	if d.Day != scriptDay || d.Version != FoldVersion || d.FirstSeq != 1 {
		t.Fatalf("got day %s v%d from %d", d.Day, d.Version, d.FirstSeq)
	}

	min := func(m float64) int64 { return int64(m * 60) }
	// Waits (first calls): P001 5, A002 9, A001 10, T001 19, T002 23, T003 37 minutes.
	office := cell(t, &d, DimOffice, "", -1)
	want := Figures{
		Issued: 8, Appointment: 1, Priority: 1, Served: 5, Resolved: 4, Forwarded: 1, NoShows: 1, Transferred: 1, Expired: 2,
		Turnaways: []int{1, 1, 1, 1, 0}, Contacts: 2, Booked: 3, Kept: 2, Late: 1, Missed: 1, Ratings: []int{0, 1, 0, 1, 1},
		InTarget: 3, // A002, A001, P001 within 20 min; the tributi waits are over 10
	}
	got := *office
	if got.Wait.N != 6 || got.Wait.Sum != min(5+9+10+19+23+37) {
		t.Errorf("waits: got %d summing %d s, want 6 summing %d", got.Wait.N, got.Wait.Sum, min(103))
	}
	if got.Service.N != 5 || got.Service.Sum != min(10+10+9+9+10) {
		t.Errorf("service times: got %d summing %d s, want 5 summing %d", got.Service.N, got.Service.Sum, min(48))
	}
	// The promise against the wait, by hand from the promises printed.
	waits := map[string]int64{"A001": min(10), "A002": min(9), "T001": min(19), "T002": min(23), "T003": min(37)}
	var errSum, biasSum int64
	late := 0
	for name, w := range waits {
		p := int64(tk[name].Promise.EstimatedWait.D() / time.Second)
		errSum += int64(math.Abs(float64(w - p)))
		biasSum += w - p
		if float64(w) > 1.5*float64(p) && w > p+60 {
			late++
		}
	}
	if tk["P001"].Promise != nil || tk["A003"].Promise == nil {
		t.Fatal("an appointment has a promise, or a late walk-in none")
	}
	want.Promised, want.PromiseErr, want.PromiseBias, want.PromiseLate = 5, errSum, biasSum, late
	got.Wait, got.Service = Dist{}, Dist{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("office:\n got %+v\nwant %+v", got, want)
	}

	for _, tc := range []struct {
		dim, key string
		hour     int
		want     Figures
		waits    []int64 // minutes
	}{
		{DimService, "anagrafe", -1, Figures{Issued: 5, Appointment: 1, Priority: 1, Served: 4, Resolved: 3, Forwarded: 1, Expired: 2,
			Turnaways: []int{1, 1, 0, 1, 0}, Booked: 3, Kept: 2, Late: 1, Missed: 1, Ratings: []int{0, 0, 0, 1, 1}, InTarget: 3}, []int64{5, 9, 10}},
		{DimService, "tributi", -1, Figures{Issued: 3, Served: 1, Resolved: 1, NoShows: 1, Transferred: 1,
			Turnaways: []int{0, 0, 1, 0, 0}, Contacts: 1, Ratings: []int{0, 1, 0, 0, 0}}, []int64{19, 23, 37}},
		{DimCounter, "1", -1, Figures{Served: 3, Resolved: 3, NoShows: 1, Ratings: []int{0, 0, 0, 1, 1}, InTarget: 2}, []int64{5, 9, 19}},
		{DimCounter, "2", -1, Figures{Served: 2, Resolved: 1, Forwarded: 1, Transferred: 1, Ratings: []int{0, 1, 0, 0, 0}, InTarget: 1}, []int64{10, 23, 37}},
		{DimClerk, "mario", -1, Figures{Served: 3, Resolved: 3, NoShows: 1, InTarget: 2}, []int64{5, 9, 19}}, // ratings name no clerk
		{DimClerk, "anna", -1, Figures{Contacts: 2}, nil},
		{DimOffice, "", 8, Figures{Issued: 5, Priority: 1, Turnaways: []int{1, 0, 1, 0, 0}, InTarget: 2}, []int64{9, 10, 19, 23, 37}},
		{DimOffice, "", 9, Figures{Issued: 1, Appointment: 1, Served: 4, Resolved: 3, Forwarded: 1, NoShows: 1, Transferred: 1,
			Turnaways: []int{0, 1, 0, 0, 0}, Contacts: 2, Ratings: []int{0, 1, 0, 1, 1}, InTarget: 1}, []int64{5}},
		{DimOffice, "", 10, Figures{Issued: 1, Served: 1, Resolved: 1, Expired: 1, Booked: 3, Kept: 2, Late: 1, Missed: 1}, nil},
		{DimOffice, "", 11, Figures{Issued: 1, Expired: 1}, nil},
		{DimOffice, "", 12, Figures{Turnaways: []int{0, 0, 0, 1, 0}}, nil},
	} {
		c := *cell(t, &d, tc.dim, tc.key, tc.hour)
		var sum int64
		for _, w := range tc.waits {
			sum += min(float64(w))
		}
		if c.Wait.N != len(tc.waits) || c.Wait.Sum != sum {
			t.Errorf("%s %s h%d: %d waits summing %d, want %d summing %d", tc.dim, tc.key, tc.hour, c.Wait.N, c.Wait.Sum, len(tc.waits), sum)
		}
		c.Wait, c.Service = Dist{}, Dist{}
		c.Promised, c.PromiseErr, c.PromiseBias, c.PromiseLate = 0, 0, 0, 0
		if !reflect.DeepEqual(c, tc.want) {
			t.Errorf("%s %s h%d:\n got %+v\nwant %+v", tc.dim, tc.key, tc.hour, c, tc.want)
		}
	}

	// Without per-clerk reports, no clerk cell exists.
	d = Fold(&cfg.Office, scriptDay, dayEvents(o.log, scriptDay), FoldOptions{})
	for _, c := range d.Cells {
		if c.Dim == DimClerk {
			t.Fatalf("a clerk cell without per-clerk reports: %+v", c)
		}
	}
	// The stored form decodes to the same day.
	data, err := encode(&d)
	if err != nil {
		t.Fatal(err)
	}
	var back Day
	if err := decode(data, &back); err != nil || !reflect.DeepEqual(back, d) || version(data) != FoldVersion {
		t.Fatalf("round trip: %v", err)
	}
}

func TestFoldAgreesWithTheLiveCounts(t *testing.T) {
	cfg := testConfig(t)
	o := newOffice(t, cfg)
	// The live counts reset at the rollover: compare before it.
	tk := script(o, scriptDay)
	_ = tk
	live := newOffice(t, cfg)
	var before []queue.Event
	for _, ev := range o.log {
		if ev.Day == scriptDay && ev.Type != queue.EventTicketExpired && ev.Type != queue.EventBookingMissed {
			before = append(before, ev)
		}
	}
	live.o.Apply(before...)
	d := Fold(&cfg.Office, scriptDay, before, FoldOptions{})
	for _, s := range cfg.Office.Services {
		st := live.o.Stats(s.ID)
		c := cell(t, &d, DimService, s.ID, -1)
		ta := 0
		for _, n := range c.Turnaways {
			ta += n
		}
		rated, sum := 0, 0
		for i, n := range c.Ratings {
			rated += n
			sum += (i + 1) * n
		}
		if st.Issued != c.Issued || st.Served != c.Served || st.Resolved != c.Resolved || st.Forwarded != c.Forwarded ||
			st.NoShows != c.NoShows || st.Turnaways != ta || st.Contacts != c.Contacts || st.AppointmentsKept != c.Kept ||
			st.Ratings != rated || st.RatingSum != sum {
			t.Errorf("%s: live %+v, fold %+v", s.ID, st, c)
		}
	}
}

func TestDistPercentiles(t *testing.T) {
	var b distBuilder
	for _, m := range []int64{37, 5, 23, 9, 19, 10} {
		b.add(m * 60)
	}
	var a distAcc
	a.merge(b.dist())
	// Nearest rank: the median of six is the third, the 90th percentile
	// the sixth.
	if a.quantile(0.5) != 600 || a.quantile(0.9) != 37*60 || a.mean() != 103*60/6.0 {
		t.Fatalf("got median %v, p90 %v, mean %v", a.quantile(0.5), a.quantile(0.9), a.mean())
	}
	// Merging two days is exact: the same as one day with both.
	var b1, b2, both distBuilder
	for i := int64(0); i < 500; i++ {
		x := (i * 7919) % 20000 // up to five and a half hours
		both.add(x)
		if i%3 == 0 {
			b1.add(x)
		} else {
			b2.add(x)
		}
	}
	var m, w distAcc
	m.merge(b1.dist())
	m.merge(b2.dist())
	w.merge(both.dist())
	if !reflect.DeepEqual(m, w) {
		t.Fatal("merged days differ from the day with both")
	}
	// Rounded down to the bucket: 15 s below two hours, a minute above.
	for _, tc := range []struct{ sec, want int64 }{{0, 0}, {14, 0}, {15, 15}, {7199, 7185}, {7200, 7200}, {7259, 7200}, {43199, 43140}, {50000, 43200}, {-5, 0}} {
		if got := lower(bucket(tc.sec)); got != tc.want {
			t.Errorf("%d s: got %d, want %d", tc.sec, got, tc.want)
		}
	}
	var empty distAcc
	if !math.IsNaN(empty.quantile(0.5)) || !math.IsNaN(empty.mean()) {
		t.Fatal("an empty distribution has a median")
	}
	if js, _ := json.Marshal(Dist{}); string(js) != "{}" {
		t.Fatalf("an empty dist stores %s", js)
	}
}
