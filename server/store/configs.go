package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"turno/server/queue"
)

// ConfigVersion is one version of the office's configuration, as the
// config.changed event that put it in force carried it: the audit log of
// the administration console.
type ConfigVersion struct {
	Version uint64    `json:"version"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Reason  string    `json:"reason,omitempty"`
	TOML    string    `json:"toml"`
	// Seq is the event that recorded it.
	Seq uint64 `json:"seq"`
}

// putConfigVersion records the version a config.changed event carries; it
// must follow the last one.
func putConfigVersion(tx *bolt.Tx, ev *queue.Event) error {
	b := tx.Bucket(bucketConfigs)
	var last uint64
	if k, _ := b.Cursor().Last(); k != nil {
		last = binary.BigEndian.Uint64(k)
	}
	if ev.Config.Version != last+1 {
		return fmt.Errorf("%w: configuration version %d after %d", ErrSequence, ev.Config.Version, last)
	}
	data, err := json.Marshal(ConfigVersion{Version: ev.Config.Version, At: ev.At, By: ev.Config.By, Reason: ev.Config.Reason, TOML: ev.Config.TOML, Seq: ev.Seq})
	if err != nil {
		return fmt.Errorf("encode configuration version: %w", err)
	}
	return b.Put(u64(ev.Config.Version), data)
}

// ConfigVersions returns every version of the configuration, oldest first.
func (s *Store) ConfigVersions() ([]ConfigVersion, error) {
	var out []ConfigVersion
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketConfigs).ForEach(func(k, v []byte) error {
			var cv ConfigVersion
			if err := json.Unmarshal(v, &cv); err != nil {
				return fmt.Errorf("store: configuration version %d: %w", binary.BigEndian.Uint64(k), err)
			}
			out = append(out, cv)
			return nil
		})
	})
	return out, err
}

// ConfigVersion returns one version, or ErrNotFound.
func (s *Store) ConfigVersion(version uint64) (ConfigVersion, error) {
	var cv ConfigVersion
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketConfigs).Get(u64(version))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &cv)
	})
	return cv, err
}

// LatestConfig returns the version in force: the last one, or ErrNotFound
// when none has been recorded yet.
func (s *Store) LatestConfig() (ConfigVersion, error) {
	var cv ConfigVersion
	err := s.view(func(tx *bolt.Tx) error {
		_, v := tx.Bucket(bucketConfigs).Cursor().Last()
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &cv)
	})
	return cv, err
}
