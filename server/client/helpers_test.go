package client_test

import (
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"turno/server/client"
	"turno/server/config"
	"turno/server/hub"
	"turno/server/live"
	"turno/server/store"
	"turno/server/web"
)

const (
	kioskToken   = "demo-kiosk-token"
	displayToken = "demo-display-token"
)

// clock is the injected time of a test office.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var rome, _ = time.LoadLocation("Europe/Rome")

// tuesday is a working day of the demo office, with an afternoon opening.
func tuesday(t *testing.T, hhmm string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", "2026-11-24 "+hhmm, rome)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// office is a real server on a real bbolt file, over real HTTP.
type office struct {
	t     *testing.T
	clock *clock
	path  string
	cfg   *config.Config
	db    *store.Store
	live  *live.Office
	hub   *hub.Hub
	http  *httptest.Server
}

func startOffice(t *testing.T, path string, clk *clock, cfg *config.Config) *office {
	t.Helper()
	return startOfficeAt(t, "", path, clk, cfg)
}

// startOfficeAt starts the office's server, listening on addr ("" for any
// free port). The wiring is server/main.go's: the hub starts with the log's
// recent events, so streams resume across a restart.
func startOfficeAt(t *testing.T, addr, path string, clk *clock, cfg *config.Config) *office {
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
	streams := hub.New(hub.Options{Config: &cfg.Office, Last: last, History: history, Logger: quiet})
	lo, err := live.Open(&cfg.Office, db, live.Options{Now: clk.Now, Publish: streams.Publish, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	streams.Start(lo)
	api, err := web.New(web.Options{Config: cfg, Office: lo, Store: db, Now: clk.Now, Hub: streams, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(api)
	if addr != "" {
		// The port was ours a moment ago; the system may take a moment to
		// give it back.
		var l net.Listener
		for i := 0; ; i++ {
			if l, err = net.Listen("tcp", addr); err == nil || i == 50 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			t.Fatal(err)
		}
		srv.Listener.Close()
		srv.Listener = l
	}
	srv.Start()
	o := &office{t: t, clock: clk, path: path, cfg: cfg, db: db, live: lo, hub: streams, http: srv}
	t.Cleanup(o.stop)
	return o
}

// quiet keeps the servers' logs out of the test output.
var quiet = slog.New(slog.DiscardHandler)

// restart stops the server and starts a new one on the same file and the
// same address, as a restarted server would be found again.
func (o *office) restart() *office {
	o.t.Helper()
	addr := o.http.Listener.Addr().String()
	o.stop()
	n := startOfficeAt(o.t, addr, o.path, o.clock, o.cfg)
	return n
}

func newOffice(t *testing.T, now time.Time) *office {
	t.Helper()
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return startOffice(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: now}, cfg)
}

func (o *office) stop() {
	if o.http == nil {
		return
	}
	o.hub.Close() // before the office: streams are told goodbye
	o.http.CloseClientConnections()
	o.http.Close()
	o.live.Close()
	o.db.Close()
	o.http = nil
}

// client returns a client of the office with a device token ("" for none).
func (o *office) client(token string, opts ...client.Option) *client.Client {
	o.t.Helper()
	c, err := client.New(o.http.URL, append([]client.Option{client.WithToken(token)}, opts...)...)
	if err != nil {
		o.t.Fatal(err)
	}
	return c
}

// login returns a client logged in as a demo user (password "demo").
func (o *office) login(user string) *client.Client {
	o.t.Helper()
	c := o.client("")
	if _, err := c.Login(context.Background(), user, "demo"); err != nil {
		o.t.Fatalf("login %s: %v", user, err)
	}
	return c
}
