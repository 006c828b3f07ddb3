// Package strictjson decodes the JSON that clients send (API bodies, the
// stream's subscribe message) as strictly as the API documents it: one
// object, valid UTF-8, every key spelled exactly as documented and given
// once, values of the right types, nothing after it.
//
// encoding/json alone is lenient in ways an API must not be: it matches keys
// case-insensitively ({"SERVICE":…} fills Service), keeps the last of two
// equal keys, and replaces invalid UTF-8 and lone surrogates with U+FFFD, so
// two different idempotency keys could become one. Decode checks the text
// for all of these first, then lets encoding/json fill the value.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Error codes, shared with the API's error bodies.
const (
	CodeBadJSON        = "bad_json"
	CodeWrongType      = "wrong_type"
	CodeUnknownField   = "unknown_field"
	CodeDuplicateField = "duplicate_field"
	CodeInvalidUTF8    = "invalid_utf8"
)

// maxDepth bounds nesting: the API's documents are flat.
const maxDepth = 32

// Error says why a document was refused, in words for the client.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Decode reads data, which must hold one JSON value, into dst (a pointer).
// what names the document in messages ("the body", "the subscribe
// message"). An empty document is an error: callers that accept none check
// for it first.
func Decode(data []byte, dst any, what string) *Error {
	if i := invalidUTF8(data); i >= 0 {
		return errorf(CodeInvalidUTF8, "%s is not valid UTF-8 (at byte %d)", what, i)
	}
	if i := loneSurrogate(data); i >= 0 {
		return errorf(CodeInvalidUTF8, "%s holds an invalid character escape (a lone surrogate at byte %d): text must be valid Unicode", what, i)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := walk(dec, reflect.TypeOf(dst), 0); err != nil {
		return describe(err, what)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errorf(CodeBadJSON, "%s must be one JSON object and nothing after it", what)
	}
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return describe(err, what)
	}
	return nil
}

// fieldError is a key the document must not have.
type fieldError struct {
	code, key string
}

func (e *fieldError) Error() string { return e.code + " " + e.key }

var errTooDeep = errors.New("nested too deeply")

// walk reads one value from dec, checking that every object's keys are
// distinct and, where the destination is a struct, are its JSON names
// exactly. Types that decode themselves (time.Time, custom unmarshalers)
// are not looked into; mismatched types are left for json.Decode to report.
func walk(dec *json.Decoder, t reflect.Type, depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && decodesItself(t) {
		t = nil
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil // a scalar
	}
	switch delim {
	case '{':
		var fields map[string]reflect.Type
		var elem reflect.Type
		if t != nil {
			switch t.Kind() {
			case reflect.Struct:
				fields = jsonFields(t)
			case reflect.Map:
				elem = t.Elem()
			}
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := tok.(string)
			if seen[key] {
				return &fieldError{CodeDuplicateField, key}
			}
			seen[key] = true
			vt := elem
			if fields != nil {
				ft, ok := fields[key]
				if !ok {
					return &fieldError{CodeUnknownField, key}
				}
				vt = ft
			}
			if err := walk(dec, vt, depth+1); err != nil {
				return err
			}
		}
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for dec.More() {
			if err := walk(dec, elem, depth+1); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func decodesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler)
}

// jsonFields returns a struct's JSON keys, as encoding/json names them, and
// their types; the fields of embedded structs without a tag are promoted.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for _, f := range reflect.VisibleFields(t) {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if name == "" && ft.Kind() == reflect.Struct {
				continue // its fields are visible on their own
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := fields[name]; !dup || len(f.Index) == 1 {
			fields[name] = f.Type
		}
	}
	return fields
}

// describe turns a decoding error into the client's error.
func describe(err error, what string) *Error {
	var (
		fe  *fieldError
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &fe) && fe.code == CodeDuplicateField:
		return errorf(CodeDuplicateField, "field %q is given twice in %s", fe.key, what)
	case errors.As(err, &fe):
		return errorf(CodeUnknownField, "unknown field %q (field names are lower case, exactly as documented)", fe.key)
	case errors.Is(err, errTooDeep):
		return errorf(CodeBadJSON, "%s is nested more than %d levels deep", what, maxDepth)
	case errors.Is(err, io.EOF):
		return errorf(CodeBadJSON, "%s is empty; send a JSON object", what)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(CodeBadJSON, "%s is truncated JSON", what)
	case errors.As(err, &syn):
		return errorf(CodeBadJSON, "%s is not valid JSON (at byte %d)", what, syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return errorf(CodeWrongType, "%s must be a JSON object", what)
		}
		return errorf(CodeWrongType, "field %q must be %s, not %s", typ.Field, kind(typ.Type.Kind()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errorf(CodeUnknownField, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		return errorf(CodeBadJSON, "%s is not valid JSON: %v", what, err)
	}
}

func kind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number, 0 or more"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	default:
		return "a number"
	}
}

// invalidUTF8 returns the offset of the first byte that is not valid UTF-8,
// or -1.
func invalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// loneSurrogate returns the offset of a \uD800-\uDFFF escape inside a
// string that is not half of a valid pair, or -1. encoding/json would turn
// it into U+FFFD silently.
func loneSurrogate(data []byte) int {
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !inString {
			if c == '"' {
				inString = true
			}
			continue
		}
		switch c {
		case '"':
			inString = false
		case '\\':
			if i+1 >= len(data) {
				return -1 // truncated: the syntax check says so
			}
			if data[i+1] != 'u' {
				i++ // \" \\ \/ \b …: skip the escaped character
				continue
			}
			r, ok := hex4(data, i+2)
			if !ok {
				i++
				continue // not an escape json accepts: its syntax check says so
			}
			switch {
			case r >= 0xD800 && r < 0xDC00: // a high surrogate needs a low one next
				if i+7 < len(data) && data[i+6] == '\\' && data[i+7] == 'u' {
					if lo, ok := hex4(data, i+8); ok && lo >= 0xDC00 && lo < 0xE000 {
						i += 11
						continue
					}
				}
				return i
			case r >= 0xDC00 && r < 0xE000:
				return i
			}
			i += 5
		}
	}
	return -1
}

// hex4 reads four hex digits at data[i:].
func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
