package history

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"testing"
	"time"

	"turno/server/live"
	"turno/server/queue"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// The server's live office closes the day at its rollover; the keeper then
// stores the day's figures, which equal the fold of the events the office
// published, and a rebuild from the log writes the same bytes.
func TestTheLiveOfficesClosedDayIsStoredAsItsEventsFold(t *testing.T) {
	cfg := testConfig(t)
	st := openStore(t)
	clk := &clock{t: at(scriptDay, "07:00")}
	var mu sync.Mutex
	var published []queue.Event
	ids := 0
	lo, err := live.Open(&cfg.Office, st, live.Options{Now: clk.now, Logger: slog.New(slog.DiscardHandler),
		NewID:   func() string { ids++; return fmt.Sprintf("%032x", ids) },
		Publish: func(evs []queue.Event) { mu.Lock(); published = append(published, evs...); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	defer lo.Close()
	o := &office{t: t, do: func(now time.Time, cmd queue.Command) ([]queue.Event, error) {
		clk.set(now)
		return lo.Do(context.Background(), cmd, nil)
	}}
	script(o, scriptDay)
	if err := lo.Tick(context.Background()); err != nil { // a read: every event is on disk
		t.Fatal(err)
	}
	k := NewKeeper(&cfg.Office, st, FoldOptions{}, nil)
	if n, err := k.CatchUp(context.Background()); err != nil || n != 1 {
		t.Fatalf("got %d days, %v; want the scripted day", n, err)
	}
	var stored []byte
	if err := st.EachDayStats(scriptDay, scriptDay, func(_ string, data []byte) error { stored = append([]byte(nil), data...); return nil }); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	want := Fold(&cfg.Office, scriptDay, dayEvents(published, scriptDay), FoldOptions{})
	mu.Unlock()
	var got Day
	if err := decode(stored, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the stored day differs from the fold of the published events:\n%+v\n%+v", got.Cells[0], want.Cells[0])
	}
	if c := cell(t, &got, DimOffice, "", -1); c.Issued != 8 || c.Served != 5 || c.Expired != 2 || c.Missed != 1 {
		t.Fatalf("got %+v", c)
	}
	// Rebuilt from the log: the same bytes.
	if err := st.PutDayStats(scriptDay, []byte{0, 0}); err != nil {
		t.Fatal(err)
	}
	if n, err := k.CatchUp(context.Background()); err != nil || n != 1 {
		t.Fatalf("rebuild: %d, %v", n, err)
	}
	if err := st.EachDayStats(scriptDay, scriptDay, func(_ string, data []byte) error {
		if string(data) != string(stored) {
			t.Error("the rebuilt day differs from the one written at the close")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The keeper's loop stops with its context.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.Run(ctx, time.Hour); close(done) }()
	cancel()
	<-done
}
