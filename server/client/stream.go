package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"turno/server/queue"
)

// Defaults of StreamOptions.
const (
	DefaultMinBackoff = 500 * time.Millisecond
	// DefaultMaxBackoff caps the wait between attempts, so that an app is
	// back within 2 s of its server: the first attempt after the server's
	// return starts at most this long after it. An attempt on a server that
	// is down costs one refused connection, nothing worth a slower return.
	// (A 30 s cap, doubling from 0.5 s, kept the counter console waiting
	// 13-16 s after a restart of a few seconds.)
	DefaultMaxBackoff = 1500 * time.Millisecond
	// DefaultReadTimeout is how long a connection may stay silent before it
	// is given up: the server pings well within it (hub.DefaultPongWait).
	DefaultReadTimeout = 25 * time.Second
	writeTimeout       = 10 * time.Second
)

// StreamOptions say what a stream follows and how the app hears of it.
type StreamOptions struct {
	// Counter follows one counter's view (a clerk): that counter and the
	// tickets of its services.
	Counter string
	// Ticket follows one ticket's public view (a phone); no token needed.
	Ticket string

	// OnEvent is called for every event applied to the model, in order,
	// after the model has it: the hall display chimes on ticket.called and
	// ticket.recalled. After a reconnection it also gets the events missed
	// meanwhile (check Event.At to skip old news); after a fresh snapshot
	// it gets none. It runs on the stream's goroutine and must not block.
	OnEvent func(queue.Event)
	// OnChange is called after every frame that changed the model and every
	// change of connection status; read Stream.Model and Stream.Status
	// (Fyne apps: from fyne.Do). Same goroutine and rule as OnEvent.
	OnChange func()

	// MinBackoff and MaxBackoff bound the wait between reconnections,
	// which doubles after each failure, with jitter. A MaxBackoff over
	// DefaultMaxBackoff gives up the promise of being back within 2 s of
	// the server.
	MinBackoff, MaxBackoff time.Duration
	// Wait, if set, replaces the timer between two attempts: it returns
	// nil once d has passed, or ctx's error if ctx ends first. Tests count
	// the attempts and add up their delays with it instead of waiting.
	Wait func(ctx context.Context, d time.Duration) error
	// ReadTimeout replaces DefaultReadTimeout.
	ReadTimeout time.Duration
}

// ConnState is the state of a stream's connection.
type ConnState int

// Connection states.
const (
	Connecting   ConnState = iota // first attempt under way
	Connected                     // subscribed; frames flow
	Disconnected                  // lost; reconnecting with backoff
	Stopped                       // for good: closed, or refused (Status.Err)
)

func (s ConnState) String() string {
	switch s {
	case Connecting:
		return "connecting"
	case Connected:
		return "connected"
	case Disconnected:
		return "disconnected"
	case Stopped:
		return "stopped"
	}
	return fmt.Sprintf("ConnState(%d)", int(s))
}

// Status is what an app shows about its connection ("disconnected since
// 10:42, retrying").
type Status struct {
	State ConnState
	// Since is when the connection was made (Connected), lost
	// (Disconnected) or ended (Stopped), or the stream started (Connecting).
	Since time.Time
	// Err is why the stream is disconnected or stopped: wraps
	// ErrUnreachable for network trouble, a *Error for a refusal
	// (errors.As), ErrStreamClosed after Close.
	Err error
	// Retries counts failed attempts since the last connection;
	// NextAttempt is when the next one starts.
	Retries     int
	NextAttempt time.Time
}

// ErrStreamClosed is the final status error of a stream ended by Close or
// by its context.
var ErrStreamClosed = errors.New("stream closed")

// Stream is a live subscription that keeps a local model of the office:
// it reconnects by itself and resumes from the last sequence received.
type Stream struct {
	c       *Client
	opt     StreamOptions
	cancel  context.CancelFunc
	done    chan struct{}
	changes chan struct{}
	dialer  *websocket.Dialer

	mu     sync.Mutex
	model  *model
	status Status
	// offset is the server's clock minus ours, from the Date of the last
	// connection's handshake.
	offset time.Duration
}

// ServerNow is the server's current time as this stream last measured it
// (to the second): an app compares the server's event times with it, not
// with its own clock, which may be off.
func (s *Stream) ServerNow() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Now().Add(s.offset)
}

// Stream opens a live subscription and keeps it until Close, ctx's end, or
// a refusal that retrying cannot fix (a wrong or expired token, a forbidden
// or unknown counter or ticket): then the stream stops with Status.Err.
func (c *Client) Stream(ctx context.Context, opt StreamOptions) *Stream {
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = DefaultMinBackoff
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(DefaultMaxBackoff, opt.MinBackoff)
	}
	if opt.ReadTimeout <= 0 {
		opt.ReadTimeout = DefaultReadTimeout
	}
	if opt.Wait == nil {
		opt.Wait = sleep
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Stream{
		c: c, opt: opt, cancel: cancel, done: make(chan struct{}), changes: make(chan struct{}, 1),
		dialer: c.dialer(), model: newModel(),
		status: Status{State: Connecting, Since: time.Now()},
	}
	s.model.clerk = opt.Counter != ""
	go s.run(ctx)
	return s
}

// dialer shares the HTTP client's proxy and TLS settings.
func (c *Client) dialer() *websocket.Dialer {
	d := &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: 10 * time.Second,
		NetDialContext:   (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	}
	if t, ok := c.http.Transport.(*http.Transport); ok {
		d.Proxy = t.Proxy
		if t.TLSClientConfig != nil {
			d.TLSClientConfig = t.TLSClientConfig.Clone()
		}
	}
	return d
}

// Model returns a copy of the local model. Before the first snapshot it is
// empty (Seq 0).
func (s *Stream) Model() Model {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.model.clone()
}

// Status returns the connection's status.
func (s *Stream) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Changes receives a value after the model or status changed; changes
// that come while nobody reads are merged into one.
func (s *Stream) Changes() <-chan struct{} { return s.changes }

// Done is closed when the stream has stopped for good.
func (s *Stream) Done() <-chan struct{} { return s.done }

// Err returns why the stream stopped, or nil while it runs.
func (s *Stream) Err() error {
	select {
	case <-s.done:
		return s.Status().Err
	default:
		return nil
	}
}

// Close stops the stream and waits for its goroutines to end.
func (s *Stream) Close() {
	s.cancel()
	<-s.done
}

func (s *Stream) notify() {
	select {
	case s.changes <- struct{}{}:
	default:
	}
	if s.opt.OnChange != nil {
		s.opt.OnChange()
	}
}

func (s *Stream) setStatus(st Status) {
	s.mu.Lock()
	s.status = st
	s.mu.Unlock()
	s.c.logger.Info("stream", "state", st.State.String(), "err", st.Err, "retries", st.Retries)
	s.notify()
}

func (s *Stream) run(ctx context.Context) {
	defer close(s.done)
	retries := 0
	lost := time.Now()
	for {
		token := s.c.Token()
		connected, err := s.session(ctx, token)
		if ctx.Err() != nil {
			s.setStatus(Status{State: Stopped, Since: time.Now(), Err: ErrStreamClosed})
			return
		}
		// A session that ended (logout, expiry) ends its stream; if the app
		// has logged in again meanwhile, the stream goes on with the new one.
		if permanent(err) && !(sessionEnded(err) && s.c.Token() != token) {
			s.setStatus(Status{State: Stopped, Since: time.Now(), Err: err})
			return
		}
		if connected {
			retries, lost = 0, time.Now()
		}
		retries++
		delay := backoff(retries, s.opt.MinBackoff, s.opt.MaxBackoff)
		s.setStatus(Status{State: Disconnected, Since: lost, Err: err, Retries: retries, NextAttempt: time.Now().Add(delay)})
		if err := s.opt.Wait(ctx, delay); err != nil || ctx.Err() != nil {
			s.setStatus(Status{State: Stopped, Since: time.Now(), Err: ErrStreamClosed})
			return
		}
	}
}

// sleep is the default StreamOptions.Wait.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// backoff is the wait before attempt n (1, 2, ...): min × 2^(n-1), capped,
// then "equal jitter" (between half and all of it), so that the displays
// and counters of an office that lost its server do not all come back in
// the same millisecond.
func backoff(n int, lo, hi time.Duration) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d/2 + rand.N(d/2+1)
}

// Error codes of the stream that retrying can fix: the server was busy,
// starting or stopping, or the connection was slow to subscribe.
var transientCodes = map[string]bool{"subscribe_timeout": true, "unavailable": true, "internal": true}

// permanent reports whether reconnecting would only be refused again.
func permanent(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	if e.Status != 0 { // refused at the handshake
		return e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests && e.Status != http.StatusRequestTimeout
	}
	return !transientCodes[e.Code]
}

// sessionEnded reports whether err refuses the stream's login session:
// logged out, expired, or unknown.
func sessionEnded(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Status == http.StatusUnauthorized || e.Code == "logged_out" || e.Code == "session_expired" || e.Code == "unauthorized"
}

// wsURL is the stream's address: ws(s)://host/api/v1/stream.
func (c *Client) wsURL() string {
	u := *c.base
	u.Scheme = map[string]string{"http": "ws", "https": "wss"}[u.Scheme]
	return u.String() + "/api/v1/stream"
}

// session runs one connection until it fails; connected says whether the
// server sent anything but a refusal (so the backoff starts over).
func (s *Stream) session(ctx context.Context, tok string) (connected bool, err error) {
	header := http.Header{}
	if tok != "" {
		header.Set("Authorization", "Bearer "+tok)
	}
	conn, resp, err := s.dialer.DialContext(ctx, s.c.wsURL(), header)
	if err != nil {
		if resp != nil && resp.StatusCode >= 300 {
			defer resp.Body.Close()
			return false, fmt.Errorf("client: stream: %w", decodeError(resp))
		}
		return false, s.c.transportError(ctx, "GET", "/api/v1/stream", err)
	}
	defer conn.Close()
	if date, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		s.mu.Lock()
		s.offset = time.Until(date)
		s.mu.Unlock()
	}
	// Close the connection when the stream is closed, to end a blocked read.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	conn.SetReadLimit(MaxResponse)
	s.mu.Lock()
	since := uint64(0)
	if s.model.synced || s.opt.Ticket != "" {
		since = s.model.Seq
	}
	s.mu.Unlock()
	sub := queue.Subscribe{Since: since, Counter: s.opt.Counter, Ticket: s.opt.Ticket}
	_ = conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := conn.WriteJSON(sub); err != nil {
		return false, s.c.transportError(ctx, "GET", "/api/v1/stream", err)
	}
	// Connected as far as the app is concerned; an error frame may still
	// follow, which stops or restarts the stream.
	s.setStatus(Status{State: Connected, Since: time.Now()})
	extend := func() { _ = conn.SetReadDeadline(time.Now().Add(s.opt.ReadTimeout)) }
	extend()
	conn.SetPingHandler(func(data string) error {
		extend()
		err := conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeTimeout))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil
		}
		return err
	})

	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return connected, s.c.transportError(ctx, "GET", "/api/v1/stream", err)
		}
		extend()
		var f queue.Frame
		if err := json.Unmarshal(data, &f); err != nil {
			// A server that speaks garbage is not to be trusted with the
			// model; start over on a new connection.
			return connected, fmt.Errorf("client: stream: bad frame: %w", err)
		}
		if f.Type == queue.FrameError {
			we := f.Error
			if we == nil {
				we = &queue.WireError{Code: "unknown", Message: "the server refused the subscription"}
			}
			return connected, fmt.Errorf("client: stream: %w", &Error{Code: we.Code, Message: we.Message})
		}
		connected = true
		s.mu.Lock()
		applied, changed := s.model.apply(&f)
		s.mu.Unlock()
		if s.opt.OnEvent != nil {
			for _, ev := range applied {
				s.opt.OnEvent(ev)
			}
		}
		if changed {
			s.notify()
		}
	}
}
