package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"turno/server/client"
	"turno/server/queue"
)

// Options wire a screen to its server, clock and UI thread.
type Options struct {
	// Client is the screen's own client: the display token for the board,
	// the floor assistant's session for the flow view.
	Client *client.Client
	// Now is the clock of everything time shows on screen.
	Now func() time.Time
	// Location is the office's time zone, for the clock and the times shown.
	Location *time.Location
	// Do runs a function where widgets may be touched: fyne.Do in the app,
	// a mutex in the tests.
	Do func(func())
	// Tick is how often the clock and the timers refresh; 0 is a second.
	Tick time.Duration
	// MinBackoff and MaxBackoff bound the stream's reconnections; 0 takes
	// the client's defaults, which bring a screen back within 2 s of its
	// server (client.DefaultMaxBackoff).
	MinBackoff, MaxBackoff time.Duration
	// StreamWait replaces the stream's timer between reconnection attempts
	// (client.StreamOptions.Wait); tests count the attempts with it.
	StreamWait func(ctx context.Context, d time.Duration) error
	Logger     *slog.Logger
}

func (o *Options) defaults() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Do == nil {
		o.Do = fyne.Do
	}
	if o.Tick <= 0 {
		o.Tick = time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// follower runs a screen's stream and ticker and hands both to the screen
// inside Do.
type follower struct {
	opt     Options
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	pending atomic.Bool // a refresh is queued in Do

	mu     sync.Mutex
	stream *client.Stream
}

func newFollower(ctx context.Context, opt Options) *follower {
	ctx, cancel := context.WithCancel(ctx)
	return &follower{opt: opt, ctx: ctx, cancel: cancel}
}

// follow opens the stream and calls refresh (inside Do) after every change
// and every tick, with the model and the connection's status. onEvent runs
// on the stream's goroutine for each applied event, with the stream that
// delivered it (its clock and model), and must not block.
func (f *follower) follow(onEvent func(*client.Stream, queue.Event), refresh func(client.Model, client.Status)) {
	var s *client.Stream
	var handler func(queue.Event)
	// The stream may deliver an event before Stream has returned it: the
	// handler waits for the variable to be set (on the first event only, a
	// moment at most) rather than see a nil stream.
	ready := make(chan struct{})
	if onEvent != nil {
		handler = func(ev queue.Event) {
			<-ready
			onEvent(s, ev)
		}
	}
	s = f.opt.Client.Stream(f.ctx, client.StreamOptions{
		OnEvent: handler, MinBackoff: f.opt.MinBackoff, MaxBackoff: f.opt.MaxBackoff, Wait: f.opt.StreamWait,
	})
	close(ready)
	f.mu.Lock()
	old := f.stream
	f.stream = s
	f.mu.Unlock()
	if old != nil {
		old.Close()
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		tick := time.NewTicker(f.opt.Tick)
		defer tick.Stop()
		for {
			select {
			case <-f.ctx.Done():
				return
			case <-s.Done():
				f.queue(s, refresh) // show why it stopped
				return
			case <-s.Changes():
			case <-tick.C:
			}
			f.queue(s, refresh)
		}
	}()
}

// queue asks Do for one refresh; changes that come while one is queued are
// merged into it (fyne.Do does not wait, and a burst of events must not
// pile up a burst of redraws).
func (f *follower) queue(s *client.Stream, refresh func(client.Model, client.Status)) {
	if f.pending.Swap(true) {
		return
	}
	f.opt.Do(func() {
		f.pending.Store(false)
		if f.ctx.Err() != nil {
			return
		}
		refresh(s.Model(), s.Status())
	})
}

// close stops the stream and the ticker and waits for them. Call it from
// outside Do.
func (f *follower) close() {
	f.cancel()
	f.wg.Wait()
	f.mu.Lock()
	s := f.stream
	f.mu.Unlock()
	if s != nil {
		s.Close()
	}
}

// connection turns the stream's status into the banner a screen shows: a
// screen is never stale without saying so.
type connection struct {
	lostAt    time.Time // when this screen first saw the connection gone
	connected bool      // the stream has been connected at least once
}

// banner returns the banner's text, "" for none. The time shown is when the
// screen noticed, on the office's clock (the stream's own Since is the
// machine's clock, which tests do not drive).
func (c *connection) banner(st client.Status, now time.Time, loc *time.Location, say func(key string, kv ...any) string) string {
	switch st.State {
	case client.Connected:
		c.lostAt, c.connected = time.Time{}, true
		return ""
	case client.Connecting:
		return say("Connecting to the server…")
	case client.Stopped:
		if client.IsAuth(st.Err) || client.StatusOf(st.Err) == 403 {
			return say("The server refused this screen: check its token or login.")
		}
		if errors.Is(st.Err, client.ErrStreamClosed) {
			return ""
		}
	}
	if c.lostAt.IsZero() {
		c.lostAt = now
	}
	if !c.connected {
		return say("Cannot reach the server since {{.T}}: retrying", "T", clock(c.lostAt, loc))
	}
	return say("Connection lost since {{.T}}", "T", clock(c.lostAt, loc))
}

// clock formats a time as HH:MM in the office's zone.
func clock(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04") }

// minutes formats a duration for people: "0 min", "12 min", "1 h 05".
func minutes(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	m := int(d / time.Minute)
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d", m/60, m%60)
}

// officeZone is the office's time zone as the server names it, or fallback
// (-tz) while it has not yet (before the first snapshot, or an older
// server): every time on screen is the office's, never the machine's.
func officeZone(m client.Model, fallback *time.Location) *time.Location {
	if loc, ok := m.Location(); ok {
		return loc
	}
	return fallback
}
