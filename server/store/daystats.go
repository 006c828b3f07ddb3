package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"turno/server/queue"
)

// Days returns the business days of the log, in order (from the day index,
// without reading events).
func (s *Store) Days() ([]string, error) {
	var days []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDays).ForEach(func(k, _ []byte) error {
			days = append(days, string(k))
			return nil
		})
	})
	return days, err
}

// DayEvents returns the events of one business day, in order: from the
// day's first sequence up to the next day's first, which is how the log
// lays days out (the events that end a day, expiries and missed
// appointments, carry that day and precede the next day's rollover).
func (s *Store) DayEvents(day string) ([]queue.Event, error) {
	var events []queue.Event
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDays).Cursor()
		k, v := c.Seek([]byte(day))
		if k == nil || string(k) != day {
			return ErrNotFound
		}
		from := binary.BigEndian.Uint64(v)
		var until uint64 // 0: to the end of the log
		if nk, nv := c.Next(); nk != nil {
			until = binary.BigEndian.Uint64(nv)
		}
		ec := tx.Bucket(bucketEvents).Cursor()
		for k, v := ec.Seek(u64(from)); k != nil && (until == 0 || binary.BigEndian.Uint64(k) < until); k, v = ec.Next() {
			ev, err := decodeEvent(k, v)
			if err != nil {
				return err
			}
			events = append(events, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: events of %s: %w", day, err)
	}
	return events, nil
}

// PutDayStats stores a closed day's indicators, replacing any before.
func (s *Store) PutDayStats(day string, data []byte) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDayStats)
		b.FillPercent = 0.9 // days are written in order, nearly always
		return b.Put([]byte(day), data)
	})
}

// EachDayStats calls fn with the indicators of every day from from to to
// (both included; "" leaves that end open), in day order, within one read
// transaction. data is valid only during the call.
func (s *Store) EachDayStats(from, to string, fn func(day string, data []byte) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDayStats).Cursor()
		var k, v []byte
		if from == "" {
			k, v = c.First()
		} else {
			k, v = c.Seek([]byte(from))
		}
		for ; k != nil && (to == "" || bytes.Compare(k, []byte(to)) <= 0); k, v = c.Next() {
			if err := fn(string(k), v); err != nil {
				return err
			}
		}
		return nil
	})
}

func decodeEvent(k, v []byte) (queue.Event, error) {
	var ev queue.Event
	if err := json.Unmarshal(v, &ev); err != nil {
		return ev, fmt.Errorf("event %d: %w", binary.BigEndian.Uint64(k), err)
	}
	return ev, nil
}
