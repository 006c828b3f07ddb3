package live

import (
	"context"
	"errors"
	"fmt"
	"time"

	"turno/server/queue"
)

// Reconfigure puts a new configuration in force while the office runs (the
// administration console). Under the office's lock, with the committer
// held off, it runs queue.ChangeConfig, which refuses what would break the
// day (force accepts a change of the opening range in progress), and
// commits its config.changed event in one write together with every event
// still pending. Then it rebuilds the state from the log under the new
// configuration, exactly as a restart would, so the swap can never
// disagree with one. installed, if not nil, runs next, still under the
// lock and before the events are published: the server puts the rest of
// the configuration (users, devices) in force there, so the stream that
// learns of the change already sees them. Last, the numerators' states
// under the new hours are committed like any command's.
//
// A refusal is the command's error (*queue.ConfigRefusal); the rollover
// and status events produced with it are committed all the same.
func (o *Office) Reconfigure(ctx context.Context, cfg *queue.Config, change queue.ConfigChange, force bool, installed func()) error {
	// The day under the new configuration is built first, without the
	// lock (reading and applying a busy day's events takes a while); under
	// the lock it only catches up with what was committed meanwhile.
	pre, preErr := o.build(cfg)
	o.commitMu.Lock()
	o.mu.Lock()
	if o.closed || o.broken != nil {
		err := ErrClosed
		if o.broken != nil {
			err = o.broken
		}
		o.mu.Unlock()
		o.commitMu.Unlock()
		return err
	}
	now := o.now()
	o.checkClock(now)
	staged, cmdErr := o.state.Run(now, queue.ChangeConfig(cfg, change, force))
	var pe *queue.PanicError
	if errors.As(cmdErr, &pe) {
		o.logger.Error("a change of configuration panicked; refused", "panic", pe.Value, "stack", string(pe.Stack))
		cmdErr = fmt.Errorf("live: %w", cmdErr)
	}
	o.lastSeq = o.state.Seq()
	if cmdErr != nil {
		// Refused: what the clock produced goes the usual way.
		var w *waiter
		if len(staged) > 0 {
			w = &waiter{events: staged, done: make(chan error, 1)}
			o.pending = append(o.pending, w)
			select {
			case o.kick <- struct{}{}:
			default:
			}
		}
		o.mu.Unlock()
		o.commitMu.Unlock()
		if w != nil {
			if err := <-w.done; err != nil {
				return err
			}
		}
		return cmdErr
	}

	batch := o.pending
	o.pending = nil
	var all []queue.Event
	for _, w := range batch {
		all = append(all, w.events...)
	}
	all = append(all, staged...)
	start := time.Now() // a duration, not the office's clock
	err := o.log.Append(all)
	if o.onCommit != nil {
		o.onCommit(Commit{Events: len(all), Requests: len(batch) + 1, Duration: time.Since(start), Err: err})
	}
	if err != nil {
		err = fmt.Errorf("live: commit the change of configuration (events %d-%d): %w", all[0].Seq, all[len(all)-1].Seq, err)
		o.logger.Error("commit failed; refusing uncommitted changes and reloading the day", "err", err)
		if rerr := o.rebuild(); rerr != nil { // the configuration in force is still the old one
			o.logger.Error("cannot reload the day after a failed commit; refusing all changes", "err", rerr)
			o.broken = fmt.Errorf("live: storage failed and the day could not be reloaded: %w", rerr)
		}
		o.mu.Unlock()
		o.commitMu.Unlock()
		for _, w := range batch {
			w.done <- err
		}
		return err
	}
	o.committed = all[len(all)-1].Seq
	old := o.cfg.Load()
	o.cfg.Store(cfg)
	if preErr == nil && o.adopt(pre) {
		if installed != nil {
			installed()
		}
	} else if rerr := o.rebuild(); rerr != nil {
		// The change is on disk; a restart would read it. Until then the
		// office refuses to act on a state it could not rebuild.
		o.cfg.Store(old)
		o.logger.Error("cannot rebuild the day under the new configuration; refusing all changes until a restart", "version", change.Version, "err", rerr)
		o.broken = fmt.Errorf("live: the day could not be rebuilt under configuration version %d: %w", change.Version, rerr)
	} else if installed != nil {
		installed()
	}
	broken := o.broken
	o.mu.Unlock()
	o.reader.committed(all, true) // read again under the configuration now in force
	for _, w := range batch {
		w.done <- nil
	}
	o.publish(all)
	o.commitMu.Unlock()
	if broken != nil {
		return broken
	}
	// The numerators' states under the new configuration (a service closed
	// or opened by its new hours).
	if _, err := o.Do(ctx, nil, nil); err != nil && !errors.Is(err, ErrClosed) {
		return fmt.Errorf("live: configuration version %d is in force, but the numerators' states were not updated: %w", change.Version, err)
	}
	return nil
}

// adopt puts in force a state built before the lock was taken, once it has
// applied the events committed since: the state rebuild would read now. It
// reports false (the caller rebuilds) when it cannot catch up: no day yet,
// or a new day begun meanwhile.
func (o *Office) adopt(st *queue.Office) bool {
	if st.Day() == "" {
		return false
	}
	events, err := o.log.EventsSince(st.Seq(), 0)
	if err != nil {
		return false
	}
	for _, ev := range events {
		if ev.Type == queue.EventDayRollover || ev.Day != st.Day() {
			return false
		}
	}
	st.Apply(events...)
	if st.Seq() != o.committed {
		return false
	}
	o.state, o.lastSeq = st, o.committed
	return true
}
