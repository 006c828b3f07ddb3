package ui

import (
	"context"
	"fmt"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

// deskScreen is where the clerk spends the day.
type deskScreen struct {
	root fyne.CanvasObject

	// top bar
	counterName *widget.Label // the counter, its state and the clerk
	banner      *fyne.Container
	bannerText  *widget.Label
	pause       *keyButton
	services    *keyButton
	closeBtn    *keyButton
	logout      *keyButton

	// the current ticket
	number   *canvas.Text
	service  *widget.Label
	priority *widget.Label
	status   *widget.Label
	waited   *widget.Label
	timer    *canvas.Text
	protocol *widget.Label
	print    *keyButton
	save     *keyButton

	// actions
	next     *keyButton
	recall   *keyButton
	noShow   *keyButton
	start    *keyButton
	finish   *keyButton
	forward  *keyButton
	transfer *keyButton
	register *keyButton

	// the information sheet
	sheetFor *keySelect
	sheetIDs []string
	sheet    *widget.RichText
	sheetSrc string

	// the queues and the recent no-shows
	queues     *fyne.Container
	noShows    *fyne.Container
	noShowIDs  []string              // what noShows lists, to rebuild it only when it changes
	reactivate map[string]*keyButton // by ticket number

	msg *widget.Label
}

// Keyboard shortcuts: function keys a clerk can hit without looking.
const (
	keyNext     = fyne.KeyF1
	keyRecall   = fyne.KeyF2
	keyNoShow   = fyne.KeyF3
	keyStart    = fyne.KeyF4
	keyFinish   = fyne.KeyF5
	keyForward  = fyne.KeyF6
	keyTransfer = fyne.KeyF7
	keyRegister = fyne.KeyF8
	keyPause    = fyne.KeyF9
)

func withKey(label string, k fyne.KeyName) string { return label + "  [" + string(k) + "]" }

func (c *Console) buildDesk() {
	d := &c.desk
	d.counterName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.bannerText = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	d.bannerText.Importance = widget.DangerImportance
	bannerBG := canvas.NewRectangle(color.NRGBA{R: 0xff, G: 0xe0, B: 0xb2, A: 0xff})
	d.banner = container.NewStack(bannerBG, d.bannerText)
	d.banner.Hide()
	d.pause = c.newButton(withKey(tr("Pause"), keyPause), theme.MediaPauseIcon(), c.doPauseResume)
	d.services = c.newButton(tr("Services…"), theme.ListIcon(), func() { c.showOpen("") })
	d.closeBtn = c.newButton(tr("Close counter"), theme.CancelIcon(), c.doClose)
	d.logout = c.newButton(tr("Log out"), theme.LogoutIcon(), c.doLogout)
	top := container.NewBorder(nil, nil,
		d.counterName,
		container.NewHBox(d.pause, d.services, d.closeBtn, d.logout))

	d.number = canvas.NewText("—", theme.Color(theme.ColorNameForeground))
	d.number.TextSize = 96
	d.number.TextStyle.Bold = true
	d.number.Alignment = fyne.TextAlignCenter
	d.service = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	d.priority = widget.NewLabelWithStyle(tr("★ Priority citizen"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	d.priority.Importance = widget.WarningImportance
	d.status = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	d.waited = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	d.timer = canvas.NewText("", theme.Color(theme.ColorNamePrimary))
	d.timer.TextSize = 32
	d.timer.TextStyle.Monospace = true
	d.timer.Alignment = fyne.TextAlignCenter
	d.protocol = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	d.protocol.SizeName = theme.SizeNameSubHeadingText
	d.print = c.newButton(tr("Print receipt"), theme.DocumentPrintIcon(), c.doPrint)
	d.save = c.newButton(tr("Save receipt"), theme.DocumentSaveIcon(), c.doSave)
	receipt := container.NewCenter(container.NewHBox(d.print, d.save))

	d.next = c.newButton(withKey(tr("Call next"), keyNext), theme.MediaSkipNextIcon(), c.doNext)
	d.next.Importance = widget.HighImportance
	d.recall = c.newButton(withKey(tr("Recall"), keyRecall), theme.MediaReplayIcon(), c.doRecall)
	d.noShow = c.newButton(withKey(tr("No-show"), keyNoShow), theme.ContentClearIcon(), c.doNoShow)
	d.start = c.newButton(withKey(tr("Start"), keyStart), theme.MediaPlayIcon(), c.doStart)
	d.finish = c.newButton(withKey(tr("Resolved"), keyFinish), theme.ConfirmIcon(), c.doFinish)
	d.finish.Importance = widget.SuccessImportance
	d.forward = c.newButton(withKey(tr("Back office…"), keyForward), theme.MailForwardIcon(), c.showForward)
	d.transfer = c.newButton(withKey(tr("Transfer…"), keyTransfer), theme.MailReplyIcon(), c.showTransfer)
	d.register = c.newButton(withKey(tr("Register document…"), keyRegister), theme.DocumentCreateIcon(), c.showRegister)
	d.register.Importance = widget.HighImportance

	// The call button is the one pressed all day: make it big.
	bigNext := container.New(&minHeight{h: 72}, d.next)

	card := container.NewVBox(
		d.number, d.service, d.priority, d.status, d.waited, d.timer, d.protocol, receipt,
	)
	actions := container.NewVBox(
		bigNext,
		container.NewGridWithColumns(3, d.recall, d.noShow, d.start),
		container.NewGridWithColumns(3, d.finish, d.forward, d.transfer),
		d.register,
	)
	current := container.NewBorder(nil, actions, nil, nil, container.NewCenter(card))

	d.sheetFor = c.newSelect(func(string) { c.renderSheet() })
	d.sheet = widget.NewRichTextFromMarkdown("")
	d.sheet.Wrapping = fyne.TextWrapWord
	sheet := container.NewBorder(
		container.NewVBox(heading(tr("Information sheet")), d.sheetFor), nil, nil, nil,
		container.NewVScroll(d.sheet))

	d.queues = container.NewVBox()
	d.noShows = container.NewVBox()
	d.reactivate = map[string]*keyButton{}
	side := container.NewVScroll(container.NewVBox(
		heading(tr("Your queues")), d.queues,
		widget.NewSeparator(),
		heading(tr("Recent no-shows")), d.noShows,
	))

	d.msg = newMessage()
	left := container.NewHSplit(card2(current), card2(sheet))
	left.Offset = 0.55
	body := container.NewHSplit(left, card2(side))
	body.Offset = 0.74
	d.root = container.NewBorder(
		container.NewVBox(top, d.banner, widget.NewSeparator()),
		d.msg, nil, nil, body)
}

func heading(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// card2 pads a panel.
func card2(o fyne.CanvasObject) fyne.CanvasObject { return container.NewPadded(o) }

// minHeight lays out its objects stacked, at least h tall.
type minHeight struct{ h float32 }

func (m *minHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(0, m.h)
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (m *minHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// showDesk shows the desk for the counter in c.counter.
func (c *Console) showDesk(msg string) {
	c.screen = screenDesk
	c.closing = false
	c.w.SetContent(c.desk.root)
	c.renderDesk()
	setMessage(c.desk.msg, msg, false)
}

// current returns the ticket at the counter, or nil.
func (c *Console) current() *queue.TicketView {
	if c.counter == nil || c.counter.Current == "" {
		return nil
	}
	for i := range c.model.Tickets {
		if c.model.Tickets[i].ID == c.counter.Current {
			return &c.model.Tickets[i]
		}
	}
	return nil
}

func (c *Console) fastTrack() bool {
	return c.counter != nil && c.counter.Lane == queue.LaneFastTrack
}

// renderDesk brings every widget of the desk in line with the state.
func (c *Console) renderDesk() {
	if c.screen != screenDesk {
		return
	}
	d := &c.desk
	k := c.counter
	if k == nil {
		return
	}
	state := map[queue.CounterState]string{
		queue.CounterOpen:   tr("open"),
		queue.CounterPaused: tr("paused"),
		queue.CounterClosed: tr("closed"),
	}[k.State]
	if c.session != nil {
		state = tr("{{.State}} · {{.Name}}", "State", state, "Name", c.session.FullName)
	}
	d.counterName.SetText(k.Name + " · " + state)
	c.renderBanner()

	cur := c.current()
	called := cur != nil && cur.Status == queue.StatusCalled
	serving := cur != nil && cur.Status == queue.StatusServing
	idle := k.State == queue.CounterOpen && k.Current == ""
	enable(d.next, !c.busy && idle)
	enable(d.recall, !c.busy && called)
	enable(d.noShow, !c.busy && called)
	enable(d.start, !c.busy && called)
	enable(d.finish, !c.busy && (called || serving))
	enable(d.forward, !c.busy && (called || serving))
	enable(d.transfer, !c.busy && (called || serving))
	enable(d.closeBtn, !c.busy && k.Current == "" && k.State != queue.CounterClosed)
	enable(d.services, !c.busy && k.Current == "")
	enable(d.pause, !c.busy && k.Current == "" && k.State != queue.CounterClosed)
	if k.State == queue.CounterPaused {
		d.pause.SetText(withKey(tr("Resume"), keyPause))
		d.pause.SetIcon(theme.MediaPlayIcon())
	} else {
		d.pause.SetText(withKey(tr("Pause"), keyPause))
		d.pause.SetIcon(theme.MediaPauseIcon())
	}
	if c.fastTrack() {
		d.register.Show()
		enable(d.register, !c.busy && (called || serving) && cur.Protocol == "")
	} else {
		d.register.Hide()
	}

	switch {
	case cur != nil:
		d.number.Text = cur.Number
		d.service.SetText(c.serviceName(cur.Service))
		show(d.priority, cur.Priority)
		st := tr("Called — waiting for the citizen to come to the desk")
		if cur.Recalls > 0 {
			st = tr("Called again ({{.N}}) — waiting for the citizen", "N", cur.Recalls)
		}
		if serving {
			st = tr("At the desk")
		}
		d.status.SetText(st)
	case k.State == queue.CounterClosed:
		d.number.Text = "—"
		d.service.SetText(tr("Counter closed"))
		d.priority.Hide()
		d.status.SetText(tr("Press Services… to choose the services and open it again."))
	case k.State == queue.CounterPaused:
		d.number.Text = "—"
		d.service.SetText(tr("Paused"))
		d.priority.Hide()
		d.status.SetText(tr("Press Resume to call again."))
	default:
		d.number.Text = "—"
		d.service.SetText(tr("No ticket at the counter"))
		d.priority.Hide()
		n := 0
		for _, s := range k.Services {
			n += len(c.model.Waiting(s))
		}
		d.status.SetText(tr("{{.N}} waiting for your services — press Call next", "N", n))
	}
	d.number.Refresh()
	if cur != nil && cur.Protocol != "" {
		d.protocol.SetText("✓ " + tr("Protocol no. {{.P}} — {{.Doc}}", "P", cur.Protocol, "Doc", cur.Document))
		d.protocol.Show()
		d.print.Show()
		d.save.Show()
		enable(d.print, !c.printing)
		enable(d.save, !c.printing)
	} else {
		d.protocol.Hide()
		d.print.Hide()
		d.save.Hide()
	}
	c.tickDesk()
	c.renderSheetChoice(cur)
	c.renderQueues()
	// Texts and visibility changed sizes: lay the whole desk out again.
	d.root.Refresh()
}

// renderBanner shows the connection's trouble, if any.
func (c *Console) renderBanner() {
	d := &c.desk
	switch st := c.status; st.State {
	case client.Disconnected:
		d.bannerText.SetText(tr("Connection to the server lost at {{.T}} — reconnecting by itself. The queues shown may be out of date.",
			"T", st.Since.Format("15:04:05")))
		d.banner.Show()
	case client.Stopped:
		if st.Err != nil && st.Err != client.ErrStreamClosed {
			msg, _ := explain(st.Err)
			d.bannerText.SetText(tr("Live updates stopped: {{.Msg}}", "Msg", msg))
			d.banner.Show()
		}
	default:
		d.banner.Hide()
	}
}

// tickDesk refreshes what changes with the time alone: the ticket's wait
// and serving timer, the queues' oldest waits.
func (c *Console) tickDesk() {
	if c.screen != screenDesk {
		return
	}
	d := &c.desk
	c.renderNoShows()
	now := c.opt.Now()
	cur := c.current()
	if cur == nil {
		d.waited.SetText("")
		d.timer.Text = ""
		d.timer.Refresh()
		return
	}
	calledAt := now
	if cur.CalledAt != nil {
		calledAt = *cur.CalledAt
	}
	d.waited.SetText(tr("Waited {{.W}} (took the ticket at {{.T}})", "W", minutes(calledAt.Sub(cur.IssuedAt)), "T", cur.IssuedAt.In(now.Location()).Format("15:04")))
	switch {
	case cur.Status == queue.StatusServing && cur.ServingAt != nil:
		d.timer.Text = tr("Serving {{.T}}", "T", clock(now.Sub(*cur.ServingAt)))
	default:
		d.timer.Text = tr("Called {{.T}} ago", "T", clock(now.Sub(calledAt)))
	}
	d.timer.Refresh()
}

// renderSheetChoice offers the sheets of the services served, and turns
// to the current ticket's service when one is called.
func (c *Console) renderSheetChoice(cur *queue.TicketView) {
	d := &c.desk
	ids := slices.Clone(c.counter.Services)
	if cur != nil && !slices.Contains(ids, cur.Service) {
		ids = append(ids, cur.Service)
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = c.serviceName(id)
	}
	d.sheetIDs = ids
	d.sheetFor.Options = names
	want := d.sheetFor.SelectedIndex()
	if cur != nil {
		want = slices.Index(ids, cur.Service)
	}
	if want < 0 || want >= len(ids) {
		want = 0
	}
	if len(ids) == 0 {
		d.sheetFor.ClearSelected()
	} else if d.sheetFor.SelectedIndex() != want || d.sheetFor.Selected != names[want] {
		d.sheetFor.SetSelectedIndex(want) // calls renderSheet
	}
	d.sheetFor.Refresh()
	c.renderSheet()
}

func (c *Console) renderSheet() {
	d := &c.desk
	i := d.sheetFor.SelectedIndex()
	src := ""
	if i >= 0 && i < len(d.sheetIDs) {
		if v := c.serviceView(d.sheetIDs[i]); v != nil {
			src = v.Info
		}
		if src == "" {
			src = tr("*The back office has not written a sheet for this service yet.*")
		}
	}
	if src != d.sheetSrc {
		d.sheetSrc = src
		d.sheet.ParseMarkdown(keepLineBreaks(src))
	}
}

// keepLineBreaks makes every line of a sheet its own paragraph, as the
// back office writes them (an Italian line, then its English one), instead
// of Markdown's joining them; lists and blank lines stay as they are.
func keepLineBreaks(md string) string {
	lines := strings.Split(md, "\n")
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l)
		b.WriteString("\n")
		if i+1 < len(lines) && prose(l) && prose(lines[i+1]) {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// prose reports whether a line is a paragraph's text (not blank, not a
// list item, heading or quote).
func prose(line string) bool {
	t := strings.TrimSpace(line)
	if t == "" {
		return false
	}
	for _, p := range []string{"- ", "* ", "+ ", "#", ">", "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9."} {
		if strings.HasPrefix(t, p) {
			return false
		}
	}
	return true
}

func (c *Console) serviceView(id string) *queue.ServiceView {
	for _, s := range c.services() {
		if s.ID == id {
			return &s
		}
	}
	return nil
}

// renderQueues lists, for each service served, how many wait, the oldest
// wait and the next numbers in the order they will be called.
func (c *Console) renderQueues() {
	d := &c.desk
	now := c.opt.Now()
	var objs []fyne.CanvasObject
	for _, id := range c.counter.Services {
		w := c.model.Waiting(id)
		title := widget.NewLabelWithStyle(c.serviceName(id), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		var line string
		if len(w) == 0 {
			line = tr("nobody waiting")
		} else {
			oldest := w[0].IssuedAt
			for _, t := range w {
				if t.IssuedAt.Before(oldest) {
					oldest = t.IssuedAt
				}
			}
			line = tr("{{.N}} waiting · oldest {{.W}}", "N", len(w), "W", minutes(now.Sub(oldest)))
			if v := c.serviceView(id); v != nil && v.TargetWait > 0 && now.Sub(oldest) > v.TargetWait.D() {
				line += " · " + tr("over target")
			}
		}
		info := widget.NewLabel(line)
		objs = append(objs, title, info)
		if len(w) > 0 {
			var nums []string
			for i, t := range w {
				if i == 6 {
					nums = append(nums, "…")
					break
				}
				n := t.Number
				if t.Priority {
					n = "★" + n
				}
				nums = append(nums, n)
			}
			next := widget.NewLabel(tr("Next: {{.List}}", "List", strings.Join(nums, "  ")))
			next.Wrapping = fyne.TextWrapWord
			objs = append(objs, next)
		}
	}
	if len(objs) == 0 {
		objs = append(objs, widget.NewLabel(tr("No services chosen.")))
	}
	d.queues.Objects = objs
	d.queues.Refresh()
}

// renderNoShows lists the no-shows of the services served that the server
// would still put back in the queue (within the office's reactivate
// window), newest first, each with a button that does it. It runs with the
// timers too, so a no-show leaves the list when its window closes; the
// buttons are made again only when the list changes, so a button reached
// with Tab keeps the focus.
func (c *Console) renderNoShows() {
	d := &c.desk
	if c.counter == nil {
		return
	}
	now, window := c.opt.Now(), c.reactivateWindow()
	var ns []queue.TicketView
	for _, t := range c.model.Tickets {
		if t.Status != queue.StatusNoShow || t.NoShowAt == nil || !slices.Contains(c.counter.Services, t.Service) {
			continue
		}
		if window > 0 && now.Sub(*t.NoShowAt) > window {
			continue // the server would refuse it: reactivate_expired
		}
		ns = append(ns, t)
	}
	slices.SortFunc(ns, func(a, b queue.TicketView) int { return b.NoShowAt.Compare(*a.NoShowAt) })
	if len(ns) > 6 {
		ns = ns[:6]
	}
	ids := make([]string, len(ns))
	for i, t := range ns {
		ids[i] = t.ID + "@" + t.NoShowAt.String()
	}
	on := !c.busy && c.counter.State != queue.CounterClosed
	if slices.Equal(ids, d.noShowIDs) && d.noShows.Objects != nil {
		for _, b := range d.reactivate {
			enable(b, on)
		}
		return
	}
	d.noShowIDs = ids
	d.reactivate = map[string]*keyButton{}
	var objs []fyne.CanvasObject
	for _, t := range ns {
		id, number := t.ID, t.Number
		b := c.newButton(tr("{{.N}} (no-show at {{.T}}) — back in the queue", "N", t.Number, "T", t.NoShowAt.In(now.Location()).Format("15:04")),
			theme.ViewRefreshIcon(), func() { c.doReactivate(id, number) })
		b.Alignment = widget.ButtonAlignLeading
		enable(b, on)
		d.reactivate[t.Number] = b
		objs = append(objs, b)
	}
	if len(objs) == 0 {
		objs = append(objs, widget.NewLabel(tr("None.")))
	}
	d.noShows.Objects = objs
	d.noShows.Refresh()
}

// reactivateWindow is how long after a no-show the server still puts the
// ticket back in its queue: the office's rule, from the live model or the
// login's snapshot; 0 if neither says.
func (c *Console) reactivateWindow() time.Duration {
	if w := c.model.ReactivateWindow.D(); w > 0 {
		return w
	}
	if c.snap != nil {
		return c.snap.ReactivateWindow.D()
	}
	return 0
}

func enable(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

func show(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// minutes says a wait the way a clerk says it.
func minutes(d time.Duration) string {
	if d < time.Minute {
		return tr("less than a minute")
	}
	m := int(d / time.Minute)
	if m < 60 {
		return tr("{{.M}} min", "M", m)
	}
	return tr("{{.H}} h {{.M}} min", "H", m/60, "M", m%60)
}

// clock formats a running timer: 4:07, 1:02:33.
func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// Counter actions, one per button and key.

func (c *Console) doNext() {
	c.act(func(ctx context.Context, k string) (*queue.Result, error) { return c.cl.Next(ctx, k) }, nil)
}

func (c *Console) doRecall() {
	c.act(func(ctx context.Context, k string) (*queue.Result, error) { return c.cl.Recall(ctx, k) }, func(res *queue.Result) {
		if res.Ticket != nil && res.Ticket.Status == queue.StatusNoShow {
			c.say(tr("{{.N}} was called too many times and is now a no-show.", "N", res.Ticket.Number), false)
		}
	})
}

func (c *Console) doNoShow() {
	c.act(func(ctx context.Context, k string) (*queue.Result, error) { return c.cl.NoShow(ctx, k) }, nil)
}

func (c *Console) doStart() {
	c.act(func(ctx context.Context, k string) (*queue.Result, error) { return c.cl.Start(ctx, k) }, nil)
}

func (c *Console) doFinish() {
	c.act(func(ctx context.Context, k string) (*queue.Result, error) {
		return c.cl.Finish(ctx, k, queue.OutcomeResolved, "", "")
	}, nil)
}

func (c *Console) doReactivate(id, number string) {
	c.act(func(ctx context.Context, k string) (*queue.Result, error) { return c.cl.Reactivate(ctx, k, id) }, func(*queue.Result) {
		c.say(tr("{{.N}} is back in its queue, at its original place.", "N", number), false)
	})
}

func (c *Console) doPauseResume() {
	if c.counter != nil && c.counter.State == queue.CounterPaused {
		c.act(func(ctx context.Context, k string) (*queue.Result, error) { return c.cl.Resume(ctx, k) }, nil)
		return
	}
	c.act(func(ctx context.Context, k string) (*queue.Result, error) { return c.cl.Pause(ctx, k) }, nil)
}

func (c *Console) doClose() {
	c.closing = true
	c.act(func(ctx context.Context, k string) (*queue.Result, error) { return c.cl.Close(ctx, k, false) }, func(*queue.Result) {
		c.showOpen(tr("The counter is closed. Open it again when you are back."))
	})
}
