// Package backup writes the daily hot backup: once a day, at a set hour of
// the office's zone, a consistent copy of the database (store.Backup, taken
// while the office keeps running) into a directory, one file per day,
// turno-YYYY-MM-DD.db, keeping the newest few.
//
// A backup is written under a temporary name, synced and renamed, so the
// directory never holds half a backup under a backup's name. A day whose
// hour passed while the server was down is backed up when it starts. A
// failure is logged and retried after RetryAfter.
package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Defaults.
const (
	DefaultKeep       = 14
	DefaultAt         = "02:00"
	DefaultRetryAfter = 15 * time.Minute
	// CheckEvery is how often the server asks whether a backup is due.
	CheckEvery = 30 * time.Second
)

// Source writes a consistent copy of the database (package store).
type Source interface {
	Backup(w io.Writer, size func(int64)) (int64, error)
}

// Options configure the daily backup; Dir and Location are required.
type Options struct {
	Dir string
	// Keep is how many daily backups are kept, the newest.
	Keep int
	// At is the time of day, "HH:MM" in Location (the office's zone).
	At       string
	Location *time.Location
	// RetryAfter is how long after a failure the next attempt waits.
	RetryAfter time.Duration
	Now        func() time.Time
	Logger     *slog.Logger
	// Done, if set, is told of every attempt: when, its size, its error.
	Done func(at time.Time, size int64, err error)
}

// Daily is the daily backup.
type Daily struct {
	src          Source
	opt          Options
	hour, minute int
	last         string    // the day of the newest backup in Dir
	retryAt      time.Time // no attempt before, after a failure
}

// name is a backup's file name: its day in the office's zone.
var name = regexp.MustCompile(`^turno-(\d{4}-\d{2}-\d{2})\.db$`)

// partPrefix names the files being written.
const partPrefix = ".turno-backup-"

// ParseAt reads a time of day, HH:MM.
func ParseAt(s string) (hour, minute int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, 0, fmt.Errorf("%q is not a time of day, HH:MM (00:00 to 23:59)", s)
	}
	return t.Hour(), t.Minute(), nil
}

// New prepares the directory (created if missing; leftovers of a backup
// interrupted by a crash are removed) and finds its newest backup.
func New(src Source, opt Options) (*Daily, error) {
	if opt.Dir == "" || opt.Location == nil {
		return nil, errors.New("backup: a directory and a time zone are required")
	}
	if opt.Keep <= 0 {
		opt.Keep = DefaultKeep
	}
	if opt.At == "" {
		opt.At = DefaultAt
	}
	if opt.RetryAfter <= 0 {
		opt.RetryAfter = DefaultRetryAfter
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	d := &Daily{src: src, opt: opt}
	var err error
	if d.hour, d.minute, err = ParseAt(opt.At); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := os.MkdirAll(opt.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	entries, err := os.ReadDir(opt.Dir)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), partPrefix) {
			os.Remove(filepath.Join(opt.Dir, e.Name()))
		}
	}
	if backups := d.list(); len(backups) > 0 {
		d.last = name.FindStringSubmatch(backups[len(backups)-1])[1]
	}
	return d, nil
}

// list returns the backups' file names, oldest first.
func (d *Daily) list() []string {
	entries, err := os.ReadDir(d.opt.Dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && name.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names) // by day: the names sort as their dates
	return names
}

// Newest returns the newest backup's path, when it was written and its
// size; "" when there is none.
func (d *Daily) Newest() (path string, at time.Time, size int64) {
	backups := d.list()
	if len(backups) == 0 {
		return "", time.Time{}, 0
	}
	path = filepath.Join(d.opt.Dir, backups[len(backups)-1])
	info, err := os.Stat(path)
	if err != nil {
		return "", time.Time{}, 0
	}
	return path, info.ModTime(), info.Size()
}

// Due reports whether a backup should be written at now: the day's hour
// has come and the day has none yet (nor failed one a moment ago).
func (d *Daily) Due(now time.Time) bool {
	local := now.In(d.opt.Location)
	// On a day whose hour does not exist (the spring's skipped hour),
	// time.Date gives the hour after: the backup still runs once.
	at := time.Date(local.Year(), local.Month(), local.Day(), d.hour, d.minute, 0, 0, d.opt.Location)
	return !now.Before(at) && local.Format(time.DateOnly) > d.last && !now.Before(d.retryAt)
}

// Run writes a backup whenever one is due, checking at each tick, until ctx
// ends (a backup under way finishes first).
func (d *Daily) Run(ctx context.Context, ticks <-chan time.Time) {
	for {
		if now := d.opt.Now(); d.Due(now) {
			_, _, _ = d.Write(now)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticks:
		}
	}
}

// Write writes the backup of now's day (replacing one of the same day),
// then removes the oldest beyond Keep. Failures are logged.
func (d *Daily) Write(now time.Time) (path string, size int64, err error) {
	day := now.In(d.opt.Location).Format(time.DateOnly)
	path = filepath.Join(d.opt.Dir, "turno-"+day+".db")
	start := time.Now() // a duration, not the office's clock
	size, err = d.write(path)
	if d.opt.Done != nil {
		d.opt.Done(now, size, err)
	}
	if err != nil {
		d.retryAt = now.Add(d.opt.RetryAfter)
		d.opt.Logger.Error("daily backup failed; retrying later", "file", path, "retry_at", d.retryAt, "err", err)
		return "", 0, err
	}
	d.last, d.retryAt = day, time.Time{}
	d.opt.Logger.Info("daily backup written", "file", path, "bytes", size, "duration_ms", time.Since(start).Milliseconds())
	d.prune()
	return path, size, nil
}

func (d *Daily) write(path string) (int64, error) {
	f, err := os.CreateTemp(d.opt.Dir, partPrefix+"*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(f.Name()) // after the rename, nothing is left to remove
	size, err := d.src.Backup(f, nil)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err == nil {
		err = syncDir(d.opt.Dir)
	}
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	return size, nil
}

// prune removes the oldest backups beyond Keep; a failure is only logged.
func (d *Daily) prune() {
	backups := d.list()
	for len(backups) > d.opt.Keep {
		path := filepath.Join(d.opt.Dir, backups[0])
		if err := os.Remove(path); err != nil {
			d.opt.Logger.Warn("cannot remove an old backup", "file", path, "err", err)
		} else {
			d.opt.Logger.Info("old backup removed", "file", path)
		}
		backups = backups[1:]
	}
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
