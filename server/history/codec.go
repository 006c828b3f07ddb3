package history

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// A stored day is its fold's version (2 bytes, big-endian: a catch-up
// reads versions without decoding), then the day in varints. JSON would be
// easier to read with a bbolt browser, but a year's report decodes some
// 260 days of a few hundred cells each, and encoding/json spent most of a
// report's half second on it; the varints take a tenth of the time and
// half the space. TestCodecRoundTrip keeps the two sides together.

var errShort = errors.New("history: a stored day ends early")

var dims = []string{DimOffice, DimService, DimCounter, DimClerk}

func encode(d *Day) ([]byte, error) {
	b := make([]byte, 2, 64+len(d.Cells)*48)
	binary.BigEndian.PutUint16(b, uint16(d.Version))
	b = appendString(b, d.Day)
	b = binary.AppendUvarint(b, d.FirstSeq)
	b = binary.AppendUvarint(b, d.LastSeq)
	b = binary.AppendUvarint(b, uint64(len(d.Cells)))
	for i := range d.Cells {
		c := &d.Cells[i]
		dim := -1
		for j, name := range dims {
			if name == c.Dim {
				dim = j
			}
		}
		if dim < 0 || c.Hour < -1 || c.Hour > 23 {
			return nil, fmt.Errorf("history: encode %s: a cell %s/%d", d.Day, c.Dim, c.Hour)
		}
		b = append(b, byte(dim), byte(c.Hour+1))
		b = appendString(b, c.Key)
		f := &c.Figures
		for _, n := range [...]int{f.Issued, f.Appointment, f.Priority, f.Served, f.Resolved, f.Forwarded, f.NoShows, f.Transferred,
			f.Expired, f.Contacts, f.Booked, f.Kept, f.Late, f.Missed, f.InTarget, f.Promised, f.PromiseLate} {
			b = binary.AppendVarint(b, int64(n))
		}
		b = binary.AppendVarint(b, f.PromiseErr)
		b = binary.AppendVarint(b, f.PromiseBias)
		b = appendInts(b, f.Turnaways)
		b = appendInts(b, f.Ratings)
		b = appendDist(b, &f.Wait)
		b = appendDist(b, &f.Service)
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendInts(b []byte, xs []int) []byte {
	b = binary.AppendUvarint(b, uint64(len(xs)))
	for _, x := range xs {
		b = binary.AppendVarint(b, int64(x))
	}
	return b
}

func appendDist(b []byte, d *Dist) []byte {
	b = binary.AppendVarint(b, int64(d.N))
	b = binary.AppendVarint(b, d.Sum)
	b = binary.AppendUvarint(b, uint64(len(d.H)))
	for _, x := range d.H {
		b = binary.AppendVarint(b, int64(x))
	}
	return b
}

func version(data []byte) int {
	if len(data) < 2 {
		return 0
	}
	return int(binary.BigEndian.Uint16(data))
}

// reader decodes varints, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *reader) int() int { return int(r.varint()) }

// count reads a length no longer than what is left, so a damaged day
// cannot ask for gigabytes.
func (r *reader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		if r.err == nil {
			r.err = errShort
		}
		return 0
	}
	return int(n)
}

func (r *reader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errShort
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) string() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) ints() []int {
	n := r.count()
	if n == 0 {
		return nil
	}
	xs := make([]int, n)
	for i := range xs {
		xs[i] = r.int()
	}
	return xs
}

func (r *reader) dist(d *Dist) {
	d.N = r.int()
	d.Sum = r.varint()
	n := r.count()
	if n == 0 {
		return
	}
	d.H = make([]int32, n)
	for i := range d.H {
		x := r.varint()
		if x < math.MinInt32 || x > math.MaxInt32 {
			r.err = errors.New("history: a histogram count out of range")
		}
		d.H[i] = int32(x)
	}
}

func decode(data []byte, d *Day) error {
	if len(data) < 2 {
		return errShort
	}
	r := &reader{b: data[2:]}
	*d = Day{Version: version(data)}
	d.Day = r.string()
	d.FirstSeq = r.uvarint()
	d.LastSeq = r.uvarint()
	n := r.count()
	if r.err != nil {
		return r.err
	}
	d.Cells = make([]Cell, n)
	for i := range d.Cells {
		c := &d.Cells[i]
		dim := int(r.byte())
		if dim >= len(dims) {
			return fmt.Errorf("history: a cell of dimension %d", dim)
		}
		c.Dim, c.Hour, c.Key = dims[dim], int(r.byte())-1, r.string()
		f := &c.Figures
		for _, p := range [...]*int{&f.Issued, &f.Appointment, &f.Priority, &f.Served, &f.Resolved, &f.Forwarded, &f.NoShows, &f.Transferred,
			&f.Expired, &f.Contacts, &f.Booked, &f.Kept, &f.Late, &f.Missed, &f.InTarget, &f.Promised, &f.PromiseLate} {
			*p = r.int()
		}
		f.PromiseErr = r.varint()
		f.PromiseBias = r.varint()
		f.Turnaways = r.ints()
		f.Ratings = r.ints()
		r.dist(&f.Wait)
		r.dist(&f.Service)
		if r.err != nil {
			return r.err
		}
	}
	if len(r.b) != 0 {
		return errors.New("history: a stored day has bytes after its end")
	}
	return nil
}
