package printer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var pdf = []byte("%PDF-1.4 a ticket\n%%EOF\n")

func TestFolderSavesOnceAtomically(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tickets") // created on demand
	f := Folder{Dir: dir}
	where, err := f.Print(context.Background(), "ticket-A001-abc.pdf", pdf)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "ticket-A001-abc.pdf"); where != want {
		t.Errorf("got %s, want %s", where, want)
	}
	got, err := os.ReadFile(where)
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("got %q, %v; want the PDF", got, err)
	}
	// The same ticket again leaves the first file alone.
	if _, err := f.Print(context.Background(), "ticket-A001-abc.pdf", []byte("%PDF other")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(where); !bytes.Equal(got, pdf) {
		t.Errorf("the ticket was overwritten: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("got %d files, want 1 (no temporary left)", len(entries))
	}
}

func TestFolderRefusesPaths(t *testing.T) {
	f := Folder{Dir: t.TempDir()}
	for _, name := range []string{"", "../x.pdf", "a/b.pdf", ".hidden.pdf"} {
		if _, err := f.Print(context.Background(), name, pdf); err == nil {
			t.Errorf("%q: got no error", name)
		}
	}
}

// fakeLP puts an lp first in PATH that records its arguments and input,
// and fails when told to.
func fakeLP(t *testing.T, script string) (log string) {
	t.Helper()
	bin := t.TempDir()
	log = filepath.Join(t.TempDir(), "lp.log")
	body := "#!/bin/sh\nLOG=" + log + "\n" + script + "\n"
	if err := os.WriteFile(filepath.Join(bin, "lp"), []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return log
}

func TestLPSendsThePDFToThePrinter(t *testing.T) {
	log := fakeLP(t, `echo "$@" > $LOG; cat >> $LOG; echo "request id is kiosk-7 (1 file(s))"`)
	where, err := LP{Printer: "kiosk", Options: []string{"media=Custom.80x200mm"}}.Print(context.Background(), "ticket-A001.pdf", pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(where, "request id is kiosk-7") {
		t.Errorf("got %q, want lp's request id", where)
	}
	got, _ := os.ReadFile(log)
	want := "-d kiosk -t ticket-A001.pdf -o media=Custom.80x200mm -- -\n" + string(pdf)
	if string(got) != want {
		t.Errorf("lp got\n%q\nwant\n%q", got, want)
	}
}

func TestLPFailureSaysWhy(t *testing.T) {
	fakeLP(t, `echo "lp: The printer or class does not exist." >&2; exit 1`)
	_, err := LP{Printer: "nope"}.Print(context.Background(), "t.pdf", pdf)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("got %v, want lp's message", err)
	}
}

func TestLPTimeout(t *testing.T) {
	fakeLP(t, `exec sleep 10`)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := LP{Printer: "slow"}.Print(ctx, "t.pdf", pdf)
	if err == nil {
		t.Fatal("got no error from a printer that never answers")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s, want the context's deadline", d)
	}
}

func TestFallbackSavesWhatThePrinterRefused(t *testing.T) {
	fakeLP(t, `echo "lp: printer on fire" >&2; exit 1`)
	dir := t.TempDir()
	where, err := Fallback{Primary: LP{Printer: "p"}, Spare: Folder{Dir: dir}}.Print(context.Background(), "ticket-A002-x.pdf", pdf)
	if err == nil || !strings.Contains(err.Error(), "on fire") {
		t.Fatalf("got %v, want the printer's failure", err)
	}
	if where != filepath.Join(dir, "ticket-A002-x.pdf") {
		t.Errorf("got %q, want the saved file", where)
	}
	if got, _ := os.ReadFile(where); !bytes.Equal(got, pdf) {
		t.Errorf("saved %q, want the PDF", got)
	}
}
