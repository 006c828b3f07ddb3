package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"turno/server/queue"
)

// served returns the events of a day's tickets being called and finished.
func served(seq uint64, day string, ids ...string) []queue.Event {
	var events []queue.Event
	for _, id := range ids {
		t := &queue.Ticket{ID: id, Number: "A" + id[len(id)-3:], Service: "anagrafe", Day: day, Status: queue.StatusDone, Outcome: queue.OutcomeResolved}
		events = append(events, queue.Event{Seq: seq, Type: queue.EventTicketFinished, Day: day, At: day0, Ticket: t})
		seq++
	}
	return events
}

func ids(tickets []queue.Ticket) []string {
	var out []string
	for _, t := range tickets {
		out = append(out, t.ID)
	}
	return out
}

// Tickets are kept by day in issue order, each at its latest version; a
// day's tickets are read a page at a time; their ids lead to them before
// and after IndexTickets moves a finished day's ids to the long index.
func TestTicketsAreKeptByDayInIssueOrder(t *testing.T) {
	s, _ := open(t)
	mon, tue := "2026-11-23", "2026-11-24"
	if err := s.Append(dayEvents(1, mon, 4)); err != nil { // seq 1-5
		t.Fatal(err)
	}
	if err := s.Append(served(6, mon, mon+"-000002", mon+"-000004")); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(dayEvents(8, tue, 3)); err != nil { // seq 8-11
		t.Fatal(err)
	}
	// The keys are the day and the issuing event.
	var keys []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTickets).ForEach(func(k, _ []byte) error {
			keys = append(keys, fmt.Sprintf("%s/%d", k[:10], binary.BigEndian.Uint64(k[10:])))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{mon + "/2", mon + "/3", mon + "/4", mon + "/5", tue + "/9", tue + "/10", tue + "/11"}
	if !slices.Equal(keys, want) {
		t.Fatalf("got keys %v, want %v", keys, want)
	}
	if tk, err := s.Ticket(mon + "-000002"); err != nil || tk.Status != queue.StatusDone {
		t.Fatalf("got %+v %v, want the finished version", tk, err)
	}
	// Pages of two, and a filter.
	page, next, err := s.DayTickets(mon, 0, 2, nil)
	if err != nil || !slices.Equal(ids(page), []string{mon + "-000001", mon + "-000002"}) || next != 3 {
		t.Fatalf("first page: got %v next %d %v", ids(page), next, err)
	}
	page, next, err = s.DayTickets(mon, next, 2, nil)
	if err != nil || !slices.Equal(ids(page), []string{mon + "-000003", mon + "-000004"}) || next != 0 {
		t.Fatalf("second page: got %v next %d %v", ids(page), next, err)
	}
	done := func(t *queue.Ticket) bool { return t.Status == queue.StatusDone }
	if page, _, err = s.DayTickets(mon, 0, 0, done); err != nil || !slices.Equal(ids(page), []string{mon + "-000002", mon + "-000004"}) {
		t.Fatalf("finished ones: got %v %v", ids(page), err)
	}
	if page, _, err = s.DayTickets("2026-11-22", 0, 0, nil); err != nil || len(page) != 0 {
		t.Fatalf("a day without tickets: got %v %v", ids(page), err)
	}
	// Monday is over: its ids go to the long index, Tuesday's stay.
	n, err := s.IndexTickets(tue)
	if err != nil || n != 4 {
		t.Fatalf("indexed %d %v, want Monday's 4", n, err)
	}
	count := func(b []byte) (n int) {
		_ = s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(b).Stats().KeyN; return nil })
		return n
	}
	// Issuing wrote no index entry: Tuesday's ids are known in memory.
	if count(bucketNewIDs) != 0 || count(bucketIDs) != 4 || len(s.unindexed) != 3 {
		t.Fatalf("got %d new ids, %d indexed and %d in memory, want 0, 4 and 3", count(bucketNewIDs), count(bucketIDs), len(s.unindexed))
	}
	for _, id := range []string{mon + "-000004", tue + "-000001"} {
		if tk, err := s.Ticket(id); err != nil || tk.ID != id {
			t.Fatalf("%s: got %+v %v", id, tk, err)
		}
	}
	// A late change to an indexed ticket lands on it, not on a new key.
	if err := s.Append(served(12, mon, mon+"-000001")); err != nil {
		t.Fatal(err)
	}
	if all, _, _ := s.DayTickets(mon, 0, 0, done); len(all) != 3 {
		t.Fatalf("got %d finished Monday tickets, want 3", len(all))
	}
	if count(bucketTickets) != 7 {
		t.Fatalf("got %d tickets, want 7", count(bucketTickets))
	}
}

// The ids of today's tickets are kept in memory only (issuing writes no
// index), so a restart must learn them again from the tickets: after a
// reopen, today's tickets are found by id and changed in place, whether
// issued in an earlier batch or issued and called within one; past days'
// are found through the index, and are not read at start.
func TestARestartKnowsTodaysTicketsWithoutAnIndex(t *testing.T) {
	s, path := open(t)
	mon, tue := "2026-11-23", "2026-11-24"
	if err := s.Append(dayEvents(1, mon, 2)); err != nil { // seq 1-3
		t.Fatal(err)
	}
	if _, err := s.IndexTickets(tue); err != nil {
		t.Fatal(err)
	}
	events := dayEvents(4, tue, 2) // seq 4-6
	events = append(events, served(7, tue, tue+"-000002")...)
	if err := s.Append(events); err != nil {
		t.Fatal(err)
	}
	// An id with an escaped character takes the slow path.
	odd := queue.Ticket{ID: `x"y`, Number: "A777", Service: "anagrafe", Day: tue, Status: queue.StatusWaiting}
	if err := s.Append([]queue.Event{{Seq: 8, Type: queue.EventTicketIssued, Day: tue, At: day0, Ticket: &odd}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.unindexed) != 3 {
		t.Fatalf("the reopened store knows %d ids in memory, want Tuesday's 3", len(s.unindexed))
	}
	if err := s.Append(served(9, tue, tue+"-000001", `x"y`)); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(served(11, mon, mon+"-000001")); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{mon + "-000001", tue + "-000001", tue + "-000002", `x"y`} {
		if tk, err := s.Ticket(id); err != nil || tk.Status != queue.StatusDone {
			t.Fatalf("%s: got %+v %v, want its finished version", id, tk, err)
		}
	}
	var n int
	_ = s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bucketTickets).Stats().KeyN; return nil })
	if n != 5 {
		t.Fatalf("got %d tickets, want 5: a change landed on a new key", n)
	}
	// Tuesday over: its ids go to the index, and the next start reads none.
	if got, err := s.IndexTickets("2026-11-25"); err != nil || got != 3 {
		t.Fatalf("indexed %d %v, want Tuesday's 3", got, err)
	}
	s.Close()
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.unindexed) != 0 {
		t.Fatalf("the reopened store knows %d ids in memory, want none", len(s.unindexed))
	}
	if tk, err := s.Ticket(`x"y`); err != nil || tk.Status != queue.StatusDone {
		t.Fatalf("got %+v %v after indexing", tk, err)
	}
}

// writeV2 writes events as schema 2 did: the log, the day index and each
// ticket's latest version under its id.
func writeV2(t *testing.T, db *bolt.DB, events []queue.Event) {
	t.Helper()
	err := db.Update(func(tx *bolt.Tx) error {
		for i := range events {
			ev := &events[i]
			data, _ := json.Marshal(ev)
			if err := tx.Bucket(bucketEvents).Put(u64(ev.Seq), data); err != nil {
				return err
			}
			if tx.Bucket(bucketDays).Get([]byte(ev.Day)) == nil {
				if err := tx.Bucket(bucketDays).Put([]byte(ev.Day), u64(ev.Seq)); err != nil {
					return err
				}
			}
			if ev.Ticket != nil {
				data, _ := json.Marshal(ev.Ticket)
				if err := tx.Bucket(bucketTicketsV1).Put([]byte(ev.Ticket.ID), data); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Migration 5 re-keys a schema 4 file's tickets by day and issuing event,
// in batches: one interrupted half-way (a crash, a full disk) resumes at
// the next start, and every ticket is found by its id at its latest
// version, in issue order, even one that no event carries.
func TestMigrationFiveKeysTicketsByDayAndIssue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(db, migrations[:4]); err != nil {
		t.Fatal(err)
	}
	mon, tue := "2026-11-23", "2026-11-24"
	events := dayEvents(1, mon, 5)                                           // 1-6
	events = append(events, served(7, mon, mon+"-000003", mon+"-000001")...) // 7-8
	events = append(events, dayEvents(9, tue, 4)...)                         // 9-13
	events = append(events, served(14, tue, tue+"-000002")...)               // 14
	writeV2(t, db, events)
	orphan := queue.Ticket{ID: "orphan", Number: "A900", Service: "anagrafe", Day: mon, Status: queue.StatusDone}
	err = db.Update(func(tx *bolt.Tx) error {
		data, _ := json.Marshal(orphan)
		return tx.Bucket(bucketTicketsV1).Put([]byte(orphan.ID), data)
	})
	if err != nil {
		t.Fatal(err)
	}
	// Three events per batch; the second batch's transaction fails.
	defer func(n int) { rekeyBatch = n }(rekeyBatch)
	rekeyBatch = 3
	batches := 0
	failing := slices.Clone(migrations)
	failing[4] = func(tx *bolt.Tx) error {
		if batches++; batches == 2 {
			return errors.New("disk full")
		}
		return rekeyTickets(tx)
	}
	if err := migrate(db, failing); err == nil {
		t.Fatal("the failing migration succeeded")
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketTicketsV1) != nil {
			return errors.New("the old tickets bucket is still there")
		}
		if v := tx.Bucket(bucketMeta).Get(keySchema); !bytes.Equal(v, u64(SchemaVersion())) {
			return fmt.Errorf("schema version %x, want %d", v, SchemaVersion())
		}
		if tx.Bucket(bucketMeta).Get(keyRekeyFrom) != nil {
			return errors.New("the migration's progress is left behind")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	monday, _, err := s.DayTickets(mon, 0, 0, nil)
	wantMon := []string{mon + "-000001", mon + "-000002", mon + "-000003", mon + "-000004", mon + "-000005", "orphan"}
	if err != nil || !slices.Equal(ids(monday), wantMon) {
		t.Fatalf("Monday: got %v %v, want %v", ids(monday), err, wantMon)
	}
	for _, id := range []string{mon + "-000001", mon + "-000003", tue + "-000002"} {
		if tk, err := s.Ticket(id); err != nil || tk.Status != queue.StatusDone {
			t.Fatalf("%s: got %+v %v, want its finished version", id, tk, err)
		}
	}
	if tk, err := s.Ticket(tue + "-000004"); err != nil || tk.Status != queue.StatusWaiting {
		t.Fatalf("got %+v %v", tk, err)
	}
	// The log goes on: a new ticket and a change to a migrated one.
	if err := s.Append(append(dayEvents(15, "2026-11-25", 1), served(17, tue, tue+"-000004")...)); err != nil {
		t.Fatal(err)
	}
	if tk, err := s.Ticket(tue + "-000004"); err != nil || tk.Status != queue.StatusDone {
		t.Fatalf("got %+v %v", tk, err)
	}
	if all, _, _ := s.DayTickets(tue, 0, 0, nil); len(all) != 4 {
		t.Fatalf("got %d Tuesday tickets, want 4", len(all))
	}
}
