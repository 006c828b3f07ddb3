package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestMigrationThreeAddsTheDayStatsAndKeepsTheLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(db, migrations[:2]); err != nil {
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
	if err := s.PutDayStats("2026-11-24", []byte(`{"v":1}`)); err != nil {
		t.Fatal(err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketDayStats) == nil {
			return fmt.Errorf("bucket %s missing", bucketDayStats)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDayEventsFollowTheDayIndex(t *testing.T) {
	s, _ := open(t)
	for _, batch := range [][]int{{1, 3}, {5, 0}, {6, 2}} { // first sequence, tickets
		day := map[int]string{1: "2026-11-23", 5: "2026-11-24", 6: "2026-11-25"}[batch[0]]
		if err := s.Append(dayEvents(uint64(batch[0]), day, batch[1])); err != nil {
			t.Fatal(err)
		}
	}
	days, err := s.Days()
	if err != nil || !reflect.DeepEqual(days, []string{"2026-11-23", "2026-11-24", "2026-11-25"}) {
		t.Fatalf("got %v %v", days, err)
	}
	for day, want := range map[string][]uint64{"2026-11-23": {1, 2, 3, 4}, "2026-11-24": {5}, "2026-11-25": {6, 7, 8}} {
		events, err := s.DayEvents(day)
		if err != nil {
			t.Fatal(err)
		}
		var got []uint64
		for _, ev := range events {
			got = append(got, ev.Seq)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, want %v", day, got, want)
		}
	}
	if _, err := s.DayEvents("2026-11-22"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a day not in the log: got %v, want ErrNotFound", err)
	}
}

func TestEachDayStatsWalksARange(t *testing.T) {
	s, _ := open(t)
	for _, d := range []string{"2026-11-23", "2026-11-25", "2026-11-24", "2026-12-01"} {
		if err := s.PutDayStats(d, []byte(d)); err != nil {
			t.Fatal(err)
		}
	}
	walk := func(from, to string) []string {
		var got []string
		err := s.EachDayStats(from, to, func(day string, data []byte) error {
			if string(data) != day {
				return fmt.Errorf("%s holds %q", day, data)
			}
			got = append(got, day)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, tc := range []struct {
		from, to string
		want     []string
	}{
		{"2026-11-24", "2026-11-30", []string{"2026-11-24", "2026-11-25"}},
		{"", "2026-11-24", []string{"2026-11-23", "2026-11-24"}},
		{"2026-11-25", "", []string{"2026-11-25", "2026-12-01"}},
		{"2026-12-02", "2026-12-31", nil},
	} {
		if got := walk(tc.from, tc.to); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q to %q: got %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
	stop := errors.New("stop")
	if err := s.EachDayStats("", "", func(string, []byte) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("got %v, want fn's error", err)
	}
}
