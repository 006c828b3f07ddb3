package ui

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
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
	// Lang is "it" or "en": the language of the services' names.
	Lang string
	// Rules are the alerts' thresholds; zero fields take the defaults.
	Rules AlertRules
}

// Flow is the floor assistant's view: the queues against their targets, the
// counters, the alerts, and one-tap actions.
type Flow struct {
	opt FlowOptions
	f   *follower
	cl  *client.Client
	log func(msg string, args ...any)
	wg  sync.WaitGroup // server calls in flight
	ctx context.Context

	root    *fyne.Container
	content fyne.CanvasObject // root in the flow's theme

	// Touched only inside Do.
	session   *client.Session
	following bool
	conn      connection
	model     client.Model
	status    client.Status
	alerts    []Alert
	busy      bool
	servSig   string
	countSig  string
	waitSig   string
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
	mainBox      fyne.CanvasObject
	title, who   *widget.Label
	clock        *widget.Label
	banner       *widget.Label
	say          *widget.Label // the last action's outcome
	alertBox     *fyne.Container
	services     *fyne.Container
	serviceRows  map[string]*flowServiceRow
	counters     *fyne.Container
	counterRows  map[string]*flowCounterRow
	hallCurrent  *widget.Label
	hallEntry    *widget.Entry
	hallPost     *widget.Button
	hallClear    *widget.Button
	moveTicket   *widget.Select
	moveTo       *widget.Select
	moveButton   *widget.Button
	moveIDs      map[string]string // option -> ticket id
	contactOf    *widget.Select
	contactTopic *widget.Entry
	contactLog   *widget.Button
	contactCount *widget.Label

	// The lock pop-up.
	lockPop     *widget.PopUp
	lockTitle   *widget.Label
	lockReason  *widget.Entry
	lockConfirm *widget.Button
	lockService string
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

type flowServiceRow struct {
	name, state, waiting, oldest, estimate, counts *widget.Label
	issue, priority, lock                          *widget.Button
}

type flowCounterRow struct {
	name, state, clerk, current, serving, idle *widget.Label
}

// Column weights of the two tables.
var (
	serviceCols = []float32{2.2, 2.4, 0.8, 1.3, 1.0, 2.4, 0.9, 0.9, 1.0}
	counterCols = []float32{2.4, 1.2, 1.6, 1.0, 1.2, 1.2}
)

// NewFlow builds the flow view in opt.Window: the login, or the view itself
// when the client already holds a session. Call it where widgets may be
// touched (inside Do).
func NewFlow(ctx context.Context, opt FlowOptions) *Flow {
	opt.defaults()
	def := DefaultAlertRules()
	if opt.Rules.IdleGrace <= 0 {
		opt.Rules.IdleGrace = def.IdleGrace
	}
	if opt.Rules.PauseLimit <= 0 {
		opt.Rules.PauseLimit = def.PauseLimit
	}
	if opt.Rules.CutoffWarn <= 0 {
		opt.Rules.CutoffWarn = def.CutoffWarn
	}
	if opt.Lang == "" {
		opt.Lang = "it"
	}
	fl := &Flow{opt: opt, cl: opt.Client, log: opt.Logger.Info, serviceRows: map[string]*flowServiceRow{}, counterRows: map[string]*flowCounterRow{}, retry: map[issueFor]pendingIssue{}}
	fl.f = newFollower(ctx, opt.Options)
	fl.ctx = fl.f.ctx
	fl.buildLogin()
	fl.buildMain()
	fl.buildLock()
	fl.root = container.NewStack(fl.loginBox, fl.mainBox)
	// Its own ground: a light view whatever the window's theme says.
	th := NewFlowTheme()
	fl.content = container.NewThemeOverride(container.NewStack(canvas.NewRectangle(th.Color(theme.ColorNameBackground, theme.VariantLight)), fl.root), th)
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

func bold(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	return l
}

func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func (fl *Flow) buildLogin() {
	fl.loginUser = widget.NewEntry()
	fl.loginUser.SetText(fl.opt.User)
	fl.loginPassword = widget.NewPasswordEntry()
	fl.loginPassword.OnSubmitted = func(string) { fl.doLogin() }
	fl.loginButton = widget.NewButtonWithIcon(tr("Log in"), theme.LoginIcon(), fl.doLogin)
	fl.loginButton.Importance = widget.HighImportance
	fl.loginMsg = widget.NewLabel("")
	fl.loginMsg.Wrapping = fyne.TextWrapWord
	fl.loginMsg.Importance = widget.DangerImportance
	form := widget.NewForm(widget.NewFormItem(tr("User"), fl.loginUser), widget.NewFormItem(tr("Password"), fl.loginPassword))
	box := container.NewVBox(heading(tr("Hall floor: flow view")), form, fl.loginButton, fl.loginMsg)
	fl.loginBox = container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 300), box))
}

func (fl *Flow) showLogin(msg string) {
	fl.loginMsg.SetText(msg)
	fl.mainBox.Hide()
	fl.loginBox.Show()
}

func (fl *Flow) doLogin() {
	if fl.busy {
		return
	}
	user, password := strings.TrimSpace(fl.loginUser.Text), fl.loginPassword.Text
	fl.busy = true
	fl.loginButton.Disable()
	var s *client.Session
	fl.run(func(ctx context.Context) (err error) {
		s, err = fl.cl.Login(ctx, user, password)
		return err
	}, func(err error) {
		fl.busy = false
		fl.loginButton.Enable()
		if err != nil {
			fl.loginMsg.SetText(explain(err))
			return
		}
		if s.Role != "floor" && s.Role != "admin" {
			fl.loginMsg.SetText(tr("This view is for the hall floor assistant: {{.U}} is a {{.R}}.", "U", s.User, "R", s.Role))
			fl.cl.SetToken("")
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
	fl.who = widget.NewLabel("")
	fl.clock = bold("")
	fl.clock.SizeName = theme.SizeNameSubHeadingText
	header := container.NewBorder(nil, nil, fl.title, container.NewHBox(fl.who, fl.clock))
	fl.banner = widget.NewLabel("")
	fl.banner.Importance = widget.DangerImportance
	fl.banner.TextStyle.Bold = true
	fl.banner.Hide()
	fl.say = widget.NewLabel("")
	fl.say.Wrapping = fyne.TextWrapWord
	fl.say.Hide()

	fl.alertBox = container.NewVBox()
	fl.services = container.NewVBox()
	fl.counters = container.NewVBox()
	serviceHead := container.New(&columns{weights: serviceCols, gap: 6},
		bold(tr("Service")), bold(tr("Numerator")), bold(tr("Waiting")), bold(tr("Oldest / target")), bold(tr("New ticket")),
		bold(tr("Issued · served · no-show · turned away · info")), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""))
	counterHead := container.New(&columns{weights: counterCols, gap: 6},
		bold(tr("Counter")), bold(tr("State")), bold(tr("Clerk")), bold(tr("Ticket")), bold(tr("Serving for")), bold(tr("Idle for")))
	left := container.NewVBox(
		heading(tr("Alerts")), fl.alertBox, widget.NewSeparator(),
		heading(tr("Services")), serviceHead, fl.services, widget.NewSeparator(),
		heading(tr("Counters")), counterHead, fl.counters)

	fl.hallCurrent = widget.NewLabel("")
	fl.hallCurrent.Wrapping = fyne.TextWrapWord
	fl.hallEntry = widget.NewMultiLineEntry()
	fl.hallEntry.SetPlaceHolder(tr("A message for the hall board"))
	fl.hallEntry.Wrapping = fyne.TextWrapWord
	fl.hallEntry.SetMinRowsVisible(2)
	fl.hallPost = widget.NewButtonWithIcon(tr("Show on the board"), theme.MailSendIcon(), func() { fl.postMessage(fl.hallEntry.Text) })
	fl.hallClear = widget.NewButtonWithIcon(tr("Clear"), theme.ContentClearIcon(), func() { fl.postMessage("") })
	hall := widget.NewCard(tr("Hall message"), "", container.NewVBox(fl.hallCurrent, fl.hallEntry, container.NewGridWithColumns(2, fl.hallPost, fl.hallClear)))

	fl.moveIDs = map[string]string{}
	fl.moveTicket = widget.NewSelect(nil, nil)
	fl.moveTicket.PlaceHolder = tr("Waiting ticket")
	fl.moveTo = widget.NewSelect(nil, nil)
	fl.moveTo.PlaceHolder = tr("To service")
	fl.moveButton = widget.NewButtonWithIcon(tr("Move"), theme.MailForwardIcon(), fl.doMove)
	move := widget.NewCard(tr("Move a waiting ticket"), tr("Keeps its place in line"), container.NewVBox(fl.moveTicket, fl.moveTo, fl.moveButton))

	fl.contactOf = widget.NewSelect(nil, nil)
	fl.contactOf.PlaceHolder = tr("About no service")
	fl.contactTopic = widget.NewEntry()
	fl.contactTopic.SetPlaceHolder(tr("Topic (optional): e.g. TARI form"))
	fl.contactLog = widget.NewButtonWithIcon(tr("Information given"), theme.ContentAddIcon(), fl.doContact)
	fl.contactLog.Importance = widget.HighImportance
	fl.contactCount = widget.NewLabel("")
	contact := widget.NewCard(tr("Simple-information contact"), tr("A citizen helped without a ticket"), container.NewVBox(fl.contactOf, fl.contactTopic, fl.contactLog, fl.contactCount))

	right := container.NewVBox(hall, move, contact)
	body := container.New(&split{ratio: 0.72, gap: 16}, container.NewVScroll(left), container.NewVScroll(right))
	fl.mainBox = container.NewBorder(container.NewVBox(header, fl.banner, fl.say, widget.NewSeparator()), nil, nil, nil, body)
}

func (fl *Flow) buildLock() {
	fl.lockTitle = bold("")
	fl.lockReason = widget.NewEntry()
	fl.lockReason.SetPlaceHolder(tr("Reason, shown at the kiosk"))
	fl.lockConfirm = widget.NewButtonWithIcon(tr("Lock"), theme.CancelIcon(), fl.doLock)
	fl.lockConfirm.Importance = widget.DangerImportance
	cancel := widget.NewButton(tr("Cancel"), func() { fl.lockPop.Hide() })
	content := container.NewVBox(fl.lockTitle, fl.lockReason, container.NewGridWithColumns(2, cancel, fl.lockConfirm))
	fl.lockPop = widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(460, 150), content), fl.opt.Window.Canvas())
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
	now := fl.opt.Now()
	loc := fl.opt.Location
	if st.State == client.Stopped && client.IsAuth(st.Err) {
		fl.following = false
		fl.cl.SetToken("")
		fl.showLogin(tr("Your session has expired: log in again."))
		return
	}
	fl.title.SetText(tr("Flow view") + " — " + m.Office)
	fl.clock.SetText(clock(now, loc))
	if text := fl.conn.banner(st, now, loc, tr); text != "" {
		fl.banner.SetText(text)
		fl.banner.Show()
	} else {
		fl.banner.Hide()
	}

	fl.alerts = Alerts(m, now, fl.opt.Rules)
	fl.drawAlerts(now)
	fl.drawServices(now)
	fl.drawCounters(now)
	fl.drawActions()
	fl.content.Refresh()
}

func (fl *Flow) drawAlerts(now time.Time) {
	objs := make([]fyne.CanvasObject, 0, len(fl.alerts))
	for _, a := range fl.alerts {
		icon, imp := theme.WarningIcon(), widget.WarningImportance
		if a.Level == LevelUrgent {
			icon, imp = theme.ErrorIcon(), widget.DangerImportance
		}
		l := widget.NewLabel(fl.alertText(a, now))
		l.Importance = imp
		l.Wrapping = fyne.TextWrapWord
		l.TextStyle.Bold = a.Level == LevelUrgent
		objs = append(objs, container.NewBorder(nil, nil, widget.NewIcon(icon), nil, l))
	}
	if len(objs) == 0 {
		l := widget.NewLabel(tr("Nothing to report: queues within target, every counter at work."))
		l.Importance = widget.SuccessImportance
		objs = append(objs, l)
	}
	fl.alertBox.Objects = objs
	fl.alertBox.Refresh()
}

// alertText says an alert in the view's language.
func (fl *Flow) alertText(a Alert, now time.Time) string {
	loc := fl.opt.Location
	switch a.Kind {
	case AlertWaitOverTarget:
		target := time.Duration(0)
		if sv := fl.model.Service(a.Service); sv != nil {
			target = sv.TargetWait.D()
		}
		return tr("{{.S}}: the first in line has waited {{.W}}, over the target of {{.T}} ({{.N}} waiting)",
			"S", fl.serviceName(a.Service), "W", minutes(now.Sub(a.At)), "T", minutes(target), "N", a.Waiting)
	case AlertIdleCounter:
		return tr("{{.C}} has been free for {{.D}} while {{.N}} people wait for its services",
			"C", fl.counterName(a.Counter), "D", minutes(now.Sub(a.At)), "N", a.Waiting)
	case AlertCutoffSoon:
		return tr("{{.S}} stops issuing tickets at {{.T}}, in {{.M}} ({{.N}} waiting)",
			"S", fl.serviceName(a.Service), "T", clock(a.At, loc), "M", minutes(a.At.Sub(now)+time.Minute-time.Second), "N", a.Waiting)
	case AlertDeviceOffline:
		return tr("{{.D}} has been offline since {{.T}}", "D", a.Device, "T", clock(a.At, loc))
	case AlertPausedTooLong:
		return tr("{{.C}} has been paused for {{.D}}, since {{.T}}", "C", fl.counterName(a.Counter), "D", minutes(now.Sub(a.At)), "T", clock(a.At, loc))
	}
	return ""
}

func (fl *Flow) drawServices(now time.Time) {
	var sig strings.Builder
	for _, sv := range fl.model.Services {
		sig.WriteString(sv.ID + ";")
	}
	if sig.String() != fl.servSig {
		fl.servSig = sig.String()
		fl.serviceRows = map[string]*flowServiceRow{}
		objs := make([]fyne.CanvasObject, 0, len(fl.model.Services))
		for _, sv := range fl.model.Services {
			r := fl.newServiceRow(sv.ID)
			fl.serviceRows[sv.ID] = r
			objs = append(objs, container.New(&columns{weights: serviceCols, gap: 6},
				r.name, r.state, r.waiting, r.oldest, r.estimate, r.counts, r.issue, r.priority, r.lock))
		}
		fl.services.Objects = objs
		fl.services.Refresh()
	}
	for i := range fl.model.Services {
		sv := &fl.model.Services[i]
		r := fl.serviceRows[sv.ID]
		r.name.SetText(fl.name(sv))
		state, imp := fl.numerator(sv, now)
		r.state.SetText(state)
		r.state.Importance = imp
		r.state.Refresh()
		r.waiting.SetText(fmt.Sprint(sv.Waiting))
		oldest := "—"
		r.oldest.Importance = widget.MediumImportance
		if at := oldestArrival(fl.model, sv.ID); !at.IsZero() {
			w := now.Sub(at)
			oldest = minutes(w) + " / " + minutes(sv.TargetWait.D())
			if w > sv.TargetWait.D() {
				r.oldest.Importance = widget.DangerImportance
			}
		}
		r.oldest.SetText(oldest)
		r.oldest.Refresh()
		r.estimate.SetText(minutes(sv.EstimatedWait.D()))
		st := sv.Stats
		r.counts.SetText(fmt.Sprintf("%d · %d · %d · %d · %d", st.Issued, st.Served, st.NoShows, st.Turnaways, st.Contacts))
		canIssue := sv.Status == queue.ServiceOpen && !fl.busy
		setEnabled(r.issue, canIssue)
		setEnabled(r.priority, canIssue)
		if sv.Status == queue.ServiceLocked {
			r.lock.SetText(tr("Unlock"))
			r.lock.SetIcon(theme.ConfirmIcon())
		} else {
			r.lock.SetText(tr("Lock…"))
			r.lock.SetIcon(theme.CancelIcon())
		}
		setEnabled(r.lock, !fl.busy && (sv.Status == queue.ServiceLocked || sv.Status == queue.ServiceOpen || sv.Status == queue.ServiceCutoff))
	}
}

func setEnabled(b *widget.Button, on bool) {
	if on && b.Disabled() {
		b.Enable()
	} else if !on && !b.Disabled() {
		b.Disable()
	}
}

// numerator says a numerator's state, and when it will stop or reopen.
func (fl *Flow) numerator(sv *queue.ServiceView, now time.Time) (string, widget.Importance) {
	loc := fl.opt.Location
	reopens := ""
	if r := sv.Refusal; r != nil && r.ReopensAt != nil {
		reopens = ", " + tr("reopens {{.T}}", "T", r.ReopensAt.In(loc).Format("15:04"))
		if r.ReopensAt.In(loc).YearDay() != now.In(loc).YearDay() {
			reopens = ", " + tr("reopens {{.T}}", "T", r.ReopensAt.In(loc).Format("02/01 15:04"))
		}
	}
	switch sv.Status {
	case queue.ServiceOpen:
		if sv.CutoffAt != nil {
			return tr("open, cut-off at {{.T}}", "T", clock(*sv.CutoffAt, loc)), widget.SuccessImportance
		}
		return tr("open"), widget.SuccessImportance
	case queue.ServiceLocked:
		why := ""
		if sv.Lock != nil {
			why = sv.Lock.Reason
		}
		return tr("locked: {{.R}}", "R", why), widget.WarningImportance
	case queue.ServiceCutoff:
		rule := ""
		if sv.Refusal != nil {
			rule = sv.Refusal.Rule
		}
		switch rule {
		case queue.RuleCutoffLoad:
			return tr("cut off by load") + reopens, widget.WarningImportance
		case queue.RuleDailyCap:
			return tr("daily cap reached") + reopens, widget.WarningImportance
		}
		return tr("cut off") + reopens, widget.WarningImportance
	}
	return tr("closed") + reopens, widget.LowImportance
}

func (fl *Flow) newServiceRow(id string) *flowServiceRow {
	r := &flowServiceRow{
		name: bold(""), state: widget.NewLabel(""), waiting: bold(""), oldest: widget.NewLabel(""),
		estimate: widget.NewLabel(""), counts: widget.NewLabel(""),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.state.Truncation = fyne.TextTruncateEllipsis
	r.issue = widget.NewButton(tr("Ticket"), func() { fl.doIssue(id, false) })
	r.priority = widget.NewButton(tr("Priority"), func() { fl.doIssue(id, true) })
	r.lock = widget.NewButton(tr("Lock…"), func() { fl.toggleLock(id) })
	return r
}

func (fl *Flow) drawCounters(now time.Time) {
	var sig strings.Builder
	for _, c := range fl.model.Counters {
		sig.WriteString(c.ID + ";")
	}
	if sig.String() != fl.countSig {
		fl.countSig = sig.String()
		fl.counterRows = map[string]*flowCounterRow{}
		objs := make([]fyne.CanvasObject, 0, len(fl.model.Counters))
		for _, c := range fl.model.Counters {
			r := &flowCounterRow{name: bold(""), state: widget.NewLabel(""), clerk: widget.NewLabel(""), current: bold(""), serving: widget.NewLabel(""), idle: widget.NewLabel("")}
			r.name.Truncation = fyne.TextTruncateEllipsis
			fl.counterRows[c.ID] = r
			objs = append(objs, container.New(&columns{weights: counterCols, gap: 6}, r.name, r.state, r.clerk, r.current, r.serving, r.idle))
		}
		fl.counters.Objects = objs
		fl.counters.Refresh()
	}
	for _, c := range fl.model.Counters {
		r := fl.counterRows[c.ID]
		r.name.SetText(c.Name)
		state, imp := tr("closed"), widget.LowImportance
		switch c.State {
		case queue.CounterOpen:
			state, imp = tr("open"), widget.SuccessImportance
		case queue.CounterPaused:
			state, imp = tr("paused"), widget.WarningImportance
			if c.PausedAt != nil {
				state = tr("paused {{.D}}", "D", minutes(now.Sub(*c.PausedAt)))
			}
		}
		r.state.SetText(state)
		r.state.Importance = imp
		r.state.Refresh()
		r.clerk.SetText(c.Clerk)
		current, serving, idle := "", "", ""
		if t := fl.model.FindTicket(c.Current); t != nil && c.Current != "" {
			current = t.Number
			if t.CalledAt != nil {
				serving = minutes(now.Sub(*t.CalledAt))
			}
		}
		if c.State == queue.CounterOpen && c.Current == "" && c.IdleSince != nil {
			idle = minutes(now.Sub(*c.IdleSince))
		}
		r.current.SetText(current)
		r.serving.SetText(serving)
		r.idle.SetText(idle)
	}
}

// drawActions refreshes the choices of the action cards.
func (fl *Flow) drawActions() {
	m := fl.model
	if fl.hallCurrent.Text != m.HallMessage || m.HallMessage == "" {
		if m.HallMessage == "" {
			fl.hallCurrent.SetText(tr("No message on the board."))
		} else {
			fl.hallCurrent.SetText(tr("On the board: «{{.M}}»", "M", m.HallMessage))
		}
	}
	setEnabled(fl.hallClear, m.HallMessage != "" && !fl.busy)
	setEnabled(fl.hallPost, !fl.busy)

	// Waiting tickets, in each service's call order.
	var opts []string
	ids := map[string]string{}
	var sig strings.Builder
	for _, sv := range m.Services {
		for _, t := range m.Waiting(sv.ID) {
			label := t.Number + " · " + fl.name(&sv)
			if t.Priority {
				label += " · " + tr("priority")
			}
			opts = append(opts, label)
			ids[label] = t.ID
			sig.WriteString(label + ";")
		}
	}
	var names []string
	for i := range m.Services {
		names = append(names, fl.name(&m.Services[i]))
	}
	sig.WriteString("|" + strings.Join(names, ";"))
	if sig.String() != fl.waitSig {
		fl.waitSig = sig.String()
		selected := fl.moveTicket.Selected
		fl.moveIDs = ids
		fl.moveTicket.SetOptions(opts)
		if _, ok := ids[selected]; !ok && selected != "" {
			fl.moveTicket.ClearSelected()
		}
		fl.moveTo.SetOptions(names)
		fl.contactOf.SetOptions(append([]string{tr("About no service")}, names...))
	}
	setEnabled(fl.moveButton, !fl.busy)
	setEnabled(fl.contactLog, !fl.busy)
	fl.contactCount.SetText(tr("Contacts logged today: {{.N}}", "N", m.Contacts))
}

// serviceByName maps a name shown in a choice back to its service's id.
func (fl *Flow) serviceByName(name string) string {
	for i := range fl.model.Services {
		if fl.name(&fl.model.Services[i]) == name {
			return fl.model.Services[i].ID
		}
	}
	return ""
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
// shows it; for an error, settle may return what to say instead of the
// usual explanation.
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
				fl.showLogin(tr("Your session has expired: log in again."))
				return
			}
			if said == "" {
				said = explain(err)
			}
			fl.tell(said, true)
		} else {
			fl.tell(ok, false)
		}
		fl.refresh(fl.model, fl.status)
	})
}

func (fl *Flow) tell(msg string, isErr bool) {
	fl.say.SetText(msg)
	fl.say.Importance = widget.SuccessImportance
	if isErr {
		fl.say.Importance = widget.DangerImportance
	}
	fl.say.Show()
	fl.content.Refresh()
}

func (fl *Flow) doIssue(service string, priority bool) {
	if fl.busy {
		return
	}
	name := fl.serviceName(service)
	what, now := issueFor{service, priority}, fl.opt.Now()
	p, ok := fl.retry[what]
	if !ok || now.Sub(p.at) > issueRetry || now.Before(p.at) {
		p.key = rand.Text() // one key per tap, kept for its retries
	}
	p.at = now
	fl.actThen("issue", func(ctx context.Context) (string, error) {
		t, _, err := fl.cl.Issue(ctx, service, priority, p.key)
		if err != nil {
			return "", err
		}
		if priority {
			return tr("Priority ticket {{.N}} issued for {{.S}}: hand it to the citizen.", "N", t.Number, "S", name), nil
		}
		return tr("Ticket {{.N}} issued for {{.S}}: hand it to the citizen.", "N", t.Number, "S", name), nil
	}, func(err error) string {
		if !answerLost(err) {
			delete(fl.retry, what) // issued or refused: the next tap is a new ticket
			return ""
		}
		fl.retry[what] = p
		// Not "nothing was changed": the ticket may exist. Tapping again is
		// safe, and the only way to learn its number.
		return tr("The server does not answer: the ticket may have been issued. Tap again in a moment: a ticket already issued is given back, not issued twice.")
	})
}

// answerLost reports whether a call may have been carried out though its
// answer never came: the server was not heard, or a gateway gave up on it.
func answerLost(err error) bool {
	return errors.Is(err, client.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded) || client.StatusOf(err) >= 500
}

func (fl *Flow) toggleLock(service string) {
	sv := fl.model.Service(service)
	if sv == nil {
		return
	}
	if sv.Status == queue.ServiceLocked {
		name := fl.name(sv)
		fl.act("unlock", func(ctx context.Context) (string, error) {
			if _, err := fl.cl.UnlockService(ctx, service); err != nil {
				return "", err
			}
			return tr("{{.S}}: the numerator issues tickets again.", "S", name), nil
		})
		return
	}
	fl.lockService = service
	fl.lockTitle.SetText(tr("Lock the numerator of {{.S}}", "S", fl.name(sv)))
	fl.lockReason.SetText("")
	fl.lockPop.Show()
	fl.opt.Window.Canvas().Focus(fl.lockReason)
}

func (fl *Flow) doLock() {
	reason := strings.TrimSpace(fl.lockReason.Text)
	if reason == "" {
		fl.lockReason.SetPlaceHolder(tr("Say why: the kiosk shows it to citizens"))
		return
	}
	fl.lockPop.Hide()
	service := fl.lockService
	name := fl.serviceName(service)
	fl.act("lock", func(ctx context.Context) (string, error) {
		if _, err := fl.cl.LockService(ctx, service, reason); err != nil {
			return "", err
		}
		return tr("{{.S}}: numerator locked. The kiosk says why.", "S", name), nil
	})
}

func (fl *Flow) doMove() {
	id := fl.moveIDs[fl.moveTicket.Selected]
	to := fl.serviceByName(fl.moveTo.Selected)
	if id == "" || to == "" {
		fl.tell(tr("Choose a waiting ticket and the service to move it to."), true)
		return
	}
	number, name := fl.moveTicket.Selected, fl.moveTo.Selected
	if t := fl.model.FindTicket(id); t != nil {
		number = t.Number
	}
	fl.act("move", func(ctx context.Context) (string, error) {
		if _, err := fl.cl.MoveTicket(ctx, id, to); err != nil {
			return "", err
		}
		return tr("{{.N}} moved to {{.S}}, keeping its place in line.", "N", number, "S", name), nil
	})
	fl.moveTicket.ClearSelected()
}

func (fl *Flow) doContact() {
	service := fl.serviceByName(fl.contactOf.Selected)
	topic := strings.TrimSpace(fl.contactTopic.Text)
	fl.contactTopic.SetText("")
	fl.act("contact", func(ctx context.Context) (string, error) {
		n, err := fl.cl.LogContact(ctx, service, topic)
		if err != nil {
			return "", err
		}
		return tr("Contact logged: {{.N}} today.", "N", n), nil
	})
}

func (fl *Flow) postMessage(text string) {
	text = strings.TrimSpace(text)
	fl.act("hall message", func(ctx context.Context) (string, error) {
		if err := fl.cl.SetHallMessage(ctx, text); err != nil {
			return "", err
		}
		if text == "" {
			return tr("Message cleared from the board."), nil
		}
		return tr("Message shown on the board."), nil
	})
	if text != "" {
		fl.hallEntry.SetText("")
	}
}

// explain turns an error into words for the floor assistant.
func explain(err error) string {
	if errors.Is(err, client.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded) {
		return tr("The server does not answer. Nothing was changed; try again in a moment.")
	}
	var e *client.Error
	if !errors.As(err, &e) {
		return tr("Something went wrong: {{.Err}}", "Err", err.Error())
	}
	switch e.Code {
	case "bad_credentials":
		return tr("Wrong user name or password.")
	case "forbidden":
		return tr("Your role may not do this.")
	case "already_locked":
		return tr("The numerator is already locked.")
	case "not_locked":
		return tr("The numerator is not locked.")
	case "illegal_transition", "unknown_ticket":
		return tr("The ticket is no longer waiting (it may have been called meanwhile).")
	}
	// A numerator's refusal and anything else: the server's own words say
	// the rule and when the service reopens.
	return e.Message
}
