// Package officetest starts a real Turno server for tests: a bbolt file in
// the test's temporary directory, the live office with an injected clock, the
// stream hub and the HTTP API on a loopback port, wired as server/main.go
// wires them. The apps' and the client's tests drive it like the real thing.
package officetest

import (
	"log/slog"
	"net"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"turno/server/admin"
	"turno/server/config"
	"turno/server/hub"
	"turno/server/live"
	"turno/server/queue"
	"turno/server/store"
	"turno/server/web"
)

// Demo office credentials.
const (
	KioskToken   = "demo-kiosk-token"
	DisplayToken = "demo-display-token"
	Password     = "demo" // every demo user's
)

// Clock is a settable time for the office.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock set to t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Rome is the demo office's zone.
var Rome = mustZone("Europe/Rome")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("officetest: " + err.Error()) // tzdata ships with Go
	}
	return loc
}

// Tuesday returns hh:mm on Tuesday 2026-11-24 in Rome: a working day of the
// demo office, open 08:30-12:30 and 15:00-17:00.
func Tuesday(hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", "2026-11-24 "+hhmm, Rome)
	if err != nil {
		panic("officetest: bad time " + hhmm)
	}
	return t
}

// Office is a running server.
type Office struct {
	URL   string // e.g. http://127.0.0.1:41234
	Clock *Clock
	// Config is the configuration it started from (the file); Current
	// holds the one in force, which Admin (the console) may change.
	Config  *config.Config
	Current *config.Current
	Admin   *admin.Admin
	Store   *store.Store
	Live    *live.Office
	Hub     *hub.Hub

	t    testing.TB
	path string
	addr string // kept after Stop, so a restarted server is found again
	srv  *httptest.Server
}

// Start runs the demo office at now. It stops when the test ends.
func Start(t testing.TB, now time.Time) *Office {
	t.Helper()
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return StartWith(t, cfg, NewClock(now))
}

// StartWith runs an office with cfg and clock on a new database.
func StartWith(t testing.TB, cfg *config.Config, clock *Clock) *Office {
	t.Helper()
	return start(t, cfg, clock, filepath.Join(t.TempDir(), "turno.db"), "")
}

func start(t testing.TB, cfg *config.Config, clock *Clock, path, addr string) *Office {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
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
	// As the server does: the latest version the console stored, if any.
	inForce, _, err := admin.InForce(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	current := config.NewCurrent(inForce)
	streams := hub.New(hub.Options{Config: &inForce.Office, Current: func() *queue.Config { return &current.Load().Office },
		Last: last, History: history, Logger: quiet, Devices: inForce.DeviceList(), Now: clock.Now})
	lo, err := live.Open(&inForce.Office, db, live.Options{Now: clock.Now, Publish: streams.Publish, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	streams.Start(lo)
	adm := admin.New(lo, current, func(c *config.Config) { streams.SetDevices(c.DeviceList()) })
	api, err := web.New(web.Options{Config: inForce, Current: current, Admin: adm, Office: lo, Store: db, Now: clock.Now, Hub: streams, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(api)
	if addr != "" {
		// The port was the previous server's a moment ago; the system may
		// take a moment to give it back.
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
	o := &Office{URL: srv.URL, Clock: clock, Config: cfg, Current: current, Admin: adm, Store: db, Live: lo, Hub: streams, t: t, path: path,
		addr: srv.Listener.Addr().String(), srv: srv}
	t.Cleanup(o.Stop)
	return o
}

// Stop stops the server as a crash would look to its clients: connections
// drop. It is safe to call twice.
func (o *Office) Stop() {
	if o.srv == nil {
		return
	}
	o.srv.CloseClientConnections()
	o.srv.Close()
	o.Hub.Close()
	o.Live.Close()
	o.Store.Close()
	o.srv = nil
}

// Restart stops the server if it runs and starts a new one on the same file
// and the same address, as a restarted server is found again by its
// clients. After Stop it is the server coming back from an outage.
func (o *Office) Restart() *Office {
	o.t.Helper()
	o.Stop()
	return start(o.t, o.Config, o.Clock, o.path, o.addr)
}
