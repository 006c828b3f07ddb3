package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// damage applies fn to a closed store's file with bbolt itself, the way a
// bug or a hand edit would: the file stays a valid bbolt file.
func damage(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

// Damage bbolt cannot see, because the file is sound as a bbolt file, is
// found by the check of what Turno wrote: the event log's holes and values
// that are not what the store writes.
func TestOpenRefusesALogWithHolesOrGarbage(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(tx *bolt.Tx) error
		want string
	}{
		{"an event missing", func(tx *bolt.Tx) error { return tx.Bucket(bucketEvents).Delete(u64(5)) }, "hole"},
		{"the first events missing", func(tx *bolt.Tx) error { return tx.Bucket(bucketEvents).Delete(u64(1)) }, "starts at event 2"},
		{"an event overwritten", func(tx *bolt.Tx) error { return tx.Bucket(bucketEvents).Put(u64(3), []byte("\x00\x00garbage")) }, "not what was written"},
		{"a ticket overwritten", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketTickets).Put([]byte("2026-11-24-000002"), []byte("{\"id\":"))
		}, "not what was written"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, path := open(t)
			if err := s.Append(dayEvents(1, "2026-11-24", 9)); err != nil {
				t.Fatal(err)
			}
			s.Close()
			damage(t, path, tc.fn)
			_, err := Open(path)
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("got %v, want ErrDamaged naming the file and %q", err, tc.want)
			}
		})
	}
}

// A file damaged while the server runs (here cut short under its memory
// map, which makes reading it fault) fails the read with ErrDamaged instead
// of killing the process with SIGBUS.
func TestReadsOfAFileCutShortFailInsteadOfCrashing(t *testing.T) {
	s, path := open(t)
	for seq := uint64(1); seq < 2000; seq += 100 {
		if err := s.Append(dayEvents(seq, "2026-11-24", 99)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Truncate(path, 16<<10); err != nil {
		t.Fatal(err)
	}
	_, err := s.EventsSince(0, 0)
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "backup") {
		t.Fatalf("got %v, want ErrDamaged with what to do", err)
	}
}

// A new database, and one written by this version, pass the check.
func TestOpenAcceptsNewAndSoundFiles(t *testing.T) {
	s, path := open(t)
	if err := s.Append(dayEvents(1, "2026-11-24", 500)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	again, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	fresh, err := Open(filepath.Join(t.TempDir(), "sub", "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	fresh.Close()
}
