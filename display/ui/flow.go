package ui

import (
	"context"
	"errors"
	"image/color"
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

// FlowOptions wire a Flow view.
type FlowOptions struct {
	Options
	// Window holds the view (its pop-ups need it).
	Window fyne.Window
	// User prefills the login.
	User string
	// Lang is "it" or "en": the view's words and the services' names.
	Lang string
	// Rules are the alerts' thresholds; zero fields take the defaults.
	Rules AlertRules
}

// Flow is the floor assistant's view, made for a tablet held in one hand:
// a header, a banner while the server is out of reach, the outcome of the
// last action, and panels behind a row of tabs (the hall: alerts and
// services; the counters against the staffing plan; the actions; today's
// appointments; tomorrow's forecast). Each panel is a flowPanel in its own
// file; a new one is one more flowPanel added in NewFlow.
type Flow struct {
	opt   FlowOptions
	f     *follower
	cl    *client.Client
	words catalog
	log   func(msg string, args ...any)
	wg    sync.WaitGroup // server calls in flight
	ctx   context.Context

	root    *fyne.Container
	content fyne.CanvasObject // root in the flow's theme

	// Touched only inside Do.
	session   *client.Session
	following bool
	conn      connection
	model     client.Model
	status    client.Status
	loc       *time.Location
	alerts    []Alert
	busy      bool
	// retry holds the idempotency key of each ticket asked for whose
	// answer was lost: tapping again within issueRetry sends the same key,
	// and the server gives back the ticket it may already have issued
	// instead of a second one.
	retry map[issueFor]pendingIssue

	// Login.
	loginBox      fyne.CanvasObject
	loginUser     *widget.Entry
	loginPassword *widget.Entry
	loginButton   *widget.Button
	loginMsg      *widget.Label

	// Main view.
	mainBox   fyne.CanvasObject
	title     *widget.Label
	who       *widget.Label
	clock     *widget.Label
	banner    *fyne.Container
	bannerMsg *widget.Label
	toast     *fyne.Container
	say       *widget.Label // the last action's outcome
	panels    []flowPanel
	tabs      []*widget.Button
	current   int
	stage     *fyne.Container // the current panel, under the stale veil
	veil      *canvas.Rectangle

	hall     *hallPanel
	desks    *countersPanel
	actions  *actionsPanel
	agenda   *agendaPanel
	tomorrow *tomorrowPanel
	dialogs  *dialogs
}

// flowPanel is one tab of the flow view.
type flowPanel interface {
	// tab is the tab's label, which may carry a count ("Sala · 3 allarmi").
	tab() string
	// object is the panel's content; it scrolls within the view.
	object() fyne.CanvasObject
	// refresh redraws the panel from fl.model at now, inside Do.
	refresh(now time.Time)
}

// keeper is a panel that reads from the server beyond the stream, and
// keeps that fresh on every refresh, in view or not (its tab may warn).
type keeper interface {
	keep(now time.Time)
}

// issueFor is what a ticket tap asks for.
type issueFor struct {
	service  string
	priority bool
}

// pendingIssue is a tap whose outcome is unknown: its key and when it was
// last tried.
type pendingIssue struct {
	key string
	at  time.Time
}

// issueRetry is how long after a lost answer a tap on the same button is a
// retry of it. Longer, and the next citizen's tap could be handed the
// earlier ticket back; the view says to try again "in a moment".
const issueRetry = 2 * time.Minute

// NewFlow builds the flow view in opt.Window: the login, or the view itself
// when the client already holds a session. Call it where widgets may be
// touched (inside Do).
func NewFlow(ctx context.Context, opt FlowOptions) *Flow {
	opt.defaults()
	opt.Rules = opt.Rules.withDefaults()
	if opt.Lang != "en" {
		opt.Lang = "it"
	}
	fl := &Flow{opt: opt, cl: opt.Client, words: loadCatalog(), log: opt.Logger.Info, retry: map[issueFor]pendingIssue{}, loc: opt.Location}
	fl.f = newFollower(ctx, opt.Options)
	fl.ctx = fl.f.ctx
	fl.buildLogin()
	fl.hall = newHallPanel(fl)
	fl.desks = newCountersPanel(fl)
	fl.actions = newActionsPanel(fl)
	fl.agenda = newAgendaPanel(fl)
	fl.tomorrow = newTomorrowPanel(fl)
	// The tabs, in order.
	fl.panels = []flowPanel{fl.hall, fl.desks, fl.actions, fl.agenda, fl.tomorrow}
	fl.buildMain()
	fl.dialogs = newDialogs(fl)
	fl.root = container.NewStack(fl.loginBox, fl.mainBox)
	// Its own ground: a light view whatever the window's theme says.
	th := NewFlowTheme()
	fl.content = container.NewThemeOverride(container.NewStack(canvas.NewRectangle(flowGround), fl.root), th)
	// The constructor runs where widgets may be touched (the app's UI
	// goroutine, or the tests' Do).
	if fl.cl.Token() != "" {
		fl.start(nil)
	} else {
		fl.showLogin("")
	}
	return fl
}

// Content is the view's canvas object, for the window.
func (fl *Flow) Content() fyne.CanvasObject { return fl.content }

// Close stops the stream and the calls in flight. Call it from outside Do.
func (fl *Flow) Close() {
	fl.f.close()
	fl.wg.Wait()
}

// tr says key in the view's language: tr("Waited {{.M}} min", "M", 3).
func (fl *Flow) tr(key string, kv ...any) string { return fl.words.in(fl.opt.Lang, key, kv...) }

// trN says one of two keys by a count, "N" in the data: Italian and English
// both say the singular for one and the plural for every other number
// ("0 persone", "1 persona", "2 persone").
func (fl *Flow) trN(n int, one, other string, kv ...any) string {
	kv = append(kv, "N", n)
	if n == 1 {
		return fl.tr(one, kv...)
	}
	return fl.tr(other, kv...)
}

// online reports whether the view is live: actions need the server, and
// figures shown while it is away are stale.
func (fl *Flow) online() bool { return fl.status.State == client.Connected }

func (fl *Flow) buildLogin() {
	fl.loginUser = widget.NewEntry()
	fl.loginUser.SetText(fl.opt.User)
	// A password entry without Fyne's 40-unit eye: a full-size button beside
	// it shows and hides the password.
	fl.loginPassword = widget.NewEntry()
	fl.loginPassword.Password = true
	fl.loginPassword.ActionItem = canvas.NewRectangle(color.Transparent) // not Fyne's eye
	fl.loginPassword.OnSubmitted = func(string) { fl.doLogin() }
	var reveal *widget.Button
	reveal = widget.NewButtonWithIcon("", theme.VisibilityIcon(), func() {
		fl.loginPassword.Password = !fl.loginPassword.Password
		reveal.SetIcon(map[bool]fyne.Resource{true: theme.VisibilityIcon(), false: theme.VisibilityOffIcon()}[fl.loginPassword.Password])
		fl.loginPassword.Refresh()
	})
	fl.loginButton = widget.NewButtonWithIcon(fl.tr("Log in"), theme.LoginIcon(), fl.doLogin)
	fl.loginButton.Importance = widget.HighImportance
	fl.loginMsg = widget.NewLabel("")
	fl.loginMsg.Wrapping = fyne.TextWrapWord
	fl.loginMsg.Importance = widget.DangerImportance
	box := container.NewVBox(heading(fl.tr("Hall floor: flow view")),
		bold(fl.tr("User")), touch(fl.loginUser), bold(fl.tr("Password")), container.NewBorder(nil, nil, nil, touch(reveal), touch(fl.loginPassword)),
		touch(fl.loginButton), fl.loginMsg)
	fl.loginBox = container.NewCenter(container.New(fixedWidth{480}, box))
}

func (fl *Flow) showLogin(msg string) {
	fl.loginMsg.SetText(msg)
	fl.mainBox.Hide()
	fl.loginBox.Show()
	fl.relayout()
}

// relayout lays the view out again after a wrapped text changed: its
// height is known only at its width.
func (fl *Flow) relayout() {
	if fl.content != nil {
		fl.content.Refresh()
	}
}

func (fl *Flow) doLogin() {
	if fl.busy {
		return
	}
	user, password := fl.loginUser.Text, fl.loginPassword.Text
	fl.busy = true
	fl.loginButton.Disable()
	var s *client.Session
	fl.run(func(ctx context.Context) (err error) {
		s, err = fl.cl.Login(ctx, trimSpace(user), password)
		return err
	}, func(err error) {
		fl.busy = false
		fl.loginButton.Enable()
		if err != nil {
			fl.loginMsg.SetText(fl.explain(err))
			fl.relayout()
			return
		}
		if s.Role != "floor" && s.Role != "admin" {
			fl.loginMsg.SetText(fl.tr("This view is for the hall floor assistant: {{.U}} is a {{.R}}.", "U", s.User, "R", s.Role))
			fl.cl.SetToken("")
			fl.relayout()
			return
		}
		fl.loginPassword.SetText("")
		fl.start(s)
	})
}

// start shows the view and follows the office.
func (fl *Flow) start(s *client.Session) {
	fl.session = s
	who := fl.opt.User
	if s != nil {
		who = s.FullName
	}
	fl.who.SetText(who)
	fl.loginBox.Hide()
	fl.mainBox.Show()
	if !fl.following {
		fl.following = true
		fl.f.follow(nil, fl.refresh)
	}
}

func (fl *Flow) buildMain() {
	fl.title = bold("")
	fl.title.SizeName = theme.SizeNameSubHeadingText
	fl.title.Truncation = fyne.TextTruncateEllipsis
	fl.who = widget.NewLabel("")
	fl.clock = bold("")
	fl.clock.SizeName = theme.SizeNameSubHeadingText
	header := container.NewBorder(nil, nil, nil, container.NewHBox(fl.who, fl.clock), fl.title)

	// One banner while the server is out of reach: it says since when, and
	// that what the view shows is as it was then.
	fl.bannerMsg = widget.NewLabel("")
	fl.bannerMsg.Wrapping = fyne.TextWrapWord
	fl.bannerMsg.TextStyle.Bold = true
	fl.banner = container.NewStack(canvas.NewRectangle(flowError),
		container.NewThemeOverride(container.NewBorder(nil, nil, widget.NewIcon(theme.NewColoredResource(theme.WarningIcon(), theme.ColorNameForegroundOnError)), nil, fl.bannerMsg), onColour{flowTheme{theme.DefaultTheme()}}))
	fl.banner.Hide()

	fl.say = widget.NewLabel("")
	fl.say.Wrapping = fyne.TextWrapWord
	dismiss := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { fl.toast.Hide(); fl.content.Refresh() })
	fl.toast = container.NewStack(canvas.NewRectangle(flowPrimaryVeil), container.NewBorder(nil, nil, nil, touch(dismiss), fl.say))
	fl.toast.Hide()

	tabs := make([]fyne.CanvasObject, len(fl.panels))
	for i := range fl.panels {
		b := widget.NewButton("", func() { fl.show(i) })
		fl.tabs = append(fl.tabs, b)
		tabs[i] = touch(b)
	}
	fl.veil = canvas.NewRectangle(flowStaleVeil)
	fl.veil.Hide()
	fl.stage = container.NewStack()
	top := container.NewVBox(header, fl.banner, fl.toast, container.New(&tabRow{gap: 4}, tabs...), widget.NewSeparator())
	fl.mainBox = container.New(layout.NewCustomPaddedLayout(8, 8, 16, 16), container.NewBorder(top, nil, nil, nil, container.NewStack(fl.stage, fl.veil)))
	fl.show(0)
}

// show brings panel i forward.
func (fl *Flow) show(i int) {
	fl.current = i
	for k, b := range fl.tabs {
		imp := widget.MediumImportance
		if k == i {
			imp = widget.HighImportance
		}
		if b.Importance != imp {
			b.Importance = imp
			b.Refresh()
		}
	}
	if fl.model.Seq > 0 {
		fl.panels[i].refresh(fl.opt.Now())
	}
	fl.stage.Objects = []fyne.CanvasObject{container.NewVScroll(fl.panels[i].object())}
	// A panel joins the themed tree: the theme reaches it before its first
	// layout, or its labels are measured in the window's.
	fl.relayout()
}

// name is a service's name in the view's language.
func (fl *Flow) name(sv *queue.ServiceView) string { return sv.Name(fl.opt.Lang) }

func (fl *Flow) serviceName(id string) string {
	if sv := fl.model.Service(id); sv != nil {
		return fl.name(sv)
	}
	return id
}

func (fl *Flow) counterName(id string) string {
	if c := fl.model.Counter(id); c != nil && c.Name != "" {
		return c.Name
	}
	return id
}

// refresh redraws the view from the model, inside Do.
func (fl *Flow) refresh(m client.Model, st client.Status) {
	fl.model, fl.status = m, st
	fl.loc = officeZone(m, fl.opt.Location)
	now := fl.opt.Now()
	if st.State == client.Stopped && client.IsAuth(st.Err) {
		fl.following = false
		fl.cl.SetToken("")
		fl.showLogin(fl.tr("Your session has expired: log in again."))
		return
	}
	fl.title.SetText(fl.tr("Flow view") + " · " + m.Office)
	fl.clock.SetText(clock(now, fl.loc))
	if text := fl.conn.banner(st, now, fl.loc, fl.tr); text != "" {
		if fl.conn.connected {
			text += ". " + fl.tr("The figures below are as they were then; actions wait for the server.")
		}
		fl.bannerMsg.SetText(text)
		fl.banner.Show()
	} else {
		fl.banner.Hide()
	}
	// The figures of a view that was live and is no longer are dimmed: the
	// floor assistant must not act on a queue as it was minutes ago.
	if fl.conn.connected && !fl.online() {
		fl.veil.Show()
	} else {
		fl.veil.Hide()
	}

	fl.alerts = Alerts(m, now, fl.opt.Rules)
	if !fl.online() {
		// The server is what is down: the kiosks and displays it no longer
		// hears from are not offline for that, and a counter that opened
		// meanwhile is not known to be closed.
		fl.alerts = withoutOutageAlerts(fl.alerts)
	}
	// Only the panel in view is drawn: the others are drawn when shown.
	fl.panels[fl.current].refresh(now)
	for i, p := range fl.panels {
		if k, ok := p.(keeper); ok && i != fl.current {
			k.keep(now)
		}
		if t := p.tab(); fl.tabs[i].Text != t {
			fl.tabs[i].SetText(t)
		}
	}
	fl.content.Refresh()
}

func withoutOutageAlerts(as []Alert) []Alert {
	out := as[:0:0]
	for _, a := range as {
		if a.Kind != AlertDeviceOffline && a.Kind != AlertPlannedClosed {
			out = append(out, a)
		}
	}
	return out
}

// run calls the server off the UI goroutine and hands the outcome to done
// inside Do.
func (fl *Flow) run(call func(ctx context.Context) error, done func(err error)) {
	fl.wg.Add(1)
	go func() {
		defer fl.wg.Done()
		ctx, cancel := context.WithTimeout(fl.ctx, client.DefaultTimeout+5*time.Second)
		err := call(ctx)
		cancel()
		if fl.ctx.Err() != nil {
			return // closing: nobody to tell
		}
		fl.opt.Do(func() { done(err) })
	}()
}

// act runs one action; buttons are disabled while it is in flight, so a
// double tap is one call.
func (fl *Flow) act(what string, call func(ctx context.Context) (string, error)) {
	fl.actThen(what, call, nil)
}

// actThen is act, with settle told the outcome (inside Do) before the view
// shows it; settle may return what to say instead of call's words or the
// usual explanation. The call runs off the UI goroutine: what it says may
// not read the view's state (the model, the zone), which settle may.
func (fl *Flow) actThen(what string, call func(ctx context.Context) (string, error), settle func(err error) string) {
	if fl.busy {
		return
	}
	fl.busy = true
	var ok string
	fl.run(func(ctx context.Context) (err error) {
		ok, err = call(ctx)
		return err
	}, func(err error) {
		fl.busy = false
		said := ""
		if settle != nil {
			said = settle(err)
		}
		if err != nil {
			fl.log("action refused", "action", what, "err", err)
			if client.IsAuth(err) {
				fl.following = false // the stream stops by itself on the same refusal
				fl.cl.SetToken("")
				fl.showLogin(fl.tr("Your session has expired: log in again."))
				return
			}
			if said == "" {
				said = fl.explain(err)
			}
			fl.tell(said, true)
		} else {
			if said == "" {
				said = ok
			}
			fl.tell(said, false)
		}
		fl.refresh(fl.model, fl.status)
	})
}

// quietly is a call for actThen whose words settle says.
func quietly(call func(ctx context.Context) error) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) { return "", call(ctx) }
}

// tell shows the outcome of an action above the tabs, until the next one
// or a tap on its cross.
func (fl *Flow) tell(msg string, isErr bool) {
	fl.say.SetText(msg)
	fl.say.Importance = widget.SuccessImportance
	if isErr {
		fl.say.Importance = widget.DangerImportance
	}
	fl.say.Refresh()
	fl.toast.Show()
	fl.relayout()
}

// explain turns an error into words for the floor assistant.
func (fl *Flow) explain(err error) string {
	if errors.Is(err, client.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded) {
		return fl.tr("The server does not answer. Nothing was changed; try again in a moment.")
	}
	var e *client.Error
	if !errors.As(err, &e) {
		return fl.tr("Something went wrong: {{.Err}}", "Err", err.Error())
	}
	switch e.Code {
	case "bad_credentials":
		return fl.tr("Wrong user name or password.")
	case "forbidden":
		return fl.tr("Your role may not do this.")
	case "already_locked":
		return fl.tr("The numerator is already locked.")
	case "not_locked":
		return fl.tr("The numerator is not locked.")
	case "illegal_transition", "unknown_ticket":
		return fl.tr("The ticket is no longer waiting (it may have been called meanwhile).")
	}
	if s := fl.explainBooking(e); s != "" {
		return s
	}
	// A numerator's refusal and anything else: the server's own words say
	// the rule and when the service reopens.
	return e.Message
}

// answerLost reports whether a call may have been carried out though its
// answer never came: the server was not heard, or a gateway gave up on it.
func answerLost(err error) bool {
	return errors.Is(err, client.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded) || client.StatusOf(err) >= 500
}
