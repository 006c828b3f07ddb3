package history

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/history/historytest"
	"turno/server/queue"
	"turno/server/store"
)

// yearOffice is a year of a busy office in a real bbolt file: the demo
// office with its six counters staffed all day and clerks reported by
// name (the largest days), one week of some 300 tickets a day played
// through the engine, folded, and its five days stored again for every
// week of the year (only the dates differ), so that the file holds 260
// days of figures as large as real ones.
func yearOffice(b *testing.B) (*Reports, int) {
	b.Helper()
	cfg, err := config.Demo()
	if err != nil {
		b.Fatal(err)
	}
	cfg.ReportsPerClerk = true
	// A busy office: open 08:30-12:30 and 14:00-17:00 every weekday, every
	// service all day, every counter staffed.
	o := &cfg.Office
	o.Staffing = queue.Staffing{}
	for d := time.Monday; d <= time.Friday; d++ {
		o.Hours[d] = []queue.Range{{From: 8*60 + 30, To: 12*60 + 30}, {From: 14 * 60, To: 17 * 60}}
	}
	for i := range o.Services {
		o.Services[i].Hours = nil
		o.Services[i].ServiceTime = min(o.Services[i].ServiceTime, 8*time.Minute)
	}
	st, err := store.Open(filepath.Join(b.TempDir(), "turno.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	log := historytest.Generate(b, cfg, st, historytest.Options{From: "2025-03-03", Days: 5, PerDay: 400, Seed: 9, Appointments: true})
	issued := 0
	for _, ev := range log {
		if ev.Type == queue.EventTicketIssued {
			issued++
		}
	}
	var week []Day
	for _, day := range []string{"2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"} {
		week = append(week, Fold(&cfg.Office, day, dayEvents(log, day), FoldOptions{PerClerk: true}))
	}
	start, _ := time.Parse(queue.DayLayout, "2025-01-06") // a Monday
	size := 0
	for w := 0; w < 52; w++ {
		for i, d := range week {
			d.Day = start.AddDate(0, 0, 7*w+i).Format(queue.DayLayout)
			data, err := encode(&d)
			if err != nil {
				b.Fatal(err)
			}
			size += len(data)
			if err := st.PutDayStats(d.Day, data); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Logf("a busy week: %d tickets issued in 5 days; 260 stored days, %d KB, %d bytes a day", issued, size/1024, size/260)
	now := time.Date(2026, 1, 2, 9, 0, 0, 0, cfg.Office.Location)
	return NewReports(cfg, st, func() time.Time { return now }), size / 260
}

// BenchmarkReportYear: any report over a year of a busy office, from the
// stored days.
func BenchmarkReportYear(b *testing.B) {
	r, perDay := yearOffice(b)
	ctx := context.Background()
	for _, q := range []Query{
		{Group: GroupDay, By: DimOffice},
		{Group: GroupWeek, By: DimService},
		{Group: GroupMonth, By: DimCounter},
		{Group: GroupWeekday, By: DimClerk},
		{Group: GroupHour, By: DimService},
		{Group: GroupDay, By: DimClerk},
	} {
		q.From, q.To = "2025-01-06", "2026-01-02"
		b.Run(q.Group+"-"+q.By, func(b *testing.B) {
			for b.Loop() {
				rep, err := r.Report(ctx, q)
				if err != nil || rep.Days < 260 {
					b.Fatalf("%v, %d days", err, rep.Days)
				}
			}
			b.ReportMetric(float64(perDay), "stored-B/day") // after the loop, which resets metrics
		})
	}
	b.Run("csv-day-service", func(b *testing.B) {
		for b.Loop() {
			rep, err := r.Report(ctx, Query{From: "2025-01-06", To: "2026-01-02", Group: GroupDay, By: DimService})
			if err != nil {
				b.Fatal(err)
			}
			if err := WriteCSV(io.Discard, rep, CSVOptions{DecimalComma: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("overview-and-forecast", func(b *testing.B) { // the PDF's and the back office's figures
		for b.Loop() {
			if _, err := r.Overview(ctx, "2025-01-06", "2026-01-02", 14); err != nil {
				b.Fatal(err)
			}
		}
	})
}
