// Package ui is the kiosk's screens: the services with their live state,
// the information sheets, the priority path, the ticket, and what the kiosk
// says when the server cannot be reached. main.go wires it to a client, a
// printer and a window; the tests drive it headlessly against a real server.
package ui

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"turno/server/client"
	"turno/server/queue"
)

// Defaults of Options, and the kiosk's fixed delays.
const (
	// DefaultReturnAfter is how long the ticket stays on screen: time to read
	// the number and take the printed ticket, not long enough to make the
	// next citizen wait.
	DefaultReturnAfter = 12 * time.Second
	// DefaultIdleAfter brings an abandoned kiosk (an information sheet, the
	// priority path, another language, large text) back to the start.
	DefaultIdleAfter = 60 * time.Second
	// DefaultIssueTimeout bounds a tap: the retries of one request with the
	// same key, while the citizen watches "one moment".
	DefaultIssueTimeout = 10 * time.Second
	// TapGuard is how long taps are ignored after the screen changes: the
	// second tap of a double tap, or a tap meant for the screen that just
	// went away, must not act on the new one.
	TapGuard = 500 * time.Millisecond
	// keyReuse is how long a tap that got no answer keeps its key: a citizen
	// who taps the same service again within it gets the ticket of the first
	// tap if the server did issue it, never a second one.
	keyReuse = 3 * time.Minute
	// printTimeout bounds fetching and printing one ticket.
	printTimeout = 30 * time.Second
	// tickEvery is how often the kiosk looks at its clock: the return to
	// the start, the idle reset, the clock on screen.
	tickEvery = 250 * time.Millisecond
)

// PDFs fetches what the kiosk prints: a ticket, and the confirmation of
// an appointment booked at the kiosk. The client provides both
// (client.TicketPDF, client.BookingPDF); nil prints nothing.
type PDFs interface {
	TicketPDF(ctx context.Context, id string) ([]byte, error)
	BookingPDF(ctx context.Context, id string) ([]byte, error)
}

// Printer puts a ticket's PDF on paper or in a folder, and says where.
type Printer interface {
	Print(ctx context.Context, name string, pdf []byte) (where string, err error)
}

// Options configure a kiosk.
type Options struct {
	App    fyne.App       // required: the kiosk sets its theme
	Client *client.Client // required: the server, with the kiosk's token
	// PDFs and Printer print each ticket and booking confirmation; with
	// either nil the kiosk only shows them.
	PDFs    PDFs
	Printer Printer
	// KioskID names the kiosk in idempotency keys and logs.
	KioskID string
	// Language is the language the kiosk returns to for each citizen.
	Language string
	// Contrast and LargeText are the modes the kiosk returns to for each
	// citizen (normally off: a citizen turns them on).
	Contrast, LargeText bool
	// PublicURL is the server's address as phones reach it, for the QR code;
	// empty uses the client's.
	PublicURL string
	// ReturnAfter, IdleAfter and IssueTimeout replace their defaults.
	ReturnAfter, IdleAfter, IssueTimeout time.Duration
	// Now is the clock: the office's day and hour, and the kiosk's own
	// delays (the tap guard, the return to the start, the idle reset),
	// which the tests drive by moving it.
	Now    func() time.Time
	Logger *slog.Logger
}

// Screens.
const (
	screenStart   = "start"
	screenInfo    = "info"
	screenBusy    = "busy"
	screenTicket  = "ticket"
	screenMessage = "message"
	screenCheckIn = "checkin" // "I have an appointment": the code's keypad
	screenBook    = "book"    // a free appointment offered: the name's keyboard
	screenBooked  = "booked"  // the booking's code and its confirmation
)

var screenNames = []string{screenStart, screenInfo, screenBusy, screenTicket, screenMessage, screenCheckIn, screenBook, screenBooked}

// Kiosk is the running kiosk: its state and the widgets it changes. Every
// field is used on Fyne's goroutine (taps, and updates through do).
type Kiosk struct {
	opt    Options
	tr     *Translator
	words  words
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
	stream *client.Stream

	// mu makes do's updates and the tests' inspection exclusive: in the app
	// both run on Fyne's goroutine, but Fyne's test driver runs fyne.Do at
	// once on the calling goroutine (the stream's).
	mu     sync.Mutex
	closed bool

	model  client.Model
	status client.Status
	screen string

	// The citizen's modes: idle reset and the next citizen restore them.
	priority bool
	contrast bool
	large    bool
	info     string // the service whose sheet is open

	busy        bool   // a ticket request is under way: other taps wait
	busyWords   string // what the busy screen says (a key)
	shown       *queue.TicketView
	shownFor    *queue.Booking        // the booking a shown ticket checked in, if any
	pending     map[string]pendingKey // service/priority, book/service/slot -> the key of a tap with no answer
	printed     map[string]bool       // ticket and booking ids sent to the printer
	printErr    string                // the last printing failure, for staff
	printFailed string                // the ticket it concerned

	changedAt time.Time // the screen last changed: taps until TapGuard after it are ignored
	touchedAt time.Time // the last tap or screen change: the idle reset counts from it
	returnAt  time.Time // the ticket or message goes back to the start then; zero: no
	clockText string    // the start screen's date and time, as last written

	// The check-in and the booking: what the citizen typed, what a
	// barcode reader typed, the appointment offered, the booking made.
	code      []rune // on the keypad, in the codes' alphabet
	scan      []rune // on the keyboard (a barcode reader), until Enter
	scanAt    time.Time
	typedName []rune // on the booking keyboard
	offer     *offer
	booked    *queue.Booking
	infoRefus *queue.Refusal // the refusal at the tap that opened the sheet

	root   fyne.CanvasObject
	bodies map[string]fyne.CanvasObject
	bands  map[string]fyne.CanvasObject

	// The access row, on every screen.
	langs     map[string]*button
	largeB    *button
	contrastB *button
	staff     *fitText

	// The start screen.
	heading    *fitText
	grid       *serviceGrid
	cells      map[string]*gridCell
	banner     fyne.CanvasObject
	bannerText *fitText
	prioB      *button
	checkInB   *button // "I have an appointment"
	prevB      *button // the pages of services
	nextB      *button
	officeLine *fitText // the band: the office, the date and time

	// The information sheet.
	infoTitle  *fitText
	infoText   *fitText
	infoBack   *button
	infoTake   *button
	infoScroll *container.Scroll

	busyText *fitText

	// The ticket.
	tNumber *fitText // your number, the number, the service, priority
	tFacts  *fitText // ahead, wait, printing
	tQR     *canvas.Image
	tQRText *fitText
	tDone   *button

	// A message (refusal, failure).
	mText        *fitText
	mOK          *button
	messageWords func() (title, text, todo string)

	// The check-in: heading, code, keys, the strip that says a QR code
	// can be scanned, Back and Confirm.
	ciHeading *fitText
	ciCode    *fitText
	ciKeys    map[rune]*button
	ciDelete  *button
	ciHint    *fitText
	ciBack    *button
	ciConfirm *button

	// The booking of an offered appointment: heading, name, keys, Back
	// and Book.
	bkHeading *fitText
	bkName    *fitText
	bkKeys    map[rune]*button
	bkSpace   *button
	bkDelete  *button
	bkBack    *button
	bkConfirm *button

	// The booking made: its code, when, the QR code of its page, Done.
	bdCode   *fitText
	bdFacts  *fitText
	bdQR     *canvas.Image
	bdQRText *fitText
	bdDone   *button

	colorize func() // repaints the surfaces drawn with theme colours
	measures *measures
}

type pendingKey struct {
	key string
	at  time.Time
}

// New builds the kiosk and starts following the server. Close stops it.
func New(ctx context.Context, opt Options) (*Kiosk, error) {
	if opt.Client == nil || opt.App == nil {
		return nil, errors.New("kiosk: no client or no app")
	}
	if opt.ReturnAfter <= 0 {
		opt.ReturnAfter = DefaultReturnAfter
	}
	if opt.IdleAfter <= 0 {
		opt.IdleAfter = DefaultIdleAfter
	}
	if opt.IssueTimeout <= 0 {
		opt.IssueTimeout = DefaultIssueTimeout
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.KioskID == "" {
		opt.KioskID = "kiosk"
	}
	if opt.PublicURL == "" {
		opt.PublicURL = opt.Client.BaseURL()
	}
	tr, err := NewTranslator(opt.Language)
	if err != nil {
		return nil, err
	}
	opt.Language = tr.Language()
	k := &Kiosk{
		opt: opt, tr: tr, log: opt.Logger,
		screen: screenStart, contrast: opt.Contrast, large: opt.LargeText,
		pending: map[string]pendingKey{}, printed: map[string]bool{},
		cells: map[string]*gridCell{}, measures: &measures{},
		status: client.Status{State: client.Connecting, Since: opt.Now()},
	}
	k.words = words{tr: tr, now: opt.Now, loc: k.location}
	k.ctx, k.cancel = context.WithCancel(ctx)
	k.build()
	k.relabel()
	k.show(screenStart)
	// Under mu: the first news may come before Stream returns, and sync
	// reads k.stream.
	k.mu.Lock()
	defer k.mu.Unlock()
	// The client's default backoff brings the kiosk back within 2 s of a
	// restarted server: a kiosk that is down turns citizens away.
	k.stream = opt.Client.Stream(k.ctx, client.StreamOptions{OnChange: func() { k.do(k.sync) }})
	go k.run()
	return k, nil
}

// Content is the kiosk's whole window content.
func (k *Kiosk) Content() fyne.CanvasObject { return k.root }

// Close stops following the server and the kiosk's clock. It must not be
// called from inside do.
func (k *Kiosk) Close() {
	k.mu.Lock()
	k.closed = true
	k.mu.Unlock()
	k.cancel()
	k.stream.Close()
}

// do runs fn on Fyne's goroutine, unless the kiosk is closed.
func (k *Kiosk) do(fn func()) {
	fyne.Do(func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		if k.closed {
			return
		}
		fn()
	})
}

// run looks at the clock until the kiosk closes.
func (k *Kiosk) run() {
	t := time.NewTicker(tickEvery)
	defer t.Stop()
	for {
		select {
		case <-k.ctx.Done():
			return
		case <-t.C:
			k.do(k.tick)
		}
	}
}

// tick does what is due at Now: the ticket's or message's return to the
// start, the idle reset, the clock on the start screen.
func (k *Kiosk) tick() {
	now := k.opt.Now()
	k.writeClock(now)
	if k.busy {
		return // the answer to a tap is on its way: it decides the next screen
	}
	switch {
	case !k.returnAt.IsZero() && !now.Before(k.returnAt):
		k.reset()
	case !k.fresh() && now.Sub(k.touchedAt) >= k.opt.IdleAfter:
		k.log.Info("idle: back to the start for the next citizen", "screen", k.screen, "lang", k.tr.Language(),
			"priority", k.priority, "large", k.large, "contrast", k.contrast)
		k.reset()
	}
}

// fresh reports whether the kiosk is as the next citizen should find it.
func (k *Kiosk) fresh() bool {
	return k.screen == screenStart && !k.priority && k.info == "" && k.grid.page == 0 && len(k.scan) == 0 &&
		k.tr.Language() == k.opt.Language && k.contrast == k.opt.Contrast && k.large == k.opt.LargeText
}

// guard wraps what a tap does: taps within TapGuard of a screen change
// are ignored (the finger meant the screen that was there), and every tap
// pushes the idle reset back.
func (k *Kiosk) guard(fn func()) func() {
	return func() {
		now := k.opt.Now()
		k.touchedAt = now
		if d := now.Sub(k.changedAt); d >= 0 && d < TapGuard {
			k.log.Debug("tap ignored: the screen has just changed", "after", d, "screen", k.screen)
			return
		}
		fn()
	}
}

// changed notes that what is under the citizen's finger has changed.
func (k *Kiosk) changed() {
	now := k.opt.Now()
	k.changedAt, k.touchedAt = now, now
}

// location is the office's time zone, from the server's snapshot. Before
// the first snapshot (or from an older server that names none) it is the
// machine's: nothing with a time is shown then anyway.
func (k *Kiosk) location() *time.Location {
	if loc, ok := k.model.Location(); ok {
		return loc
	}
	return time.Local
}

// sync takes the stream's news: model and connection state.
func (k *Kiosk) sync() {
	was := k.refused()
	k.model = k.stream.Model()
	k.status = k.stream.Status()
	if k.refused() && !was {
		// Once: the stream will not try again, and the screen only tells
		// citizens to ask the staff.
		k.log.Error("the server refused this kiosk; it issues no tickets until its token (TURNO_KIOSK_TOKEN) or the office's [[devices]] are fixed and it is restarted",
			"status", client.StatusOf(k.status.Err), "err", k.status.Err)
	}
	k.refresh()
}

// online reports whether tickets can be issued: the stream is connected
// and has shown the office.
func (k *Kiosk) online() bool {
	return k.status.State == client.Connected && len(k.model.Services) > 0
}

// show switches to a screen.
func (k *Kiosk) show(screen string) {
	k.screen = screen
	k.returnAt = time.Time{}
	for _, name := range screenNames {
		for _, o := range []fyne.CanvasObject{k.bodies[name], k.bands[name]} {
			if name == screen {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}
	k.changed()
	k.root.Refresh()
}

// back returns to the start at once.
func (k *Kiosk) back() { k.reset() }

// reset prepares the kiosk for the next citizen: the start screen, the
// first page of services, in the kiosk's language and text size, without
// the priority path or a sheet.
func (k *Kiosk) reset() {
	if k.shown != nil {
		// A ticket was on screen: its citizen is served, and whoever taps
		// next is someone else, who must not inherit the key of an earlier
		// tap that got no answer (it would bring back that tap's ticket).
		// Keys survive only the way from the "no answer" message back to
		// the start, where the same citizen taps the same button again: a
		// key dropped there would issue a second ticket if the server had
		// issued the first, a ghost that a clerk calls into an empty hall.
		// Should that citizen walk away instead, the next one gets the
		// ghost only while it is still waiting (request), within keyReuse:
		// a live place in the queue, never a dead one.
		clear(k.pending)
	}
	if k.booked != nil {
		clear(k.pending) // the same: the booking's citizen is done
	}
	k.priority = false
	k.info = ""
	k.infoRefus = nil
	k.shown, k.shownFor = nil, nil
	k.messageWords = nil
	// Nothing typed survives: not a code, not a name, not half a scan.
	k.code, k.scan, k.typedName = nil, nil, nil
	k.offer, k.booked = nil, nil
	k.grid.page = 0
	k.infoScroll.ScrollToTop()
	if k.contrast != k.opt.Contrast || k.large != k.opt.LargeText {
		k.contrast, k.large = k.opt.Contrast, k.opt.LargeText
		k.applyTheme()
	}
	k.tr.SetLanguage(k.opt.Language)
	k.show(screenStart)
	k.relabel()
}

// applyTheme installs the theme of the citizen's modes.
func (k *Kiosk) applyTheme() {
	k.opt.App.Settings().SetTheme(newTheme(k.contrast, k.large, k.measures))
	k.colorize()
}

func (k *Kiosk) setLanguage(l string) {
	if l == k.tr.Language() {
		return
	}
	k.tr.SetLanguage(l)
	k.changed()
	k.relabel()
}

func (k *Kiosk) toggleLarge() {
	k.large = !k.large
	k.changed()
	k.applyTheme()
	k.relabel()
}

func (k *Kiosk) toggleContrast() {
	k.contrast = !k.contrast
	k.changed()
	k.applyTheme()
	k.relabel()
}

func (k *Kiosk) setPriority(on bool) {
	k.priority = on
	k.changed()
	k.refresh()
}

// turnPage shows the next (+1) or previous (-1) page of services.
func (k *Kiosk) turnPage(delta int) {
	if k.grid.setPage(k.grid.page + delta) {
		k.changed()
	}
}

// staffLine is the small line at the bottom for staff: the kiosk, its
// connection, its printer.
func (k *Kiosk) staffLine() {
	parts := []string{k.opt.KioskID}
	switch k.status.State {
	case client.Connected:
		parts = append(parts, k.tr.L("staff.online"))
	case client.Disconnected:
		parts = append(parts, k.tr.L("staff.offline", map[string]any{
			"Since": k.status.Since.In(k.location()).Format("15:04:05"), "Retries": k.status.Retries}))
	case client.Stopped:
		msg := k.tr.L("staff.stopped")
		if k.refused() {
			msg = k.tr.L("staff.refused")
		}
		if k.status.Err != nil {
			msg += ": " + k.status.Err.Error()
		}
		parts = append(parts, msg)
	default:
		parts = append(parts, k.tr.L("staff.connecting"))
	}
	if k.printErr != "" {
		parts = append(parts, k.tr.L("staff.printFailed", map[string]any{"Error": k.printErr}))
	}
	color := colorMuted
	if k.printErr != "" || k.refused() {
		color = colorAlert
	}
	k.staff.set(textPart{Text: strings.Join(parts, " · "), Size: sizeStaff, Color: color})
}

// writeClock writes the office's name, date and time on the start
// screen's band, when the minute changes.
func (k *Kiosk) writeClock(now time.Time) {
	text := k.words.date(now) + " · " + k.words.clock(now)
	if text == k.clockText && len(k.officeLine.parts) > 0 && k.officeLine.parts[0].Text == k.model.Office {
		return
	}
	k.clockText = text
	k.officeLine.set(
		textPart{Text: k.model.Office, Size: sizeDetail, Bold: true, Color: theme.ColorNameForeground},
		textPart{Text: text, Size: sizeDetail, Color: colorMuted},
	)
}
