package ui

import (
	"strings"
	"testing"
	"time"

	"turno/server/officetest"
)

// Times are the office's, whatever the zone of the computer the console
// runs on: here the console's clock reads UTC (a laptop set to UTC, or
// abroad) while the office is in Rome, where the ticket was taken at 09:00.
func TestTimesInTheOfficesZone(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false) // 09:00 in Rome, 08:00 UTC
	d.issue("anagrafe", false)
	utc := func() time.Time { return d.o.Clock.Now().UTC() }
	c := d.console(Options{Now: utc})
	if c.opt.Now().Location() != time.UTC {
		t.Fatal("the test's clock is not in UTC")
	}
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.key(keyNext)
	c.calledNumber()
	c.waitFor("the wait", func() bool { return c.desk.waited.Text != "" })
	c.d.do(func() {
		if want := "(took the ticket at 09:00)"; !strings.Contains(c.desk.waited.Text, want) {
			t.Errorf("waited: got %q, want …%s", c.desk.waited.Text, want)
		}
	})
	d.o.Clock.Set(officetest.Tuesday("09:07"))
	c.key(keyNoShow)
	c.waitFor("the no-show, at the office's time", func() bool {
		return c.desk.reactivate["A001"] != nil && strings.Contains(c.noShowLine(c.recentNoShows()[0]), "no-show at 09:07")
	})
}
