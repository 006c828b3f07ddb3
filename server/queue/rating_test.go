package queue

import (
	"testing"
	"time"
)

func (h *harness) rate(now time.Time, id string, score int) error {
	h.t.Helper()
	h.roll(now)
	events, err := h.o.Rate(now, id, score, Actor{Name: "phone"})
	if err == nil {
		h.commit(now, events)
	}
	return err
}

func TestRateAFinishedTicketOnce(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.open(at(tue, "08:30"), "1", "mario", "anagrafe")
	a := h.issue(at(tue, "09:00"), "anagrafe", false)
	b := h.issue(at(tue, "09:01"), "anagrafe", false)
	h.next(at(tue, "09:02"), "1", "mario")

	// Refusals change nothing: a score out of range, an unknown ticket, a
	// ticket at the counter or waiting.
	for _, tc := range []struct {
		name  string
		id    string
		score int
		want  error
	}{
		{"zero", a.ID, 0, ErrInvalidScore},
		{"six", a.ID, 6, ErrInvalidScore},
		{"negative", a.ID, -1, ErrInvalidScore},
		{"unknown", "ffffffffffffffffffffffffffffffff", 3, ErrUnknownTicket},
		{"by number", a.Number, 3, ErrUnknownTicket}, // the id is the secret, not the number
		{"at the counter", a.ID, 3, ErrNotFinished},
		{"waiting", b.ID, 3, ErrNotFinished},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, h.rate(at(tue, "09:03"), tc.id, tc.score), tc.want)
		})
	}
	if st := h.o.Stats("anagrafe"); st.Ratings != 0 {
		t.Fatalf("refused ratings counted: %+v", st)
	}

	h.finish(at(tue, "09:10"), "1", "mario")
	if err := h.rate(at(tue, "09:11"), a.ID, 4); err != nil {
		t.Fatal(err)
	}
	wantErr(t, h.rate(at(tue, "09:12"), a.ID, 5), ErrAlreadyRated)
	st := h.o.Stats("anagrafe")
	if st.Ratings != 1 || st.RatingSum != 4 {
		t.Fatalf("got %d ratings summing %d, want 1 and 4", st.Ratings, st.RatingSum)
	}
	ev := h.log[len(h.log)-1]
	if ev.Type != EventTicketRated || ev.Ticket != nil || ev.Rating == nil {
		t.Fatalf("got event %+v, want ticket.rated with a rating and no ticket", ev)
	}
	if r := *ev.Rating; r != (Rating{Ticket: a.ID, Service: "anagrafe", Counter: "1", Score: 4}) {
		t.Fatalf("got rating %+v: no clerk by default", r)
	}
	if pv := PublicView(h.o.Config(), h.o, h.o.Ticket(a.ID), at(tue, "09:12")); !pv.Rated || pv.Ratable {
		t.Fatalf("public view: rated %v ratable %v, want true, false", pv.Rated, pv.Ratable)
	}

	// Replay knows the rating: a restarted server refuses a second one.
	o := NewOffice(h.o.Config())
	o.Apply(h.log...)
	if _, err := o.Rate(at(tue, "09:20"), a.ID, 2, Actor{}); !isErr(err, ErrAlreadyRated) {
		t.Fatalf("after replay: got %v, want already_rated", err)
	}
	if st := o.Stats("anagrafe"); st.Ratings != 1 || st.RatingSum != 4 {
		t.Fatalf("after replay: got %+v", st)
	}

	// A ticket of yesterday is not today's: it cannot be rated.
	wantErr(t, h.rate(at("2026-11-25", "08:40"), a.ID, 3), ErrUnknownTicket)
}

func isErr(err, want error) bool {
	e, ok := err.(*Error)
	return ok && e.Is(want)
}

func TestRatingNamesTheClerkOnlyWhenTheRulesSaySo(t *testing.T) {
	cfg := testConfig(t)
	cfg.Rules.RatingsPerClerk = true
	h := newHarness(t, cfg)
	h.open(at(tue, "08:30"), "2", "lucia", "tributi")
	a := h.issue(at(tue, "09:00"), "tributi", false)
	h.next(at(tue, "09:01"), "2", "lucia")
	h.finish(at(tue, "09:05"), "2", "lucia")
	if err := h.rate(at(tue, "09:06"), a.ID, 5); err != nil {
		t.Fatal(err)
	}
	if r := h.log[len(h.log)-1].Rating; r.Clerk != "lucia" || r.Counter != "2" {
		t.Fatalf("got %+v, want clerk lucia at counter 2", r)
	}
}

func TestNoShowsAndExpiredTicketsCannotBeRated(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.open(at(tue, "08:30"), "1", "mario", "anagrafe")
	a := h.issue(at(tue, "09:00"), "anagrafe", false)
	h.next(at(tue, "09:01"), "1", "mario")
	h.do(at(tue, "09:02"), func(now time.Time) ([]Event, *Ticket, error) { return h.o.NoShow(now, "1", Actor{Name: "mario"}) })
	wantErr(t, h.rate(at(tue, "09:03"), a.ID, 1), ErrNotFinished)
}

func TestLastFinishedAtACounter(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.open(at(tue, "08:30"), "1", "mario", "anagrafe")
	h.open(at(tue, "08:30"), "2", "lucia", "anagrafe")
	if got := h.o.LastFinished("1"); got != nil {
		t.Fatalf("got %s before any finish", got.Number)
	}
	a := h.issue(at(tue, "09:00"), "anagrafe", false)
	b := h.issue(at(tue, "09:00"), "anagrafe", false)
	c := h.issue(at(tue, "09:00"), "anagrafe", false)
	h.next(at(tue, "09:01"), "1", "mario")
	h.next(at(tue, "09:01"), "2", "lucia")
	h.finish(at(tue, "09:05"), "1", "mario")
	h.finish(at(tue, "09:06"), "2", "lucia")
	h.next(at(tue, "09:07"), "1", "mario")
	if got := h.o.LastFinished("1"); got == nil || got.ID != a.ID {
		t.Fatalf("counter 1: got %v, want %s (c is at the desk, not finished)", got, a.Number)
	}
	h.finish(at(tue, "09:09"), "1", "mario")
	if got := h.o.LastFinished("1"); got == nil || got.ID != c.ID {
		t.Fatalf("counter 1: got %v, want %s", got, c.Number)
	}
	if got := h.o.LastFinished("2"); got == nil || got.ID != b.ID {
		t.Fatalf("counter 2: got %v, want %s", got, b.Number)
	}
}

// The promise recorded on a ticket is the wait it was told at issue: the
// position the office gives it right after.
func TestIssueRecordsThePromise(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.open(at(tue, "08:30"), "1", "mario", "anagrafe")
	for i, hhmm := range []string{"09:00", "09:00", "09:01", "09:03", "09:04"} {
		tk := h.issue(at(tue, hhmm), "anagrafe", i == 3)
		if tk.Promise == nil {
			t.Fatalf("%s: no promise", tk.Number)
		}
		pos, ok := h.o.PositionAt(at(tue, hhmm), h.o.Ticket(tk.ID))
		if !ok {
			t.Fatalf("%s: no position", tk.Number)
		}
		if d := time.Duration(pos.EstimatedWait - tk.Promise.EstimatedWait); d < -time.Second || d > time.Second {
			t.Fatalf("%s: promised %v, the position says %v", tk.Number, tk.Promise.EstimatedWait.D(), pos.EstimatedWait.D())
		}
	}
	if w := h.log[len(h.log)-1].Ticket.Promise; w == nil || w.EstimatedWait <= 0 {
		t.Fatalf("the issued event carries promise %+v, want a positive wait behind four", w)
	}
}
