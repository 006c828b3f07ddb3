package web_test

import (
	"strings"
	"testing"
)

// The back office's login in a real browser: Chromium sends Origin "null"
// from a page whose referrer policy is no-referrer, and the login used to
// refuse it ("bad request").
func TestBackOfficeLoginInABrowser(t *testing.T) {
	o := newBookingOffice(t, tuesday("09:00"), nil)
	d := startChromium(t, 390, 844, "it-IT")
	d.navigate(o.http.URL + "/backoffice?lang=it")
	d.typeInto(`input[name="user"]`, "admin")
	d.typeInto(`input[name="password"]`, "demo")
	d.loads(func() { d.click(`form.login button[type="submit"]`) })
	if page := d.html(); strings.Contains(page, "bad request") || !strings.Contains(page, `action="/backoffice/logout"`) {
		t.Fatalf("after logging in the browser is at %s:\n%s", d.url(), page)
	}
}
