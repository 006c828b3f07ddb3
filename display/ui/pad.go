package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/queue"
)

// Defaults of a rating pad.
const (
	// DefaultPadTimeout is how long the pad waits for a tap after the
	// clerk finished: the citizen is gathering their papers, not
	// lingering; the next citizen must not find the last one's question.
	DefaultPadTimeout = 60 * time.Second
	// DefaultPadThanks is how long the thanks stay on screen.
	DefaultPadThanks = 5 * time.Second
)

// PadOptions wire a rating Pad.
type PadOptions struct {
	Options
	// Counter is the counter the pad faces: the one its device is
	// configured with ([[devices]] counter), whose finished tickets it
	// rates.
	Counter string
	// Lang is the language the pad asks in first, "it" (the default) or
	// "en"; the citizen switches with one tap.
	Lang string
	// Timeout replaces DefaultPadTimeout, Thanks DefaultPadThanks.
	Timeout, Thanks time.Duration
}

// padState is what the pad shows.
type padState int

const (
	padDark    padState = iota // nothing to rate: a black screen
	padAsking                  // the five faces, waiting for one tap
	padSending                 // a tap on its way to the server
	padThanks                  // the rating is recorded: thanks, then dark
	padTooLate                 // the server will no longer take it: a word, then dark
)

// padTicket is the ticket the pad asks about.
type padTicket struct {
	id, number string
	seen       time.Time // when the pad heard it was finished, on its clock
}

// Pad is a counter's rating pad: a small screen facing the citizen across
// the counter. It is dark until the clerk finishes a ticket there; then it
// asks, in large type and five faces, how the citizen was served; one tap
// rates, it thanks, and goes dark again. It goes dark without a rating
// when the clerk calls the next citizen, or after Timeout. A rating names
// the ticket's service and counter, never the clerk (the server's rules
// decide that, and a pad sends only the score).
type Pad struct {
	opt   PadOptions
	f     *follower
	words catalog
	root  fyne.CanvasObject
	ctx   context.Context
	wg    sync.WaitGroup // ratings in flight

	// Touched only inside Do.
	conn    connection
	model   client.Model
	status  client.Status
	loc     *time.Location
	state   padState
	lang    string
	ticket  padTicket
	next    *padTicket // finished while the pad was thanking: asked about next
	since   time.Time  // when the state began, on the pad's clock
	retried bool       // the rating in flight is the retry of a lost answer
	note    string     // under the faces: why the last tap did not count
	// done holds the tickets the pad will not ask about again: rated,
	// refused, or passed by.
	done map[string]bool
	// problem is a configuration fault shown for staff while dark (an
	// unknown counter, a token that is not a rating pad's); such a pad
	// never lights up.
	problem  string
	connects time.Time // the connection the problem was found on

	ground     *canvas.Rectangle
	banner     *fyne.Container
	bannerText *textBlock
	ask        *fyne.Container
	question   *bigText
	sub        *bigText
	faces      []*faceTile
	noteText   *textBlock
	langButton *widget.Button
	thanks     *fyne.Container
	thanksBig  *bigText
	thanksLine *bigText
	dark       *fyne.Container
	problemMsg *textBlock
}

// NewPad builds the pad and starts following the office. Close stops it.
// Call it where widgets may be touched.
func NewPad(ctx context.Context, opt PadOptions) *Pad {
	opt.defaults()
	if opt.Lang != "en" {
		opt.Lang = "it"
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultPadTimeout
	}
	if opt.Thanks <= 0 {
		opt.Thanks = DefaultPadThanks
	}
	p := &Pad{opt: opt, words: loadCatalog(), lang: opt.Lang, loc: opt.Location, done: map[string]bool{}}
	p.f = newFollower(ctx, opt.Options)
	p.ctx = p.f.ctx
	p.build()
	p.refresh(client.Model{}, client.Status{State: client.Connecting})
	p.f.follow(p.onEvent, p.refresh)
	return p
}

// Content is the pad's canvas object, for the window.
func (p *Pad) Content() fyne.CanvasObject { return p.root }

// Close stops following the office and waits for a rating in flight.
// Call it from outside Do.
func (p *Pad) Close() {
	p.f.close()
	p.wg.Wait()
}

// tr says key in the language the citizen chose.
func (p *Pad) tr(key string, kv ...any) string { return p.words.in(p.lang, key, kv...) }

// faceWord is a score's word, as the phone page says it.
func (p *Pad) faceWord(score int) string {
	switch score {
	case 1:
		return p.tr("Bad")
	case 2:
		return p.tr("Not good")
	case 3:
		return p.tr("So-so")
	case 4:
		return p.tr("Good")
	}
	return p.tr("Very good")
}

func (p *Pad) build() {
	p.ground = canvas.NewRectangle(padBlack)

	p.bannerText = newTextBlock(padInk, true, 26, 22, 20)
	p.banner = container.NewStack(canvas.NewRectangle(padRed), container.New(layout.NewCustomPaddedLayout(8, 8, 16, 16), p.bannerText.box))
	p.banner.Hide()

	p.question = newText("", padInk, 40, true, 28)
	p.question.t.Alignment = fyne.TextAlignCenter
	p.sub = newText("", padDim, 26, false, 20)
	p.sub.t.Alignment = fyne.TextAlignCenter
	row := make([]fyne.CanvasObject, queue.MaxScore)
	for i := range row {
		score := i + 1
		f := newFaceTile(score, func() { p.tap(score) })
		p.faces = append(p.faces, f)
		row[i] = f.obj
	}
	faces := container.New(&faceRow{columns: columns{gap: 12}, tiles: p.faces}, row...)
	p.noteText = newTextBlock(padInk, true, 24, 20)
	p.langButton = widget.NewButton("", p.toggleLang)
	// The note (a lost tap, the rating on its way) has the footer's height
	// beside the language: two lines.
	footer := container.NewBorder(nil, nil, nil, container.New(minSize{fyne.NewSize(200, padTarget)}, p.langButton), p.noteText.box)
	head := container.NewVBox(p.question.box, p.sub.box)
	p.ask = container.NewBorder(head, footer, nil, nil, faces)

	p.thanksBig = newText("", padInk, 96, true, 40)
	p.thanksBig.t.Alignment = fyne.TextAlignCenter
	p.thanksLine = newText("", padInk, 36, false, 24)
	p.thanksLine.t.Alignment = fyne.TextAlignCenter
	p.thanks = container.NewVBox(layout.NewSpacer(), p.thanksBig.box, p.thanksLine.box, layout.NewSpacer())

	p.problemMsg = newTextBlock(padDim, false, 24, 20)
	p.dark = container.New(layout.NewCustomPaddedLayout(40, 0, 0, 0), p.problemMsg.box)

	stage := container.NewStack(p.dark, p.ask, p.thanks)
	page := container.NewBorder(p.banner, nil, nil, nil, stage)
	p.root = container.NewThemeOverride(container.NewStack(p.ground, container.New(layout.NewCustomPaddedLayout(16, 16, 20, 20), page)), NewPadTheme())
}

// onEvent follows the pad's counter, on the stream's goroutine: a finish
// lights it, a call darkens it, a rating from the citizen's phone settles
// it, a new day clears it.
func (p *Pad) onEvent(s *client.Stream, ev queue.Event) {
	switch ev.Type {
	case queue.EventTicketFinished:
		if ev.Ticket == nil || ev.Ticket.Counter != p.opt.Counter {
			return
		}
		// A finish replayed after a reconnection, older than the pad's
		// patience, is not a citizen standing at the counter any more;
		// its age is judged on the server's clock.
		if age := s.ServerNow().Sub(ev.At); age > p.opt.Timeout {
			p.opt.Logger.Info("old finish not asked about", "number", ev.Ticket.Number, "age", age)
			return
		}
		id, number := ev.Ticket.ID, ev.Ticket.Number
		p.opt.Do(func() { p.finished(padTicket{id: id, number: number, seen: p.opt.Now()}) })
	case queue.EventTicketCalled, queue.EventTicketRecalled:
		if ev.Ticket == nil || ev.Ticket.Counter != p.opt.Counter {
			return
		}
		id := ev.Ticket.ID
		p.opt.Do(func() { p.called(id) })
	case queue.EventTicketRated:
		if ev.Rating == nil {
			return
		}
		id := ev.Rating.Ticket
		p.opt.Do(func() { p.ratedElsewhere(id) })
	case queue.EventDayRollover:
		p.opt.Do(func() {
			p.next = nil
			if p.state == padAsking {
				p.darken()
			}
			clear(p.done) // yesterday's tickets are rated no more
		})
	}
}

// finished: the clerk finished a ticket at the pad's counter.
func (p *Pad) finished(t padTicket) {
	if p.done[t.id] || p.problem != "" {
		return
	}
	switch p.state {
	case padSending, padThanks, padTooLate:
		p.next = &t // the previous citizen is still reading the pad
		return
	case padAsking:
		if p.ticket.id == t.id {
			return
		}
		p.done[p.ticket.id] = true // a later finish: the earlier citizen has gone
	}
	p.light(t)
}

// called: the clerk called a citizen to the counter; whoever the pad was
// asking has left, and the pad must not take the next citizen's tap for
// the last one's rating.
func (p *Pad) called(id string) {
	if p.next != nil && p.next.id != id {
		p.done[p.next.id] = true
		p.next = nil
	}
	if p.state == padAsking && id != p.ticket.id {
		p.darken()
	}
}

// ratedElsewhere: a ticket was rated, from the citizen's phone perhaps.
func (p *Pad) ratedElsewhere(id string) {
	p.done[id] = true
	if p.next != nil && p.next.id == id {
		p.next = nil
	}
	if p.state == padAsking && p.ticket.id == id {
		p.enter(padThanks) // the citizen has answered
	}
}

func (p *Pad) light(t padTicket) {
	p.ticket, p.next = t, nil
	p.lang, p.note, p.retried = p.opt.Lang, "", false
	p.enter(padAsking)
}

func (p *Pad) darken() {
	if p.state == padAsking {
		p.done[p.ticket.id] = true
	}
	p.lang = p.opt.Lang
	p.enter(padDark)
}

func (p *Pad) enter(s padState) {
	p.state, p.since = s, p.opt.Now()
	p.draw()
}

// tap rates the ticket with a face's score. Only the first tap counts: the
// pad stops listening until the server has answered.
func (p *Pad) tap(score int) {
	if p.state != padAsking {
		return
	}
	p.note, p.retried = "", false
	p.state = padSending
	p.send(p.ticket, score)
	p.draw()
}

func (p *Pad) send(t padTicket, score int) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		ctx, cancel := context.WithTimeout(p.ctx, client.DefaultTimeout)
		_, err := p.opt.Client.Rate(ctx, t.id, score)
		cancel()
		if p.ctx.Err() != nil {
			return // closing
		}
		p.opt.Do(func() { p.answered(t, score, err) })
	}()
}

// answered settles a tap. A rating whose answer was lost is sent once
// more: if the first arrived, the server says already_rated, and that is
// a rating recorded, once.
func (p *Pad) answered(t padTicket, score int, err error) {
	if p.state != padSending || p.ticket.id != t.id || p.ctx.Err() != nil {
		return
	}
	switch {
	case err == nil || client.IsCode(err, "already_rated"):
		p.done[t.id] = true
		p.enter(padThanks)
	case answerLost(err) && !p.retried:
		p.opt.Logger.Info("rating's answer lost: sending it again", "number", t.number, "err", err)
		p.retried = true
		p.send(t, score)
	case answerLost(err):
		p.opt.Logger.Warn("rating not sent", "number", t.number, "err", err)
		p.note = p.tr("Your rating did not reach the server. Please tap a face again.")
		p.enter(padAsking)
	case client.IsAuth(err) || client.IsCode(err, "not_a_rating_pad", "forbidden"):
		p.opt.Logger.Error("this display may not rate: give its [[devices]] entry a counter", "counter", p.opt.Counter, "err", err)
		p.problem = p.tr("This screen's token is not a rating pad's: in the office's file, give its [[devices]] entry counter = \"{{.C}}\".", "C", p.opt.Counter)
		p.connects = p.status.Since
		p.darken()
	default:
		// not_last_finished (the clerk finished another ticket meanwhile,
		// or -counter is not the device's counter), not_finished,
		// rating_closed: the moment has passed.
		p.opt.Logger.Warn("rating refused", "number", t.number, "counter", p.opt.Counter, "err", err)
		p.done[t.id] = true
		p.enter(padTooLate)
	}
}

func (p *Pad) toggleLang() {
	if p.lang == "it" {
		p.lang = "en"
	} else {
		p.lang = "it"
	}
	if p.state == padAsking {
		p.since = p.opt.Now() // a citizen at work: the timeout starts again
		if p.note != "" {
			p.note = p.tr("Your rating did not reach the server. Please tap a face again.")
		}
	}
	p.draw()
}

// refresh follows the model and the clock, inside Do.
func (p *Pad) refresh(m client.Model, st client.Status) {
	p.model, p.status = m, st
	p.loc = officeZone(m, p.opt.Location)
	now := p.opt.Now()
	if st.State == client.Connected && p.problem != "" && !st.Since.Equal(p.connects) && p.model.Counter(p.opt.Counter) != nil {
		p.problem = "" // a new connection, perhaps to a server configured anew: try again
	}
	if m.Seq > 0 && m.Counter(p.opt.Counter) == nil {
		p.problem = p.tr("The office has no counter {{.C}}: check -counter.", "C", p.opt.Counter)
		p.connects = st.Since
	}
	switch p.state {
	case padAsking:
		// A call the stream did not replay (a fresh snapshot after a long
		// outage) shows in the counter's current ticket.
		c := m.Counter(p.opt.Counter)
		if now.Sub(p.since) >= p.opt.Timeout || p.problem != "" || (c != nil && c.Current != "" && c.Current != p.ticket.id) {
			p.darken()
		}
	case padThanks, padTooLate:
		if now.Sub(p.since) >= p.opt.Thanks {
			next := p.next
			p.darken()
			if next != nil && !p.done[next.id] && now.Sub(next.seen) < p.opt.Timeout && p.problem == "" {
				p.light(*next)
			}
		}
	}
	p.draw()
}

// draw shows the state, inside Do.
func (p *Pad) draw() {
	now := p.opt.Now()
	if text := p.conn.banner(p.status, now, p.loc, p.tr); text != "" {
		p.bannerText.set(text, padInk)
		p.banner.Show()
	} else {
		p.banner.Hide()
	}
	lit := p.state != padDark
	show(p.ask, p.state == padAsking || p.state == padSending)
	show(p.thanks, p.state == padThanks || p.state == padTooLate)
	show(p.dark, !lit)
	if lit {
		p.ground.FillColor = padGround
	} else {
		p.ground.FillColor = padBlack
	}
	p.ground.Refresh()
	p.problemMsg.set(p.problem, padDim)

	p.question.set(p.tr("How would you rate the service you received?"), padInk)
	p.sub.set(p.tr("Ticket {{.N}} · One tap on a face: your rating is anonymous.", "N", p.ticket.number), padDim)
	for i, f := range p.faces {
		f.word.set(p.faceWord(i+1), padInk)
	}
	note := p.note
	if p.state == padSending {
		note = p.tr("Sending your rating…")
	}
	p.noteText.set(note, padInk)
	// The other language, named in itself.
	lang := "English"
	if p.lang == "en" {
		lang = "Italiano"
	}
	if p.langButton.Text != lang {
		p.langButton.SetText(lang)
	}
	if p.state == padTooLate {
		p.thanksBig.set(p.tr("Thank you"), padInk)
		p.thanksLine.set(p.tr("This service can no longer be rated here."), padInk)
	} else {
		p.thanksBig.set(p.tr("Thank you!"), padInk)
		p.thanksLine.set(p.tr("Your rating has been recorded."), padInk)
	}
	p.root.Refresh()
}

func show(o fyne.CanvasObject, on bool) {
	if on && !o.Visible() {
		o.Show()
	} else if !on && o.Visible() {
		o.Hide()
	}
}

// minSize gives its one object at least a size.
type minSize struct{ min fyne.Size }

func (m minSize) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize().Max(m.min) }

func (m minSize) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}
