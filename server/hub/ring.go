package hub

// ring holds the most recent events, gapless, for clients that resume or
// start from a snapshot a moment old: it holds every event after first()-1
// up to last. Each keeps its encodings (encoded), so clients joining
// together encode the events they missed once, not once each; only the
// newest keepEncoded keep them, to bound the memory.
type ring struct {
	buf   []*encoded
	start int // index of the oldest event
	n     int
	last  uint64 // sequence of the newest event, or the base when empty
}

// keepEncoded is how many of the newest events keep their encodings: more
// than a busy office commits while snapshots are shared (see
// Options.ShareSnapshot).
const keepEncoded = 1000

func newRing(size int, base uint64) *ring {
	return &ring{buf: make([]*encoded, size), last: base}
}

// first is the sequence of the oldest event held (last+1 when empty).
func (r *ring) first() uint64 { return r.last + 1 - uint64(r.n) }

// push appends the next event; the caller makes sure it is last+1.
func (r *ring) push(e *encoded) {
	if r.n == len(r.buf) {
		r.buf[r.start] = e
		r.start = (r.start + 1) % len(r.buf)
	} else {
		r.buf[(r.start+r.n)%len(r.buf)] = e
		r.n++
	}
	r.last = e.ev.Seq
	if r.n > keepEncoded {
		r.buf[(r.start+r.n-1-keepEncoded)%len(r.buf)].bytes = [2][]byte{}
	}
}

// reset forgets every event: the next one expected is base+1.
func (r *ring) reset(base uint64) {
	clear(r.buf)
	r.start, r.n, r.last = 0, 0, base
}

// after calls fn with each held event after since, in order.
func (r *ring) after(since uint64, fn func(*encoded)) {
	skip := 0
	if since >= r.first() {
		skip = int(since - r.first() + 1)
	}
	for i := skip; i < r.n; i++ {
		fn(r.buf[(r.start+i)%len(r.buf)])
	}
}
