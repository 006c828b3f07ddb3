package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// FuzzAPIBodies sends arbitrary bodies to every endpoint that reads one, as
// the role allowed to call it, on one real office. Whatever the body, the
// answer is a success or a JSON error with a code and a message, never an
// internal error: malformed input is refused, not half-applied.
func FuzzAPIBodies(f *testing.F) {
	o := newOffice(f, tuesday("09:00"))
	endpoints := []struct{ user, path string }{
		{"", "/api/v1/tickets"}, // the kiosk
		{"mario", "/api/v1/counters/1/open"},
		{"mario", "/api/v1/counters/1/next"},
		{"mario", "/api/v1/counters/1/finish"},
		{"mario", "/api/v1/counters/1/transfer"},
		{"mario", "/api/v1/counters/1/reactivate"},
		{"mario", "/api/v1/counters/1/close"},
		{"luca", "/api/v1/counters/6/register"},
		{"anna", "/api/v1/services/tributi/lock"},
		{"anna", "/api/v1/hall/message"},
		{"anna", "/api/v1/contacts"},
		{"", "/api/v1/login"},
	}
	tokens := map[string]string{"": kioskToken}
	for _, e := range endpoints {
		if e.user != "" {
			tokens[e.user] = o.token(e.user)
		}
	}
	for i, seed := range []string{
		`{"service":"anagrafe"}`, `{"service":"anagrafe","priority":true,"idempotency_key":"k"}`,
		`{"services":["anagrafe","tributi"]}`, `{}`, ``, `{"outcome":"forwarded","case_ref":"X-1","note":"n"}`,
		`{"service":"tributi","to_back":true}`, `{"ticket":"A001"}`, `{"force":true}`, `{"document":"d"}`,
		`{"reason":"r"}`, `{"text":"t"}`, `{"service":"","topic":"t"}`, `{"user":"mario","password":"x"}`,
		`{"SERVICE":"anagrafe"}`, `{"service":"anagrafe","service":"tributi"}`, `{"text":"\ud800"}`,
		`[]`, `null`, `"x"`, `{"service":1}`, `{"services":null}`, "{\"service\":\"\xff\"}", `{"a":{"b":[1,2,{"c":null}]}}`,
	} {
		f.Add(uint8(i), []byte(seed))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		e := endpoints[int(which)%len(endpoints)]
		req, err := http.NewRequest("POST", o.http.URL+e.path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tokens[e.user])
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		status := resp.StatusCode
		if status >= 500 {
			t.Fatalf("POST %s %q: got %d %s", e.path, body, status, data)
		}
		if status >= 300 {
			var resp struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(data, &resp); err != nil || resp.Error.Code == "" || resp.Error.Message == "" {
				t.Fatalf("POST %s %q: got %d and not an error body: %s", e.path, body, status, data)
			}
		}
	})
}
