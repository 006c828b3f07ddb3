package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"turno/server/hub"
)

// chromium returns the headless browser, or skips the test without one.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	t.Skip("no chromium found: install the Debian package chromium (make deps) to test the ticket page in a browser")
	return ""
}

// render loads a page in headless Chromium, lets its script run on the
// stream for a moment, and returns the resulting DOM (or a screenshot).
func render(t *testing.T, browser, url, lang string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir(), "--lang=" + lang, "--accept-lang=" + lang, "--virtual-time-budget=3000"}, extra...)
	if len(extra) == 0 {
		args = append(args, "--dump-dom")
	}
	cmd := exec.CommandContext(ctx, browser, append(args, url)...)
	// A phone in another zone than the office's: the page must still show
	// the office's times.
	cmd.Env = append(os.Environ(), "LANGUAGE="+lang, "TZ=America/New_York")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return string(out)
}

func TestTicketPageFollowsTheTicketInABrowser(t *testing.T) {
	browser := chromium(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	o.issue("anagrafe", false)
	tk := o.issue("anagrafe", false)
	url := o.http.URL + "/t/" + tk.ID

	page := render(t, browser, url, "en-US")
	for _, want := range []string{`data-status="waiting"`, ">A002<", "Registry office", `<dd id="ahead">1</dd>`, "Estimated wait", "Live updates",
		"at 09:00</p>"} { // issued at 09:00 in Rome, 03:00 in New York
		if !strings.Contains(page, want) {
			t.Fatalf("waiting page: missing %q in\n%s", want, page)
		}
	}
	// The wait as every surface words it (queue.Wait.Readable), not a bare
	// number of minutes.
	if !regexp.MustCompile(`<dd id="eta">(about \d+ min|between \d+ and \d+ min|any moment now)</dd>`).MatchString(page) {
		t.Fatalf("waiting page: the wait is not worded as the server rounds it:\n%s", page)
	}
	italian := render(t, browser, url, "it-IT")
	for _, want := range []string{"Persone prima di Lei", "Anagrafe e stato civile", "alle 09:00</p>", "tocca a Lei"} {
		if !strings.Contains(italian, want) {
			t.Fatalf("Italian page: missing %q in\n%s", want, italian)
		}
	}

	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("mario", "1", "next", nil)
	o.counter("mario", "1", "noshow", nil)
	o.counter("mario", "1", "next", nil)
	page = render(t, browser, url, "en-US")
	for _, want := range []string{`data-status="called"`, "It's your turn!", "Go to Sportello 1"} {
		if !strings.Contains(page, want) {
			t.Fatalf("called page: missing %q in\n%s", want, page)
		}
	}
	italian = render(t, browser, url, "it-IT")
	for _, want := range []string{"È il Suo turno!", "Si rechi a: Sportello 1", "chiamato alle 09:00"} {
		if !strings.Contains(italian, want) {
			t.Fatalf("called page in Italian: missing %q in\n%s", want, italian)
		}
	}
	if shots := os.Getenv("TURNO_SCREENSHOTS"); shots != "" {
		render(t, browser, url, "it-IT", "--screenshot="+filepath.Join(shots, "ticket-called.png"), "--window-size=390,844", "--hide-scrollbars")
	}

	o.counter("mario", "1", "start", nil)
	o.counter("mario", "1", "finish", map[string]any{"outcome": "resolved"})
	if page = render(t, browser, url, "en-US"); !strings.Contains(page, `data-status="done"`) || !strings.Contains(page, "Served.") {
		t.Fatalf("done page:\n%s", page)
	}
	unknown := render(t, browser, o.http.URL+"/t/0123456789abcdef0123456789abcdef", "en-US")
	if !strings.Contains(unknown, `data-status="error"`) || !strings.Contains(unknown, "Ticket not found") {
		t.Fatalf("unknown ticket page:\n%s", unknown)
	}
}
