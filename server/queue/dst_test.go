package queue

import (
	"testing"
	"time"
)

// inZone is allDay's office in another time zone.
func inZone(t *testing.T, zone string) *Config {
	cfg := allDay(t)
	cfg.Location = mustZone(zone)
	return cfg
}

// instant parses "2006-01-02 15:04 -0700": a wall reading and its offset
// name one instant even where the reading occurs twice.
func instant(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02 15:04 -0700", s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A day's spans are computed from its wall clock even when local midnight
// does not exist (Santiago, Havana and Beirut move their clocks at
// midnight) or occurs twice, and "24:00" is the start of the next date.
func TestSpansOnDaylightSavingDays(t *testing.T) {
	for _, tc := range []struct {
		name, zone, day, hours string
		open, close            string // "2006-01-02 15:04 -0700"
		length                 time.Duration
	}{
		{"Santiago, the day before midnight is skipped", "America/Santiago", "2026-09-05", "00:00-24:00",
			"2026-09-05 00:00 -0400", "2026-09-06 01:00 -0300", 24 * time.Hour},
		{"Santiago, the day midnight is skipped", "America/Santiago", "2026-09-06", "00:00-24:00",
			"2026-09-06 01:00 -0300", "2026-09-07 00:00 -0300", 23 * time.Hour},
		{"Santiago, the day that ends twice", "America/Santiago", "2026-04-04", "00:00-24:00",
			"2026-04-04 00:00 -0300", "2026-04-05 00:00 -0400", 25 * time.Hour},
		{"Santiago, hours within the repeated hour", "America/Santiago", "2026-04-04", "22:00-23:30",
			"2026-04-04 22:00 -0300", "2026-04-04 23:30 -0300", 90 * time.Minute},
		{"Havana, midnight skipped", "America/Havana", "2026-03-08", "00:00-24:00",
			"2026-03-08 01:00 -0400", "2026-03-09 00:00 -0400", 23 * time.Hour},
		{"Havana, the day before", "America/Havana", "2026-03-07", "08:00-24:00",
			"2026-03-07 08:00 -0500", "2026-03-08 01:00 -0400", 16 * time.Hour},
		{"Havana, the first hour occurs twice", "America/Havana", "2026-11-01", "00:00-24:00",
			"2026-11-01 00:00 -0400", "2026-11-02 00:00 -0500", 25 * time.Hour},
		{"Beirut, midnight skipped", "Asia/Beirut", "2026-03-29", "00:00-08:00",
			"2026-03-29 01:00 +0300", "2026-03-29 08:00 +0300", 7 * time.Hour},
		{"Beirut, the last hour occurs twice", "Asia/Beirut", "2026-10-24", "00:00-24:00",
			"2026-10-24 00:00 +0300", "2026-10-25 00:00 +0200", 25 * time.Hour},
		{"Rome, summer time starts", "Europe/Rome", "2026-03-29", "00:00-24:00",
			"2026-03-29 00:00 +0100", "2026-03-30 00:00 +0200", 23 * time.Hour},
		{"Rome, opening in the skipped hour", "Europe/Rome", "2026-03-29", "02:30-04:00",
			"2026-03-29 03:00 +0200", "2026-03-29 04:00 +0200", time.Hour},
		{"Rome, summer time ends", "Europe/Rome", "2026-10-25", "00:00-24:00",
			"2026-10-25 00:00 +0200", "2026-10-26 00:00 +0100", 25 * time.Hour},
		{"Rome, opening in the repeated hour", "Europe/Rome", "2026-10-25", "02:30-03:30",
			"2026-10-25 02:30 +0200", "2026-10-25 03:30 +0100", 2 * time.Hour},
		{"Rome, ordinary hours on the day", "Europe/Rome", "2026-10-25", "08:30-12:30",
			"2026-10-25 08:30 +0100", "2026-10-25 12:30 +0100", 4 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := inZone(t, tc.zone)
			cfg.Hours = Week{}
			for d := range cfg.Hours {
				cfg.Hours[d] = []Range{mustRange(tc.hours)}
			}
			noon, err := time.ParseInLocation("2006-01-02 15:04", tc.day+" 12:00", cfg.Location)
			if err != nil {
				t.Fatal(err)
			}
			spans := cfg.Spans(cfg.Service("anagrafe"), noon)
			open, close := instant(t, tc.open), instant(t, tc.close)
			if len(spans) != 1 || !spans[0].Open.Equal(open) || !spans[0].Close.Equal(close) {
				t.Fatalf("got %v, want %s to %s", spans, open.In(cfg.Location), close.In(cfg.Location))
			}
			if d := spans[0].Close.Sub(spans[0].Open); d != tc.length {
				t.Fatalf("got a span of %s, want %s", d, tc.length)
			}
		})
	}
}

// A service open around the clock is open at every instant of the days
// around each change, and issues tickets: it used to be refused as closed,
// "reopening on Monday", during the hour before Santiago's skipped midnight.
func TestAnAllDayServiceNeverClosesAcrossDaylightSaving(t *testing.T) {
	for _, tc := range []struct{ zone, from string }{
		{"America/Santiago", "2026-09-05 20:00 -0400"},
		{"America/Santiago", "2026-04-04 20:00 -0300"},
		{"America/Havana", "2026-03-07 20:00 -0500"},
		{"America/Havana", "2026-10-31 20:00 -0400"},
		{"Asia/Beirut", "2026-03-28 20:00 +0200"},
		{"Asia/Beirut", "2026-10-24 20:00 +0300"},
		{"Europe/Rome", "2026-03-28 20:00 +0100"},
		{"Europe/Rome", "2026-10-24 20:00 +0200"},
	} {
		t.Run(tc.zone+" "+tc.from, func(t *testing.T) {
			cfg := inZone(t, tc.zone)
			cfg.Services[0].CutoffBeforeClose = 0
			h := newHarness(t, cfg)
			from := instant(t, tc.from)
			for now := from; now.Before(from.Add(10 * time.Hour)); now = now.Add(10 * time.Minute) {
				h.roll(now)
				st := h.o.ServiceStatus(now, "anagrafe")
				if st.Status != ServiceOpen {
					t.Fatalf("at %s: got %s (%+v), want open", now.In(cfg.Location).Format("2006-01-02 15:04 MST"), st.Status, st.Refusal)
				}
			}
		})
	}
}

// Where a service closes for the night, the reopening it announces is the
// right wall-clock time on the right date, even across a skipped midnight.
func TestReopeningAcrossASkippedMidnight(t *testing.T) {
	cfg := inZone(t, "America/Santiago")
	cfg.Hours = Week{}
	for d := range cfg.Hours {
		cfg.Hours[d] = []Range{mustRange("00:00-02:00"), mustRange("08:00-24:00")}
	}
	s := cfg.Service("anagrafe")
	// Saturday 5 September 2026, 23:30: still open until the clock skips
	// from 24:00 to 01:00; it then is 01:00 on Sunday, inside 00:00-02:00.
	sat := instant(t, "2026-09-05 23:30 -0400")
	if _, open := cfg.spanAt(s, sat); !open {
		t.Fatalf("%s: closed", sat)
	}
	got := cfg.NextOpening(s, instant(t, "2026-09-06 02:30 -0300"))
	if want := instant(t, "2026-09-06 08:00 -0300"); got == nil || !got.Equal(want) {
		t.Fatalf("got %v, want %s", got, want)
	}
	got = cfg.NextOpening(s, instant(t, "2026-09-05 03:00 -0400"))
	if want := instant(t, "2026-09-05 08:00 -0400"); got == nil || !got.Equal(want) {
		t.Fatalf("got %v, want %s", got, want)
	}
}
