package client_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"turno/server/client"
	"turno/server/config"
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
	http  *httptest.Server
}

func startOffice(t *testing.T, path string, clk *clock, cfg *config.Config) *office {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lo, err := live.Open(&cfg.Office, db, live.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	api, err := web.New(web.Options{Config: cfg, Office: lo, Store: db, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	o := &office{t: t, clock: clk, path: path, cfg: cfg, db: db, live: lo, http: httptest.NewServer(api)}
	t.Cleanup(o.stop)
	return o
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
