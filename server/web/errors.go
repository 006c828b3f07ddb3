package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"turno/server/live"
	"turno/server/queue"
)

// apiError is an error the API answers with its own status and code.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Message }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Errors of the transport itself; the domain's come from queue.
var (
	errUnauthorized = &apiError{http.StatusUnauthorized, "unauthorized", "a valid Bearer token is required"}
	errBadLogin     = &apiError{http.StatusUnauthorized, "bad_credentials", "unknown user or wrong password"}
)

// errorBody is the JSON of every error: {"error":{"code","message"}}, plus
// the refusal's details when a numerator turns a ticket away.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code        string     `json:"code"`
	Message     string     `json:"message"`
	Service     string     `json:"service,omitempty"`
	ReopensAt   *time.Time `json:"reopens_at,omitempty"`
	Appointment *bool      `json:"appointment,omitempty"`
	// CheckIn says why a check-in was refused and what to do.
	CheckIn *queue.CheckInRefusal `json:"check_in,omitempty"`
}

var kindStatus = map[queue.Kind]int{
	queue.KindInvalid:   http.StatusBadRequest,
	queue.KindNotFound:  http.StatusNotFound,
	queue.KindConflict:  http.StatusConflict,
	queue.KindForbidden: http.StatusForbidden,
}

// errorResponse maps any error to its status and body. Unknown errors are
// internal: their text stays in the log, not in the response.
func errorResponse(err error) (int, errorBody, bool) {
	var (
		ae  *apiError
		qe  *queue.Error
		ref *queue.Refusal
		cir *queue.CheckInRefusal
	)
	switch {
	case errors.As(err, &ae):
		return ae.Status, errorBody{errorDetail{Code: ae.Code, Message: ae.Message}}, false
	case errors.As(err, &ref):
		appt := ref.Appointment
		return http.StatusConflict, errorBody{errorDetail{Code: ref.Rule, Message: ref.Message, Service: ref.Service, ReopensAt: ref.ReopensAt, Appointment: &appt}}, false
	case errors.As(err, &cir):
		status := http.StatusConflict
		if cir.Reason == queue.CheckInUnknown {
			status = http.StatusNotFound
		}
		return status, errorBody{errorDetail{Code: "checkin_" + cir.Reason, Message: cir.Message, Service: cir.Service, CheckIn: cir}}, false
	case errors.As(err, &qe):
		status := kindStatus[qe.Kind]
		if status == 0 {
			status = http.StatusBadRequest
		}
		return status, errorBody{errorDetail{Code: qe.Code, Message: qe.Message}}, false
	case errors.Is(err, live.ErrClosed):
		return http.StatusServiceUnavailable, errorBody{errorDetail{Code: "unavailable", Message: "the server is shutting down"}}, false
	default:
		return http.StatusInternalServerError, errorBody{errorDetail{Code: "internal", Message: "internal error; the change was not saved"}}, true
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
