package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// restoreCmd runs turno-server -restore FILE -data DIR in-process.
func restoreCmd(t *testing.T, from, dataDir string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), []string{"-restore", from, "-data", dataDir}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// The acceptance test of the backups: a server on a real bbolt file takes
// tickets, the daily backup runs at night, the server stops; -restore puts
// that backup into a fresh data directory, and a server started on it has
// every ticket acknowledged before the backup.
func TestTheDailyBackupRestoresIntoAFreshDirectory(t *testing.T) {
	root := t.TempDir()
	dataDir, backups, fresh := filepath.Join(root, "data"), filepath.Join(root, "backups"), filepath.Join(root, "fresh")
	clock := &testClock{t: rome(t, "2026-11-24 09:00")}
	ticks := make(chan time.Time)
	// The backup loop looks at the clock at start and at each tick; it
	// takes a tick only once the previous look (and its backup) is over.
	tick := func() { ticks <- clock.Now(); ticks <- clock.Now() }
	opt := serveOptions{dataDir: dataDir, backupDir: backups, backupKeep: 14, backupAt: "02:00", now: clock.Now, backupTicks: ticks}
	s := startServe(t, demoConfig(t), opt, nil)
	tick()
	if got := backupNames(t, backups); strings.Join(got, " ") != "turno-2026-11-24.db" {
		t.Fatalf("at the first start, the day's backup caught up: got %v", got)
	}

	// Tuesday: tickets issued, some served.
	var before []acked
	for i := range 12 {
		before = append(before, s.issue([]string{"anagrafe", "tributi", "sociali"}[i%3]))
	}
	mario := s.login("mario")
	s.must(mario, "POST", "/api/v1/counters/1/open", map[string]any{"services": []string{"anagrafe"}}, 200, nil)
	s.must(mario, "POST", "/api/v1/counters/1/next", nil, 200, nil)
	s.must(mario, "POST", "/api/v1/counters/1/finish", map[string]string{"outcome": "resolved"}, 200, nil)

	// Wednesday, 02:00 in Rome: the night's backup.
	clock.Set(rome(t, "2026-11-25 01:59"))
	tick()
	if got := backupNames(t, backups); len(got) != 1 {
		t.Fatalf("before 02:00: got %v", got)
	}
	clock.Set(rome(t, "2026-11-25 02:00"))
	tick()
	nightly := filepath.Join(backups, "turno-2026-11-25.db")
	if got := backupNames(t, backups); strings.Join(got, " ") != "turno-2026-11-24.db turno-2026-11-25.db" {
		t.Fatalf("after 02:00: got %v", got)
	}
	// Wednesday morning: tickets after the backup.
	clock.Set(rome(t, "2026-11-25 09:00"))
	var after []acked
	for range 3 {
		after = append(after, s.issue("anagrafe"))
	}

	// A restore while the server runs is refused, and changes nothing.
	code, _, errOut := restoreCmd(t, nightly, dataDir)
	if code != 1 || !strings.Contains(errOut, "running server") || !strings.Contains(errOut, "Nothing was changed") {
		t.Fatalf("restore over a running server: exit %d: %s", code, errOut)
	}
	if got, _ := filepath.Glob(filepath.Join(dataDir, "turno.db.before-restore-*")); len(got) != 0 {
		t.Fatalf("a refused restore set %v aside", got)
	}
	s.must("", "GET", "/api/v1/tickets/"+after[0].ID, nil, 200, nil)
	s.stop()

	// A damaged copy is refused.
	data, err := os.ReadFile(nightly)
	if err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(root, "short.db")
	if err := os.WriteFile(short, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := restoreCmd(t, short, fresh); code != 1 || !strings.Contains(errOut, "damaged") {
		t.Fatalf("a damaged copy: exit %d: %s", code, errOut)
	}

	// Yesterday's tickets, from the night's backup, into a fresh directory.
	code, out, errOut := restoreCmd(t, nightly, fresh)
	if code != 0 {
		t.Fatalf("restore: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "12 tickets, the latest business day 2026-11-24") {
		t.Errorf("restore said: %s", out)
	}
	clock.Set(rome(t, "2026-11-25 09:30"))
	r := startServe(t, demoConfig(t), serveOptions{dataDir: fresh, now: clock.Now}, nil)
	served := 0
	for _, tk := range before {
		var got acked
		r.must("", "GET", "/api/v1/tickets/"+tk.ID, nil, 200, &got)
		if got.Number != tk.Number || got.Day != "2026-11-24" {
			t.Errorf("ticket %s: got %+v", tk.Number, got)
		}
		if got.Status == "done" {
			served++
		}
	}
	if served != 1 {
		t.Errorf("%d tickets served in the restored office, want 1", served)
	}
	// What came after the backup is not in it.
	for _, tk := range after {
		if status, _ := r.do("", "GET", "/api/v1/tickets/"+tk.ID, nil, nil); status != 404 {
			t.Errorf("ticket %s of after the backup: got %d, want 404", tk.Number, status)
		}
	}
	// Restoring over the old directory keeps its database aside.
	r.stop()
	code, out, errOut = restoreCmd(t, nightly, dataDir)
	if code != 0 || !strings.Contains(out, "kept as "+filepath.Join(dataDir, "turno.db.before-restore-")) {
		t.Fatalf("restore over a stopped server's database: exit %d: %s %s", code, out, errOut)
	}
}

func backupNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
