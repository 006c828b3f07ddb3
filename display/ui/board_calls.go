package ui

import (
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"turno/server/client"
	"turno/server/queue"
)

// lastCall is when a ticket was last called to a counter: its call, or a
// later recall (a recall leaves CalledAt as it was, and the citizen who
// hears the chime again must find the number on top).
func lastCall(t *queue.Ticket) time.Time {
	at := *t.CalledAt
	if t.RecalledAt != nil && t.RecalledAt.After(at) {
		at = *t.RecalledAt
	}
	return at
}

// calls returns the tickets at a counter now, the latest called or
// recalled first, and the earlier calls no longer at a counter.
func calls(m client.Model) (current, last []queue.Ticket) {
	for _, t := range m.Tickets {
		if t.CalledAt == nil {
			continue
		}
		if t.Status == queue.StatusCalled || t.Status == queue.StatusServing {
			current = append(current, t.Ticket)
		} else if t.Status != queue.StatusWaiting {
			last = append(last, t.Ticket)
		}
	}
	newest := func(a, b queue.Ticket) int { return lastCall(&b).Compare(lastCall(&a)) }
	slices.SortStableFunc(current, newest)
	slices.SortStableFunc(last, newest)
	if len(current) > maxCurrent {
		current = current[:maxCurrent]
	}
	if len(last) > maxLast {
		last = last[:maxLast]
	}
	return current, last
}

// closed reports whether the board should rest: no service open (nor cut
// off, nor suspended: the office is closed or the day is over), nobody
// waiting, and the last call a few minutes old. The last citizen of the day
// still finds the number called a minute ago; the hall after hours does
// not see it all evening.
func closed(m client.Model, current []queue.Ticket, now time.Time) bool {
	if len(m.Services) == 0 {
		return false
	}
	for _, sv := range m.Services {
		if sv.Status != queue.ServiceClosed || sv.Waiting > 0 {
			return false
		}
	}
	return len(current) == 0 || now.Sub(lastCall(&current[0])) >= quietAfter
}

// reopening is the earliest time a closed service opens again, if known.
func reopening(m client.Model) *time.Time {
	var at *time.Time
	for _, sv := range m.Services {
		if r := sv.Refusal; r != nil && r.ReopensAt != nil && (at == nil || r.ReopensAt.Before(*at)) {
			at = r.ReopensAt
		}
	}
	return at
}

// drawCalls fills the calls column: the box of the newest call (or the
// board's rest), the other calls at a counter, and the last calls.
func (b *Board) drawCalls(m client.Model, now time.Time) {
	current, last := calls(m)
	b.callingHead.set(b.say("Now calling"), boardDim)
	switch {
	case closed(m, current, now):
		b.state = stateClosed
		current, last = nil, nil
		b.nowNum.min = sizeMin // words, not a number: they shrink to fit
		b.nowNum.set(b.say("Office closed"), boardDim)
		b.nowCounter.set(b.opens(reopening(m), now), boardDim)
		b.setNowGround(boardPanel)
	case len(current) == 0:
		b.state = stateWaiting
		b.nowNum.min = sizeMin
		b.nowNum.set(b.say("Please wait to be called"), boardDim)
		b.nowCounter.set("", boardDim)
		b.setNowGround(boardPanel)
	default:
		b.state = stateCalling
		t := current[0]
		ink, ground := highlightInk(t.ID == b.highlight.ticket && now.Before(b.highlight.until))
		b.nowNum.min = sizeNewestMin
		b.nowNum.set(t.Number, ink)
		b.nowCounter.set("→ "+b.counterName(t.Counter), ink)
		b.setNowGround(ground)
		current = current[1:]
	}
	b.drawList(b.current, nil, &b.currentSig, current, sizeCurrentRow, boardInk)
	b.lastHead.set(b.say("Last calls"), boardDim)
	b.drawList(b.last, b.lastHead.box, &b.lastSig, last, sizeLast, boardDim)
}

func (b *Board) setNowGround(c color.Color) {
	if b.nowBg.FillColor != c {
		b.nowBg.FillColor = c
		b.nowBg.Refresh()
	}
}

// opens says when the office opens again, in every language of the
// board: "Riapre alle 15:00 · Opens again at 15:00".
func (b *Board) opens(at *time.Time, now time.Time) string {
	if at == nil {
		return ""
	}
	var parts []string
	for _, l := range b.opt.Langs {
		s := b.when(l, *at, now, "Opens again at {{.T}}", "Opens again tomorrow at {{.T}}", "Opens again on {{.D}} at {{.T}}")
		if !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// when says a time to come in the office's zone, as briefly as it can be
// said unambiguously: today "at 15:00", "tomorrow at 08:30", this week
// "on Wednesday at 08:30", later "on Wednesday 02/12 at 08:30"; the three
// keys word it.
func (b *Board) when(lang string, at, now time.Time, today, tomorrow, later string) string {
	t, n := at.In(b.loc), now.In(b.loc)
	hm := t.Format("15:04")
	day := func(x time.Time) time.Time { y, m, d := x.Date(); return time.Date(y, m, d, 0, 0, 0, 0, b.loc) }
	days := int(day(t).Sub(day(n)).Hours()/24 + 0.5) // a day may be 23 or 25 hours long
	switch {
	case days <= 0:
		return b.words.in(lang, today, "T", hm)
	case days == 1:
		return b.words.in(lang, tomorrow, "T", hm)
	}
	d := b.words.in(lang, t.Weekday().String())
	if days > 6 {
		d += " " + t.Format("02/01")
	}
	return b.words.in(lang, later, "D", d, "T", hm)
}

// drawList shows calls as rows of number and counter under a heading (if
// any), as many as fit; it rebuilds the rows only when what they show
// changed.
func (b *Board) drawList(box *fyne.Container, head fyne.CanvasObject, sig *string, ts []queue.Ticket, size float32, ink color.Color) {
	var s strings.Builder
	for _, t := range ts {
		s.WriteString(t.Number + ">" + b.counterName(t.Counter) + ";")
	}
	if s.String() == *sig {
		return
	}
	*sig = s.String()
	rows := make([]fyne.CanvasObject, 0, len(ts)+1)
	if head != nil && len(ts) > 0 {
		rows = append(rows, head)
	}
	numW := fyne.MeasureText("W000", size, fyne.TextStyle{Bold: true}).Width + size*0.4
	for _, t := range ts {
		num := newText(t.Number, ink, size, true, sizeMin)
		counter := newText("→ "+b.counterName(t.Counter), ink, size*0.85, false, sizeMin)
		rows = append(rows, container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(numW, num.natural()), num.box), nil, counter.box))
	}
	box.Objects = rows
	box.Refresh()
}
