package history

import (
	"reflect"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	cfg := testConfig(t)
	o := newOffice(t, cfg)
	script(o, scriptDay)
	d := Fold(&cfg.Office, scriptDay, dayEvents(o.log, scriptDay), FoldOptions{PerClerk: true})
	d.Cells[0].PromiseBias = -12345 // negative sums survive
	data, err := encode(&d)
	if err != nil {
		t.Fatal(err)
	}
	var back Day
	if err := decode(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, d) || version(data) != FoldVersion {
		t.Fatalf("round trip:\n%+v\n%+v", back.Cells[0], d.Cells[0])
	}
	// A damaged day is an error, never a panic or a huge allocation.
	for n := 0; n < len(data); n++ {
		if err := decode(data[:n], &back); err == nil {
			t.Fatalf("decoding %d of %d bytes succeeded", n, len(data))
		}
	}
	if err := decode(append(append([]byte{}, data...), 0), &back); err == nil {
		t.Fatal("trailing bytes were accepted")
	}
	bad := append([]byte{}, data...)
	bad[2+1+len(scriptDay)+2] = 0xff // the cell count, now enormous
	if err := decode(bad, &back); err == nil {
		t.Fatal("a damaged count was accepted")
	}
	if _, err := encode(&Day{Cells: []Cell{{Dim: "desk"}}}); err == nil {
		t.Fatal("an unknown dimension was encoded")
	}
}

func FuzzDecode(f *testing.F) {
	cfg := testConfig(f)
	o := newOffice(f, cfg)
	script(o, scriptDay)
	d := Fold(&cfg.Office, scriptDay, dayEvents(o.log, scriptDay), FoldOptions{})
	data, _ := encode(&d)
	f.Add(data)
	f.Add([]byte{0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Day
		if decode(b, &d) == nil { // what decodes encodes back the same
			again, err := encode(&d)
			if err != nil {
				return // e.g. an hour out of range: refused on the way out
			}
			var d2 Day
			if err := decode(again, &d2); err != nil || !reflect.DeepEqual(d, d2) {
				t.Fatalf("re-encoded day differs: %v", err)
			}
		}
	})
}
