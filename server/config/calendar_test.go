package config

import (
	"strings"
	"testing"
	"time"
)

func TestCalendarClosesTheOfficeOnHolidays(t *testing.T) {
	cfg, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	o := &cfg.Office
	a := o.Service("anagrafe")
	for _, tc := range []struct {
		day    string
		closed bool
	}{
		{"2026-04-06", true},  // Easter Monday
		{"2027-03-29", true},  // Easter Monday
		{"2026-06-02", true},  // Republic Day, a Tuesday
		{"2026-12-08", true},  // Immacolata, a Tuesday
		{"2026-08-17", false}, // a Monday
		{"2028-08-16", true},  // San Rocco, the demo's patron, a Wednesday
		{"2026-11-24", false}, // an ordinary Tuesday
	} {
		day, _ := time.ParseInLocation("2006-01-02 15:04", tc.day+" 10:00", o.Location)
		if closed := len(o.Spans(a, day)) == 0; closed != tc.closed {
			t.Errorf("%s: closed %v, want %v", tc.day, closed, tc.closed)
		}
	}
	if len(cfg.Calendar.Peaks) != 4 || cfg.Forecast.Weeks != 8 || cfg.Forecast.ServiceLevel != 0.8 || cfg.ReportsPerClerk || o.Rules.RatingsPerClerk {
		t.Fatalf("got peaks %+v, forecast %+v, per clerk %v %v", cfg.Calendar.Peaks, cfg.Forecast, cfg.ReportsPerClerk, o.Rules.RatingsPerClerk)
	}
	if f, names := cfg.Calendar.Factor("tributi", "2026-06-16"); f != 1.8 || len(names) != 1 {
		t.Fatalf("IMU deadline: got %v %v", f, names)
	}
}

func TestCalendarSettings(t *testing.T) {
	text := strings.Replace(minimal, `[[users]]`, `[calendar]
holidays = false
patron = "06-24"
patron_name = "San Giovanni Battista"
[rules]
ratings_per_clerk = true
[reports]
per_clerk = true
[forecast]
weeks = 4
service_level = 0.9
[[peaks]]
name = "TARI"
services = ["a"]
from = "2026-06-01"
to = "2026-06-30"
factor = 1.4
[[devices]]
id = "pad-1"
role = "display"
token = "a-token-long-enough"
counter = "1"
[[users]]`, 1)
	cfg, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	o := &cfg.Office
	if o.Closures["2026-12-25"] || !o.Closures["2026-06-24"] {
		t.Fatalf("holidays = false: Christmas closed %v, the patron's day %v", o.Closures["2026-12-25"], o.Closures["2026-06-24"])
	}
	if h, ok := cfg.Calendar.Holiday("2027-06-24"); !ok || h.NameIT != "San Giovanni Battista" {
		t.Fatalf("got %+v %v", h, ok)
	}
	if !o.Rules.RatingsPerClerk || !cfg.ReportsPerClerk || cfg.Forecast != (Forecast{Weeks: 4, ServiceLevel: 0.9}) {
		t.Fatalf("got %+v %v %+v", o.Rules, cfg.ReportsPerClerk, cfg.Forecast)
	}
	if d := cfg.DeviceByToken("a-token-long-enough"); d == nil || d.Counter != "1" {
		t.Fatalf("got %+v", d)
	}

	// open_on opens the office on a holiday.
	text = strings.Replace(minimal, `[[users]]`, "[calendar]\nopen_on = [\"2026-04-06\"]\n[[users]]", 1)
	if cfg, err = Parse([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if cfg.Office.Closures["2026-04-06"] || !cfg.Office.Closures["2027-03-29"] {
		t.Fatal("open_on did not open Easter Monday 2026, or opened 2027's")
	}
}

func TestBadCalendarSettings(t *testing.T) {
	for _, tc := range []struct{ name, add, want string }{
		{"bad patron", "[calendar]\npatron = \"24/06\"", `calendar.patron: "24/06" is not a day of the year MM-DD`},
		{"patron name alone", "[calendar]\npatron_name = \"San Rocco\"", "calendar.patron_name: set calendar.patron"},
		{"bad open date", "[calendar]\nopen_on = [\"Easter\"]", `calendar.open_on[0]: "Easter" is not a date`},
		{"peak without name", "[[peaks]]\nfrom = \"06-01\"\nto = \"06-10\"\nfactor = 2.0", "peaks[0].name: is empty"},
		{"peak of an unknown service", "[[peaks]]\nname = \"x\"\nservices = [\"b\"]\nfrom = \"06-01\"\nto = \"06-10\"\nfactor = 2.0", `peaks[0].services: unknown service "b"`},
		{"peak without factor", "[[peaks]]\nname = \"x\"\nfrom = \"06-01\"\nto = \"06-10\"", "peaks[0].factor: 0 must be more than 0"},
		{"peak with mixed dates", "[[peaks]]\nname = \"x\"\nfrom = \"06-01\"\nto = \"2026-06-10\"\nfactor = 2.0", "peaks[0].from and to"},
		{"forecast weeks", "[forecast]\nweeks = 60", "forecast.weeks: 60 must be 1 to 52"},
		{"service level", "[forecast]\nservice_level = 1.0", "forecast.service_level: 1 must be 0.5 to 0.99"},
		{"pad of an unknown counter", "[[devices]]\nid = \"pad\"\nrole = \"display\"\ntoken = \"a-token-long-enough\"\ncounter = \"9\"", `devices[0].counter: unknown counter "9"`},
		{"kiosk as a pad", "[[devices]]\nid = \"pad\"\nrole = \"kiosk\"\ntoken = \"a-token-long-enough\"\ncounter = \"1\"", "devices[0].counter: only a display"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(strings.Replace(minimal, `[[users]]`, tc.add+"\n[[users]]", 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	text := strings.Replace(minimal, `timezone = "Europe/Rome"`, "timezone = \"Europe/Rome\"\nclosures = [\"2026-04-07\"]", 1)
	text = strings.Replace(text, `[[users]]`, "[calendar]\nopen_on = [\"2026-04-07\"]\n[[users]]", 1)
	if _, err := Parse([]byte(text)); err == nil || !strings.Contains(err.Error(), "also in office.closures") {
		t.Fatalf("a date both closed and open: got %v", err)
	}
}
