package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// The side panel: the queues this counter serves, and the recent no-shows
// the clerk can put back in their queue.

// maxNoShows is how many recent no-shows the panel and F12 offer.
const maxNoShows = 6

func (c *Console) buildSide() fyne.CanvasObject {
	d := &c.desk
	d.queues = newRows()
	d.noShows = newRows()
	d.reactivate = map[string]*keyButton{}
	// The tab's title, Queues, names the list.
	return container.NewVScroll(newRows(
		d.queues,
		widget.NewSeparator(),
		heading(withKey(tr("Recent no-shows"), keyReactivate)), d.noShows,
	))
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
		title.Wrapping = fyne.TextWrapWord
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
			line = trn("{{.N}} waiting · the first for {{.W}}", len(w), "W", minutes(now.Sub(oldest)))
			if v := c.serviceView(id); v != nil && v.TargetWait > 0 && now.Sub(oldest) > v.TargetWait.D() {
				line += " · " + tr("over target")
			}
		}
		info := widget.NewLabel(line)
		info.Wrapping = fyne.TextWrapWord
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

// recentNoShows are the no-shows of the services served that the server
// would still put back in the queue (within the office's reactivate
// window), newest first.
func (c *Console) recentNoShows() []queue.TicketView {
	if c.counter == nil {
		return nil
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
	if len(ns) > maxNoShows {
		ns = ns[:maxNoShows]
	}
	return ns
}

// renderNoShows lists the recent no-shows, each with a button that puts
// it back. It runs with the timers too, so a no-show leaves the list when
// its window closes; the rows are made again only when the list changes,
// so a button reached with Tab keeps the focus.
func (c *Console) renderNoShows() {
	d := &c.desk
	if c.counter == nil {
		return
	}
	ns := c.recentNoShows()
	ids := make([]string, len(ns))
	for i, t := range ns {
		ids[i] = t.ID + "@" + t.NoShowAt.String()
	}
	on := c.canReactivate()
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
		b := c.newButton(tr("Back in the queue"), theme.ViewRefreshIcon(), func() { c.doReactivate(id, number) })
		enable(b, on)
		d.reactivate[t.Number] = b
		what := widget.NewLabel(c.noShowLine(t))
		what.Wrapping = fyne.TextWrapWord
		objs = append(objs, container.NewBorder(nil, nil, nil, b, what))
	}
	if len(objs) == 0 {
		objs = append(objs, widget.NewLabel(tr("None.")))
	}
	d.noShows.Objects = objs
	c.relayout()
}

// noShowLine says which no-show a row or a choice is.
func (c *Console) noShowLine(t queue.TicketView) string {
	return tr("{{.N}} · no-show at {{.T}}", "N", t.Number, "T", c.clock(*t.NoShowAt))
}

func (c *Console) canReactivate() bool {
	return !c.busy && c.counter != nil && c.counter.State != queue.CounterClosed
}

// showReactivate offers the recent no-shows to put back in their queue
// (F12): the newest is chosen already, so F12 then Enter puts back the
// citizen who just turned up.
func (c *Console) showReactivate() {
	if c.screen != screenDesk || !c.canReactivate() {
		return
	}
	ns := c.recentNoShows()
	if len(ns) == 0 {
		c.say(tr("There is no recent no-show to put back in the queue."), false)
		return
	}
	r := &c.dlg.reactivate
	r.tickets = ns
	choices := make([]choice, len(ns))
	for i, t := range ns {
		choices[i] = choice{text: c.noShowLine(t) + " · " + c.serviceName(t.Service)}
	}
	r.list = newChoiceList(choices, 0, c.relayout)
	r.msg = newMessage()
	r.confirm = c.newButton(withKey(tr("Back in the queue"), keyConfirm()), theme.ViewRefreshIcon(), func() {
		i := r.list.selected
		if i < 0 || i >= len(r.tickets) {
			c.setMessage(r.msg, tr("Choose the ticket first: its number."), true)
			return
		}
		id, number := r.tickets[i].ID, r.tickets[i].Number
		c.hideModal()
		c.doReactivate(id, number)
	})
	content := newRows(
		hint(tr("The ticket goes back to its original place in its queue. Press its number, then Enter. Esc cancels.")),
		r.list.box, r.msg)
	c.showModal(dialogSpec{title: tr("Put a no-show back in the queue"), content: content, confirm: r.confirm,
		key: r.list.key, rune: r.list.typed})
}

func (c *Console) doReactivate(id, number string) {
	c.act(func(ctx context.Context, k string) (*queue.Result, error) { return c.cl.Reactivate(ctx, k, id) }, func(*queue.Result) {
		c.say(tr("{{.N}} is back in its queue, at its original place.", "N", number), false)
	})
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
