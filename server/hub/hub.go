// Package hub fans the office's committed events out to websocket clients:
// kiosks, hall displays, counters, supervisors and citizens' phones.
//
// It follows the shape of gorilla/websocket's chat example. One hub
// goroutine owns the set of clients; each client has a reader (readPump:
// read limit, deadline extended on pong) and a writer (writePump: the only
// writer, pings on a ticker, a deadline on every write). The hub hands each
// client its frames through a bounded queue and drops a client whose queue
// is full, so a slow phone never slows a counter; only the hub closes that
// queue. Every frame is one JSON object in one websocket message.
//
// Events reach the hub through Publish, which live calls from its committer
// goroutine after every commit: Publish only queues them, because the hub
// computes views (snapshots, stats, phone positions) through the office's
// Do, which may wait for that very goroutine. A ring of recent events lets a
// client that reconnects receive exactly what it missed; when the ring no
// longer reaches back that far it gets a fresh snapshot instead.
//
// The order guarantee: a client's frames carry Seq, and every event up to
// Seq that its view may see has been sent before. The hub keeps, per
// client, the last sequence it has accounted for (sent, or covered by the
// snapshot it started from) and sends only later events, so a snapshot and
// the live stream join with no gap and no duplicate.
package hub

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"turno/server/live"
	"turno/server/queue"
)

// Defaults of Options.
const (
	DefaultRingSize   = 10000
	DefaultSendQueue  = 512
	DefaultStatsEvery = 20 * time.Second
	DefaultStatsDelay = 250 * time.Millisecond
	// A hall screen must say within seconds that it is no longer live: the
	// hub pings every 6 s (half of it), drops a client that has not
	// answered for 12 s, and clients give up after 25 s of silence
	// (client.DefaultReadTimeout).
	DefaultPongWait      = 12 * time.Second
	DefaultWriteWait     = 10 * time.Second
	DefaultSubscribeWait = 10 * time.Second
	// Phones follow a ticket with no token, so their streams are capped: a
	// family's phones on one ticket, an office's guest network per address.
	DefaultPhonesPerTicket  = 5
	DefaultPhonesPerAddress = 50
	// DefaultShareSnapshot is how old a snapshot a new subscriber may
	// start from (Options.ShareSnapshot).
	DefaultShareSnapshot = 250 * time.Millisecond
	// DefaultStartEvery is Options.StartEvery's default.
	DefaultStartEvery = 5 * time.Millisecond
)

// startBurst is how many snapshot starts go out at once before StartEvery
// spaces them.
const startBurst = 10

// Office is the running office, read through Do with no command, and its
// shared snapshot (live.Office).
type Office interface {
	// Read runs a view on the committed state without holding up commands.
	Read(ctx context.Context, view live.View) error
	Snapshot(ctx context.Context) (*queue.Snapshot, error)
}

// Options configure a hub; only Config is required.
type Options struct {
	Config *queue.Config
	// Current, if set, returns the configuration in force, which the
	// administration console may replace (Config is then only the first).
	Current func() *queue.Config
	// Last is the sequence of the last committed event when the hub is
	// built, before the office opens; History may hold the events that end
	// at Last (the ring starts with them, so clients can resume across a
	// server restart).
	Last    uint64
	History []queue.Event
	// RingSize is how many recent events are kept for resuming.
	RingSize int
	// SendQueue is how many frames may wait for a client before it is
	// dropped as too slow.
	SendQueue int
	// StatsEvery is how often every service's view is sent again: waits
	// and cut-offs drift with time even when nothing happens.
	StatsEvery time.Duration
	// StatsDelay is how long the fresh views that follow events wait, so
	// that the events themselves reach every screen first and a burst of
	// events costs one round of views.
	StatsDelay time.Duration
	// PongWait is how long a silent client is kept; pings go out at half
	// of it, so a client has the other half to answer (a busy phone, a
	// slow network). WriteWait bounds one write, SubscribeWait the first
	// message.
	PongWait, WriteWait, SubscribeWait time.Duration
	// PhonesPerTicket and PhonesPerAddress cap the phone streams (no token)
	// on one ticket and from one client address (View.Addr).
	PhonesPerTicket, PhonesPerAddress int
	Logger                            *slog.Logger
	// Devices are the configured kiosks and displays (ID and Role), whose
	// presence supervisors follow. Now stamps their changes (the office's
	// clock, so that "offline since" reads against the same time as the
	// rest of the flow view); time.Now when nil.
	Devices []queue.DeviceStatus
	Now     func() time.Time
	// ShareSnapshot is how old a snapshot a new subscriber may start from:
	// it gets the events since from the ring, so it misses nothing. In a
	// busy office the state changes with every ticket, and a hundred
	// displays subscribing at once would each build and encode their own
	// snapshot; they share one instead, built at most once in this time.
	ShareSnapshot time.Duration
	// StartEvery spaces the starts that send a fresh snapshot, past a
	// burst of startBurst: a wave of a hundred displays is spread over
	// half a second instead of taking every processor at once, while
	// the kiosks' requests wait (DefaultStartEvery when 0, none when
	// negative). Phones and resuming clients are not paced: theirs are
	// small frames.
	StartEvery time.Duration
}

// startSlots is how many clients subscribe at once, from their subscribe
// message to their starting frames written: a hundred displays subscribing
// at once are taken a few at a time, so the goroutines of the kiosks' and
// counters' requests, and the committer's, do not queue behind a hundred
// others for the processor (Go's scheduler has no priorities).
const startSlots = 4

// Hub is the stream's fan-out.
type Hub struct {
	cfg    *queue.Config
	opt    Options
	logger *slog.Logger
	office Office

	inMu  sync.Mutex
	inbox [][]queue.Event
	kick  chan struct{}

	register   chan *registration
	unregister chan *client
	endSession chan endRequest
	ctx        context.Context // canceled by Close
	cancel     context.CancelFunc
	done       chan struct{} // the hub goroutine has returned

	// Connections being served, so that Close can wait for them.
	connMu  sync.Mutex
	closing bool
	started bool
	conns   sync.WaitGroup

	count atomic.Int64 // clients, for Clients
	// byKind and tooSlow are for Stats.
	byKind  [kindCount]atomic.Int64
	tooSlow atomic.Uint64

	snapshots snapshotFrames // encoded snapshots, shared by the views alike
	// starting are the slots to subscribe clients in (startSlots).
	starting chan struct{}
	// paceMu guards paceNext, the earliest time of the next paced start.
	paceMu   sync.Mutex
	paceNext time.Time

	presence *presence

	// Owned by the hub goroutine.
	ring    *ring
	clients map[*client]struct{}
	phones  phoneCounts
	// ended are sessions ended by logout, until they would have expired:
	// a stream that resolved its token just before the logout is refused
	// when it joins after it.
	ended map[string]time.Time
}

// endRequest asks the hub goroutine to end a session's streams.
type endRequest struct {
	session string
	until   time.Time
	werr    *queue.WireError
	done    chan struct{}
}

// New builds a hub; Start runs it once the office is open.
func New(opt Options) *Hub {
	if opt.RingSize <= 0 {
		opt.RingSize = DefaultRingSize
	}
	if opt.SendQueue <= 0 {
		opt.SendQueue = DefaultSendQueue
	}
	if opt.StatsEvery <= 0 {
		opt.StatsEvery = DefaultStatsEvery
	}
	if opt.StatsDelay <= 0 {
		opt.StatsDelay = DefaultStatsDelay
	}
	if opt.PongWait <= 0 {
		opt.PongWait = DefaultPongWait
	}
	if opt.WriteWait <= 0 {
		opt.WriteWait = DefaultWriteWait
	}
	if opt.SubscribeWait <= 0 {
		opt.SubscribeWait = DefaultSubscribeWait
	}
	if opt.PhonesPerTicket <= 0 {
		opt.PhonesPerTicket = DefaultPhonesPerTicket
	}
	if opt.PhonesPerAddress <= 0 {
		opt.PhonesPerAddress = DefaultPhonesPerAddress
	}
	if opt.StartEvery == 0 {
		opt.StartEvery = DefaultStartEvery
	}
	if opt.ShareSnapshot <= 0 {
		opt.ShareSnapshot = DefaultShareSnapshot
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &Hub{
		cfg: opt.Config, opt: opt, logger: opt.Logger,
		kick: make(chan struct{}, 1), register: make(chan *registration), unregister: make(chan *client),
		endSession: make(chan endRequest), ended: map[string]time.Time{},
		phones: phoneCounts{byTicket: map[string]int{}, byAddr: map[string]int{}},
		ctx:    ctx, cancel: cancel, done: make(chan struct{}),
		ring: newRing(opt.RingSize, opt.Last), clients: map[*client]struct{}{},
		presence: newPresence(opt.Devices),
		starting: make(chan struct{}, startSlots),
	}
	h.preload(opt.History)
	return h
}

// preload fills the ring with the history if it is gapless and ends at Last;
// otherwise the ring starts empty at Last and older resumes get snapshots.
func (h *Hub) preload(history []queue.Event) {
	if len(history) > h.opt.RingSize {
		history = history[len(history)-h.opt.RingSize:]
	}
	if len(history) == 0 || history[len(history)-1].Seq != h.opt.Last {
		return
	}
	for i := 1; i < len(history); i++ {
		if history[i].Seq != history[i-1].Seq+1 {
			return
		}
	}
	h.ring.reset(history[0].Seq - 1)
	for i := range history {
		h.ring.push(&encoded{ev: &history[i]})
	}
}

// Start runs the hub over the open office.
func (h *Hub) Start(office Office) {
	h.connMu.Lock()
	defer h.connMu.Unlock()
	if h.started || h.closing {
		return
	}
	h.office, h.started = office, true
	go h.run()
}

// Publish queues a committed batch of events. It never blocks: live calls
// it from its committer goroutine, which the hub itself may be waiting for.
func (h *Hub) Publish(events []queue.Event) {
	if len(events) == 0 {
		return
	}
	h.inMu.Lock()
	if h.ctx.Err() == nil {
		h.inbox = append(h.inbox, events)
	}
	h.inMu.Unlock()
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// Close disconnects every client and stops the hub; it returns once every
// connection's goroutines have ended.
func (h *Hub) Close() {
	h.connMu.Lock()
	already := h.closing
	h.closing = true
	started := h.started
	h.connMu.Unlock()
	h.cancel()
	if !already && started {
		<-h.done
	}
	h.conns.Wait()
}

// Clients returns how many clients are subscribed.
func (h *Hub) Clients() int { return int(h.count.Load()) }

// enter counts a connection in, unless the hub is closing.
func (h *Hub) enter() bool {
	h.connMu.Lock()
	defer h.connMu.Unlock()
	if h.closing || !h.started {
		return false
	}
	h.conns.Add(1)
	return true
}

func (h *Hub) run() {
	defer close(h.done)
	tick := time.NewTicker(h.opt.StatsEvery)
	defer tick.Stop()
	// Events are delivered at once; the fresh views they call for wait
	// for StatsDelay, gathered.
	var pending []*encoded
	var later <-chan time.Time
	for {
		select {
		case <-h.kick:
			h.inMu.Lock()
			batches := h.inbox
			h.inbox = nil
			h.inMu.Unlock()
			if fresh := h.deliver(batches); len(fresh) > 0 {
				pending = append(pending, fresh...)
				if later == nil {
					later = time.After(h.opt.StatsDelay)
				}
			}
		case <-later:
			h.refresh(pending, false)
			pending, later = nil, nil
		case r := <-h.register:
			h.join(r)
		case c := <-h.unregister:
			h.drop(c, closeNormal)
		case req := <-h.endSession:
			h.endStreams(req)
			close(req.done)
		case <-tick.C:
			h.expire()
			h.refresh(nil, true)
		case <-h.ctx.Done():
			for c := range h.clients {
				h.drop(c, closeGoingAway)
			}
			return
		}
	}
}

// EndSession ends the streams of a login session (logout): each gets an
// error frame with werr and a close with a reason. It returns once the hub
// has dropped them, so nothing queued after it reaches them; until is when
// the session would have expired, up to which a stream that resolved the
// session's token earlier is refused if it joins now.
func (h *Hub) EndSession(ctx context.Context, session string, until time.Time, werr *queue.WireError) error {
	if session == "" {
		return nil
	}
	h.connMu.Lock()
	started := h.started
	h.connMu.Unlock()
	if !started {
		return nil // no stream has joined
	}
	req := endRequest{session: session, until: until, werr: werr, done: make(chan struct{})}
	select {
	case h.endSession <- req:
	case <-h.done:
		return nil // stopped: every stream has ended
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-req.done:
		return nil
	case <-h.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// endStreams drops the session's clients with its error.
func (h *Hub) endStreams(req endRequest) {
	now := h.opt.Now()
	for s, until := range h.ended {
		if !now.Before(until) {
			delete(h.ended, s)
		}
	}
	h.ended[req.session] = req.until
	for c := range h.clients {
		if c.view.Session == req.session {
			h.end(c, req.werr, "logged out")
		}
	}
}

// expire ends the streams of sessions that have expired, as their next
// request over HTTP would be refused.
func (h *Hub) expire() {
	now := h.opt.Now()
	for c := range h.clients {
		if !c.view.Expires.IsZero() && !now.Before(c.view.Expires) {
			h.end(c, wireError(CodeSessionExpired, "the session has expired: log in again"), "session expired")
		}
	}
}

// end drops a client with an error frame and a close reason.
func (h *Hub) end(c *client, werr *queue.WireError, reason string) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	c.closeFrame = marshalFrame(queue.Frame{Type: queue.FrameError, Seq: c.sent, Error: werr})
	c.closeReason = reason
	h.drop(c, closeRefused)
}

// drop removes a client and closes its queue; its writer says goodbye.
func (h *Hub) drop(c *client, code int) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	h.counted(c, -1)
	if code == closeTooSlow {
		h.tooSlow.Add(1)
	}
	if c.view.Kind == KindPhone {
		h.phones.leave(c.view.Ticket, c.view.Addr)
	}
	c.closeCode = code
	close(c.send)
	if c.view.Device != "" && h.presence.leave(c.view.Device, h.opt.Now()) {
		h.broadcastPresence()
	}
}

// config is the configuration in force.
func (h *Hub) config() *queue.Config {
	if h.opt.Current != nil {
		return h.opt.Current()
	}
	return h.cfg
}

// SetDevices replaces the configured devices whose presence supervisors
// follow (the administration console added or revoked one); a device kept
// keeps its state. It never blocks on the hub.
func (h *Hub) SetDevices(devices []queue.DeviceStatus) { h.presence.reconfigure(devices) }

// recheck resolves every token-holding client's subscription again under
// the configuration just put in force: a device whose token was revoked,
// or a user removed or given another role or password, is refused as its
// next request would be; the others get their new view (a counter's
// services), and a fresh snapshot follows.
func (h *Hub) recheck() {
	for c := range h.clients {
		if c.view.Kind == KindPhone || c.resolve == nil {
			continue
		}
		v, werr := c.resolve(h.ctx, c.sub)
		if werr != nil {
			h.end(c, werr, "configuration changed")
			continue
		}
		v.Addr = c.view.Addr
		if v.Device != c.view.Device {
			if c.view.Device != "" {
				h.presence.leave(c.view.Device, h.opt.Now())
			}
			if v.Device != "" {
				h.presence.enter(v.Device, h.opt.Now())
			}
		}
		c.view = v
	}
	h.broadcastPresence()
}

// Presence returns the configured devices' connection status.
func (h *Hub) Presence() []queue.DeviceStatus { return h.presence.list() }

// broadcastPresence tells every supervisor which devices are connected.
func (h *Hub) broadcastPresence() {
	var frame []byte
	for c := range h.clients {
		if c.view.Kind == KindAll {
			if frame == nil {
				frame = marshalFrame(queue.Frame{Type: queue.FramePresence, Seq: h.ring.last, Devices: h.presence.list()})
			}
			h.send(c, frame)
		}
	}
}

// send queues a frame for a client, or drops the client if its queue is
// full: the others must not wait for it.
func (h *Hub) send(c *client, frame []byte) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	select {
	case c.send <- frame:
	default:
		h.logger.Info("stream client too slow; dropped", "client", c.name)
		h.drop(c, closeTooSlow)
	}
}

// encoded caches one event's frame at each level: every view at a level
// shares the same bytes.
type encoded struct {
	ev    *queue.Event
	bytes [2][]byte
}

func (e *encoded) frame(v *View) []byte {
	if v.Kind == KindClerk && e.ev.Counter != nil && e.ev.Counter.ID != v.Counter {
		return marshalFrame(queue.Frame{Type: queue.FrameEvent, Seq: e.ev.Seq, Event: ptr(v.event(*e.ev))})
	}
	lv := v.level()
	if e.bytes[lv] == nil {
		e.bytes[lv] = marshalFrame(queue.Frame{Type: queue.FrameEvent, Seq: e.ev.Seq, Event: ptr(strip(*e.ev, lv))})
	}
	return e.bytes[lv]
}

func ptr[T any](v T) *T { return &v }

// marshalFrame encodes a frame; the wire types always encode.
func marshalFrame(f queue.Frame) []byte {
	data, err := json.Marshal(f)
	if err != nil {
		// Unreachable with the queue types; an empty object keeps the
		// stream's framing rather than crashing the hub.
		return []byte("{}")
	}
	return data
}

// deliver appends committed batches to the ring and fans them out. It
// returns the new events, whose fresh views the caller sends.
func (h *Hub) deliver(batches [][]queue.Event) []*encoded {
	var fresh []*encoded
	for _, batch := range batches {
		for i := range batch {
			ev := &batch[i]
			switch {
			case ev.Seq <= h.ring.last:
				continue // already preloaded from the log
			case ev.Seq > h.ring.last+1:
				// Cannot happen with live's ordered commits; if it does, the
				// ring must not pretend to be gapless.
				// It can if a commit reported failing had reached the disk:
				// the office reloads those events without publishing them.
				// Every client is sent away to come back for a snapshot.
				h.logger.Warn("stream: gap in published events; every client starts over from a snapshot", "after", h.ring.last, "got", ev.Seq)
				h.ring.reset(ev.Seq - 1)
				for c := range h.clients {
					h.drop(c, closeGoingAway)
				}
			}
			e := &encoded{ev: ev}
			h.ring.push(e)
			fresh = append(fresh, e)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	for _, e := range fresh {
		if e.ev.Type == queue.EventConfigChanged {
			h.recheck() // a revoked device or a changed user sees nothing more
			break
		}
	}
	h.expire() // an expired session sees nothing more
	for c := range h.clients {
		if c.view.Kind == KindPhone { // phones get their ticket in refresh
			c.sent = max(c.sent, fresh[len(fresh)-1].ev.Seq)
			continue
		}
		for _, e := range fresh {
			if e.ev.Seq <= c.sent {
				continue // covered by the snapshot or the resume it started from
			}
			c.sent = e.ev.Seq
			if c.view.sees(e.ev) {
				h.send(c, e.frame(&c.view))
				c.rolled = c.rolled || e.ev.Type == queue.EventDayRollover
			}
			if e.ev.Type == queue.EventConfigChanged {
				c.rolled = true // whatever the view sees: services, counters and rules may have changed
			}
		}
	}
	return fresh
}

// refresh sends fresh views after events (or, with all, on the timer):
// stats of the services the events touched, and the ticket of every phone
// whose ticket or service they touched, if its public view changed. One
// read of the office serves every client.
func (h *Hub) refresh(fresh []*encoded, all bool) {
	if len(h.clients) == 0 {
		return
	}
	cfg := h.config()
	touched := map[string]bool{}
	latest := map[string]*queue.Ticket{} // this batch's tickets, by id
	// Some client saw a day begin, live or in its backlog.
	rolled := false
	for c := range h.clients {
		rolled = rolled || c.rolled
	}
	for _, e := range fresh {
		touches(cfg, e.ev, func(s string) { touched[s] = true })
		if t := e.ev.Ticket; t != nil {
			latest[t.ID] = t
		}
	}
	var services []string
	for _, s := range cfg.Services {
		if all || touched[s.ID] {
			services = append(services, s.ID)
		}
	}
	var phones []*client
	wantStats := false
	for c := range h.clients {
		switch {
		case c.view.Kind == KindPhone:
			if all || touched[c.service] || latest[c.view.Ticket] != nil {
				phones = append(phones, c)
			}
		case c.view.wantsStats():
			wantStats = true
		}
	}
	if !wantStats {
		services = nil
	}
	if len(services) == 0 && len(phones) == 0 && !rolled {
		return
	}
	var views []queue.ServiceView
	var positions map[string]map[string]queue.Position
	var snap *queue.Snapshot
	if rolled { // a new day: its agenda was booked on earlier days
		var err error
		if snap, err = h.office.Snapshot(h.ctx); err != nil {
			h.logger.Debug("stream: cannot read the new day's snapshot", "err", err)
		}
	}
	tickets := make([]*queue.PublicTicket, len(phones))
	err := h.office.Read(h.ctx, func(now time.Time, st *queue.Office) {
		for _, id := range services {
			views = append(views, st.ServiceView(now, id))
		}
		if len(services) > 0 {
			positions = st.Positions(now, services...)
		}
		for i, c := range phones {
			if t := st.TicketByID(c.view.Ticket); t != nil {
				tickets[i] = ptr(queue.PublicView(st.Config(), st, t, now))
			}
		}
	})
	if err != nil {
		h.logger.Debug("stream: cannot read the office for fresh views", "err", err)
		return
	}
	h.expire() // views read at a time past a session's expiry are not for it
	if snap != nil {
		for c := range h.clients {
			if !c.rolled { // joined after the new day began: its snapshot has it
				continue
			}
			c.rolled = false
			h.send(c, h.snapshots.frame(snap, &c.view))
			c.sent = max(c.sent, snap.Seq)
		}
	}
	if len(views) > 0 {
		var frames [2][]byte // one encoding per level, shared by its views
		for c := range h.clients {
			if !c.view.wantsStats() {
				continue
			}
			if c.view.Kind == KindClerk { // its own services' positions only
				h.send(c, marshalFrame(queue.Frame{Type: queue.FrameStats, Seq: h.ring.last, Services: views, Positions: c.view.positions(positions)}))
				continue
			}
			lv := c.view.level()
			if frames[lv] == nil {
				f := queue.Frame{Type: queue.FrameStats, Seq: h.ring.last, Services: c.view.services(views)}
				f.Positions = c.view.positions(positions)
				frames[lv] = marshalFrame(f)
			}
			h.send(c, frames[lv])
		}
	}
	for i, c := range phones {
		pt := tickets[i]
		if pt == nil { // gone from today's state: a new day expired it
			t := latest[c.view.Ticket]
			if t == nil {
				continue
			}
			pt = ptr(queue.PublicView(cfg, nil, t, time.Time{}))
		}
		h.sendTicket(c, pt, c.sent)
	}
}

// sendTicket sends a phone its ticket if its public view changed.
func (h *Hub) sendTicket(c *client, pt *queue.PublicTicket, seq uint64) {
	body, err := json.Marshal(pt)
	if err != nil || string(body) == string(c.lastTicket) {
		return
	}
	c.lastTicket, c.service = body, pt.Service
	h.send(c, ticketFrame(seq, body))
}

// ticketFrame is marshalFrame(queue.Frame{Type: FrameTicket, Seq: seq,
// Ticket: t}) around t's encoding, which sendTicket has already made to
// compare it: a call that moves 5,000 phones up encodes each ticket once.
func ticketFrame(seq uint64, ticket []byte) []byte {
	f := make([]byte, 0, len(ticket)+48)
	f = append(f, `{"type":"ticket","seq":`...)
	f = strconv.AppendUint(f, seq, 10)
	f = append(f, `,"ticket":`...)
	f = append(f, ticket...)
	return append(f, '}')
}
