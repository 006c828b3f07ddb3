package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// hallPanel is the flow view's first tab: what needs attention, then every
// service as a card with its queue and its three actions.
type hallPanel struct {
	fl        *Flow
	box       *fyne.Container
	alertList *fyne.Container
	alertRows []*alertRow
	grid      *fyne.Container
	cards     map[string]*serviceCard
	sig       string
}

// serviceCard is one service in the hall panel.
type serviceCard struct {
	obj                             fyne.CanvasObject
	name                            *widget.Label
	state, waiting, estimate, today *widget.Label
	issue, priority, lock           *widget.Button
}

func newHallPanel(fl *Flow) *hallPanel {
	p := &hallPanel{fl: fl, cards: map[string]*serviceCard{}}
	p.alertList = container.NewVBox()
	p.grid = container.NewGridWithColumns(2)
	p.box = container.NewVBox(heading(fl.tr("Alerts")), p.alertList, heading(fl.tr("Services")), p.grid)
	return p
}

func (p *hallPanel) object() fyne.CanvasObject { return p.box }

func (p *hallPanel) tab() string {
	fl := p.fl
	if n := Attention(fl.alerts); n > 0 {
		return fl.tr("Hall") + " · " + fl.trN(n, "{{.N}} alert", "{{.N}} alerts")
	}
	return fl.tr("Hall")
}

func (p *hallPanel) refresh(now time.Time) {
	p.drawAlerts(now)
	p.drawServices(now)
}

// alertRow is one alert's line: reused from one refresh to the next, so
// that a wrapped label keeps the width it was laid out at (a label made
// anew is measured one line high before its first layout).
type alertRow struct {
	obj   fyne.CanvasObject
	icon  *widget.Icon
	label *widget.Label
}

func (p *hallPanel) drawAlerts(now time.Time) {
	fl := p.fl
	rows := max(len(fl.alerts), 1)
	for len(p.alertRows) < rows {
		r := &alertRow{icon: widget.NewIcon(nil), label: wrapped("")}
		r.obj = container.NewBorder(nil, nil, r.icon, nil, r.label)
		p.alertRows = append(p.alertRows, r)
		p.alertList.Add(r.obj)
	}
	for i, r := range p.alertRows {
		if i >= rows {
			r.obj.Hide()
			continue
		}
		r.obj.Show()
		if len(fl.alerts) == 0 {
			r.icon.SetResource(theme.NewColoredResource(theme.ConfirmIcon(), theme.ColorNameSuccess))
			r.label.TextStyle.Bold = false
			setLabel(r.label, fl.tr("Nothing to report: queues within target, every counter at work, every numerator issuing."), widget.SuccessImportance)
			continue
		}
		a := fl.alerts[i]
		icon, imp := theme.NewColoredResource(theme.WarningIcon(), theme.ColorNameWarning), widget.WarningImportance
		switch a.Level {
		case LevelUrgent:
			icon, imp = theme.NewColoredResource(theme.ErrorIcon(), theme.ColorNameError), widget.DangerImportance
		case LevelInfo:
			icon, imp = theme.NewColoredResource(theme.InfoIcon(), theme.ColorNamePrimary), widget.MediumImportance
		}
		r.icon.SetResource(icon)
		r.label.TextStyle.Bold = a.Level == LevelUrgent
		setLabel(r.label, p.alertText(a, now), imp)
	}
}

// alertText says an alert in the view's language.
func (p *hallPanel) alertText(a Alert, now time.Time) string {
	fl := p.fl
	switch a.Kind {
	case AlertWaitOverTarget:
		target := time.Duration(0)
		if sv := fl.model.Service(a.Service); sv != nil {
			target = sv.TargetWait.D()
		}
		return fl.tr("{{.S}}: the first in line has waited {{.W}}, over the target of {{.T}} ({{.N}} waiting)",
			"S", fl.serviceName(a.Service), "W", minutes(now.Sub(a.At)), "T", minutes(target), "N", a.Waiting)
	case AlertIdleCounter:
		return fl.trN(a.Waiting, "{{.C}} has been free for {{.D}} while 1 person waits for its services",
			"{{.C}} has been free for {{.D}} while {{.N}} people wait for its services",
			"C", fl.counterName(a.Counter), "D", minutes(now.Sub(a.At)))
	case AlertCutoffSoon:
		return fl.tr("{{.S}} stops issuing tickets at {{.T}}, in {{.M}} ({{.N}} waiting)",
			"S", fl.serviceName(a.Service), "T", clock(a.At, fl.loc), "M", minutes(a.At.Sub(now)+time.Minute-time.Second), "N", a.Waiting)
	case AlertNumeratorLocked:
		reason := ""
		if sv := fl.model.Service(a.Service); sv != nil && sv.Lock != nil {
			reason = sv.Lock.Reason
		}
		return fl.tr("{{.S}}: numerator locked since {{.T}} ({{.R}}); unlock it when the service can issue tickets again",
			"S", fl.serviceName(a.Service), "T", clock(a.At, fl.loc), "R", reason)
	case AlertNumeratorStopped:
		if a.Rule == queue.RuleDailyCap {
			return fl.tr("{{.S}} issues no more tickets today: the daily cap is reached", "S", fl.serviceName(a.Service))
		}
		return fl.tr("{{.S}} issues no more tickets: the people waiting fill the time until closing", "S", fl.serviceName(a.Service))
	case AlertDeviceOffline:
		return fl.tr("{{.D}} has been offline since {{.T}}", "D", a.Device, "T", clock(a.At, fl.loc))
	case AlertPausedTooLong:
		return fl.tr("{{.C}} has been paused for {{.D}}, since {{.T}}", "C", fl.counterName(a.Counter), "D", minutes(now.Sub(a.At)), "T", clock(a.At, fl.loc))
	case AlertAppointmentDue:
		number := a.Ticket
		if t := fl.model.FindTicket(a.Ticket); t != nil {
			number = t.Number
		}
		if a.Busy == 0 {
			return fl.tr("Appointment {{.P}} ({{.S}}) has been due since {{.T}} and no counter serving {{.S}} is open",
				"P", number, "S", fl.serviceName(a.Service), "T", clock(a.At, fl.loc))
		}
		return fl.trN(a.Busy, "Appointment {{.P}} ({{.S}}) has been due since {{.T}}; the one counter serving it is busy",
			"Appointment {{.P}} ({{.S}}) has been due since {{.T}}; all {{.C}} counters serving it are busy",
			"P", number, "S", fl.serviceName(a.Service), "T", clock(a.At, fl.loc), "C", a.Busy)
	case AlertBookingLate:
		name := ""
		for _, b := range fl.model.Bookings {
			if b.ID == a.Booking {
				name = b.Name
			}
		}
		return fl.tr("{{.P}} ({{.S}}, {{.T}}) has not checked in yet: {{.D}} late",
			"P", name, "S", fl.serviceName(a.Service), "T", clock(a.At, fl.loc), "D", minutes(now.Sub(a.At)))
	case AlertPlannedClosed:
		c, from, to := fl.counterName(a.Counter), clock(a.Plan.Open, fl.loc), clock(a.Plan.Close, fl.loc)
		text := fl.tr("{{.C}} should be open from {{.T}} to {{.U}} by the staffing plan, but it is closed", "C", c, "T", from, "U", to)
		if a.At.After(a.Plan.Open) {
			text = fl.tr("{{.C}} closed at {{.T}}, but the staffing plan has it open until {{.U}}", "C", c, "T", clock(a.At, fl.loc), "U", to)
		}
		if a.Waiting > 0 {
			text += " " + fl.trN(a.Waiting, "(1 person waiting for its services)", "({{.N}} people waiting for its services)")
		}
		return text
	}
	return ""
}

func (p *hallPanel) newCard(id string) *serviceCard {
	fl := p.fl
	c := &serviceCard{name: bold(""), state: wrapped(""), waiting: wrapped(""), estimate: wrapped(""), today: wrapped("")}
	c.name.SizeName = theme.SizeNameSubHeadingText
	c.name.Truncation = fyne.TextTruncateEllipsis
	c.issue = widget.NewButtonWithIcon(fl.tr("Ticket"), theme.ContentAddIcon(), func() { fl.dialogs.confirmIssue(id, false) })
	c.priority = widget.NewButtonWithIcon(fl.tr("Priority"), theme.ContentAddIcon(), func() { fl.dialogs.confirmIssue(id, true) })
	c.lock = widget.NewButton(fl.tr("Lock…"), func() { fl.toggleLock(id) })
	buttons := container.NewGridWithColumns(3, touch(c.issue), touch(c.priority), touch(c.lock))
	c.obj = card(c.name, c.state, c.waiting, c.estimate, c.today, buttons)
	return c
}

func (p *hallPanel) drawServices(now time.Time) {
	fl := p.fl
	var sig strings.Builder
	for _, sv := range fl.model.Services {
		sig.WriteString(sv.ID + ";")
	}
	if sig.String() != p.sig {
		p.sig = sig.String()
		clear(p.cards)
		objs := make([]fyne.CanvasObject, 0, len(fl.model.Services))
		for _, sv := range fl.model.Services {
			c := p.newCard(sv.ID)
			p.cards[sv.ID] = c
			objs = append(objs, c.obj)
		}
		p.grid.Objects = objs
		p.grid.Refresh()
	}
	for i := range fl.model.Services {
		sv := &fl.model.Services[i]
		c := p.cards[sv.ID]
		c.name.SetText(fl.name(sv))
		state, imp := p.numerator(sv, now)
		setLabel(c.state, state, imp)

		waiting, imp := fl.trN(sv.Waiting, "1 person waiting", "{{.N}} people waiting"), widget.MediumImportance
		if at := oldestArrival(fl.model, sv.ID); !at.IsZero() {
			w := now.Sub(at)
			waiting += " · " + fl.tr("the first for {{.W}} (target {{.T}})", "W", minutes(w), "T", minutes(sv.TargetWait.D()))
			if w > sv.TargetWait.D() {
				imp = widget.DangerImportance
			}
		}
		setLabel(c.waiting, waiting, imp)
		if sv.Status == queue.ServiceOpen {
			setLabel(c.estimate, p.estimate(sv.Wait), widget.MediumImportance)
		} else {
			setLabel(c.estimate, fl.tr("No new tickets now"), widget.MediumImportance)
		}
		st := sv.Stats
		setLabel(c.today, fl.tr("Today:")+" "+strings.Join([]string{
			fl.trN(st.Issued, "1 issued", "{{.N}} issued"),
			fl.trN(st.Served, "1 served", "{{.N}} served"),
			fl.trN(st.NoShows, "1 no-show", "{{.N}} no-shows"),
			fl.trN(st.Turnaways, "1 turned away", "{{.N}} turned away"),
			fl.trN(st.Contacts, "1 information contact", "{{.N}} information contacts"),
		}, " · "), widget.MediumImportance)

		canIssue := sv.Status == queue.ServiceOpen && !fl.busy && fl.online()
		setEnabled(c.issue, canIssue)
		setEnabled(c.priority, canIssue)
		if sv.Status == queue.ServiceLocked {
			c.lock.SetText(fl.tr("Unlock"))
			c.lock.SetIcon(theme.ConfirmIcon())
		} else {
			c.lock.SetText(fl.tr("Lock…"))
			c.lock.SetIcon(theme.CancelIcon())
		}
		setEnabled(c.lock, !fl.busy && fl.online() && (sv.Status == queue.ServiceLocked || sv.Status == queue.ServiceOpen || sv.Status == queue.ServiceCutoff))
	}
}

func setLabel(l *widget.Label, text string, imp widget.Importance) {
	if l.Text == text && l.Importance == imp {
		return
	}
	l.Text, l.Importance = text, imp
	l.Refresh()
}

// estimate says the wait of a ticket issued now, rounded as citizens read
// it (queue.Wait.Readable, as at the kiosk and on the phone page).
func (p *hallPanel) estimate(w queue.Wait) string {
	fl := p.fl
	r := w.Readable()
	switch {
	case r.About && r.Minutes == 0:
		return fl.tr("A new ticket: no wait")
	case r.About:
		return fl.tr("A new ticket: about {{.M}} min", "M", r.Minutes)
	}
	return fl.tr("A new ticket: between {{.L}} and {{.H}} min", "L", r.Low, "H", r.High)
}

// numerator says a numerator's state, and when it will stop or reopen.
func (p *hallPanel) numerator(sv *queue.ServiceView, now time.Time) (string, widget.Importance) {
	fl := p.fl
	reopens := ""
	if r := sv.Refusal; r != nil && r.ReopensAt != nil {
		at := r.ReopensAt.In(fl.loc)
		reopens = " · " + fl.tr("reopens {{.T}}", "T", at.Format("15:04"))
		if at.YearDay() != now.In(fl.loc).YearDay() {
			reopens = " · " + fl.tr("reopens {{.T}}", "T", at.Format("02/01 15:04"))
		}
	}
	switch sv.Status {
	case queue.ServiceOpen:
		if sv.CutoffAt != nil {
			return fl.tr("Numerator open, stops at {{.T}}", "T", clock(*sv.CutoffAt, fl.loc)), widget.SuccessImportance
		}
		return fl.tr("Numerator open"), widget.SuccessImportance
	case queue.ServiceLocked:
		why := ""
		if sv.Lock != nil {
			why = sv.Lock.Reason
		}
		return fl.tr("Numerator locked: {{.R}}", "R", why), widget.WarningImportance
	case queue.ServiceCutoff:
		rule := ""
		if sv.Refusal != nil {
			rule = sv.Refusal.Rule
		}
		switch rule {
		case queue.RuleCutoffLoad:
			return fl.tr("Numerator stopped by load") + reopens, widget.WarningImportance
		case queue.RuleDailyCap:
			return fl.tr("Daily cap reached") + reopens, widget.WarningImportance
		}
		return fl.tr("Numerator stopped for closing") + reopens, widget.WarningImportance
	}
	return fl.tr("Closed") + reopens, widget.LowImportance
}
