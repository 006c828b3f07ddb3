package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

// countersPanel is the flow view's second tab: every counter as a card,
// what it is doing and for how long.
type countersPanel struct {
	fl    *Flow
	box   *fyne.Container
	grid  *fyne.Container
	cards map[string]*counterCard
	sig   string
}

type counterCard struct {
	obj                        fyne.CanvasObject
	name                       *widget.Label
	state, plan, clerk, ticket *widget.Label
}

func newCountersPanel(fl *Flow) *countersPanel {
	p := &countersPanel{fl: fl, cards: map[string]*counterCard{}}
	p.grid = container.NewGridWithColumns(3)
	p.box = container.NewVBox(heading(fl.tr("Counters")), p.grid)
	return p
}

func (p *countersPanel) object() fyne.CanvasObject { return p.box }

func (p *countersPanel) tab() string {
	fl := p.fl
	open := 0
	for _, c := range fl.model.Counters {
		if c.State != queue.CounterClosed {
			open++
		}
	}
	return fl.tr("Counters") + " · " + fl.tr("{{.O}} of {{.N}} open", "O", open, "N", len(fl.model.Counters))
}

func (p *countersPanel) refresh(now time.Time) {
	fl := p.fl
	var sig strings.Builder
	for _, c := range fl.model.Counters {
		sig.WriteString(c.ID + ";")
	}
	if sig.String() != p.sig {
		p.sig = sig.String()
		clear(p.cards)
		objs := make([]fyne.CanvasObject, 0, len(fl.model.Counters))
		for _, c := range fl.model.Counters {
			k := &counterCard{name: bold(""), state: wrapped(""), plan: wrapped(""), clerk: wrapped(""), ticket: wrapped("")}
			k.name.SizeName = theme.SizeNameSubHeadingText
			k.name.Truncation = fyne.TextTruncateEllipsis
			k.obj = card(k.name, k.state, k.plan, k.clerk, k.ticket)
			p.cards[c.ID] = k
			objs = append(objs, k.obj)
		}
		p.grid.Objects = objs
		p.grid.Refresh()
	}
	for _, c := range fl.model.Counters {
		k := p.cards[c.ID]
		k.name.SetText(c.Name)
		state, imp := fl.tr("Closed"), widget.LowImportance
		switch c.State {
		case queue.CounterOpen:
			state, imp = fl.tr("Open"), widget.SuccessImportance
		case queue.CounterPaused:
			state, imp = fl.tr("Paused"), widget.WarningImportance
			if c.PausedAt != nil {
				state = fl.tr("Paused for {{.D}}, since {{.T}}", "D", minutes(now.Sub(*c.PausedAt)), "T", clock(*c.PausedAt, fl.loc))
				if now.Sub(*c.PausedAt) > fl.opt.Rules.PauseLimit {
					imp = widget.DangerImportance
				}
			}
		}
		if c.State == queue.CounterClosed {
			if sp, ok := plannedNow(fl.model, c.ID, now); ok {
				// Plan against reality: closed while planned open is
				// an alert past the grace, a clerk expected before it.
				state, imp = fl.tr("Closed: planned open since {{.T}}", "T", clock(sp.Open, fl.loc)), widget.WarningImportance
				for _, a := range fl.alerts {
					if a.Kind == AlertPlannedClosed && a.Counter == c.ID {
						imp = widget.DangerImportance
					}
				}
			}
		}
		setLabel(k.state, state, imp)
		setLabel(k.plan, p.planText(c.ID), widget.MediumImportance)
		clerk := ""
		if c.Clerk != "" {
			clerk = fl.tr("Clerk: {{.C}}", "C", c.Clerk)
		}
		setLabel(k.clerk, clerk, widget.MediumImportance)
		ticket, imp := "", widget.MediumImportance
		if t := fl.model.FindTicket(c.Current); t != nil && c.Current != "" {
			ticket = fl.tr("Serving {{.N}}", "N", t.Number)
			if t.CalledAt != nil {
				ticket = fl.tr("Serving {{.N}} for {{.D}}", "N", t.Number, "D", minutes(now.Sub(*t.CalledAt)))
			}
		} else if c.State == queue.CounterOpen && c.IdleSince != nil {
			ticket = fl.tr("Free for {{.D}}", "D", minutes(now.Sub(*c.IdleSince)))
			for _, a := range fl.alerts {
				if a.Kind == AlertIdleCounter && a.Counter == c.ID {
					imp = widget.DangerImportance
				}
			}
		}
		setLabel(k.ticket, ticket, imp)
	}
}

// planText says a counter's planned hours today.
func (p *countersPanel) planText(counter string) string {
	fl := p.fl
	var spans []string
	for _, pc := range fl.model.Plan {
		if pc.Counter != counter {
			continue
		}
		for _, st := range pc.Stretches {
			spans = append(spans, clock(st.Open, fl.loc)+"–"+clock(st.Close, fl.loc))
		}
	}
	if len(spans) == 0 {
		return fl.tr("Not in today's staffing plan")
	}
	return fl.tr("Planned today: {{.H}}", "H", strings.Join(spans, ", "))
}

// plannedNow returns the stretch of the staffing plan that has the counter
// open at now.
func plannedNow(m client.Model, counter string, now time.Time) (queue.Span, bool) {
	for _, pc := range m.Plan {
		if pc.Counter != counter {
			continue
		}
		for _, st := range pc.Stretches {
			if !now.Before(st.Open) && now.Before(st.Close) {
				return st.Span, true
			}
		}
	}
	return queue.Span{}, false
}
