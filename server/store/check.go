package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged is returned by Open for a file that is not a sound database:
// cut short, overwritten, or not a database at all. Its message says how to
// put the latest backup in its place.
var ErrDamaged = errors.New("the database file is damaged")

// checkBudget bounds the entries read by the check at open, newest first in
// each bucket and the event log (what start-up reads) before the tickets,
// so that a start-up with years of history stays quick: about a second for
// 250,000 entries on a laptop's disk. bbolt's own consistency check
// (tx.Check, a fraction of the walk's cost) runs only when the walk read
// everything; reads past the budget are still safe (Store.view).
const checkBudget = 250_000

// damaged is ErrDamaged for path, with the cause and what to do.
func damaged(path string, cause error) error {
	return fmt.Errorf("%w: %s (%v).\n"+
		"The server cannot use it. Restore the latest backup (a daily backup turno-YYYY-MM-DD.db, or a copy saved from GET /api/v1/backup):\n"+
		"  turno-server -restore BACKUP -data %s\n"+
		"checks the backup, keeps this file aside as %s.before-restore-<time> and puts the backup in its place;\n"+
		"then start the server again. What was recorded after that backup is lost; see docs/deploy.md, \"Restoring a backup\"",
		ErrDamaged, path, cause, filepath.Dir(path), filepath.Base(path))
}

// safely runs fn so that a damaged file cannot crash the process: bbolt
// reads the file through a memory map, and reading a page past the end of a
// cut-short file faults (SIGBUS/SIGSEGV), which SetPanicOnFault turns into a
// panic on this goroutine; panics of bbolt's own sanity checks (a page whose
// id is not its own) are recovered too.
func safely(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = &faultError{r}
		}
	}()
	return fn()
}

// faultError is a panic or memory fault while reading the file.
type faultError struct{ cause any }

func (e *faultError) Error() string { return fmt.Sprintf("reading it failed: %v", e.cause) }

// check opens the file read-only and looks for damage before the server
// writes to it: the file must be as long as its own index says, every entry
// the budget reaches must be readable (and the JSON ones valid JSON, the
// event log gapless), and bbolt's consistency check must pass when the walk
// reached everything. A missing or empty file is a new database: nothing to
// check. A panic inside bbolt's Open (a damaged free-page list) leaves that
// read-only handle open: the server is refusing the file and exits.
func check(path string) error {
	err := verify(path)
	var d *damageError
	if errors.As(err, &d) {
		return damaged(path, d.cause)
	}
	return err
}

// damageError is what verify found wrong with a file.
type damageError struct{ cause error }

func (d *damageError) Error() string { return d.cause.Error() }

// verify is check, its findings as *damageError errors.
func verify(path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && info.Size() == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	var db *bolt.DB
	err = safely(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second, PreLoadFreelist: true})
		return err
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return errInUse(path)
	}
	if err != nil {
		if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrVersionMismatch) || errors.Is(err, berrors.ErrChecksum) {
			err = fmt.Errorf("it is not a Turno database, or its header is overwritten: %w", err)
		}
		return &damageError{err}
	}
	defer db.Close()
	err = safely(func() error {
		return db.View(func(tx *bolt.Tx) error {
			if tx.Size() > info.Size() {
				return fmt.Errorf("it is %d bytes long but holds data up to byte %d: it was cut short", info.Size(), tx.Size())
			}
			if v := tx.Bucket(bucketMeta); v != nil {
				if ver := v.Get(keySchema); len(ver) == 8 && binary.BigEndian.Uint64(ver) > SchemaVersion() {
					return nil // a newer Turno's file: Open says so
				}
			}
			complete, err := walk(tx)
			if err != nil || !complete {
				return err
			}
			for err := range tx.Check() {
				return err // the first is enough to refuse the file
			}
			return nil
		})
	})
	if err != nil {
		return &damageError{err}
	}
	return nil
}

// walk reads every bucket's entries, newest first, within checkBudget; it
// reports whether it read them all.
func walk(tx *bolt.Tx) (bool, error) {
	left := checkBudget
	// Small buckets first, then the event log, which start-up reads.
	for _, name := range [][]byte{bucketMeta, bucketDays, bucketProtocol, bucketSessions, bucketConfigs, bucketEvents, bucketTickets, bucketTicketsV1, bucketNewIDs, bucketIDs} {
		b := tx.Bucket(name)
		if b == nil {
			if bytes.Equal(name, bucketMeta) {
				return false, errors.New("it has no meta bucket: not a Turno database")
			}
			continue // an older schema: the migrations create it
		}
		jsonValues := !bytes.Equal(name, bucketMeta) && !bytes.Equal(name, bucketDays) && !bytes.Equal(name, bucketProtocol) &&
			!bytes.Equal(name, bucketNewIDs) && !bytes.Equal(name, bucketIDs)
		var next uint64 // events: the key expected next, going backwards
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			if left == 0 {
				return false, nil
			}
			left--
			if v == nil {
				return false, fmt.Errorf("bucket %s: unexpected nested bucket %q", name, k)
			}
			if jsonValues && !json.Valid(v) {
				return false, fmt.Errorf("bucket %s: the value of key %x is not what was written", name, k)
			}
			if bytes.Equal(name, bucketEvents) {
				if len(k) != 8 {
					return false, fmt.Errorf("events: a key of %d bytes", len(k))
				}
				seq := binary.BigEndian.Uint64(k)
				if next != 0 && seq != next {
					return false, fmt.Errorf("events: event %d comes right before event %d: the log has a hole", seq, next+1)
				}
				next = seq - 1
			}
		}
		if bytes.Equal(name, bucketEvents) && next != 0 {
			return false, fmt.Errorf("events: the log starts at event %d, not 1", next+1)
		}
	}
	return true, nil
}

func errInUse(path string) error {
	return fmt.Errorf("store: %s is in use by another process (is another server running?)", path)
}
