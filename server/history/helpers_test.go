package history

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/queue"
)

// officeTOML is a small office for the tests: two services of the
// standard lane sharing two counters, anagrafe bookable, tributi capped at
// three tickets a day; no load cut-off, so every refusal is the script's.
const officeTOML = `
[office]
name = "Comune di Prova — Sportello"
timezone = "Europe/Rome"
[office.hours]
mon = ["08:30-12:30"]
tue = ["08:30-12:30"]
wed = ["08:30-12:30"]
thu = ["08:30-12:30"]
fri = ["08:30-12:30"]
[calendar]
patron = "06-24"
patron_name = "San Giovanni"
[[peaks]]
name = "IMU"
services = ["tributi"]
from = "06-08"
to = "06-16"
factor = 2.0
[[services]]
id = "anagrafe"
name = { it = "Anagrafe, stato civile", en = "Registry \"office\"" }
prefix = "A"
target_wait = "20m"
service_time = "10m"
cutoff_before_close = "30m"
cutoff_on_load = false
appointments = { slot = "15m", per_slot = 1, check_in_early = "15m", check_in_late = "10m", late = "walkin" }
[[services]]
id = "tributi"
name = { it = "Tributi (IMU, TARI)", en = "Local taxes" }
prefix = "T"
target_wait = "10m"
service_time = "8m"
cutoff_before_close = "30m"
cutoff_on_load = false
daily_cap = 3
[[counters]]
id = "1"
name = "Sportello 1"
services = ["anagrafe", "tributi"]
[[counters]]
id = "2"
name = "Sportello 2 — Tributi"
services = ["anagrafe", "tributi"]
[[staffing]]
counter = "1"
hours = { mon = ["08:30-12:30"], tue = ["08:30-12:30"], wed = ["08:30-12:30"], thu = ["08:30-12:30"], fri = ["08:30-12:30"] }
[[staffing]]
counter = "2"
hours = { tue = ["09:00-11:00"] }
[[users]]
name = "admin"
role = "admin"
password_hash = "$2a$10$qfy20ArEasMuWZ/anCFY3.XEIdQjK35E3BzEtL2YxY4x7cf2RXla6"
[[users]]
name = "mario"
full_name = "Mario Rossi"
role = "clerk"
password_hash = "$2a$10$qfy20ArEasMuWZ/anCFY3.XEIdQjK35E3BzEtL2YxY4x7cf2RXla6"
[[users]]
name = "giulia"
full_name = "Giulia Bianchi"
role = "clerk"
password_hash = "$2a$10$qfy20ArEasMuWZ/anCFY3.XEIdQjK35E3BzEtL2YxY4x7cf2RXla6"
[[users]]
name = "anna"
role = "floor"
password_hash = "$2a$10$qfy20ArEasMuWZ/anCFY3.XEIdQjK35E3BzEtL2YxY4x7cf2RXla6"
`

func testConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(officeTOML))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

var rome = mustZone("Europe/Rome")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is hh:mm on day, in Rome.
func at(day, hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, rome)
	if err != nil {
		panic(err)
	}
	return t
}

// office drives a queue.Office as the server does (Office.Run), or the
// server's live office, and keeps the log.
type office struct {
	t   testing.TB
	o   *queue.Office // nil for a live office
	do  func(now time.Time, cmd queue.Command) ([]queue.Event, error)
	log []queue.Event
	ids int
}

func newOffice(t testing.TB, cfg *config.Config) *office {
	o := &office{t: t, o: queue.NewOffice(&cfg.Office)}
	o.o.NewID = func() string { o.ids++; return fmt.Sprintf("%032x", o.ids) }
	n := 0
	o.o.NewCode = func() string { n++; return fmt.Sprintf("CODE%02d", n) }
	o.do = o.o.Run
	return o
}

// run runs cmd at now and returns its error.
func (o *office) run(now time.Time, cmd queue.Command) error {
	o.t.Helper()
	events, err := o.do(now, cmd)
	o.log = append(o.log, events...)
	return err
}

// must runs cmd and fails the test on an error.
func (o *office) must(now time.Time, cmd queue.Command) {
	o.t.Helper()
	if err := o.run(now, cmd); err != nil {
		o.t.Fatalf("at %s: %v", now.Format("15:04"), err)
	}
}

func (o *office) issue(now time.Time, service string, priority bool) *queue.Ticket {
	o.t.Helper()
	var tk *queue.Ticket
	o.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		evs, t, err := st.Issue(now, queue.IssueRequest{Service: service, Priority: priority, Channel: "kiosk-1"}, queue.Actor{Name: "kiosk-1"})
		tk = t
		return evs, err
	})
	return tk
}

// refused issues a ticket the numerator must refuse by rule.
func (o *office) refused(now time.Time, service, rule string) {
	o.t.Helper()
	err := o.run(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		evs, _, err := st.Issue(now, queue.IssueRequest{Service: service}, queue.Actor{Name: "kiosk-1"})
		return evs, err
	})
	var r *queue.Refusal
	if !errors.As(err, &r) || r.Rule != rule {
		o.t.Fatalf("at %s: got %v, want a %s refusal", now.Format("15:04"), err, rule)
	}
}

func (o *office) open(now time.Time, counter, clerk string) {
	o.t.Helper()
	o.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		return st.Open(now, counter, []string{"anagrafe", "tributi"}, queue.Actor{Name: clerk})
	})
}

// ticket runs a counter command that yields a ticket.
func (o *office) ticket(now time.Time, cmd func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Ticket, error)) *queue.Ticket {
	o.t.Helper()
	var tk *queue.Ticket
	o.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		evs, t, err := cmd(now, st)
		tk = t
		return evs, err
	})
	return tk
}

func (o *office) next(now time.Time, counter, clerk string) *queue.Ticket {
	o.t.Helper()
	return o.ticket(now, func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		return st.Next(now, counter, queue.Actor{Name: clerk})
	})
}

func (o *office) finish(now time.Time, counter, clerk string, outcome queue.Outcome) *queue.Ticket {
	o.t.Helper()
	return o.ticket(now, func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		return st.Finish(now, counter, queue.FinishRequest{Outcome: outcome, CaseRef: "PRATICA-1"}, queue.Actor{Name: clerk})
	})
}

func (o *office) rate(now time.Time, id string, score int) {
	o.t.Helper()
	o.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		return st.Rate(now, id, score, queue.Actor{Name: "phone"})
	})
}

func (o *office) book(now time.Time, slot time.Time, name string) *queue.Booking {
	o.t.Helper()
	var b *queue.Booking
	o.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		evs, bk, err := st.Book(now, queue.BookRequest{Service: "anagrafe", Slot: slot, Name: name, Channel: queue.ChannelPhone, Staff: true}, queue.Actor{Name: "anna"})
		b = bk
		return evs, err
	})
	return b
}

func (o *office) checkIn(now time.Time, code string) *queue.Ticket {
	o.t.Helper()
	var tk *queue.Ticket
	o.must(now, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		evs, t, _, err := st.CheckIn(now, code, queue.Actor{Name: "kiosk-1"})
		tk = t
		return evs, err
	})
	return tk
}

// dayEvents returns the logged events of one business day.
func dayEvents(log []queue.Event, day string) []queue.Event {
	var out []queue.Event
	for _, ev := range log {
		if ev.Day == day {
			out = append(out, ev)
		}
	}
	return out
}

// cell finds a cell of a day, or fails.
func cell(t *testing.T, d *Day, dim, key string, hour int) *Figures {
	t.Helper()
	for i := range d.Cells {
		c := &d.Cells[i]
		if c.Dim == dim && c.Key == key && c.Hour == hour {
			return &c.Figures
		}
	}
	t.Fatalf("no cell %s %q hour %d", dim, key, hour)
	return nil
}
