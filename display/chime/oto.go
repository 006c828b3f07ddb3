package chime

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ebitengine/oto/v3"
)

// ErrBadWAV is returned for a sound that is not a 16-bit PCM WAV.
var ErrBadWAV = errors.New("not a 16-bit PCM WAV")

// Sound is decoded PCM: signed 16-bit little-endian samples.
type Sound struct {
	Rate     int
	Channels int
	PCM      []byte
}

// Duration is how long the sound plays.
func (s Sound) Duration() time.Duration {
	if s.Rate == 0 || s.Channels == 0 {
		return 0
	}
	frames := len(s.PCM) / (2 * s.Channels)
	return time.Duration(frames) * time.Second / time.Duration(s.Rate)
}

// ParseWAV reads a RIFF WAV of 16-bit PCM, mono or stereo.
func ParseWAV(data []byte) (Sound, error) {
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return Sound{}, fmt.Errorf("chime: no RIFF/WAVE header: %w", ErrBadWAV)
	}
	var s Sound
	fmtSeen := false
	for p := 12; p+8 <= len(data); {
		id, size := string(data[p:p+4]), int(binary.LittleEndian.Uint32(data[p+4:p+8]))
		body := p + 8
		if size < 0 || body+size > len(data) {
			return Sound{}, fmt.Errorf("chime: chunk %q runs past the end: %w", id, ErrBadWAV)
		}
		switch id {
		case "fmt ":
			if size < 16 {
				return Sound{}, fmt.Errorf("chime: short fmt chunk: %w", ErrBadWAV)
			}
			format := binary.LittleEndian.Uint16(data[body:])
			s.Channels = int(binary.LittleEndian.Uint16(data[body+2:]))
			s.Rate = int(binary.LittleEndian.Uint32(data[body+4:]))
			bits := binary.LittleEndian.Uint16(data[body+14:])
			if format != 1 || bits != 16 || (s.Channels != 1 && s.Channels != 2) || s.Rate < 8000 || s.Rate > 192000 {
				return Sound{}, fmt.Errorf("chime: format %d, %d bits, %d channels, %d Hz: %w", format, bits, s.Channels, s.Rate, ErrBadWAV)
			}
			fmtSeen = true
		case "data":
			if !fmtSeen {
				return Sound{}, fmt.Errorf("chime: data before fmt: %w", ErrBadWAV)
			}
			s.PCM = data[body : body+size-size%(2*s.Channels)]
			return s, nil
		}
		p = body + size + size%2 // chunks are word-aligned
	}
	return Sound{}, fmt.Errorf("chime: no data chunk: %w", ErrBadWAV)
}

// Oto plays a sound on the system's audio device through oto.
type Oto struct {
	newPlayer func(io.Reader) sink
	sound     Sound
	// latency is how long past the sound's own length a player may go on
	// playing (the device's buffers) before it is given up.
	latency time.Duration
	poll    time.Duration
	// turn is held while a sound plays: one chime at a time, whoever calls
	// Play (the Queue already plays one by one, but the rule that chimes
	// never overlap belongs to the player, which knows when a sound ends).
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

// NewOto opens the audio device for the sound. It fails where there is no
// device (a CI machine, a display without speakers): the app then runs
// muted and says so. oto allows one device context per process.
func NewOto(s Sound) (*Oto, error) {
	ctx, ready, err := oto.NewContext(&oto.NewContextOptions{
		SampleRate:   s.Rate,
		ChannelCount: s.Channels,
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
	return newOto(s, func(r io.Reader) sink { return ctx.NewPlayer(r) }), nil
}

func newOto(s Sound, newPlayer func(io.Reader) sink) *Oto {
	return &Oto{newPlayer: newPlayer, sound: s, latency: otoLatency, poll: otoPoll, turn: make(chan struct{}, 1)}
}

// Play plays the chime to its end. It returns only once the sound is no
// longer playing: finished, or stopped because ctx ended or the device
// did not finish it in time. Returning while it still played would let the
// next chime start on top of it.
func (o *Oto) Play(ctx context.Context, _ Announcement) error {
	select {
	case o.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-o.turn }()
	p := o.newPlayer(bytes.NewReader(o.sound.PCM))
	// Whatever ends the wait, the sound is silenced before Play returns
	// (pausing a player that has finished does nothing).
	defer p.Pause()
	p.Play()
	// The player drains its buffer in the background; poll until it has,
	// bounded by the sound's length plus the device's latency.
	deadline := time.NewTimer(o.sound.Duration() + o.latency)
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
