package web

import (
	"testing"
	"unicode/utf8"
)

// FuzzValidTicketID: only 32 lowercase hex digits pass; nothing panics.
func FuzzValidTicketID(f *testing.F) {
	for _, s := range []string{"0123456789abcdef0123456789abcdef", "0123456789ABCDEF0123456789ABCDEF", "", "A001",
		"../../etc/passwd", "0123456789abcdef0123456789abcdef\n", "0123456789abcdef0123456789abcde\u00e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		want := len(id) == 32 && utf8.ValidString(id)
		for _, r := range id {
			if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
				want = false
			}
		}
		if got := validTicketID(id); got != want {
			t.Fatalf("validTicketID(%q): got %v, want %v", id, got, want)
		}
	})
}
