package main

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"turno/server/store"
)

// restoreBackup is turno-server -restore FILE -data DIR: the backup checked
// and put in place of DIR/turno.db (store.Restore), for a server started
// afterwards.
func restoreBackup(from, dataDir string, stdout, stderr io.Writer) int {
	path := filepath.Join(dataDir, "turno.db")
	r, err := store.Restore(from, path, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "server: -restore:", err)
		fmt.Fprintln(stderr, "Nothing was changed.")
		return 1
	}
	day := r.Day
	if day == "" {
		day = "none"
	}
	fmt.Fprintf(stdout, "Restored %s into %s: %d events, %d tickets, the latest business day %s.\n", from, path, r.Events, r.Tickets, day)
	if r.Previous != "" {
		fmt.Fprintf(stdout, "The database that was there is kept as %s.\n", r.Previous)
	}
	fmt.Fprintln(stdout, "Start the server on it. What happened after the backup is not in it: see docs/deploy.md, \"Restoring a backup\".")
	return 0
}
