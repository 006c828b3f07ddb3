package chime_test

import (
	"context"
	"errors"
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
