package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"turno/server/officetest"
)

// A citizen leaves the kiosk in French, large text, high contrast, on the
// priority path, on the second page of services, with a sheet open and
// scrolled: a minute later the next citizen finds the kiosk as
// configured, every mode restored.
func TestIdleResetRestoresEveryMode(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  func(*Options)
		want kioskState
	}{
		{"defaults", nil, kioskState{screen: screenStart, lang: "it"}},
		{"configured for English, large text and high contrast", func(o *Options) {
			o.Language, o.LargeText, o.Contrast = "en", true, true
		}, kioskState{screen: screenStart, lang: "en", large: true, cntrs: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := officetest.Start(t, officetest.Tuesday("09:00"))
			h := newHarness(t, o.URL, o.Clock, tc.opt)
			h.k.locked(func() { h.win.Resize(fyne.NewSize(1280, 1024)) })
			h.tile("anagrafe")
			h.k.locked(func() {
				if got := h.k.state(); got != tc.want {
					t.Fatalf("at the start: got %+v, want %+v", got, tc.want)
				}
			})

			h.tap(h.k.langs["fr"])
			if !tc.want.large {
				h.tap(h.k.largeB)
			}
			if !tc.want.cntrs {
				h.tap(h.k.contrastB)
			}
			h.tap(h.k.prioB)
			h.k.locked(func() {
				if h.k.grid.pages < 2 {
					t.Fatalf("large text at 1280x1024: %d page(s), want more", h.k.grid.pages)
				}
			})
			h.tap(h.k.nextB)
			var second string
			h.k.locked(func() { second = h.k.grid.cells[h.k.grid.perPage].tile.service })
			h.tap(h.infoButton(second))
			h.k.locked(func() { h.k.infoScroll.Offset = fyne.NewPos(0, 40) })
			h.k.locked(func() {
				s := h.k.state()
				if s.screen != screenInfo || s.lang != "fr" || !s.large || !s.cntrs || !s.priority || s.page != 1 || s.info != second {
					t.Fatalf("the citizen's modes did not take: %+v", s)
				}
			})

			h.elapse(59 * time.Second)
			h.k.locked(func() {
				if h.k.screen != screenInfo {
					t.Fatalf("reset after 59 s: %+v", h.k.state())
				}
			})
			h.elapse(2 * time.Second)
			h.k.locked(func() {
				if got := h.k.state(); got != tc.want {
					t.Errorf("after a minute: got %+v, want %+v", got, tc.want)
				}
				if h.k.infoScroll.Offset.Y != 0 {
					t.Errorf("the sheet stays scrolled: %v", h.k.infoScroll.Offset)
				}
				// The theme is the configured one, not only the flags.
				th := h.k.opt.App.Settings().Theme()
				wantText := float32(24)
				if tc.want.large {
					wantText *= largeScale
				}
				if got := th.Size(theme.SizeNameText); got != wantText {
					t.Errorf("text size: got %v, want %v", got, wantText)
				}
				got, want := th.Color(theme.ColorNameBackground, 0), newTheme(tc.want.cntrs, tc.want.large, nil).Color(theme.ColorNameBackground, 0)
				if got != want {
					t.Errorf("background: got %v, want %v", got, want)
				}
				if h.k.prioB.Text() == h.k.tr.L("priority.cancel") {
					t.Error("the priority button still offers to cancel")
				}
				if h.k.tr.Language() != tc.want.lang || h.k.langs[tc.want.lang].style != styleAction {
					t.Errorf("language %s, selected button wrong", h.k.tr.Language())
				}
			})
		})
	}
}

// Every tap puts the idle reset off by a minute.
func TestIdleCountsFromTheLastTap(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	h.tile("anagrafe")
	h.tap(h.k.langs["es"])
	h.elapse(50 * time.Second)
	h.tap(h.k.prioB) // the citizen is still there
	h.elapse(50 * time.Second)
	h.k.locked(func() {
		if s := h.k.state(); s.lang != "es" || !s.priority {
			t.Errorf("reset 50 s after a tap: %+v", s)
		}
	})
	h.elapse(11 * time.Second)
	h.k.locked(func() {
		if s := h.k.state(); s.lang != "it" || s.priority {
			t.Errorf("no reset a minute after the last tap: %+v", s)
		}
	})
}

// While a ticket is being issued the kiosk does not reset: the answer
// decides the next screen.
func TestNoResetWhileIssuing(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	h.tile("anagrafe")
	h.k.locked(func() {
		h.k.busy = true
		h.k.show(screenBusy)
	})
	h.elapse(5 * time.Minute)
	h.k.locked(func() {
		if h.k.screen != screenBusy {
			t.Errorf("reset while issuing: screen %s", h.k.screen)
		}
		h.k.busy = false
	})
	h.elapse(time.Second)
	h.k.locked(func() {
		if h.k.screen != screenStart {
			t.Errorf("no reset once the answer came and nobody touched: screen %s", h.k.screen)
		}
	})
}
