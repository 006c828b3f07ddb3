package chime_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"turno/assets"
	"turno/display/chime"
)

// recorder plays for a while and notes any two plays that overlap.
type recorder struct {
	mu      sync.Mutex
	played  []string
	playing int
	overlap bool
	length  time.Duration
}

func (r *recorder) Play(ctx context.Context, a chime.Announcement) error {
	r.mu.Lock()
	r.playing++
	if r.playing > 1 {
		r.overlap = true
	}
	r.mu.Unlock()
	select {
	case <-time.After(r.length):
	case <-ctx.Done():
	}
	r.mu.Lock()
	r.playing--
	r.played = append(r.played, a.Number)
	r.mu.Unlock()
	return ctx.Err()
}

func (r *recorder) snapshot() ([]string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.played...), r.overlap
}

func TestCallsThatArriveTogetherPlayOneAfterTheOther(t *testing.T) {
	r := &recorder{length: 30 * time.Millisecond}
	q := chime.NewQueue(r, chime.Options{Gap: 10 * time.Millisecond})
	defer q.Close()
	want := []string{"A001", "T001", "S001", "A002"}
	for _, n := range want {
		q.Announce(chime.Announcement{Number: n, Counter: "Sportello 1"})
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, overlap := r.snapshot()
		if overlap {
			t.Fatal("two chimes played at the same time")
		}
		if len(got) == len(want) {
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("got order %v, want %v", got, want)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %v played, want %v", got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestAFullQueueDropsInsteadOfBlocking(t *testing.T) {
	r := &recorder{length: time.Hour} // the first chime never ends
	q := chime.NewQueue(r, chime.Options{Capacity: 2})
	done := make(chan struct{})
	go func() {
		for range 10 {
			q.Announce(chime.Announcement{Number: "A001"})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Announce blocked on a full queue")
	}
	q.Close() // ends the endless chime
	q.Close() // and is safe twice
}

func TestTheEmbeddedChimeIsAShortPCMSound(t *testing.T) {
	s, err := chime.ParseWAV(assets.Chime)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Duration(); d < 500*time.Millisecond || d > 3*time.Second {
		t.Fatalf("got a chime of %v, want between 0.5 and 3 s", d)
	}
	if s.Rate != 44100 || s.Channels != 1 {
		t.Fatalf("got %d Hz, %d channels", s.Rate, s.Channels)
	}
}

func TestParseWAVRefusesWhatItCannotPlay(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":     nil,
		"not riff":  []byte("this is not a sound file at all"),
		"truncated": assets.Chime[:40],
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := chime.ParseWAV(data); !errors.Is(err, chime.ErrBadWAV) {
				t.Fatalf("got %v, want ErrBadWAV", err)
			}
		})
	}
}

func FuzzParseWAV(f *testing.F) {
	f.Add(assets.Chime[:100])
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := chime.ParseWAV(data)
		if err == nil && len(s.PCM)%(2*s.Channels) != 0 {
			t.Fatalf("PCM of %d bytes for %d channels", len(s.PCM), s.Channels)
		}
	})
}

// imaWAV is a mono IMA ADPCM WAV of one block of blockAlign bytes, with a
// fact chunk of frames when frames >= 0.
func imaWAV(first int16, nibbles []byte, blockAlign, frames int) []byte {
	le := binary.LittleEndian
	block := make([]byte, blockAlign)
	le.PutUint16(block, uint16(first))
	copy(block[4:], nibbles)
	var b bytes.Buffer
	b.WriteString("RIFF")
	b.Write(le.AppendUint32(nil, 0)) // a RIFF size nobody checks
	b.WriteString("WAVEfmt ")
	b.Write(le.AppendUint32(nil, 20))
	for _, v := range []uint16{0x11, 1} {
		b.Write(le.AppendUint16(nil, v))
	}
	b.Write(le.AppendUint32(nil, 16000))
	b.Write(le.AppendUint32(nil, 8000))
	for _, v := range []uint16{uint16(blockAlign), 4, 2, uint16((blockAlign-4)*2 + 1)} {
		b.Write(le.AppendUint16(nil, v))
	}
	if frames >= 0 {
		b.WriteString("fact")
		b.Write(le.AppendUint32(nil, 4))
		b.Write(le.AppendUint32(nil, uint32(frames)))
	}
	b.WriteString("data")
	b.Write(le.AppendUint32(nil, uint32(len(block))))
	b.Write(block)
	return b.Bytes()
}

func samples(s chime.Sound) []int {
	var out []int
	for i := 0; i+1 < len(s.PCM); i += 2 {
		out = append(out, int(int16(binary.LittleEndian.Uint16(s.PCM[i:]))))
	}
	return out
}

func TestParseWAVDecodesIMAADPCM(t *testing.T) {
	// From 1000 at step 7: nibble 7 adds 7/8+7/4+7/2+7 (integer steps: 0+1+3+7
	// = 11) and moves the step index up 8 (step 16); nibble 0x8|0 then
	// subtracts 16>>3 = 2 and moves it back one.
	s, err := chime.ParseWAV(imaWAV(1000, []byte{0x87}, 8, -1))
	if err != nil {
		t.Fatal(err)
	}
	got := samples(s)
	want := []int{1000, 1011, 1009}
	if len(got) < 3 || fmt.Sprint(got[:3]) != fmt.Sprint(want) {
		t.Fatalf("got %v, want it to start %v", got, want)
	}
	if len(got) != 9 {
		t.Fatalf("got %d samples from an 8-byte block, want 9", len(got))
	}
	// The fact chunk says how many of the last block's samples are real.
	s, err = chime.ParseWAV(imaWAV(1000, []byte{0x87}, 8, 2))
	if err != nil {
		t.Fatal(err)
	}
	if got := samples(s); fmt.Sprint(got) != "[1000 1011]" {
		t.Fatalf("got %v, want the 2 samples the fact chunk counts", got)
	}
}

func TestResample(t *testing.T) {
	le := binary.LittleEndian
	in := chime.Sound{Rate: 8000, Channels: 1}
	for _, v := range []int16{0, 100, 200, 300} {
		in.PCM = le.AppendUint16(in.PCM, uint16(v))
	}
	out := chime.Resample(in, 16000, 2)
	if got := samples(out); fmt.Sprint(got) != "[0 0 50 50 100 100 150 150 200 200 250 250 300 300 300 300]" {
		t.Fatalf("got %v", got)
	}
	if out.Duration() != in.Duration() {
		t.Fatalf("got %v, want %v", out.Duration(), in.Duration())
	}
	back := chime.Resample(out, 8000, 1)
	if got := samples(back); fmt.Sprint(got) != "[0 100 200 300]" {
		t.Fatalf("got %v back", got)
	}
}
