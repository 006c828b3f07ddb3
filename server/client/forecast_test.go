package client_test

import (
	"context"
	"testing"

	"turno/server/client"
)

// The forecast as the flow view reads it: tomorrow by default, a holiday
// closed with its name, an office without history saying so, and the
// server's refusals carried as codes.
func TestForecast(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	ctx := context.Background()
	anna := o.login("anna")

	fc, err := anna.Forecast(ctx, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if fc.From != "2026-11-25" || fc.To != "2026-11-25" || len(fc.Days) != 1 {
		t.Fatalf("tomorrow: got %s to %s, %d days", fc.From, fc.To, len(fc.Days))
	}
	if d := fc.Days[0]; d.Closed || !d.NoHistory || fc.HistoryDays != 0 || len(d.Hours) == 0 || !fc.Plan {
		t.Fatalf("a day with no history: got %+v (history days %d, plan %v)", d, fc.HistoryDays, fc.Plan)
	}

	fc, err = anna.Forecast(ctx, "2026-12-07", 2)
	if err != nil {
		t.Fatal(err)
	}
	if d := fc.Days[1]; d.Date != "2026-12-08" || !d.Closed || d.Holiday == "" || len(d.Hours) != 0 {
		t.Fatalf("8 December: got %+v", d)
	}
	if d := fc.Days[0]; d.Closed || len(d.Peaks) == 0 {
		t.Fatalf("7 December, IMU's peak: got %+v", d)
	}

	for _, c := range []struct {
		from string
		days int
		code string
	}{
		{"", 100, "invalid"},
		{"2026-13-01", 1, "invalid"},
		{"tomorrow", 1, "invalid"},
	} {
		if _, err := anna.Forecast(ctx, c.from, c.days); !client.IsCode(err, c.code) {
			t.Errorf("from %q days %d: got %v, want %s", c.from, c.days, err, c.code)
		}
	}
	if _, err := o.login("mario").Forecast(ctx, "", 1); !client.IsCode(err, "forbidden") {
		t.Errorf("a clerk: got %v, want forbidden", err)
	}
}
