package queue

import (
	"strings"
	"testing"
)

// Limits count characters, not bytes: 141 "è" are 282 bytes but well
// within the hall message's 280 characters; text that is not UTF-8 is
// refused rather than stored.
func TestTextLimitsCountCharacters(t *testing.T) {
	h := newHarness(t, testConfig(t))
	now := at(tue, "09:00")
	h.roll(now)
	for _, tc := range []struct {
		name string
		text string
		ok   bool
	}{
		{"141 accented characters", strings.Repeat("è", 141), true},
		{"280 accented characters", strings.Repeat("è", 280), true},
		{"281 characters", strings.Repeat("è", 281), false},
		{"not UTF-8", "avviso \xff", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.o.SetHallMessage(now, tc.text, Actor{Name: "anna", Supervisor: true})
			if tc.ok && err != nil {
				t.Fatalf("got %v, want it accepted", err)
			}
			if !tc.ok {
				wantErr(t, err, ErrInvalid)
			}
		})
	}
	for _, key := range []string{"kiosk-1/" + strings.Repeat("è", 200), "kiosk-1/k\xff"} {
		_, _, err := h.o.Issue(now, IssueRequest{Service: "anagrafe", Key: key}, Actor{})
		if !strings.Contains(key, "\xff") && err != nil {
			t.Fatalf("scoped key of 208 characters: got %v", err)
		}
		if strings.Contains(key, "\xff") {
			wantErr(t, err, ErrInvalid)
		}
	}
}
