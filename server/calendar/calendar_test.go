package calendar

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	// Published Easter dates (Gregorian), including the extremes of the
	// range: 22 March (2285) and 25 April (2038).
	for _, want := range []string{
		"2000-04-23", "2008-03-23", "2011-04-24", "2019-04-21", "2024-03-31", "2025-04-20",
		"2026-04-05", "2027-03-28", "2028-04-16", "2038-04-25", "2285-03-22",
	} {
		y, _ := time.Parse(DayLayout, want)
		m, d := Easter(y.Year())
		if got := fmt.Sprintf("%04d-%02d-%02d", y.Year(), int(m), d); got != want {
			t.Errorf("Easter %d: got %s, want %s", y.Year(), got, want)
		}
	}
}

// St Francis (4 October) is a national holiday again from 2026.
func TestItalianHolidays2026To2028(t *testing.T) {
	want := map[int][]string{
		2026: {"2026-01-01", "2026-01-06", "2026-04-05", "2026-04-06", "2026-04-25", "2026-05-01", "2026-06-02", "2026-08-15", "2026-10-04", "2026-11-01", "2026-12-08", "2026-12-25", "2026-12-26"},
		2027: {"2027-01-01", "2027-01-06", "2027-03-28", "2027-03-29", "2027-04-25", "2027-05-01", "2027-06-02", "2027-08-15", "2027-10-04", "2027-11-01", "2027-12-08", "2027-12-25", "2027-12-26"},
		2028: {"2028-01-01", "2028-01-06", "2028-04-16", "2028-04-17", "2028-04-25", "2028-05-01", "2028-06-02", "2028-08-15", "2028-10-04", "2028-11-01", "2028-12-08", "2028-12-25", "2028-12-26"},
	}
	for year, dates := range want {
		var got []string
		for _, h := range ItalianHolidays(year) {
			got = append(got, h.Date)
			if h.NameIT == "" || h.NameEN == "" {
				t.Errorf("%s has no name", h.Date)
			}
		}
		if !reflect.DeepEqual(got, dates) {
			t.Errorf("%d: got %v, want %v", year, got, dates)
		}
	}
	for _, h := range ItalianHolidays(2025) {
		if h.Date == "2025-10-04" {
			t.Error("4 October 2025 is a holiday: St Francis is one from 2026")
		}
	}
	if h := ItalianHolidays(2027)[3]; h.NameIT != "Lunedì dell'Angelo" || h.Date != "2027-03-29" {
		t.Errorf("got %+v, want Easter Monday 2027-03-29", h)
	}
}

func TestHolidayCloses(t *testing.T) {
	c := &Calendar{
		Holidays: true,
		Patron:   &Local{Day: MonthDay{time.June, 24}, NameIT: "San Giovanni Battista", NameEN: "St John the Baptist"},
		OpenOn:   map[string]bool{"2027-01-06": true},
	}
	for _, tc := range []struct {
		date string
		name string // "" : open
	}{
		{"2026-04-06", "Lunedì dell'Angelo"},
		{"2026-06-24", "San Giovanni Battista"},
		{"2026-06-23", ""},
		{"2026-01-06", "Epifania"},
		{"2027-01-06", ""}, // the office opens that day
		{"not a date", ""},
	} {
		h, ok := c.Holiday(tc.date)
		if ok != (tc.name != "") || h.NameIT != tc.name {
			t.Errorf("%s: got %+v %v, want %q", tc.date, h, ok, tc.name)
		}
	}
	closures := c.Closures()
	if _, ok := closures["2027-01-06"]; ok {
		t.Error("an open_on date is a closure")
	}
	if h := closures["2150-06-24"]; h.NameIT != "San Giovanni Battista" {
		t.Errorf("the patron of 2150: got %+v", h)
	}
	// 13 closures a year (14 from 2026, with St Francis), less the open
	// date, less the years when Easter falls on 25 April (2038) or its
	// Monday does (2011): one date, one closure.
	distinct := map[string]bool{}
	for y := FirstYear; y <= LastYear; y++ {
		for _, h := range ItalianHolidays(y) {
			distinct[h.Date] = true
		}
		distinct[fmt.Sprintf("%d-06-24", y)] = true
	}
	if n := len(closures); n != len(distinct)-1 || n >= (LastYear-FirstYear+1)*14-1 {
		t.Errorf("got %d closures, want %d", n, len(distinct)-1)
	}
	if h := closures["2038-04-25"]; h.NameIT != "Festa della Liberazione" && h.NameIT != "Pasqua" {
		t.Errorf("2038-04-25: got %+v", h)
	}
	// Without the national holidays, only the patron's day closes.
	local := &Calendar{Patron: c.Patron}
	if _, ok := local.Holiday("2026-12-25"); ok {
		t.Error("Christmas closes an office that keeps no national holidays")
	}
	var none *Calendar
	if _, ok := none.Holiday("2026-12-25"); ok || len(none.Closures()) != 0 {
		t.Error("a nil calendar closes")
	}
}

func TestPatronOn29February(t *testing.T) {
	c := &Calendar{Patron: &Local{Day: MonthDay{time.February, 29}, NameIT: "San Romano"}}
	if _, ok := c.Holiday("2028-02-29"); !ok {
		t.Error("29 February 2028 is not the patron's day")
	}
	if _, ok := c.Holiday("2027-03-01"); ok {
		t.Error("1 March of a common year is the patron's day")
	}
}

func TestPeakFactor(t *testing.T) {
	c := &Calendar{Peaks: []Peak{
		{Name: "IMU acconto", Services: []string{"tributi"}, From: "06-09", To: "06-16", Factor: 1.8},
		{Name: "TARI", Services: []string{"tributi"}, From: "06-15", To: "06-30", Factor: 1.3},
		{Name: "ISEE", From: "12-20", To: "01-31", Factor: 1.4},
		{Name: "Iscrizioni 2027", Services: []string{"anagrafe"}, From: "2027-01-07", To: "2027-02-10", Factor: 1.5},
		{Name: "Agosto", From: "08-01", To: "08-31", Factor: 0.6},
	}}
	for _, tc := range []struct {
		service, date string
		want          float64
		names         string
	}{
		{"tributi", "2026-06-08", 1, ""},
		{"tributi", "2026-06-09", 1.8, "IMU acconto"},
		{"tributi", "2026-06-16", 1.8, "IMU acconto,TARI"}, // overlapping: the largest
		{"tributi", "2026-06-17", 1.3, "TARI"},
		{"anagrafe", "2026-06-10", 1, ""},
		{"anagrafe", "2026-12-31", 1.4, "ISEE"},
		{"sociali", "2027-01-05", 1.4, "ISEE"},
		{"anagrafe", "2027-01-10", 1.5, "ISEE,Iscrizioni 2027"},
		{"anagrafe", "2028-01-10", 1.4, "ISEE"}, // a dated period happens once
		{"sociali", "2026-08-14", 0.6, "Agosto"},
	} {
		got, names := c.Factor(tc.service, tc.date)
		if got != tc.want || strings.Join(names, ",") != tc.names {
			t.Errorf("%s %s: got %v %v, want %v %s", tc.service, tc.date, got, names, tc.want, tc.names)
		}
	}
	if n := len(c.PeaksOn("2026-06-16")); n != 2 {
		t.Errorf("got %d peaks on 2026-06-16, want 2 (IMU and TARI)", n)
	}
}

func TestPeakCheck(t *testing.T) {
	known := func(s string) bool { return s == "tributi" }
	for _, tc := range []struct {
		p    Peak
		want string // "" : valid
	}{
		{Peak{Name: "IMU", From: "06-09", To: "06-16", Factor: 1.8}, ""},
		{Peak{Name: "ISEE", From: "12-20", To: "01-10", Factor: 1.4}, ""},
		{Peak{Name: "Una tantum", From: "2026-03-01", To: "2026-03-05", Factor: 2}, ""},
		{Peak{Name: "", From: "06-09", To: "06-16", Factor: 1.8}, "name"},
		{Peak{Name: "x", From: "06-09", To: "06-16", Factor: 0}, "factor"},
		{Peak{Name: "x", From: "06-09", To: "06-16", Factor: 21}, "factor"},
		{Peak{Name: "x", From: "6-9", To: "06-16", Factor: 1.2}, "from"},
		{Peak{Name: "x", From: "06-09", To: "06-31", Factor: 1.2}, "to"},
		{Peak{Name: "x", From: "06-09", To: "2026-06-16", Factor: 1.2}, "both"},
		{Peak{Name: "x", From: "2026-06-16", To: "2026-06-09", Factor: 1.2}, "before"},
		{Peak{Name: "x", Services: []string{"nope"}, From: "06-09", To: "06-16", Factor: 1.2}, "nope"},
	} {
		err := tc.p.Check(known)
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: got %v, want %q", tc.p, err, tc.want)
		}
	}
}
