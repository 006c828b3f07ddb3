package web_test

import (
	"os"
	"os/exec"
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

// waitFor polls the page until it holds each of want: the phone page
// changes by itself as the stream brings its ticket, so the test waits for
// what a citizen would wait for (20 s at most), instead of a fixed budget.
func (d *devtools) waitFor(want ...string) string {
	d.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		page := d.html()
		missing := ""
		for _, w := range want {
			if !strings.Contains(page, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return page
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("the page never showed %q:\n%s", missing, page)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// phone opens a ticket's page in a phone-sized Chromium speaking lang, in
// another zone than the office's: the page must still show the office's
// times.
func phone(t *testing.T, url, lang string) *devtools {
	t.Helper()
	d := startChromium(t, 390, 844, lang)
	d.call("Emulation.setTimezoneOverride", map[string]any{"timezoneId": "America/New_York"}, nil)
	d.navigate(url)
	return d
}

// The phone page follows its ticket live: waiting with its place and wait
// as the server words it, called, served; then it asks once how it went.
func TestTicketPageFollowsTheTicketInABrowser(t *testing.T) {
	chromium(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	o.issue("anagrafe", false)
	tk := o.issue("anagrafe", false)
	url := o.http.URL + "/t/" + tk.ID

	en := phone(t, url, "en-US")
	page := en.waitFor(`data-status="waiting"`, ">A002<", "Registry office", `<dd id="ahead">1</dd>`, "Estimated wait", "Live updates",
		"at 09:00</p>") // issued at 09:00 in Rome, 03:00 in New York
	// The wait as every surface words it (queue.Wait.Readable), not a bare
	// number of minutes.
	if !regexp.MustCompile(`<dd id="eta">(about \d+ min|between \d+ and \d+ min|any moment now)</dd>`).MatchString(page) {
		t.Fatalf("waiting page: the wait is not worded as the server rounds it:\n%s", page)
	}
	it := phone(t, url, "it-IT")
	it.waitFor("Persone prima di Lei", "Anagrafe e stato civile", "alle 09:00</p>", "tocca a Lei")

	// The same pages, live: the call reaches them without a reload.
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("mario", "1", "next", nil)
	o.counter("mario", "1", "noshow", nil)
	o.counter("mario", "1", "next", nil)
	en.waitFor(`data-status="called"`, "It's your turn!", "Go to Sportello 1")
	it.waitFor("È il Suo turno!", "Si rechi a: Sportello 1", "chiamato alle 09:00")
	it.screenshot("ticket-called.png")

	o.counter("mario", "1", "start", nil)
	o.counter("mario", "1", "finish", map[string]any{"outcome": "resolved"})
	it.waitFor(`data-status="done"`, "Com'è andata allo sportello?")
	it.screenshot("phone-rating.png")
	en.waitFor(`data-status="done"`, "Served.", "How did it go at the counter?")
	// One tap rates it, anonymously; the page thanks and asks no more,
	// even after a reload.
	en.click(`#faces button[data-score="4"]`)
	en.waitFor("Thank you for your rating.")
	var pub struct{ Rated, Ratable bool }
	o.mustDo("", "GET", "/api/v1/tickets/"+tk.ID, nil, 200, &pub)
	if !pub.Rated || pub.Ratable {
		t.Fatalf("after the tap: got %+v, want rated", pub)
	}
	en.navigate(url)
	page = en.waitFor("Thank you for your rating.")
	if regexp.MustCompile(`<div id="faces" class="faces" role="group">`).MatchString(page) {
		t.Fatalf("the faces are offered again:\n%s", page)
	}
	if status, data := o.do("", "POST", "/api/v1/tickets/"+tk.ID+"/rating", map[string]any{"score": 1}); status != 409 || !strings.Contains(string(data), "already_rated") {
		t.Fatalf("a second rating: got %d %s", status, data)
	}
	it.waitFor("Grazie del Suo giudizio.")

	unknown := phone(t, o.http.URL+"/t/0123456789abcdef0123456789abcdef", "en-US")
	unknown.waitFor(`data-status="error"`, "Ticket not found")
	en.noErrors()
}
