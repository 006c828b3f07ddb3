package live_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/live"
	"turno/server/store"
)

// Readers of the same state share one snapshot, built once; a change, the
// clock moving on by SnapshotAge, or a refused commit gives a new one.
func TestSnapshotIsSharedWhileTheStateHolds(t *testing.T) {
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "turno.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := &faultyLog{Store: db}
	var mu sync.Mutex
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, cfg.Office.Location)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	o, err := live.Open(&cfg.Office, log, live.Options{Now: clock, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.Close)
	ctx := context.Background()
	first, err := o.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := o.Snapshot(ctx); again != first {
		t.Fatal("two readers of the same state got two snapshots")
	}
	if _, err := issue(ctx, o, "anagrafe"); err != nil {
		t.Fatal(err)
	}
	after, _ := o.Snapshot(ctx)
	if after == first || after.Seq <= first.Seq || len(after.Tickets) != 1 {
		t.Fatalf("after a ticket: got seq %d with %d tickets, want a new snapshot past %d with it", after.Seq, len(after.Tickets), first.Seq)
	}
	mu.Lock()
	now = now.Add(live.SnapshotAge)
	mu.Unlock()
	if later, _ := o.Snapshot(ctx); later == after || later.Seq != after.Seq {
		t.Fatal("the clock moved on and the snapshot did not")
	}
	// A refused commit: nobody is shown the ticket that never was.
	log.fail.Store(true)
	if _, err := issue(ctx, o, "anagrafe"); !errors.Is(err, errDisk) {
		t.Fatalf("got %v, want the disk's error", err)
	}
	log.fail.Store(false)
	if s, err := o.Snapshot(ctx); err != nil || len(s.Tickets) != 1 {
		t.Fatalf("after a refused ticket: got %v tickets, %v; want the one committed", len(s.Tickets), err)
	}
}
