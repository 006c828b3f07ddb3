package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"turno/server/officetest"
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
			if d, ok := o.(fyne.Disableable); ok {
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

// No button that moves the citizen on sits where a button of another
// screen sits, except the ways back to the start (Back, Done, OK), which
// do the same thing: a double tap can never carry a tap into a different
// action on the next screen. The access row is the same on every screen.
func TestButtonsNeverShareAPlaceAcrossScreens(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	h.tile("anagrafe")
	var access map[fyne.CanvasObject]bool
	var toStart map[fyne.CanvasObject]bool
	h.k.locked(func() {
		access = map[fyne.CanvasObject]bool{h.k.largeB: true, h.k.contrastB: true}
		for _, b := range h.k.langs {
			access[b] = true
		}
		toStart = map[fyne.CanvasObject]bool{h.k.infoBack: true, h.k.tDone: true, h.k.mOK: true}
	})
	var ticketShown bool
	for _, size := range kioskSizes {
		for _, lang := range languages {
			for _, m := range []themeMode{{}, {large: true}} {
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
				h.k.locked(func() { h.k.reset(); h.k.mode(lang, m) })
				grab("start")
				h.k.locked(func() { h.k.setPriority(true) })
				grab("start, priority")
				h.k.locked(func() { h.k.setPriority(false); h.k.openInfo("anagrafe") })
				grab("info")
				h.k.locked(func() { h.k.message(h.k.words.fixed("failed.title", "failed.other", "failed.todo")) })
				grab("message")
				if !ticketShown {
					h.k.locked(func() { h.k.reset(); h.k.take("tributi") })
					h.waitFor("the ticket", func() bool { return h.k.screen == screenTicket })
					ticketShown = true
				} else {
					h.k.locked(func() { h.k.show(screenTicket) })
				}
				h.k.locked(func() { h.k.mode(lang, m) })
				grab("ticket")
				names := []string{"start", "start, priority", "info", "message", "ticket"}
				for i, a := range names {
					for _, b := range names[i+1:] {
						if strings.HasPrefix(b, a) {
							continue // the start screen with and without the priority path
						}
						for _, p := range screens[a] {
							for _, q := range screens[b] {
								if p.overlaps(q) && !(toStart[p.obj] && toStart[q.obj]) {
									t.Errorf("%vx%v %s %s: %s on %s overlaps %s on %s", size.Width, size.Height, lang, m,
										p.shortText, a, q.shortText, b)
								}
							}
						}
					}
				}
			}
		}
	}
}
