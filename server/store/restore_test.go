package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// backupOf writes a database with two days of tickets and returns a backup
// of it, as the daily backup writes one.
func backupOf(t *testing.T, tickets int) string {
	t.Helper()
	s, _ := open(t)
	if err := s.Append(dayEvents(1, "2026-11-23", 2)); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(dayEvents(4, "2026-11-24", tickets)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := s.Backup(&buf, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "turno-2026-11-25.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// entries lists a directory's names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	return names
}

var restoredAt = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

func TestRestoreIntoAFreshDirectory(t *testing.T) {
	from := backupOf(t, 5)
	before, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "fresh", "data")
	path := filepath.Join(dir, "turno.db")
	r, err := Restore(from, path, restoredAt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Events != 9 || r.Day != "2026-11-24" || r.Tickets != 7 || r.Previous != "" || r.Schema != SchemaVersion() {
		t.Fatalf("got %+v, want 9 events, day 2026-11-24, 7 tickets, nothing set aside", r)
	}
	if got := entries(t, dir); len(got) != 1 || got[0] != "turno.db" {
		t.Fatalf("the data directory holds %v, want turno.db alone", got)
	}
	if after, _ := os.ReadFile(from); !bytes.Equal(before, after) {
		t.Fatal("the backup itself changed")
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if tk, err := s.Ticket("2026-11-24-000005"); err != nil || tk.Number != "A005" {
		t.Fatalf("restored ticket: got %+v %v", tk, err)
	}
}

func TestRestoreKeepsThePreviousDatabaseAside(t *testing.T) {
	from := backupOf(t, 5)
	s, path := open(t)
	if err := s.Append(dayEvents(1, "2026-11-25", 1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Restore(from, path, restoredAt)
	if err != nil {
		t.Fatal(err)
	}
	if want := path + ".before-restore-20261125-093000"; r.Previous != want {
		t.Fatalf("set aside as %q, want %q", r.Previous, want)
	}
	if kept, _ := os.ReadFile(r.Previous); !bytes.Equal(kept, old) {
		t.Fatal("the previous database was not kept as it was")
	}
	if got := entries(t, filepath.Dir(path)); len(got) != 2 {
		t.Fatalf("the data directory holds %v, want the restored database and the previous one", got)
	}
	// A second restore in the same second would overwrite what was set
	// aside: refused, nothing changed.
	if _, err := Restore(from, path, restoredAt); err == nil {
		t.Fatal("a second restore in the same second overwrote the database set aside")
	}
}

func TestRestoreRefusesARunningServersDatabase(t *testing.T) {
	from := backupOf(t, 5)
	s, path := open(t)
	if err := s.Append(dayEvents(1, "2026-11-25", 1)); err != nil {
		t.Fatal(err)
	}
	_, err := Restore(from, path, restoredAt)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("got %v, want ErrInUse", err)
	}
	if got := entries(t, filepath.Dir(path)); len(got) != 1 {
		t.Fatalf("the data directory holds %v, want the running server's database alone", got)
	}
	if last, err := s.LastSeq(); err != nil || last != 2 {
		t.Fatalf("the running server's database: last %d %v, want 2", last, err)
	}
}

func TestRestoreRefusesADamagedOrForeignCopy(t *testing.T) {
	good := backupOf(t, 300)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A copy whose event log lost an event.
	holed := write("holed.db", data)
	db, err := bolt.Open(holed, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketEvents).Delete(u64(5)) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for name, from := range map[string]string{
		"cut short":      write("short.db", data[:len(data)/2]),
		"not a database": write("notes.txt", bytes.Repeat([]byte("turno "), 4096)),
		"empty":          write("empty.db", nil),
		"with a hole":    holed,
		"missing":        filepath.Join(dir, "nothing.db"),
	} {
		target := filepath.Join(t.TempDir(), "turno.db")
		if _, err := Restore(from, target, restoredAt); err == nil {
			t.Errorf("%s: restored", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
		if got := entries(t, filepath.Dir(target)); len(got) != 0 {
			t.Errorf("%s: the data directory holds %v, want nothing", name, got)
		}
	}
}

// The usual reason for a restore: the database in place is damaged. It is
// set aside like a sound one.
func TestRestoreReplacesADamagedDatabase(t *testing.T) {
	from := backupOf(t, 5)
	path := filepath.Join(t.TempDir(), "turno.db")
	if err := os.WriteFile(path, bytes.Repeat([]byte{0xde, 0xad}, 8192), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrDamaged) {
		t.Fatalf("the damaged database opened: %v", err)
	}
	r, err := Restore(from, path, restoredAt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Previous == "" {
		t.Fatal("the damaged database was not kept aside")
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}
