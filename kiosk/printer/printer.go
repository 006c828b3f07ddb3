// Package printer puts a kiosk's tickets on paper through the system's
// print spooler (CUPS's lp), or, on a kiosk without a printer, into a
// folder.
package printer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// LP prints through CUPS: lp -d Printer. The PDF goes on lp's standard
// input, so that nothing is left behind in a temporary file, and CUPS
// converts it for the printer (a thermal printer's driver included).
type LP struct {
	Printer string
	// Command replaces "lp" (tests put a fake one first in PATH instead).
	Command string
	// Options are extra "-o" options, e.g. "media=Custom.80x200mm".
	Options []string
}

// Print sends pdf to the printer; name is the job's title. It returns the
// job as lp tells it ("request id is kiosk-42 (1 file(s))").
func (p LP) Print(ctx context.Context, name string, pdf []byte) (string, error) {
	if p.Printer == "" {
		return "", errors.New("printer: no printer name")
	}
	if len(pdf) == 0 {
		return "", errors.New("printer: empty document")
	}
	cmd := p.Command
	if cmd == "" {
		cmd = "lp"
	}
	args := []string{"-d", p.Printer, "-t", name}
	for _, o := range p.Options {
		args = append(args, "-o", o)
	}
	args = append(args, "--", "-") // "-": the document is on standard input
	c := exec.CommandContext(ctx, cmd, args...)
	c.Stdin = bytes.NewReader(pdf)
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut
	// A filter that lp leaves behind must not hold the kiosk past the deadline.
	c.WaitDelay = 2 * time.Second
	if err := c.Run(); err != nil {
		msg := strings.TrimSpace(errOut.String())
		if ctx.Err() != nil {
			return "", fmt.Errorf("printer %s: %w (%s)", p.Printer, ctx.Err(), msg)
		}
		if msg != "" {
			return "", fmt.Errorf("printer %s: %s: %w", p.Printer, msg, err)
		}
		return "", fmt.Errorf("printer %s: %w", p.Printer, err)
	}
	return p.Printer + ": " + strings.TrimSpace(out.String()), nil
}

// Folder saves each ticket as a file in Dir, created if missing. A file
// that already exists is kept: the same ticket is never written twice.
type Folder struct{ Dir string }

// Print writes pdf to Dir/name, atomically (a half-written ticket never
// shows up under its name).
func (f Folder) Print(_ context.Context, name string, pdf []byte) (string, error) {
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("printer: bad file name %q", name)
	}
	if err := os.MkdirAll(f.Dir, 0o755); err != nil {
		return "", fmt.Errorf("printer: ticket folder: %w", err)
	}
	path := filepath.Join(f.Dir, name)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp, err := os.CreateTemp(f.Dir, ".ticket-*.pdf")
	if err != nil {
		return "", fmt.Errorf("printer: ticket folder: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up a failure
	if _, err := tmp.Write(pdf); err != nil {
		tmp.Close()
		return "", fmt.Errorf("printer: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("printer: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("printer: write %s: %w", path, err)
	}
	return path, nil
}

// Fallback prints with Primary and, when it fails, saves the ticket with
// Spare, so that staff can reprint it from the folder. The error of the
// primary is returned all the same: the printer needs someone.
type Fallback struct {
	Primary interface {
		Print(ctx context.Context, name string, pdf []byte) (string, error)
	}
	Spare Folder
}

// Print prints, or saves and reports the printer's failure.
func (f Fallback) Print(ctx context.Context, name string, pdf []byte) (string, error) {
	where, err := f.Primary.Print(ctx, name, pdf)
	if err == nil {
		return where, nil
	}
	saved, serr := f.Spare.Print(context.WithoutCancel(ctx), name, pdf)
	if serr != nil {
		return "", errors.Join(err, serr)
	}
	return saved, fmt.Errorf("%w (saved to %s)", err, saved)
}
