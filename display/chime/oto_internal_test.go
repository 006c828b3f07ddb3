package chime

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"
)

// speaker stands for the sound card: it counts the sounds heard at once.
type speaker struct {
	mu      sync.Mutex
	playing int
	most    int
	// stuck players never finish by themselves (a device that stalls).
	stuck bool
}

func (s *speaker) newPlayer(io.Reader) sink { return &fakePlayer{s: s} }

func (s *speaker) now() (playing, most int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.playing, s.most
}

type fakePlayer struct {
	s       *speaker
	on      bool
	started time.Time
}

func (p *fakePlayer) Play() {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	p.on, p.started = true, time.Now()
	p.s.playing++
	p.s.most = max(p.s.most, p.s.playing)
}

func (p *fakePlayer) Pause() {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	p.stop()
}

func (p *fakePlayer) stop() {
	if p.on {
		p.on = false
		p.s.playing--
	}
}

func (p *fakePlayer) IsPlaying() bool {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	if !p.s.stuck && p.on && time.Since(p.started) > 30*time.Millisecond {
		p.stop() // finished
	}
	return p.on
}

func (p *fakePlayer) Err() error { return nil }

// tenMS is a sound of 10 ms.
var tenMS = Sound{Rate: 8000, Channels: 1, PCM: make([]byte, 160)}

func testOto(s *speaker) *Oto {
	o := newOto(8000, 1, s.newPlayer)
	o.latency, o.poll = 40*time.Millisecond, time.Millisecond
	return o
}

func TestAChimeThatDoesNotFinishInTimeIsStoppedBeforeTheNext(t *testing.T) {
	s := &speaker{stuck: true}
	o := testOto(s)
	if err := o.Play(context.Background(), tenMS); err == nil {
		t.Fatal("a chime that never finished reported no error")
	}
	if playing, _ := s.now(); playing != 0 {
		t.Fatalf("Play returned while %d sound(s) still played", playing)
	}
	_ = o.Play(context.Background(), tenMS)
	if _, most := s.now(); most != 1 {
		t.Fatalf("%d chimes heard at once, want 1", most)
	}
}

func TestAChimeStoppedByItsContextIsSilenced(t *testing.T) {
	s := &speaker{stuck: true}
	o := testOto(s)
	o.latency = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := o.Play(ctx, tenMS); err == nil {
		t.Fatal("no error from a chime cut short")
	}
	if playing, _ := s.now(); playing != 0 {
		t.Fatalf("Play returned while %d sound(s) still played", playing)
	}
}

func TestChimesNeverOverlapThroughTheQueueOrNot(t *testing.T) {
	for name, stuck := range map[string]bool{"finishing": false, "stalling": true} {
		t.Run(name, func(t *testing.T) {
			s := &speaker{stuck: stuck}
			o := testOto(s)
			// Two callers at once, beside a queue: still one sound at a time.
			q := NewQueue(NewCaller(o, tenMS, nil, 0, nil), Options{Gap: -1})
			var wg sync.WaitGroup
			for range 3 {
				q.Announce(Announcement{Number: "A001"})
				wg.Add(1)
				go func() { defer wg.Done(); _ = o.Play(context.Background(), tenMS) }()
			}
			wg.Wait()
			deadline := time.Now().Add(5 * time.Second)
			for len(q.ch) > 0 && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			q.Close()
			if playing, most := s.now(); most != 1 || playing != 0 {
				t.Fatalf("%d chimes heard at once (%d still playing), want 1 at most", most, playing)
			}
		})
	}
}
