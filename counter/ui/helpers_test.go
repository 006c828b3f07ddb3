package ui

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/config"
	"turno/server/officetest"
	"turno/server/queue"
)

func TestMain(m *testing.M) {
	// The tests read the English strings.
	os.Setenv("LANGUAGE", "en")
	if err := LoadTranslations(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// desk is the test's hold on the Fyne app: one lock stands for the app's
// main goroutine, taken by Do and by every tap and read of the tests, as
// the real driver runs everything on one goroutine.
type desk struct {
	t    *testing.T
	o    *officetest.Office
	app  fyne.App
	mu   sync.Mutex
	size fyne.Size // of the windows opened next
	lang string    // of the service names in the consoles opened next
	// floor is the floor assistant's client, logged in once: a login
	// costs a bcrypt check, slow under the race detector.
	floor *client.Client
}

func newDesk(t *testing.T, now time.Time) *desk {
	t.Helper()
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return newDeskWith(t, cfg, now)
}

// newDeskWith runs an office with cfg instead of the demo's.
func newDeskWith(t *testing.T, cfg *config.Config, now time.Time) *desk {
	t.Helper()
	d := &desk{t: t, app: test.NewTempApp(t), size: WindowSize}
	d.app.Settings().SetTheme(Theme())
	d.o = officetest.StartWith(t, cfg, officetest.NewClock(now))
	return d
}

func (d *desk) do(f func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f()
}

// console is one clerk's window.
type console struct {
	*Console
	d  *desk
	w  fyne.Window
	cl *client.Client
}

// console opens a console window on the office; it closes when the test
// ends.
func (d *desk) console(opt Options) *console {
	d.t.Helper()
	return d.consoleAt(d.o.URL, opt)
}

// consoleAt opens a console window whose client speaks to addr (a relay in
// front of the office).
func (d *desk) consoleAt(addr string, opt Options) *console {
	d.t.Helper()
	cl, err := client.New(addr)
	if err != nil {
		d.t.Fatal(err)
	}
	var w fyne.Window
	d.do(func() {
		w = d.app.NewWindow("counter")
		w.Resize(d.size)
	})
	opt.Client, opt.Window, opt.Do = cl, w, d.do
	if opt.Now == nil {
		opt.Now = d.o.Clock.Now
	}
	if opt.Lang == "" {
		opt.Lang = d.lang
	}
	if opt.Tick == 0 {
		opt.Tick = 50 * time.Millisecond
	}
	if opt.ReceiptDir == "" {
		opt.ReceiptDir = d.t.TempDir()
	}
	var c *Console
	d.do(func() { c = New(context.Background(), opt) })
	d.t.Cleanup(c.Close)
	return &console{Console: c, d: d, w: w, cl: cl}
}

// waitFor polls the UI (under the lock) until cond holds.
func (c *console) waitFor(what string, cond func() bool) {
	c.d.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok := false
		c.d.do(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var state string
			c.d.do(func() { state = c.describe() })
			c.d.t.Fatalf("timed out waiting for %s; console: %s", what, state)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (c *console) describe() string {
	msg := c.message()
	return fmt.Sprintf("screen %d, number %q, status %q, message %q", c.screen, c.desk.number.Text, c.desk.status.Text, msg)
}

// button is what the tests tap: Fyne's buttons and the desk's.
type button interface {
	fyne.Tappable
	fyne.Disableable
}

func (c *console) tap(b button) {
	c.d.t.Helper()
	c.waitFor("the previous action's answer", func() bool { return !c.busy })
	c.d.do(func() {
		if b.Disabled() {
			c.d.t.Errorf("button %q is disabled; console: %s", label(b), c.describe())
			return
		}
		test.Tap(b)
	})
}

func label(b button) string {
	switch b := b.(type) {
	case *widget.Button:
		return b.Text
	case *keyButton:
		return b.Text
	}
	return fmt.Sprintf("%T", b)
}

func (c *console) typeIn(e interface{ SetText(string) }, s string) {
	c.d.do(func() { e.SetText(s) })
}

// key presses a function key once the previous action has been answered
// (a key pressed while an action is in flight is ignored, as a double
// click is).
func (c *console) key(k fyne.KeyName) {
	c.d.t.Helper()
	c.waitFor("the previous action's answer", func() bool { return !c.busy })
	c.d.do(func() { c.press(k) })
}

// press types a key as the desktop driver delivers it (Fyne's
// internal/driver/glfw, processKeyPressed): Tab moves the focus unless the
// focused widget takes tabs; other keys go to the focused widget if there
// is one, else to the window's handler. Call it inside do.
func (c *console) press(k fyne.KeyName) {
	cv := c.w.Canvas()
	if k == fyne.KeyTab {
		if t, ok := cv.Focused().(fyne.Tabbable); !ok || !t.AcceptsTab() {
			cv.FocusNext()
			return
		}
	}
	ev := &fyne.KeyEvent{Name: k}
	if f := cv.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := cv.OnTypedKey(); h != nil {
		h(ev)
	}
}

// pressCtrl types Ctrl and a key as the desktop driver delivers it: a
// shortcut, to the focused widget if it takes shortcuts, else to the
// window. Call it inside do.
func (c *console) pressCtrl(k fyne.KeyName) {
	cv := c.w.Canvas()
	sc := &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierControl}
	if f, ok := cv.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	cv.(fyne.Shortcutable).TypedShortcut(sc)
}

// typeRunes types characters as the driver delivers them: to the focused
// widget, else to the window's handler. Call it inside do.
func (c *console) typeRunes(s string) {
	cv := c.w.Canvas()
	for _, r := range s {
		if f := cv.Focused(); f != nil {
			f.TypedRune(r)
		} else if h := cv.OnTypedRune(); h != nil {
			h(r)
		}
	}
}

// keys presses each key in turn, once the previous action is answered.
func (c *console) keys(ks ...fyne.KeyName) {
	c.d.t.Helper()
	for _, k := range ks {
		c.key(k)
	}
}

// message returns the visible message of the current screen.
func (c *console) message() string {
	var l *widget.Label
	switch c.screen {
	case screenLogin:
		l = c.login.msg
	case screenOpen:
		l = c.open.msg
	default:
		l = c.desk.msg
	}
	if !l.Visible() {
		return ""
	}
	return l.Text
}

// logIn logs in and waits for the choice of services.
func (c *console) logIn(user, counter string) {
	c.d.t.Helper()
	c.typeIn(c.login.user, user)
	c.typeIn(c.login.password, officetest.Password)
	c.typeIn(c.login.counter, counter)
	c.tap(c.login.submit)
	c.waitFor("the choice of services", func() bool { return c.screen == screenOpen })
}

// openWith checks exactly these services and opens the counter.
func (c *console) openWith(services ...string) {
	c.d.t.Helper()
	c.d.do(func() {
		for id, ch := range c.open.checks {
			ch.check.SetChecked(contains(services, id))
		}
	})
	c.tap(c.open.submit)
	c.waitFor("the desk", func() bool {
		return c.screen == screenDesk && c.counter != nil && c.counter.State == queue.CounterOpen
	})
}

// calledNumber waits for a ticket at the counter and returns its number.
func (c *console) calledNumber() string {
	c.d.t.Helper()
	var n string
	c.waitFor("a called ticket", func() bool {
		if cur := c.current(); cur != nil && !c.busy {
			n = cur.Number
			return c.desk.number.Text == n
		}
		return false
	})
	return n
}

func (c *console) waitIdle() {
	c.d.t.Helper()
	c.waitFor("an idle counter", func() bool {
		return !c.busy && c.counter != nil && c.counter.Current == "" && c.desk.number.Text == "—"
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// kiosk issues tickets as the kiosk does.
func (d *desk) issue(service string, priority bool) *queue.TicketView {
	d.t.Helper()
	k, err := client.New(d.o.URL, client.WithToken(officetest.KioskToken))
	if err != nil {
		d.t.Fatal(err)
	}
	t, _, err := k.Issue(context.Background(), service, priority, "")
	if err != nil {
		d.t.Fatalf("issue %s: %v", service, err)
	}
	return t
}

// as logs in a staff member with their own client (floor, admin).
func (d *desk) as(user string) *client.Client {
	d.t.Helper()
	cl, err := client.New(d.o.URL)
	if err != nil {
		d.t.Fatal(err)
	}
	if _, err := cl.Login(context.Background(), user, officetest.Password); err != nil {
		d.t.Fatalf("login %s: %v", user, err)
	}
	return cl
}

// anna is the floor assistant, with one session for the whole test.
func (d *desk) anna() *client.Client {
	d.t.Helper()
	if d.floor == nil {
		d.floor = d.as("anna")
	}
	return d.floor
}

// ticket reads a ticket as the server has it, through the floor assistant's
// snapshot.
func (d *desk) ticket(number string) queue.TicketView {
	d.t.Helper()
	snap, err := d.anna().Snapshot(context.Background())
	if err != nil {
		d.t.Fatal(err)
	}
	for _, t := range snap.Tickets {
		if t.Number == number {
			return t
		}
	}
	d.t.Fatalf("no ticket %s on the server", number)
	return queue.TicketView{}
}
