package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

type loginScreen struct {
	root     fyne.CanvasObject
	user     *widget.Entry
	password *widget.Entry
	counter  *widget.Entry
	submit   *widget.Button
	msg      *widget.Label
}

func (c *Console) buildLogin() {
	l := &c.login
	l.user = widget.NewEntry()
	l.user.SetText(c.opt.User)
	l.password = widget.NewPasswordEntry()
	l.counter = widget.NewEntry()
	l.counter.SetText(c.opt.Counter)
	l.submit = widget.NewButtonWithIcon(tr("Log in"), theme.LoginIcon(), c.doLogin)
	l.submit.Importance = widget.HighImportance
	for _, e := range []*widget.Entry{l.user, l.password, l.counter} {
		e.OnSubmitted = func(string) { c.doLogin() }
	}
	l.msg = newMessage()

	title := headline(tr("Counter console"))
	sub := widget.NewLabel(tr("Turno — front office queue"))
	form := widget.NewForm(
		widget.NewFormItem(tr("User"), l.user),
		widget.NewFormItem(tr("Password"), l.password),
		widget.NewFormItem(tr("Counter"), l.counter),
	)
	box := newRows(title, sub, widget.NewSeparator(), form, l.submit, l.msg)
	card := container.New(column{width: 460}, container.NewPadded(box))
	bg := canvas.NewRectangle(color.Transparent)
	l.root = container.NewStack(bg, container.NewCenter(card))
}

func (c *Console) showLogin(msg string) {
	c.screen = screenLogin
	c.login.password.SetText("")
	c.login.submit.Enable()
	c.w.SetContent(c.login.root)
	c.setMessage(c.login.msg, msg, msg != "")
	if c.login.user.Text == "" {
		c.w.Canvas().Focus(c.login.user)
	} else {
		c.w.Canvas().Focus(c.login.password)
	}
}

// doLogin logs in, reads the office (counters and services) and goes to
// the desk if this clerk's counter is already open (the app restarted),
// or to the choice of services.
func (c *Console) doLogin() {
	if c.screen != screenLogin || c.login.submit.Disabled() {
		return
	}
	user := strings.TrimSpace(c.login.user.Text)
	password := c.login.password.Text
	counter := strings.TrimSpace(c.login.counter.Text)
	if user == "" || password == "" {
		c.setMessage(c.login.msg, tr("Enter your user name and password."), true)
		return
	}
	c.login.submit.Disable()
	c.setMessage(c.login.msg, tr("Logging in…"), false)
	var (
		sess *client.Session
		snap *queue.Snapshot
	)
	c.run(func(ctx context.Context) error {
		var err error
		if sess, err = c.cl.Login(ctx, user, password); err != nil {
			return err
		}
		if snap, err = c.cl.Snapshot(ctx); err != nil {
			return fmt.Errorf("read the office: %w", err)
		}
		return nil
	}, func(err error) {
		c.login.submit.Enable()
		if err != nil {
			msg, _ := explain(err)
			c.setMessage(c.login.msg, msg, true)
			return
		}
		c.session, c.snap = sess, snap
		c.model = client.Model{}
		c.counterID = ""
		if k := findCounter(snap.Counters, counter); k != nil {
			c.counterID = k.ID
		} else if counter != "" {
			c.showOpen(tr("There is no counter {{.ID}}: choose one.", "ID", counter))
			return
		}
		if k := findCounter(snap.Counters, c.counterID); k != nil && k.State != queue.CounterClosed && k.Clerk == sess.User {
			// Back at a counter left open: carry on where we were.
			kk := *k
			c.counter = &kk
			c.follow(k.ID)
			c.showDesk(tr("Welcome back: the counter is still open."))
			return
		}
		c.showOpen("")
	})
}

// findCounter finds a counter by id or by name, case-insensitively.
func findCounter(ks []queue.Counter, ref string) *queue.Counter {
	if ref == "" {
		return nil
	}
	for i := range ks {
		if ks[i].ID == ref || strings.EqualFold(ks[i].Name, ref) {
			return &ks[i]
		}
	}
	return nil
}

// doLogout ends the session on the server and here. The counter stays as
// it is: a clerk who logs out with the counter open finds it again.
func (c *Console) doLogout() {
	c.logoutLocal()
	c.showLogin("")
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(c.ctx, client.DefaultTimeout)
		defer cancel()
		// The token is forgotten here whatever the server says.
		_ = c.cl.Logout(ctx)
	}()
}

func newMessage() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setMessage shows msg in l, and lays the screen (and dialog) out again
// for the lines it takes.
func (c *Console) setMessage(l *widget.Label, msg string, isErr bool) {
	setMessage(l, msg, isErr)
	c.relayout()
}

// relayout lays out again what the window shows, after texts changed
// their number of lines or widgets appeared: a container lays itself out
// only when its size changes.
func (c *Console) relayout() {
	switch c.screen {
	case screenLogin:
		c.login.root.Refresh()
	case screenOpen:
		c.open.root.Refresh()
	case screenDesk:
		c.desk.root.Refresh()
	}
	if c.modal != nil {
		c.modal.pop.Refresh()
	}
}

func setMessage(l *widget.Label, msg string, isErr bool) {
	if msg == "" {
		l.SetText("")
		l.Hide()
		return
	}
	l.Importance = widget.MediumImportance
	if isErr {
		l.Importance = widget.DangerImportance
	}
	l.SetText(msg)
	l.Show()
}

// headline is a screen's title: a label, so that it lines up with the
// labels under it.
func headline(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}
