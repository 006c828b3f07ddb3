package chime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ebitengine/oto/v3"
)

// Device plays one sound to its end, or until ctx ends; a sound never starts
// while another still plays.
type Device interface {
	Play(ctx context.Context, s Sound) error
}

// Oto plays sounds on the system's audio device through oto.
type Oto struct {
	newPlayer      func(io.Reader) sink
	rate, channels int
	// latency is how long past the sound's own length a player may go on
	// playing (the device's buffers) before it is given up.
	latency time.Duration
	poll    time.Duration
	// turn is held while a sound plays: one sound at a time, whoever calls
	// Play (the Queue already plays one by one, but the rule that sounds
	// never overlap belongs to the device, which knows when a sound ends).
	turn chan struct{}
}

// sink is what Oto needs of an oto player; tests give it one that plays
// nothing.
type sink interface {
	Play()
	Pause()
	IsPlaying() bool
	Err() error
}

// Defaults of Oto.
const (
	otoLatency = 2 * time.Second
	otoPoll    = 20 * time.Millisecond
)

// NewOto opens the audio device at a sample rate and channel count (the
// chime's); sounds in another format are converted as they are played. It
// fails where there is no device (a CI machine, a display without
// speakers): the app then runs muted and says so. oto allows one device
// context per process.
func NewOto(rate, channels int) (*Oto, error) {
	ctx, ready, err := oto.NewContext(&oto.NewContextOptions{
		SampleRate:   rate,
		ChannelCount: channels,
		Format:       oto.FormatSignedInt16LE,
	})
	if err != nil {
		return nil, fmt.Errorf("chime: open the audio device: %w", err)
	}
	select {
	case <-ready:
	case <-time.After(5 * time.Second):
		return nil, errors.New("chime: the audio device did not get ready in 5s")
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("chime: audio device: %w", err)
	}
	// oto 3.4's players need no Close: they are freed with them.
	return newOto(rate, channels, func(r io.Reader) sink { return ctx.NewPlayer(r) }), nil
}

func newOto(rate, channels int, newPlayer func(io.Reader) sink) *Oto {
	return &Oto{newPlayer: newPlayer, rate: rate, channels: channels, latency: otoLatency, poll: otoPoll, turn: make(chan struct{}, 1)}
}

// Play plays a sound to its end. It returns only once the sound is no
// longer playing: finished, or stopped because ctx ended or the device did
// not finish it in time. Returning while it still played would let the next
// sound start on top of it.
func (o *Oto) Play(ctx context.Context, s Sound) error {
	select {
	case o.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-o.turn }()
	s = Resample(s, o.rate, o.channels)
	p := o.newPlayer(bytes.NewReader(s.PCM))
	// Whatever ends the wait, the sound is silenced before Play returns
	// (pausing a player that has finished does nothing).
	defer p.Pause()
	p.Play()
	// The player drains its buffer in the background; poll until it has,
	// bounded by the sound's length plus the device's latency.
	deadline := time.NewTimer(s.Duration() + o.latency)
	defer deadline.Stop()
	tick := time.NewTicker(o.poll)
	defer tick.Stop()
	for p.IsPlaying() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return errors.New("chime: the sound did not finish in time: stopped")
		case <-tick.C:
		}
	}
	if err := p.Err(); err != nil {
		return fmt.Errorf("chime: play: %w", err)
	}
	return nil
}
