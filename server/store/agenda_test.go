package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"turno/server/queue"
)

// A file written by schema 1 (events and tickets, no agenda) gains the
// agenda's buckets and keeps its events.
func TestMigrationTwoAddsTheAgenda(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(db, migrations[:1]); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Append(dayEvents(1, "2026-11-24", 3)); err != nil {
		t.Fatal(err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketBookings, bucketBookDays, bucketBookEvts} {
			if tx.Bucket(b) == nil {
				return fmt.Errorf("bucket %s missing", b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func booking(id, day string, state queue.BookingState) *queue.Booking {
	slot, _ := time.Parse(queue.DayLayout, day)
	slot = slot.Add(9 * time.Hour)
	return &queue.Booking{ID: id, Code: strings.ToUpper(id[:6]), Service: "anagrafe", Day: day, Slot: slot, SlotEnd: slot.Add(15 * time.Minute),
		Name: "Maria Rossi " + id, Contact: "maria@example.org", Note: "cambio di residenza", Channel: queue.ChannelWeb, State: state, Key: "web:" + id}
}

func TestBookingsAreKeptByDayAndMovedWithTheirSlot(t *testing.T) {
	s, _ := open(t)
	a := booking("aaaaaaaa", "2026-11-24", queue.BookingBooked)
	b := booking("bbbbbbbb", "2026-11-26", queue.BookingBooked)
	events := []queue.Event{
		{Seq: 1, Type: queue.EventBookingCreated, Day: "2026-11-20", Booking: a},
		{Seq: 2, Type: queue.EventBookingCreated, Day: "2026-11-20", Booking: b},
	}
	moved := *b
	moved.Day, moved.Slot = "2026-11-23", moved.Slot.AddDate(0, 0, -3)
	events = append(events, queue.Event{Seq: 3, Type: queue.EventBookingMoved, Day: "2026-11-20", Booking: &moved})
	if err := s.Append(events); err != nil {
		t.Fatal(err)
	}
	got, err := s.Bookings("2026-11-24")
	if err != nil || len(got) != 1 || got[0].ID != a.ID {
		t.Fatalf("from the 24th: got %+v %v, want only %s (the other moved to the 23rd)", got, err, a.ID)
	}
	got, _ = s.Bookings("2026-11-23")
	if len(got) != 2 || got[0].ID != b.ID || got[0].Day != "2026-11-23" {
		t.Fatalf("from the 23rd: got %+v", got)
	}
}

// Retention: a booking older than the office keeps personal data is gone,
// and so are its name, contact and note from every event that carried it;
// what reports count (service, slot, state) stays. Newer bookings are
// untouched.
func TestErasureRemovesPersonalDataFromTheBookingAndTheLog(t *testing.T) {
	s, _ := open(t)
	old := booking("oooooooo", "2026-08-20", queue.BookingBooked)
	checked := *old
	checked.State = queue.BookingCheckedIn
	recent := booking("rrrrrrrr", "2026-11-20", queue.BookingBooked)
	err := s.Append([]queue.Event{
		{Seq: 1, Type: queue.EventBookingCreated, Day: "2026-08-01", Booking: old},
		{Seq: 2, Type: queue.EventDayRollover, Day: "2026-08-20"},
		{Seq: 3, Type: queue.EventBookingCheckedIn, Day: "2026-08-20", Booking: &checked},
		{Seq: 4, Type: queue.EventBookingCreated, Day: "2026-11-01", Booking: recent},
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.EraseBookings("2026-08-26") // 90 days before 2026-11-24
	if err != nil || n != 1 {
		t.Fatalf("got %d %v, want 1 erased", n, err)
	}
	if _, err := s.Booking(old.ID); err != ErrNotFound {
		t.Fatalf("the old booking: got %v, want it gone", err)
	}
	events, err := s.EventsSince(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		raw, _ := json.Marshal(ev)
		if ev.Booking == nil {
			continue
		}
		switch ev.Booking.ID {
		case old.ID:
			if strings.Contains(string(raw), "Maria") || strings.Contains(string(raw), "example.org") || strings.Contains(string(raw), "residenza") || ev.Booking.Key != "" {
				t.Fatalf("event %d still holds personal data: %s", ev.Seq, raw)
			}
			if ev.Booking.Service != "anagrafe" || ev.Booking.Slot.IsZero() || ev.Booking.State == "" {
				t.Fatalf("event %d lost what reports count: %s", ev.Seq, raw)
			}
		case recent.ID:
			if ev.Booking.Name != recent.Name || ev.Booking.Contact != recent.Contact {
				t.Fatalf("a recent booking was erased: %s", raw)
			}
		}
	}
	if b, err := s.Booking(recent.ID); err != nil || b.Name != recent.Name {
		t.Fatalf("the recent booking: got %+v %v", b, err)
	}
	if n, err := s.EraseBookings("2026-08-26"); err != nil || n != 0 {
		t.Fatalf("again: got %d %v, want nothing left to erase", n, err)
	}
}

// Erasure works in batches so a large backlog never holds the office's
// commits for long.
func TestErasureOfALargeBacklogRunsInBatches(t *testing.T) {
	s, _ := open(t)
	var events []queue.Event
	for i := range 3*eraseBatch + 7 {
		events = append(events, queue.Event{Seq: uint64(i + 1), Type: queue.EventBookingCreated, Day: "2026-01-01",
			Booking: booking(fmt.Sprintf("%08d", i), "2026-01-02", queue.BookingMissed)})
	}
	if err := s.Append(events); err != nil {
		t.Fatal(err)
	}
	if n, err := s.EraseBookings("2026-06-01"); err != nil || n != 3*eraseBatch+7 {
		t.Fatalf("got %d %v", n, err)
	}
	if left, _ := s.Bookings(""); len(left) != 0 {
		t.Fatalf("%d left", len(left))
	}
}
