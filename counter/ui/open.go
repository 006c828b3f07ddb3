package ui

import (
	"context"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// openScreen is where the clerk chooses the counter and today's services.
type openScreen struct {
	root     fyne.CanvasObject
	title    *widget.Label
	who      *widget.Label
	counter  *keySelect
	counters []queue.Counter // in the select's order
	checks   map[string]*serviceCheck
	list     *fyne.Container
	submit   *keyButton
	back     *keyButton // to the desk, when changing services
	logout   *keyButton
	msg      *widget.Label
}

// serviceCheck is a service to tick: a check box and the service's name
// beside it, which wraps when long (a check box's own text never wraps)
// and ticks the box when clicked.
type serviceCheck struct {
	check *keyCheck
	label *tapLabel
	row   fyne.CanvasObject
}

func (c *Console) newServiceCheck(name string, checked bool) *serviceCheck {
	s := &serviceCheck{check: c.newCheck("", nil)}
	s.check.SetChecked(checked)
	s.label = newTapLabel(name, func() { s.check.SetChecked(!s.check.Checked) })
	s.row = container.NewBorder(nil, nil, s.check, nil, s.label)
	return s
}

// tapLabel is a wrapping label that does something when clicked.
type tapLabel struct {
	widget.Label
	tapped func()
}

func newTapLabel(text string, tapped func()) *tapLabel {
	l := &tapLabel{tapped: tapped}
	l.Text = text
	l.Wrapping = fyne.TextWrapWord
	l.ExtendBaseWidget(l)
	return l
}

// Tapped runs the label's action.
func (l *tapLabel) Tapped(*fyne.PointEvent) { l.tapped() }

func (c *Console) buildOpen() {
	o := &c.open
	o.title = headline(tr("Open the counter"))
	o.who = widget.NewLabel("")
	o.who.Wrapping = fyne.TextWrapWord
	o.counter = c.newSelect(func(string) { c.counterChosen() })
	o.checks = map[string]*serviceCheck{}
	o.list = newRows()
	o.submit = c.newButton(withKey(tr("Open the counter"), keyConfirm()), theme.ConfirmIcon(), c.doOpen)
	o.submit.Importance = widget.HighImportance
	o.back = c.newButton(withKey(tr("Back to the desk"), keyCancel), theme.NavigateBackIcon(), func() { c.showDesk("") })
	o.logout = c.newButton(tr("Log out"), theme.LogoutIcon(), c.doLogout)
	o.msg = newMessage()
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	top := newRows(
		o.title, o.who, widget.NewSeparator(),
		bold(tr("Counter")), o.counter,
		bold(tr("Services served today")))
	bottom := newRows(
		widget.NewSeparator(),
		container.NewHBox(o.submit, o.back, o.logout),
		o.msg)
	// A long list of services scrolls; the buttons stay in sight.
	box := container.NewBorder(top, bottom, nil, nil, container.NewVScroll(o.list))
	// 600 px high: it fits WindowSize, with room around.
	o.root = container.NewCenter(container.New(column{width: 640, height: 600}, container.NewPadded(box)))
}

// showOpen shows the choice of services, for the counter chosen at login.
func (c *Console) showOpen(msg string) {
	c.screen = screenOpen
	c.hideModal()
	c.closing = false
	o := &c.open
	if c.session != nil {
		o.who.SetText(tr("{{.Name}}, choose your counter and the services you serve today.", "Name", c.session.FullName))
	}
	o.counters = nil
	var names []string
	if c.snap != nil {
		for _, k := range c.snap.Counters {
			o.counters = append(o.counters, k)
			names = append(names, k.Name)
		}
	}
	o.counter.Options = names
	if k := findCounter(o.counters, c.counterID); k != nil {
		o.counter.SetSelected(k.Name) // calls counterChosen
	} else {
		o.counter.ClearSelected()
		c.counterChosen()
	}
	c.w.SetContent(o.root)
	c.setMessage(o.msg, msg, msg != "") // and lays the screen out
}

// counterChosen lists the services the chosen counter may serve, checked
// as it was last opened, or all of them.
func (c *Console) counterChosen() {
	o := &c.open
	k := c.selectedCounter()
	if k == nil {
		o.list.Objects = []fyne.CanvasObject{widget.NewLabel(tr("Choose a counter first."))}
		o.list.Refresh()
		o.submit.Disable()
		return
	}
	if k.ID != c.counterID {
		c.counterID = k.ID
		c.counter = nil
		c.stopStream()
	}
	if c.counter == nil || c.counter.ID != k.ID {
		kk := *k
		c.counter = &kk
	}
	// Follow the counter already, so the queues' lengths are live while
	// the clerk chooses.
	c.follow(k.ID)
	cur := c.counter
	o.submit.SetText(withKey(tr("Open the counter"), keyConfirm()))
	o.back.Hide()
	if cur.State != queue.CounterClosed && c.session != nil && cur.Clerk == c.session.User {
		o.submit.SetText(withKey(tr("Serve these services"), keyConfirm()))
		o.back.Show()
	}
	o.checks = map[string]*serviceCheck{}
	o.list.Objects = nil
	for _, s := range c.candidates(k) {
		ch := c.newServiceCheck(c.serviceName(s.ID), len(cur.Services) == 0 || slices.Contains(cur.Services, s.ID))
		o.checks[s.ID] = ch
		o.list.Add(ch.row)
	}
	if len(o.checks) == 0 {
		o.list.Add(widget.NewLabel(tr("The configuration lets this counter serve no service: ask the administrator.")))
	}
	o.submit.Enable()
	c.renderOpen()
}

// candidates are the services the configuration lets a counter serve, in
// the configuration's order. The live model's copy of the counter is newer
// than the login's, should the configuration have been reloaded.
func (c *Console) candidates(k *queue.Counter) []queue.ServiceView {
	may := k.MayServe
	if m := c.model.Counter(k.ID); m != nil && c.model.Seq > 0 && len(m.MayServe) > 0 {
		may = m.MayServe
	}
	var out []queue.ServiceView
	for _, id := range may {
		if v := c.serviceView(id); v != nil {
			out = append(out, *v)
		}
	}
	return out
}

// renderOpen refreshes the waiting counts beside the services.
func (c *Console) renderOpen() {
	changed := false
	for id, ch := range c.open.checks {
		n := len(c.model.Waiting(id))
		if c.model.Seq == 0 {
			if v := c.model.Service(id); v != nil {
				n = v.Waiting
			}
		}
		label := c.serviceName(id)
		if n > 0 {
			label = trn("{{.Service}} — {{.N}} waiting", n, "Service", label)
		}
		if ch.label.Text != label {
			ch.label.SetText(label)
			changed = true
		}
	}
	if changed && c.screen == screenOpen {
		c.open.root.Refresh()
	}
}

func (c *Console) selectedCounter() *queue.Counter {
	i := c.open.counter.SelectedIndex()
	if i < 0 || i >= len(c.open.counters) {
		return nil
	}
	return &c.open.counters[i]
}

func (c *Console) chosenServices() []string {
	var out []string
	if k := c.selectedCounter(); k != nil {
		for _, s := range c.candidates(k) {
			if ch := c.open.checks[s.ID]; ch != nil && ch.check.Checked {
				out = append(out, s.ID)
			}
		}
	}
	return out
}

// doOpen opens the counter (or changes its services).
func (c *Console) doOpen() {
	if c.screen != screenOpen || c.open.submit.Disabled() {
		return
	}
	k := c.selectedCounter()
	services := c.chosenServices()
	if k == nil || len(services) == 0 {
		c.setMessage(c.open.msg, tr("Choose at least one service."), true)
		return
	}
	c.open.submit.Disable()
	counter := k.ID
	from := c.model.Seq
	var res *queue.Result
	c.run(func(ctx context.Context) error {
		var err error
		res, err = c.cl.Open(ctx, counter, services)
		return err
	}, func(err error) {
		c.open.submit.Enable()
		if err != nil {
			msg, what := explain(err)
			if what == relogin {
				c.fail(err)
				return
			}
			c.setMessage(c.open.msg, msg, true)
			return
		}
		c.counterID = counter
		c.follow(counter)
		c.applyResult(res)
		if res != nil && res.Counter != nil {
			c.answer = &pendingAnswer{from: from, counter: *res.Counter, at: time.Now()}
		}
		c.showDesk("")
	})
}
