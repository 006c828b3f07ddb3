package queue

import (
	"testing"
	"time"
)

func TestReadableWait(t *testing.T) {
	m := func(n float64) Seconds { return Seconds(time.Duration(n * float64(time.Minute))) }
	for _, tc := range []struct {
		name           string
		exp, low, high Seconds
		want           ReadableWait
	}{
		{"no range", m(7.4), m(7.4), m(7.4), ReadableWait{About: true, Minutes: 7}},
		{"narrow range", m(14), m(12), m(16), ReadableWait{About: true, Minutes: 15}},
		{"wide range", m(15), m(8), m(26), ReadableWait{Low: 8, High: 30}},
		{"any moment", m(0.3), 0, m(2), ReadableWait{About: true, Minutes: 0}},
		{"low above expected is ignored", m(20), m(25), m(40), ReadableWait{Low: 20, High: 40}},
		{"a quarter of a long wait is narrow", m(60), m(52), m(66), ReadableWait{About: true, Minutes: 60}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Wait{EstimatedWait: tc.exp, WaitLow: tc.low, WaitHigh: tc.high}.Readable()
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
