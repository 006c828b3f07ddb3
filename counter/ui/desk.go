package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

// deskScreen is where the clerk spends the day: the top bar, then three
// columns (the ticket at the counter with the actions; the information
// sheet; the queues and the recent no-shows), then a line for messages.
// Everything fits a 1366x768 laptop with its taskbar (WindowSize); long
// names wrap and long sheets scroll inside their column.
type deskScreen struct {
	root fyne.CanvasObject

	// top bar
	counterName *widget.Label // the counter, its state and the clerk
	banner      *fyne.Container
	bannerText  *widget.Label
	bannerBG    *canvas.Rectangle
	pause       *keyButton
	services    *keyButton
	closeBtn    *keyButton
	logout      *keyButton

	// the current ticket
	number   *canvas.Text
	service  *widget.Label
	priority *widget.Label
	// appointment says whose appointment the ticket is (time, name), and
	// apptNote the booking's note
	appointment *widget.Label
	apptNote    *widget.Label
	status      *widget.Label
	waited      *widget.Label
	timer       *canvas.Text
	protocol    *widget.Label

	// actions
	next     *keyButton
	recall   *keyButton
	noShow   *keyButton
	start    *keyButton
	finish   *keyButton
	forward  *keyButton
	transfer *keyButton
	register *keyButton
	print    *keyButton
	save     *keyButton
	fastRow  *fyne.Container // register, print and save: fast-track counters only

	// the information sheet
	sheetFor *keySelect
	sheetIDs []string
	sheet    *widget.RichText
	sheetSrc string

	// the right-hand column: the queues and the recent no-shows; the
	// appointments
	tabs       *container.AppTabs
	queuesTab  *container.TabItem
	apptTab    *container.TabItem
	appt       apptPanel
	queues     *fyne.Container
	noShows    *fyne.Container
	noShowIDs  []string              // what noShows lists, to rebuild it only when it changes
	reactivate map[string]*keyButton // by ticket number

	msg *widget.Label
}

func (c *Console) buildDesk() {
	d := &c.desk
	d.counterName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.counterName.Truncation = fyne.TextTruncateEllipsis
	d.bannerText = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	d.bannerText.Importance = widget.DangerImportance
	d.bannerText.Wrapping = fyne.TextWrapWord
	d.bannerBG = canvas.NewRectangle(theme.Color(colorNameBanner))
	d.banner = container.NewStack(d.bannerBG, d.bannerText)
	d.banner.Hide()
	d.pause = c.newButton(withKey(tr("Pause"), keyPause), theme.MediaPauseIcon(), c.doPauseResume)
	d.services = c.newButton(tr("Services…"), theme.ListIcon(), func() { c.showOpen("") })
	d.closeBtn = c.newButton(tr("Close counter"), theme.CancelIcon(), c.doClose)
	d.logout = c.newButton(tr("Log out"), theme.LogoutIcon(), c.doLogout)
	top := container.NewBorder(nil, nil, nil,
		container.NewHBox(d.pause, d.services, d.closeBtn, d.logout), d.counterName)

	d.msg = newMessage()
	left := container.NewHSplit(container.NewPadded(c.buildCurrent()), container.NewPadded(c.buildSheet()))
	left.Offset = 0.58
	d.queuesTab = container.NewTabItem(tr("Queues"), c.buildSide())
	d.apptTab = container.NewTabItem(tr("Appointments"), c.buildAppointments())
	d.tabs = container.NewAppTabs(d.queuesTab, d.apptTab)
	body := container.NewHSplit(left, container.NewPadded(d.tabs))
	body.Offset = 0.72
	d.root = container.NewBorder(
		newRows(top, d.banner, widget.NewSeparator()),
		newRows(d.msg), nil, nil, body)
}

// buildCurrent is the column of the ticket at the counter and the actions.
func (c *Console) buildCurrent() fyne.CanvasObject {
	d := &c.desk
	d.number = canvas.NewText("—", theme.Color(theme.ColorNameForeground))
	d.number.TextSize = 80
	d.number.TextStyle.Bold = true
	d.number.Alignment = fyne.TextAlignCenter
	centred := func(style fyne.TextStyle) *widget.Label {
		l := widget.NewLabelWithStyle("", fyne.TextAlignCenter, style)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	d.service = centred(fyne.TextStyle{Bold: true})
	d.priority = centred(fyne.TextStyle{Bold: true})
	d.priority.SetText(tr("★ Priority citizen"))
	d.priority.Importance = widget.WarningImportance
	d.appointment = centred(fyne.TextStyle{Bold: true})
	d.appointment.Importance = widget.HighImportance
	d.appointment.Hide()
	d.apptNote = centred(fyne.TextStyle{Italic: true})
	d.apptNote.Hide()
	d.status = centred(fyne.TextStyle{})
	d.waited = centred(fyne.TextStyle{})
	d.timer = canvas.NewText("", theme.Color(theme.ColorNamePrimary))
	d.timer.TextSize = 28
	d.timer.TextStyle.Monospace = true
	d.timer.Alignment = fyne.TextAlignCenter
	d.protocol = centred(fyne.TextStyle{Bold: true})

	d.next = c.newButton(withKey(tr("Call next"), keyNext), theme.MediaSkipNextIcon(), c.doNext)
	d.next.Importance = widget.HighImportance
	d.recall = c.newButton(withKey(tr("Recall"), keyRecall), theme.MediaReplayIcon(), c.doRecall)
	d.noShow = c.newButton(withKey(tr("No-show"), keyNoShow), theme.ContentClearIcon(), c.doNoShow)
	d.start = c.newButton(withKey(tr("Start"), keyStart), theme.MediaPlayIcon(), c.doStart)
	d.finish = c.newButton(withKey(tr("Resolved"), keyFinish), theme.ConfirmIcon(), c.doFinish)
	d.finish.Importance = widget.SuccessImportance
	d.forward = c.newButton(withKey(tr("Back office…"), keyForward), theme.MailForwardIcon(), c.showForward)
	d.transfer = c.newButton(withKey(tr("Transfer…"), keyTransfer), theme.MailReplyIcon(), c.showTransfer)
	d.register = c.newButton(withKey(tr("Register…"), keyRegister), theme.DocumentCreateIcon(), c.showRegister)
	d.register.Importance = widget.HighImportance
	d.print = c.newButton(withKey(tr("Print receipt"), keyPrint), theme.DocumentPrintIcon(), c.doPrint)
	d.save = c.newButton(withKey(tr("Save receipt"), keySave), theme.DocumentSaveIcon(), c.doSave)
	d.fastRow = container.NewGridWithColumns(3, d.register, d.print, d.save)

	card := newRows(d.number, d.service, d.priority, d.appointment, d.apptNote, d.status, d.waited, d.timer, d.protocol)
	// The call button is the one pressed all day: make it big.
	actions := container.NewVBox(
		container.New(&minHeight{h: 56}, d.next),
		container.NewGridWithColumns(3, d.recall, d.noShow, d.start),
		container.NewGridWithColumns(3, d.finish, d.forward, d.transfer),
		d.fastRow,
	)
	return container.NewBorder(nil, actions, nil, nil, container.New(middle{}, card))
}

func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

// showDesk shows the desk for the counter in c.counter.
func (c *Console) showDesk(msg string) {
	c.screen = screenDesk
	c.closing = false
	c.w.SetContent(c.desk.root)
	c.renderDesk()
	c.setMessage(c.desk.msg, msg, false)
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
	// Hidden with their row, so that their keys do nothing elsewhere.
	for _, o := range []fyne.CanvasObject{d.fastRow, d.register, d.print, d.save} {
		show(o, c.fastTrack())
	}
	enable(d.register, !c.busy && (called || serving) && cur.Protocol == "")

	head, note := c.appointmentLines(cur)
	d.appointment.SetText(head)
	show(d.appointment, head != "")
	d.apptNote.SetText(note)
	show(d.apptNote, note != "")
	switch {
	case cur != nil:
		d.number.Text = cur.Number
		d.service.SetText(c.serviceName(cur.Service))
		show(d.priority, cur.Priority)
		st := tr("Called — waiting for the citizen to come to the desk")
		if cur.Recalls > 0 {
			st = trn("Called again {{.N}} time — waiting for the citizen", cur.Recalls)
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
		d.status.SetText(tr("Press Resume (F9) to call again."))
	default:
		d.number.Text = "—"
		d.service.SetText(tr("No ticket at the counter"))
		d.priority.Hide()
		n := 0
		for _, s := range k.Services {
			n += len(c.model.Waiting(s))
		}
		if n == 0 {
			d.status.SetText(tr("Nobody is waiting for these services yet."))
		} else {
			d.status.SetText(trn("{{.N}} waiting for these services — press Call next (F1)", n))
		}
	}
	// Colours of canvas objects follow the theme's variant only if set
	// again. The dash of an empty counter is a placeholder, not a number:
	// muted.
	d.bannerBG.FillColor = theme.Color(colorNameBanner)
	d.timer.Color = theme.Color(theme.ColorNamePrimary)
	d.number.Color = theme.Color(theme.ColorNameForeground)
	if cur == nil {
		d.number.Color = theme.Color(theme.ColorNamePlaceHolder)
	}
	d.number.Refresh()
	hasReceipt := cur != nil && cur.Protocol != ""
	if hasReceipt {
		d.protocol.SetText("✓ " + tr("Protocol no. {{.P}} — {{.Doc}}", "P", cur.Protocol, "Doc", cur.Document))
		d.protocol.Show()
	} else {
		d.protocol.Hide()
	}
	// The receipt buttons keep their place at a fast-track counter, so
	// that the actions do not move under the clerk's hand.
	enable(d.print, hasReceipt && !c.printing)
	enable(d.save, hasReceipt && !c.printing)
	c.tickDesk()
	c.renderSheetChoice(cur)
	c.renderQueues()
	c.renderAppointments()
	// Texts and visibility changed sizes: lay the whole desk out again.
	d.root.Refresh()
}

// renderBanner shows the connection's trouble, if any.
func (c *Console) renderBanner() {
	d := &c.desk
	switch st := c.status; st.State {
	case client.Disconnected:
		d.bannerText.SetText(tr("Connection to the server lost at {{.T}} — reconnecting by itself. The queues shown may be out of date.",
			"T", c.inZone(st.Since).Format("15:04:05")))
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
	c.renderAppointments()
	now := c.opt.Now()
	cur := c.current()
	if cur == nil {
		d.waited.SetText("")
		d.waited.Hide()
		d.timer.Text = ""
		d.timer.Refresh()
		return
	}
	calledAt := now
	if cur.CalledAt != nil {
		calledAt = *cur.CalledAt
	}
	d.waited.SetText(tr("Waited {{.W}} (took the ticket at {{.T}})", "W", minutes(calledAt.Sub(cur.IssuedAt)), "T", c.clock(cur.IssuedAt)))
	d.waited.Show()
	switch {
	case cur.Status == queue.StatusServing && cur.ServingAt != nil:
		d.timer.Text = tr("Serving {{.T}}", "T", timer(now.Sub(*cur.ServingAt)))
	default:
		d.timer.Text = tr("Called {{.T}} ago", "T", timer(now.Sub(calledAt)))
	}
	d.timer.Refresh()
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

// timer formats a running timer: 4:07, 1:02:33.
func timer(d time.Duration) string {
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
