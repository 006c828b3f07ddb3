package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"turno/server/queue"
)

func open(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "turno.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

var day0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// dayEvents makes one business day's events starting at seq: a rollover and
// n issued tickets.
func dayEvents(seq uint64, day string, n int) []queue.Event {
	events := []queue.Event{{Seq: seq, Type: queue.EventDayRollover, Day: day, At: day0}}
	for i := 1; i <= n; i++ {
		seq++
		events = append(events, queue.Event{Seq: seq, Type: queue.EventTicketIssued, Day: day, At: day0, Ticket: &queue.Ticket{
			ID: fmt.Sprintf("%s-%06d", day, i), Number: fmt.Sprintf("A%03d", i%1000), Seq: i, Service: "anagrafe", Day: day, Status: queue.StatusWaiting,
		}})
	}
	return events
}

func TestAppendKeepsTheLogGaplessAndIndexesDays(t *testing.T) {
	s, _ := open(t)
	if err := s.Append(dayEvents(1, "2026-11-23", 3)); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(dayEvents(5, "2026-11-24", 2)); err != nil {
		t.Fatal(err)
	}
	// A batch that skips or repeats a sequence is refused whole.
	for _, first := range []uint64{7, 9} {
		err := s.Append(dayEvents(first, "2026-11-25", 1))
		if !errors.Is(err, ErrSequence) {
			t.Fatalf("append from %d: got %v, want ErrSequence", first, err)
		}
	}
	last, err := s.LastSeq()
	if err != nil || last != 7 {
		t.Fatalf("got last %d %v, want 7", last, err)
	}
	day, events, err := s.LatestDay()
	if err != nil || day != "2026-11-24" || len(events) != 3 || events[0].Seq != 5 {
		t.Fatalf("got %s %d events from %d, %v", day, len(events), events[0].Seq, err)
	}
	all, err := s.EventsSince(2, 3)
	if err != nil || len(all) != 3 || all[0].Seq != 3 || all[2].Seq != 5 {
		t.Fatalf("got %d events %v", len(all), err)
	}
	tk, err := s.Ticket("2026-11-23-000002")
	if err != nil || tk.Number != "A002" {
		t.Fatalf("got %+v %v", tk, err)
	}
	if _, err := s.Ticket("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
}

func TestEmptyLog(t *testing.T) {
	s, _ := open(t)
	day, events, err := s.LatestDay()
	if err != nil || day != "" || events != nil {
		t.Fatalf("got %q %v %v", day, events, err)
	}
	if last, err := s.LastSeq(); err != nil || last != 0 {
		t.Fatalf("got %d %v", last, err)
	}
}

func TestProtocolCounterKeepsTheHighest(t *testing.T) {
	s, _ := open(t)
	events := []queue.Event{
		{Seq: 1, Type: queue.EventTicketRegistered, Day: "2026-12-31", Protocol: &queue.ProtocolNumber{Year: 2026, Seq: 41}},
		{Seq: 2, Type: queue.EventTicketRegistered, Day: "2027-01-02", Protocol: &queue.ProtocolNumber{Year: 2027, Seq: 1}},
	}
	if err := s.Append(events); err != nil {
		t.Fatal(err)
	}
	for year, want := range map[int]int{2025: 0, 2026: 41, 2027: 1} {
		if got, err := s.ProtocolSeq(year); err != nil || got != want {
			t.Fatalf("%d: got %d %v, want %d", year, got, err, want)
		}
	}
}

func TestSessionsExpire(t *testing.T) {
	s, _ := open(t)
	now := day0
	if err := s.PutSession("a", Session{User: "mario", Role: "clerk", Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSession("b", Session{User: "anna", Role: "floor", Expires: now.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteExpiredSessions(now)
	if err != nil || n != 1 {
		t.Fatalf("got %d %v, want 1 deleted", n, err)
	}
	if got, err := s.Session("a"); err != nil || got.User != "mario" {
		t.Fatalf("got %+v %v", got, err)
	}
	if _, err := s.Session("b"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
	if err := s.DeleteSession("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session("a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
}

func TestMigrationOneCreatesTheSchemaAndRecordsIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(db, migrations[:0]); err != nil { // a file from before any migration
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketEvents, bucketDays, bucketTickets, bucketProtocol, bucketSessions} {
			if tx.Bucket(b) == nil {
				return fmt.Errorf("bucket %s missing", b)
			}
		}
		if v := tx.Bucket(bucketMeta).Get(keySchema); !bytes.Equal(v, u64(SchemaVersion())) {
			return fmt.Errorf("schema version %x, want %d", v, SchemaVersion())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	s, path := open(t)
	err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion()+1)) })
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("got %v, want ErrNewerSchema", err)
	}
}

func TestASecondServerOnTheSameFileIsRefused(t *testing.T) {
	_, path := open(t)
	if _, err := Open(path); err == nil {
		t.Fatal("a second Open of a held file succeeded")
	}
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	s, _ := open(t)
	if err := s.Append(dayEvents(1, "2026-11-24", 5)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	var announced int64
	n, err := s.Backup(&buf, func(size int64) { announced = size })
	if err != nil || n != int64(buf.Len()) || announced != n {
		t.Fatalf("got %d bytes (announced %d) %v", n, announced, err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if last, err := c.LastSeq(); err != nil || last != 6 {
		t.Fatalf("copy: got last %d %v, want 6", last, err)
	}
}

// blockedWriter never returns from Write until released: a download that
// stopped being read.
type blockedWriter struct{ release chan struct{} }

func (b blockedWriter) Write(p []byte) (int, error) { <-b.release; return len(p), nil }

func TestAStalledBackupDoesNotStopTheOffice(t *testing.T) {
	s, _ := open(t)
	if err := s.Append(dayEvents(1, "2026-11-23", 100)); err != nil {
		t.Fatal(err)
	}
	w := blockedWriter{release: make(chan struct{})}
	done := make(chan error, 1)
	go func() { _, err := s.Backup(w, nil); done <- err }()
	// Writes go on (and grow the file) while the download is stuck.
	written := make(chan error, 1)
	go func() {
		seq := uint64(102)
		for day := 24; day < 27; day++ {
			events := dayEvents(seq, fmt.Sprintf("2026-11-%d", day), 2000)
			if err := s.Append(events); err != nil {
				written <- err
				return
			}
			seq += uint64(len(events))
		}
		written <- nil
	}()
	select {
	case err := <-written:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		close(w.release) // let the test end
		t.Fatal("writes are blocked by a stalled backup")
	}
	close(w.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
