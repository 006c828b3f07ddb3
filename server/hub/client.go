package hub

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"turno/server/queue"
)

// Close codes the server sends.
const (
	closeNormal    = websocket.CloseNormalClosure
	closeGoingAway = websocket.CloseGoingAway     // the server stops
	closeTooSlow   = websocket.CloseTryAgainLater // dropped: its queue was full
	closeRefused   = websocket.ClosePolicyViolation
)

// client is one websocket subscriber. Deadlines use the real clock: they
// are about the network, not the office's (injected) time.
type client struct {
	conn *websocket.Conn
	view View
	name string
	// send carries encoded frames to writePump; only the hub closes it,
	// after setting closeCode.
	send      chan []byte
	closeCode int
	// closeFrame, if any, is an error frame sent before the close, with
	// closeReason as the close's reason (a session ended, for instance).
	closeFrame  []byte
	closeReason string
	// started gives back the slot it subscribed in, once its starting
	// frames are written.
	started func()

	// resolve and sub made the view: a new configuration checks them again.
	resolve Resolver
	sub     queue.Subscribe

	// Owned by the hub goroutine.
	sent uint64 // every event up to here is sent or covered
	// rolled says it saw a day begin: a snapshot of the new day follows
	// (its agenda was booked on the days before).
	rolled     bool
	lastTicket []byte // a phone's last public view sent
	service    string // a phone's ticket's service
}

// Resolver turns a client's subscribe message into its view (checking the
// token and what it asks to follow), or refuses it.
type Resolver func(ctx context.Context, sub queue.Subscribe) (View, *queue.WireError)

type registration struct {
	c     *client
	since uint64
	// snap is the shared snapshot the client starts from, nil when
	// resuming, and snapFrame its view of it, encoded (shared too).
	snap      *queue.Snapshot
	snapFrame []byte
	ticket    *queue.PublicTicket // a phone's ticket
	cur       uint64              // the office's sequence when the views were read
	stats     []queue.ServiceView // a resuming client's fresh service views
	reply     chan registered
}

type registered struct {
	ok      bool // false: the ring no longer reaches back; take a snapshot
	backlog [][]byte
	refused *queue.WireError // the session ended while the client subscribed
}

// Serve runs one websocket connection: it reads the subscribe message, asks
// resolve for the view, and hands the client to the hub, whose goroutines
// send the starting frames (a snapshot, the missed events, or a phone's
// ticket) and then the live stream until the connection ends. It returns
// once the client is subscribed or refused: the goroutine that subscribed
// it (an HTTP handler's, its stack grown by the handshake) does not stay
// for the connection's life. It owns conn and closes it.
func (h *Hub) Serve(conn *websocket.Conn, resolve Resolver) {
	if !h.enter() {
		refuse(conn, wireError(CodeUnavailable, "the server is shutting down"), closeGoingAway, h.opt.WriteWait)
		return
	}
	served := false
	defer func() {
		if !served {
			h.conns.Done()
		}
	}()
	// Until the hub owns the client, closing the hub must end the handshake.
	stop := context.AfterFunc(h.ctx, func() { conn.Close() })
	c, backlog, werr := h.subscribe(conn, resolve)
	stop()
	if werr != nil {
		code := closeRefused
		switch {
		case werr == errTooBig:
			code = websocket.CloseMessageTooBig
		case werr.Code == CodeUnavailable || werr.Code == CodeInternal:
			code = websocket.CloseInternalServerErr
		case werr.Code == CodeTooManyStreams:
			code = websocket.CloseTryAgainLater
		}
		refuse(conn, werr, code, h.opt.WriteWait)
		return
	}
	if c == nil { // gone before subscribing
		conn.Close()
		return
	}
	written := make(chan struct{})
	go func() {
		defer close(written)
		// Pings at half the pong wait: at 9/10 of it (the chat example's
		// ratio, meant for a 60 s wait) a client had 1.2 s to answer, and a
		// busy one was dropped while it was reading its frames.
		c.writePump(backlog, h.opt.PongWait/2, h.opt.WriteWait)
	}()
	served = true
	go func() {
		defer h.conns.Done()
		c.readPump(h.opt.PongWait)
		select {
		case h.unregister <- c:
		case <-h.done:
		}
		<-written
	}()
}

// subscribe reads and resolves the first message and registers the client.
// A nil client with a nil error means the connection is already gone.
func (h *Hub) subscribe(conn *websocket.Conn, resolve Resolver) (*client, [][]byte, *queue.WireError) {
	if err := conn.SetReadDeadline(time.Now().Add(h.opt.SubscribeWait)); err != nil {
		return nil, nil, nil
	}
	// No read limit on this message: the library would answer an oversized
	// one with its own close (1009) before the error frame every refusal
	// owes. Reading stops one byte past MaxMessage instead.
	_, r, err := conn.NextReader()
	var data []byte
	if err == nil {
		data, err = io.ReadAll(io.LimitReader(r, MaxMessage+1))
	}
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, nil, wireError(CodeTimeout, "send the subscribe message within %s", h.opt.SubscribeWait)
		}
		return nil, nil, nil
	}
	sub, werr := DecodeSubscribe(data)
	if werr != nil {
		return nil, nil, werr
	}
	// A start that will send a fresh snapshot (neither a phone nor a
	// resume) waits for its paced turn first, then takes a slot: waiting
	// inside a slot made the crowd behind it wait for slots too, each on
	// its handler's goroutine and net/http's buffers (40 MB more at 5,000
	// screens connecting).
	if sub.Ticket == "" && sub.Since == 0 {
		h.pace()
	}
	// The server's part of subscribing, up to the starting frames written,
	// takes one of a few slots (see startSlots); the client's part, the
	// subscribe message, is done.
	release := h.startSlot()
	view, werr := resolve(h.ctx, sub)
	if werr != nil {
		release()
		return nil, nil, werr
	}
	c := &client{conn: conn, view: view, name: conn.RemoteAddr().String(), send: make(chan []byte, h.opt.SendQueue), started: release, resolve: resolve, sub: sub}
	backlog, werr := h.attach(c, sub.Since)
	if werr != nil {
		release()
		return nil, nil, werr
	}
	return c, backlog, nil
}

// startSlot waits for a slot to subscribe a client in, at most
// startSlotWait, and returns what gives it back (once).
func (h *Hub) startSlot() (release func()) {
	select {
	case h.starting <- struct{}{}:
		return sync.OnceFunc(func() { <-h.starting })
	case <-time.After(startSlotWait):
		return func() {} // a client holds its slot too long: go on without
	case <-h.ctx.Done():
		return func() {}
	}
}

// pace waits for the turn of a start that sends a fresh snapshot
// (Options.StartEvery): a wave of displays goes out at a bounded rate, past
// a burst, and leaves the processors room for the kiosks' requests. The
// wall clock, not the office's: it spaces work.
func (h *Hub) pace() {
	if h.opt.StartEvery < 0 {
		return
	}
	now := time.Now()
	if wait := h.paceTurn(now).Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-h.ctx.Done():
		}
	}
}

// paceTurn books the next paced start asked for at now and returns when it
// may go: at once for a burst of startBurst, then one every StartEvery, but
// never more than paceWaitMax ahead: past that, at once and unbooked. A
// crowd larger than a second's pace (thousands of screens) is served as it
// comes, since each start waiting here keeps its handshake's goroutine and
// buffers.
func (h *Hub) paceTurn(now time.Time) time.Time {
	h.paceMu.Lock()
	defer h.paceMu.Unlock()
	if earliest := now.Add(-startBurst * h.opt.StartEvery); h.paceNext.Before(earliest) {
		h.paceNext = earliest
	}
	at := h.paceNext
	if at.Sub(now) > paceWaitMax {
		return now
	}
	h.paceNext = at.Add(h.opt.StartEvery)
	return at
}

// paceWaitMax bounds a start's wait for its paced turn.
const paceWaitMax = time.Second

// attach reads the starting views from the office (on the connection's
// goroutine, never the committer's) and hands the client to the hub, which
// adds the events it holds after them.
func (h *Hub) attach(c *client, since uint64) ([][]byte, *queue.WireError) {
	share := h.opt.ShareSnapshot
	if c.view.Kind == KindClerk || c.view.Kind == KindAll {
		// Staff act on what the snapshot says (a clerk's app leaves the desk
		// of a counter it reads as closed), and a snapshot moments old is
		// followed by its events only frames later: theirs is of their own
		// moment. They are a few; the hall's screens are the crowd.
		share = 0
	}
	for range 3 { // a snapshot may need a retry if a burst pushed it out of the ring
		r := &registration{c: c, since: since, reply: make(chan registered, 1)}
		fresh := c.view.Kind != KindPhone && since == 0
		var err error
		if !fresh {
			err = h.office.Read(h.ctx, func(now time.Time, st *queue.Office) {
				r.cur = st.Seq()
				switch {
				case c.view.Kind == KindPhone:
					if t := st.TicketByID(c.view.Ticket); t != nil {
						r.ticket = ptr(queue.PublicView(st.Config(), st, t, now))
					}
				case since > r.cur: // a database newer than the client's
					fresh = true
				default: // resuming: the stats frames it missed are not in the ring
					for _, s := range st.Config().Services {
						r.stats = append(r.stats, st.ServiceView(now, s.ID))
					}
				}
			})
		}
		if err == nil && fresh { // paced in subscribe, before the start slot
			// A snapshot taken moments ago (the events since follow from
			// the ring), or the office's shared one; cut to the view and
			// encoded here, outside its lock and the hub's goroutine, once
			// for every client of the same view.
			r.snap, err = h.snapshots.get(h.opt.Now(), share, func() (*queue.Snapshot, error) { return h.office.Snapshot(h.ctx) })
			if err == nil {
				r.cur, r.snapFrame = r.snap.Seq, h.snapshots.frame(r.snap, &c.view)
			}
		}
		if err != nil {
			return nil, wireError(CodeUnavailable, "the office cannot be read now; retry")
		}
		if c.view.Kind == KindPhone && r.ticket == nil {
			if r.ticket = c.view.Past; r.ticket == nil {
				return nil, wireError("unknown_ticket", "no such ticket")
			}
		}
		select {
		case h.register <- r:
		case <-h.ctx.Done():
			return nil, wireError(CodeUnavailable, "the server is shutting down")
		}
		got := <-r.reply
		if got.refused != nil {
			return nil, got.refused
		}
		if got.ok {
			return got.backlog, nil
		}
		// Too far back for the ring: a new snapshot, not the shared one,
		// which the ring may no longer reach either.
		since, share = 0, 0
	}
	return nil, wireError(CodeUnavailable, "the office is too busy to start the stream; retry")
}

// join adds a registered client on the hub goroutine: its starting frames,
// then every event the ring holds after them, so the live events that
// follow continue from exactly there.
func (h *Hub) join(r *registration) {
	c := r.c
	if _, ended := h.ended[c.view.Session]; ended && c.view.Session != "" {
		r.reply <- registered{refused: wireError(CodeLoggedOut, "the session was ended by logout: log in again")}
		return
	}
	if !c.view.Expires.IsZero() && !h.opt.Now().Before(c.view.Expires) {
		r.reply <- registered{refused: wireError(CodeSessionExpired, "the session has expired: log in again")}
		return
	}
	var backlog [][]byte
	var from uint64
	switch {
	case c.view.Kind == KindPhone:
		if werr := h.phones.enter(c.view.Ticket, c.view.Addr, h.opt.PhonesPerTicket, h.opt.PhonesPerAddress); werr != nil {
			r.reply <- registered{refused: werr}
			return
		}
		c.sent = max(r.cur, h.ring.last)
		c.lastTicket, _ = json.Marshal(r.ticket)
		c.service = r.ticket.Service
		backlog = append(backlog, marshalFrame(queue.Frame{Type: queue.FrameTicket, Seq: c.sent, Ticket: r.ticket}))
		h.clients[c] = struct{}{}
		h.counted(c, 1)
		r.reply <- registered{ok: true, backlog: backlog}
		return
	case r.snap != nil:
		from = r.snap.Seq
		if from+1 < h.ring.first() { // the events after it are gone
			r.reply <- registered{}
			return
		}
		backlog = append(backlog, r.snapFrame)
	default:
		from = r.since
		if from+1 < h.ring.first() || h.reconfiguredAfter(from) { // the events after it are gone, or no longer describe the office
			r.reply <- registered{}
			return
		}
	}
	h.ring.after(from, func(e *encoded) {
		if c.view.sees(e.ev) {
			backlog = append(backlog, e.frame(&c.view))
			// A day began after its snapshot: the new day's follows.
			c.rolled = c.rolled || e.ev.Type == queue.EventDayRollover
		}
		if e.ev.Type == queue.EventConfigChanged {
			c.rolled = true // so did a new configuration, whatever the view sees
		}
	})
	c.sent = max(from, h.ring.last)
	if len(r.stats) > 0 && c.view.wantsStats() {
		backlog = append(backlog, marshalFrame(queue.Frame{Type: queue.FrameStats, Seq: c.sent, Services: c.view.services(r.stats)}))
	}
	if c.view.Kind == KindAll {
		backlog = append(backlog, marshalFrame(queue.Frame{Type: queue.FramePresence, Seq: c.sent, Devices: h.presence.list()}))
	}
	h.clients[c] = struct{}{}
	h.counted(c, 1)
	r.reply <- registered{ok: true, backlog: backlog}
	if c.view.Device != "" && h.presence.enter(c.view.Device, h.opt.Now()) {
		h.broadcastPresence()
	}
}

// reconfiguredAfter reports whether the configuration changed after seq:
// a client resuming from before must start over from a snapshot.
func (h *Hub) reconfiguredAfter(seq uint64) bool {
	changed := false
	h.ring.after(seq, func(e *encoded) { changed = changed || e.ev.Type == queue.EventConfigChanged })
	return changed
}

// readPump reads until the client goes away. Clients send nothing after
// subscribing; reading is how pongs and the close handshake arrive.
func (c *client) readPump(pongWait time.Duration) {
	c.conn.SetReadLimit(MaxMessage) // clients have nothing more to say: the library closes with 1009
	_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		if _, _, err := c.conn.ReadMessage(); err != nil {
			return
		}
	}
}

// writePump is the connection's writer: the starting frames, then the
// hub's frames one per message; when the hub closes the queue it sends the
// close frame and closes the connection. Pings go from a timer of their own
// (the library lets WriteControl run beside the writer), so the writer
// waits on its queue alone: at a call, 5,000 writers wake from a plain
// receive instead of a select over two channels.
func (c *client) writePump(backlog [][]byte, pingEvery, writeWait time.Duration) {
	p := &pinger{conn: c.conn, every: pingEvery, wait: writeWait}
	p.start()
	defer func() {
		p.stop()
		c.conn.Close()
	}()
	// The deadline is moved only once half of writeWait has gone, so each
	// write has at least half of it: setting a deadline re-arms a runtime
	// timer, and at a call that is 5,000 re-arms on the fan-out's path.
	var deadline time.Time
	write := func(typ int, data []byte) error {
		if now := time.Now(); deadline.Sub(now) < writeWait/2 {
			deadline = now.Add(writeWait)
			if err := c.conn.SetWriteDeadline(deadline); err != nil {
				return err
			}
		}
		return c.conn.WriteMessage(typ, data)
	}
	for _, f := range backlog {
		if write(websocket.TextMessage, f) != nil {
			c.started()
			return
		}
	}
	c.started()
	for f := range c.send {
		if write(websocket.TextMessage, f) != nil {
			return
		}
	}
	reason := c.closeReason
	if reason == "" {
		reason = map[int]string{closeGoingAway: "server shutting down", closeTooSlow: "too slow: resume with since"}[c.closeCode]
	}
	if c.closeFrame != nil && write(websocket.TextMessage, c.closeFrame) != nil {
		return
	}
	_ = write(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeCode, reason))
}

// pinger pings a connection every so often from a timer; a ping that
// cannot be written closes the connection, which ends its reader and so
// the client.
type pinger struct {
	conn  *websocket.Conn
	every time.Duration
	wait  time.Duration

	mu      sync.Mutex
	t       *time.Timer
	stopped bool
}

func (p *pinger) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.t = time.AfterFunc(p.every, p.ping)
}

func (p *pinger) ping() {
	if err := p.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(p.wait)); err != nil {
		p.conn.Close()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stopped {
		p.t.Reset(p.every)
	}
}

func (p *pinger) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	p.t.Stop()
}

// startSlotWait bounds the wait for a slot to subscribe in: a client that
// does not read its starting frames holds its slot no longer than the
// socket's buffers take them, and the others never wait long behind it.
const startSlotWait = time.Second

// refuse sends an error frame and closes the connection.
func refuse(conn *websocket.Conn, werr *queue.WireError, code int, writeWait time.Duration) {
	defer conn.Close()
	if conn.SetWriteDeadline(time.Now().Add(writeWait)) != nil {
		return
	}
	if conn.WriteMessage(websocket.TextMessage, marshalFrame(queue.Frame{Type: queue.FrameError, Error: werr})) != nil {
		return
	}
	msg := werr.Message
	for len(msg) > 120 { // a close frame's reason must fit in 123 bytes
		r := []rune(msg)
		msg = string(r[:len(r)-1])
	}
	if conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, msg)) != nil {
		return
	}
	// Read (and drop) what the client still sends until its own close, for
	// a moment: closing with unread data in the socket resets the
	// connection, and the client could lose the error frame with it (an
	// oversized subscribe message is still arriving when it is refused).
	_ = conn.SetReadDeadline(time.Now().Add(closeWait))
	for {
		if _, _, err := conn.NextReader(); err != nil {
			return
		}
	}
}

// closeWait bounds the wait for a refused client's close.
const closeWait = 2 * time.Second
