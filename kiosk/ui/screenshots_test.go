package ui

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"turno/server/officetest"
)

// TestScreenshots writes the kiosk's screens as PNGs into the directory
// named by TURNO_SCREENSHOTS (make screenshots), rendered by Fyne's
// software painter through the test driver: no display needed.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("TURNO_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TURNO_SCREENSHOTS to a directory to write the kiosk's screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	portrait := fyne.NewSize(1080, 1920)

	// A busy Tuesday morning: people already waiting.
	o := officetest.Start(t, officetest.Tuesday("10:20"))
	r := newRelay(t, strings.TrimPrefix(o.URL, "http://"))
	h := newHarness(t, r.URL(), o.Clock.Now, nil)
	for i, svc := range []string{"anagrafe", "anagrafe", "anagrafe", "tributi", "sociali", "sociali", "anagrafe", "documenti"} {
		if _, _, err := h.c.Issue(context.Background(), svc, i == 4, ""); err != nil {
			t.Fatal(err)
		}
	}
	h.waitFor("the queues", func() bool {
		return h.k.online() && strings.HasPrefix(h.k.tiles["anagrafe"].detail.Text, "4 persone")
	})
	h.capture(filepath.Join(dir, "kiosk-start.png"), portrait)
	h.capture(filepath.Join(dir, "kiosk-start-landscape.png"), fyne.NewSize(1920, 1080))

	h.tap(h.tile("anagrafe"))
	h.waitFor("the ticket", func() bool { return h.k.screen == screenTicket })
	h.capture(filepath.Join(dir, "kiosk-ticket.png"), portrait)
	h.k.locked(h.k.back)

	h.tap(h.k.infoBs["anagrafe"])
	h.capture(filepath.Join(dir, "kiosk-info.png"), portrait)
	h.k.locked(h.k.back)

	o.Stop()
	r.cut()
	h.waitFor("the server-down message", func() bool { return !h.k.banner.Hidden })
	h.capture(filepath.Join(dir, "kiosk-offline.png"), portrait)

	// Past the morning cut-off, in English, then in high contrast.
	o2 := officetest.Start(t, officetest.Tuesday("12:10"))
	r.point(strings.TrimPrefix(o2.URL, "http://"))
	h.waitFor("the cut-off", func() bool { return h.k.online() && h.k.tiles["anagrafe"].Disabled() })
	h.capture(filepath.Join(dir, "kiosk-cutoff.png"), portrait)
	h.tap(h.k.langs["en"])
	h.tap(h.k.contrastB)
	h.capture(filepath.Join(dir, "kiosk-contrast.png"), portrait)
	h.tap(h.k.contrastB)
}

// capture renders the window at size and writes it as a PNG.
func (h *harness) capture(path string, size fyne.Size) {
	h.t.Helper()
	var img image.Image
	h.k.locked(func() {
		h.win.Resize(size)
		h.k.root.Refresh()
		img = h.win.Canvas().Capture()
	})
	f, err := os.Create(path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		h.t.Fatal(err)
	}
	h.t.Logf("wrote %s (%dx%d)", path, img.Bounds().Dx(), img.Bounds().Dy())
	_ = time.Now
}
