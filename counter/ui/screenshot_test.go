package ui

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"turno/server/officetest"
)

// TestScreenshots renders the console's screens on a 1366x768 laptop for
// docs/screenshots with Fyne's software painter, against a real office. It
// runs only when TURNO_SCREENSHOTS names the output folder (make
// screenshots).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("TURNO_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TURNO_SCREENSHOTS to a folder to render the screenshots")
	}
	useLanguage(t, "en")
	d := newDesk(t, officetest.Tuesday("09:40"))
	d.app.Settings().SetTheme(lightVariant{Theme()}) // whatever the desktop's variant
	d.size, d.lang = fyne.NewSize(1366, 768), "en"
	arrivals(d, "anagrafe", "tributi", "anagrafe", "sociali", "anagrafe", "tributi", "documenti", "anagrafe", "tributi", "documenti")
	words := tourWords{
		note:     "Change of residence: the landlord's consent is missing; the citizen will come back with it.",
		document: "Istanza di cambio di residenza",
		name:     "Maria Rossi",
		bookNote: "Change of residence; she also needs a certificate for her son.",
		search:   "verdi",
	}
	files := map[string]string{
		"login": "counter-login.png", "idle": "counter-idle.png", "serving": "counter-serving.png",
		"forward": "counter-forward.png", "transfer": "counter-transfer.png", "no-shows": "counter-no-shows.png",
		"receipt": "counter-register.png", "appointments": "counter-appointments.png", "book": "counter-book.png",
		"booked": "counter-booked.png", "appointment-ticket": "counter-appointment.png",
	}
	tour(t, d, words, func(c *console, name string) {
		if f, ok := files[name]; ok {
			capture(t, c, filepath.Join(dir, f))
		}
	})
}

// capture writes what the window shows to a PNG file.
func capture(t *testing.T, c *console, path string) {
	t.Helper()
	// Let the timers and the stream settle before the picture.
	time.Sleep(150 * time.Millisecond)
	c.d.do(func() {
		img := c.w.Canvas().Capture()
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	})
}

// lightVariant is a theme always in its light variant, so the screenshots
// do not depend on the desktop's preference.
type lightVariant struct{ fyne.Theme }

func (t lightVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}
