package queue

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// A ticket's place counted from the line's sorted classes is the number of
// waiting tickets CalledBefore puts before it, whatever the mix of
// appointments, priority citizens and walk-ins, and ties in their times.
func TestPlaceInLineIsCalledBeforeCounted(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 11, 24, 9, 0, 0, 0, rome)
	for round := range 50 {
		o := &Office{lines: map[string]*line{}}
		var all []*Ticket
		for i := range 1 + r.IntN(60) {
			at := base.Add(time.Duration(r.IntN(20)) * time.Minute) // ties
			tk := &Ticket{ID: fmt.Sprintf("%d-%d", round, i), Number: fmt.Sprintf("A%03d", r.IntN(30)), Service: "a", Status: StatusWaiting,
				IssuedAt: at.Add(-time.Duration(r.IntN(3)) * time.Minute), QueuedAt: at, Priority: r.IntN(4) == 0}
			if r.IntN(5) == 0 {
				due := base.Add(time.Duration(r.IntN(6)) * 10 * time.Minute)
				tk.Due = &due
			}
			o.enqueue(tk)
			all = append(all, tk)
		}
		for _, tk := range all {
			want := 0
			for _, q := range all {
				if q != tk && CalledBefore(q, tk) {
					want++
				}
			}
			if got := o.lines["a"].ahead(tk); got != want {
				t.Fatalf("round %d, %s: %d ahead, want %d", round, tk.ID, got, want)
			}
		}
	}
}
