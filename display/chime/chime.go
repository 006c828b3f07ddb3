// Package chime announces the hall display's calls: a queue of
// announcements played one after the other by a single goroutine, so that
// two calls that arrive together are heard as two chimes, never on top of
// each other (complaint 4 of docs: "voice announcements that overlap").
//
// The display's UI speaks to a Queue; the Queue plays through a Player. The
// app's Player is Oto (the sound card, through oto); tests use a recording
// player, since no sound device exists where they run.
package chime

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Announcement is one call to announce.
type Announcement struct {
	Number  string // e.g. A012
	Counter string // the counter's name, e.g. Sportello 3
	Recall  bool   // the same ticket called again
}

// Player plays one announcement's sound and returns when it has finished, or
// when ctx ends.
type Player interface {
	Play(ctx context.Context, a Announcement) error
}

// Defaults of a Queue.
const (
	// DefaultGap separates two chimes: heard as two calls, not one long one.
	DefaultGap = 600 * time.Millisecond
	// DefaultCapacity bounds the announcements waiting: a burst larger than
	// this (a display catching up after an hour away) is old news anyway.
	DefaultCapacity = 32
)

// Queue plays announcements in the order they were given, one at a time.
type Queue struct {
	player Player
	gap    time.Duration
	log    *slog.Logger
	ch     chan Announcement
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// Options tune a Queue; the zero value takes the defaults.
type Options struct {
	Gap      time.Duration // pause after each chime; 0 is DefaultGap, <0 none
	Capacity int
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
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &Queue{player: p, gap: max(opt.Gap, 0), log: opt.Logger, ch: make(chan Announcement, opt.Capacity), cancel: cancel, done: make(chan struct{})}
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
		q.log.Warn("chime queue full: call not announced", "number", a.Number, "counter", a.Counter)
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
				q.log.Warn("chime not played", "number", a.Number, "err", err)
			}
			if q.gap > 0 {
				t := time.NewTimer(q.gap)
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
			}
		}
	}
}

// Muted is the player of a display without sound: it plays nothing.
type Muted struct{}

// Play returns at once.
func (Muted) Play(context.Context, Announcement) error { return nil }
