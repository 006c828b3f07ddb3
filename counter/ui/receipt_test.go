package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"turno/server/officetest"
)

// registered brings a fast-track console to a registered document, with
// receipts saved in dir and printed on printer; it returns the console.
func registered(t *testing.T, d *desk, dir, printer string) *console {
	t.Helper()
	d.issue("documenti", false)
	f := d.console(Options{ReceiptDir: dir, Printer: printer})
	f.logIn("luca", "6")
	f.openWith("documenti")
	f.key(keyNext)
	f.calledNumber()
	f.key(keyRegister)
	f.waitFor("the dialog", f.dialogOpen)
	f.typeIn(f.dlg.register.document, "Istanza cambio di residenza")
	f.key(fyne.KeyReturn)
	f.waitFor("the protocol number", func() bool { return !f.busy && f.desk.protocol.Visible() })
	return f
}

// fakeLP puts an lp on a PATH of its own: the script given, run by /bin/sh.
func fakeLP(t *testing.T, script string) string {
	t.Helper()
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "lp"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// savedReceipt checks that the message names the saved file and that the
// file is the server's PDF.
func savedReceipt(t *testing.T, f *console, dir, wantWords string) {
	t.Helper()
	path := filepath.Join(dir, "ricevuta-protocollo-2026-000001.pdf")
	f.waitFor("the receipt saved, in words", func() bool {
		return strings.Contains(f.message(), wantWords) && strings.Contains(f.message(), path)
	})
	pdf, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the receipt is not where the message says: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("%s is not a PDF: %q…", path, pdf[:min(len(pdf), 16)])
	}
	f.d.do(func() {
		if f.desk.print.Disabled() || f.desk.save.Disabled() {
			t.Error("Print and Save stay disabled after the receipt was saved")
		}
	})
}

// With no lp on the computer, printing saves the receipt and says where, in
// English and in Italian; never exec's "executable file not found".
func TestPrintWithoutLPSaves(t *testing.T) {
	for _, tc := range []struct{ lang, words string }{
		{"en", "This computer has no printer set up, so receipt 2026/000001 was saved as"},
		{"it", "Su questo computer non è configurata alcuna stampante: la ricevuta 2026/000001 è stata salvata in"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			useLanguage(t, tc.lang)
			d := newDesk(t, officetest.Tuesday("09:00"))
			t.Setenv("PATH", t.TempDir()) // no lp anywhere
			dir := filepath.Join(t.TempDir(), "receipts")
			f := registered(t, d, dir, "")
			f.key(keyPrint)
			savedReceipt(t, f, dir, tc.words)
			if m := f.message(); strings.Contains(m, "exec") || strings.Contains(m, "executable") {
				t.Fatalf("the message speaks like a program: %q", m)
			}
		})
	}
}

// An lp that refuses the job (no such printer) saves the receipt too.
func TestPrintWithFailingLPSaves(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	t.Setenv("PATH", fakeLP(t, `echo "lp: The printer or class does not exist." >&2
exit 1
`))
	dir := t.TempDir()
	f := registered(t, d, dir, "banco-3")
	f.key(keyPrint)
	savedReceipt(t, f, dir, "The printer did not take receipt 2026/000001, so it was saved as")
}

// An lp that works gets the PDF on its input, for the configured printer,
// and nothing is saved.
func TestPrintSendsToLP(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	out := t.TempDir()
	t.Setenv("PATH", fakeLP(t, `echo "$@" > `+out+`/args
/bin/cat > `+out+`/job.pdf
`))
	dir := t.TempDir()
	f := registered(t, d, dir, "banco-3")
	f.key(keyPrint)
	f.waitFor("printed", func() bool { return f.message() == "Receipt 2026/000001 sent to the printer." })
	job, err := os.ReadFile(filepath.Join(out, "job.pdf"))
	if err != nil || !bytes.HasPrefix(job, []byte("%PDF")) {
		t.Fatalf("lp got no PDF: %v %q", err, job[:min(len(job), 16)])
	}
	args, _ := os.ReadFile(filepath.Join(out, "args"))
	if got := strings.TrimSpace(string(args)); got != "-t Ricevuta 2026/000001 -d banco-3" {
		t.Fatalf("lp's arguments: got %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a printed receipt was also saved: %v", entries)
	}
}

// When the receipt can be neither printed nor saved, the clerk is told,
// and can try again.
func TestReceiptNeitherPrintedNorSaved(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	t.Setenv("PATH", t.TempDir())
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f := registered(t, d, filepath.Join(file, "receipts"), "") // a folder inside a file: cannot be made
	f.key(keyPrint)
	f.waitFor("the failure in words", func() bool { return strings.HasPrefix(f.message(), "The receipt could not be printed, nor saved in") })
	f.d.do(func() {
		if f.desk.print.Disabled() {
			t.Error("Print stays disabled: the clerk cannot try again")
		}
	})
}
