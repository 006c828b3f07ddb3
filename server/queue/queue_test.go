package queue

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Tuesday 2026-11-24 is an ordinary working day with an afternoon opening.
const tue = "2026-11-24"

func TestNumbersAreSequentialPerServiceAndDay(t *testing.T) {
	h := newHarness(t, testConfig(t))
	got := []string{
		h.issue(at(tue, "09:00"), "anagrafe", false).Number,
		h.issue(at(tue, "09:01"), "anagrafe", false).Number,
		h.issue(at(tue, "09:02"), "tributi", false).Number,
		h.issue(at(tue, "09:03"), "anagrafe", true).Number,
	}
	want := []string{"A001", "A002", "T001", "A003"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	// The next business day starts again from 1, with no reset by anyone.
	if n := h.issue(at("2026-11-25", "08:31"), "anagrafe", false).Number; n != "A001" {
		t.Fatalf("next day: got %s, want A001", n)
	}
}

// allDay is open around the clock, to test the day boundary itself.
func allDay(t *testing.T) *Config {
	cfg := testConfig(t)
	var w Week
	for d := range w {
		w[d] = []Range{mustRange("00:00-24:00")}
	}
	cfg.Hours = w
	cfg.Closures = nil
	for i := range cfg.Services {
		cfg.Services[i].Hours = nil
		cfg.Services[i].CutoffOnLoad = false
		cfg.Services[i].CutoffBeforeClose = time.Minute
	}
	return cfg
}

func TestBusinessDayFollowsTheOfficeZoneAcrossDaylightSaving(t *testing.T) {
	for _, tc := range []struct {
		name          string
		before, after time.Time
		afterDay      string
	}{
		// At local midnight the UTC date is still the previous day.
		{"summer time starts", at("2026-03-28", "23:58"), at("2026-03-29", "00:00").Add(30 * time.Second), "2026-03-29"},
		{"summer time ends", at("2026-10-24", "23:58"), at("2026-10-25", "00:00").Add(30 * time.Second), "2026-10-25"},
		{"ordinary midnight", at(tue, "23:58"), at("2026-11-25", "00:00").Add(30 * time.Second), "2026-11-25"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, allDay(t))
			h.issue(tc.before, "anagrafe", false)
			h.issue(tc.before.Add(time.Second), "anagrafe", false)
			if tc.name != "ordinary midnight" && tc.before.UTC().Day() != tc.after.UTC().Day() {
				t.Fatalf("test setup: %s and %s should share the UTC date", tc.before.UTC(), tc.after.UTC())
			}
			tk := h.issue(tc.after, "anagrafe", false)
			if tk.Number != "A001" || tk.Day != tc.afterDay {
				t.Fatalf("got %s on %s, want A001 on %s", tk.Number, tk.Day, tc.afterDay)
			}
		})
	}
}

func TestHoursOnTheDaylightSavingDayAreWallClock(t *testing.T) {
	cfg := allDay(t)
	cfg.Hours[time.Sunday] = []Range{mustRange("08:30-12:30")}
	s := cfg.Service("anagrafe")
	spans := cfg.Spans(s, at("2026-03-29", "10:00"))
	if len(spans) != 1 || spans[0].Open.Format("15:04") != "08:30" || spans[0].Close.Format("15:04") != "12:30" {
		t.Fatalf("got %+v, want 08:30-12:30 local", spans)
	}
	if d := spans[0].Close.Sub(spans[0].Open); d != 4*time.Hour {
		t.Fatalf("got a span of %s, want 4h", d)
	}
}

func TestIdempotentIssueReturnsTheSameTicket(t *testing.T) {
	h := newHarness(t, testConfig(t))
	now := at(tue, "09:00")
	h.roll(now)
	req := IssueRequest{Service: "anagrafe", Key: "kiosk-1/abc"}
	ev1, t1, err := h.o.Issue(now, req, Actor{})
	if err != nil {
		t.Fatal(err)
	}
	h.commit(now, ev1)
	ev2, t2, err := h.o.Issue(now.Add(time.Second), req, Actor{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev2) != 0 || t2.ID != t1.ID || t2.Number != "A001" {
		t.Fatalf("retry: got %d events and %s, want no event and %s", len(ev2), t2.Number, t1.Number)
	}
	if n := h.issue(now, "anagrafe", false).Number; n != "A002" {
		t.Fatalf("got %s, want A002", n)
	}
}

func TestCallOrderIsArrivalAcrossServices(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.issue(at(tue, "09:00"), "tributi", false)
	h.issue(at(tue, "09:01"), "anagrafe", false)
	h.issue(at(tue, "09:02"), "tributi", false)
	h.open(at(tue, "09:05"), "1", "mario", "anagrafe", "tributi")
	var got []string
	for i := 0; i < 3; i++ {
		got = append(got, h.next(at(tue, "09:10"), "1", "mario").Number)
		h.finish(at(tue, "09:11"), "1", "mario")
	}
	if want := []string{"T001", "A001", "T002"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	_, _, err := h.o.Next(at(tue, "09:12"), "1", Actor{Name: "mario"})
	wantErr(t, err, ErrQueueEmpty)
}

func TestWeightsFavourAService(t *testing.T) {
	cfg := testConfig(t)
	cfg.Service("anagrafe").Weight = 3
	h := newHarness(t, cfg)
	h.issue(at(tue, "09:00"), "tributi", false)  // waits 20 min at 09:20: score 20
	h.issue(at(tue, "09:12"), "anagrafe", false) // waits 8 min x 3: score 24
	h.open(at(tue, "09:15"), "1", "mario", "anagrafe", "tributi")
	if n := h.next(at(tue, "09:20"), "1", "mario").Number; n != "A001" {
		t.Fatalf("got %s, want A001 (weight 3)", n)
	}
}

func TestPriorityGoesFirstButNeverMoreThanNInARow(t *testing.T) {
	h := newHarness(t, testConfig(t))            // PriorityMaxInRow defaults to 2
	h.issue(at(tue, "09:00"), "anagrafe", false) // A001 walk-in, first to arrive
	for i := 1; i <= 4; i++ {
		h.issue(at(tue, "09:01").Add(time.Duration(i)*time.Second), "anagrafe", true) // A002-A005
	}
	h.issue(at(tue, "09:02"), "anagrafe", false) // A006
	h.open(at(tue, "09:05"), "1", "mario", "anagrafe")
	var got []string
	for i := 0; i < 6; i++ {
		got = append(got, h.next(at(tue, "09:10"), "1", "mario").Number)
		h.finish(at(tue, "09:10"), "1", "mario")
	}
	want := []string{"A002", "A003", "A001", "A004", "A005", "A006"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestTransferKeepsThePlaceUnlessSentToTheBack(t *testing.T) {
	for _, tc := range []struct {
		toBack bool
		want   string
	}{{false, "A001"}, {true, "T001"}} {
		h := newHarness(t, testConfig(t))
		h.issue(at(tue, "09:00"), "anagrafe", false)
		h.issue(at(tue, "09:05"), "tributi", false)
		h.open(at(tue, "09:06"), "1", "mario", "anagrafe")
		h.open(at(tue, "09:06"), "2", "giulia", "tributi")
		h.next(at(tue, "09:07"), "1", "mario") // A001
		moved := h.do(at(tue, "09:08"), func(now time.Time) ([]Event, *Ticket, error) {
			return h.o.Transfer(now, "1", "tributi", tc.toBack, Actor{Name: "mario"})
		})
		if moved.Service != "tributi" || moved.Number != "A001" || !reflect.DeepEqual(moved.FromServices, []string{"anagrafe"}) {
			t.Fatalf("got %+v", moved)
		}
		if c := h.o.Counter("1"); c.Current != "" {
			t.Fatalf("counter 1 still holds %s", c.Current)
		}
		if n := h.next(at(tue, "09:09"), "2", "giulia").Number; n != tc.want {
			t.Fatalf("to_back=%v: got %s, want %s", tc.toBack, n, tc.want)
		}
	}
}

func TestRecallLimitNoShowReactivateCalledAgain(t *testing.T) {
	h := newHarness(t, testConfig(t)) // MaxRecalls defaults to 2
	h.issue(at(tue, "09:00"), "anagrafe", false)
	h.issue(at(tue, "09:01"), "anagrafe", false)
	h.open(at(tue, "09:02"), "1", "mario", "anagrafe")
	h.next(at(tue, "09:03"), "1", "mario")
	recall := func(now time.Time) ([]Event, *Ticket, error) { return h.o.Recall(now, "1", Actor{Name: "mario"}) }
	if tk := h.do(at(tue, "09:04"), recall); tk.Status != StatusCalled || tk.Recalls != 1 {
		t.Fatalf("first recall: got %s/%d", tk.Status, tk.Recalls)
	}
	h.do(at(tue, "09:05"), recall)
	tk := h.do(at(tue, "09:06"), recall)
	if tk.Status != StatusNoShow {
		t.Fatalf("third recall: got %s, want noshow", tk.Status)
	}
	if st := h.o.Stats("anagrafe"); st.NoShows != 1 {
		t.Fatalf("got %d no-shows, want 1", st.NoShows)
	}
	// The citizen comes back within the window: A001 is back at the head.
	h.do(at(tue, "09:10"), func(now time.Time) ([]Event, *Ticket, error) {
		return h.o.Reactivate(now, "1", "A001", Actor{Name: "mario"})
	})
	if n := h.next(at(tue, "09:11"), "1", "mario"); n.Number != "A001" || n.Calls != 2 {
		t.Fatalf("got %s called %d times, want A001 called twice", n.Number, n.Calls)
	}
	// A no-show older than the window stays out.
	h.do(at(tue, "09:12"), func(now time.Time) ([]Event, *Ticket, error) { return h.o.NoShow(now, "1", Actor{Name: "mario"}) })
	_, _, err := h.o.Reactivate(at(tue, "09:30"), "1", "A001", Actor{Name: "mario"})
	wantErr(t, err, ErrReactivateExpired)
}

func TestIllegalTransitionsAreRefused(t *testing.T) {
	h := newHarness(t, testConfig(t))
	now := at(tue, "09:00")
	h.issue(now, "anagrafe", false)
	mario, giulia := Actor{Name: "mario"}, Actor{Name: "giulia"}
	_, _, err := h.o.Next(now, "1", mario)
	wantErr(t, err, ErrCounterClosed)
	h.open(now, "1", "mario", "anagrafe")
	_, _, err = h.o.Finish(now, "1", FinishRequest{Outcome: OutcomeResolved}, mario)
	wantErr(t, err, ErrNoCurrentTicket)
	_, _, err = h.o.Next(now, "1", giulia)
	wantErr(t, err, ErrNotYourCounter)
	_, err = h.o.Open(now, "2", []string{"anagrafe"}, mario)
	wantErr(t, err, ErrCounterOpen)
	_, err = h.o.Open(now, "2", []string{"documenti"}, giulia)
	wantErr(t, err, ErrServiceNotServed)
	h.next(now, "1", "mario")
	_, _, err = h.o.Next(now, "1", mario)
	wantErr(t, err, ErrCounterBusy)
	_, err = h.o.Pause(now, "1", mario)
	wantErr(t, err, ErrCounterBusy)
	_, _, err = h.o.Finish(now, "1", FinishRequest{Outcome: OutcomeForwarded}, mario)
	wantErr(t, err, ErrInvalid) // forwarded needs a case reference
	_, _, err = h.o.Register(now, "1", "form", mario)
	wantErr(t, err, ErrNotFastTrack)
	h.do(now, func(now time.Time) ([]Event, *Ticket, error) { return h.o.Start(now, "1", mario) })
	_, _, err = h.o.NoShow(now, "1", mario)
	wantErr(t, err, ErrIllegalTransition)
	_, err = h.o.Close(now, "1", false, mario)
	wantErr(t, err, ErrCounterBusy)
	// A supervisor may force it closed: the ticket goes back to its queue.
	events, err := h.o.Close(now, "1", true, Actor{Name: "anna", Supervisor: true})
	if err != nil {
		t.Fatal(err)
	}
	h.commit(now, events)
	if tk := h.o.Ticket("A001"); tk.Status != StatusWaiting {
		t.Fatalf("got %s, want waiting", tk.Status)
	}
}

func TestFinishForwardedKeepsCaseReference(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.issue(at(tue, "09:00"), "tributi", false)
	h.open(at(tue, "09:00"), "1", "mario", "tributi")
	h.next(at(tue, "09:01"), "1", "mario")
	tk := h.do(at(tue, "09:09"), func(now time.Time) ([]Event, *Ticket, error) {
		return h.o.Finish(now, "1", FinishRequest{Outcome: OutcomeForwarded, CaseRef: "TRIB-2026-0042", Note: "rimborso IMU"}, Actor{Name: "mario"})
	})
	if tk.Outcome != OutcomeForwarded || tk.CaseRef != "TRIB-2026-0042" || tk.Status != StatusDone {
		t.Fatalf("got %+v", tk)
	}
	if st := h.o.Stats("tributi"); st.Forwarded != 1 || st.Served != 1 {
		t.Fatalf("got %+v", st)
	}
	if d := h.o.ServiceTime("tributi"); d >= 10*time.Minute || d <= 8*time.Minute {
		t.Fatalf("measured service time: got %s, want between the measured 8m and the configured 10m", d)
	}
}

func TestFixedCutoffAndReopening(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.roll(at(tue, "12:00"))
	_, _, err := h.o.Issue(at(tue, "12:00"), IssueRequest{Service: "anagrafe"}, Actor{})
	r := wantRefusal(t, err, RuleCutoffTime)
	if r.ReopensAt == nil || !r.ReopensAt.Equal(at(tue, "15:00")) {
		t.Fatalf("got reopens %v, want 15:00 the same day", r.ReopensAt)
	}
	if h.o.ServiceStatus(at(tue, "11:59"), "anagrafe").Status != ServiceOpen {
		t.Fatal("11:59 should still be open")
	}
}

func TestTurnawaysAreCounted(t *testing.T) {
	h := newHarness(t, testConfig(t))
	now := at(tue, "12:10")
	h.roll(now)
	events, _, err := h.o.Issue(now, IssueRequest{Service: "anagrafe"}, Actor{})
	wantRefusal(t, err, RuleCutoffTime)
	h.commit(now, events)
	if st := h.o.Stats("anagrafe"); st.Turnaways != 1 || st.ByRule[RuleCutoffTime] != 1 || st.Issued != 0 {
		t.Fatalf("got %+v", st)
	}
}

func TestLoadCutoffDependsOnStaffedCounters(t *testing.T) {
	h := newHarness(t, testConfig(t))
	for i := 0; i < 9; i++ {
		h.issue(at(tue, "10:00").Add(time.Duration(i)*time.Second), "anagrafe", false)
	}
	h.open(at(tue, "10:00"), "1", "mario", "anagrafe")
	// One counter, 9 waiting x about 10 min: a new ticket would likely be
	// served after closing at 12:30.
	now := at(tue, "10:31")
	st := h.o.ServiceStatus(now, "anagrafe")
	if st.Refusal == nil || st.Refusal.Rule != RuleCutoffLoad {
		t.Fatalf("one counter: got %s %+v, want cutoff_load", st.Status, st.Refusal)
	}
	if w := st.EstimatedWait.D(); w < 80*time.Minute || w > 95*time.Minute {
		t.Fatalf("got estimate %s, want about 9 services", w)
	}
	// A second clerk arrives: the same queue now fits before closing.
	h.open(now, "2", "giulia", "anagrafe")
	if st := h.o.ServiceStatus(now, "anagrafe"); st.Status != ServiceOpen {
		t.Fatalf("two counters: got %s %+v, want open", st.Status, st.Refusal)
	}
}

func TestFastTrackLaneHoursAndCounters(t *testing.T) {
	h := newHarness(t, testConfig(t))
	d := h.issue(at(tue, "09:00"), "documenti", false)
	h.issue(at(tue, "08:59"), "anagrafe", false) // arrived earlier, other lane
	// Counter 1 serves the standard lane only and may not take documenti.
	h.open(at(tue, "09:01"), "1", "mario", "anagrafe", "tributi")
	_, err := h.o.Open(at(tue, "09:01"), "1", []string{"documenti"}, Actor{Name: "mario"})
	wantErr(t, err, ErrServiceNotServed)
	h.open(at(tue, "09:01"), "6", "luca", "documenti")
	if n := h.next(at(tue, "09:02"), "6", "luca"); n.ID != d.ID {
		t.Fatalf("fast-track counter called %s, want %s", n.Number, d.Number)
	}
	reg := h.do(at(tue, "09:03"), func(now time.Time) ([]Event, *Ticket, error) {
		return h.o.Register(now, "6", "Istanza di residenza", Actor{Name: "luca"})
	})
	if reg.Protocol != "2026/000001" {
		t.Fatalf("got protocol %q, want 2026/000001", reg.Protocol)
	}
	_, _, err = h.o.Register(at(tue, "09:04"), "6", "again", Actor{Name: "luca"})
	wantErr(t, err, ErrAlreadyRegistered)
	// Its own hours: cut off 15 minutes before 12:30, closed in the afternoon.
	h.roll(at(tue, "12:16"))
	_, _, err = h.o.Issue(at(tue, "12:16"), IssueRequest{Service: "documenti"}, Actor{})
	wantRefusal(t, err, RuleCutoffTime)
	_, _, err = h.o.Issue(at(tue, "15:30"), IssueRequest{Service: "documenti"}, Actor{})
	r := wantRefusal(t, err, RuleClosed)
	if r.ReopensAt == nil || !r.ReopensAt.Equal(at("2026-11-25", "08:30")) {
		t.Fatalf("got reopens %v, want tomorrow 08:30", r.ReopensAt)
	}
	if _, _, err := h.o.Issue(at(tue, "15:30"), IssueRequest{Service: "anagrafe"}, Actor{}); err != nil {
		t.Fatalf("the standard lane is open in the afternoon: %v", err)
	}
}

func TestProtocolNumbersContinueAcrossDaysAndRestartEachYear(t *testing.T) {
	cfg := allDay(t)
	h := newHarness(t, cfg)
	h.open(at("2026-12-31", "10:00"), "6", "luca", "documenti")
	register := func(now time.Time) string {
		h.issue(now, "documenti", false)
		h.next(now, "6", "luca")
		tk := h.do(now, func(now time.Time) ([]Event, *Ticket, error) {
			return h.o.Register(now, "6", "doc", Actor{Name: "luca"})
		})
		h.finish(now, "6", "luca")
		return tk.Protocol
	}
	got := []string{register(at("2026-12-31", "10:01")), register(at("2026-12-31", "10:02"))}
	h.open(at("2027-01-01", "09:00"), "6", "luca", "documenti")
	got = append(got, register(at("2027-01-01", "09:01")))
	want := []string{"2026/000001", "2026/000002", "2027/000001"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestClosedDaysAndLocks(t *testing.T) {
	h := newHarness(t, testConfig(t))
	sat := at("2026-11-28", "10:00")
	h.roll(sat)
	_, _, err := h.o.Issue(sat, IssueRequest{Service: "anagrafe"}, Actor{})
	r := wantRefusal(t, err, RuleClosed)
	if !r.ReopensAt.Equal(at("2026-11-30", "08:30")) {
		t.Fatalf("got reopens %v, want Monday 08:30", r.ReopensAt)
	}
	xmas := at("2026-12-25", "10:00") // a Friday, closed by the calendar
	h.roll(xmas)
	_, _, err = h.o.Issue(xmas, IssueRequest{Service: "anagrafe"}, Actor{})
	wantRefusal(t, err, RuleClosed)

	now := at(tue, "09:00")
	h.roll(now)
	events, err := h.o.Lock(now, "tributi", "system down", Actor{Name: "anna", Supervisor: true})
	if err != nil {
		t.Fatal(err)
	}
	h.commit(now, events)
	_, _, err = h.o.Issue(now, IssueRequest{Service: "tributi"}, Actor{})
	wantRefusal(t, err, RuleLocked)
	_, err = h.o.Lock(now, "tributi", "again", Actor{Name: "anna"})
	wantErr(t, err, ErrAlreadyLocked)
	events, err = h.o.Unlock(now, "tributi", Actor{Name: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	h.commit(now, events)
	h.issue(now, "tributi", false)
}

func TestDailyCap(t *testing.T) {
	cfg := testConfig(t)
	cfg.Service("tributi").DailyCap = 2
	h := newHarness(t, cfg)
	h.issue(at(tue, "09:00"), "tributi", false)
	h.issue(at(tue, "09:00"), "tributi", false)
	_, _, err := h.o.Issue(at(tue, "09:01"), IssueRequest{Service: "tributi"}, Actor{})
	r := wantRefusal(t, err, RuleDailyCap)
	if !r.ReopensAt.Equal(at("2026-11-25", "08:30")) {
		t.Fatalf("got reopens %v, want tomorrow 08:30", r.ReopensAt)
	}
}

func TestRolloverExpiresLeftoversAndResetsCounters(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.issue(at(tue, "09:00"), "anagrafe", false)
	h.issue(at(tue, "09:01"), "anagrafe", false)
	h.open(at(tue, "09:02"), "1", "mario", "anagrafe")
	h.next(at(tue, "09:03"), "1", "mario")
	events := h.o.Rollover(at("2026-11-25", "07:00"))
	if len(events) != 3 || events[0].Type != EventTicketExpired || events[2].Type != EventDayRollover {
		t.Fatalf("got %d events %v", len(events), events)
	}
	h.commit(at("2026-11-25", "07:00"), events)
	if c := h.o.Counter("1"); c.State != CounterClosed || c.Current != "" {
		t.Fatalf("counter after rollover: %+v", c)
	}
	if h.o.Ticket("A001") != nil || h.o.Day() != "2026-11-25" {
		t.Fatal("yesterday's tickets are still in today's office")
	}
}

// Replaying the log into a fresh office must rebuild exactly the same state:
// it is how the server restarts.
func TestReplayRebuildsTheSameState(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.issue(at(tue, "09:00"), "anagrafe", false)
	h.issue(at(tue, "09:01"), "tributi", true)
	h.issue(at(tue, "09:02"), "documenti", false)
	h.open(at(tue, "09:03"), "1", "mario", "anagrafe", "tributi")
	h.open(at(tue, "09:03"), "6", "luca", "documenti")
	h.next(at(tue, "09:04"), "1", "mario")
	h.finish(at(tue, "09:10"), "1", "mario")
	h.next(at(tue, "09:11"), "6", "luca")
	h.do(at(tue, "09:12"), func(now time.Time) ([]Event, *Ticket, error) {
		return h.o.Register(now, "6", "doc", Actor{Name: "luca"})
	})

	replayed := NewOffice(h.o.Config())
	// Through JSON, as from the store.
	for _, ev := range h.log {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		replayed.Apply(back)
	}
	now := at(tue, "09:15")
	want, _ := json.Marshal(h.o.Snapshot(now))
	got, _ := json.Marshal(replayed.Snapshot(now))
	if string(got) != string(want) {
		t.Fatalf("replayed snapshot differs:\ngot  %s\nwant %s", got, want)
	}
}

func TestPositionsAndEstimates(t *testing.T) {
	h := newHarness(t, testConfig(t))
	a1 := h.issue(at(tue, "09:00"), "anagrafe", false)
	a2 := h.issue(at(tue, "09:01"), "anagrafe", false)
	p := h.issue(at(tue, "09:02"), "anagrafe", true)
	h.open(at(tue, "09:03"), "1", "mario", "anagrafe")
	now := at(tue, "09:03")
	call, _ := h.o.Model("anagrafe").call()
	each := time.Duration(call * float64(time.Second))
	for _, tc := range []struct {
		tk    *Ticket
		ahead int
		wait  time.Duration
	}{{p, 0, 0}, {a1, 1, each}, {a2, 2, 2 * each}} {
		pos, ok := h.o.PositionAt(now, h.o.Ticket(tc.tk.ID))
		if !ok || pos.Ahead != tc.ahead || (pos.EstimatedWait.D()-tc.wait).Abs() > time.Second {
			t.Fatalf("%s: got %+v, want ahead %d wait %s", tc.tk.Number, pos, tc.ahead, tc.wait)
		}
		if tc.wait > 0 && !(pos.WaitLow < pos.EstimatedWait && pos.EstimatedWait < pos.WaitHigh) {
			t.Fatalf("%s: got range %s-%s around %s, want a range", tc.tk.Number, pos.WaitLow.D(), pos.WaitHigh.D(), pos.EstimatedWait.D())
		}
	}
	// The counter calls p: a1 now waits for the rest of p's service, which
	// is longer than a whole one (four minutes in, a skewed service time
	// still has most of its mean to go).
	h.next(at(tue, "09:04"), "1", "mario")
	pos, _ := h.o.PositionAt(at(tue, "09:08"), h.o.Ticket(a1.ID))
	if pos.Ahead != 0 || pos.EstimatedWait.D() <= 0 || pos.EstimatedWait.D() >= each {
		t.Fatalf("got %+v, want ahead 0 and less than a whole service", pos)
	}
}

func TestNumeratorStateChangesAreAnnouncedOnce(t *testing.T) {
	h := newHarness(t, testConfig(t))
	type change struct{ typ, service, rule string }
	step := func(hhmm string, want ...change) {
		t.Helper()
		now := at(tue, hhmm)
		h.roll(now)
		events := h.o.StatusChanges(now)
		h.commit(now, events)
		var got []change
		for _, ev := range events {
			c := change{typ: ev.Type, service: ev.Service}
			if ev.Refusal != nil {
				c.rule = ev.Refusal.Rule
			}
			got = append(got, c)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("at %s: got %v, want %v", hhmm, got, want)
		}
	}
	step("08:00",
		change{EventServiceClosed, "anagrafe", RuleClosed},
		change{EventServiceClosed, "tributi", RuleClosed},
		change{EventServiceClosed, "documenti", RuleClosed})
	step("08:10") // nothing changed
	step("08:30",
		change{EventServiceReopened, "anagrafe", ""},
		change{EventServiceReopened, "tributi", ""},
		change{EventServiceReopened, "documenti", ""})
	// A lock is announced by its own events; the state under it is not.
	events, err := h.o.Lock(at(tue, "11:00"), "tributi", "sistema giù", Actor{Name: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	h.commit(at(tue, "11:00"), events)
	step("12:00", change{EventServiceCutoff, "anagrafe", RuleCutoffTime})
	step("12:15", change{EventServiceCutoff, "documenti", RuleCutoffTime})
	events, err = h.o.Unlock(at(tue, "12:20"), "tributi", Actor{Name: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	h.commit(at(tue, "12:20"), events)
	step("12:20", change{EventServiceCutoff, "tributi", RuleCutoffTime})
	step("12:30",
		change{EventServiceClosed, "anagrafe", RuleClosed},
		change{EventServiceClosed, "tributi", RuleClosed},
		change{EventServiceClosed, "documenti", RuleClosed})
	step("15:00",
		change{EventServiceReopened, "anagrafe", ""},
		change{EventServiceReopened, "tributi", ""})
	// Replay of the log rebuilds what was announced: nothing new to say.
	replay := NewOffice(h.o.Config())
	replay.Apply(h.log...)
	if got := replay.StatusChanges(at(tue, "15:00")); len(got) != 0 {
		t.Fatalf("after replay: got %d changes, want none", len(got))
	}
}

func TestMistakenCallsDoNotMeasureTheServiceTime(t *testing.T) {
	h := newHarness(t, testConfig(t))
	for i := 0; i < 30; i++ {
		h.issue(at(tue, "09:00").Add(time.Duration(i)*time.Second), "anagrafe", false)
	}
	h.open(at(tue, "09:00"), "1", "mario", "anagrafe")
	h.next(at(tue, "09:01"), "1", "mario")
	h.finish(at(tue, "09:01").Add(5*time.Second), "1", "mario") // closed at once: a misclick
	if got := h.o.ServiceTime("anagrafe"); got != 10*time.Minute {
		t.Fatalf("after a 5 s call: got %s, want the configured 10m", got)
	}
	// One 4-minute service moves the estimate toward it, not all the way:
	// one quick citizen does not make every estimate short.
	clock := at(tue, "09:02")
	h.next(clock, "1", "mario")
	clock = clock.Add(4 * time.Minute)
	h.finish(clock, "1", "mario")
	if got := h.o.ServiceTime("anagrafe"); got <= 4*time.Minute || got >= 10*time.Minute {
		t.Fatalf("after one 4 min service: got %s, want between 4m and 10m", got)
	}
	// Many make it the day's own figure.
	for i := 0; i < 25; i++ {
		h.next(clock, "1", "mario")
		clock = clock.Add(4 * time.Minute)
		h.finish(clock, "1", "mario")
	}
	if got := h.o.ServiceTime("anagrafe"); got < 4*time.Minute || got > 5*time.Minute {
		t.Fatalf("after 26 services of 4 min: got %s, want about 4m", got)
	}
}

func TestHallMessageAndContacts(t *testing.T) {
	h := newHarness(t, testConfig(t))
	now := at(tue, "09:00")
	h.roll(now)
	anna := Actor{Name: "anna", Supervisor: true}
	events, err := h.o.SetHallMessage(now, "  Sportello 2 chiuso fino alle 10  ", anna)
	if err != nil {
		t.Fatal(err)
	}
	h.commit(now, events)
	if got := h.o.HallMessage(); got != "Sportello 2 chiuso fino alle 10" {
		t.Fatalf("got %q", got)
	}
	if events, _ := h.o.SetHallMessage(now, "Sportello 2 chiuso fino alle 10", anna); len(events) != 0 {
		t.Fatalf("the same message again gave %d events", len(events))
	}
	for _, svc := range []string{"anagrafe", "", "anagrafe"} {
		events, err := h.o.LogContact(now, svc, "modulo ISEE", anna)
		if err != nil {
			t.Fatal(err)
		}
		h.commit(now, events)
	}
	if _, err := h.o.LogContact(now, "nope", "", anna); !errors.Is(err, ErrUnknownService) {
		t.Fatalf("got %v", err)
	}
	if _, err := h.o.SetHallMessage(now, strings.Repeat("x", 281), anna); !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v", err)
	}
	snap := h.o.Snapshot(now)
	if snap.Contacts != 3 || snap.Services[0].Stats.Contacts != 2 || snap.HallMessage == "" {
		t.Fatalf("got contacts %d, anagrafe %d, message %q", snap.Contacts, snap.Services[0].Stats.Contacts, snap.HallMessage)
	}
	events, _ = h.o.SetHallMessage(now, "", anna)
	h.commit(now, events)
	// The next day starts with no message and no contacts.
	h.roll(at("2026-11-25", "08:00"))
	if h.o.HallMessage() != "" || h.o.Contacts() != 0 {
		t.Fatalf("a new day kept %q and %d contacts", h.o.HallMessage(), h.o.Contacts())
	}
}

func TestAClockSetBackAcrossMidnightNeverReentersADay(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.issue(at(tue, "09:00"), "anagrafe", false)
	// The clock jumps to tomorrow (a bad hardware clock), then is corrected.
	h.issue(at("2026-11-25", "09:00"), "anagrafe", false)
	if events := h.o.Rollover(at(tue, "09:05")); events != nil {
		t.Fatalf("going back to %s: got %d events, want none", tue, len(events))
	}
	next := h.issue(at(tue, "09:05"), "anagrafe", false)
	if next.Day != "2026-11-25" || next.Number != "A002" {
		t.Fatalf("got %s on %s, want A002 on 2026-11-25 (never A001 twice on a day)", next.Number, next.Day)
	}
}

func TestAReusedKeyForAnotherServiceIsRefused(t *testing.T) {
	h := newHarness(t, testConfig(t))
	now := at(tue, "09:00")
	h.roll(now)
	events, first, err := h.o.Issue(now, IssueRequest{Service: "anagrafe", Key: "k1"}, Actor{Name: "kiosk-1"})
	if err != nil {
		t.Fatal(err)
	}
	h.commit(now, events)
	_, _, err = h.o.Issue(now, IssueRequest{Service: "tributi", Key: "k1"}, Actor{Name: "kiosk-1"})
	wantErr(t, err, ErrIdempotencyConflict)
	// Still the same ticket for the same request, even once transferred.
	h.open(now, "1", "mario", "anagrafe")
	h.next(now, "1", "mario")
	h.do(now, func(now time.Time) ([]Event, *Ticket, error) {
		return h.o.Transfer(now, "1", "tributi", false, Actor{Name: "mario"})
	})
	events, again, err := h.o.Issue(now, IssueRequest{Service: "anagrafe", Key: "k1"}, Actor{Name: "kiosk-1"})
	if err != nil || len(events) != 0 || again.ID != first.ID {
		t.Fatalf("got %v %v, want the same ticket", again, err)
	}
}

func TestTheFloorAssistantChangingServicesLeavesTheClerkInCharge(t *testing.T) {
	h := newHarness(t, testConfig(t))
	now := at(tue, "09:00")
	h.open(now, "1", "mario", "anagrafe")
	idle := h.o.Counter("1").IdleSince
	events, err := h.o.Open(now.Add(time.Minute), "1", []string{"anagrafe", "tributi"}, Actor{Name: "anna", Supervisor: true})
	if err != nil {
		t.Fatal(err)
	}
	h.commit(now.Add(time.Minute), events)
	c := h.o.Counter("1")
	if c.Clerk != "mario" || len(c.Services) != 2 || !c.IdleSince.Equal(*idle) {
		t.Fatalf("got clerk %s, services %v, idle since %v", c.Clerk, c.Services, c.IdleSince)
	}
	if _, err := h.o.Pause(now.Add(2*time.Minute), "1", Actor{Name: "mario"}); err != nil {
		t.Fatalf("mario pausing his own counter: %v", err)
	}
}

func TestServiceViewNameFallsBack(t *testing.T) {
	for _, tc := range []struct {
		it, en, lang, want string
	}{
		{"Anagrafe", "Registry", "it", "Anagrafe"},
		{"Anagrafe", "Registry", "en", "Registry"},
		{"Anagrafe", "", "en", "Anagrafe"},
		{"", "Registry", "it", "Registry"},
		{"", "", "it", "anagrafe"},
	} {
		v := ServiceView{ID: "anagrafe", NameIT: tc.it, NameEN: tc.en}
		if got := v.Name(tc.lang); got != tc.want {
			t.Errorf("%q/%q in %s: got %q, want %q", tc.it, tc.en, tc.lang, got, tc.want)
		}
	}
}
