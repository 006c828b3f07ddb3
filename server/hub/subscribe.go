package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"turno/server/queue"
)

// MaxMessage bounds what a client may send: the subscribe message is a few
// short fields (a token is at most 512 characters).
const MaxMessage = 4096

// Error codes of the stream's error frames.
const (
	CodeBadSubscribe = "bad_subscribe"
	CodeTimeout      = "subscribe_timeout"
	CodeUnavailable  = "unavailable"
	CodeInternal     = "internal"
)

func wireError(code, format string, args ...any) *queue.WireError {
	return &queue.WireError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// DecodeSubscribe reads the client's first message strictly: one JSON object
// with only Subscribe's fields, of the right types, and nothing after it.
// The error is meant for the client's error frame.
func DecodeSubscribe(data []byte) (queue.Subscribe, *queue.WireError) {
	var sub queue.Subscribe
	if len(data) > MaxMessage {
		return sub, wireError(CodeBadSubscribe, "the subscribe message is larger than %d bytes", MaxMessage)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sub); err != nil {
		return queue.Subscribe{}, decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return queue.Subscribe{}, wireError(CodeBadSubscribe, "the subscribe message must be one JSON object and nothing after it")
	}
	return sub, nil
}

func decodeError(err error) *queue.WireError {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return wireError(CodeBadSubscribe, "the subscribe message is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return wireError(CodeBadSubscribe, "the subscribe message is truncated JSON")
	case errors.As(err, &syn):
		return wireError(CodeBadSubscribe, "the subscribe message is not valid JSON (at byte %d)", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return wireError(CodeBadSubscribe, "the subscribe message must be a JSON object")
		}
		return wireError(CodeBadSubscribe, "field %q has the wrong type (%s)", typ.Field, typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return wireError(CodeBadSubscribe, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		return wireError(CodeBadSubscribe, "the subscribe message is not valid JSON")
	}
}
