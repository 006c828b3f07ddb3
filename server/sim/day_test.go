package sim

import (
	"testing"
	"time"

	"turno/server/queue"
)

// A day worked out by hand: one counter, one clerk logged in at opening,
// fixed service times, known arrivals.
func TestHandCheckableDay(t *testing.T) {
	cfg := oneCounter(t)
	p := exact()
	absent := walkIn(cfg, "10:00", 10*time.Minute)
	absent.absent = true
	dp := &dayPlan{date: at("00:00"), shifts: oneShift("08:30"), citizens: []citizen{
		walkIn(cfg, "08:30", 10*time.Minute), // called at once:       wait 0, promised 0 (the counter is free)
		walkIn(cfg, "08:31", 10*time.Minute), // called at 08:40:       wait 9, promised the rest of A001: 9 (below)
		walkIn(cfg, "08:32", 10*time.Minute), // called at 08:50:       wait 18, promised 8 + 9:41 (below)
		absent,                               // called at once, recalled twice, no-show
		walkIn(cfg, "11:59", 40*time.Minute), // called at once, served until 12:39: 9 min of overtime
		walkIn(cfg, "12:05", 10*time.Minute), // after the 12:00 cut-off: turned away
		walkIn(cfg, "07:00", 10*time.Minute), // before opening: turned away, closed
	}}
	day, err := playDay(cfg, p, dp, 1, nil, Truth{})
	if err != nil {
		t.Fatal(err)
	}
	wantWaits := []time.Duration{0, 9 * time.Minute, 18 * time.Minute, 0, 0}
	// The forecast's promises: A001's expected rest one and two minutes in
	// (a configured 10 minutes spread as log-normal with CV 0.6 has all but
	// lost nothing of its mean that early: 9 and 8 minutes), plus, for the
	// third, one call of A002: 95 % served (10 min) and 5 % no-shows (the
	// three minutes of recalls), 9:39, and a hair of survival weighting.
	wantPromise := []time.Duration{0, 9 * time.Minute, 17*time.Minute + 41*time.Second, 0, 0}
	for i, want := range wantWaits {
		out := day.outcomes[i]
		if !out.called {
			t.Fatalf("citizen %d was never called", i)
		}
		if got := out.calledAt.Sub(dp.citizens[i].arrive); got != want {
			t.Errorf("citizen %d: waited %s, want %s", i, got, want)
		}
		if got := out.promise.EstimatedWait.D(); got != wantPromise[i] {
			t.Errorf("citizen %d: promised %s, want %s", i, got, wantPromise[i])
		}
	}
	if out := day.outcomes[3]; !out.noShow || out.served {
		t.Errorf("the absent citizen: got %+v, want a no-show", out)
	}
	if got := day.outcomes[3].endAt.Sub(at("10:00")); got < 2*time.Minute+30*time.Second || got > 3*time.Minute+30*time.Second {
		t.Errorf("no-show marked %s after the call, want two recalls about a minute apart and then the no-show", got)
	}
	if got := day.outcomes[5].refused; got != queue.RuleCutoffTime {
		t.Errorf("12:05: refused by %q, want %s", got, queue.RuleCutoffTime)
	}
	if got := day.outcomes[6].refused; got != queue.RuleClosed {
		t.Errorf("07:00: refused by %q, want %s", got, queue.RuleClosed)
	}
	if day.overtime != 9*time.Minute {
		t.Errorf("overtime %s, want 9m", day.overtime)
	}
	if c := day.office.Counter("1"); c.State != queue.CounterClosed {
		t.Errorf("counter 1 is %s at the end of the day, want closed", c.State)
	}

	// The same day through the figures.
	open, err := withoutCutoff(cfg)
	if err != nil {
		t.Fatal(err)
	}
	clair, err := clairvoyant(open, p, dp, 1)
	if err != nil {
		t.Fatal(err)
	}
	sum := newSummary(cfg, Scenario{Name: "hand"}, 0)
	sum.add(&played{plan: dp, day: day, clair: clair})
	rep := sum.report()
	f := rep.Total
	if f.Arrived != 7 || f.Issued != 5 || f.Served != 4 || f.NoShows != 1 || f.LeftUncalled != 0 || f.Called != 5 {
		t.Errorf("got %d came, %d tickets, %d served, %d no-shows, %d left, %d called; want 7, 5, 4, 1, 0, 5",
			f.Arrived, f.Issued, f.Served, f.NoShows, f.LeftUncalled, f.Called)
	}
	// Waits 0, 9, 18, 0, 0: mean 5.4, 90th percentile (nearest rank) 18.
	if f.WaitMean != 5.4 || f.WaitP90 != 18 {
		t.Errorf("waits: mean %v p90 %v, want 5.4 and 18", f.WaitMean, f.WaitP90)
	}
	// Errors 0, 0, 0.32, 0, 0: nobody waited over 1.5x the promise, nor
	// past the promise's high end.
	want := Accuracy{N: 5, MAE: 0.06, Bias: 0.06, Late: 0, AfterHigh: 0}
	if f.Engine != want {
		t.Errorf("engine accuracy %+v, want %+v", f.Engine, want)
	}
	if f.TurnedAway[queue.RuleCutoffTime] != 1 || f.TurnedAway[queue.RuleClosed] != 1 {
		t.Errorf("turned away %v, want one by cutoff_time and one closed", f.TurnedAway)
	}
	// Without a cut-off the 12:05 citizen is served 12:39-12:49, and the
	// 11:59 one ends at 12:39: both past closing.
	if f.Clairvoyant != 2 || !clair[4] || !clair[5] {
		t.Errorf("clairvoyant %d (%v), want the 11:59 and the 12:05 citizens", f.Clairvoyant, clair)
	}
	if d := rep.Days; d.OvertimeMean != 9 || d.DaysOvertimeOver5 != 1 || d.CutoffTurnaways != 1 || d.Clairvoyant != 2 {
		t.Errorf("days: %+v", d)
	}
}

// The clairvoyant count on a constructed day: six citizens of 45 minutes at
// opening, one at 12:10 and one at 12:20, one counter.
func TestClairvoyantCount(t *testing.T) {
	cfg := oneCounter(t)
	cfg.Services[0].ServiceTime = time.Hour // what the office expects
	p := exact()
	dp := &dayPlan{date: at("00:00"), shifts: oneShift("08:30")}
	for i := range 6 {
		dp.citizens = append(dp.citizens, walkIn(cfg, "08:30:0"+string(rune('0'+i)), 45*time.Minute))
	}
	dp.citizens = append(dp.citizens, walkIn(cfg, "12:10", 45*time.Minute), walkIn(cfg, "12:20", 45*time.Minute))

	// Without a cut-off they are served 08:30-09:15, ..., 11:30-12:15 (the
	// fifth), 12:15-13:00 (the sixth, past closing), 13:00-13:45 (12:10,
	// past closing); at 13:45 the overtime limit (13:30) is over and 12:20
	// goes home uncalled. A clairvoyant cut-off refuses those three.
	open, err := withoutCutoff(cfg)
	if err != nil {
		t.Fatal(err)
	}
	clair, err := clairvoyant(open, p, dp, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{false, false, false, false, false, true, true, true}
	for i := range want {
		if clair[i] != want[i] {
			t.Fatalf("clairvoyant marks %v, want %v", clair, want)
		}
	}
	free, err := playDay(open, p, dp, 1, nil, Truth{})
	if err != nil {
		t.Fatal(err)
	}
	if out := free.outcomes[7]; !out.left || out.called {
		t.Errorf("12:20 without a cut-off: got %+v, want left uncalled", out)
	}
	if free.overtime != 75*time.Minute {
		t.Errorf("overtime without a cut-off %s, want 1h15m (12:10's service ends at 13:45)", free.overtime)
	}

	// The cut-off, with the configured hour (and its spread): the third
	// would end at 11:30 on average, after 12:30 one time in ten or more, and
	// is refused, like the three after it; the 12:10 and 12:20 ones by
	// time. The office expects an hour a citizen where 45 minutes is the
	// truth: the forecast cannot do better than what it is told until it
	// has measured a few.
	day, err := playDay(cfg, p, dp, 1, nil, Truth{})
	if err != nil {
		t.Fatal(err)
	}
	rules := make([]string, len(day.outcomes))
	for i, out := range day.outcomes {
		rules[i] = out.refused
	}
	wantRules := []string{"", "", queue.RuleCutoffLoad, queue.RuleCutoffLoad, queue.RuleCutoffLoad, queue.RuleCutoffLoad, queue.RuleCutoffTime, queue.RuleCutoffTime}
	for i := range wantRules {
		if rules[i] != wantRules[i] {
			t.Fatalf("refusals %q, want %q", rules, wantRules)
		}
	}
}

// Every ticket ends served, a no-show or left uncalled, and the simulator's
// count agrees with the engine's own, on days hard enough to leave people
// uncalled.
func TestConservation(t *testing.T) {
	cfg, p := demo(t)
	p.OvertimeLimit = 5 * time.Minute
	sc := Scenario{Name: "crowd", Staffing: "change", Multiplier: 2.5}
	days := workingDays(cfg, at("00:00"), 4)
	left := 0
	for i, date := range days {
		dp := plan(cfg, p, sc, 7, i, date, nil)
		day, err := playDay(cfg, p, dp, 7, []Estimator{Naive{}}, Truth{})
		if err != nil {
			t.Fatal(err)
		}
		issued, refused := map[string]int{}, map[string]int{}
		for j, out := range day.outcomes {
			svc := dp.citizens[j].service
			if out.refused != "" {
				refused[svc]++
				continue
			}
			issued[svc]++
			ends := 0
			for _, b := range []bool{out.served, out.noShow, out.left} {
				if b {
					ends++
				}
			}
			if ends != 1 {
				t.Fatalf("%s citizen %d: served %v, no-show %v, left %v: want exactly one", date.Format(queue.DayLayout), j, out.served, out.noShow, out.left)
			}
			tk := day.office.Ticket(out.ticket)
			switch {
			case out.served && tk.Status != queue.StatusDone,
				out.noShow && tk.Status != queue.StatusNoShow,
				out.left && tk.Status != queue.StatusWaiting && tk.Status != queue.StatusNoShow:
				t.Fatalf("ticket %s is %s in the engine; the simulator says served %v, no-show %v, left %v", tk.Number, tk.Status, out.served, out.noShow, out.left)
			}
			if out.left {
				left++
			}
		}
		for _, s := range cfg.Services {
			st := day.office.Stats(s.ID)
			if st.Issued != issued[s.ID] || st.Turnaways != refused[s.ID] {
				t.Errorf("%s %s: the engine issued %d and refused %d, the simulator %d and %d", date.Format(queue.DayLayout), s.ID, st.Issued, st.Turnaways, issued[s.ID], refused[s.ID])
			}
		}
	}
	if left == 0 {
		t.Fatal("nobody was left uncalled: the test does not test that case")
	}
}

func TestNaiveEstimator(t *testing.T) {
	cfg, p := demo(t)
	p.CallGap = 0
	// Nobody has logged in before 08:35: the lane's five standard counters
	// are assumed. Then counter 1 opens and serves everyone in a minute.
	dp := &dayPlan{date: at("00:00"), shifts: []Shift{
		{Clerk: "mario", Counter: "1", Services: []string{"anagrafe", "tributi", "sociali"}, Login: at("08:35"), End: at("12:30"), Closing: at("12:30")},
	}}
	for _, c := range []struct{ svc, at string }{
		{"anagrafe", "08:30:10"}, {"sociali", "08:30:20"}, {"tributi", "08:30:30"}, {"documenti", "08:30:40"}, {"anagrafe", "08:36:30"},
	} {
		dp.citizens = append(dp.citizens, citizen{service: c.svc, arrive: at(c.at), serviceTime: time.Minute})
	}
	day, err := playDay(cfg, p, dp, 1, []Estimator{Naive{}}, Truth{})
	if err != nil {
		t.Fatal(err)
	}
	naive := func(i int) time.Duration { return day.outcomes[i].others[0].w.EstimatedWait.D() }
	// tributi at 08:30:30: anagrafe (10 min configured) and sociali
	// (15 min) before it, over five counters.
	if got := naive(2); got != 5*time.Minute {
		t.Errorf("tributi at 08:30:30: naive %s, want 5m", got)
	}
	// The document drop-off has nobody before it in its lane.
	if got := naive(3); got != 0 {
		t.Errorf("documenti: naive %s, want 0", got)
	}
	// At 08:36:30 counter 1 has served anagrafe and is on sociali (the
	// heavier weight): tributi (8 min configured) waits, one counter.
	if got := naive(4); got != 8*time.Minute {
		t.Errorf("anagrafe at 08:36:30: naive %s, want 8m", got)
	}
}

// A shift that runs past its closing into the next opening keeps the desk:
// the next shift at that counter logs in when it is free.
func TestShiftsDoNotOverlap(t *testing.T) {
	cfg := oneCounter(t)
	for d := time.Monday; d <= time.Friday; d++ {
		cfg.Hours[d] = []queue.Range{{From: 8*60 + 30, To: 10 * 60}, {From: 10*60 + 30, To: 12*60 + 30}}
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	p := exact()
	p.OvertimeLimit = 2 * time.Hour
	dp := &dayPlan{date: at("00:00"), shifts: []Shift{
		{Clerk: "mario", Counter: "1", Services: []string{"a"}, Login: at("08:30"), End: at("10:00"), Closing: at("10:00")},
		{Clerk: "mario", Counter: "1", Services: []string{"a"}, Login: at("10:30"), End: at("12:30"), Closing: at("12:30")},
	}}
	for _, hhmm := range []string{"08:30:00", "08:30:01", "08:30:02", "08:30:03"} {
		dp.citizens = append(dp.citizens, walkIn(cfg, hhmm, 40*time.Minute))
	}
	dp.citizens = append(dp.citizens, walkIn(cfg, "11:30", 10*time.Minute))
	day, err := playDay(cfg, p, dp, 1, nil, Truth{})
	if err != nil {
		t.Fatal(err)
	}
	// 08:30-09:10, 09:10-09:50, 09:50-10:30, 10:30-11:10: the morning's
	// clerk closes at 11:10, 70 minutes past 10:00.
	for i, out := range day.outcomes {
		if !out.served {
			t.Fatalf("citizen %d: %+v, want served", i, out)
		}
	}
	if day.overtime != 70*time.Minute {
		t.Errorf("overtime %s, want 1h10m", day.overtime)
	}
	// The second shift logged in once the desk was free and served 11:30.
	if out := day.outcomes[4]; !out.served || !out.calledAt.Equal(at("11:30")) {
		t.Errorf("the 11:30 citizen: %+v, want called at once by the second shift", out)
	}
}
