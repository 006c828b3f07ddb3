package chime

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
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
	ctx   *oto.Context
	sound Sound
}

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
	return &Oto{ctx: ctx, sound: s}, nil
}

// Play plays the chime to its end.
func (o *Oto) Play(ctx context.Context, _ Announcement) error {
	p := o.ctx.NewPlayer(bytes.NewReader(o.sound.PCM)) // freed with it: oto 3.4 needs no Close
	p.Play()
	// The player drains its buffer in the background; poll until it has,
	// bounded by the sound's length plus the device's latency.
	deadline := time.NewTimer(o.sound.Duration() + 2*time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for p.IsPlaying() {
		select {
		case <-ctx.Done():
			p.Pause()
			return ctx.Err()
		case <-deadline.C:
			return errors.New("chime: the sound did not finish in time")
		case <-tick.C:
		}
	}
	if err := p.Err(); err != nil {
		return fmt.Errorf("chime: play: %w", err)
	}
	return nil
}
