package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"turno/server/config"
)

// served is the whole server, wired by serve as main wires it, running
// in-process with an injected clock.
type served struct {
	t          *testing.T
	url        string
	metricsURL string
	logs       *syncBuffer // the server's log, JSON lines
	client     *http.Client
	cancel     context.CancelFunc
	done       chan error
}

// syncBuffer is a buffer the server's log writes while a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testClock is the office's injected time.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// rome returns a time of the demo office's zone.
func rome(t *testing.T, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func demoConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startServe runs serve until the test ends (or stop). Unset options get
// the flags' defaults; the address is a free loopback port.
func startServe(t *testing.T, cfg *config.Config, opt serveOptions, roots *tls.Config) *served {
	t.Helper()
	if opt.addr == "" {
		opt.addr = "127.0.0.1:0"
	}
	if opt.backupKeep == 0 {
		opt.backupKeep = 14
	}
	if opt.backupAt == "" {
		opt.backupAt = "02:00"
	}
	urls := make(chan [2]string, 1)
	opt.started = func(u, m string) { urls <- [2]string{u, m} }
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{t: t, logs: logs, cancel: cancel, done: make(chan error, 1),
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: roots}}}
	go func() { s.done <- serve(ctx, cfg, opt, logger, io.Discard) }()
	select {
	case u := <-urls:
		s.url, s.metricsURL = u[0], u[1]
	case err := <-s.done:
		cancel()
		t.Fatalf("the server did not start: %v\n%s", err, logs.String())
	}
	t.Cleanup(s.stop)
	return s
}

// stop shuts the server down as SIGTERM does, and waits for it.
func (s *served) stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	if err := <-s.done; err != nil {
		s.t.Errorf("the server stopped with %v", err)
	}
	s.client.CloseIdleConnections()
}

// do sends a request with token (if not empty) and a JSON body (if not
// nil), and decodes a 2xx answer into out (if not nil).
func (s *served) do(token, method, path string, body, out any) (int, []byte) {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.url+path, r)
	if err != nil {
		s.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return resp.StatusCode, data
}

// must is do, failing the test on another status than want.
func (s *served) must(token, method, path string, body any, want int, out any) {
	s.t.Helper()
	if status, data := s.do(token, method, path, body, out); status != want {
		s.t.Fatalf("%s %s: got %d %s, want %d", method, path, status, data, want)
	}
}

// login returns a demo user's session token.
func (s *served) login(user string) string {
	s.t.Helper()
	var l struct{ Token string }
	s.must("", "POST", "/api/v1/login", map[string]string{"user": user, "password": "demo"}, 200, &l)
	return l.Token
}

const kioskToken = "demo-kiosk-token"

// issue takes a ticket at the demo kiosk.
func (s *served) issue(service string) acked {
	s.t.Helper()
	var tk acked
	s.must(kioskToken, "POST", "/api/v1/tickets", map[string]string{"service": service}, 201, &tk)
	return tk
}
