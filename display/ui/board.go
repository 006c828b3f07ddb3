package ui

import (
	"context"
	"image/color"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/display/chime"
	"turno/server/client"
	"turno/server/queue"
)

// Announcer announces a call aloud; chime.Queue is the app's. It must not
// block: it is called from the stream's goroutine.
type Announcer interface {
	Announce(chime.Announcement)
}

// Defaults of a board.
const (
	// DefaultHighlight is how long the newest call stays highlighted: long
	// enough for a citizen who heard the chime to look up and find it.
	DefaultHighlight = 8 * time.Second
	// staleCall is how old a call may be and still be announced: after a
	// reconnection the stream replays what was missed, and a chime for a
	// call made minutes ago would send citizens to the wrong counter.
	staleCall  = 30 * time.Second
	maxCurrent = 5 // current calls shown, the newest included
	maxLast    = 4 // earlier calls shown
)

// BoardOptions wire a Board.
type BoardOptions struct {
	Options
	// Chime announces each new call; nil is a silent board.
	Chime Announcer
	// Langs are the languages shown, the first one largest: Italian offices
	// show Italian and English together. Empty is {"it", "en"}.
	Langs []string
	// Highlight replaces DefaultHighlight.
	Highlight time.Duration
}

// Board is the hall board: the calls, the queues and the services' states
// in type large enough for the back of the hall.
type Board struct {
	opt   BoardOptions
	f     *follower
	words catalog
	root  fyne.CanvasObject

	// Touched only inside Do.
	conn      connection
	model     client.Model
	status    client.Status
	highlight struct {
		ticket string
		until  time.Time
	}
	currentSig, lastSig, servicesSig string

	office, clock *bigText
	banner        *fyne.Container
	bannerText    *bigText
	message       *fyne.Container
	messageText   *widget.Label
	callingHead   *bigText
	newestBox     *fyne.Container
	newestBg      *canvas.Rectangle
	newestNum     *bigText
	newestCounter *bigText
	current, last *fyne.Container
	lastHead      *bigText
	servicesHead  *bigText
	services      *fyne.Container
	serviceRows   map[string]*serviceRow
	idle          *bigText
}

// serviceRow is one service on the board.
type serviceRow struct {
	box     *fyne.Container
	name    *bigText
	subname *bigText
	state   *bigText
	reason  *widget.Label
	waiting *bigText
	caption *bigText
}

// NewBoard builds the board and starts following the office. Close stops it.
func NewBoard(ctx context.Context, opt BoardOptions) *Board {
	opt.defaults()
	if len(opt.Langs) == 0 {
		opt.Langs = []string{"it", "en"}
	}
	if opt.Highlight <= 0 {
		opt.Highlight = DefaultHighlight
	}
	b := &Board{opt: opt, f: newFollower(ctx, opt.Options), words: loadCatalog(), serviceRows: map[string]*serviceRow{}}
	b.build()
	// Nothing else touches the widgets before the stream starts.
	b.refresh(client.Model{}, client.Status{State: client.Connecting})
	b.f.follow(b.onEvent, b.refresh)
	return b
}

// Content is the board's canvas object, for the window.
func (b *Board) Content() fyne.CanvasObject { return b.root }

// Close stops following the office. Call it from outside Do.
func (b *Board) Close() { b.f.close() }

// say joins a text in every language of the board: "Chiamata · Now calling".
func (b *Board) say(key string, kv ...any) string {
	parts := make([]string, 0, len(b.opt.Langs))
	for _, l := range b.opt.Langs {
		s := b.words.in(l, key, kv...)
		if !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

func (b *Board) build() {
	b.office = newText("", boardInk, sizeOffice, true)
	b.clock = newText("", boardInk, sizeClock, true)
	header := container.NewBorder(nil, nil, nil, b.clock.t, b.office.box)

	b.bannerText = newText("", boardInk, sizeBanner, true)
	b.banner = container.NewStack(canvas.NewRectangle(boardRed), container.NewPadded(b.bannerText.box))
	b.banner.Hide()

	b.messageText = widget.NewLabel("")
	b.messageText.Wrapping = fyne.TextWrapWord
	b.messageText.TextStyle.Bold = true
	b.message = container.NewStack(canvas.NewRectangle(boardMessage),
		container.NewThemeOverride(container.NewPadded(b.messageText), sizedTheme{boardTheme{theme.DefaultTheme()}, sizeMessage}))
	b.message.Hide()

	b.callingHead = newText("", boardDim, sizeHeading, true)
	b.newestBg = canvas.NewRectangle(boardPanel)
	b.newestNum = newText("", boardInk, sizeNewest, true)
	b.newestCounter = newText("", boardInk, sizeCurrent, true)
	b.newestBox = container.NewStack(b.newestBg, container.NewPadded(container.NewVBox(b.newestNum.box, b.newestCounter.box)))
	b.idle = newText("", boardDim, sizeHeading, false)
	b.current = container.NewVBox()
	b.lastHead = newText("", boardDim, sizeHeading, true)
	b.last = container.NewVBox()
	calls := container.NewVBox(b.callingHead.box, b.newestBox, b.idle.box, b.current, spacer(16), b.lastHead.box, b.last)

	b.servicesHead = newText("", boardDim, sizeHeading, true)
	b.services = container.NewVBox()
	services := container.NewStack(canvas.NewRectangle(boardPanel), container.NewPadded(container.NewVBox(b.servicesHead.box, b.services)))

	body := container.New(&split{ratio: 0.6, gap: 32}, calls, services)
	top := container.NewVBox(header, b.banner, b.message)
	sep := canvas.NewRectangle(boardSeparate)
	sep.SetMinSize(fyne.NewSize(1, 3))
	page := container.NewBorder(container.NewVBox(top, sep, spacer(8)), nil, nil, nil, body)
	b.root = container.NewThemeOverride(container.NewStack(canvas.NewRectangle(boardGround), container.New(layout.NewCustomPaddedLayout(24, 24, 32, 32), page)), boardTheme{theme.DefaultTheme()})
}

func spacer(h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(1, h))
	return r
}

// onEvent chimes and highlights each new call and recall, on the stream's
// goroutine.
func (b *Board) onEvent(s *client.Stream, ev queue.Event) {
	if ev.Type != queue.EventTicketCalled && ev.Type != queue.EventTicketRecalled || ev.Ticket == nil {
		return
	}
	// The event's time is the server's: its age is judged on the server's
	// clock as the stream measured it, not on this machine's, which may be
	// off by minutes (ahead, the board would never chime; behind, it would
	// chime every call replayed after a reconnection).
	if age := s.ServerNow().Sub(ev.At); age > staleCall {
		b.opt.Logger.Info("old call not announced", "number", ev.Ticket.Number, "at", ev.At, "age", age)
		return
	}
	counter := ev.Ticket.Counter
	if k := s.Model().Counter(counter); k != nil && k.Name != "" {
		counter = k.Name
	}
	if b.opt.Chime != nil {
		b.opt.Chime.Announce(chime.Announcement{Number: ev.Ticket.Number, Counter: counter, CounterID: ev.Ticket.Counter, Recall: ev.Type == queue.EventTicketRecalled})
	}
	// The highlight is a length of time on screen, counted on the clock the
	// board redraws with.
	id, until := ev.Ticket.ID, b.opt.Now().Add(b.opt.Highlight)
	b.opt.Do(func() {
		b.highlight.ticket, b.highlight.until = id, until
	})
}

// refresh redraws the board from the model, inside Do.
func (b *Board) refresh(m client.Model, st client.Status) {
	b.model, b.status = m, st
	now := b.opt.Now()
	loc := b.opt.Location

	b.office.set(m.Office, boardInk)
	b.clock.set(clock(now, loc), boardInk)
	if text := b.conn.banner(st, now, loc, b.say); text != "" {
		b.bannerText.set(text, boardInk)
		b.banner.Show()
	} else {
		b.banner.Hide()
	}
	if m.HallMessage != "" {
		if b.messageText.Text != m.HallMessage {
			b.messageText.SetText(m.HallMessage)
		}
		b.message.Show()
	} else {
		b.message.Hide()
	}

	b.callingHead.set(b.say("Now calling"), boardDim)
	current, last := calls(m)
	if len(current) == 0 {
		b.newestBox.Hide()
		b.idle.set(b.say("Please wait to be called"), boardDim)
		b.idle.box.Show()
	} else {
		b.idle.box.Hide()
		b.newestBox.Show()
		t := current[0]
		lit := t.ID == b.highlight.ticket && now.Before(b.highlight.until)
		ink, ground := boardInk, boardPanel
		if lit {
			ink, ground = boardBlack, boardYellow
		}
		b.newestNum.set(t.Number, ink)
		b.newestCounter.set("→ "+b.counterName(t.Counter), ink)
		if b.newestBg.FillColor != ground {
			b.newestBg.FillColor = ground
			b.newestBg.Refresh()
		}
		current = current[1:]
	}
	b.drawCalls(b.current, &b.currentSig, current, sizeCurrent, boardInk)
	b.lastHead.set(b.say("Last calls"), boardDim)
	if len(last) == 0 {
		b.lastHead.box.Hide()
	} else {
		b.lastHead.box.Show()
	}
	b.drawCalls(b.last, &b.lastSig, last, sizeLast, boardDim)

	b.servicesHead.set(b.say("Services"), boardDim)
	b.drawServices(m, now)
	// Texts and rows change size: lay the whole board out again (a few
	// hundred objects, once a second at most, and only what changed is
	// drawn again).
	b.root.Refresh()
}

func (b *Board) counterName(id string) string {
	if k := b.model.Counter(id); k != nil && k.Name != "" {
		return k.Name
	}
	return id
}

// lastCall is when a ticket was last called to a counter: its call, or a
// later recall (a recall leaves CalledAt as it was, and the citizen who
// hears the chime again must find the number on top).
func lastCall(t *queue.Ticket) time.Time {
	at := *t.CalledAt
	if t.RecalledAt != nil && t.RecalledAt.After(at) {
		at = *t.RecalledAt
	}
	return at
}

// calls returns the tickets at a counter now, the latest called or
// recalled first, and the earlier calls no longer at a counter.
func calls(m client.Model) (current, last []queue.Ticket) {
	for _, t := range m.Tickets {
		if t.CalledAt == nil {
			continue
		}
		if t.Status == queue.StatusCalled || t.Status == queue.StatusServing {
			current = append(current, t.Ticket)
		} else if t.Status != queue.StatusWaiting {
			last = append(last, t.Ticket)
		}
	}
	newest := func(a, b queue.Ticket) int { return lastCall(&b).Compare(lastCall(&a)) }
	slices.SortStableFunc(current, newest)
	slices.SortStableFunc(last, newest)
	if len(current) > maxCurrent {
		current = current[:maxCurrent]
	}
	if len(last) > maxLast {
		last = last[:maxLast]
	}
	return current, last
}

// drawCalls shows calls as rows of number and counter; it rebuilds the rows
// only when what they show changed.
func (b *Board) drawCalls(box *fyne.Container, sig *string, ts []queue.Ticket, size float32, ink color.Color) {
	var s strings.Builder
	for _, t := range ts {
		s.WriteString(t.Number + ">" + b.counterName(t.Counter) + ";")
	}
	if s.String() == *sig {
		return
	}
	*sig = s.String()
	rows := make([]fyne.CanvasObject, 0, len(ts))
	for _, t := range ts {
		num := newText(t.Number, ink, size, true)
		num.box.Layout = fitLayout{size}
		numBox := container.NewGridWrap(fyne.NewSize(size*2.9, size*1.25), num.box)
		rows = append(rows, container.NewBorder(nil, nil, numBox, nil, newText("→ "+b.counterName(t.Counter), ink, size*0.8, false).box))
	}
	box.Objects = rows
	box.Refresh()
}

// drawServices shows each service's state, reason and people waiting.
func (b *Board) drawServices(m client.Model, now time.Time) {
	var sig strings.Builder
	for _, sv := range m.Services {
		sig.WriteString(sv.ID + ";")
	}
	if sig.String() != b.servicesSig {
		b.servicesSig = sig.String()
		b.serviceRows = map[string]*serviceRow{}
		objs := make([]fyne.CanvasObject, 0, len(m.Services))
		for _, sv := range m.Services {
			r := b.newServiceRow()
			b.serviceRows[sv.ID] = r
			objs = append(objs, r.box)
		}
		b.services.Objects = objs
		b.services.Refresh()
	}
	for _, sv := range m.Services {
		r := b.serviceRows[sv.ID]
		names := []string{sv.NameIT, sv.NameEN}
		if b.opt.Langs[0] == "en" {
			names[0], names[1] = names[1], names[0]
		}
		r.name.set(names[0], boardInk)
		if len(b.opt.Langs) > 1 && names[1] != names[0] {
			r.subname.set(names[1], boardDim)
			r.subname.box.Show()
		} else {
			r.subname.box.Hide()
		}
		word, reason, ink := b.serviceState(sv, now)
		r.state.set(word, ink)
		if r.reason.Text != reason {
			r.reason.SetText(reason)
		}
		if reason == "" {
			r.reason.Hide()
		} else {
			r.reason.Show()
		}
		waitInk := boardInk
		if sv.Waiting == 0 {
			waitInk = boardDim
		}
		r.waiting.set(itoa(sv.Waiting), waitInk)
		r.caption.set(b.say("waiting"), boardDim)
	}
}

func (b *Board) newServiceRow() *serviceRow {
	r := &serviceRow{
		name:    newText("", boardInk, sizeService, true),
		subname: newText("", boardDim, sizeSubtitle, false),
		state:   newText("", boardGreen, sizeReason, true),
		waiting: newText("", boardInk, sizeWaiting, true),
		caption: newText("", boardDim, 22, false),
	}
	r.reason = widget.NewLabel("")
	r.reason.Wrapping = fyne.TextWrapWord
	count := container.NewGridWrap(fyne.NewSize(150, sizeWaiting*1.25+30), container.NewVBox(r.waiting.box, r.caption.box))
	left := container.NewVBox(r.name.box, r.subname.box, r.state.box,
		container.NewThemeOverride(r.reason, sizedTheme{boardTheme{theme.DefaultTheme()}, 22}))
	sep := canvas.NewRectangle(boardSeparate)
	sep.SetMinSize(fyne.NewSize(1, 2))
	r.box = container.NewVBox(container.NewBorder(nil, nil, nil, count, left), sep)
	return r
}

// serviceState is a service's state in the board's words, a reason, and
// the state's colour: green open, amber stopped for now, grey closed.
func (b *Board) serviceState(sv queue.ServiceView, now time.Time) (word, reason string, ink color.Color) {
	loc := b.opt.Location
	var reopens string
	if r := sv.Refusal; r != nil && r.ReopensAt != nil {
		at := r.ReopensAt.In(loc)
		if y, d := at.YearDay(), now.In(loc).YearDay(); y == d && at.Year() == now.In(loc).Year() {
			reopens = b.say("reopens at {{.T}}", "T", at.Format("15:04"))
		} else {
			reopens = b.say("reopens on {{.D}} at {{.T}}", "D", at.Format("02/01"), "T", at.Format("15:04"))
		}
	}
	appointment := ""
	if sv.Refusal != nil && sv.Refusal.Appointment {
		appointment = b.say("you can book an appointment")
	}
	join := func(parts ...string) string {
		var out []string
		for _, p := range parts {
			if p != "" {
				out = append(out, p)
			}
		}
		return strings.Join(out, "\n")
	}
	switch sv.Status {
	case queue.ServiceOpen:
		return b.say("Open"), "", boardGreen
	case queue.ServiceLocked:
		why := ""
		if sv.Lock != nil {
			why = sv.Lock.Reason
		}
		return b.say("Suspended"), why, boardAmber
	case queue.ServiceCutoff:
		rule := ""
		if sv.Refusal != nil {
			rule = sv.Refusal.Rule
		}
		switch rule {
		case queue.RuleDailyCap:
			return b.say("All of today's tickets issued"), join(reopens, appointment), boardAmber
		case queue.RuleCutoffLoad:
			return b.say("No more tickets"), join(b.say("the people waiting fill the time left"), reopens, appointment), boardAmber
		}
		closes := ""
		if sv.ClosesAt != nil {
			closes = b.say("the counters close at {{.T}}", "T", clock(*sv.ClosesAt, loc))
		}
		return b.say("No more tickets"), join(closes, reopens, appointment), boardAmber
	}
	return b.say("Closed"), join(reopens), boardDim
}

func itoa(n int) string { return strconv.Itoa(n) }

// split lays out two objects side by side: the first takes ratio of the
// width, the second the rest, with a gap between.
type split struct{ ratio, gap float32 }

func (s *split) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, c := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+c.Width+s.gap, max(a.Height, c.Height))
}

func (s *split) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := (size.Width - s.gap) * s.ratio
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
	objs[1].Move(fyne.NewPos(w+s.gap, 0))
	objs[1].Resize(fyne.NewSize(size.Width-w-s.gap, size.Height))
}

// sizedTheme sets the body text size of a part of the screen.
type sizedTheme struct {
	fyne.Theme
	text float32
}

func (t sizedTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return t.text
	}
	return t.Theme.Size(n)
}
