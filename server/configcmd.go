package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"turno/server/admin"
	"turno/server/config"
	"turno/server/live"
	"turno/server/queue"
	"turno/server/store"
)

// exportConfig is -export-config: the configuration in force printed as
// TOML (the latest stored version, or the file when none is stored yet).
// The database must not be held by a running server: its administration
// console offers the same download.
func exportConfig(file *config.Config, dataDir string, stdout, stderr io.Writer) int {
	db, err := store.Open(filepath.Join(dataDir, "turno.db"))
	if err != nil {
		fmt.Fprintln(stderr, "server: -export-config:", err)
		return 1
	}
	defer db.Close()
	cfg, v, err := admin.InForce(db, file)
	if err != nil {
		fmt.Fprintln(stderr, "server: -export-config:", err)
		return 1
	}
	text, err := config.Encode(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "server: -export-config:", err)
		return 1
	}
	if v == nil {
		fmt.Fprintf(stderr, "No version is stored in %s yet: this is %s.\n", dataDir, file.Source)
	} else {
		fmt.Fprintf(stderr, "Version %d, by %s on %s.\n", v.Version, v.By, v.At.In(cfg.Office.Location).Format("2006-01-02 15:04"))
	}
	if _, err := stdout.Write(text); err != nil {
		fmt.Fprintln(stderr, "server: -export-config:", err)
		return 1
	}
	return 0
}

// importConfig is -import-config FILE: the file recorded as the next
// version, as if made in the console (every validation, and the rules that
// protect the day in progress; -force accepts a change of the opening
// range in progress). The server must be stopped.
func importConfig(ctx context.Context, file *config.Config, path, dataDir, reason string, force bool, now func() time.Time, logger *slog.Logger, stdout, stderr io.Writer) int {
	next, err := config.Load(path)
	if err != nil {
		fmt.Fprintln(stderr, "server: -import-config:", err)
		return 1
	}
	db, err := store.Open(filepath.Join(dataDir, "turno.db"))
	if err != nil {
		fmt.Fprintln(stderr, "server: -import-config:", err)
		return 1
	}
	defer db.Close()
	cur, _, err := admin.InForce(db, file)
	if err != nil {
		fmt.Fprintln(stderr, "server: -import-config:", err)
		return 1
	}
	office, err := live.Open(&cur.Office, db, live.Options{Now: now, Logger: logger})
	if err != nil {
		fmt.Fprintln(stderr, "server: -import-config:", err)
		return 1
	}
	defer office.Close()
	adm := admin.New(office, config.NewCurrent(cur), nil)
	if err := adm.Record(ctx, "turno-server", firstReason(file)); err != nil {
		fmt.Fprintln(stderr, "server: -import-config:", err)
		return 1
	}
	if reason == "" {
		reason = "imported from file " + path
	}
	in, err := adm.Apply(ctx, next, admin.Request{By: "turno-server -import-config", Reason: reason, Force: force})
	var refusal *queue.ConfigRefusal
	switch {
	case errors.Is(err, admin.ErrNoChange):
		fmt.Fprintf(stdout, "%s is the configuration in force already (version %d): nothing recorded.\n", path, adm.Current().Version)
		return 0
	case errors.As(err, &refusal):
		fmt.Fprintln(stderr, "server: -import-config: the day in progress does not allow it:")
		for _, p := range refusal.Problems {
			fmt.Fprintf(stderr, "  %s: %s\n", p.Field, p.Message)
		}
		if refusal.Forcible() {
			fmt.Fprintln(stderr, "Give -force to apply it all the same.")
		}
		fmt.Fprintln(stderr, "Nothing was changed.")
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "server: -import-config: %s: %v\nNothing was changed.\n", path, err)
		return 1
	}
	fmt.Fprintf(stdout, "Recorded %s as version %d; the server puts it in force when it starts.\n", path, in.Version)
	return 0
}

// firstReason says where version 1 came from.
func firstReason(file *config.Config) string {
	if file.Demo {
		return "the embedded demo office, at the first start"
	}
	return "the configuration file " + file.Source + ", at the first start"
}
