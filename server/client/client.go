// Package client is the Go client of Turno's HTTP API, used by the kiosk,
// counter and display apps and by the integration tests: one typed method
// per endpoint, and a live Stream that keeps a local model of the office in
// sync over a websocket.
//
// Errors come in two kinds that apps handle differently:
//
//   - the server answered with an error: a *Error carrying the HTTP status,
//     the API's code and message (and, for a refused ticket, when the service
//     reopens). Test it with errors.As, IsCode, or errors.Is against the
//     domain's errors (errors.Is(err, queue.ErrQueueEmpty)).
//   - the server did not answer: the error wraps ErrUnreachable, so an app
//     can show "server unreachable" and try again.
//
// A Client is safe for concurrent use.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"turno/server/queue"
)

// Defaults of a Client.
const (
	// DefaultTimeout bounds a whole API call (connect, send, answer) unless
	// the caller's context ends sooner. Every call is a few small JSON
	// objects on a local network; a server that takes longer is as good as
	// unreachable for a clerk waiting at the counter.
	DefaultTimeout = 15 * time.Second
	// MaxResponse bounds the body of an answer. The largest one is the
	// snapshot of a busy day: hundreds of tickets, well under a megabyte.
	MaxResponse = 16 << 20
	// maxErrorBody bounds what is read of an error answer.
	maxErrorBody = 64 << 10
)

// ErrUnreachable is wrapped by every error that means the server did not
// answer: refused connection, DNS failure, timeout, a reply cut short, or a
// gateway in front of it saying so (502, 503, 504).
var ErrUnreachable = errors.New("server unreachable")

// Error is an error answer of the API.
type Error struct {
	Status  int    // HTTP status
	Code    string // stable, machine-readable: "queue_empty", "cutoff_time", ...
	Message string // for people

	// Set when the numerator refused a ticket (Code is the rule).
	Service     string
	ReopensAt   *time.Time // when the service issues tickets again, if known
	Appointment *bool      // whether the service can be booked instead

	// CheckIn is set when a check-in was refused: why, and what to do.
	CheckIn *queue.CheckInRefusal
}

func (e *Error) Error() string {
	if e.Status == 0 { // refused inside the stream, after the HTTP handshake
		return fmt.Sprintf("%s (%s)", e.Message, e.Code)
	}
	return fmt.Sprintf("%s (%s, HTTP %d)", e.Message, e.Code, e.Status)
}

// Is lets callers match an answer against the domain's errors by code, as
// the server does (errors.Is(err, queue.ErrQueueEmpty)), and treats a server
// that says it cannot serve now (503, or a gateway's 502 and 504) as
// unreachable.
func (e *Error) Is(target error) bool {
	if target == ErrUnreachable {
		return e.Status == http.StatusBadGateway || e.Status == http.StatusServiceUnavailable || e.Status == http.StatusGatewayTimeout
	}
	var qe *queue.Error
	if errors.As(target, &qe) {
		return qe.Code == e.Code
	}
	return false
}

// Refusal returns the refusal of a ticket as the domain describes it, or nil
// when the error is not one.
func (e *Error) Refusal() *queue.Refusal {
	if e.CheckIn != nil || (e.Service == "" && e.ReopensAt == nil && e.Appointment == nil) {
		return nil
	}
	r := &queue.Refusal{Rule: e.Code, Service: e.Service, ReopensAt: e.ReopensAt, Message: e.Message}
	if e.Appointment != nil {
		r.Appointment = *e.Appointment
	}
	return r
}

// IsCode reports whether err is an API error with one of the codes.
func IsCode(err error, codes ...string) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.Code == c {
			return true
		}
	}
	return false
}

// StatusOf returns the HTTP status of an API error, or 0 for any other error.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// IsAuth reports whether err means the caller must log in (again): no token,
// a wrong or expired one, or wrong credentials.
func IsAuth(err error) bool { return StatusOf(err) == http.StatusUnauthorized }

// Client calls one Turno server.
type Client struct {
	base    *url.URL
	http    *http.Client
	logger  *slog.Logger
	timeout time.Duration

	mu    sync.Mutex
	token string
}

// Option configures a Client.
type Option func(*Client)

// WithToken sets the token sent with every call: a kiosk's or display's
// configured device token, or a session token kept from an earlier Login.
func WithToken(token string) Option { return func(c *Client) { c.token = token } }

// WithHTTPClient replaces the HTTP client (its transport is also used for
// the stream's TLS settings).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithLogger sets the logger; the default discards.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.logger = l } }

// WithTimeout replaces DefaultTimeout; 0 leaves calls bounded only by their
// context. Backup is never bounded by it.
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// New returns a client of the server at baseURL ("http://10.0.0.5:8080").
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("client: server address: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("client: server address %q: want http://host:port or https://host", baseURL)
	}
	c := &Client{base: u, timeout: DefaultTimeout}
	for _, o := range opts {
		o(c)
	}
	if c.http == nil {
		c.http = &http.Client{Transport: defaultTransport()}
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// defaultTransport fails fast on a dead address: the apps would rather say
// "server unreachable" in seconds than hang for the system's TCP timeout.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 5 * time.Second
	t.ResponseHeaderTimeout = DefaultTimeout
	return t
}

// BaseURL returns the server's address.
func (c *Client) BaseURL() string { return c.base.String() }

// Token returns the token sent with calls ("" if none).
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// SetToken replaces the token sent with calls.
func (c *Client) SetToken(token string) {
	c.mu.Lock()
	c.token = token
	c.mu.Unlock()
}

// endpoint joins the base URL and a path whose variable parts the caller
// escaped.
func (c *Client) endpoint(path string) string { return c.base.String() + path }

// call sends a JSON request and decodes a JSON answer into out (if not nil).
// It returns the status of a successful answer.
func (c *Client) call(ctx context.Context, method, path string, in, out any) (int, error) {
	return c.callWith(ctx, c.Token(), method, path, in, out)
}

// callWith is call with an explicit token ("" for none).
func (c *Client) callWith(ctx context.Context, token, method, path string, in, out any) (int, error) {
	resp, cancel, err := c.send(ctx, token, method, path, in, true)
	if err != nil {
		return 0, err
	}
	defer cancel()
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		return resp.StatusCode, nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponse+1))
	if err != nil {
		return 0, c.transportError(ctx, method, path, err)
	}
	if len(data) > MaxResponse {
		return 0, fmt.Errorf("client: %s %s: the answer is larger than %d bytes", method, path, MaxResponse)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return 0, fmt.Errorf("client: %s %s: bad answer: %w", method, path, err)
	}
	return resp.StatusCode, nil
}

// send performs a request and turns error answers into *Error. On success
// the caller reads and closes the body, then calls cancel.
func (c *Client) send(ctx context.Context, token, method, path string, in any, bounded bool) (*http.Response, context.CancelFunc, error) {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return nil, nil, fmt.Errorf("client: %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(data)
	}
	rctx, cancel := ctx, context.CancelFunc(func() {})
	if bounded && c.timeout > 0 {
		rctx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	req, err := http.NewRequestWithContext(rctx, method, c.endpoint(path), body)
	if err != nil {
		cancel()
		return nil, nil, fmt.Errorf("client: %s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		cancel()
		return nil, nil, c.transportError(ctx, method, path, err)
	}
	c.logger.Debug("api call", "method", method, "path", path, "status", resp.StatusCode, "took", time.Since(start))
	if resp.StatusCode >= 300 {
		defer cancel()
		defer resp.Body.Close()
		return nil, nil, decodeError(resp)
	}
	return resp, cancel, nil
}

// transportError classifies a failure without an answer: the caller's own
// cancellation stays what it is, anything else means unreachable.
func (c *Client) transportError(ctx context.Context, method, path string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("client: %s %s: %w", method, path, ctx.Err())
	}
	c.logger.Debug("server unreachable", "method", method, "path", path, "err", err)
	return fmt.Errorf("client: %s %s: %w: %w", method, path, ErrUnreachable, err)
}

// decodeError reads an error answer: {"error":{"code","message",...}}, or
// whatever a proxy in between sent.
func decodeError(resp *http.Response) error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var body struct {
		Error struct {
			Code        string                `json:"code"`
			Message     string                `json:"message"`
			Service     string                `json:"service"`
			ReopensAt   *time.Time            `json:"reopens_at"`
			Appointment *bool                 `json:"appointment"`
			CheckIn     *queue.CheckInRefusal `json:"check_in"`
		} `json:"error"`
	}
	if err := json.Unmarshal(data, &body); err != nil || body.Error.Code == "" {
		msg := http.StatusText(resp.StatusCode)
		if msg == "" {
			msg = "unexpected answer"
		}
		return &Error{Status: resp.StatusCode, Code: fmt.Sprintf("http_%d", resp.StatusCode), Message: msg}
	}
	b := body.Error
	return &Error{Status: resp.StatusCode, Code: b.Code, Message: b.Message, Service: b.Service, ReopensAt: b.ReopensAt, Appointment: b.Appointment, CheckIn: b.CheckIn}
}
