package queue

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// variant is testConfig changed by edit before it is prepared.
func variant(t *testing.T, edit func(c *Config)) *Config {
	t.Helper()
	c := testConfig(t)
	c.services = nil
	edit(c)
	if err := c.Prepare(); err != nil {
		t.Fatal(err)
	}
	return c
}

// change runs ChangeConfig as the server does and commits its events.
func (h *harness) change(now time.Time, next *Config, force bool) error {
	h.t.Helper()
	events, err := h.o.Run(now, ChangeConfig(next, ConfigChange{Version: 2, By: "admin", Reason: "test", TOML: "# text"}, force))
	h.commit(now, events)
	return err
}

func problems(t *testing.T, err error) []ConfigProblem {
	t.Helper()
	var r *ConfigRefusal
	if !errors.As(err, &r) {
		t.Fatalf("got %v, want a refusal of the configuration", err)
	}
	return r.Problems
}

func TestAChangeOfConfigurationIsAnEvent(t *testing.T) {
	h := newHarness(t, testConfig(t))
	now := at("2026-11-24", "09:00")
	h.issue(now, "anagrafe", false)
	next := variant(t, func(c *Config) { c.Services[0].Info = "**Nuova scheda**" })
	if err := h.change(now, next, false); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(h.log, func(ev Event) bool { return ev.Type == EventConfigChanged })
	if i < 0 {
		t.Fatal("no config.changed event")
	}
	ev := h.log[i]
	if ev.Type != EventConfigChanged || ev.Config == nil || ev.Config.Version != 2 || ev.Actor != "admin" || ev.Day != "2026-11-24" {
		t.Fatalf("got %+v", ev)
	}
	// The state is untouched: the server rebuilds it from the log.
	if h.o.Config() == next || h.o.waiting("anagrafe") != 1 {
		t.Fatal("the command changed the state")
	}
	// A replay under the new configuration agrees.
	re := NewOffice(next)
	re.Apply(h.log...)
	if re.Seq() != h.o.Seq() || re.waiting("anagrafe") != 1 || re.ServiceView(now, "anagrafe").Info != "**Nuova scheda**" {
		t.Fatalf("replay: seq %d, waiting %d", re.Seq(), re.waiting("anagrafe"))
	}
}

func TestTheRulesThatProtectTheDay(t *testing.T) {
	now := at("2026-11-24", "10:00") // a Tuesday, open 08:30-12:30 and 15:00-17:00
	without := func(list []Service, id string) []Service {
		return slices.DeleteFunc(slices.Clone(list), func(s Service) bool { return s.ID == id })
	}
	for _, tc := range []struct {
		name  string
		setup func(h *harness)
		edit  func(c *Config)
		code  string
		field string
		force bool // force accepts it
	}{
		{"a service with people waiting", func(h *harness) { h.issue(now, "tributi", false) },
			func(c *Config) {
				c.Services = without(c.Services, "tributi")
				c.Counters[0].Services, c.Counters[1].Services = []string{"anagrafe"}, []string{"anagrafe"}
			}, ProblemServiceBusy, "services", false},
		{"a service with a citizen at a counter", func(h *harness) {
			h.issue(now, "tributi", false)
			h.open(now, "1", "mario", "tributi")
			h.next(now, "1", "mario")
		}, func(c *Config) {
			c.Services = without(c.Services, "tributi")
			c.Counters[0].Services, c.Counters[1].Services = []string{"anagrafe"}, []string{"anagrafe"}
		}, ProblemServiceBusy, "services", false},
		{"an open counter deleted", func(h *harness) { h.open(now, "2", "giulia", "anagrafe") },
			func(c *Config) {
				c.Counters = c.Counters[:1:1]
				c.Counters = append(c.Counters, CounterConfig{ID: "6", Lane: LaneFastTrack, Services: []string{"documenti"}})
			},
			ProblemCounterOpen, "counters", false},
		{"an open counter losing the service it serves", func(h *harness) { h.open(now, "1", "mario", "tributi") },
			func(c *Config) { c.Counters[0].Services = []string{"anagrafe"} }, ProblemCounterServing, "counters[0].services", false},
		{"the office's hours in progress", nil,
			func(c *Config) { c.Hours = weekdays("08:30-12:00", "15:00-17:00") }, ProblemHoursInProgress, "office.hours", true},
		{"a closure today", nil,
			func(c *Config) { c.Closures = map[string]bool{"2026-11-24": true} }, ProblemHoursInProgress, "office.closures", true},
		{"a service's own hours in progress", nil,
			func(c *Config) { w := weekdays("11:00-12:30"); c.Services[2].Hours = &w }, ProblemHoursInProgress, "services[2].hours", true},
		{"a letter today's tickets carry", func(h *harness) { h.issue(now, "tributi", false) },
			func(c *Config) { c.Services[0].Prefix, c.Services[1].Prefix = "T", "U" }, ProblemLetterInUse, "services[0].prefix", false},
		{"the zone", nil, func(c *Config) { c.Location = mustZone("Europe/London") }, ProblemTimezone, "office.timezone", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, testConfig(t))
			h.roll(now)
			if tc.setup != nil {
				tc.setup(h)
			}
			next := variant(t, tc.edit)
			ps := problems(t, h.change(now, next, false))
			if !slices.ContainsFunc(ps, func(p ConfigProblem) bool { return p.Code == tc.code && p.Field == tc.field && p.Message != "" }) {
				t.Fatalf("got %+v, want %s on %s", ps, tc.code, tc.field)
			}
			if slices.ContainsFunc(h.log, func(ev Event) bool { return ev.Type == EventConfigChanged }) {
				t.Fatal("a refused change was recorded")
			}
			err := h.change(now, next, true)
			if tc.force && err != nil {
				t.Fatalf("forced: %v", err)
			}
			if !tc.force && err == nil {
				t.Fatal("forced: accepted a change that breaks the day")
			}
		})
	}
}

func TestChangesThatApplyAtOnce(t *testing.T) {
	now := at("2026-11-24", "10:00")
	h := newHarness(t, testConfig(t))
	h.issue(now, "anagrafe", false)
	h.open(now, "1", "mario", "anagrafe")
	for name, edit := range map[string]func(c *Config){
		"a later range today":         func(c *Config) { c.Hours = weekdays("08:30-12:30", "14:00-16:00") },
		"another day's closure":       func(c *Config) { c.Closures = map[string]bool{"2026-11-25": true} },
		"a service with nobody":       func(c *Config) { c.Services = c.Services[:2]; c.Counters[2].Services = []string{"anagrafe"} },
		"an open counter gains one":   func(c *Config) { c.Counters[0].Name = "Uno" },
		"a closed counter loses one":  func(c *Config) { c.Counters[1].Services = []string{"tributi"} },
		"a closed counter is deleted": func(c *Config) { c.Counters = append(c.Counters[:1], c.Counters[2]) },
		"a letter no ticket carries":  func(c *Config) { c.Services[1].Prefix = "X" },
		"a service's own letter":      func(c *Config) { c.Services[0].Prefix = "B" },
	} {
		next := variant(t, edit)
		if ps := h.o.CheckConfig(now, next); len(ps) != 0 {
			t.Errorf("%s: got %+v", name, ps)
		}
	}
}

func TestAServiceWithAppointmentsToCome(t *testing.T) {
	cfg := testConfig(t)
	cfg.services = nil
	cfg.Services[1].Agenda = &Agenda{}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, cfg)
	now := at("2026-11-24", "09:00")
	h.roll(now)
	slot := at("2026-11-26", "09:00")
	events, _, err := h.o.Book(now, BookRequest{Service: "tributi", Slot: slot, Name: "Ada", Contact: "ada@example.it", Channel: ChannelPhone, Staff: true}, Actor{Name: "anna", Supervisor: true})
	if err != nil {
		t.Fatal(err)
	}
	h.commit(now, events)
	next := variant(t, func(c *Config) {})
	ps := problems(t, h.change(now, next, true))
	if len(ps) != 1 || ps[0].Code != ProblemServiceBooked || ps[0].Field != "services[1].appointments" || ps[0].Count != 1 {
		t.Fatalf("got %+v", ps)
	}
}
