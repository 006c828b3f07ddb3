package ui

import (
	"fyne.io/fyne/v2"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/theme"

	"turno/server/officetest"
)

// TestScreenshots renders the console's screens for docs/screenshots with
// Fyne's software painter, against a real office. It runs only when
// TURNO_SCREENSHOTS names the output folder (make screenshots).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("TURNO_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TURNO_SCREENSHOTS to a folder to render the screenshots")
	}
	d := newDesk(t, officetest.Tuesday("09:40"))
	d.app.Settings().SetTheme(lightVariant{theme.DefaultTheme()}) // whatever the desktop's variant
	shot := func(c *console, name string) {
		t.Helper()
		// Let the timers and the stream settle before the picture.
		time.Sleep(150 * time.Millisecond)
		c.d.do(func() {
			img := c.w.Canvas().Capture()
			f, err := os.Create(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := png.Encode(f, img); err != nil {
				t.Fatal(err)
			}
		})
	}
	// A morning's queues: arrivals spread over the last half hour.
	d.o.Clock.Set(officetest.Tuesday("09:10"))
	for i, s := range []string{"anagrafe", "tributi", "anagrafe", "sociali", "anagrafe", "tributi", "documenti", "anagrafe", "tributi", "documenti"} {
		d.issue(s, i == 4)
		d.o.Clock.Add(3 * time.Minute)
	}
	d.o.Clock.Set(officetest.Tuesday("09:40"))

	c := d.console(Options{User: "mario", Counter: "1", Lang: "en"})
	shot(c, "counter-login.png")

	c.logIn("mario", "1")
	c.openWith("anagrafe", "tributi")
	shot(c, "counter-idle.png")

	c.tap(c.desk.next)
	c.calledNumber()
	c.tap(c.desk.start)
	c.waitFor("serving", func() bool { return c.desk.status.Text == "At the desk" })
	d.o.Clock.Add(4*time.Minute + 12*time.Second)
	c.waitFor("the timer", func() bool { return c.desk.timer.Text == "Serving 4:12" })
	shot(c, "counter-serving.png")

	f := d.console(Options{User: "luca", Counter: "6", Lang: "en"})
	f.logIn("luca", "6")
	f.openWith("documenti")
	f.tap(f.desk.next)
	f.calledNumber()
	f.key(keyRegister)
	f.waitFor("the register dialog", func() bool { return f.modal != nil })
	f.typeIn(f.dlg.register.document, "Istanza cambio di residenza")
	f.tap(f.dlg.register.confirm)
	f.waitFor("the protocol number", func() bool { return f.desk.protocol.Visible() })
	shot(f, "counter-register.png")
}

// lightVariant is the default theme always in its light variant, so the
// screenshots do not depend on the desktop's preference.
type lightVariant struct{ fyne.Theme }

func (t lightVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}
