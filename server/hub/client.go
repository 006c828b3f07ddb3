package hub

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
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
	c      *client
	since  uint64
	snap   *queue.Snapshot     // taken for this client, or nil when resuming
	ticket *queue.PublicTicket // a phone's ticket
	cur    uint64              // the office's sequence when the views were read
	stats  []queue.ServiceView // a resuming client's fresh service views
	reply  chan registered
}

type registered struct {
	ok      bool // false: the ring no longer reaches back; take a snapshot
	backlog [][]byte
	refused *queue.WireError // the session ended while the client subscribed
}

// Serve runs one websocket connection until it ends: it reads the
// subscribe message, asks resolve for the view, sends the starting frames
// (a snapshot, the missed events, or a phone's ticket) and then the live
// stream. It owns conn and closes it.
func (h *Hub) Serve(conn *websocket.Conn, resolve Resolver) {
	if !h.enter() {
		refuse(conn, wireError(CodeUnavailable, "the server is shutting down"), closeGoingAway, h.opt.WriteWait)
		return
	}
	defer h.conns.Done()
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
		c.writePump(backlog, h.opt.PongWait*9/10, h.opt.WriteWait)
	}()
	c.readPump(h.opt.PongWait)
	select {
	case h.unregister <- c:
	case <-h.done:
	}
	<-written
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
	view, werr := resolve(h.ctx, sub)
	if werr != nil {
		return nil, nil, werr
	}
	c := &client{conn: conn, view: view, name: conn.RemoteAddr().String(), send: make(chan []byte, h.opt.SendQueue)}
	backlog, werr := h.attach(c, sub.Since)
	if werr != nil {
		return nil, nil, werr
	}
	return c, backlog, nil
}

// attach reads the starting views from the office (on the connection's
// goroutine, never the committer's) and hands the client to the hub, which
// adds the events it holds after them.
func (h *Hub) attach(c *client, since uint64) ([][]byte, *queue.WireError) {
	for range 3 { // a snapshot may need a retry if a burst pushed it out of the ring
		r := &registration{c: c, since: since, reply: make(chan registered, 1)}
		_, err := h.office.Do(h.ctx, nil, func(now time.Time, st *queue.Office) {
			r.cur = st.Seq()
			switch {
			case c.view.Kind == KindPhone:
				if t := st.TicketByID(c.view.Ticket); t != nil {
					r.ticket = ptr(queue.PublicView(h.cfg, st, t, now))
				}
			case since == 0 || since > r.cur: // new client, or a database newer than the client's
				r.snap = ptr(c.view.snapshot(st.Snapshot(now)))
			default: // resuming: the stats frames it missed are not in the ring
				for _, s := range h.cfg.Services {
					r.stats = append(r.stats, st.ServiceView(now, s.ID))
				}
			}
		})
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
		since = 0
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
		h.count.Store(int64(len(h.clients)))
		r.reply <- registered{ok: true, backlog: backlog}
		return
	case r.snap != nil:
		from = r.snap.Seq
		if from+1 < h.ring.first() { // the events after it are gone
			r.reply <- registered{}
			return
		}
		backlog = append(backlog, marshalFrame(queue.Frame{Type: queue.FrameSnapshot, Seq: from, Snapshot: r.snap}))
	default:
		from = r.since
		if from+1 < h.ring.first() { // the events after it are gone
			r.reply <- registered{}
			return
		}
	}
	h.ring.after(from, func(ev *queue.Event) {
		if c.view.sees(ev) {
			backlog = append(backlog, (&encoded{ev: ev}).frame(&c.view))
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
	h.count.Store(int64(len(h.clients)))
	r.reply <- registered{ok: true, backlog: backlog}
	if c.view.Device != "" && h.presence.enter(c.view.Device, h.opt.Now()) {
		h.broadcastPresence()
	}
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

// writePump is the connection's only writer: the starting frames, then
// the hub's frames one per message, pings on a ticker; when the hub closes
// the queue it sends the close frame and closes the connection.
func (c *client) writePump(backlog [][]byte, pingEvery, writeWait time.Duration) {
	ping := time.NewTicker(pingEvery)
	defer func() {
		ping.Stop()
		c.conn.Close()
	}()
	write := func(typ int, data []byte) error {
		if err := c.conn.SetWriteDeadline(time.Now().Add(writeWait)); err != nil {
			return err
		}
		return c.conn.WriteMessage(typ, data)
	}
	for _, f := range backlog {
		if write(websocket.TextMessage, f) != nil {
			return
		}
	}
	for {
		select {
		case f, ok := <-c.send:
			if !ok {
				reason := c.closeReason
				if reason == "" {
					reason = map[int]string{closeGoingAway: "server shutting down", closeTooSlow: "too slow: resume with since"}[c.closeCode]
				}
				if c.closeFrame != nil && write(websocket.TextMessage, c.closeFrame) != nil {
					return
				}
				_ = write(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeCode, reason))
				return
			}
			if write(websocket.TextMessage, f) != nil {
				return
			}
		case <-ping.C:
			if write(websocket.PingMessage, nil) != nil {
				return
			}
		}
	}
}

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
