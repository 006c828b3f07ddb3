package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"turno/server/queue"
	"turno/server/store"
)

// writeDatabase writes a real database through the store: a business day
// of hall messages, long enough to fill many pages.
func writeDatabase(t *testing.T, path string) {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := time.Now().Format(queue.DayLayout)
	at := time.Now().Add(-time.Hour)
	events := []queue.Event{{Seq: 1, Type: queue.EventDayRollover, At: at, Day: day}}
	for seq := uint64(2); seq <= 3000; seq++ {
		events = append(events, queue.Event{Seq: seq, Type: queue.EventHallMessage, At: at, Day: day,
			Message: fmt.Sprintf("Avviso %d: lo sportello 2 apre alle 10:00. %s", seq, strings.Repeat("·", 120))})
	}
	for len(events) > 0 {
		n := min(100, len(events))
		if err := db.Append(events[:n]); err != nil {
			t.Fatal(err)
		}
		events = events[n:]
	}
}

// usedPage returns a leaf page of the database near the middle of the file:
// damage there is damage to data the server reads.
func usedPage(t *testing.T, path string) (id, size int) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		size = tx.DB().Info().PageSize
		pages := int(tx.Size()) / size
		for i := pages / 2; i < pages; i++ {
			info, err := tx.Page(i)
			if err != nil {
				return err
			}
			if info != nil && info.Type == "leaf" {
				id = i
				return nil
			}
		}
		return fmt.Errorf("no leaf page after page %d of %d", pages/2, pages)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, size
}

// A damaged turno.db used to crash the server at start with SIGSEGV and a
// goroutine dump (in store.EventsSince). It must stop with a message that
// names the file, says it is damaged and how to put the backup back.
func TestADamagedDatabaseIsRefusedWithAClearMessage(t *testing.T) {
	damage := []struct {
		name string
		do   func(t *testing.T, path string)
	}{
		{"truncated to half its size", func(t *testing.T, path string) {
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, info.Size()/2); err != nil {
				t.Fatal(err)
			}
		}},
		{"a page zeroed", func(t *testing.T, path string) {
			id, size := usedPage(t, path)
			overwrite(t, path, int64(id*size), make([]byte, size))
		}},
		{"a page of random bytes", func(t *testing.T, path string) {
			id, size := usedPage(t, path)
			junk := make([]byte, size)
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range junk {
				junk[i] = byte(rng.Uint32())
			}
			overwrite(t, path, int64(id*size), junk)
		}},
		{"both meta pages zeroed", func(t *testing.T, path string) {
			overwrite(t, path, 0, make([]byte, 2*os.Getpagesize()))
		}},
		{"not a database at all", func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("turno "), 10000), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range damage {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "turno.db")
			writeDatabase(t, path)
			tc.do(t, path)
			code, out := runChild(t, dir)
			if code != 1 {
				t.Fatalf("exit status %d, want 1; output:\n%s", code, out)
			}
			for _, bad := range []string{"panic", "goroutine ", "SIGSEGV", "SIGBUS", "fatal error"} {
				if strings.Contains(out, bad) {
					t.Fatalf("the server crashed (%q) instead of refusing the file:\n%s", bad, out)
				}
			}
			for _, want := range []string{path, "damaged", "backup", "turno.db"} {
				if !strings.Contains(out, want) {
					t.Fatalf("the message does not say %q:\n%s", want, out)
				}
			}
		})
	}
	t.Run("the same file undamaged starts", func(t *testing.T) {
		dir := t.TempDir()
		writeDatabase(t, filepath.Join(dir, "turno.db"))
		c := startChild(t, dir, "")
		c.stop(t)
	})
}

func overwrite(t *testing.T, path string, at int64, data []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(data, at); err != nil {
		t.Fatal(err)
	}
}

// runChild runs the real server (run, in a child process) on the data
// directory with the demo office, and returns its exit status and output.
// A server that starts listening accepted the file: the test fails.
func runChild(t *testing.T, dataDir string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-addr", "127.0.0.1:0", "-data", dataDir)
	cmd.Env = append(os.Environ(), "TURNO_TEST_CHILD=1")
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-exited:
			return cmd.ProcessState.ExitCode(), out.String()
		case <-tick.C:
			if strings.Contains(out.String(), "Listening on") {
				_ = cmd.Process.Kill()
				<-exited
				t.Fatalf("the server started on a damaged file:\n%s", out.String())
			}
		}
	}
}

// lockedBuffer collects a child's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
