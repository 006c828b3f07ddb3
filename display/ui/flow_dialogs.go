package ui

import (
	"context"
	"crypto/rand"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// dialogWidth is the width of the flow view's pop-ups: most of a tablet's
// width in portrait, a comfortable column in landscape.
const dialogWidth float32 = 600

// dialogs are the flow view's pop-ups: the confirmation of a ticket issued
// on a citizen's behalf, the reason for a lock, and the lists a chooser
// opens.
type dialogs struct {
	fl *Flow

	issuePop                                  *widget.PopUp
	issueService, issuePriority, issueWaiting *widget.Label
	issueConfirm, issueCancel                 *widget.Button
	issuing                                   issueFor

	lockPop                 *widget.PopUp
	lockTitle               *widget.Label
	lockReason              *widget.Entry
	lockConfirm, lockCancel *widget.Button
	lockService             string

	choosePop    *widget.PopUp
	chooseTitle  *widget.Label
	chooseList   *fyne.Container
	chooseCancel *widget.Button
	choices      []*widget.Button // the list's, in order
}

func newDialogs(fl *Flow) *dialogs {
	d := &dialogs{fl: fl}
	c := fl.opt.Window.Canvas()

	d.issueService = bold("")
	d.issueService.Wrapping = fyne.TextWrapWord
	d.issuePriority = wrapped("")
	d.issueWaiting = wrapped("")
	d.issueCancel = widget.NewButtonWithIcon(fl.tr("Cancel"), theme.CancelIcon(), func() { d.issuePop.Hide() })
	d.issueConfirm = widget.NewButtonWithIcon(fl.tr("Confirm"), theme.ConfirmIcon(), func() {
		d.issuePop.Hide()
		fl.doIssue(d.issuing.service, d.issuing.priority)
	})
	d.issueConfirm.Importance = widget.HighImportance
	d.issuePop = widget.NewModalPopUp(themed(container.New(fixedWidth{dialogWidth}, container.NewVBox(
		heading(fl.tr("Issue a ticket on a citizen's behalf?")), d.issueService, d.issuePriority, d.issueWaiting,
		container.NewGridWithColumns(2, touch(d.issueCancel), touch(d.issueConfirm))))), c)

	d.lockTitle = bold("")
	d.lockTitle.Wrapping = fyne.TextWrapWord
	d.lockReason = widget.NewEntry()
	d.lockReason.SetPlaceHolder(fl.tr("Reason, shown at the kiosk and on the board"))
	d.lockReason.OnSubmitted = func(string) { fl.doLock() }
	d.lockConfirm = widget.NewButtonWithIcon(fl.tr("Lock"), theme.CancelIcon(), fl.doLock)
	d.lockConfirm.Importance = widget.DangerImportance
	d.lockCancel = widget.NewButton(fl.tr("Cancel"), func() { d.lockPop.Hide() })
	d.lockPop = widget.NewModalPopUp(themed(container.New(fixedWidth{dialogWidth}, container.NewVBox(
		d.lockTitle, touch(d.lockReason), container.NewGridWithColumns(2, touch(d.lockCancel), touch(d.lockConfirm))))), c)

	d.chooseTitle = heading("")
	d.chooseList = container.NewVBox()
	d.chooseCancel = widget.NewButton(fl.tr("Cancel"), func() { d.choosePop.Hide() })
	// At most about six choices at once; more scroll.
	list := container.New(maxHeight{6.5 * (touchMin + theme.Padding())}, container.NewVScroll(d.chooseList))
	d.choosePop = widget.NewModalPopUp(themed(container.New(fixedWidth{dialogWidth}, container.NewBorder(d.chooseTitle, touch(d.chooseCancel), nil, nil, list))), c)
	return d
}

// confirmIssue asks before a ticket is issued for a citizen: the service
// and whether it is a priority ticket, as the ticket will print them.
func (d *dialogs) confirmIssue(service string, priority bool) {
	fl := d.fl
	sv := fl.model.Service(service)
	if sv == nil || fl.busy {
		return
	}
	d.issuing = issueFor{service, priority}
	d.issueService.SetText(fl.tr("Service: {{.S}}", "S", fl.name(sv)))
	if priority {
		d.issuePriority.SetText(fl.tr("Priority: yes. Called before the tickets without priority."))
		d.issuePriority.Importance = widget.WarningImportance
	} else {
		d.issuePriority.SetText(fl.tr("Priority: no."))
		d.issuePriority.Importance = widget.MediumImportance
	}
	d.issuePriority.Refresh()
	d.issueWaiting.SetText(fl.trN(sv.Waiting, "1 person waiting", "{{.N}} people waiting") + " · " + fl.hall.estimate(sv.Wait))
	showPop(d.issuePop)
}

// showPop shows a pop-up, then sizes it again: its wrapped labels know how
// many lines they take only once laid out at the pop-up's width.
func showPop(p *widget.PopUp) {
	p.Show()
	p.Resize(p.Content.MinSize())
}

// doIssue issues a ticket for a citizen, once confirmed.
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
			return fl.tr("Priority ticket {{.N}} issued for {{.S}}: please hand it to the citizen.", "N", t.Number, "S", name), nil
		}
		return fl.tr("Ticket {{.N}} issued for {{.S}}: please hand it to the citizen.", "N", t.Number, "S", name), nil
	}, func(err error) string {
		if !answerLost(err) {
			delete(fl.retry, what) // issued or refused: the next tap is a new ticket
			return ""
		}
		fl.retry[what] = p
		// Not "nothing was changed": the ticket may exist. Issuing again is
		// safe, and the only way to learn its number.
		return fl.tr("The server does not answer: the ticket may have been issued. Issue it again in a moment: a ticket already issued is given back, not issued twice.")
	})
}

// toggleLock unlocks a locked numerator, or asks why before locking one.
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
			return fl.tr("{{.S}}: the numerator issues tickets again.", "S", name), nil
		})
		return
	}
	d := fl.dialogs
	d.lockService = service
	d.lockTitle.SetText(fl.tr("Lock the numerator of {{.S}}?", "S", fl.name(sv)))
	d.lockReason.SetText("")
	d.lockReason.SetPlaceHolder(fl.tr("Reason, shown at the kiosk and on the board"))
	showPop(d.lockPop)
	fl.opt.Window.Canvas().Focus(d.lockReason)
}

func (fl *Flow) doLock() {
	d := fl.dialogs
	reason := strings.TrimSpace(d.lockReason.Text)
	if reason == "" {
		d.lockReason.SetPlaceHolder(fl.tr("Say why: the kiosk shows it to citizens"))
		return
	}
	d.lockPop.Hide()
	service := d.lockService
	name := fl.serviceName(service)
	fl.act("lock", func(ctx context.Context) (string, error) {
		if _, err := fl.cl.LockService(ctx, service, reason); err != nil {
			return "", err
		}
		return fl.tr("{{.S}}: numerator locked. The kiosk says why.", "S", name), nil
	})
}

// choose opens a list of choices, each a full-width target; pick is told
// the one tapped.
func (d *dialogs) choose(title string, options []string, pick func(string)) {
	d.chooseTitle.SetText(title)
	objs := make([]fyne.CanvasObject, 0, len(options))
	d.choices = d.choices[:0]
	for _, o := range options {
		b := widget.NewButton("", func() {
			d.choosePop.Hide()
			pick(o)
		})
		d.choices = append(d.choices, b)
		// The text on the button wraps: a long service name is read whole,
		// and the tap goes through it to the button.
		objs = append(objs, touch(container.NewStack(b, container.NewPadded(wrapped(o)))))
	}
	if len(objs) == 0 {
		objs = append(objs, wrapped(d.fl.tr("Nothing to choose from.")))
	}
	d.chooseList.Objects = objs
	d.chooseList.Refresh()
	showPop(d.choosePop)
}

// chooser is a choice among a few options made for a finger: a full-width
// button that opens the list (Fyne's Select opens a menu of 40-unit rows).
type chooser struct {
	fl       *Flow
	prompt   string
	button   *widget.Button
	Options  []string
	Selected string
	changed  func(string)
}

func newChooser(fl *Flow, prompt string, changed func(string)) *chooser {
	c := &chooser{fl: fl, prompt: prompt, changed: changed}
	c.button = widget.NewButtonWithIcon(prompt, theme.MenuDropDownIcon(), func() { fl.dialogs.choose(c.prompt, c.Options, c.SetSelected) })
	c.button.Alignment = widget.ButtonAlignLeading
	c.button.IconPlacement = widget.ButtonIconTrailingText
	return c
}

// SetOptions replaces the options, keeping the choice while it is one.
func (c *chooser) SetOptions(opts []string) {
	c.Options = opts
	if c.Selected != "" && !slices.Contains(opts, c.Selected) {
		c.ClearSelected()
	}
}

// SetSelected chooses s.
func (c *chooser) SetSelected(s string) {
	c.Selected = s
	c.button.SetText(s)
	if c.changed != nil {
		c.changed(s)
	}
}

// ClearSelected goes back to the prompt.
func (c *chooser) ClearSelected() {
	c.Selected = ""
	c.button.SetText(c.prompt)
}

// themed puts a pop-up's content in the flow's theme and on its ground:
// pop-ups sit on the window's canvas, outside the view's own theme.
func themed(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(container.NewStack(canvas.NewRectangle(flowGround), container.NewPadded(o)), NewFlowTheme())
}

// maxHeight caps its object's height (a list that scrolls beyond it).
type maxHeight struct{ h float32 }

func (m maxHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	if sc, ok := objs[0].(*container.Scroll); ok {
		s.Height = sc.Content.MinSize().Height
	}
	return fyne.NewSize(s.Width, min(s.Height, m.h))
}

func (m maxHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}
