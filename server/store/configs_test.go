package store

import (
	"errors"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"turno/server/queue"
)

func configEvent(seq, version uint64, by string) queue.Event {
	return queue.Event{Seq: seq, Type: queue.EventConfigChanged, Day: "2026-11-24", At: day0, Actor: by,
		Config: &queue.ConfigChange{Version: version, By: by, Reason: "why", TOML: "[office]\n"}}
}

func TestConfigVersionsFollowTheirEvents(t *testing.T) {
	s, _ := open(t)
	if _, err := s.LatestConfig(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an empty store: got %v, want ErrNotFound", err)
	}
	events := append(dayEvents(1, "2026-11-24", 2), configEvent(4, 1, "turno-server"))
	if err := s.Append(events); err != nil {
		t.Fatal(err)
	}
	if err := s.Append([]queue.Event{configEvent(5, 2, "admin")}); err != nil {
		t.Fatal(err)
	}
	// A version out of sequence is refused with its event.
	if err := s.Append([]queue.Event{configEvent(6, 4, "admin")}); !errors.Is(err, ErrSequence) {
		t.Fatalf("got %v, want ErrSequence", err)
	}
	if last, _ := s.LastSeq(); last != 5 {
		t.Fatalf("the refused event was written: last %d", last)
	}
	all, err := s.ConfigVersions()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Version != 1 || all[0].Seq != 4 || all[1].By != "admin" || all[1].TOML != "[office]\n" || all[1].Reason != "why" || !all[1].At.Equal(day0) {
		t.Fatalf("got %+v", all)
	}
	latest, err := s.LatestConfig()
	if err != nil || latest.Version != 2 {
		t.Fatalf("latest: got %+v, %v", latest, err)
	}
	if v, err := s.ConfigVersion(1); err != nil || v.By != "turno-server" {
		t.Fatalf("version 1: got %+v, %v", v, err)
	}
	if _, err := s.ConfigVersion(3); !errors.Is(err, ErrNotFound) {
		t.Fatalf("version 3: got %v", err)
	}
}

func TestMigrationFourAddsTheConfigVersions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v3.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(db, migrations[:3]); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Append([]queue.Event{configEvent(1, 1, "turno-server")}); err != nil {
		t.Fatal(err)
	}
	if v, err := s.LatestConfig(); err != nil || v.Version != 1 {
		t.Fatalf("got %+v, %v", v, err)
	}
}
