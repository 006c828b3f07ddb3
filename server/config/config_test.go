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
	if creds := DemoCredentials(cfg); len(creds) != 8 {
		t.Fatalf("got %d credential lines, want 8: %q", len(creds), creds)
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
		{"zero cutoff", `prefix = "A"`, "prefix = \"A\"\ncutoff_before_close = \"0s\"", "services[0].cutoff_before_close: must be more than 0"},
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
