package ui

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

// Receipts fetches the printable protocol receipt of a registered document
// (GET /api/v1/tickets/{id}/receipt.pdf): (*client.Client).ReceiptPDF, or a
// test's stand-in that answers when the test says so.
type Receipts interface {
	ReceiptPDF(ctx context.Context, ticketID string) ([]byte, error)
}

// Options wire a Console.
type Options struct {
	// Client is this console's own client: it holds the clerk's session.
	Client *client.Client
	Window fyne.Window
	// User and Counter prefill the login.
	User    string
	Counter string
	// Lang is "it" or "en": the language of the services' names.
	Lang string
	// Now is the clock of the timers (injected in tests).
	Now func() time.Time
	// Do runs a function where widgets may be touched: fyne.Do in the app.
	Do func(func())
	// Receipts fetches the receipts to print and save; nil is Client.
	Receipts Receipts
	// Printer is the CUPS queue receipts go to with lp; "" prints to the
	// default printer.
	Printer string
	// ReceiptDir is where saved receipts go; "" is the user's home.
	ReceiptDir string
	// Tick is how often the timers refresh; 0 is a second.
	Tick time.Duration
	// StreamWait replaces the live stream's timer between reconnection
	// attempts (client.StreamOptions.Wait); tests count the attempts with it.
	StreamWait func(ctx context.Context, d time.Duration) error
	Logger     *slog.Logger
}

// WindowSize is the console's window at start: what a 1366x768 laptop
// shows of a window once its taskbar (up to about 40 px) and the window's
// title bar (about 30 px) are drawn. Every screen and dialog fits it
// (TestEveryScreenFits).
var WindowSize = fyne.NewSize(1340, 680)

// screen is which of the console's three screens is showing.
type screen int

const (
	screenLogin screen = iota
	screenOpen
	screenDesk
)

// Console is the clerk's console in one window.
type Console struct {
	opt    Options
	cl     *client.Client
	w      fyne.Window
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // server calls in flight

	// Touched only inside Do.
	screen    screen
	session   *client.Session
	snap      *queue.Snapshot // the office at login: counters and services
	counterID string
	stream    *client.Stream
	model     client.Model
	status    client.Status
	counter   *queue.Counter // this counter as last known
	busy      bool           // a counter action is in flight
	printing  bool           // a receipt is being fetched, printed or saved
	modal     *modal         // the open dialog
	dlg       dialogs
	closing   bool // the clerk closed the counter on purpose
	zone      *time.Location
	zoneName  string

	pending atomic.Bool // a stream refresh is queued
	events  eventLog    // this counter's events, for answer ⇄ stream ordering
	answer  *pendingAnswer
	pinSeq  uint64    // models older than this predate the last answer shown...
	pinAt   time.Time // ...for pendingTimeout after this

	login loginScreen
	open  openScreen
	desk  deskScreen
}

// New builds the console in opt.Window and shows the login.
func New(ctx context.Context, opt Options) *Console {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Do == nil {
		opt.Do = fyne.Do
	}
	if opt.Tick <= 0 {
		opt.Tick = time.Second
	}
	if opt.Receipts == nil && opt.Client != nil {
		opt.Receipts = opt.Client
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.ReceiptDir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			opt.ReceiptDir = home
		} else {
			opt.ReceiptDir = os.TempDir()
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	c := &Console{opt: opt, cl: opt.Client, w: opt.Window, log: opt.Logger, ctx: ctx, cancel: cancel}
	c.buildLogin()
	c.buildOpen()
	c.buildDesk()
	c.w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) { c.handleKey(ev) })
	c.w.Canvas().SetOnTypedRune(func(r rune) { c.handleRune(r) })
	c.addShortcuts()
	c.showLogin("")
	c.wg.Add(1)
	go c.ticker()
	return c
}

// Close stops the stream, the timers and the calls in flight, and waits for
// them. Call it from outside Do (it waits for goroutines that use Do).
func (c *Console) Close() {
	c.cancel()
	c.wg.Wait()
	// The stream is read inside Do; by now nothing else touches it.
	if s := c.stream; s != nil {
		s.Close()
	}
}

// ticker refreshes the timers: the time is read from opt.Now, so tests
// move the office clock and see the timer follow.
func (c *Console) ticker() {
	defer c.wg.Done()
	t := time.NewTicker(c.opt.Tick)
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
			c.opt.Do(func() {
				c.expireAnswer()
				c.tickDesk()
			})
		}
	}
}

// expireAnswer lets the stream's model win again once an action's answer
// has been kept on screen for pendingTimeout, even if the stream sends
// nothing more to trigger a refresh.
func (c *Console) expireAnswer() {
	at := c.pinAt
	if c.answer != nil {
		at = c.answer.at
	} else if c.pinSeq == 0 {
		return
	}
	if c.stream != nil && time.Since(at) > pendingTimeout {
		c.refresh(c.stream)
	}
}

// run calls the server off the UI goroutine and hands the outcome to done
// inside Do.
func (c *Console) run(call func(ctx context.Context) error, done func(err error)) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(c.ctx, client.DefaultTimeout+5*time.Second)
		err := call(ctx)
		cancel()
		if c.ctx.Err() != nil {
			return // the console is closing: nobody to tell
		}
		c.opt.Do(func() { done(err) })
	}()
}

// act runs one counter action. While it is in flight the action buttons are
// disabled, so a double click is one call.
func (c *Console) act(call func(ctx context.Context, counter string) (*queue.Result, error), after func(*queue.Result)) {
	if c.busy || c.screen != screenDesk {
		return
	}
	c.busy = true
	c.renderDesk()
	counter := c.counterID
	from := c.model.Seq
	var res *queue.Result
	c.run(func(ctx context.Context) error {
		var err error
		res, err = call(ctx, counter)
		return err
	}, func(err error) {
		c.busy = false
		if err != nil {
			// A close that failed left the counter open: someone else
			// closing it later must be told again.
			c.closing = false
			c.fail(err)
			c.renderDesk()
			return
		}
		c.applyResult(res)
		if res != nil && res.Counter != nil {
			c.answer = &pendingAnswer{from: from, counter: *res.Counter, ticket: res.Ticket, at: time.Now()}
		}
		c.say("", false)
		if after != nil {
			after(res)
		}
		c.renderDesk()
	})
}

// applyResult takes the counter and ticket an action answered, so the desk
// shows them at once; the stream brings the same a moment later.
func (c *Console) applyResult(res *queue.Result) {
	if res == nil {
		return
	}
	if res.Counter != nil && res.Counter.ID == c.counterID {
		k := *res.Counter
		c.counter = &k
	}
	if res.Ticket != nil {
		c.model.Tickets = upsertTicket(c.model.Tickets, *res.Ticket)
	}
}

func upsertTicket(ts []queue.TicketView, t queue.TicketView) []queue.TicketView {
	for i := range ts {
		if ts[i].ID == t.ID {
			out := append([]queue.TicketView(nil), ts...)
			out[i] = t
			return out
		}
	}
	return append(append([]queue.TicketView(nil), ts...), t)
}

// fail shows a refusal in plain words and does what it implies.
func (c *Console) fail(err error) {
	msg, what := explain(err)
	c.log.Info("refused", "err", err)
	switch what {
	case relogin:
		c.logoutLocal()
		c.showLogin(msg)
		return
	case reopen:
		if c.screen == screenDesk {
			c.showOpen(msg)
			return
		}
	case resync:
		c.resync()
	}
	c.say(msg, true)
}

// resync reloads the model from the server, for when an action was refused
// because the office moved on (the stream brings it too; this is sooner).
func (c *Console) resync() {
	if c.stream != nil {
		c.model = c.stream.Model()
		if k := c.model.Counter(c.counterID); k != nil {
			kk := *k
			c.counter = &kk
		}
	}
}

// say shows a message on the current screen; "" clears it.
func (c *Console) say(msg string, isErr bool) {
	switch c.screen {
	case screenLogin:
		c.setMessage(c.login.msg, msg, isErr)
	case screenOpen:
		c.setMessage(c.open.msg, msg, isErr)
	case screenDesk:
		c.setMessage(c.desk.msg, msg, isErr)
	}
}

// sayLevel shows a message that is a warning (something is left to do,
// nothing failed) or plain news.
func (c *Console) sayLevel(msg string, warn bool) {
	c.say(msg, false)
	if warn && c.screen == screenDesk {
		c.desk.msg.Importance = widget.WarningImportance
		c.desk.msg.Refresh()
	}
}

// inZone returns t in the office's time zone, as the server's snapshot
// names it, never the machine's: a console on a laptop set to another zone
// (or to UTC) still says the times the citizens' tickets say. Until a
// snapshot names a zone, t stays as the server sent it.
func (c *Console) inZone(t time.Time) time.Time {
	name := c.model.TimeZone
	if name == "" && c.snap != nil {
		name = c.snap.TimeZone
	}
	if name != c.zoneName {
		c.zoneName, c.zone = name, nil
		snap := queue.Snapshot{TimeZone: name}
		if loc, ok := snap.Location(); ok {
			c.zone = loc
		}
	}
	if c.zone == nil {
		return t
	}
	return t.In(c.zone)
}

// clock says the time of day of t in the office: 09:40.
func (c *Console) clock(t time.Time) string { return c.inZone(t).Format("15:04") }

// follow starts the counter's live stream, replacing any other.
func (c *Console) follow(counter string) {
	if c.stream != nil && c.counterID == counter && c.stream.Err() == nil {
		return
	}
	c.stopStream()
	c.events.reset()
	c.answer, c.pinSeq = nil, 0
	var s *client.Stream
	s = c.cl.Stream(c.ctx, client.StreamOptions{
		Counter: counter,
		Wait:    c.opt.StreamWait,
		OnEvent: func(ev queue.Event) {
			c.events.add(ev, counter)
			// Someone else changing this counter under the clerk's feet is
			// told in words: the floor assistant closing it, the day ending.
			switch {
			case ev.Type == queue.EventDayRollover:
				c.opt.Do(func() { c.counterTaken(s, queue.EventDayRollover, "") })
			case ev.Counter != nil && ev.Counter.ID == counter && (ev.Type == queue.EventCounterClosed || ev.Type == queue.EventCounterOpened):
				typ, who := ev.Type, ev.Actor
				if ev.Type == queue.EventCounterOpened {
					who = ev.Counter.Clerk
				}
				c.opt.Do(func() { c.counterTaken(s, typ, who) })
			}
		},
		OnChange: func() {
			// Frames come in bursts; one refresh covers them all.
			if c.pending.CompareAndSwap(false, true) {
				c.opt.Do(func() {
					c.pending.Store(false)
					c.refresh(s)
				})
			}
		},
	})
	c.stream = s
}

// stopStream closes the stream without waiting on the UI goroutine: its
// goroutine may itself be waiting to run a refresh.
func (c *Console) stopStream() {
	if s := c.stream; s != nil {
		c.stream = nil
		c.wg.Add(1)
		go func() { defer c.wg.Done(); s.Close() }()
	}
}

// refresh takes the stream's latest model and status.
func (c *Console) refresh(s *client.Stream) {
	if s != c.stream || s == nil {
		return // an old stream's last words
	}
	m := s.Model()
	c.status = s.Status()
	if p := c.answer; p != nil {
		if seq, ok := c.events.find(p); ok {
			c.pinSeq, c.pinAt, c.answer = seq, p.at, nil
		} else if time.Since(p.at) > pendingTimeout {
			c.pinSeq, c.answer = 0, nil
		}
	}
	if c.pinSeq > 0 && time.Since(c.pinAt) > pendingTimeout {
		// A model older than the pin after that long is not a frame late:
		// it is the office restored elsewhere, with a shorter history.
		c.pinSeq = 0
	}
	if c.answer != nil || m.Seq < c.pinSeq {
		// The model predates the answer on screen: take its queues, keep
		// the answer's counter and ticket.
		keep := c.current()
		c.model = m
		if keep != nil {
			c.model.Tickets = upsertTicket(c.model.Tickets, *keep)
		}
		c.renderScreen()
		return
	}
	c.model = m
	if c.status.State == client.Stopped && c.status.Err != nil && !errors.Is(c.status.Err, client.ErrStreamClosed) {
		msg, what := explain(c.status.Err)
		if what == relogin {
			c.logoutLocal()
			c.showLogin(msg)
			return
		}
	}
	if k := c.model.Counter(c.counterID); k != nil && c.model.Seq > 0 {
		kk := *k
		c.counter = &kk
		if c.lostCounter(k) {
			return
		}
	}
	c.renderScreen()
}

// lostCounter takes the clerk back to choosing services when the desk shows
// a counter that is no longer theirs: closed, or open for another clerk.
// The events say who did it (counterTaken); this catches a reconnection
// that brought a fresh snapshot instead, where nobody said it. An action in
// flight answers for itself.
func (c *Console) lostCounter(k *queue.Counter) bool {
	if c.screen != screenDesk || c.busy || c.session == nil {
		return false
	}
	switch {
	case k.State == queue.CounterClosed:
		c.showOpen(tr("The counter was closed meanwhile (perhaps by the floor assistant). Choose the services and open it again."))
	case k.Clerk != c.session.User:
		c.showOpen(tr("This counter is now open for {{.Who}}.", "Who", k.Clerk))
	default:
		return false
	}
	return true
}

func (c *Console) renderScreen() {
	switch c.screen {
	case screenDesk:
		c.renderDesk()
	case screenOpen:
		c.renderOpen()
	}
}

// counterTaken handles a change of this counter by someone else: the
// clerk goes back to choosing services, with the reason in words.
func (c *Console) counterTaken(s *client.Stream, typ, who string) {
	if s != c.stream || c.screen != screenDesk || c.session == nil || who == c.session.User {
		return
	}
	switch typ {
	case queue.EventDayRollover:
		c.showOpen(tr("A new day has started and the counters were closed. Choose the services and open the counter again."))
	case queue.EventCounterClosed:
		if c.closing {
			return
		}
		c.showOpen(tr("The counter was closed by {{.Who}}. Choose the services and open it again.", "Who", who))
	case queue.EventCounterOpened:
		c.showOpen(tr("This counter is now open for {{.Who}}.", "Who", who))
	}
}

// logoutLocal forgets the session here; the server is told separately
// (client.Logout forgets the token when it is done).
func (c *Console) logoutLocal() {
	c.stopStream()
	c.session, c.snap, c.counter = nil, nil, nil
	c.model = client.Model{}
	c.busy, c.closing = false, false
	c.hideModal()
}

// serviceName is a service's name in the console's language.
func (c *Console) serviceName(id string) string {
	var v *queue.ServiceView
	if v = c.model.Service(id); v == nil && c.snap != nil {
		for i := range c.snap.Services {
			if c.snap.Services[i].ID == id {
				v = &c.snap.Services[i]
			}
		}
	}
	if v == nil {
		return id
	}
	return v.Name(c.opt.Lang)
}

// services returns the office's services: the live model's once it has
// one, the login snapshot's before.
func (c *Console) services() []queue.ServiceView {
	if len(c.model.Services) > 0 {
		return c.model.Services
	}
	if c.snap != nil {
		return c.snap.Services
	}
	return nil
}
