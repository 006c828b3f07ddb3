package hub

import (
	"testing"
	"time"
)

// Starts that send a fresh snapshot go at once up to a burst, then one
// every StartEvery; a quiet moment gives the burst back.
func TestSnapshotStartsArePacedPastABurst(t *testing.T) {
	h := &Hub{opt: Options{StartEvery: 5 * time.Millisecond}}
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 20; i++ {
		at := h.paceTurn(now)
		want := now.Add(time.Duration(i-startBurst) * 5 * time.Millisecond)
		if !at.Equal(want) {
			t.Fatalf("start %d: at %s, want %s", i, at.Sub(now), want.Sub(now))
		}
	}
	// A crowd beyond a second's pace goes at once, unbooked.
	h2 := &Hub{opt: Options{StartEvery: 5 * time.Millisecond}}
	var last time.Time
	for i := 0; i < 400; i++ {
		last = h2.paceTurn(now)
		if last.Sub(now) > paceWaitMax {
			t.Fatalf("start %d waits %s", i, last.Sub(now))
		}
	}
	if !last.Equal(now) || h2.paceNext.Sub(now) > paceWaitMax+5*time.Millisecond {
		t.Fatalf("the 400th start: at %s, next booked at %s", last.Sub(now), h2.paceNext.Sub(now))
	}
	later := now.Add(time.Second)
	if at := h.paceTurn(later); at.After(later) {
		t.Fatalf("after a quiet second: at %s, want at once", at.Sub(later))
	}
}
