// Package chime announces the hall display's calls: a queue of
// announcements played one after the other by a single goroutine, so that
// two calls that arrive together are heard as two announcements, never on
// top of each other (complaint 4 of docs: "voice announcements that
// overlap or omit the counter").
//
// The display's UI speaks to a Queue; the Queue plays each announcement
// through a Player. The app's Player is a Caller: the chime, then the call
// spoken ("Numero A 12, sportello 3") by each of its Speakers, on one
// Device (the sound card through oto). Tests use a recording device and a
// clock of their own, since no sound device exists where they run.
package chime

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Announcement is one call to announce.
type Announcement struct {
	Number    string // e.g. A012
	Counter   string // the counter's name, e.g. Sportello 3
	CounterID string // the counter's id, e.g. 3: said when the name holds no number
	Recall    bool   // the same ticket called again
}

// Player plays one announcement and returns when it has finished, or when
// ctx ends.
type Player interface {
	Play(ctx context.Context, a Announcement) error
}

// Clock is how the queue and the caller wait between sounds: the real one
// sleeps, a test's moves its own time on.
type Clock interface {
	// Sleep waits d, or until ctx ends (then it returns ctx's error).
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock sleeps on the machine's clock.
type RealClock struct{}

// Sleep waits d or until ctx ends.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Defaults of a Queue.
const (
	// DefaultGap separates two announcements: heard as two calls, not one
	// long one.
	DefaultGap = 600 * time.Millisecond
	// DefaultCapacity bounds the announcements waiting: a burst larger than
	// this (a display catching up after an hour away) is old news anyway.
	DefaultCapacity = 32
)

// Queue plays announcements in the order they were given, one at a time.
type Queue struct {
	player Player
	gap    time.Duration
	clock  Clock
	log    *slog.Logger
	ch     chan Announcement
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// Options tune a Queue; the zero value takes the defaults.
type Options struct {
	Gap      time.Duration // pause after each announcement; 0 is DefaultGap, <0 none
	Capacity int
	Clock    Clock // nil is RealClock
	Logger   *slog.Logger
}

// NewQueue starts a queue that plays through p until Close.
func NewQueue(p Player, opt Options) *Queue {
	if opt.Gap == 0 {
		opt.Gap = DefaultGap
	}
	if opt.Capacity <= 0 {
		opt.Capacity = DefaultCapacity
	}
	if opt.Clock == nil {
		opt.Clock = RealClock{}
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &Queue{player: p, gap: max(opt.Gap, 0), clock: opt.Clock, log: opt.Logger, ch: make(chan Announcement, opt.Capacity), cancel: cancel, done: make(chan struct{})}
	go q.run(ctx)
	return q
}

// Announce queues an announcement and returns at once: it is called from
// the stream's goroutine, which must not wait for a sound to end. When the
// queue is full the announcement is dropped and logged; the board still
// shows the call.
func (q *Queue) Announce(a Announcement) {
	select {
	case q.ch <- a:
	default:
		q.log.Warn("announcement queue full: call not announced", "number", a.Number, "counter", a.Counter)
	}
}

// Close stops playing, drops what is queued and waits for the player to
// return. It is safe to call twice.
func (q *Queue) Close() {
	q.once.Do(q.cancel)
	<-q.done
}

func (q *Queue) run(ctx context.Context) {
	defer close(q.done)
	for {
		select {
		case <-ctx.Done():
			return
		case a := <-q.ch:
			if err := q.player.Play(ctx, a); err != nil && ctx.Err() == nil {
				q.log.Warn("call not announced in full", "number", a.Number, "err", err)
			}
			if q.gap > 0 && q.clock.Sleep(ctx, q.gap) != nil {
				return
			}
		}
	}
}

// Muted is the player of a display without sound: it plays nothing.
type Muted struct{}

// Play returns at once.
func (Muted) Play(context.Context, Announcement) error { return nil }

// Speaker says an announcement in one language.
type Speaker interface {
	Speak(a Announcement) (Sound, error)
}

// DefaultPause separates the chime from the speech, and one language's
// speech from the next.
const DefaultPause = 300 * time.Millisecond

// Caller plays an announcement on a device: the chime, then the call spoken
// by each of its speakers in turn (Italian, then English), never two sounds
// at once. With no speakers it is the chime alone (-voice off).
type Caller struct {
	device   Device
	chime    Sound
	speakers []Speaker
	pause    time.Duration
	clock    Clock
}

// NewCaller plays chime and speakers on device, pause apart; a nil clock is
// RealClock.
func NewCaller(device Device, chime Sound, speakers []Speaker, pause time.Duration, clock Clock) *Caller {
	if clock == nil {
		clock = RealClock{}
	}
	return &Caller{device: device, chime: chime, speakers: speakers, pause: pause, clock: clock}
}

// Play plays the chime, then each speaker's words. A speaker that cannot
// say a call is skipped (the others still speak); the errors are returned
// together.
func (c *Caller) Play(ctx context.Context, a Announcement) error {
	var errs []error
	if err := c.device.Play(ctx, c.chime); err != nil {
		if ctx.Err() != nil {
			return err
		}
		errs = append(errs, err)
	}
	for _, sp := range c.speakers {
		s, err := sp.Speak(a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := c.clock.Sleep(ctx, c.pause); err != nil {
			return err
		}
		if err := c.device.Play(ctx, s); err != nil {
			if ctx.Err() != nil {
				return err
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
