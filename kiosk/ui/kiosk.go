// Package ui is the kiosk's screens: the services with their live state,
// the information sheets, the priority path, the ticket, and what the kiosk
// says when the server cannot be reached. main.go wires it to a client, a
// printer and a window; the tests drive it headlessly against a real server.
package ui

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

// Defaults of Options.
const (
	// DefaultReturnAfter is how long the ticket stays on screen: time to read
	// the number and take the printed ticket, not long enough to make the
	// next citizen wait.
	DefaultReturnAfter = 12 * time.Second
	// DefaultIdleAfter brings an abandoned screen (an information sheet, the
	// priority path, another language) back to the start.
	DefaultIdleAfter = 60 * time.Second
	// DefaultIssueTimeout bounds a tap: the retries of one request with the
	// same key, while the citizen watches "one moment".
	DefaultIssueTimeout = 10 * time.Second
	// keyReuse is how long a tap that got no answer keeps its key: a citizen
	// who taps the same service again within it gets the ticket of the first
	// tap if the server did issue it, never a second one.
	keyReuse = 3 * time.Minute
	// printTimeout bounds fetching and printing one ticket.
	printTimeout = 30 * time.Second
)

// TicketPDFs fetches a ticket's printable PDF. The client provides it
// (client.TicketPDF); nil prints nothing.
type TicketPDFs interface {
	TicketPDF(ctx context.Context, id string) ([]byte, error)
}

// Printer puts a ticket's PDF on paper or in a folder, and says where.
type Printer interface {
	Print(ctx context.Context, name string, pdf []byte) (where string, err error)
}

// Options configure a kiosk.
type Options struct {
	App    fyne.App       // required: the kiosk sets its theme
	Client *client.Client // required: the server, with the kiosk's token
	// PDFs and Printer print each ticket; with either nil the kiosk only
	// shows it.
	PDFs    TicketPDFs
	Printer Printer
	// KioskID names the kiosk in idempotency keys and logs.
	KioskID string
	// Language is the language the kiosk returns to for each citizen.
	Language string
	// Contrast starts in the high-contrast, large-text mode.
	Contrast bool
	// PublicURL is the server's address as phones reach it, for the QR code;
	// empty uses the client's.
	PublicURL string
	// ReturnAfter, IdleAfter and IssueTimeout replace their defaults.
	ReturnAfter, IdleAfter, IssueTimeout time.Duration
	// Now is the clock (the office's time decides "today" and "tomorrow").
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
)

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

	model    client.Model
	status   client.Status
	screen   string
	gen      int // the screen's generation: a timer for an older one does nothing
	priority bool
	contrast bool
	busy     bool   // a ticket request is under way: other taps wait
	info     string // the service whose sheet is open
	shown    *queue.TicketView
	pending  map[string]pendingKey // service/priority -> the key of a tap with no answer
	printed  map[string]bool       // ticket ids sent to the printer
	printErr string                // the last printing failure, for staff

	root      fyne.CanvasObject
	screens   map[string]fyne.CanvasObject
	office    *widget.Label
	langs     map[string]*widget.Button
	contrastB *widget.Button
	title     *widget.Label
	subtitle  *widget.Label
	prioBar   *fyne.Container
	prioText  *widget.Label
	prioCanc  *widget.Button
	prioB     *widget.Button
	banner    *fyne.Container
	bannerT   *canvas.Text
	bannerD   *widget.Label
	grid      *fyne.Container
	tiles     map[string]*tile
	infoBs    map[string]*widget.Button
	staff     *widget.Label

	infoTitle *widget.Label
	infoText  *widget.RichText
	infoTake  *widget.Button
	infoBack  *widget.Button

	busyText *widget.Label

	tYour    *widget.Label
	tNumber  *canvas.Text
	tService *widget.Label
	tPrio    *widget.Label
	tAhead   *widget.Label
	tWait    *widget.Label
	tQR      *canvas.Image
	tQRText  *widget.Label
	tPrint   *widget.Label
	tDone    *widget.Button

	mTitle *widget.Label
	mText  *widget.Label
	mTodo  *widget.Label
	mOK    *widget.Button

	colorize func() // repaints the surfaces drawn with theme colours
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
		opt: opt, tr: tr, words: words{tr: tr, now: opt.Now}, log: opt.Logger,
		screen: screenStart, contrast: opt.Contrast,
		pending: map[string]pendingKey{}, printed: map[string]bool{},
		tiles: map[string]*tile{}, infoBs: map[string]*widget.Button{},
		status: client.Status{State: client.Connecting, Since: opt.Now()},
	}
	k.ctx, k.cancel = context.WithCancel(ctx)
	k.build()
	k.relabel()
	k.show(screenStart)
	// Under mu: the first news may come before Stream returns, and sync
	// reads k.stream.
	k.mu.Lock()
	defer k.mu.Unlock()
	k.stream = opt.Client.Stream(k.ctx, client.StreamOptions{
		MaxBackoff: 5 * time.Second, // a kiosk that is down turns citizens away: come back soon
		OnChange:   func() { k.do(k.sync) },
	})
	return k, nil
}

// Content is the kiosk's whole window content.
func (k *Kiosk) Content() fyne.CanvasObject { return k.root }

// Close stops following the server and the kiosk's timers. It must not be
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

func (k *Kiosk) build() {
	k.office = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	k.langs = map[string]*widget.Button{}
	var langRow []fyne.CanvasObject
	for _, l := range languages {
		b := widget.NewButton("", func() { k.setLanguage(l) })
		k.langs[l] = b
		langRow = append(langRow, b)
	}
	k.contrastB = widget.NewButtonWithIcon("", theme.VisibilityIcon(), k.toggleContrast)
	header := container.NewBorder(nil, nil, nil, container.NewHBox(append(langRow, k.contrastB)...), k.office)

	k.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: sizeTitle, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	k.subtitle = &widget.Label{SizeName: sizeDetail, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}

	k.prioText = &widget.Label{SizeName: sizeDetail, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, Importance: widget.HighImportance}
	k.prioCanc = widget.NewButtonWithIcon("", theme.CancelIcon(), func() { k.setPriority(false) })
	prioBg := canvas.NewRectangle(nil)
	prioBg.StrokeWidth, prioBg.CornerRadius = 4, 12
	k.prioBar = container.NewStack(prioBg, container.NewPadded(container.NewBorder(nil, nil, nil, container.NewCenter(k.prioCanc), k.prioText)))

	bannerBg := canvas.NewRectangle(nil)
	bannerBg.CornerRadius = 18
	k.bannerT = &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter}
	k.bannerD = &widget.Label{SizeName: sizeDetail, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	k.banner = container.NewStack(bannerBg, container.NewPadded(container.NewVBox(layout.NewSpacer(), k.bannerT, k.bannerD, layout.NewSpacer())))

	k.grid = container.New(&serviceGrid{gap: 20})
	k.prioB = &widget.Button{Icon: theme.AccountIcon(), Importance: widget.MediumImportance, OnTapped: func() { k.setPriority(true) }}
	k.staff = &widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}

	start := container.NewBorder(
		container.NewVBox(k.title, k.subtitle, k.prioBar),
		container.NewVBox(container.NewPadded(k.prioB)),
		nil, nil,
		container.NewStack(k.grid, k.banner),
	)

	k.infoTitle = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: sizeTitle, Wrapping: fyne.TextWrapWord}
	k.infoText = widget.NewRichText()
	k.infoText.Wrapping = fyne.TextWrapWord
	k.infoTake = &widget.Button{Importance: widget.HighImportance, Icon: theme.ConfirmIcon(), OnTapped: func() {
		if k.info != "" {
			k.take(k.info)
		}
	}}
	k.infoBack = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), k.back)
	info := container.NewBorder(k.infoTitle, container.NewGridWithColumns(2, k.infoBack, k.infoTake), nil, nil,
		container.NewVScroll(k.infoText))

	k.busyText = &widget.Label{SizeName: sizeHeadline, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	busy := container.NewVBox(layout.NewSpacer(), widget.NewProgressBarInfinite(), k.busyText, layout.NewSpacer())

	k.tYour = &widget.Label{SizeName: sizeHeadline, Alignment: fyne.TextAlignCenter}
	k.tNumber = &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter}
	k.tService = &widget.Label{SizeName: sizeHeadline, TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	k.tPrio = &widget.Label{SizeName: sizeDetail, TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter, Importance: widget.HighImportance}
	k.tAhead = &widget.Label{SizeName: sizeHeadline, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	k.tWait = &widget.Label{SizeName: sizeHeadline, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	k.tQR = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScalePixels}
	k.tQR.SetMinSize(fyne.NewSize(300, 300))
	k.tQRText = &widget.Label{SizeName: sizeDetail, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	k.tPrint = &widget.Label{SizeName: sizeDetail, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	k.tDone = &widget.Button{Importance: widget.HighImportance, Icon: theme.ConfirmIcon(), OnTapped: k.back}
	numberBg := canvas.NewRectangle(nil)
	numberBg.CornerRadius = 24
	numberBox := container.NewStack(numberBg, container.NewVBox(k.tYour, k.tNumber, k.tService, k.tPrio))
	facts := container.NewVBox(k.tAhead, k.tWait, k.tPrint)
	qr := container.NewVBox(container.NewCenter(k.tQR), k.tQRText)
	ticket := container.NewBorder(nil, container.NewPadded(k.tDone), nil, nil,
		container.New(&orientLayout{gap: 24},
			container.NewVBox(layout.NewSpacer(), numberBox, facts, layout.NewSpacer()),
			container.NewVBox(layout.NewSpacer(), qr, layout.NewSpacer())))

	k.mTitle = &widget.Label{SizeName: sizeTitle, TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	k.mText = &widget.Label{SizeName: sizeHeadline, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	k.mTodo = &widget.Label{SizeName: sizeHeadline, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord, Importance: widget.HighImportance}
	k.mOK = &widget.Button{Importance: widget.HighImportance, Icon: theme.ConfirmIcon(), OnTapped: k.back}
	message := container.NewBorder(nil, container.NewPadded(k.mOK), nil, nil,
		container.NewVBox(layout.NewSpacer(), k.mTitle, k.mText, k.mTodo, layout.NewSpacer()))

	k.screens = map[string]fyne.CanvasObject{
		screenStart: start, screenInfo: info, screenBusy: busy, screenTicket: ticket, screenMessage: message,
	}
	body := container.NewStack(start, info, busy, ticket, message)
	all := container.NewBorder(container.NewVBox(header, widget.NewSeparator()), k.staff, nil, nil, container.NewPadded(body))
	bg := canvas.NewRectangle(nil)
	k.root = container.NewStack(bg, container.NewPadded(all))
	// The theme is the app's, not a ThemeOverride of the content: Fyne 2.7
	// resolves a label's custom text size through the app's theme when
	// the label was not yet in the override's scope, and the kiosk is the
	// only window of its app anyway.
	k.opt.App.Settings().SetTheme(newTheme(k.contrast))
	k.colorize = func() {
		th := k.opt.App.Settings().Theme()
		v := theme.VariantLight
		bg.FillColor = th.Color(theme.ColorNameBackground, v)
		prioBg.FillColor = th.Color(colorTile, v)
		prioBg.StrokeColor = th.Color(colorPriority, v)
		bannerBg.FillColor = th.Color(colorNumberBacker, v)
		bannerBg.StrokeColor = th.Color(colorBanner, v)
		bannerBg.StrokeWidth = 6
		k.bannerT.Color = th.Color(colorBanner, v)
		k.bannerT.TextSize = th.Size(sizeTitle)
		numberBg.FillColor = th.Color(colorNumberBacker, v)
		numberBg.StrokeColor = th.Color(theme.ColorNamePrimary, v)
		numberBg.StrokeWidth = 4
		k.tNumber.Color = th.Color(theme.ColorNamePrimary, v)
		k.tNumber.TextSize = th.Size(sizeNumber)
		for _, o := range []fyne.CanvasObject{bg, prioBg, bannerBg, numberBg, k.bannerT, k.tNumber} {
			o.Refresh()
		}
	}
	k.colorize()
}
