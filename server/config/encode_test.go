package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// rich sets every field the file knows, most away from their defaults.
const rich = `
[office]
name = "Ufficio \"Centrale\" — Sportello\\Polifunzionale"
timezone = "Europe/Rome"
session_ttl = "9h30m"
closures = ["2026-12-24", "2026-12-07", "2026-12-07"]
[office.hours]
mon = ["08:30-12:30", "14:00-16:00"]
wed = ["08:00-13:00"]
sat = ["09:00-12:00"]

[rules]
priority_max_in_row = 3
max_recalls = 0
reactivate_window = "20m"
cutoff_confidence = 0.95
overtime_confidence = 0.8
overtime_tolerance = "10m"
ratings_per_clerk = true

[calendar]
holidays = true
patron = "12-07"
patron_name = "Sant'Ambrogio"
open_on = ["2026-12-08"]

[[peaks]]
name = "IMU"
services = ["tributi"]
from = "06-08"
to = "06-16"
factor = 1.75

[[peaks]]
name = "Agosto"
from = "2026-08-01"
to = "2026-08-31"
factor = 0.5

[forecast]
weeks = 12
service_level = 0.85

[reports]
per_clerk = true

[agenda]
prefix = "Q"
retention_days = 60
verify_contact = true
web_bookings_per_hour = 3

[[services]]
id = "anagrafe"
name = { it = "Anagrafe", en = "Registry" }
prefix = "A"
cutoff_before_close = "0s"
cutoff_on_load = false
daily_cap = 120
target_wait = "25m"
service_time = "12m30s"
weight = 1.5
appointments = { slot = "20m", per_slot = 2, horizon_days = 14, min_notice = "0s", check_in_early = "5m", check_in_late = "3m", late = "rebook", max_per_contact = 2, hours = { mon = ["09:00-11:00"], wed = ["09:00-10:00"] } }
info = """
**Cosa portare / What to bring**
- un "documento" \\ d'identità	(tab)
1. primo
"""

[[services]]
id = "tributi"
name = { it = "Tributi" }
prefix = "T"
hours = { mon = ["08:30-12:30"] }
appointments = true

[[services]]
id = "chiuso"
name = { en = "Closed for now" }
prefix = "C"
hours = {}
lane = "fasttrack"

[[counters]]
id = "1"
name = "Sportello 1"
services = ["anagrafe", "tributi"]

[[counters]]
id = "fast"
lane = "fasttrack"
services = ["chiuso"]

[[staffing]]
counter = "1"
hours = { mon = ["08:30-12:30"], wed = ["08:00-13:00"] }
services = ["anagrafe"]

[[staffing]]
counter = "fast"
hours = { sat = ["09:00-12:00"] }
services = []

[[staffing_exceptions]]
date = "2026-12-09"
counter = "1"
hours = ["10:00-12:00"]

[[staffing_exceptions]]
date = "2026-12-02"
counter = "fast"
hours = []

[[users]]
name = "admin"
role = "admin"
password_hash = "$2a$10$qfy20ArEasMuWZ/anCFY3.XEIdQjK35E3BzEtL2YxY4x7cf2RXla6"

[[users]]
name = "paolo"
full_name = "Paolo Greco"
role = "backoffice"
password_hash = "$2a$10$qfy20ArEasMuWZ/anCFY3.XEIdQjK35E3BzEtL2YxY4x7cf2RXla6"
services = ["tributi"]
demo_password = "demo"

[[devices]]
id = "pad-1"
role = "display"
token = "a-long-token-for-the-pad"
counter = "1"

[[devices]]
id = "kiosk-1"
role = "kiosk"
token = "kiosk \"token\" with quotes"
`

// same compares two configurations, their zones by name.
func same(t *testing.T, got, want *Config) {
	t.Helper()
	g, w := *got, *want
	if g.Office.Location.String() != w.Office.Location.String() {
		t.Fatalf("zone: got %s, want %s", g.Office.Location, w.Office.Location)
	}
	g.Office.Location, w.Office.Location = nil, nil
	g.Source, w.Source = "", ""
	g.Demo, w.Demo = false, false
	if !reflect.DeepEqual(g, w) {
		gt, _ := Encode(got)
		wt, _ := Encode(want)
		t.Fatalf("round trip differs:\n--- got\n%s\n--- want\n%s", gt, wt)
	}
}

func TestEncodeRoundTrips(t *testing.T) {
	demo, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	full, err := Parse([]byte(rich))
	if err != nil {
		t.Fatal(err)
	}
	small, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*Config{"demo": demo, "rich": full, "minimal": small} {
		t.Run(name, func(t *testing.T) {
			text, err := Encode(c)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(text)
			if err != nil {
				t.Fatalf("%v in\n%s", err, text)
			}
			same(t, back, c)
			again, err := Encode(back)
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != string(text) {
				t.Fatalf("a second encoding differs:\n%s\n---\n%s", again, text)
			}
			if strings.Contains(string(text), "#") && name != "rich" {
				t.Fatalf("comments or stray characters in\n%s", text)
			}
		})
	}
}

func TestEncodeKeepsWhatMatters(t *testing.T) {
	c, err := Parse([]byte(rich))
	if err != nil {
		t.Fatal(err)
	}
	text, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if u := back.User("paolo"); u == nil || !u.CheckPassword("demo") || len(u.Services) != 1 || u.demoPassword != "demo" {
		t.Fatalf("paolo: got %+v", u)
	}
	if d := back.DeviceByToken(`kiosk "token" with quotes`); d == nil || d.ID != "kiosk-1" {
		t.Fatalf("kiosk token: got %+v", d)
	}
	if s := back.Office.Service("chiuso"); s.Hours == nil || !s.Hours.Empty() {
		t.Fatalf("a service with no hours: got %+v", s.Hours)
	}
	if s := back.Office.Service("tributi"); s.Hours == nil || len(s.Hours[time.Monday]) != 1 || s.Agenda == nil {
		t.Fatalf("tributi: got %+v", s)
	}
	if got := back.Closures; !reflect.DeepEqual(got, []string{"2026-12-07", "2026-12-24"}) {
		t.Fatalf("closures: got %q (the holidays stay out of the file)", got)
	}
	if !back.Office.Closures["2026-12-24"] || !back.Office.Closures["2026-12-25"] || back.Office.Closures["2026-12-08"] {
		t.Fatalf("closures in force: got %v", back.Office.Closures)
	}
	for _, want := range []string{"session_ttl = \"9h30m\"\n", "service_time = \"12m30s\"\n", "weight = 1.5\n", "factor = 0.5\n", "info = \"\"\"\n**Cosa portare"} {
		if !strings.Contains(string(text), want) {
			t.Fatalf("missing %q in\n%s", want, text)
		}
	}
	// A password reset forgets the demo password.
	back.User("paolo").SetPassword(back.User("admin").PasswordHash)
	text, _ = Encode(back)
	if strings.Contains(string(text), "demo_password") {
		t.Fatalf("demo password kept after a reset:\n%s", text)
	}
}

func TestDemoStaysADemo(t *testing.T) {
	c, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	text, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if DemoCredentials(back) != nil {
		t.Fatal("a parsed text printed credentials")
	}
	back.Demo = true
	if got, want := DemoCredentials(back), DemoCredentials(c); len(got) != len(want) || len(got) < 9 {
		t.Fatalf("got %q", got)
	}
}

// FuzzEncode: whatever text Parse accepts, its encoding parses back to the
// same configuration (the console stores every version as Encode writes it).
func FuzzEncode(f *testing.F) {
	f.Add(minimal)
	f.Add(rich)
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse([]byte(text))
		if err != nil {
			return
		}
		out, err := Encode(c)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("%v in\n%s", err, out)
		}
		same(t, back, c)
	})
}

func TestDiffNamesWhatChanged(t *testing.T) {
	before, err := Parse([]byte(rich))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(rich, `target_wait = "25m"`, `target_wait = "30m"`, 1)
	text = strings.Replace(text, `closures = ["2026-12-24", "2026-12-07", "2026-12-07"]`, `closures = ["2026-12-24"]`, 1)
	text = strings.Replace(text, `token = "a-long-token-for-the-pad"`, `token = "another-long-token-for-the-pad"`, 1)
	text = strings.Replace(text, "[[devices]]\nid = \"kiosk-1\"", "[[counters]]\nid = \"2\"\nservices = [\"anagrafe\"]\n\n[[devices]]\nid = \"kiosk-1\"", 1)
	text = strings.Replace(text, "[[staffing_exceptions]]\ndate = \"2026-12-02\"\ncounter = \"fast\"\nhours = []\n", "", 1)
	after, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Diff(before, after)
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Kind: Changed, Section: "office", Field: "closures", Before: `["2026-12-07", "2026-12-24"]`, After: `["2026-12-24"]`},
		{Kind: Changed, Section: "services[anagrafe]", Field: "target_wait", Before: `"25m"`, After: `"30m"`},
		{Kind: Added, Section: "counters[2]", Field: "id", After: `"2"`},
		{Kind: Added, Section: "counters[2]", Field: "name", After: `"2"`},
		{Kind: Added, Section: "counters[2]", Field: "lane", After: `"standard"`},
		{Kind: Added, Section: "counters[2]", Field: "services", After: `["anagrafe"]`},
		{Kind: Changed, Section: "devices[pad-1]", Field: "token", Secret: true},
		{Kind: Removed, Section: "staffing_exceptions[2026-12-02 fast]", Field: "date", Before: `"2026-12-02"`},
		{Kind: Removed, Section: "staffing_exceptions[2026-12-02 fast]", Field: "counter", Before: `"fast"`},
		{Kind: Removed, Section: "staffing_exceptions[2026-12-02 fast]", Field: "hours", Before: `[]`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
	if none, _ := Diff(after, after); len(none) != 0 {
		t.Fatalf("a version against itself: got %+v", none)
	}
	for in, want := range map[string]string{`"a \"b\"\\c"`: `a "b"\c`, `["x"]`: `["x"]`, "\"\"\"\nline 1\nline 2\n\"\"\"": "line 1\nline 2", `1.5`: `1.5`} {
		if got := Unquote(in); got != want {
			t.Errorf("Unquote(%s): got %q, want %q", in, got, want)
		}
	}
}
