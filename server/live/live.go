// Package live runs the office: one writer over the domain state, group
// commit of its events to the log, and publication after commit.
//
// A command runs under one mutex: it is validated against the in-memory
// state, its events get the next sequence numbers and are applied at once,
// and the caller then waits, without the lock, until a single committer
// goroutine has written them to disk. The committer writes everything that
// queued up during the previous write in one transaction, so concurrent
// kiosks and counters share fsyncs (group commit), and batches commit in
// sequence order, so a crash can lose only unacknowledged events and never
// leaves a gap. bbolt's db.Batch also shares commits, but it may run a
// function twice and does not order one batch after another, which an
// ordered, gapless event log needs.
//
// Reads wait for the commit of every event they saw, so nobody is shown a
// state that a crash could take back. Long reads (snapshots, the stream's
// fresh views) run on a copy that only committed events reach (Read), so
// they never hold up a command. If a write fails, every event not yet
// on disk is refused to its caller and the state is rebuilt from the log.
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"turno/server/queue"
)

// Log is the durable event log (package store).
type Log interface {
	Append(events []queue.Event) error
	LastSeq() (uint64, error)
	LatestDay() (day string, events []queue.Event, err error)
	ProtocolSeq(year int) (int, error)
	// Bookings returns the bookings of day and after: the agenda outlives
	// the business day, like protocol numbers.
	Bookings(fromDay string) ([]queue.Booking, error)
	// EventsSince returns the events after seq (limit <= 0: all of them).
	EventsSince(seq uint64, limit int) ([]queue.Event, error)
}

// ErrClosed is returned once the office has been closed.
var ErrClosed = errors.New("live: office closed")

// Options are the office's collaborators; all are optional.
type Options struct {
	Now func() time.Time
	// Publish receives every committed batch of events, in order, one
	// batch at a time (from the committer, or from Reconfigure, which
	// commits in its place). It must not block.
	Publish func([]queue.Event)
	// NewID makes ticket ids (tests make them predictable).
	NewID  func() string
	Logger *slog.Logger
	// Committed, if set, is told of every write of the committer, from its
	// goroutine (the server's metrics). It must not block.
	Committed func(Commit)
}

// Commit is one write of the committer: one transaction, one fsync.
type Commit struct {
	Events   int           // events written
	Requests int           // callers that waited for it (group commit)
	Duration time.Duration // the write, until it was on disk or failed
	Err      error
}

// Office is the running office.
type Office struct {
	cfg      atomic.Pointer[queue.Config] // replaced by Reconfigure
	log      Log
	now      func() time.Time
	publish  func([]queue.Event)
	newID    func() string
	logger   *slog.Logger
	onCommit func(Commit) // Options.Committed

	// commitMu is held for each write to the log and its publication:
	// by the committer, or by Reconfigure. Taken before mu.
	commitMu  sync.Mutex
	mu        sync.Mutex
	state     *queue.Office
	lastSeq   uint64 // assigned
	committed uint64 // on disk
	pending   []*waiter
	closed    bool
	broken    error // the day could not be reloaded after a failed commit
	// clockBehind is set while the clock reads a day before the office's.
	clockBehind bool
	// reader is the committed state that views read (Read, Snapshot).
	reader *reader

	kick chan struct{}
	stop chan struct{}
	done chan struct{}
}

type waiter struct {
	events []queue.Event
	done   chan error
}

// Open rebuilds the office's day from the log and starts the committer.
func Open(cfg *queue.Config, log Log, opt Options) (*Office, error) {
	o := &Office{
		log: log, now: opt.Now, publish: opt.Publish, newID: opt.NewID, logger: opt.Logger, onCommit: opt.Committed,
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	o.cfg.Store(cfg)
	if o.now == nil {
		o.now = time.Now
	}
	if o.publish == nil {
		o.publish = func([]queue.Event) {}
	}
	if o.logger == nil {
		o.logger = slog.Default()
	}
	d, err := o.readDay(cfg)
	if err != nil {
		return nil, err
	}
	last, err := o.log.LastSeq()
	if err != nil {
		return nil, fmt.Errorf("live: load the sequence: %w", err)
	}
	o.state, o.lastSeq, o.committed = o.stateOf(cfg, d), last, last
	o.reader = newReader(o)
	go o.reader.loop(cfg, d)
	go o.commitLoop()
	return o, nil
}

// rebuild replaces the state with the log's latest day. Callers hold mu or
// run before the committer starts.
func (o *Office) rebuild() error {
	st, err := o.build(o.cfg.Load())
	if err != nil {
		return err
	}
	last, err := o.log.LastSeq()
	if err != nil {
		return fmt.Errorf("live: load the sequence: %w", err)
	}
	o.state, o.lastSeq, o.committed = st, last, last
	return nil
}

// build reads the log's latest day into a new state under cfg: the
// protocol numbers, the agenda from that day on, the day's events. It
// changes nothing of o's.
func (o *Office) build(cfg *queue.Config) (*queue.Office, error) {
	d, err := o.readDay(cfg)
	if err != nil {
		return nil, err
	}
	return o.stateOf(cfg, d), nil
}

// dayLog is what a state is built from, read once from the log: at start
// the office's state and the readers' copy are both built from one reading
// (decoding a big day's events is most of the cost, and of the garbage).
type dayLog struct {
	protocol map[int]int
	bookings []queue.Booking
	events   []queue.Event
}

func (o *Office) readDay(cfg *queue.Config) (*dayLog, error) {
	d := &dayLog{protocol: map[int]int{}}
	year := o.now().In(cfg.Location).Year()
	for _, y := range []int{year - 1, year, year + 1} { // the clock may sit near New Year
		seq, err := o.log.ProtocolSeq(y)
		if err != nil {
			return nil, fmt.Errorf("live: load protocol numbers: %w", err)
		}
		d.protocol[y] = seq
	}
	day, events, err := o.log.LatestDay()
	if err != nil {
		return nil, fmt.Errorf("live: load the day: %w", err)
	}
	d.events = events
	if day != "" {
		if d.bookings, err = o.log.Bookings(day); err != nil {
			return nil, fmt.Errorf("live: load the agenda: %w", err)
		}
	}
	return d, nil
}

// stateOf builds a new state from d; d is only read (states copy what
// they keep of events), so one reading builds several.
func (o *Office) stateOf(cfg *queue.Config, d *dayLog) *queue.Office {
	st := queue.NewOffice(cfg)
	if o.newID != nil {
		st.NewID = o.newID
	}
	for y, seq := range d.protocol {
		st.SetProtocolSeq(y, seq)
	}
	st.LoadBookings(d.bookings)
	st.Apply(d.events...)
	return st
}

// Command computes a command's events from the state at now without changing
// it (the queue package's commands).
type Command = queue.Command

// View reads the state after a command's events are applied, under the lock;
// it must copy what it keeps.
type View func(now time.Time, st *queue.Office)

// Do runs cmd (which may be nil, for a read) through queue.Office.Run, then
// view, and returns once the events applied and every earlier one are on
// disk. It returns those events (the day's rollover and the numerators'
// changes included). The command's error is returned after the commit of
// the events it still produced (a refusal's turn-away).
func (o *Office) Do(ctx context.Context, cmd Command, view View) ([]queue.Event, error) {
	o.mu.Lock()
	if o.closed || o.broken != nil {
		err := ErrClosed
		if o.broken != nil {
			err = o.broken
		}
		o.mu.Unlock()
		return nil, err
	}
	now := o.now()
	o.checkClock(now)
	var viewErr error
	staged, cmdErr := o.state.Run(now, cmd)
	var pe *queue.PanicError
	if errors.As(cmdErr, &pe) {
		o.logger.Error("a command panicked; refused", "panic", pe.Value, "stack", string(pe.Stack))
		cmdErr = fmt.Errorf("live: %w", cmdErr)
	}
	o.lastSeq = o.state.Seq()
	if view != nil {
		viewErr = o.guarded(func() { view(now, o.state) })
	}
	var w *waiter
	if len(staged) > 0 || o.committed < o.lastSeq {
		w = &waiter{events: staged, done: make(chan error, 1)}
		o.pending = append(o.pending, w)
		select {
		case o.kick <- struct{}{}:
		default:
		}
	}
	o.mu.Unlock()
	if w != nil {
		// Not cancellable by ctx: the events are applied and will be
		// committed; the caller must learn whether they were.
		if err := <-w.done; err != nil {
			return nil, err
		}
	}
	if viewErr != nil {
		return staged, viewErr
	}
	return staged, cmdErr
}

// SnapshotAge is how long a snapshot is handed out again while nothing
// changes: its estimates and the services' states move with the clock.
const SnapshotAge = time.Second

// Read runs view on the office's committed state, once it holds every event
// the office had applied when Read was called (the clock's own, a new day or
// a numerator's cut-off, included): what Do with a view shows, but read from
// a copy with a lock of its own (see reader), so a long view never holds up
// the commands. Views that the next command must see are for Do.
func (o *Office) Read(ctx context.Context, view View) error {
	var seq uint64
	if _, err := o.Do(ctx, nil, func(_ time.Time, st *queue.Office) { seq = st.Seq() }); err != nil {
		return err
	}
	return o.reader.read(ctx, seq, func(st *queue.Office) { view(o.now(), st) })
}

// Snapshot returns the office's snapshot at its committed state. It is
// shared: every reader of the same state within SnapshotAge gets the same
// one, built once (its cost is the open tickets and a few closed ones per
// service, see queue.Recent) from the readers' copy, so a hundred screens
// subscribing at once cost one snapshot and no kiosk waits for it. It must
// not be modified; callers cut their view from copies (hub.View.snapshot)
// and encode it outside the lock.
func (o *Office) Snapshot(ctx context.Context) (*queue.Snapshot, error) {
	var snap *queue.Snapshot
	r := o.reader
	err := o.Read(ctx, func(now time.Time, st *queue.Office) {
		// Read holds r.mu while views run: shared is read and set under it.
		if s := r.shared; s != nil && s.Seq == st.Seq() && !now.Before(r.sharedAt) && now.Sub(r.sharedAt) < SnapshotAge {
			snap = s
			return
		}
		s := st.Snapshot(now)
		snap, r.shared, r.sharedAt = &s, &s, now
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// guarded runs a view, turning a panic (a bug) into an error: the
// office's lock is released and the office goes on serving. (Commands are
// guarded by queue.Office.Run.)
func (o *Office) guarded(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			o.logger.Error("a view panicked; refused", "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("live: internal error: %v", r)
		}
	}()
	f()
	return nil
}

// checkClock warns, once, when the clock says a day before the office's:
// the office stays on its day (a day is never entered twice), and someone
// must look at the machine's clock.
func (o *Office) checkClock(now time.Time) {
	behind := o.state.Day() != "" && o.cfg.Load().Day(now) < o.state.Day()
	if behind && !o.clockBehind {
		o.logger.Error("the clock is behind the business day already started; staying on it", "clock", now, "day", o.state.Day())
	}
	o.clockBehind = behind
}

// Tick handles the day change when no command comes; the server calls it on
// a timer so screens see the new day at midnight.
func (o *Office) Tick(ctx context.Context) error {
	_, err := o.Do(ctx, nil, nil)
	return err
}

func (o *Office) commitLoop() {
	defer close(o.done)
	for {
		select {
		case <-o.kick:
		case <-o.stop:
			o.commitPending() // what was staged before Close
			return
		}
		o.commitPending()
	}
}

func (o *Office) commitPending() {
	o.commitMu.Lock()
	defer o.commitMu.Unlock()
	o.mu.Lock()
	batch := o.pending
	o.pending = nil
	o.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	var all []queue.Event
	for _, w := range batch {
		all = append(all, w.events...)
	}
	start := time.Now() // a duration, not the office's clock
	err := o.log.Append(all)
	if o.onCommit != nil && len(all) > 0 {
		o.onCommit(Commit{Events: len(all), Requests: len(batch), Duration: time.Since(start), Err: err})
	}
	if err != nil {
		err = fmt.Errorf("live: commit events %d-%d: %w", all[0].Seq, all[len(all)-1].Seq, err)
		o.logger.Error("commit failed; refusing uncommitted changes and reloading the day", "err", err)
		batch = append(batch, o.abandon()...)
	} else if len(all) > 0 {
		o.reader.committed(all, false) // before anyone is answered: Read waits for it
		o.mu.Lock()
		o.committed = all[len(all)-1].Seq
		o.mu.Unlock()
	}
	for _, w := range batch {
		w.done <- err
	}
	if err == nil && len(all) > 0 {
		o.publish(all)
	}
}

// abandon drops every staged event after a failed commit and rebuilds the
// state from the log; it returns the waiters queued meanwhile.
func (o *Office) abandon() []*waiter {
	o.mu.Lock()
	defer o.mu.Unlock()
	rest := o.pending
	o.pending = nil
	if err := o.rebuild(); err != nil {
		o.logger.Error("cannot reload the day after a failed commit; refusing all changes", "err", err)
		o.broken = fmt.Errorf("live: storage failed and the day could not be reloaded: %w", err)
	}
	return rest
}

// Close stops accepting commands, commits what was staged and stops the
// committer.
func (o *Office) Close() {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		<-o.done
		return
	}
	o.closed = true
	o.mu.Unlock()
	close(o.stop)
	<-o.done
	o.reader.close()
}

// Config returns the office's configuration in force.
func (o *Office) Config() *queue.Config { return o.cfg.Load() }
