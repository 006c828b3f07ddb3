package live

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"turno/server/queue"
)

// reader is a second copy of the day's state that only committed events
// reach, with a lock of its own: snapshots and the stream's fresh views are
// built from it, so a big view never holds the writer's lock. On a two-core
// machine a wave of screens subscribing at once stretched a snapshot's
// millisecond under the writer's lock to 5-18 ms (its goroutine waits for
// a processor while holding the lock), and every kiosk's ticket waited
// behind it.
//
// The committer hands it each committed batch (before the batch's callers
// are answered) and one goroutine applies them in order. A new day or a new
// configuration is read again from the log, as a restart would, and caught
// up from there: the day's state is always the fold of the log.
type reader struct {
	o *Office

	mu   sync.Mutex
	cond *sync.Cond // st advanced, was replaced, failed, or the office closed
	st   *queue.Office
	err  error // the last build failed (retried with the next batch)
	// shared is the latest snapshot handed out, and when it was built:
	// readers of the same state share it (see Office.Snapshot).
	shared   *queue.Snapshot
	sharedAt time.Time

	inMu   sync.Mutex
	in     []queue.Event // committed, not yet applied
	reload bool          // build the state again from the log
	closed bool
	kick   chan struct{}
	done   chan struct{}
}

func newReader(o *Office) *reader {
	r := &reader{o: o, kick: make(chan struct{}, 1), done: make(chan struct{})}
	r.cond = sync.NewCond(&r.mu)
	return r
}

// committed queues a committed batch. reload says the state must be read
// again from the log (a new configuration). It does not block.
func (r *reader) committed(events []queue.Event, reload bool) {
	r.inMu.Lock()
	r.in = append(r.in, events...)
	r.reload = r.reload || reload
	r.inMu.Unlock()
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

func (r *reader) close() {
	r.inMu.Lock()
	r.closed = true
	r.inMu.Unlock()
	select {
	case r.kick <- struct{}{}:
	default:
	}
	<-r.done
	r.mu.Lock()
	r.cond.Broadcast()
	r.mu.Unlock()
}

// loop first builds the copy from first, the reading of the log that the
// office's own state was built from (beside the office's start, not before
// it: reads wait for it), then applies what is committed.
func (r *reader) loop(cfg *queue.Config, first *dayLog) {
	defer close(r.done)
	st := r.o.stateOf(cfg, first)
	first = nil // its events are garbage once applied
	r.mu.Lock()
	r.st = st
	r.cond.Broadcast()
	r.mu.Unlock()
	for range r.kick {
		r.inMu.Lock()
		events, reload, closed := r.in, r.reload, r.closed
		r.in, r.reload = nil, false
		r.inMu.Unlock()
		if closed {
			return
		}
		r.apply(events, reload)
	}
}

// apply brings the state to the end of events: applied in place, or, for a
// new day, a new configuration or a gap, read again from the log without
// the lock and put in its place.
func (r *reader) apply(events []queue.Event, reload bool) {
	r.mu.Lock()
	have, seq := r.st != nil, uint64(0)
	if have {
		seq = r.st.Seq() // only this goroutine changes it, but views run beside
	}
	r.mu.Unlock()
	if have && !reload {
		events = slices.DeleteFunc(events, func(ev queue.Event) bool { return ev.Seq <= seq })
		reload = len(events) > 0 && events[0].Seq != seq+1 ||
			slices.ContainsFunc(events, func(ev queue.Event) bool {
				return ev.Type == queue.EventDayRollover || ev.Type == queue.EventConfigChanged
			})
		if !reload {
			if len(events) > 0 {
				r.mu.Lock()
				r.st.Apply(events...)
				r.cond.Broadcast()
				r.mu.Unlock()
			}
			return
		}
	}
	fresh, err := r.build()
	r.mu.Lock()
	defer r.mu.Unlock()
	defer r.cond.Broadcast()
	if err != nil {
		r.err = err
		r.o.logger.Error("cannot build the readers' copy of the day; retrying with the next commit", "err", err)
		r.inMu.Lock()
		r.reload = true
		r.inMu.Unlock()
		return
	}
	r.st, r.err, r.shared = fresh, nil, nil
}

// build reads the log's latest day under the configuration in force and
// every event committed after it.
func (r *reader) build() (*queue.Office, error) {
	st, err := r.o.build(r.o.cfg.Load())
	if err != nil {
		return nil, err
	}
	if st.Day() == "" {
		return st, nil
	}
	events, err := r.o.log.EventsSince(st.Seq(), 0)
	if err != nil {
		return nil, fmt.Errorf("live: read the events after the day's: %w", err)
	}
	st.Apply(events...)
	return st, nil
}

// read runs view on the copy once it holds every event up to seq.
func (r *reader) read(ctx context.Context, seq uint64, view func(st *queue.Office)) error {
	stop := context.AfterFunc(ctx, func() {
		r.mu.Lock()
		r.cond.Broadcast()
		r.mu.Unlock()
	})
	defer stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.st == nil || r.st.Seq() < seq {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.inMu.Lock()
		closed := r.closed
		r.inMu.Unlock()
		if closed {
			return ErrClosed
		}
		if r.err != nil {
			return fmt.Errorf("live: the office cannot be read: %w", r.err)
		}
		r.cond.Wait()
	}
	return r.o.guarded(func() { view(r.st) })
}
