package queue

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// agendaConfig is testConfig with anagrafe bookable: 15-minute slots, one
// per slot, check-in from 15 minutes early to 10 minutes late.
func agendaConfig(t *testing.T, late LatePolicy) *Config {
	t.Helper()
	cfg := testConfig(t)
	cfg.Services[0].Agenda = &Agenda{Slot: 15 * time.Minute, PerSlot: 1, HorizonDays: 30, MinNotice: 2 * time.Hour, Late: late}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func (h *harness) book(now time.Time, req BookRequest) (*Booking, error) {
	h.t.Helper()
	h.roll(now)
	if req.Service == "" {
		req.Service = "anagrafe"
	}
	if req.Name == "" {
		req.Name = "Maria Rossi"
	}
	if req.Channel == "" {
		req.Channel = ChannelWeb
	}
	events, b, err := h.o.Book(now, req, Actor{Name: "web"})
	h.commit(now, events)
	return b, err
}

func (h *harness) checkIn(now time.Time, code string) (*Ticket, error) {
	h.t.Helper()
	h.roll(now)
	events, tk, _, err := h.o.CheckIn(now, code, Actor{Name: "kiosk-1"})
	h.commit(now, events)
	h.commit(now, h.o.AgendaChanges(now))
	return tk, err
}

func TestSlotsFollowHoursClosuresAndDaylightSaving(t *testing.T) {
	cfg := agendaConfig(t, LateWalkIn)
	a := cfg.Service("anagrafe")
	for _, tc := range []struct {
		name        string
		day         time.Time
		n           int
		first, last string
	}{
		{"a Tuesday: morning and afternoon", at(tue, "12:00"), 16 + 8, "08:30", "16:45"},
		{"a closure", at("2026-12-25", "12:00"), 0, "", ""},
		{"a Sunday", at("2026-11-29", "12:00"), 0, "", ""},
		// Europe/Rome's clocks change on Sundays, so Mondays after them
		// keep their nominal hours.
		{"after summer time starts", at("2026-03-30", "12:00"), 16 + 8, "08:30", "16:45"},
		{"after summer time ends", at("2026-10-26", "12:00"), 16 + 8, "08:30", "16:45"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slots := cfg.Slots(a, tc.day)
			if len(slots) != tc.n {
				t.Fatalf("got %d slots, want %d", len(slots), tc.n)
			}
			if tc.n == 0 {
				return
			}
			if f, l := slots[0].Open.In(rome).Format("15:04"), slots[len(slots)-1].Open.In(rome).Format("15:04"); f != tc.first || l != tc.last {
				t.Fatalf("got %s-%s, want %s-%s", f, l, tc.first, tc.last)
			}
			for _, s := range slots {
				if s.Close.Sub(s.Open) != 15*time.Minute {
					t.Fatalf("slot %s lasts %s", s.Open, s.Close.Sub(s.Open))
				}
			}
		})
	}
	// A zone whose day of change has a 23-hour day at midday hours is the
	// same: slots are wall-clock. Appointment hours crossing the change
	// (01:00-04:00 on the night clocks go forward) lose the hour that does
	// not exist rather than doubling a slot.
	night := agendaConfig(t, LateWalkIn)
	var w Week
	w[time.Sunday] = []Range{mustRange("01:00-04:00")}
	night.Hours = w
	night.Services[0].Hours = &w
	night.Services[0].Agenda.Hours = &w
	if err := night.Prepare(); err != nil {
		t.Fatal(err)
	}
	slots := night.Slots(night.Service("anagrafe"), at("2026-03-29", "12:00"))
	seen := map[int64]bool{}
	for _, s := range slots {
		if seen[s.Open.Unix()] {
			t.Fatalf("slot %s twice", s.Open)
		}
		seen[s.Open.Unix()] = true
	}
	if len(slots) != 8 { // 01:00-02:00 and 03:00-04:00: 02:00-03:00 does not exist
		t.Fatalf("night of the change: got %d slots, want 8: %v", len(slots), slots)
	}
}

func TestBookingIsIdempotentAndNeverOverbooks(t *testing.T) {
	h := newHarness(t, agendaConfig(t, LateWalkIn))
	now := at(tue, "09:00")
	slot := at(tue, "15:00")
	b, err := h.book(now, BookRequest{Slot: slot, Contact: "Maria.Rossi@Example.org", Key: "web:k1"})
	if err != nil || b.State != BookingBooked || len(b.Code) != CodeLength || len(b.ID) != 32 || b.Contact != "maria.rossi@example.org" {
		t.Fatalf("got %+v %v", b, err)
	}
	again, err := h.book(now, BookRequest{Slot: slot, Contact: "maria.rossi@example.org", Key: "web:k1"})
	if err != nil || again.ID != b.ID {
		t.Fatalf("the same key: got %+v %v, want %s", again, err, b.ID)
	}
	if _, err := h.book(now, BookRequest{Slot: slot.Add(15 * time.Minute), Key: "web:k1"}); !errors.Is(err, ErrIdempotencyConflict) {
		t.Fatalf("the key for another slot: got %v", err)
	}
	// The slot takes one citizen: the next is refused, and nothing changes.
	seq := h.o.Seq()
	if _, err := h.book(now, BookRequest{Slot: slot, Name: "Luigi Bianchi"}); !errors.Is(err, ErrSlotFull) {
		t.Fatalf("a full slot: got %v", err)
	}
	if h.o.Seq() != seq {
		t.Fatal("a refused booking changed the office")
	}
	// One active booking per contact and service.
	if _, err := h.book(now, BookRequest{Slot: slot.Add(time.Hour), Contact: "maria.rossi@example.org"}); !errors.Is(err, ErrBookingLimit) {
		t.Fatalf("a second booking for the contact: got %v", err)
	}
	// Cancelling frees the slot at once, for anyone.
	events, _, err := h.o.CancelBooking(now, b.Code, true, Actor{Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	h.commit(now, events)
	if c := h.o.Booking(b.ID); c.State != BookingCancelled || c.CancelledBy != CancelledByCitizen {
		t.Fatalf("got %+v", c)
	}
	if nb, err := h.book(now, BookRequest{Slot: slot, Name: "Luigi Bianchi"}); err != nil || nb.Slot != slot {
		t.Fatalf("rebook the freed slot: got %+v %v", nb, err)
	}
	if _, err := h.book(now, BookRequest{Slot: slot.Add(time.Hour), Contact: "maria.rossi@example.org"}); err != nil {
		t.Fatalf("the contact's cancelled booking no longer counts: %v", err)
	}
}

func TestBookingRefusesWhatIsNotASlotInTime(t *testing.T) {
	h := newHarness(t, agendaConfig(t, LateWalkIn))
	now := at(tue, "09:00")
	h.roll(now)
	for _, tc := range []struct {
		name string
		req  BookRequest
		want error
	}{
		{"not bookable", BookRequest{Service: "tributi", Slot: at(tue, "15:00")}, ErrNotBookable},
		{"unknown service", BookRequest{Service: "x", Slot: at(tue, "15:00")}, ErrUnknownService},
		{"between slots", BookRequest{Slot: at(tue, "15:05")}, ErrNoSuchSlot},
		{"out of hours", BookRequest{Slot: at(tue, "13:00")}, ErrNoSuchSlot},
		{"a closure", BookRequest{Slot: at("2026-12-25", "09:00")}, ErrNoSuchSlot},
		{"begun", BookRequest{Slot: at(tue, "08:45"), Channel: ChannelPhone, Staff: true}, ErrSlotPast},
		{"within the notice", BookRequest{Slot: at(tue, "10:45")}, ErrSlotTooSoon},
		{"beyond the horizon", BookRequest{Slot: at("2027-01-05", "09:00")}, ErrSlotTooFar},
		{"no name", BookRequest{Slot: at(tue, "15:00"), Name: "   "}, ErrInvalid},
		{"a long name", BookRequest{Slot: at(tue, "15:00"), Name: strings.Repeat("è", 101)}, ErrInvalid},
		{"a bad contact", BookRequest{Slot: at(tue, "15:00"), Contact: "call me"}, ErrInvalid},
		{"a bad channel", BookRequest{Slot: at(tue, "15:00"), Channel: "fax"}, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seq := h.o.Seq()
			_, err := h.book(now, tc.req)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if h.o.Seq() != seq {
				t.Fatal("a refused booking changed the office")
			}
		})
	}
	// Staff booking for a citizen on the phone may take a slot within the
	// notice.
	if b, err := h.book(now, BookRequest{Slot: at(tue, "09:30"), Channel: ChannelPhone, Staff: true}); err != nil || b.CreatedBy != "web" {
		t.Fatalf("staff within the notice: got %+v %v", b, err)
	}
	// A name of 100 accented letters is 100 characters, not 200 bytes.
	if _, err := h.book(now, BookRequest{Slot: at(tue, "15:30"), Name: strings.Repeat("è", 100)}); err != nil {
		t.Fatalf("100 accented letters: %v", err)
	}
}

func TestCheckInEarlyOnTimeLateTwiceAndCancelled(t *testing.T) {
	h := newHarness(t, agendaConfig(t, LateWalkIn))
	yesterday := at("2026-11-23", "09:00")
	onTime, _ := h.book(yesterday, BookRequest{Slot: at(tue, "10:00"), Name: "On Time"})
	early, _ := h.book(yesterday, BookRequest{Slot: at(tue, "11:00"), Name: "Early"})
	late, _ := h.book(yesterday, BookRequest{Slot: at(tue, "09:00"), Name: "Late"})
	cancelled, _ := h.book(yesterday, BookRequest{Slot: at(tue, "09:15"), Name: "Cancelled"})
	tomorrow, _ := h.book(yesterday, BookRequest{Slot: at("2026-11-25", "09:00"), Name: "Tomorrow"})
	events, _, _ := h.o.CancelBooking(yesterday, cancelled.ID, false, Actor{Name: "anna"})
	h.commit(yesterday, events)

	refusal := func(err error, reason string) *CheckInRefusal {
		t.Helper()
		var r *CheckInRefusal
		if !errors.As(err, &r) || r.Reason != reason {
			t.Fatalf("got %v, want a check-in refusal %s", err, reason)
		}
		return r
	}
	// Late (09:00 slot, window until 09:10): served as a walk-in from now.
	lt, err := h.checkIn(at(tue, "09:30"), late.Code)
	if err != nil || lt.Due != nil || lt.Number != "A001" || !lt.QueuedAt.Equal(at(tue, "09:30")) || lt.Booking != late.ID {
		t.Fatalf("late: got %+v %v", lt, err)
	}
	if b := h.o.Booking(late.ID); b.State != BookingCheckedIn || !b.Late {
		t.Fatalf("late booking: got %+v", b)
	}
	refusal(func() error { _, err := h.checkIn(at(tue, "09:31"), cancelled.Code); return err }(), CheckInCancelled)
	refusal(func() error { _, err := h.checkIn(at(tue, "09:31"), "ZZZZZZ"); return err }(), CheckInUnknown)
	refusal(func() error { _, err := h.checkIn(at(tue, "09:31"), tomorrow.Code); return err }(), CheckInNotToday)
	// On time, typed in lower case with a dash: an appointment ticket.
	code := strings.ToLower(FormatCode(onTime.Code))
	tk, err := h.checkIn(at(tue, "09:50"), code)
	if err != nil || tk.Number != "P001" || tk.Due == nil || !tk.Due.Equal(at(tue, "10:00")) || tk.Booking != onTime.ID || tk.Service != "anagrafe" {
		t.Fatalf("on time: got %+v %v", tk, err)
	}
	// Twice: the same ticket, nothing new.
	seq := h.o.Seq()
	again, err := h.checkIn(at(tue, "09:55"), onTime.Code)
	if err != nil || again.ID != tk.ID || h.o.Seq() != seq {
		t.Fatalf("twice: got %+v %v", again, err)
	}
	// Early: come back at the window's opening.
	_, err = h.checkIn(at(tue, "10:40"), early.Code)
	if r := refusal(err, CheckInTooEarly); !r.ComeBackAt.Equal(at(tue, "10:45")) {
		t.Fatalf("come back at %v, want 10:45", r.ComeBackAt)
	}
	st := h.o.Stats("anagrafe")
	if st.AppointmentsKept != 2 || st.AppointmentsLate != 1 {
		t.Fatalf("got %+v", st)
	}
}

func TestALateCitizenIsAskedToRebookWhenTheServiceSaysSo(t *testing.T) {
	h := newHarness(t, agendaConfig(t, LateRebook))
	b, _ := h.book(at("2026-11-23", "09:00"), BookRequest{Slot: at(tue, "09:00")})
	h.book(at("2026-11-23", "09:00"), BookRequest{Slot: at(tue, "15:00"), Name: "Other"})
	h.roll(at(tue, "09:00"))
	seq := h.o.Seq()
	_, err := h.checkIn(at(tue, "09:11"), b.Code)
	var r *CheckInRefusal
	if !errors.As(err, &r) || r.Reason != CheckInTooLate || r.NextSlot == nil || !r.NextSlot.Equal(at(tue, "11:15")) {
		t.Fatalf("got %v (%+v), want too_late with the next free slot (11:15, two hours' notice)", err, r)
	}
	// Refused, but the clock passed the window: the booking is missed.
	if b := h.o.Booking(b.ID); b.State != BookingMissed || h.o.Stats("anagrafe").AppointmentsMissed != 1 || h.o.Seq() != seq+1 {
		t.Fatalf("got %+v", b)
	}
}

// An appointment on time is called at its slot before walk-ins who waited
// longer, and never later than the slot plus the time to finish the
// tickets being served; early, it waits for its slot unless nobody else
// does.
func TestAppointmentsAreCalledAtTheirSlot(t *testing.T) {
	h := newHarness(t, agendaConfig(t, LateWalkIn))
	b, _ := h.book(at("2026-11-23", "09:00"), BookRequest{Slot: at(tue, "10:00")})
	h.open(at(tue, "09:00"), "1", "mario", "anagrafe", "tributi")
	h.open(at(tue, "09:00"), "2", "giulia", "anagrafe")
	w1 := h.issue(at(tue, "09:01"), "anagrafe", false)
	w2 := h.issue(at(tue, "09:02"), "tributi", false)
	w3 := h.issue(at(tue, "09:03"), "anagrafe", false)
	appt, err := h.checkIn(at(tue, "09:47"), b.Code)
	if err != nil {
		t.Fatal(err)
	}
	// Early: both counters serve the walk-ins first.
	if n := h.next(at(tue, "09:50"), "1", "mario"); n.ID != w1.ID {
		t.Fatalf("before the slot: got %s, want %s", n.Number, w1.Number)
	}
	if n := h.next(at(tue, "09:51"), "2", "giulia"); n.ID != w3.ID {
		t.Fatalf("before the slot: got %s, want %s", n.Number, w3.Number)
	}
	// At 10:04 the first counter to free up calls the appointment, before
	// w2 who has waited an hour: the slot plus four minutes.
	h.finish(at(tue, "10:04"), "2", "giulia")
	if n := h.next(at(tue, "10:04"), "2", "giulia"); n.ID != appt.ID {
		t.Fatalf("at the slot: got %s, want the appointment %s", n.Number, appt.Number)
	}
	h.finish(at(tue, "10:05"), "1", "mario")
	if n := h.next(at(tue, "10:05"), "1", "mario"); n.ID != w2.ID {
		t.Fatalf("then: got %s, want %s", n.Number, w2.Number)
	}
}

func TestAnEarlyAppointmentIsServedWhenNobodyElseWaits(t *testing.T) {
	h := newHarness(t, agendaConfig(t, LateWalkIn))
	b, _ := h.book(at("2026-11-23", "09:00"), BookRequest{Slot: at(tue, "10:00")})
	h.open(at(tue, "09:00"), "1", "mario", "anagrafe")
	appt, _ := h.checkIn(at(tue, "09:50"), b.Code)
	if n := h.next(at(tue, "09:50"), "1", "mario"); n.ID != appt.ID {
		t.Fatalf("got %v, want the early appointment rather than an idle counter", n)
	}
}

func TestMissedAppointmentsAreCountedAndFreeNothingAhead(t *testing.T) {
	h := newHarness(t, agendaConfig(t, LateWalkIn))
	b, _ := h.book(at("2026-11-23", "09:00"), BookRequest{Slot: at(tue, "09:00")})
	h.roll(at(tue, "09:10"))
	if evs := h.o.AgendaChanges(at(tue, "09:10")); len(evs) != 0 {
		t.Fatalf("within the window: got %d events", len(evs))
	}
	evs := h.o.AgendaChanges(at(tue, "09:10").Add(time.Second))
	h.commit(at(tue, "09:11"), evs)
	if len(evs) != 1 || evs[0].Type != EventBookingMissed || h.o.Booking(b.ID).State != BookingMissed || h.o.Stats("anagrafe").AppointmentsMissed != 1 {
		t.Fatalf("got %+v", evs)
	}
	// A booking still open at the end of the day is missed before the
	// rollover forgets it.
	b2, _ := h.book(at(tue, "09:20"), BookRequest{Slot: at(tue, "16:45"), Name: "Evening"})
	evs = h.o.Rollover(at("2026-11-25", "00:00"))
	if len(evs) < 2 || evs[0].Type != EventBookingMissed || evs[0].Booking.ID != b2.ID {
		t.Fatalf("got %+v", evs)
	}
}

// The office's day restarts from the store's bookings plus the day's
// events, through JSON, with the same agenda.
func TestAgendaSurvivesAReplay(t *testing.T) {
	h := newHarness(t, agendaConfig(t, LateWalkIn))
	old, _ := h.book(at("2026-11-23", "09:00"), BookRequest{Slot: at(tue, "10:00"), Name: "Booked yesterday"})
	future, _ := h.book(at("2026-11-23", "09:00"), BookRequest{Slot: at("2026-11-26", "10:00"), Name: "Thursday"})
	today := len(h.log)
	h.checkIn(at(tue, "09:50"), old.Code)
	h.book(at(tue, "09:51"), BookRequest{Slot: at(tue, "15:00"), Name: "Booked today"})
	events, _, _ := h.o.MoveBooking(at(tue, "09:52"), future.ID, at("2026-11-26", "11:00"), false, Actor{Name: "web"})
	h.commit(at(tue, "09:52"), events)

	replayed := NewOffice(h.o.Config())
	// What the store kept of the bookings made before today.
	replayed.LoadBookings([]Booking{*h.bookingAt(old.ID, today), *h.bookingAt(future.ID, today)})
	for _, ev := range h.log[today:] {
		b, _ := json.Marshal(ev)
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		replayed.Apply(back)
	}
	for _, day := range []string{tue, "2026-11-26"} {
		want, _ := json.Marshal(h.o.Bookings(day))
		got, _ := json.Marshal(replayed.Bookings(day))
		if string(got) != string(want) {
			t.Fatalf("%s: got %s\nwant %s", day, got, want)
		}
	}
	slots, _ := replayed.FreeSlots(at(tue, "09:53"), "anagrafe", at("2026-11-26", "12:00"), false)
	for _, s := range slots {
		if s.Start.Equal(at("2026-11-26", "11:00")) && s.Free != 0 || s.Start.Equal(at("2026-11-26", "10:00")) && s.Free != 1 {
			t.Fatalf("after the move: got %+v", s)
		}
	}
}

// bookingAt is a booking as the log had it before event index n.
func (h *harness) bookingAt(id string, n int) *Booking {
	var b *Booking
	for _, ev := range h.log[:n] {
		if ev.Booking != nil && ev.Booking.ID == id {
			c := *ev.Booking
			b = &c
		}
	}
	return b
}

// Booked citizens are demand: with the morning's slots booked, a walk-in's
// forecast wait grows and the numerator stops earlier.
func TestBookedDemandCountsInTheForecastAndTheCutoff(t *testing.T) {
	plain := newHarness(t, agendaConfig(t, LateWalkIn))
	booked := newHarness(t, agendaConfig(t, LateWalkIn))
	for _, h := range []*harness{plain, booked} {
		h.open(at(tue, "09:00"), "1", "mario", "anagrafe")
		for i := range 5 {
			h.issue(at(tue, "09:00").Add(time.Duration(i)*time.Second), "anagrafe", false)
		}
	}
	for i := range 8 {
		booked.book(at("2026-11-23", "09:00"), BookRequest{Slot: at(tue, "09:30").Add(time.Duration(i) * 15 * time.Minute), Name: fmt.Sprint("B", i)})
	}
	now := at(tue, "09:01")
	p, b := plain.o.NewTicketWait(now, "anagrafe", false), booked.o.NewTicketWait(now, "anagrafe", false)
	if b.EstimatedWait <= p.EstimatedWait+Seconds(15*time.Minute) {
		t.Fatalf("with 8 booked: got %s, without %s; want much longer", b.EstimatedWait.D(), p.EstimatedWait.D())
	}
	if st := plain.o.ServiceStatus(now, "anagrafe"); st.Status != ServiceOpen {
		t.Fatalf("without bookings: got %s %+v", st.Status, st.Refusal)
	}
	if st := booked.o.ServiceStatus(at(tue, "10:30"), "anagrafe"); st.Refusal == nil || st.Refusal.Rule != RuleCutoffLoad {
		t.Fatalf("a morning full of bookings: got %s, want cutoff_load", st.Status)
	} else if want := "and the booked appointments"; !strings.Contains(st.Refusal.Message, want) {
		t.Fatalf("got %q, want it to say %q", st.Refusal.Message, want)
	}
}
