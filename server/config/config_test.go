package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"turno/server/queue"
)

func TestDemoOfficeLoads(t *testing.T) {
	cfg, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Office.Location.String() != "Europe/Rome" || len(cfg.Office.Services) != 4 || len(cfg.Office.Counters) != 6 {
		t.Fatalf("got %s, %d services, %d counters", cfg.Office.Location, len(cfg.Office.Services), len(cfg.Office.Counters))
	}
	doc := cfg.Office.Service("documenti")
	if doc.Lane != queue.LaneFastTrack || doc.Hours == nil || doc.CutoffBeforeClose != 15*time.Minute {
		t.Fatalf("fast-track lane: got %+v", doc)
	}
	if a := cfg.Office.Service("anagrafe"); !a.CutoffOnLoad || a.CutoffBeforeClose != 30*time.Minute || !strings.Contains(a.Info, "Cosa portare") {
		t.Fatalf("anagrafe: got %+v", a)
	}
	for _, name := range []string{"admin", "mario", "anna", "paolo"} {
		u := cfg.User(name)
		if u == nil || !u.CheckPassword("demo") || u.CheckPassword("Demo") {
			t.Fatalf("user %s: got %+v", name, u)
		}
	}
	if d := cfg.DeviceByToken("demo-kiosk-token"); d == nil || d.Role != RoleKiosk {
		t.Fatalf("got %+v", d)
	}
	if d := cfg.DeviceByToken("demo-kiosk-toke"); d != nil {
		t.Fatalf("a prefix of a token matched %+v", d)
	}
	if d := cfg.DeviceByToken("demo-pad-3-token"); d == nil || d.Role != RoleDisplay || d.Counter != "3" {
		t.Fatalf("the rating pad of counter 3: got %+v", d)
	}
	if creds := DemoCredentials(cfg); len(creds) != 10 {
		t.Fatalf("got %d credential lines, want 10: %q", len(creds), creds)
	}
}

func TestTheDocumentedExampleLoads(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "..", "assets", "demo-office.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if DemoCredentials(cfg) != nil {
		t.Fatal("a configuration from a file must not print credentials")
	}
}

// minimal is the smallest valid office; the cases below break one field.
const minimal = `
[office]
name = "Ufficio"
timezone = "Europe/Rome"
[office.hours]
mon = ["08:30-12:30"]
[[services]]
id = "a"
name = { it = "Anagrafe" }
prefix = "A"
[[counters]]
id = "1"
services = ["a"]
[[users]]
name = "admin"
role = "admin"
password_hash = "$2a$10$qfy20ArEasMuWZ/anCFY3.XEIdQjK35E3BzEtL2YxY4x7cf2RXla6"
`

func TestBadConfigurationsNameTheFieldAndTheProblem(t *testing.T) {
	if _, err := Parse([]byte(minimal)); err != nil {
		t.Fatalf("minimal: %v", err)
	}
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"bad zone", `"Europe/Rome"`, `"Europe/Roma"`, `office.timezone: "Europe/Roma" is not a known time zone`},
		{"bad range", `"08:30-12:30"`, `"12:30-08:30"`, "office.hours.mon: range \"12:30-08:30\" ends before it starts"},
		{"bad hour", `"08:30-12:30"`, `"8:30-12:30"`, "office.hours.mon: \"8:30\" is not a time of day HH:MM"},
		{"overlap", `["08:30-12:30"]`, `["08:30-12:30", "12:00-13:00"]`, "office.hours: Monday: ranges 08:30-12:30 and 12:00-13:00 overlap"},
		{"unknown field", `prefix = "A"`, "prefix = \"A\"\ncolour = \"red\"", "services.colour: unknown field"},
		{"bad prefix", `prefix = "A"`, `prefix = "a"`, `services[0].prefix: "a" must be one capital letter A-Z`},
		{"bad duration", `prefix = "A"`, "prefix = \"A\"\ncutoff_before_close = \"half an hour\"", `"half an hour" is not a duration`},
		{"bad appointments", `prefix = "A"`, "prefix = \"A\"\nappointments = 3", "must be true, false or a table of settings"},
		{"bad slot", `prefix = "A"`, "prefix = \"A\"\nappointments = { slot = \"7m30s\" }", "services[0].appointments.slot: 7m30s must be whole minutes from 5m to 4h"},
		{"unknown appointment field", `prefix = "A"`, "prefix = \"A\"\nappointments = { slots = \"15m\" }", "slots: unknown field"},
		{"bad late policy", `prefix = "A"`, "prefix = \"A\"\nappointments = { late = \"never\" }", `services[0].appointments.late: "never" must be "walkin" or "rebook"`},
		{"horizon past retention", `prefix = "A"`, "prefix = \"A\"\nappointments = { horizon_days = 200 }", "services[0].appointments.horizon: 200 days must be shorter than agenda.retention"},
		{"appointment letter", `prefix = "A"`, `prefix = "P"`, `services[0].prefix: "P" is the appointments' letter (agenda.prefix)`},
		{"shift of an unknown counter", `[[users]]`, "[[staffing]]\ncounter = \"9\"\nhours = { mon = [\"08:30-12:30\"] }\n[[users]]", `staffing[0].counter: unknown counter "9"`},
		{"shift of a service not served", `[[users]]`, "[[staffing]]\ncounter = \"1\"\nservices = [\"b\"]\nhours = { mon = [\"08:30-12:30\"] }\n[[users]]", `staffing[0].services: counter "1" may not serve "b"`},
		{"bad exception date", `[[users]]`, "[[staffing_exceptions]]\ndate = \"7 Dec\"\ncounter = \"1\"\nhours = []\n[[users]]", `staffing_exceptions[0].date: "7 Dec" is not a date`},
		{"bad confidence", `[[counters]]`, "[rules]\ncutoff_confidence = 1.5\n[[counters]]", "rules.cutoff_confidence: 1.5 must be at least 0.5 and less than 1"},
		{"unknown service", `services = ["a"]`, `services = ["b"]`, `counters[0].services: unknown service "b"`},
		{"bad role", `role = "admin"`, `role = "boss"`, `users[0].role: "boss" must be clerk, floor, backoffice or admin`},
		{"plain password", `password_hash = "$2a$10$qfy20ArEasMuWZ/anCFY3.XEIdQjK35E3BzEtL2YxY4x7cf2RXla6"`, `password_hash = "demo"`, "users[0].password_hash: not a bcrypt hash"},
		{"syntax", `[[counters]]`, `[[counters]`, "line "},
		{"short device token", `[[users]]`, "[[devices]]\nid = \"k\"\nrole = \"kiosk\"\ntoken = \"short\"\n[[users]]", "devices[0].token: must be 16 to 512 characters"},
		{"long device id", `[[users]]`, "[[devices]]\nid = \"" + strings.Repeat("k", 65) + "\"\nrole = \"kiosk\"\ntoken = \"0123456789abcdef\"\n[[users]]", "devices[0].id: must be 1 to 64 characters"},
		{"bad closure", `timezone = "Europe/Rome"`, "timezone = \"Europe/Rome\"\nclosures = [\"25/12/2026\"]", `office.closures[0]: "25/12/2026" is not a date`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(minimal, tc.old, tc.new, 1)
			if text == minimal {
				t.Fatalf("the case does not change the file")
			}
			_, err := Parse([]byte(text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestAgendaAndStaffingFields(t *testing.T) {
	text := strings.Replace(minimal, `prefix = "A"`, `prefix = "A"
cutoff_before_close = "0s"
appointments = { slot = "20m", per_slot = 2, horizon_days = 14, min_notice = "1h", check_in_early = "10m", check_in_late = "5m", late = "rebook", max_per_contact = 2, hours = { mon = ["09:00-11:00"] } }`, 1)
	text = strings.Replace(text, `[[users]]`, `[agenda]
prefix = "Z"
retention_days = 60
verify_contact = true
web_bookings_per_hour = 3
[[staffing]]
counter = "1"
hours = { mon = ["08:30-12:30"] }
[[staffing_exceptions]]
date = "2026-12-07"
counter = "1"
hours = []
[[users]]`, 1)
	cfg, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Office.Service("a")
	a := s.Agenda
	if a == nil || !s.Appointments || a.Slot != 20*time.Minute || a.PerSlot != 2 || a.HorizonDays != 14 || a.MinNotice != time.Hour ||
		a.CheckInEarly != 10*time.Minute || a.CheckInLate != 5*time.Minute || a.Late != queue.LateRebook || a.MaxPerContact != 2 ||
		a.Hours == nil || len(a.Hours[time.Monday]) != 1 {
		t.Fatalf("got %+v", a)
	}
	if s.CutoffBeforeClose != 0 {
		t.Fatalf("cutoff_before_close = \"0s\": got %s, want no floor", s.CutoffBeforeClose)
	}
	o := &cfg.Office
	if o.Agenda.Prefix != "Z" || o.Agenda.Retention != 60*24*time.Hour || !cfg.VerifyContact || cfg.WebBookingsPerHour != 3 {
		t.Fatalf("got %+v, verify %v, per hour %d", o.Agenda, cfg.VerifyContact, cfg.WebBookingsPerHour)
	}
	mon := time.Date(2026, 11, 30, 10, 0, 0, 0, o.Location)
	if p := o.PlannedFor("1", mon); len(p) != 1 || p[0].Open.Hour() != 8 {
		t.Fatalf("planned on a Monday: got %+v", p)
	}
	if p := o.PlannedFor("1", mon.AddDate(0, 0, 7)); len(p) != 0 {
		t.Fatalf("planned on the exception's day: got %+v, want none", p)
	}
	// A plain `appointments = true` takes the defaults; no table, no agenda.
	cfg, err = Parse([]byte(strings.Replace(minimal, `prefix = "A"`, "prefix = \"A\"\nappointments = true", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if a := cfg.Office.Service("a").Agenda; a == nil || a.Slot != queue.DefaultSlot || a.MinNotice != queue.DefaultMinNotice || a.Late != queue.LateWalkIn {
		t.Fatalf("got %+v", a)
	}
	if s := cfg.Office.Service("a"); s.CutoffBeforeClose != queue.DefaultCutoffBeforeClose {
		t.Fatalf("default floor: got %s", s.CutoffBeforeClose)
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "office.toml")
	if err := os.WriteFile(path, []byte(strings.Replace(minimal, `prefix = "A"`, `prefix = "AB"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+": services[0].prefix") {
		t.Fatalf("got %v", err)
	}
}

func TestHashPassword(t *testing.T) {
	h, err := HashPassword("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	u := User{PasswordHash: h}
	if !u.CheckPassword("s3cret") || u.CheckPassword("s3cret ") {
		t.Fatal("the hash does not check the password")
	}
	if _, err := HashPassword(""); err == nil {
		t.Fatal("an empty password was hashed")
	}
}
