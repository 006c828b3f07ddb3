package hub

import "turno/server/queue"

// ring holds the most recent events, gapless, for clients that resume: it
// holds every event after first()-1 up to last.
type ring struct {
	buf   []queue.Event
	start int // index of the oldest event
	n     int
	last  uint64 // sequence of the newest event, or the base when empty
}

func newRing(size int, base uint64) *ring {
	return &ring{buf: make([]queue.Event, size), last: base}
}

// first is the sequence of the oldest event held (last+1 when empty).
func (r *ring) first() uint64 { return r.last + 1 - uint64(r.n) }

// push appends the next event; the caller makes sure it is last+1.
func (r *ring) push(ev queue.Event) {
	if r.n == len(r.buf) {
		r.buf[r.start] = ev
		r.start = (r.start + 1) % len(r.buf)
	} else {
		r.buf[(r.start+r.n)%len(r.buf)] = ev
		r.n++
	}
	r.last = ev.Seq
}

// reset forgets every event: the next one expected is base+1.
func (r *ring) reset(base uint64) {
	clear(r.buf)
	r.start, r.n, r.last = 0, 0, base
}

// after calls fn with each held event after since, in order.
func (r *ring) after(since uint64, fn func(*queue.Event)) {
	for i := 0; i < r.n; i++ {
		ev := &r.buf[(r.start+i)%len(r.buf)]
		if ev.Seq > since {
			fn(ev)
		}
	}
}
