package ui

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"turno/server/client"
	"turno/server/officetest"
)

// The screenshots' shapes.
var (
	portrait = fyne.NewSize(1080, 1920)
	square   = fyne.NewSize(1280, 1024)
)

// TestScreenshots writes the kiosk's screens as PNGs into the directory
// named by TURNO_SCREENSHOTS (make screenshots), rendered by Fyne's
// software painter through the test driver: no display needed. Both
// shapes in Italian and English, normal and large text; French and
// Spanish once; then the other screens.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("TURNO_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TURNO_SCREENSHOTS to a directory to write the kiosk's screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	normal, large := themeMode{}, themeMode{large: true}
	shot := func(h *harness, name string, size fyne.Size) {
		h.t.Helper()
		h.checkFit(name, size)
		h.capture(filepath.Join(dir, name+".png"), size)
	}

	// A Tuesday morning: people waiting, and the social services
	// suspended by the floor assistant.
	o := officetest.Start(t, officetest.Tuesday("11:40"))
	r := newRelay(t, strings.TrimPrefix(o.URL, "http://"))
	h := newHarness(t, r.URL(), o.Clock, nil)
	ctx := context.Background()
	for i, svc := range []string{"anagrafe", "tributi", "tributi", "anagrafe", "documenti", "tributi"} {
		if _, _, err := h.c.Issue(ctx, svc, i == 3, ""); err != nil {
			t.Fatal(err)
		}
	}
	floor, err := client.New(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := floor.Login(ctx, "anna", officetest.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := floor.LockService(ctx, "sociali", "assistente sociale in riunione fino alle 12:00 / social worker in a meeting until 12:00"); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the queues", func() bool {
		return h.k.online() && strings.HasPrefix(h.k.cells["tributi"].tile.detail, "3 persone") && h.k.cells["sociali"].tile.Stopped()
	})
	for _, size := range []struct {
		name string
		size fyne.Size
	}{{"portrait", portrait}, {"square", square}} {
		for _, lang := range []string{"it", "en"} {
			for _, m := range []themeMode{normal, large} {
				h.k.locked(func() { h.k.mode(lang, m) })
				name := fmt.Sprintf("kiosk-start-%s-%s", size.name, lang)
				if m.large {
					name += "-large"
				}
				shot(h, name, size.size)
			}
		}
	}
	h.k.locked(func() { h.k.mode("fr", normal) })
	shot(h, "kiosk-start-square-fr", square)
	h.k.locked(func() { h.k.mode("es", normal) })
	shot(h, "kiosk-start-portrait-es", portrait)

	h.k.locked(func() { h.k.reset(); h.k.setPriority(true) })
	shot(h, "kiosk-priority-portrait-it", portrait)
	h.k.locked(h.k.reset)

	h.k.locked(func() { h.k.mode("en", themeMode{contrast: true, large: true}) })
	shot(h, "kiosk-contrast-portrait-en-large", portrait)
	h.k.locked(h.k.reset)

	h.k.locked(func() { h.k.openInfo("anagrafe") })
	shot(h, "kiosk-info-portrait-it", portrait)
	h.k.locked(h.k.reset)

	h.tap(h.tile("tributi"))
	h.waitFor("the ticket", func() bool { return h.k.screen == screenTicket })
	shot(h, "kiosk-ticket-portrait-it", portrait)
	h.k.locked(func() { h.k.mode("en", large) })
	shot(h, "kiosk-ticket-square-en-large", square)
	h.k.locked(h.k.reset)

	// The check-in: the keypad with a code half typed, in Italian and in
	// English large text; the appointment's ticket; a citizen too early.
	mario := clerk(t, o)
	b := bookFor(t, mario, "anagrafe", officetest.Tuesday("11:45"), "Maria Rossi")
	h.tap(h.k.checkInB)
	h.typeCode(b.Code[:4])
	shot(h, "kiosk-checkin-portrait-it", portrait)
	h.k.locked(func() { h.k.mode("en", large) })
	shot(h, "kiosk-checkin-square-en-large", square)
	h.typeCode(b.Code[4:])
	h.tap(h.k.ciConfirm)
	h.waitFor("the appointment's ticket", func() bool { return h.k.screen == screenTicket })
	h.k.locked(func() { h.k.mode("it", normal) })
	shot(h, "kiosk-checkedin-portrait-it", portrait)
	h.k.locked(h.k.reset)
	early := bookFor(t, mario, "tributi", officetest.Tuesday("12:15"), "Luigi Bianchi")
	h.scan(o.URL + "/prenota/b/" + early.ID)
	h.waitFor("too early", func() bool { return h.k.screen == screenMessage })
	shot(h, "kiosk-checkin-early-square-it", square)
	h.k.locked(h.k.reset)

	o.Stop()
	r.cut()
	h.waitFor("the server-down screen", func() bool { return !h.k.online() && h.k.status.Retries > 0 })
	shot(h, "kiosk-offline-portrait-it", portrait)

	// 12:10: the registry office is cut off and offers its next free
	// appointment; booked at the kiosk.
	bo := officetest.Start(t, officetest.Tuesday("12:10"))
	bh := newHarness(t, bo.URL, bo.Clock, nil)
	anagrafe := bh.tile("anagrafe")
	bh.waitFor("the offer", func() bool { return anagrafe.Stopped() && !anagrafe.Disabled() })
	shot(bh, "kiosk-offer-portrait-it", portrait)
	bh.tap(anagrafe)
	shot(bh, "kiosk-offer-info-square-it", square)
	bh.tap(bh.k.infoTake)
	for _, r := range "MARIA DELL'ACQUA" {
		bh.k.locked(func() { bh.k.typeName(r) })
	}
	shot(bh, "kiosk-book-portrait-it", portrait)
	bh.tap(bh.k.bkConfirm)
	bh.waitFor("the booking", func() bool { return bh.k.screen == screenBooked })
	shot(bh, "kiosk-booked-portrait-it", portrait)

	// The long office: six services, long names, every reason.
	_, lh, _ := startLongOffice(t)
	lh.k.locked(func() { lh.k.take("tributi") }) // stopped, and not bookable: the server refuses and says why
	lh.waitFor("the refusal", func() bool { return lh.k.screen == screenMessage })
	shot(lh, "kiosk-refusal-square-it", square)
	lh.k.locked(lh.k.reset)
	lh.k.locked(func() { lh.k.mode("it", large) })
	shot(lh, "kiosk-long-square-it-large", square)
	lh.k.locked(func() { lh.k.mode("en", normal) })
	shot(lh, "kiosk-long-portrait-en", portrait)
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
}
