package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"turno/server/queue"
)

// Tickets are keyed by their day and the sequence of the event that issued
// them: a day's new tickets go at the end of the tree, on pages already
// written, instead of all over a tree of a million tickets (ids are random).
// Their ids lead to the key through the ids of the days not yet indexed
// (today's), which the store keeps in memory and learns again at Open from
// the day's tickets, so issuing writes no index and costs the same on a new
// file and after years; IndexTickets writes a finished day's ids into
// ticket_ids at once, in id order. (ticket_ids_new held today's ids in
// schema 5: a random id's insert there wrote a page of its own per ticket.)

// dayKeyLen is the length of a day ("2006-01-02"), the keys' prefix.
const dayKeyLen = len(queue.DayLayout)

func ticketsKey(day string, seq uint64) []byte {
	return append([]byte(day), u64(seq)...)
}

// ticketKey finds a ticket's key in tickets_by_day by its id, or nil:
// among the ids added by the transaction under way (nil outside Append),
// those of the days not yet indexed, then the indexes. A key from an index
// is valid only until the tree changes.
func (s *Store) ticketKey(tx *bolt.Tx, id string, added map[string][]byte) []byte {
	if k, ok := added[id]; ok {
		return k
	}
	s.mu.RLock()
	k, ok := s.unindexed[id]
	s.mu.RUnlock()
	if ok {
		return k
	}
	if k := tx.Bucket(bucketNewIDs).Get([]byte(id)); k != nil {
		return k
	}
	return tx.Bucket(bucketIDs).Get([]byte(id))
}

// loadUnindexed learns the ids of the tickets of the days not yet indexed,
// from the tickets themselves: those of the day ids_indexed_before names
// and after (today's, or a few days' if the server was down at midnight).
func (s *Store) loadUnindexed() error {
	s.unindexed = map[string][]byte{}
	return s.view(func(tx *bolt.Tx) error {
		from := tx.Bucket(bucketMeta).Get(keyIndexedBefore)
		c := tx.Bucket(bucketTickets).Cursor()
		for k, v := c.Seek(from); k != nil; k, v = c.Next() {
			id, err := ticketID(v)
			if err != nil {
				return fmt.Errorf("ticket %x: %w", k, err)
			}
			s.unindexed[id] = bytes.Clone(k)
		}
		return nil
	})
}

// ticketID reads the id of an encoded ticket: from its start, where
// encoding/json puts it, without decoding the rest (a start-up reads a
// day's tickets); anything else is decoded.
func ticketID(v []byte) (string, error) {
	const head = `{"id":"`
	if rest, ok := bytes.CutPrefix(v, []byte(head)); ok {
		if end := bytes.IndexByte(rest, '"'); end > 0 && bytes.IndexByte(rest[:end], '\\') < 0 {
			return string(rest[:end]), nil
		}
	}
	var t struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(v, &t); err != nil {
		return "", fmt.Errorf("decode ticket: %w", err)
	}
	if t.ID == "" {
		return "", errors.New("a ticket without an id")
	}
	return t.ID, nil
}

// putTicket writes the ticket an event carries, its latest version: in its
// place if the store has it, else (and always for ticket.issued) as a new
// ticket of its day keyed by this event.
func (s *Store) putTicket(tx *bolt.Tx, tickets *bolt.Bucket, ev *queue.Event, added map[string][]byte) error {
	t := ev.Ticket
	data, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("encode ticket: %w", err)
	}
	var key []byte
	if ev.Type != queue.EventTicketIssued {
		// A ticket issued is new: looking its random id up in the long
		// index would read a page anywhere in it, at every ticket.
		key = s.ticketKey(tx, t.ID, added)
	}
	if key == nil {
		if len(t.Day) != dayKeyLen {
			return fmt.Errorf("ticket %s: day %q is not a date", t.ID, t.Day)
		}
		key = ticketsKey(t.Day, ev.Seq)
		added[t.ID] = key // in memory only: see Store.unindexed
	} else {
		key = bytes.Clone(key) // a value of the index: valid only until the tree changes
	}
	return tickets.Put(key, data)
}

// DayTickets returns up to limit tickets of day that keep accepts (nil:
// all), in issue order, starting after the cursor after (0: the first), and
// the cursor of the last one returned, for the next page (0 when there is no
// more). It reads the store alone, outside the office's lock: the day's
// finished tickets are read here on demand, not carried by every snapshot.
func (s *Store) DayTickets(day string, after uint64, limit int, keep func(*queue.Ticket) bool) ([]queue.Ticket, uint64, error) {
	var out []queue.Ticket
	var next uint64
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketTickets).Cursor()
		prefix := []byte(day)
		for k, v := c.Seek(ticketsKey(day, after+1)); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != dayKeyLen+8 {
				continue // not a ticket's key: the file was written by hand
			}
			var t queue.Ticket
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("store: ticket %x: %w", k, err)
			}
			if keep != nil && !keep(&t) {
				continue
			}
			if limit > 0 && len(out) == limit {
				return nil // there is more: next stays the last returned
			}
			out = append(out, t)
			next = binary.BigEndian.Uint64(k[dayKeyLen:])
		}
		next = 0
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, next, nil
}

// indexBatch bounds one IndexTickets transaction, so the office's commits
// never wait long behind it.
const indexBatch = 2000

// IndexTickets writes the ids of the tickets of the days before day (the
// office's current day) into ticket_ids, from memory (Store.unindexed) and
// from ticket_ids_new (a file of schema 5), and says how many. The server
// runs it after the day changes; until then a past day's ids are found all
// the same.
func (s *Store) IndexTickets(day string) (int, error) {
	total := 0
	for {
		n, more, err := s.indexSome(day)
		total += n
		if err != nil || !more {
			return total, err
		}
	}
}

func (s *Store) indexSome(day string) (n int, more bool, err error) {
	type entry struct{ id, key []byte }
	var batch []entry
	// The ids in memory of the days before day, in id order (neighbours
	// in the index); they leave memory once they are in the index.
	s.mu.RLock()
	var mem []entry
	for id, key := range s.unindexed {
		if string(key[:dayKeyLen]) < day {
			mem = append(mem, entry{[]byte(id), key})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(mem, func(a, b entry) int { return bytes.Compare(a.id, b.id) })
	if len(mem) > indexBatch {
		mem, more = mem[:indexBatch], true
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		fresh, ids := tx.Bucket(bucketNewIDs), tx.Bucket(bucketIDs)
		batch = mem
		c := fresh.Cursor()
		for k, v := c.First(); k != nil && !more; k, v = c.Next() {
			if len(batch) == indexBatch {
				more = true
				break
			}
			if len(v) >= dayKeyLen && string(v[:dayKeyLen]) < day {
				batch = append(batch, entry{bytes.Clone(k), bytes.Clone(v)})
			}
		}
		for i, e := range batch {
			if err := ids.Put(e.id, e.key); err != nil {
				return err
			}
			if i >= len(mem) {
				if err := fresh.Delete(e.id); err != nil {
					return err
				}
			}
		}
		if !more { // every id of the days before day is in the index
			meta := tx.Bucket(bucketMeta)
			if string(meta.Get(keyIndexedBefore)) < day {
				return meta.Put(keyIndexedBefore, []byte(day))
			}
		}
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("store: index tickets: %w", err)
	}
	s.mu.Lock()
	for _, e := range mem {
		delete(s.unindexed, string(e.id))
	}
	s.mu.Unlock()
	return len(batch), more, nil
}

// rekeyBatch is how many events one transaction of migration 5 reads.
var rekeyBatch = 20000

// keyRekeyFrom is migration 5's progress: the next event to read.
var keyRekeyFrom = []byte("rekey_tickets_from")

// rekeyTickets is migration 5: tickets keyed by id (schema 1-4) become
// tickets keyed by day and issuing event, with the id index. It reads the
// event log in order, a batch per transaction: the first event that
// carries a ticket still in the old bucket issued it, and gives its key.
// Tickets are moved (the old entry deleted in the same transaction), so a
// crash resumes where the last batch ended. Past days' ids go straight to
// ticket_ids.
func rekeyTickets(tx *bolt.Tx) error {
	tickets, err := tx.CreateBucketIfNotExists(bucketTickets)
	if err != nil {
		return err
	}
	for _, b := range [][]byte{bucketIDs, bucketNewIDs} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	old := tx.Bucket(bucketTicketsV1)
	if old == nil {
		return nil // a file that never had it
	}
	meta, ids := tx.Bucket(bucketMeta), tx.Bucket(bucketIDs)
	var from uint64 = 1
	if v := meta.Get(keyRekeyFrom); len(v) == 8 {
		from = binary.BigEndian.Uint64(v)
	}
	tickets.FillPercent = 1 // keys in order: full pages
	move := func(id []byte, key []byte) error {
		v := old.Get(id)
		if v == nil {
			return nil // moved by an earlier event
		}
		if err := tickets.Put(key, bytes.Clone(v)); err != nil {
			return err
		}
		if err := ids.Put(bytes.Clone(id), key); err != nil {
			return err
		}
		return old.Delete(id)
	}
	var carried struct {
		Ticket *struct {
			ID  string `json:"id"`
			Day string `json:"day"`
		} `json:"ticket"`
	}
	c := tx.Bucket(bucketEvents).Cursor()
	read := 0
	for k, v := c.Seek(u64(from)); k != nil; k, v = c.Next() {
		if read == rekeyBatch {
			if err := meta.Put(keyRekeyFrom, bytes.Clone(k)); err != nil {
				return err
			}
			return errMigrationGoesOn
		}
		read++
		if !bytes.Contains(v, []byte(`"ticket":{`)) {
			continue
		}
		carried.Ticket = nil
		if err := json.Unmarshal(v, &carried); err != nil {
			return fmt.Errorf("event %d: %w", binary.BigEndian.Uint64(k), err)
		}
		t := carried.Ticket
		if t == nil || len(t.Day) != dayKeyLen {
			continue
		}
		if err := move([]byte(t.ID), ticketsKey(t.Day, binary.BigEndian.Uint64(k))); err != nil {
			return err
		}
	}
	// Every event read. A ticket no event carries (none should be) keeps
	// its data under its day, after the day's tickets: sequences from 2^63
	// on, which events never reach.
	var rest [][]byte
	if err := old.ForEach(func(k, _ []byte) error { rest = append(rest, bytes.Clone(k)); return nil }); err != nil {
		return err
	}
	for i, id := range rest {
		var t queue.Ticket
		if err := json.Unmarshal(old.Get(id), &t); err != nil || len(t.Day) != dayKeyLen {
			return fmt.Errorf("ticket %s: no event carries it and its day cannot be read", id)
		}
		if err := move(id, ticketsKey(t.Day, 1<<63|uint64(i))); err != nil {
			return err
		}
	}
	if err := tx.DeleteBucket(bucketTicketsV1); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return err
	}
	return meta.Delete(keyRekeyFrom)
}
