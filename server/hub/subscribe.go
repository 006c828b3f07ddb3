package hub

import (
	"fmt"

	"turno/server/queue"
	"turno/server/strictjson"
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
	// A stream of a login session ends with one of these when the session
	// does: logged out, or expired.
	CodeLoggedOut      = "logged_out"
	CodeSessionExpired = "session_expired"
	// CodeTooManyStreams refuses a phone beyond the caps per ticket and
	// per address (Options.PhonesPerTicket, PhonesPerAddress).
	CodeTooManyStreams = "too_many_streams"
)

// errTooBig refuses a subscribe message over MaxMessage; the close that
// follows it says so too (1009).
var errTooBig = wireError(CodeBadSubscribe, "the subscribe message is larger than %d bytes", MaxMessage)

func wireError(code, format string, args ...any) *queue.WireError {
	return &queue.WireError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// DecodeSubscribe reads the client's first message strictly (package
// strictjson): one JSON object with only Subscribe's fields, spelled exactly
// and given once, of the right types, in valid UTF-8, and nothing after it.
// The error is meant for the client's error frame.
func DecodeSubscribe(data []byte) (queue.Subscribe, *queue.WireError) {
	var sub queue.Subscribe
	if len(data) > MaxMessage {
		return sub, errTooBig
	}
	if err := strictjson.Decode(data, &sub, "the subscribe message"); err != nil {
		return queue.Subscribe{}, wireError(CodeBadSubscribe, "%s", err.Message)
	}
	return sub, nil
}
