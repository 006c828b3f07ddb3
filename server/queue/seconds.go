package queue

import (
	"encoding/json"
	"strconv"
	"time"
)

// Seconds is a duration that travels as whole seconds in JSON, the unit
// people and screens think in.
type Seconds time.Duration

// D returns the duration.
func (s Seconds) D() time.Duration { return time.Duration(s) }

// MarshalJSON writes whole seconds.
func (s Seconds) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(time.Duration(s).Round(time.Second)/time.Second), 10), nil
}

// UnmarshalJSON reads seconds.
func (s *Seconds) UnmarshalJSON(b []byte) error {
	var n float64
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*s = Seconds(n * float64(time.Second))
	return nil
}
