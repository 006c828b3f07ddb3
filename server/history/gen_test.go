package history

import (
	"path/filepath"
	"testing"

	"turno/server/config"
	"turno/server/history/historytest"
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

// genDays plays days working days of the office from start into the
// store's log (historytest.Generate) and returns the events.
func genDays(t testing.TB, cfg *config.Config, st *store.Store, start string, days, perDay int, seed uint64) []queue.Event {
	t.Helper()
	return historytest.Generate(t, cfg, st, historytest.Options{From: start, Days: days, PerDay: perDay, Seed: seed, Appointments: true})
}
