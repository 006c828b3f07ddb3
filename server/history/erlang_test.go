package history

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestErlangCAgainstPublishedValues(t *testing.T) {
	// ErlangC[3, 2] = 4/9: the basic example of the Wolfram Language's
	// ErlangC (3 servers, 2 erlangs).
	if got := ErlangC(3, 2); !near(got, 4.0/9, 1e-12) {
		t.Errorf("C(3, 2): got %v, want 4/9", got)
	}
	// M/M/2 at 50 % utilisation: P(wait) = 2ρ²/(1+ρ) = 1/3, the textbook
	// closed form for two servers (Gross & Harris, Fundamentals of
	// Queueing Theory, M/M/c with c = 2).
	if got := ErlangC(2, 1); !near(got, 1.0/3, 1e-12) {
		t.Errorf("C(2, 1): got %v, want 1/3", got)
	}
	// The classic call-centre example of the Erlang-C formula (Mitan Ltd,
	// "The Erlang-C formula"): 360 calls a half hour of 240 s each (48
	// erlangs) on 55 agents wait with probability 0.24, 8.2 s on average,
	// and 85 % are answered within 15 s; 54 agents answer fewer than 80 %.
	a := 360.0 / 1800 * 240
	if got := ErlangC(55, a); !near(got, 0.2387, 5e-4) {
		t.Errorf("C(55, 48): got %v, want 0.2387", got)
	}
	if got := MeanWait(55, a, 240); !near(got, 8.18, 0.01) {
		t.Errorf("mean wait: got %v s, want 8.18", got)
	}
	if got := ServiceLevel(55, a, 240, 15); !near(got, 0.846, 5e-4) {
		t.Errorf("service level: got %v, want 0.846", got)
	}
	if got := CountersNeeded(a, 240, 15, 0.8); got != 55 {
		t.Errorf("counters for 80/15: got %d, want 55", got)
	}
	// Edges: no load needs nobody; a load at or over the counters never
	// clears.
	if ErlangC(3, 0) != 0 || ErlangC(2, 2) != 1 || ServiceLevel(2, 3, 60, 600) != 0 || !math.IsInf(MeanWait(2, 2, 60), 1) || CountersNeeded(0, 60, 600, 0.8) != 0 {
		t.Error("edges")
	}
	// A front office: 30 citizens an hour of 10 minutes (5 erlangs),
	// 80 % within 20 minutes: 6 counters (5 never clear the queue).
	if got := CountersNeeded(5, 600, 1200, 0.8); got != 6 || ServiceLevel(6, 5, 600, 1200) < 0.8 {
		t.Errorf("got %d counters (%.3f)", got, ServiceLevel(6, 5, 600, 1200))
	}
}
