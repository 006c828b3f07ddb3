package live_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/live"
	"turno/server/queue"
	"turno/server/store"
)

// benchHistory builds a database with history tickets over past days and
// today tickets today, each issued, called and finished: the office of a
// large town after a few years. It returns the file's path.
func benchHistory(b *testing.B, cfg *config.Config, history, today int, now time.Time) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "turno.db")
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const perDay = 20000
	var seq uint64
	var batch []queue.Event
	flush := func() {
		if err := db.Append(batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	add := func(ev queue.Event) {
		seq++
		ev.Seq = seq
		batch = append(batch, ev)
		if len(batch) == 5000 {
			flush()
		}
	}
	services := cfg.Office.Services[:3] // the standard lane
	day := func(date time.Time, n int) {
		d := cfg.Office.Day(date)
		add(queue.Event{Type: queue.EventDayRollover, At: date, Day: d})
		for i := 0; i < n; i++ {
			svc := services[i%len(services)]
			num := i/len(services) + 1
			at := date.Add(time.Duration(i) * time.Second)
			t := &queue.Ticket{ID: fmt.Sprintf("%s%024d", d[:4]+d[5:7]+d[8:], i), Number: svc.Prefix + strconv.Itoa(num%1000),
				Seq: num, Service: svc.ID, Day: d, Status: queue.StatusWaiting, Channel: "kiosk-1", IssuedAt: at, QueuedAt: at}
			add(queue.Event{Type: queue.EventTicketIssued, At: at, Day: d, Actor: "kiosk-1", Ticket: t})
			called := *t
			called.Status, called.CalledAt, called.Counter, called.Clerk, called.Calls = queue.StatusCalled, &at, "1", "mario", 1
			add(queue.Event{Type: queue.EventTicketCalled, At: at, Day: d, Actor: "mario", Ticket: &called})
			done := called
			done.Status, done.FinishedAt, done.Outcome = queue.StatusDone, &at, queue.OutcomeResolved
			add(queue.Event{Type: queue.EventTicketFinished, At: at, Day: d, Actor: "mario", Ticket: &done})
		}
	}
	days := history / perDay
	for i := days; i > 0; i-- {
		day(now.AddDate(0, 0, -i), perDay)
	}
	// The past days' ids indexed, as the server's housekeeping does once a
	// day is over: start-up then learns only today's.
	flush()
	if _, err := db.IndexTickets(cfg.Office.Day(now)); err != nil {
		b.Fatal(err)
	}
	day(now, today)
	flush()
	return path
}

// BenchmarkRestart measures the time from opening the database to a ready
// office, with a million historical tickets and 20,000 today (set
// TURNO_BENCH_HISTORY to change the history).
func BenchmarkRestart(b *testing.B) {
	cfg, err := config.Demo()
	if err != nil {
		b.Fatal(err)
	}
	history := 1000000
	if v, err := strconv.Atoi(os.Getenv("TURNO_BENCH_HISTORY")); err == nil {
		history = v
	}
	now := time.Date(2026, 11, 24, 11, 0, 0, 0, cfg.Office.Location)
	path := benchHistory(b, cfg, history, 20000, now)
	if fi, err := os.Stat(path); err == nil {
		b.Logf("database: %d MB, %d historical tickets + 20000 today", fi.Size()>>20, history)
	}
	// The fixture is built once, in the parent; only the sub-benchmark loops.
	b.Run(fmt.Sprintf("history=%d/today=20000", history), func(b *testing.B) {
		runtime.GC()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			db, err := store.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			o, err := live.Open(&cfg.Office, db, live.Options{Now: func() time.Time { return now }})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			o.Close()
			db.Close()
			b.StartTimer()
		}
	})
}
