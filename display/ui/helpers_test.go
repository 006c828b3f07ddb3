package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"turno/display/chime"
	"turno/server/client"
	"turno/server/officetest"
)

// ui serialises the test's reads of the widgets with the screens' updates:
// the test driver's fyne.Do runs on the calling goroutine, so the tests
// pass this Do instead.
type ui struct{ mu sync.Mutex }

func (u *ui) do(f func()) {
	u.mu.Lock()
	defer u.mu.Unlock()
	f()
}

// announcements records the chimes a board asked for, in order.
type announcements struct {
	mu  sync.Mutex
	got []chime.Announcement
}

func (a *announcements) Announce(x chime.Announcement) {
	a.mu.Lock()
	a.got = append(a.got, x)
	a.mu.Unlock()
}

func (a *announcements) list() []chime.Announcement {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]chime.Announcement(nil), a.got...)
}

// eventually polls cond inside the UI lock until it holds, or fails after
// a deadline with what it last saw.
func eventually(t *testing.T, u *ui, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var ok bool
		var got string
		u.do(func() { ok, got = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: got %s", what, got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var boardSize = fyne.NewSize(1920, 1080)

func connect(t *testing.T, o *officetest.Office, token string) *client.Client {
	t.Helper()
	c, err := client.New(o.URL, client.WithToken(token))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func login(t *testing.T, o *officetest.Office, user string) *client.Client {
	t.Helper()
	c := connect(t, o, "")
	if _, err := c.Login(context.Background(), user, officetest.Password); err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return c
}

func options(o *officetest.Office, c *client.Client, u *ui) Options {
	return Options{
		Client: c, Now: o.Clock.Now, Location: officetest.Rome, Do: u.do,
		Tick: 100 * time.Millisecond, MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
	}
}

// newBoard starts a board on the office with a recording chime.
func newBoard(t *testing.T, o *officetest.Office) (*Board, *ui, *announcements) {
	t.Helper()
	test.NewTempApp(t)
	u, rec := &ui{}, &announcements{}
	b := NewBoard(context.Background(), BoardOptions{Options: options(o, connect(t, o, officetest.DisplayToken), u), Chime: rec})
	t.Cleanup(b.Close)
	u.do(func() { test.NewTempWindow(t, b.Content()).Resize(boardSize) })
	return b, u, rec
}

// issue takes tickets at the kiosk.
func issue(t *testing.T, o *officetest.Office, services ...string) {
	t.Helper()
	k := connect(t, o, officetest.KioskToken)
	for _, s := range services {
		if _, _, err := k.Issue(context.Background(), s, false, ""); err != nil {
			t.Fatalf("issue %s: %v", s, err)
		}
	}
}

// open staffs a counter for services as a clerk and returns the clerk.
func open(t *testing.T, o *officetest.Office, user, counter string, services ...string) *client.Client {
	t.Helper()
	c := login(t, o, user)
	if _, err := c.Open(context.Background(), counter, services); err != nil {
		t.Fatalf("open %s: %v", counter, err)
	}
	return c
}
