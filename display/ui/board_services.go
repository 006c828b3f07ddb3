package ui

import (
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"turno/server/client"
	"turno/server/queue"
)

func (b *Board) newServiceRow() *serviceRow {
	r := &serviceRow{
		name:    newText("", boardInk, sizeService, true, sizeMin),
		state:   newTextBlock(boardGreen, true, sizeReason, sizeMin),
		waiting: newText("", boardInk, sizeWaiting, true, sizeMin),
		caption: newText("", boardDim, sizeCaption, false),
		rule:    canvas.NewRectangle(boardSeparate),
	}
	r.box = container.New(serviceRowLayout{r}, r.name.box, r.state.box, r.waiting.box, r.caption.box, r.rule)
	return r
}

// drawServices shows a page of services: for each its name, its state with
// the reason and when it reopens, and the people waiting, in the language
// of the moment. Pages turn after every language has been shown.
func (b *Board) drawServices(m client.Model, now time.Time) {
	lang := b.langAt(now)
	per := max(b.serviceFit, 1)
	b.pages = max((len(m.Services)+per-1)/per, 1)
	turn := now.UnixNano() / int64(b.opt.Alternate) / int64(len(b.opt.Langs))
	b.page = int(turn % int64(b.pages))
	head := b.say("Services")
	if b.pages > 1 {
		head += "   " + itoa(b.page+1) + "/" + itoa(b.pages)
	}
	b.servicesHead.set(head, boardDim)

	from := b.page * per
	page := m.Services[min(from, len(m.Services)):min(from+per, len(m.Services))]
	for len(b.rows) < len(page) {
		b.rows = append(b.rows, b.newServiceRow())
	}
	if len(b.services.Objects) != len(page) {
		objs := make([]fyne.CanvasObject, len(page))
		for i := range page {
			objs[i] = b.rows[i].box
		}
		b.services.Objects = objs
		b.services.Refresh()
	}
	clear(b.shown)
	for i := range page {
		sv := &page[i]
		r := b.rows[i]
		b.shown[sv.ID] = r
		r.name.set(sv.Name(lang), boardInk)
		text, ink := b.serviceState(sv, lang, now)
		r.state.set(text, ink)
		waitInk := boardInk
		if sv.Waiting == 0 {
			waitInk = boardDim
		}
		r.waiting.set(itoa(sv.Waiting), waitInk)
		r.caption.set(b.words.in(lang, "waiting"), boardDim)
	}
}

// serviceState is a service's state in one language for citizens: the
// state and when it reopens on the first line (what most need), then why,
// and what else they can do; and the state's colour: green open, amber
// stopped for now, grey closed.
func (b *Board) serviceState(sv *queue.ServiceView, lang string, now time.Time) (string, color.Color) {
	say := func(key string, kv ...any) string { return b.words.in(lang, key, kv...) }
	reopens := ""
	if r := sv.Refusal; r != nil && r.ReopensAt != nil {
		reopens = b.when(lang, *r.ReopensAt, now, "reopens at {{.T}}", "reopens tomorrow at {{.T}}", "reopens on {{.D}} at {{.T}}")
	}
	appointment := ""
	if sv.Refusal != nil && sv.Refusal.Appointment {
		appointment = say("you can book an appointment")
	}
	first := func(word string) string {
		if reopens == "" {
			return word
		}
		return word + " · " + reopens
	}
	lines := func(parts ...string) string {
		var out []string
		for _, p := range parts {
			if p != "" {
				out = append(out, p)
			}
		}
		return strings.Join(out, "\n")
	}
	switch sv.Status {
	case queue.ServiceOpen:
		return say("Open"), boardGreen
	case queue.ServiceLocked:
		if sv.Lock != nil && sv.Lock.Reason != "" {
			return say("Suspended") + ": " + sv.Lock.Reason, boardAmber
		}
		return say("Suspended"), boardAmber
	case queue.ServiceCutoff:
		rule := ""
		if sv.Refusal != nil {
			rule = sv.Refusal.Rule
		}
		switch rule {
		case queue.RuleDailyCap:
			// "No more tickets · reopens tomorrow at 08:30" says it all, in
			// the one line a row has.
			return lines(first(say("No more tickets")), appointment), boardAmber
		case queue.RuleCutoffLoad:
			return lines(first(say("No more tickets")), say("the people waiting fill the time left"), appointment), boardAmber
		}
		closes := ""
		if sv.ClosesAt != nil {
			closes = say("the counters close at {{.T}}", "T", clock(*sv.ClosesAt, b.loc))
		}
		return lines(first(say("No more tickets")), appointment, closes), boardAmber
	}
	return first(say("Closed")), boardDim
}

func itoa(n int) string { return strconv.Itoa(n) }
