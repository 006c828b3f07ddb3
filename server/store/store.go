// Package store keeps Turno's state in one bbolt file: the event log is the
// source of truth, and every other bucket is written in the same transaction
// as the events it derives from.
//
// Schema (version 3):
//
//	meta/
//	    schema_version       -> uint64, 8-byte big-endian
//	events/
//	    <seq uint64 BE>      -> JSON queue.Event; gapless, from 1
//	days/
//	    <"2006-01-02">       -> uint64 BE: the first sequence of that business day
//	tickets_by_day/             (schema 3; schema 1-2: tickets/ <ticket id> -> ticket)
//	    <day><seq uint64 BE> -> JSON queue.Ticket, its latest version; seq is the
//	                            event that issued it, so a day's new tickets are
//	                            appended at the end of the tree, never inserted
//	                            all over it (ids are random)
//	ticket_ids_new/
//	    <ticket id>          -> its key in tickets_by_day, for tickets of schemas 5
//	                            not yet in ticket_ids; since schema 6 today's ids are
//	                            kept in memory instead (Store.unindexed, rebuilt at
//	                            Open from tickets_by_day from meta's ids_indexed_before):
//	                            a random id's insert touched a page of its own at
//	                            every ticket, half the bytes an issue wrote
//	ticket_ids/
//	    <ticket id>          -> its key in tickets_by_day, for the days before
//	                            (IndexTickets moves them here once their day is over)
//	protocol/
//	    <year uint32 BE>     -> uint64 BE: the last protocol sequence of that year
//	sessions/
//	    <sha256(token) hex>  -> JSON Session
//	bookings/                   (schema 2)
//	    <booking id>         -> JSON queue.Booking, its latest version
//	booking_days/
//	    <day>/<booking id>   -> empty: bookings by the business day of their slot
//	booking_events/
//	    <booking id>         -> the 8-byte sequences of the events that carried it,
//	                            so erasing its personal data rewrites just those
//	day_stats/                  (schema 3)
//	    <"2006-01-02">       -> a closed day's indicators (package history), folded
//	                            from that day's events: rebuildable from the log
//
//	config_versions/            (schema 4)
//	    <version uint64 BE>  -> JSON ConfigVersion: the configuration's text as
//	                            each config.changed event put it in force
//
// Start-up reads the last key of days/ and replays events from there: its
// cost is today's events, never the history. Open first checks the file for
// damage (check.go) and refuses a damaged one with ErrDamaged; every read
// turns a fault in the memory-mapped file into that error, never a crash. Migrations are kept in order in
// the migrations slice; the file records how many have run.
package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"turno/server/queue"
)

// Bucket names.
var (
	bucketMeta     = []byte("meta")
	bucketEvents   = []byte("events")
	bucketDays     = []byte("days")
	bucketTickets  = []byte("tickets_by_day")
	bucketProtocol = []byte("protocol")
	bucketSessions = []byte("sessions")
	bucketBookings = []byte("bookings")
	bucketBookDays = []byte("booking_days")
	bucketBookEvts = []byte("booking_events")
	bucketDayStats = []byte("day_stats")
	bucketConfigs  = []byte("config_versions")
	keySchema      = []byte("schema_version")
	// keyIndexedBefore is a day: every ticket of an earlier day has its id
	// in ticket_ids or ticket_ids_new. Open reads the tickets from that day
	// on to know their ids (Store.unindexed).
	keyIndexedBefore = []byte("ids_indexed_before")
)

// The tickets' id indexes (tickets.go), and schema 1-2's tickets by id,
// which migration 5 re-keys.
var (
	bucketIDs       = []byte("ticket_ids")
	bucketNewIDs    = []byte("ticket_ids_new")
	bucketTicketsV1 = []byte("tickets")
)

// ErrNotFound is returned when a key does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrNewerSchema is returned when the file was written by a newer Turno.
var ErrNewerSchema = errors.New("store: the database was written by a newer version of Turno")

// ErrSequence is returned when appended events do not follow the log.
var ErrSequence = errors.New("store: events out of sequence")

// migrations bring a file from version i to i+1; their count is the current
// schema version. Append only: never change one that has shipped.
var migrations = []func(tx *bolt.Tx) error{
	// 1: the initial schema.
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketEvents, bucketDays, bucketTicketsV1, bucketProtocol, bucketSessions} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 2: the appointment agenda.
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketBookings, bucketBookDays, bucketBookEvts} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 3: the per-day indicators of the reports.
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketDayStats)
		return err
	},
	// 4: the versions of the configuration (the administration console).
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketConfigs)
		return err
	},
	// 5: tickets keyed by day and issuing event, with an id index
	// (rekeyTickets, in batches).
	rekeyTickets,
	// 6: new ids are no longer written to ticket_ids_new but known from
	// tickets_by_day (see Store.unindexed); the ids of the last day with
	// tickets and before are in the indexes already.
	func(tx *bolt.Tx) error {
		var day []byte
		if k, _ := tx.Bucket(bucketTickets).Cursor().Last(); len(k) >= dayKeyLen {
			day = bytes.Clone(k[:dayKeyLen])
		}
		return tx.Bucket(bucketMeta).Put(keyIndexedBefore, day)
	},
}

// errMigrationGoesOn is returned by a migration that did one batch of its
// work: migrate commits it and runs the migration again, so a large file is
// migrated in transactions of bounded size (and a crash resumes it).
var errMigrationGoesOn = errors.New("store: the migration goes on")

// SchemaVersion is the schema this code writes.
func SchemaVersion() uint64 { return uint64(len(migrations)) }

// Store is the bbolt file.
type Store struct {
	db *bolt.DB
	// unindexed maps the ids of the tickets of the days not yet indexed
	// (today's, and any day IndexTickets has not reached) to their keys in
	// tickets_by_day. It is rebuilt at Open from the tickets themselves, so
	// issuing writes no index entry: a random id's insert dirtied a page of
	// its own at every ticket (11 KB written per ticket against 5.4 without,
	// BenchmarkIssueWrites).
	mu        sync.RWMutex
	unindexed map[string][]byte
}

// view runs a read transaction safely: damage that Open's check did not
// reach (beyond its budget, or after it) is an ErrDamaged error, not a
// crash.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	err := safely(func() error { return s.db.View(fn) })
	var fault *faultError
	if errors.As(err, &fault) {
		return damaged(s.db.Path(), err)
	}
	return err
}

// Open opens or creates the database at path and brings its schema up to
// date. It fails after a second if another process holds the file, and
// with ErrDamaged, saying how to restore the backup, if the file is damaged
// (see check): never with a crash.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := check(path); err != nil {
		return nil, err
	}
	var db *bolt.DB
	err := safely(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		return err
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, errInUse(path)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := migrate(db, migrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	s := &Store{db: db}
	if err := s.loadUnindexed(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return s, nil
}

// migrate runs the migrations the file has not seen, each in its own
// transaction together with the new version number; one that returns
// errMigrationGoesOn has its batch committed and runs again.
func migrate(db *bolt.DB, steps []func(*bolt.Tx) error) error {
	for {
		done := false
		err := db.Update(func(tx *bolt.Tx) error {
			meta, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return err
			}
			var version uint64
			if v := meta.Get(keySchema); v != nil {
				version = binary.BigEndian.Uint64(v)
			}
			if version > uint64(len(steps)) {
				return fmt.Errorf("%w (schema %d, this server knows %d)", ErrNewerSchema, version, len(steps))
			}
			if version == uint64(len(steps)) {
				done = true
				return meta.Put(keySchema, u64(version)) // a new file records it
			}
			err = steps[version](tx)
			if errors.Is(err, errMigrationGoesOn) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("migration %d: %w", version+1, err)
			}
			return meta.Put(keySchema, u64(version+1))
		})
		if err != nil || done {
			return err
		}
	}
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func yearKey(year int) []byte {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, uint32(year))
	return b
}

// Append writes events, which must continue the log without a gap, in one
// transaction with the tickets, day index, protocol counters, bookings and
// configuration versions they change.
// It returns once the transaction is on disk.
func (s *Store) Append(events []queue.Event) error {
	if len(events) == 0 {
		return nil
	}
	// The ids issued here join unindexed once the transaction is committed.
	added := map[string][]byte{}
	err := s.db.Update(func(tx *bolt.Tx) error {
		evb, days, tickets, protocol := tx.Bucket(bucketEvents), tx.Bucket(bucketDays), tx.Bucket(bucketTickets), tx.Bucket(bucketProtocol)
		// Sequence keys only ever append: full pages instead of bbolt's
		// half-full default halve the file.
		evb.FillPercent, days.FillPercent, tickets.FillPercent = 1, 1, 1
		var last uint64
		if k, _ := evb.Cursor().Last(); k != nil {
			last = binary.BigEndian.Uint64(k)
		}
		for i := range events {
			ev := &events[i]
			if ev.Seq != last+1 {
				return fmt.Errorf("%w: got %d after %d", ErrSequence, ev.Seq, last)
			}
			last = ev.Seq
			data, err := json.Marshal(ev)
			if err != nil {
				return fmt.Errorf("encode event %d: %w", ev.Seq, err)
			}
			if err := evb.Put(u64(ev.Seq), data); err != nil {
				return err
			}
			if ev.Day != "" && days.Get([]byte(ev.Day)) == nil {
				if err := days.Put([]byte(ev.Day), u64(ev.Seq)); err != nil {
					return err
				}
			}
			if ev.Ticket != nil {
				if err := s.putTicket(tx, tickets, ev, added); err != nil {
					return err
				}
			}
			if ev.Booking != nil {
				if err := putBooking(tx, ev.Seq, ev.Booking); err != nil {
					return err
				}
			}
			if ev.Type == queue.EventConfigChanged && ev.Config != nil {
				if err := putConfigVersion(tx, ev); err != nil {
					return err
				}
			}
			if p := ev.Protocol; p != nil {
				key := yearKey(p.Year)
				if cur := protocol.Get(key); cur == nil || binary.BigEndian.Uint64(cur) < uint64(p.Seq) {
					if err := protocol.Put(key, u64(uint64(p.Seq))); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	for id, key := range added {
		s.unindexed[id] = key
	}
	s.mu.Unlock()
	return nil
}

// LastSeq returns the sequence of the last event, 0 for an empty log.
func (s *Store) LastSeq() (uint64, error) {
	var last uint64
	err := s.view(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bucketEvents).Cursor().Last(); k != nil {
			last = binary.BigEndian.Uint64(k)
		}
		return nil
	})
	return last, err
}

// LatestDay returns the last business day in the log and its events, found
// through the day index without scanning the history. An empty log returns
// "" and no events.
func (s *Store) LatestDay() (string, []queue.Event, error) {
	var day string
	var events []queue.Event
	err := s.view(func(tx *bolt.Tx) error {
		k, v := tx.Bucket(bucketDays).Cursor().Last()
		if k == nil {
			return nil
		}
		day = string(k)
		var err error
		events, err = readEvents(tx, binary.BigEndian.Uint64(v), 0)
		return err
	})
	return day, events, err
}

// EventsSince returns up to limit events after seq, in order (limit <= 0:
// all of them).
func (s *Store) EventsSince(seq uint64, limit int) ([]queue.Event, error) {
	var events []queue.Event
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		events, err = readEvents(tx, seq+1, limit)
		return err
	})
	return events, err
}

func readEvents(tx *bolt.Tx, from uint64, limit int) ([]queue.Event, error) {
	var events []queue.Event
	c := tx.Bucket(bucketEvents).Cursor()
	for k, v := c.Seek(u64(from)); k != nil; k, v = c.Next() {
		var ev queue.Event
		if err := json.Unmarshal(v, &ev); err != nil {
			return nil, fmt.Errorf("store: event %d: %w", binary.BigEndian.Uint64(k), err)
		}
		events = append(events, ev)
		if limit > 0 && len(events) == limit {
			break
		}
	}
	return events, nil
}

// ProtocolSeq returns the last protocol sequence used in year.
func (s *Store) ProtocolSeq(year int) (int, error) {
	var seq int
	err := s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketProtocol).Get(yearKey(year)); v != nil {
			seq = int(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	return seq, err
}

// Ticket returns the latest version of a ticket of any day.
func (s *Store) Ticket(id string) (*queue.Ticket, error) {
	var t *queue.Ticket
	err := s.view(func(tx *bolt.Tx) error {
		key := s.ticketKey(tx, id, nil)
		if key == nil {
			return ErrNotFound
		}
		v := tx.Bucket(bucketTickets).Get(key)
		if v == nil {
			return ErrNotFound
		}
		t = new(queue.Ticket)
		return json.Unmarshal(v, t)
	})
	return t, err
}

// Backup writes a consistent copy of the whole database to w while the
// server keeps running. The copy is first written to a file beside the
// database within one read transaction, and only then sent: a reader that
// stops reading must not hold a transaction open, or bbolt could not grow
// the file and every write of the office would wait. size, if not nil, is
// told the copy's length before it is sent, so an HTTP answer can carry it.
func (s *Store) Backup(w io.Writer, size func(int64)) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(s.db.Path()), ".backup-*.db")
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	var length int64
	err = s.view(func(tx *bolt.Tx) error {
		var err error
		length, err = tx.WriteTo(f)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	if size != nil {
		size(length)
	}
	return io.Copy(w, f)
}

// Session is a login.
type Session struct {
	User string `json:"user"`
	Role string `json:"role"`
	// Credential identifies the password the session was opened with (a
	// hash of its hash), so that a changed password ends the session.
	Credential string    `json:"credential"`
	Expires    time.Time `json:"expires"`
}

// PutSession stores a session under key (a hash of its token, never the
// token itself: a stolen backup must not log anyone in).
func (s *Store) PutSession(key string, sess Session) error {
	data, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Put([]byte(key), data) })
}

// Session returns the session under key.
func (s *Store) Session(key string) (Session, error) {
	var sess Session
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get([]byte(key))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &sess)
	})
	return sess, err
}

// DeleteSession removes the session under key.
func (s *Store) DeleteSession(key string) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Delete([]byte(key)) })
}

// DeleteExpiredSessions removes sessions expired at now and says how many.
func (s *Store) DeleteExpiredSessions(now time.Time) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var expired [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var sess Session
			if json.Unmarshal(v, &sess) != nil || !now.Before(sess.Expires) {
				expired = append(expired, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range expired {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(expired)
		return nil
	})
	return n, err
}

func dayKey(day, id string) []byte { return []byte(day + "/" + id) }

// putBooking writes a booking's latest version with its indexes.
func putBooking(tx *bolt.Tx, seq uint64, b *queue.Booking) error {
	books, days, evts := tx.Bucket(bucketBookings), tx.Bucket(bucketBookDays), tx.Bucket(bucketBookEvts)
	if old := books.Get([]byte(b.ID)); old != nil {
		var prev queue.Booking
		if err := json.Unmarshal(old, &prev); err != nil {
			return fmt.Errorf("booking %s: %w", b.ID, err)
		}
		if prev.Day != b.Day { // moved to another day
			if err := days.Delete(dayKey(prev.Day, b.ID)); err != nil {
				return err
			}
		}
	}
	data, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("encode booking: %w", err)
	}
	if err := books.Put([]byte(b.ID), data); err != nil {
		return err
	}
	if err := days.Put(dayKey(b.Day, b.ID), nil); err != nil {
		return err
	}
	seqs := append(bytes.Clone(evts.Get([]byte(b.ID))), u64(seq)...)
	return evts.Put([]byte(b.ID), seqs)
}

// Bookings returns the bookings whose slot is on day or later, the agenda
// the office keeps in memory.
func (s *Store) Bookings(fromDay string) ([]queue.Booking, error) {
	var out []queue.Booking
	err := s.db.View(func(tx *bolt.Tx) error {
		books := tx.Bucket(bucketBookings)
		c := tx.Bucket(bucketBookDays).Cursor()
		for k, _ := c.Seek([]byte(fromDay)); k != nil; k, _ = c.Next() {
			_, id, _ := bytes.Cut(k, []byte("/"))
			v := books.Get(id)
			if v == nil {
				continue
			}
			var b queue.Booking
			if err := json.Unmarshal(v, &b); err != nil {
				return fmt.Errorf("store: booking %s: %w", id, err)
			}
			out = append(out, b)
		}
		return nil
	})
	return out, err
}

// Booking returns the latest version of a booking of any day still kept.
func (s *Store) Booking(id string) (*queue.Booking, error) {
	var b *queue.Booking
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketBookings).Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		b = new(queue.Booking)
		return json.Unmarshal(v, b)
	})
	return b, err
}

// eraseBatch bounds one erasure transaction, so the office's commits never
// wait long behind it.
const eraseBatch = 200

// EraseBookings erases the personal data of the bookings whose day is
// before day: the booking itself, and the name, contact, note and key in
// every event that carried it (what remains is what reports count: the
// service, the slot, the state). It returns how many it erased. The log's
// events are otherwise never rewritten; this is the one exception the law
// makes for personal data.
func (s *Store) EraseBookings(before string) (int, error) {
	total := 0
	for {
		n, err := s.eraseSome(before)
		total += n
		if err != nil || n < eraseBatch {
			return total, err
		}
	}
}

func (s *Store) eraseSome(before string) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		books, days, evts, events := tx.Bucket(bucketBookings), tx.Bucket(bucketBookDays), tx.Bucket(bucketBookEvts), tx.Bucket(bucketEvents)
		var keys [][]byte
		c := days.Cursor()
		for k, _ := c.First(); k != nil && string(k) < before && len(keys) < eraseBatch; k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		for _, k := range keys {
			_, id, _ := bytes.Cut(k, []byte("/"))
			seqs := bytes.Clone(evts.Get(id))
			for i := 0; i+8 <= len(seqs); i += 8 {
				key := seqs[i : i+8]
				v := events.Get(key)
				if v == nil {
					continue
				}
				var ev queue.Event
				if err := json.Unmarshal(v, &ev); err != nil {
					return fmt.Errorf("event %d: %w", binary.BigEndian.Uint64(key), err)
				}
				if ev.Booking == nil {
					continue
				}
				pub := ev.Booking.Public()
				ev.Booking = &pub
				data, err := json.Marshal(ev)
				if err != nil {
					return err
				}
				if err := events.Put(bytes.Clone(key), data); err != nil {
					return err
				}
			}
			for _, del := range []struct {
				b *bolt.Bucket
				k []byte
			}{{books, id}, {evts, id}, {days, k}} {
				if err := del.b.Delete(del.k); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: erase bookings: %w", err)
	}
	return n, nil
}
