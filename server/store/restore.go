package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrInUse is returned by Restore when a running server holds the database.
var ErrInUse = errors.New("store: the database is in use")

// Restored describes a restored copy.
type Restored struct {
	Events  uint64 // the copy's event log ends with this sequence
	Day     string // the latest business day it holds ("" for none)
	Tickets int    // tickets of every day kept
	Schema  uint64 // its schema, after the migrations this server ran
	// Previous is where the database that was in place is kept, "" when
	// there was none.
	Previous string
}

// Restore puts the backup at from in place of the database at path, so
// that a server started afterwards runs on it. The backup itself is never
// changed: it is copied beside path and the copy checked as Open checks a
// database (damage, a newer schema; the migrations of an older one run),
// its event log read up to its latest day. A running server's database is
// never touched: Restore fails with ErrInUse while another process holds
// it. The database in place, if any, is kept as
// path.before-restore-<now>, and the copy then takes its name, and the
// owner of the directory (run as root for a server that runs as its own
// user). On any error nothing has changed.
func Restore(from, path string, now time.Time) (Restored, error) {
	var r Restored
	info, err := os.Stat(from)
	if err != nil {
		return r, fmt.Errorf("store: the backup: %w", err)
	}
	if !info.Mode().IsRegular() || info.Size() == 0 {
		return r, fmt.Errorf("store: the backup %s is empty or not a file", from)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return r, fmt.Errorf("store: %w", err)
	}
	tmp, err := copyBeside(from, dir)
	if err != nil {
		return r, err
	}
	placed := false
	defer func() {
		if !placed {
			os.Remove(tmp)
		}
	}()
	if err := takeOwner(tmp, dir); err != nil {
		return r, fmt.Errorf("store: %w", err)
	}
	if err := verify(tmp); err != nil {
		var d *damageError
		if errors.As(err, &d) {
			return r, fmt.Errorf("%w: the backup %s cannot be used: %v", ErrDamaged, from, d.cause)
		}
		return r, fmt.Errorf("store: the backup %s: %w", from, err)
	}
	if r, err = inspect(tmp); err != nil {
		return r, fmt.Errorf("store: the backup %s: %w", from, err)
	}

	// Hold the database in place (bbolt's shared lock) while it is set
	// aside: a server that holds it now fails this, one that starts now
	// fails its own open of it.
	if held, err := hold(path); err != nil {
		return r, err
	} else if held != nil {
		defer held.Close()
	}
	if _, err := os.Stat(path); err == nil {
		r.Previous = path + ".before-restore-" + now.Format("20060102-150405")
		if _, err := os.Lstat(r.Previous); err == nil {
			return r, fmt.Errorf("store: %s already exists; restore again in a second", r.Previous)
		}
		if err := os.Rename(path, r.Previous); err != nil {
			return r, fmt.Errorf("store: keep the database aside: %w", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return r, fmt.Errorf("store: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		if r.Previous != "" {
			_ = os.Rename(r.Previous, path) // back as it was
		}
		return r, fmt.Errorf("store: put the backup in place: %w", err)
	}
	placed = true
	return r, syncDir(dir)
}

// copyBeside copies the file at from into dir under a temporary name, on
// disk before it returns.
func copyBeside(from, dir string) (string, error) {
	src, err := os.Open(from)
	if err != nil {
		return "", fmt.Errorf("store: the backup: %w", err)
	}
	defer src.Close()
	dst, err := os.CreateTemp(dir, ".restore-*.db")
	if err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst.Name())
		return "", fmt.Errorf("store: copy the backup: %w", err)
	}
	return dst.Name(), nil
}

// inspect opens a copy as the server would and reads what it holds.
func inspect(path string) (Restored, error) {
	var r Restored
	s, err := Open(path)
	if err != nil {
		return r, err
	}
	defer s.Close()
	if r.Events, err = s.LastSeq(); err != nil {
		return r, err
	}
	if r.Day, _, err = s.LatestDay(); err != nil { // what start-up replays
		return r, err
	}
	r.Schema = SchemaVersion()
	err = s.view(func(tx *bolt.Tx) error {
		r.Tickets = tx.Bucket(bucketTickets).Stats().KeyN
		return nil
	})
	return r, err
}

// hold opens the database at path read-only, which takes bbolt's shared
// lock: ErrInUse if a server holds it. A missing file gives nil, and so
// does one bbolt cannot open (damaged, the usual reason for a restore):
// no server runs on a file it cannot open.
func hold(path string) (*bolt.DB, error) {
	if info, err := os.Stat(path); err != nil || info.Size() == 0 {
		return nil, nil
	}
	var db *bolt.DB
	err := safely(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		return err
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s is held by a running server; stop it first, then restore", ErrInUse, path)
	}
	if err != nil {
		return nil, nil
	}
	return db, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("store: sync %s: %w", dir, err)
	}
	return nil
}
