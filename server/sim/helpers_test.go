package sim

import (
	"testing"
	"time"

	"turno/server/config"
	"turno/server/queue"
)

var rome = mustZone("Europe/Rome")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// monday is a working day of the test offices.
const monday = "2026-01-05"

// at is a wall-clock instant of monday in Rome, "15:04" or "15:04:05".
func at(hhmm string) time.Time {
	layout := "2006-01-02 15:04"
	if len(hhmm) == 8 {
		layout += ":05"
	}
	t, err := time.ParseInLocation(layout, monday+" "+hhmm, rome)
	if err != nil {
		panic(err)
	}
	return t
}

// oneCounter is an office with one service A (configured 10 min, cut-off
// 30 min before closing, by load too) and one counter, open 08:30-12:30 on
// weekdays.
func oneCounter(t *testing.T) *queue.Config {
	t.Helper()
	var week queue.Week
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []queue.Range{{From: 8*60 + 30, To: 12*60 + 30}}
	}
	cfg := &queue.Config{
		Name:     "One counter",
		Location: rome,
		Hours:    week,
		Services: []queue.Service{{ID: "a", NameEN: "A", Prefix: "A", CutoffOnLoad: true, CutoffBeforeClose: 30 * time.Minute, ServiceTime: 10 * time.Minute}},
		Counters: []queue.CounterConfig{{ID: "1", Services: []string{"a"}}},
		Rules:    queue.Rules{MaxRecalls: 2},
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// exact is a profile with no randomness in the clerks' behaviour: they call
// at once, recall exactly a minute apart (give or take the sixth, which the
// tests below keep out of their sums), and serve up to an hour past closing.
func exact() *Profile {
	return &Profile{RecallGap: time.Minute, OvertimeLimit: time.Hour, Staffing: map[string][]Clerk{}}
}

// oneShift is the one clerk of oneCounter, logged in at login until 12:30.
func oneShift(login string) []Shift {
	return []Shift{{Clerk: "mario", Counter: "1", Services: []string{"a"}, Login: at(login), End: at("12:30"), Closing: at("12:30")}}
}

// walkIn is a citizen of service a.
func walkIn(cfg *queue.Config, arrive string, serviceTime time.Duration) citizen {
	c := citizen{service: "a", arrive: at(arrive), serviceTime: serviceTime}
	c.closing = closingAt(cfg, cfg.Service("a"), c.arrive)
	return c
}

func demo(t testing.TB) (*queue.Config, *Profile) {
	t.Helper()
	c, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	p, err := DefaultProfile()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Check(&c.Office); err != nil {
		t.Fatal(err)
	}
	return &c.Office, p
}
