package outbox_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"turno/server/outbox"
)

func TestFileAppendsWholeMessages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.log")
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	f := outbox.New(path, func() time.Time { return at })
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f.Send(context.Background(), "maria@example.org", "Codice\ndi verifica", "Comune: il Suo codice è 012345.\n"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "2026-11-24T09:00:00Z to=maria@example.org subject=\"Codice di verifica\"\nComune: il Suo codice è 012345.\n\n"
	if got := string(data); got != strings.Repeat(want, 20) {
		t.Fatalf("got %q, want 20 times %q", got, want)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %v, want 0600: it holds contacts and codes", perm)
	}
}

func TestFileReportsWhatCannotBeWritten(t *testing.T) {
	f := outbox.New(filepath.Join(t.TempDir(), "missing", "outbox.log"), nil)
	if err := f.Send(context.Background(), "a@b.it", "s", "b"); err == nil {
		t.Fatal("got no error for a file in a missing folder")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := outbox.New(filepath.Join(t.TempDir(), "o.log"), nil).Send(ctx, "a@b.it", "s", "b"); err == nil {
		t.Fatal("got no error for a cancelled context")
	}
}
