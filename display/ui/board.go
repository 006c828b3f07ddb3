package ui

import (
	"context"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

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
	// DefaultAlternate is how long the services are shown in one language
	// before the next: one language at a time is twice the size.
	DefaultAlternate = 10 * time.Second
	// staleCall is how old a call may be and still be announced: after a
	// reconnection the stream replays what was missed, and a chime for a
	// call made minutes ago would send citizens to the wrong counter.
	staleCall = 30 * time.Second
	// quietAfter is how long the last call of the day stays on the board
	// once the office has closed and nobody waits: then the board rests.
	quietAfter = 3 * time.Minute
	maxCurrent = 5 // current calls shown, the newest included
	maxLast    = 6 // earlier calls shown, as many as fit
)

// BoardOptions wire a Board.
type BoardOptions struct {
	Options
	// Chime announces each new call; nil is a silent board.
	Chime Announcer
	// Langs are the languages shown, the first one first: Italian offices
	// show Italian and English. Headings show both at once; the services,
	// which have more to say, show one at a time, alternating. Empty is
	// {"it", "en"}.
	Langs []string
	// Highlight replaces DefaultHighlight.
	Highlight time.Duration
	// Alternate replaces DefaultAlternate.
	Alternate time.Duration
}

// Board is the hall board: the calls, the queues and the services' states
// in type large enough for the back of the hall, in fixed regions that fit
// the screen whatever they hold.
type Board struct {
	opt   BoardOptions
	f     *follower
	words catalog
	root  fyne.CanvasObject

	// Touched only inside Do.
	conn      connection
	model     client.Model
	status    client.Status
	loc       *time.Location
	highlight struct {
		ticket string
		until  time.Time
	}
	state               boardState
	currentSig, lastSig string
	serviceFit          int // rows that fit the services region, set by its layout
	page, pages         int
	shown               map[string]*serviceRow // the services on screen, by id
	office, clock       *bigText
	banner              *fyne.Container
	bannerText          *bigText
	message             *fyne.Container
	messageText         *textBlock
	callingHead         *bigText
	nowBox              *fyne.Container
	nowBg               *canvas.Rectangle
	nowNum, nowCounter  *bigText
	current, last       *fyne.Container
	lastHead            *bigText
	servicesHead        *bigText
	services            *fyne.Container
	rows                []*serviceRow
}

// boardState is what the box of the newest call shows.
type boardState int

const (
	stateCalling boardState = iota // the newest call
	stateWaiting                   // open, nobody called yet
	stateClosed                    // the office closed, nobody waiting: a quiet board
)

// serviceRow is one row of the services region; it shows whichever
// service the current page puts there.
type serviceRow struct {
	box     *fyne.Container
	name    *bigText
	state   *textBlock
	waiting *bigText
	caption *bigText
	rule    *canvas.Rectangle
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
	if opt.Alternate <= 0 {
		opt.Alternate = DefaultAlternate
	}
	b := &Board{opt: opt, f: newFollower(ctx, opt.Options), words: loadCatalog(), serviceFit: designedServices, shown: map[string]*serviceRow{}}
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

// langAt is the language the services speak at now: each of the board's
// languages in turn, for Alternate each.
func (b *Board) langAt(now time.Time) string {
	n := now.UnixNano() / int64(b.opt.Alternate)
	return b.opt.Langs[int(n%int64(len(b.opt.Langs)))]
}

func (b *Board) build() {
	b.office = newText("", boardInk, sizeOffice, true, sizeMin)
	b.clock = newText("", boardInk, sizeClock, true, 48)
	b.clock.t.Alignment = fyne.TextAlignTrailing
	rule := canvas.NewRectangle(boardSeparate)
	rule.SetMinSize(fyne.NewSize(1, 3))
	clockW := fyne.MeasureText("00:00", sizeClock, fyne.TextStyle{Bold: true}).Width + 8
	header := container.NewBorder(nil, rule, nil, container.NewGridWrap(fyne.NewSize(clockW, headerH-4), b.clock.box), container.NewVBox(layout.NewSpacer(), b.office.box, layout.NewSpacer()))

	b.bannerText = newText("", boardInk, sizeBanner, true, sizeMin)
	b.banner = container.NewStack(canvas.NewRectangle(boardRed), container.New(layout.NewCustomPaddedLayout(8, 8, 20, 20), b.bannerText.box))
	b.banner.Hide()

	b.messageText = newTextBlock(boardInk, true, sizeMessage, 40, 36, 32, sizeMin)
	b.message = container.NewStack(canvas.NewRectangle(boardMessage), container.New(layout.NewCustomPaddedLayout(10, 10, 20, 20), b.messageText.box))
	b.message.Hide()

	b.callingHead = newText("", boardDim, sizeHeading, true, sizeMin)
	b.nowBg = canvas.NewRectangle(boardPanel)
	b.nowNum = newText("", boardInk, sizeNewest, true, 60)
	b.nowCounter = newText("", boardInk, sizeCurrent, true, sizeMin)
	b.nowBox = container.NewStack(b.nowBg, container.New(layout.NewCustomPaddedLayout(8, 8, 20, 20), container.New(nowLayout{}, b.nowNum.box, b.nowCounter.box)))
	b.current = container.New(clipList{gap: 4})
	b.lastHead = newText("", boardDim, sizeHeading, true, sizeMin)
	// The heading and the rows of the last calls, in one list: a heading
	// with no row under it is hidden.
	b.last = container.New(clipList{gap: 2, whole: 2})
	list := container.New(clipList{gap: 12, restToLast: true}, b.current, b.last)
	calls := container.New(callsColumn{}, b.callingHead.box, b.nowBox, list)

	b.servicesHead = newText("", boardDim, sizeHeading, true, sizeMin)
	b.services = container.New(serviceSlots{fit: &b.serviceFit})
	services := container.NewStack(canvas.NewRectangle(boardPanel),
		container.New(layout.NewCustomPaddedLayout(4, 4, 16, 12), container.NewBorder(container.New(fixedHeight{headingH}, b.servicesHead.box), nil, nil, nil, b.services)))

	body := container.New(&split{ratio: 0.5, gap: 28}, calls, services)
	page := container.New(boardPage{}, header, b.banner, b.message, body)
	b.root = container.NewThemeOverride(container.NewStack(canvas.NewRectangle(boardGround), container.New(layout.NewCustomPaddedLayout(16, 24, 32, 32), page)), boardTheme{theme.DefaultTheme()})
}

// nowLayout places the newest call's number above its counter, the number
// taking most of the height.
type nowLayout struct{}

func (nowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(200, objs[0].MinSize().Height+objs[1].MinSize().Height)
}

func (nowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	num := size.Height * 0.62
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, num))
	objs[1].Move(fyne.NewPos(0, num))
	objs[1].Resize(fyne.NewSize(size.Width, size.Height-num))
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
	b.loc = officeZone(m, b.opt.Location)
	now := b.opt.Now()

	b.office.set(m.Office, boardInk)
	b.clock.set(clock(now, b.loc), boardInk)
	if text := b.conn.banner(st, now, b.loc, b.say); text != "" {
		b.bannerText.set(text, boardInk)
		b.banner.Show()
	} else {
		b.banner.Hide()
	}
	if m.HallMessage != "" {
		b.messageText.set(m.HallMessage, boardInk)
		b.message.Show()
	} else {
		b.message.Hide()
	}
	b.drawCalls(m, now)
	b.drawServices(m, now)
	// Texts change: lay the board out again (a few hundred objects, once a
	// second at most; only what changed is drawn again).
	b.root.Refresh()
}

func (b *Board) counterName(id string) string {
	if k := b.model.Counter(id); k != nil && k.Name != "" {
		return k.Name
	}
	return id
}

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

// highlightInk is the colour of a call's text and of its ground:
// highlighted (black on yellow) or not (white on the panel).
func highlightInk(lit bool) (ink, ground color.Color) {
	if lit {
		return boardBlack, boardYellow
	}
	return boardInk, boardPanel
}
