package history

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"turno/server/queue"
)

// Store is the log and the stored days (package store).
type Store interface {
	Days() ([]string, error)
	DayEvents(day string) ([]queue.Event, error)
	PutDayStats(day string, data []byte) error
	EachDayStats(from, to string, fn func(day string, data []byte) error) error
	// Bookings returns the bookings of day and after (the forecast counts
	// the appointments already booked).
	Bookings(fromDay string) ([]queue.Booking, error)
}

// Keeper writes the figures of each closed day: a day is closed once the
// log holds a later day (its rollover and the expiries that end it are
// written), so its events can change no more.
type Keeper struct {
	current func() (*queue.Config, FoldOptions)
	store   Store
	logger  *slog.Logger
}

// NewKeeper returns a keeper of the office's days.
func NewKeeper(cfg *queue.Config, store Store, opt FoldOptions, logger *slog.Logger) *Keeper {
	return NewLiveKeeper(func() (*queue.Config, FoldOptions) { return cfg, opt }, store, logger)
}

// NewLiveKeeper returns a keeper that folds each day under the
// configuration in force when it does, which current returns.
func NewLiveKeeper(current func() (*queue.Config, FoldOptions), store Store, logger *slog.Logger) *Keeper {
	if logger == nil {
		logger = slog.Default()
	}
	return &Keeper{current: current, store: store, logger: logger}
}

// CatchUp folds and stores every closed day whose figures are missing or
// were folded by an older version, oldest first, and says how many.
func (k *Keeper) CatchUp(ctx context.Context) (int, error) {
	days, err := k.store.Days()
	if err != nil {
		return 0, fmt.Errorf("history: %w", err)
	}
	if len(days) < 2 {
		return 0, nil
	}
	closed := days[:len(days)-1]
	have := make(map[string]int, len(closed))
	err = k.store.EachDayStats(closed[0], closed[len(closed)-1], func(day string, data []byte) error {
		have[day] = version(data)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("history: %w", err)
	}
	n := 0
	for _, day := range closed {
		if have[day] >= FoldVersion {
			continue
		}
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if err := k.write(day); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (k *Keeper) write(day string) error {
	events, err := k.store.DayEvents(day)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	cfg, opt := k.current()
	d := Fold(cfg, day, events, opt)
	data, err := encode(&d)
	if err != nil {
		return err
	}
	if err := k.store.PutDayStats(day, data); err != nil {
		return fmt.Errorf("history: store %s: %w", day, err)
	}
	return nil
}

// Run catches up at once and then every interval until ctx ends: the
// figures of a day appear within an interval of its close. Errors are
// logged and retried at the next interval.
func (k *Keeper) Run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		start := time.Now()
		n, err := k.CatchUp(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			k.logger.Error("cannot store the figures of a closed day; retrying", "err", err)
		case n > 0:
			k.logger.Info("stored the figures of closed days", "days", n, "took", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
