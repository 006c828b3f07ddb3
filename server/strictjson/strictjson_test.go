package strictjson

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

type inner struct {
	Name string `json:"name"`
}

type Embedded struct {
	Shared string `json:"shared"`
}

type doc struct {
	Embedded
	Service  string            `json:"service"`
	Count    uint64            `json:"count,omitempty"`
	Items    []inner           `json:"items"`
	Labels   map[string]string `json:"labels"`
	At       time.Time         `json:"at"`
	Ptr      *inner            `json:"ptr"`
	Untagged string
	Skipped  string `json:"-"`
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		code     string // "" = accepted
	}{
		{"plain", `{"service":"a","count":2}`, ""},
		{"every kind of field", `{"shared":"s","items":[{"name":"x"}],"labels":{"A":"b","a":"c"},"at":"2026-11-24T09:00:00Z","ptr":{"name":"p"},"Untagged":"u"}`, ""},
		{"whitespace and null", " {\"ptr\":null} \n", ""},
		{"a valid surrogate pair", `{"service":"\ud83d\ude00 \u00e8 \\ud800"}`, ""},
		{"escaped quote before an escape", `{"service":"\"\u00e8"}`, ""},
		{"upper case", `{"SERVICE":"a"}`, CodeUnknownField},
		{"capitalised", `{"Service":"a"}`, CodeUnknownField},
		{"untagged field in another case", `{"untagged":"u"}`, CodeUnknownField},
		{"skipped field", `{"Skipped":"x"}`, CodeUnknownField},
		{"nested case variant", `{"items":[{"NAME":"x"}]}`, CodeUnknownField},
		{"pointer case variant", `{"ptr":{"Name":"x"}}`, CodeUnknownField},
		{"unknown", `{"vip":true}`, CodeUnknownField},
		{"duplicate", `{"service":"a","service":"b"}`, CodeDuplicateField},
		{"duplicate in a nested object", `{"items":[{"name":"x","name":"y"}]}`, CodeDuplicateField},
		{"duplicate map key", `{"labels":{"a":"1","a":"2"}}`, CodeDuplicateField},
		{"duplicate of an unknown field", `{"x":1,"x":2}`, CodeUnknownField},
		{"invalid UTF-8", "{\"service\":\"a\xff\"}", CodeInvalidUTF8},
		{"overlong encoding", "{\"service\":\"\xc0\xaf\"}", CodeInvalidUTF8},
		{"lone high surrogate", `{"service":"\ud800"}`, CodeInvalidUTF8},
		{"lone low surrogate", `{"service":"\udc00x"}`, CodeInvalidUTF8},
		{"high surrogate then a letter escape", `{"service":"\ud800\u0041"}`, CodeInvalidUTF8},
		{"reversed pair", `{"service":"\ude00\ud83d"}`, CodeInvalidUTF8},
		{"wrong type", `{"count":"2"}`, CodeWrongType},
		{"negative count", `{"count":-1}`, CodeWrongType},
		{"array", `[]`, CodeWrongType},
		{"trailing data", `{} {}`, CodeBadJSON},
		{"truncated", `{"service":`, CodeBadJSON},
		{"empty", ``, CodeBadJSON},
		{"not JSON", `service=a`, CodeBadJSON},
		{"too deep", `{"labels":` + string(repeat('[', 40)) + string(repeat(']', 40)) + `}`, CodeBadJSON},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			err := Decode([]byte(tc.in), &d, "the body")
			switch {
			case tc.code == "" && err != nil:
				t.Fatalf("got %v, want it accepted", err)
			case tc.code != "" && (err == nil || err.Code != tc.code || err.Message == ""):
				t.Fatalf("got %+v, want %s", err, tc.code)
			}
		})
	}
}

func repeat(c byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return b
}

// FuzzDecode: whatever the bytes, Decode refuses with a code and a message,
// or accepts exactly what encoding/json reads from them.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"service":"a","count":2}`, `{"SERVICE":"a"}`, `{"service":"a","service":"b"}`,
		`{"items":[{"name":"x"}],"labels":{"a":"b"}}`, "{\"service\":\"\xff\"}", `{"service":"\ud800"}`,
		`{"service":"\ud83d\ude00"}`, `{"at":"2026-11-24T09:00:00Z"}`, `[]`, `null`, `{} {}`, `{"ptr":{"name":"\\u"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got doc
		if err := Decode(data, &got, "the body"); err != nil {
			if err.Code == "" || err.Message == "" {
				t.Fatalf("%q: an error without code or message: %+v", data, err)
			}
			return
		}
		var want doc
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("%q: accepted, but encoding/json refuses it: %v", data, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %+v, encoding/json reads %+v", data, got, want)
		}
	})
}
