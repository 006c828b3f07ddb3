package history

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/queue"
	"turno/server/store"
)

// openStore opens a real bbolt file in the test's directory.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "turno.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// genDays plays days working days of the office from start through
// queue.Office.Run, minute by minute, with citizens arriving at random
// (seeded), two clerks calling, serving, forwarding, transferring and
// marking no-shows, citizens rating, the floor assistant logging contacts,
// and appends each day's events to the store's log as the server does. It
// ends with the rollover of the day after the last, so every day played is
// closed. perDay is the mean number of arrivals a day.
func genDays(t testing.TB, cfg *config.Config, st *store.Store, o *office, start string, days, perDay int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	date, _ := time.ParseInLocation(queue.DayLayout, start, rome)
	appended := 0
	flush := func() {
		if err := st.Append(o.log[appended:]); err != nil {
			t.Fatal(err)
		}
		appended = len(o.log)
	}
	type desk struct {
		id, clerk string
		until     time.Time // the current citizen's end
		busy      bool
	}
	services := []string{"anagrafe", "tributi"}
	for played := 0; played < days; date = date.AddDate(0, 0, 1) {
		noon := date.Add(12 * time.Hour)
		spans := cfg.Office.Spans(cfg.Office.Service("anagrafe"), noon)
		if len(spans) == 0 {
			continue
		}
		played++
		open, closeAt := spans[0].Open, spans[len(spans)-1].Close
		desks := []*desk{{id: "1", clerk: "mario"}, {id: "2", clerk: "giulia"}}
		for _, d := range desks {
			o.open(open, d.id, d.clerk)
		}
		rate := float64(perDay) / closeAt.Sub(open).Minutes() // arrivals a minute
		for now := open; now.Before(closeAt.Add(45 * time.Minute)); now = now.Add(time.Minute) {
			if now.Before(closeAt) && rng.Float64() < rate {
				svc := services[rng.IntN(2)]
				err := o.run(now.Add(time.Duration(rng.IntN(50))*time.Second), func(now time.Time, s *queue.Office) ([]queue.Event, error) {
					evs, _, err := s.Issue(now, queue.IssueRequest{Service: svc, Priority: rng.IntN(20) == 0}, queue.Actor{Name: "kiosk-1"})
					return evs, err
				})
				var r *queue.Refusal
				if err != nil && !errors.As(err, &r) {
					t.Fatal(err)
				}
			}
			if rng.IntN(60) == 0 {
				o.must(now, func(now time.Time, s *queue.Office) ([]queue.Event, error) {
					return s.LogContact(now, services[rng.IntN(2)], "informazioni", queue.Actor{Name: "anna", Supervisor: true})
				})
			}
			for _, d := range desks {
				if d.busy && !now.Before(d.until) {
					d.busy = false
					switch x := rng.IntN(20); {
					case x == 0:
						o.ticket(now, func(now time.Time, s *queue.Office) ([]queue.Event, *queue.Ticket, error) {
							return s.NoShow(now, d.id, queue.Actor{Name: d.clerk})
						})
					case x == 1:
						o.ticket(now, func(now time.Time, s *queue.Office) ([]queue.Event, *queue.Ticket, error) {
							cur := s.Ticket(s.Counter(d.id).Current)
							to := "anagrafe"
							if cur.Service == to {
								to = "tributi"
							}
							return s.Transfer(now, d.id, to, false, queue.Actor{Name: d.clerk})
						})
					default:
						outcome := queue.OutcomeResolved
						if x < 5 {
							outcome = queue.OutcomeForwarded
						}
						done := o.finish(now, d.id, d.clerk, outcome)
						if rng.IntN(3) == 0 {
							o.rate(now.Add(30*time.Second), done.ID, 1+rng.IntN(5))
						}
					}
				}
				if !d.busy {
					err := o.run(now.Add(10*time.Second), func(now time.Time, s *queue.Office) ([]queue.Event, error) {
						evs, _, err := s.Next(now, d.id, queue.Actor{Name: d.clerk})
						return evs, err
					})
					switch {
					case err == nil:
						d.busy, d.until = true, now.Add(time.Duration(3+rng.IntN(13))*time.Minute)
					case !errors.Is(err, queue.ErrQueueEmpty):
						t.Fatal(err)
					}
				}
			}
		}
		for _, d := range desks { // the day ends: close the counters
			o.must(closeAt.Add(50*time.Minute), func(now time.Time, s *queue.Office) ([]queue.Event, error) {
				return s.Close(now, d.id, true, queue.Actor{Name: "anna", Supervisor: true})
			})
		}
		flush()
	}
	o.must(time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 30, 0, rome), nil) // the next day closes the last
	flush()
}
