package chime_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"turno/display/chime"
)

// virtual is a clock and a sound card on virtual time: Sleep and Play move
// the time on at once (no test waits for a real sound), and the card notes
// when each sound started and ended, and whether two ever played at once.
type virtual struct {
	mu      sync.Mutex
	now     time.Duration
	playing int
	overlap bool
	played  []interval
	// started is told each sound's label as it starts; hold, when set,
	// keeps the first sound playing until it is closed.
	started chan string
	hold    chan struct{}
}

type interval struct {
	what     string
	from, to time.Duration
}

func (v *virtual) Sleep(ctx context.Context, d time.Duration) error {
	v.mu.Lock()
	v.now += d
	v.mu.Unlock()
	return ctx.Err()
}

func (v *virtual) Play(ctx context.Context, s chime.Sound) error {
	what := label(s)
	v.mu.Lock()
	v.playing++
	v.overlap = v.overlap || v.playing > 1
	from := v.now
	hold := v.hold
	v.hold = nil
	v.mu.Unlock()
	if v.started != nil {
		v.started <- what
	}
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.now += s.Duration()
	v.playing--
	v.played = append(v.played, interval{what, from, v.now})
	return ctx.Err()
}

func (v *virtual) log() []interval {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]interval(nil), v.played...)
}

// sound is a labelled sound of length d (100 frames a second, so that the
// label fits in the samples).
func sound(what string, d time.Duration) chime.Sound {
	pcm := make([]byte, 2*int(d/(10*time.Millisecond)))
	copy(pcm, what+"\x00")
	return chime.Sound{Rate: 100, Channels: 1, PCM: pcm}
}

func label(s chime.Sound) string {
	what, _, _ := bytes.Cut(s.PCM, []byte{0})
	return string(what)
}

// speaker says a call in its language: a sound labelled "it:A001", as long
// as the speaker's length.
type speaker struct {
	lang   string
	length time.Duration
	fail   string // a number it cannot say
}

func (s speaker) Speak(a chime.Announcement) (chime.Sound, error) {
	if a.Number == s.fail {
		return chime.Sound{}, fmt.Errorf("%s cannot say %s", s.lang, a.Number)
	}
	return sound(s.lang+":"+a.Number, s.length), nil
}

func TestCallsAreSpokenAfterTheChimeInOrderNeverOverlapping(t *testing.T) {
	const (
		chimeLen = 1500 * time.Millisecond
		itLen    = 2800 * time.Millisecond
		enLen    = 2500 * time.Millisecond
		pause    = 300 * time.Millisecond
		gap      = 600 * time.Millisecond
	)
	hold := make(chan struct{})
	v := &virtual{started: make(chan string, 64), hold: hold}
	caller := chime.NewCaller(v, sound("chime", chimeLen), []chime.Speaker{speaker{"it", itLen, ""}, speaker{"en", enLen, ""}}, pause, v)
	q := chime.NewQueue(caller, chime.Options{Gap: gap, Clock: v})
	defer q.Close()

	// Two calls together; a third while the first chime still plays, from
	// another goroutine (the stream's).
	q.Announce(chime.Announcement{Number: "A001", Counter: "Sportello 1"})
	q.Announce(chime.Announcement{Number: "T001", Counter: "Sportello 2"})
	if got := <-v.started; got != "chime" {
		t.Fatalf("first sound %q, want the chime", got)
	}
	done := make(chan struct{})
	go func() { q.Announce(chime.Announcement{Number: "S001", Counter: "Sportello 3"}); close(done) }()
	<-done
	close(hold)

	want := []string{"chime", "it:A001", "en:A001", "chime", "it:T001", "en:T001", "chime", "it:S001", "en:S001"}
	deadline := time.Now().Add(5 * time.Second)
	for len(v.log()) < len(want) {
		if time.Now().After(deadline) {
			t.Fatalf("played %+v, want %v", v.log(), want)
		}
		time.Sleep(time.Millisecond)
	}
	got := v.log()
	var order []string
	for _, p := range got {
		order = append(order, p.what)
	}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Fatalf("played %v, want %v", order, want)
	}
	if v.overlap {
		t.Fatal("two sounds played at once")
	}
	// The timing, to the millisecond on the virtual clock: the speech a
	// pause after the chime, English a pause after Italian, the next call's
	// chime a gap after the last word.
	lengths := map[string]time.Duration{"chime": chimeLen, "it": itLen, "en": enLen}
	for i, p := range got {
		kind, _, _ := strings.Cut(p.what, ":")
		if p.to-p.from != lengths[kind] {
			t.Errorf("%s played %v, want %v", p.what, p.to-p.from, lengths[kind])
		}
		if i == 0 {
			continue
		}
		wait := pause
		if kind == "chime" {
			wait = gap
		}
		if p.from != got[i-1].to+wait {
			t.Errorf("%s started %v after %s ended, want %v", p.what, p.from-got[i-1].to, got[i-1].what, wait)
		}
	}
}

func TestASpeakerThatCannotSayACallLeavesTheOthers(t *testing.T) {
	v := &virtual{}
	caller := chime.NewCaller(v, sound("chime", time.Second), []chime.Speaker{speaker{"it", time.Second, "A001"}, speaker{"en", time.Second, ""}}, 0, v)
	err := caller.Play(context.Background(), chime.Announcement{Number: "A001"})
	if err == nil || !strings.Contains(err.Error(), "it cannot say A001") {
		t.Fatalf("got %v, want the Italian speaker's error", err)
	}
	var order []string
	for _, p := range v.log() {
		order = append(order, p.what)
	}
	if strings.Join(order, " ") != "chime en:A001" {
		t.Fatalf("played %v, want the chime and the English call", order)
	}
}

func TestChimeOnlyWithoutSpeakers(t *testing.T) {
	v := &virtual{}
	caller := chime.NewCaller(v, sound("chime", time.Second), nil, chime.DefaultPause, v)
	if err := caller.Play(context.Background(), chime.Announcement{Number: "A001"}); err != nil {
		t.Fatal(err)
	}
	if got := v.log(); len(got) != 1 || got[0].what != "chime" {
		t.Fatalf("played %+v, want the chime alone", got)
	}
}

func TestClosingStopsAnAnnouncementMidway(t *testing.T) {
	v := &virtual{started: make(chan string, 8), hold: make(chan struct{})}
	caller := chime.NewCaller(v, sound("chime", time.Second), []chime.Speaker{speaker{"it", time.Second, ""}}, 0, v)
	q := chime.NewQueue(caller, chime.Options{Clock: v})
	q.Announce(chime.Announcement{Number: "A001"})
	<-v.started
	closed := make(chan struct{})
	go func() { q.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not stop a sound that never ends")
	}
	for _, p := range v.log() {
		if p.what != "chime" {
			t.Fatalf("played %q after Close", p.what)
		}
	}
	if err := (chime.RealClock{}).Sleep(canceled(), time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled sleep returned %v", err)
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
