package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"turno/server/strictjson"
)

// maxBody bounds every request body: the API's bodies are a few fields.
const maxBody = 16 << 10

// decode reads one JSON object into dst, strictly (package strictjson):
// keys exactly as documented and once each, valid UTF-8, the right types,
// nothing after it, at most maxBody bytes. An empty body is accepted as {}
// when optional is true.
func decode(w http.ResponseWriter, r *http.Request, dst any, optional bool) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "send JSON with Content-Type: application/json, not %q", ct)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errorf(http.StatusRequestEntityTooLarge, "body_too_large", "the body is larger than %d bytes", mbe.Limit)
	}
	if err != nil {
		return errorf(http.StatusBadRequest, "bad_json", "the body could not be read: %v", err)
	}
	if len(bytes.TrimSpace(data)) == 0 && optional {
		return nil
	}
	if jerr := strictjson.Decode(data, dst, "the body"); jerr != nil {
		return errorf(http.StatusBadRequest, jerr.Code, "%s", jerr.Message)
	}
	return nil
}
