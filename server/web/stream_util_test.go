package web_test

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"turno/server/config"
	"turno/server/hub"
	"turno/server/live"
	"turno/server/queue"
	"turno/server/store"
	"turno/server/web"
)

// streaming is a real server with the stream wired as server/main.go wires
// it: the hub built from the log, live publishing into it.
type streaming struct {
	*office
	hub *hub.Hub
	opt hub.Options
}

func startStreaming(t testing.TB, path string, clk *clock, cfg *config.Config, opt hub.Options) *streaming {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	last, err := db.LastSeq()
	if err != nil {
		t.Fatal(err)
	}
	history, err := db.EventsSince(last-min(last, hub.DefaultRingSize), 0)
	if err != nil {
		t.Fatal(err)
	}
	o := opt
	o.Config, o.Last, o.History = &cfg.Office, last, history
	o.Devices, o.Now = cfg.DeviceList(), clk.Now
	h := hub.New(o)
	lo, err := live.Open(&cfg.Office, db, live.Options{Now: clk.Now, Publish: h.Publish})
	if err != nil {
		t.Fatal(err)
	}
	h.Start(lo)
	api, err := web.New(web.Options{Config: cfg, Office: lo, Store: db, Now: clk.Now, Hub: h})
	if err != nil {
		t.Fatal(err)
	}
	s := &streaming{
		office: &office{t: t, clock: clk, path: path, cfg: cfg, db: db, live: lo, http: httptest.NewServer(api), tokens: map[string]string{}},
		hub:    h, opt: opt,
	}
	t.Cleanup(s.stop)
	return s
}

func newStreaming(t *testing.T, now time.Time, opt hub.Options) *streaming {
	return startStreaming(t, t.TempDir()+"/turno.db", &clock{t: now}, demo(t), opt)
}

// stop closes the hub first (clients hear goodbye), then the rest.
func (s *streaming) stop() {
	if s.office.http == nil {
		return
	}
	s.hub.Close()
	s.office.stop()
}

func (s *streaming) restart() *streaming {
	s.stop()
	n := startStreaming(s.t, s.path, s.clock, s.cfg, s.opt)
	n.tokens = s.tokens
	return n
}

func (s *streaming) wsURL() string {
	return "ws" + strings.TrimPrefix(s.http.URL, "http") + "/api/v1/stream"
}

// wsClient is a real websocket client; a goroutine reads its frames.
type wsClient struct {
	t      testing.TB
	conn   *websocket.Conn
	frames chan frame
	done   chan struct{}
	err    error // why reading ended; read after done
}

// frame is a received frame and its raw JSON.
type frame struct {
	queue.Frame
	raw string
}

// dial connects, with header as the Authorization token if not empty, and
// sends sub as the first message.
func (s *streaming) dial(t testing.TB, header string, sub any) *wsClient {
	t.Helper()
	c, err := s.tryDial(header, sub, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.t = t
	t.Cleanup(func() { c.conn.Close(); <-c.done })
	return c
}

func (s *streaming) tryDial(header string, sub any, d *websocket.Dialer) (*wsClient, error) {
	if d == nil {
		d = websocket.DefaultDialer
	}
	h := http.Header{}
	if header != "" {
		h.Set("Authorization", "Bearer "+header)
	}
	conn, resp, err := d.Dial(s.wsURL(), h)
	if err != nil {
		if resp != nil {
			return nil, errors.New("dial: " + resp.Status)
		}
		return nil, err
	}
	data, err := json.Marshal(sub)
	if s, ok := sub.(string); ok {
		data = []byte(s)
	}
	if err == nil {
		err = conn.WriteMessage(websocket.TextMessage, data)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	c := &wsClient{conn: conn, frames: make(chan frame, 4096), done: make(chan struct{})}
	go c.read()
	return c, nil
}

func (c *wsClient) read() {
	defer close(c.done)
	defer close(c.frames)
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			c.err = err
			return
		}
		var f frame
		if err := json.Unmarshal(data, &f.Frame); err != nil {
			c.err = err
			return
		}
		f.raw = string(data)
		c.frames <- f
	}
}

// next returns the next frame, failing the test after a while.
func (c *wsClient) next() frame {
	c.t.Helper()
	select {
	case f, ok := <-c.frames:
		if !ok {
			c.t.Fatalf("stream ended: %v", c.err)
		}
		return f
	case <-time.After(5 * time.Second):
		c.t.Fatal("no frame within 5 s")
	}
	return frame{}
}

// until collects frames up to and including the first one ok accepts.
func (c *wsClient) until(ok func(frame) bool) []frame {
	c.t.Helper()
	var got []frame
	for {
		f := c.next()
		got = append(got, f)
		if ok(f) {
			return got
		}
	}
}

// ended waits for the server to end the stream and returns the close error.
func (c *wsClient) ended() error {
	c.t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-c.frames:
			if !ok {
				return c.err
			}
		case <-timeout:
			c.t.Fatal("the stream did not end within 5 s")
		}
	}
}

func eventOf(typ string) func(frame) bool {
	return func(f frame) bool { return f.Type == queue.FrameEvent && f.Event.Type == typ }
}

// events keeps the event frames.
func events(frames []frame) []*queue.Event {
	var evs []*queue.Event
	for _, f := range frames {
		if f.Type == queue.FrameEvent {
			evs = append(evs, f.Event)
		}
	}
	return evs
}

// noLeaks fails the test if goroutines started during it are still running
// once its cleanups are done (it registers first, so it runs last).
func noLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			http.DefaultClient.CloseIdleConnections()
			n := runtime.NumGoroutine()
			if n <= before {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Fatalf("goroutines: got %d, want at most %d\n%s", n, before, buf[:runtime.Stack(buf, true)])
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// smallBufferDialer connects with a tiny receive buffer, set before the
// connection is made so that the advertised window stays small: a client
// that does not read then fills up the server's side quickly.
func smallBufferDialer() *websocket.Dialer {
	d := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048)
		})
		if err != nil {
			return err
		}
		return serr
	}}
	return &websocket.Dialer{HandshakeTimeout: 5 * time.Second, NetDialContext: d.DialContext}
}
