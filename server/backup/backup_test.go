package backup_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"turno/server/backup"
	"turno/server/queue"
	"turno/server/store"
)

var rome = mustZone("Europe/Rome")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, rome)
	if err != nil {
		panic(err)
	}
	return t
}

// clock is the injected time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// database is the real store, with a switch that makes the disk fail.
type database struct {
	*store.Store
	seq  uint64
	fail bool // the disk fails
}

var errDisk = errors.New("disk full")

func (d *database) Backup(w io.Writer, size func(int64)) (int64, error) {
	if d.fail {
		return 0, errDisk
	}
	return d.Store.Backup(w, size)
}

func (d *database) add(t *testing.T, day string) {
	t.Helper()
	d.seq++
	if err := d.Append([]queue.Event{{Seq: d.seq, Type: queue.EventHallMessage, Day: day, Message: day}}); err != nil {
		t.Fatal(err)
	}
}

func openDatabase(t *testing.T) *database {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "turno.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &database{Store: s}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestParseAt(t *testing.T) {
	for _, tc := range []struct {
		in           string
		hour, minute int
		ok           bool
	}{
		{"02:00", 2, 0, true}, {"23:59", 23, 59, true}, {"00:00", 0, 0, true},
		{"2:00", 0, 0, false}, {"24:00", 0, 0, false}, {"02:60", 0, 0, false}, {"", 0, 0, false}, {"02:00:00", 0, 0, false}, {"two", 0, 0, false},
	} {
		h, m, err := backup.ParseAt(tc.in)
		if (err == nil) != tc.ok || h != tc.hour || m != tc.minute {
			t.Errorf("ParseAt(%q): got %d:%d %v", tc.in, h, m, err)
		}
	}
}

func TestDueOncePerDayAtTheHourInTheOfficesZone(t *testing.T) {
	db := openDatabase(t)
	d, err := backup.New(db, backup.Options{Dir: t.TempDir(), At: "02:00", Location: rome, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{
		{at("2026-11-25 01:59"), false}, // before the hour
		{at("2026-11-25 02:00"), true},
		{at("2026-11-25 14:00"), true}, // the hour passed while the server was down: caught up
	} {
		if got := d.Due(tc.now); got != tc.want {
			t.Errorf("a directory with no backup, at %s: due %v, want %v", tc.now, got, tc.want)
		}
	}
	if _, _, err := d.Write(at("2026-11-25 02:00")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{
		{at("2026-11-25 02:01"), false},
		{at("2026-11-25 23:59"), false},
		{at("2026-11-26 01:59"), false},
		{at("2026-11-26 02:00"), true},
		// 02:00 UTC is 03:00 in Rome: the office's zone decides.
		{time.Date(2026, 11, 26, 0, 59, 0, 0, time.UTC), false},
		{time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC), true},
	} {
		if got := d.Due(tc.now); got != tc.want {
			t.Errorf("after the backup of the 25th, at %s: due %v, want %v", tc.now, got, tc.want)
		}
	}
	// The spring's skipped hour: 02:00 does not exist on 29 March 2026 in
	// Rome; the backup runs at 03:00 CEST, once.
	if _, _, err := d.Write(at("2026-03-28 02:00")); err != nil {
		t.Fatal(err)
	}
	spring := time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC) // 01:59 CET
	if d.Due(spring) {
		t.Errorf("due at %s, before the hour", spring.In(rome))
	}
	if spring = spring.Add(time.Minute); !d.Due(spring) { // 03:00 CEST
		t.Errorf("not due at %s, the first instant after the skipped hour", spring.In(rome))
	}
	// The autumn's repeated hour: the first 02:00 runs it, the second not.
	if _, _, err := d.Write(at("2026-10-25 02:00")); err != nil {
		t.Fatal(err)
	}
	if second := time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC); d.Due(second) { // 02:00 CET, again
		t.Errorf("due again at %s, the repeated hour", second.In(rome))
	}
}

func TestBackupsAreNamedByDayAndTheOldestPruned(t *testing.T) {
	db := openDatabase(t)
	dir := t.TempDir()
	// Someone else's files, and a backup a crash interrupted.
	for _, n := range []string{"notes.txt", "turno.db", "turno-2026-11-01.db.gz", ".turno-backup-123"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var attempts []error
	d, err := backup.New(db, backup.Options{Dir: dir, Keep: 3, Location: rome, Logger: slog.New(slog.DiscardHandler),
		Done: func(_ time.Time, size int64, err error) { attempts = append(attempts, err) }})
	if err != nil {
		t.Fatal(err)
	}
	days := []string{"2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"}
	for _, day := range days {
		db.add(t, day)
		path, size, err := d.Write(at(day + " 02:00"))
		if err != nil {
			t.Fatal(err)
		}
		if info, err := os.Stat(path); err != nil || info.Size() != size || info.Mode().Perm() != 0o600 {
			t.Fatalf("%s: got %v %v, want a private file of %d bytes", path, info, err, size)
		}
	}
	want := []string{"notes.txt", "turno-2026-11-01.db.gz", "turno-2026-11-22.db", "turno-2026-11-23.db", "turno-2026-11-24.db", "turno.db"}
	if got := names(t, dir); !slices.Equal(got, want) {
		t.Fatalf("the directory holds %v, want %v", got, want)
	}
	if len(attempts) != 5 || slices.ContainsFunc(attempts, func(err error) bool { return err != nil }) {
		t.Fatalf("attempts: got %v, want 5 good ones", attempts)
	}
	// Each is a database the store opens, holding its day's events.
	path, _, _ := d.Newest()
	if filepath.Base(path) != "turno-2026-11-24.db" {
		t.Fatalf("newest: got %s", path)
	}
	copied, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	if last, err := copied.LastSeq(); err != nil || last != 5 {
		t.Fatalf("the newest backup: last event %d %v, want 5", last, err)
	}
	// A server started later finds the newest and is not due until the
	// next day's hour.
	again, err := backup.New(db, backup.Options{Dir: dir, Location: rome})
	if err != nil {
		t.Fatal(err)
	}
	if again.Due(at("2026-11-24 23:00")) || !again.Due(at("2026-11-25 02:00")) {
		t.Fatal("a restarted server does not know the newest backup's day")
	}
}

func TestAFailedBackupIsCountedAndRetriedLater(t *testing.T) {
	db := openDatabase(t)
	db.fail = true
	dir := t.TempDir()
	var attempts []error
	d, err := backup.New(db, backup.Options{Dir: dir, Location: rome, RetryAfter: 15 * time.Minute, Logger: slog.New(slog.DiscardHandler),
		Done: func(_ time.Time, _ int64, err error) { attempts = append(attempts, err) }})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Write(at("2026-11-25 02:00")); !errors.Is(err, errDisk) {
		t.Fatalf("got %v, want the disk's error", err)
	}
	if len(attempts) != 1 || !errors.Is(attempts[0], errDisk) {
		t.Fatalf("attempts: got %v", attempts)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Fatalf("a failed backup left %v", got)
	}
	if d.Due(at("2026-11-25 02:14")) {
		t.Fatal("retried before RetryAfter")
	}
	db.fail = false
	if !d.Due(at("2026-11-25 02:15")) {
		t.Fatal("not retried after RetryAfter")
	}
}

func TestRunWritesWhenDueAndStops(t *testing.T) {
	db := openDatabase(t)
	dir := t.TempDir()
	clk := &clock{t: at("2026-11-24 10:00")}
	d, err := backup.New(db, backup.Options{Dir: dir, Location: rome, Now: clk.Now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ticks := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx, ticks) }()
	// Run looks at once, then at each tick; an unbuffered tick is taken
	// only when the previous look is over.
	tick := func() { ticks <- clk.Now(); ticks <- clk.Now() }
	tick()
	if got := names(t, dir); !slices.Equal(got, []string{"turno-2026-11-24.db"}) {
		t.Fatalf("at start, with no backup of the day: got %v", got)
	}
	db.add(t, "2026-11-24")
	clk.Set(at("2026-11-25 01:00"))
	tick()
	if got := names(t, dir); len(got) != 1 {
		t.Fatalf("before the hour: got %v", got)
	}
	clk.Set(at("2026-11-25 02:00"))
	tick()
	if got := names(t, dir); !slices.Equal(got, []string{"turno-2026-11-24.db", "turno-2026-11-25.db"}) {
		t.Fatalf("at the hour: got %v", got)
	}
	cancel()
	<-done
}
