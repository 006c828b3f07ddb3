package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"turno/server/officetest"
	"turno/server/queue"
)

// placed is a tappable as the window shows it.
type placed struct {
	obj       fyne.CanvasObject
	pos       fyne.Position
	size      fyne.Size
	disabled  bool
	shortText string
}

func (p placed) overlaps(q placed) bool {
	return p.pos.X < q.pos.X+q.size.Width && q.pos.X < p.pos.X+p.size.Width &&
		p.pos.Y < q.pos.Y+q.size.Height && q.pos.Y < p.pos.Y+p.size.Height
}

// tappables lists what can be tapped on the canvas now, with its place.
func tappables(c fyne.Canvas) []placed {
	var out []placed
	var walk func(o fyne.CanvasObject, abs fyne.Position)
	walk = func(o fyne.CanvasObject, abs fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		pos := abs.Add(o.Position())
		if _, ok := o.(fyne.Tappable); ok {
			p := placed{obj: o, pos: pos, size: o.Size(), shortText: describe(o)}
			if d, ok := o.(interface{ Disabled() bool }); ok { // the kiosk's buttons and tiles, Fyne's widgets
				p.disabled = d.Disabled()
			}
			out = append(out, p)
		}
		for _, child := range children(o) {
			walk(child, pos)
		}
	}
	walk(c.Content(), fyne.NewPos(0, 0))
	return out
}

// center is the middle of o on the window.
func (h *harness) center(o fyne.CanvasObject) fyne.Position {
	var pos fyne.Position
	h.k.locked(func() {
		pos = fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
	})
	return pos
}

// tapAt taps the window where a finger would, now (the clock is not
// moved).
func (h *harness) tapAt(pos fyne.Position) {
	h.k.locked(func() { test.TapCanvas(h.win.Canvas(), pos) })
}

// state is what the next citizen finds, in one comparable value.
type kioskState struct {
	screen, lang, info     string
	priority, large, cntrs bool
	page                   int
}

func (k *Kiosk) state() kioskState {
	return kioskState{screen: k.screen, lang: k.tr.Language(), info: k.info, priority: k.priority,
		large: k.large, cntrs: k.contrast, page: k.grid.page}
}

// A citizen taps Done twice, 180 ms apart (the report: the second tap
// turned the priority path on for the next citizen). The second tap does
// nothing: it comes too soon after the screen changed, and even later,
// there is nothing to tap where Done was.
func TestDoubleTapAcrossTheTicketScreen(t *testing.T) {
	for _, size := range kioskSizes {
		t.Run(fmt.Sprintf("%vx%v", size.Width, size.Height), func(t *testing.T) {
			o := officetest.Start(t, officetest.Tuesday("09:00"))
			h := newHarness(t, o.URL, o.Clock, nil)
			h.k.locked(func() { h.win.Resize(size) })
			anagrafe := h.tile("anagrafe")
			h.waitFor("anagrafe open", func() bool { return !anagrafe.Disabled() })
			var fresh kioskState
			h.k.locked(func() { fresh = h.k.state() })

			h.tap(anagrafe)
			h.waitFor("the ticket", func() bool { return h.k.screen == screenTicket })
			done := h.center(h.k.tDone)
			h.clock.Add(2 * time.Second) // the citizen reads the number
			h.tapAt(done)
			h.k.locked(func() {
				if h.k.screen != screenStart {
					t.Fatalf("Done: screen %s, want start", h.k.screen)
				}
			})
			for _, after := range []time.Duration{180 * time.Millisecond, time.Second} {
				h.clock.Add(after)
				h.tapAt(done)
				h.k.locked(func() {
					if got := h.k.state(); got != fresh {
						t.Errorf("a second tap %v after Done changed the start screen: got %+v, want %+v", after, got, fresh)
					}
				})
			}
			if n := h.issued("anagrafe"); n != 1 {
				t.Errorf("issued: got %d, want 1", n)
			}
			// And across the tile: the tap that issued the ticket, again,
			// on the ticket screen, does nothing there either.
			tile := h.center(anagrafe)
			h.clock.Add(2 * time.Second)
			h.tapAt(tile)
			h.waitFor("the second ticket", func() bool { return h.k.screen == screenTicket })
			h.clock.Add(time.Second) // past the guard
			h.tapAt(tile)
			h.k.locked(func() {
				if h.k.screen != screenTicket {
					t.Errorf("a second tap on the tile's place left the ticket: screen %s", h.k.screen)
				}
			})
		})
	}
}

// Taps within TapGuard of a screen change are ignored; later ones work.
func TestTapsIgnoredJustAfterAScreenChange(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	h.tap(h.infoButton("anagrafe"))
	h.k.locked(func() {
		if h.k.screen != screenInfo {
			t.Fatalf("screen %s, want info", h.k.screen)
		}
	})
	take := h.center(h.k.infoTake)
	h.clock.Add(TapGuard - 10*time.Millisecond)
	h.tapAt(take)
	h.k.locked(func() {
		if h.k.screen != screenInfo || h.k.busy {
			t.Errorf("a tap %v after the sheet opened took a ticket", TapGuard-10*time.Millisecond)
		}
	})
	h.clock.Add(20 * time.Millisecond)
	h.tapAt(take)
	h.waitFor("the ticket", func() bool { return h.k.screen == screenTicket })

	// A language or a mode changes the words under the finger: the same.
	h.clock.Add(2 * time.Second)
	h.tapAt(h.center(h.k.langs["en"]))
	h.clock.Add(100 * time.Millisecond)
	h.tapAt(h.center(h.k.langs["fr"]))
	h.k.locked(func() {
		if got := h.k.tr.Language(); got != "en" {
			t.Errorf("language: got %s, want en (the second tap came too soon)", got)
		}
	})
}

// A transition is a way from one screen to the next: a tap on one of the
// via buttons (a request's answer included), or, with via nil, the
// screen changing by itself (back to the start after the ticket, a
// message, a booking; the idle reset), when a finger may be on any of its
// buttons but the keys, which only type: a keypad's screen changes by
// itself only after a minute without a touch.
type transition struct {
	from, to string
	via      func(o fyne.CanvasObject) bool
}

// The second tap of a tap that changes the screen, or a tap as the screen
// changes by itself, never lands on a button of the next screen, except
// the ways back to the start (Back, Done, OK), which do the same thing
// wherever they are: no double tap carries a tap into a different action.
// Every way between the kiosk's screens, at every size, in every
// language, in normal and large text. The access row is the same on
// every screen.
func TestButtonsNeverShareAPlaceAcrossScreens(t *testing.T) {
	// 12:10: the registry office is cut off and offers an appointment,
	// the fast-track lane still issues tickets.
	o := officetest.Start(t, officetest.Tuesday("12:10"))
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	h.waitFor("the offer", func() bool { return anagrafe.Stopped() && !anagrafe.Disabled() })
	var access, toStart, keys map[fyne.CanvasObject]bool
	var tiles, infos map[fyne.CanvasObject]bool
	h.k.locked(func() {
		access = map[fyne.CanvasObject]bool{h.k.largeB: true, h.k.contrastB: true}
		for _, b := range h.k.langs {
			access[b] = true
		}
		toStart = map[fyne.CanvasObject]bool{h.k.infoBack: true, h.k.tDone: true, h.k.mOK: true, h.k.ciBack: true, h.k.bkBack: true, h.k.bdDone: true}
		keys = map[fyne.CanvasObject]bool{h.k.ciDelete: true, h.k.bkDelete: true, h.k.bkSpace: true}
		for _, b := range h.k.ciKeys {
			keys[b] = true
		}
		for _, b := range h.k.bkKeys {
			keys[b] = true
		}
		tiles, infos = map[fyne.CanvasObject]bool{}, map[fyne.CanvasObject]bool{}
		for _, c := range h.k.cells {
			tiles[c.tile], infos[c.info] = true, true
		}
	})
	is := func(objs ...fyne.CanvasObject) func(fyne.CanvasObject) bool {
		return func(o fyne.CanvasObject) bool {
			for _, x := range objs {
				if o == x {
					return true
				}
			}
			return false
		}
	}
	isTile := func(o fyne.CanvasObject) bool { return tiles[o] }
	tileOrInfo := func(o fyne.CanvasObject) bool { return tiles[o] || infos[o] }
	var transitions []transition
	for _, start := range []string{"start", "start, priority"} {
		transitions = append(transitions,
			transition{start, "info", tileOrInfo}, transition{start, "info, offer", tileOrInfo},
			transition{start, "ticket", isTile}, transition{start, "message", isTile},
			transition{start, "checkin", is(h.k.checkInB)})
	}
	transitions = append(transitions,
		transition{"info", "start", nil}, transition{"info", "ticket", is(h.k.infoTake)}, transition{"info", "message", is(h.k.infoTake)},
		transition{"info, offer", "start", nil}, transition{"info, offer", "book", is(h.k.infoTake)},
		transition{"checkin", "start", nil}, transition{"checkin", "ticket", is(h.k.ciConfirm)},
		transition{"checkin", "message", is(h.k.ciConfirm)}, transition{"checkin", "book", is(h.k.ciConfirm)},
		transition{"book", "start", nil}, transition{"book, named", "start", nil},
		transition{"book, named", "booked", is(h.k.bkConfirm)}, transition{"book, named", "message", is(h.k.bkConfirm)},
		transition{"ticket", "start", nil}, transition{"message", "start", nil}, transition{"booked", "start", nil},
	)

	var shownTicket *queue.TicketView
	var shownBooking *queue.Booking
	for _, size := range kioskSizes {
		for _, m := range []themeMode{{}, {large: true}} {
			for _, lang := range languages {
				// The kiosk's own modes: reset keeps them, and the theme
				// changes only with the text size.
				h.k.locked(func() { h.k.opt.Language, h.k.opt.LargeText = lang, m.large })
				screens := map[string][]placed{}
				grab := func(name string) {
					h.k.locked(func() {
						h.win.Resize(size)
						h.k.root.Refresh()
						for _, p := range tappables(h.win.Canvas()) {
							if !access[p.obj] && !p.disabled {
								screens[name] = append(screens[name], p)
							}
						}
					})
				}
				h.k.locked(h.k.reset)
				grab("start")
				h.k.locked(func() { h.k.setPriority(true) })
				grab("start, priority")
				h.k.locked(func() { h.k.setPriority(false); h.k.openInfo("documenti") })
				grab("info")
				h.k.locked(func() { h.k.openInfo("anagrafe") })
				grab("info, offer")
				h.k.locked(func() { h.k.message(h.k.words.fixed("failed.title", "failed.other", "failed.todo")) })
				grab("message")
				h.k.locked(func() {
					h.k.reset()
					h.k.openCheckIn()
					for _, r := range "ACDEFG" { // Confirm and Delete can be pressed
						h.k.typeCode(r)
					}
				})
				grab("checkin")
				h.k.locked(func() { h.k.offerBooking("anagrafe", offerable(h.k.model.Service("anagrafe")).Start, nil) })
				grab("book") // Book cannot be pressed yet: the second tap of Book on the sheet or Confirm lands there
				for _, r := range "ROSSI" {
					h.k.locked(func() { h.k.typeName(r) })
				}
				grab("book, named")
				if shownBooking == nil {
					h.k.locked(h.k.book)
					h.waitFor("the booking", func() bool { return h.k.screen == screenBooked })
					h.k.locked(func() { shownBooking = h.k.booked })
				} else {
					h.k.locked(func() { h.k.booked = shownBooking; h.k.fillBooked(); h.k.show(screenBooked) })
				}
				grab("booked")
				if shownTicket == nil {
					h.k.locked(func() { h.k.reset(); h.k.take("documenti") })
					h.waitFor("the ticket", func() bool { return h.k.screen == screenTicket })
					h.k.locked(func() { shownTicket = h.k.shown })
				} else {
					h.k.locked(func() { h.k.shown = shownTicket; h.k.fillTicket(shownTicket); h.k.show(screenTicket) })
				}
				grab("ticket")
				for _, tr := range transitions {
					if len(screens[tr.from]) == 0 || len(screens[tr.to]) == 0 {
						t.Fatalf("%s → %s: nothing to tap on one of them", tr.from, tr.to)
					}
					for _, p := range screens[tr.from] {
						if tr.via != nil && !tr.via(p.obj) || tr.via == nil && keys[p.obj] {
							continue
						}
						for _, q := range screens[tr.to] {
							if p.overlaps(q) && !(toStart[p.obj] && toStart[q.obj]) {
								t.Errorf("%vx%v %s %s: %s on %s overlaps %s on %s", size.Width, size.Height, lang, m,
									p.shortText, tr.from, q.shortText, tr.to)
							}
						}
					}
				}
			}
		}
	}
}

// A double tap on "I have an appointment" types nothing: the second tap
// is ignored, and where it lands there is no key.
func TestDoubleTapOnTheCheckIn(t *testing.T) {
	for _, size := range kioskSizes {
		t.Run(fmt.Sprintf("%vx%v", size.Width, size.Height), func(t *testing.T) {
			o := officetest.Start(t, officetest.Tuesday("09:00"))
			h := newHarness(t, o.URL, o.Clock, nil)
			h.k.locked(func() { h.win.Resize(size) })
			h.tile("anagrafe")
			at := h.center(h.k.checkInB)
			h.clock.Add(2 * time.Second)
			h.tapAt(at)
			for _, after := range []time.Duration{180 * time.Millisecond, time.Second} {
				h.clock.Add(after)
				h.tapAt(at)
				h.k.locked(func() {
					if h.k.screen != screenCheckIn || len(h.k.code) != 0 {
						t.Errorf("a second tap %v after: screen %s code %q", after, h.k.screen, string(h.k.code))
					}
				})
			}
		})
	}
}
