package hub

import (
	"encoding/json"
	"testing"

	"turno/server/queue"
)

func TestDecodeSubscribe(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want queue.Subscribe
		ok   bool
	}{
		{`{}`, queue.Subscribe{}, true},
		{`{"token":"t","since":7,"counter":"4"}`, queue.Subscribe{Token: "t", Since: 7, Counter: "4"}, true},
		{` {"ticket":"abc"} `, queue.Subscribe{Ticket: "abc"}, true},
		{``, queue.Subscribe{}, false},
		{`{`, queue.Subscribe{}, false},
		{`{"since":-1}`, queue.Subscribe{}, false},
		{`{"since":1.5}`, queue.Subscribe{}, false},
		{`{"since":"1"}`, queue.Subscribe{}, false},
		{`{"token":1}`, queue.Subscribe{}, false},
		{`{"Token":"t","extra":1}`, queue.Subscribe{}, false},
		{`{}{}`, queue.Subscribe{}, false},
		{`{} x`, queue.Subscribe{}, false},
		{`[]`, queue.Subscribe{}, false},
		{`null`, queue.Subscribe{}, true},
		{`{"TICKET":"abc"}`, queue.Subscribe{}, false},
		{`{"Ticket":"abc"}`, queue.Subscribe{}, false},
		{`{"ticket":"abc","ticket":"def"}`, queue.Subscribe{}, false},
		{`{"since":1,"since":1}`, queue.Subscribe{}, false},
		{"{\"ticket\":\"ab\xffc\"}", queue.Subscribe{}, false},
		{`{"token":"a\udc00b"}`, queue.Subscribe{}, false},
		{`{"token":"\ud83d\ude00"}`, queue.Subscribe{Token: "\U0001F600"}, true},
	} {
		got, err := DecodeSubscribe([]byte(tc.in))
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("DecodeSubscribe(%q): got %+v, %v; want %+v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && (err.Code != CodeBadSubscribe || err.Message == "") {
			t.Errorf("DecodeSubscribe(%q): got error %+v", tc.in, err)
		}
	}
}

// FuzzDecodeSubscribe: any bytes give either a subscription that encodes
// back to the same fields or an error for the client, never a panic.
func FuzzDecodeSubscribe(f *testing.F) {
	for _, s := range []string{`{}`, `{"token":"t","since":7,"counter":"4","ticket":"x"}`, `{"since":18446744073709551615}`,
		`{"since":18446744073709551616}`, `{"token":"\u00e8\ud800"}`, `{"a":1}`, `[1]`, `"x"`, `{}{}`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sub, err := DecodeSubscribe(data)
		if err != nil {
			if err.Code == "" || err.Message == "" || sub != (queue.Subscribe{}) {
				t.Fatalf("got %+v with error %+v", sub, err)
			}
			return
		}
		again, err2 := json.Marshal(sub)
		if err2 != nil {
			t.Fatal(err2)
		}
		if back, err := DecodeSubscribe(again); err != nil || back != sub {
			t.Fatalf("round trip: got %+v %v, want %+v", back, err, sub)
		}
	})
}
