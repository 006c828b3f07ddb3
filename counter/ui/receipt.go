package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"turno/server/queue"
)

// A protocol receipt is the citizen's proof of delivery: it is never lost.
// Print sends it to CUPS with lp; with no lp on the computer, or lp
// refusing it (no printer, printer unknown), the receipt is saved to the
// receipts folder instead and the clerk is told where, in words.

// receiptDone is what became of a receipt, for the clerk.
type receiptDone struct {
	msg  string
	warn bool // printed nothing: the clerk has something left to do
}

// receipt fetches the current ticket's receipt and hands it to use. Print
// and Save stay disabled until it is done, so a double click prints one
// receipt, not two.
func (c *Console) receipt(use func(ctx context.Context, t queue.Ticket, pdf []byte) (receiptDone, error)) {
	cur := c.current()
	if cur == nil || cur.Protocol == "" || c.opt.Receipts == nil || c.printing {
		return
	}
	t := cur.Ticket
	var done receiptDone
	c.printing = true
	c.renderDesk()
	c.run(func(ctx context.Context) error {
		pdf, err := c.opt.Receipts.ReceiptPDF(ctx, t.ID)
		if err != nil {
			return fmt.Errorf("receipt of %s: %w", t.Number, err)
		}
		done, err = use(ctx, t, pdf)
		return err
	}, func(err error) {
		c.printing = false
		c.renderDesk()
		if err != nil {
			var se *saveError
			if errors.As(err, &se) {
				c.say(se.words(), true)
				return
			}
			msg, _ := explain(err)
			c.say(msg, true)
			return
		}
		c.sayLevel(done.msg, done.warn)
	})
}

// doPrint prints the receipt (F10), or saves it when it cannot.
func (c *Console) doPrint() {
	c.receipt(func(ctx context.Context, t queue.Ticket, pdf []byte) (receiptDone, error) {
		err := c.lp(ctx, t, pdf)
		if err == nil {
			return receiptDone{msg: tr("Receipt {{.P}} sent to the printer.", "P", t.Protocol)}, nil
		}
		if ctx.Err() != nil {
			return receiptDone{}, ctx.Err()
		}
		c.log.Warn("receipt not printed: saved instead", "protocol", t.Protocol, "err", err)
		path, serr := c.saveReceipt(t, pdf)
		if serr != nil {
			serr.notPrinted = true
			return receiptDone{}, serr
		}
		if errors.Is(err, exec.ErrNotFound) {
			return receiptDone{warn: true, msg: tr("This computer has no printer set up, so receipt {{.P}} was saved as {{.Path}}. Print it from there, or give it to the citizen another way.",
				"P", t.Protocol, "Path", path)}, nil
		}
		return receiptDone{warn: true, msg: tr("The printer did not take receipt {{.P}}, so it was saved as {{.Path}}. Print it from there once the printer works.",
			"P", t.Protocol, "Path", path)}, nil
	})
}

// doSave saves the receipt to the receipts folder (F11).
func (c *Console) doSave() {
	c.receipt(func(_ context.Context, t queue.Ticket, pdf []byte) (receiptDone, error) {
		path, serr := c.saveReceipt(t, pdf)
		if serr != nil {
			return receiptDone{}, serr
		}
		return receiptDone{msg: tr("Receipt {{.P}} saved as {{.Path}}.", "P", t.Protocol, "Path", path)}, nil
	})
}

// lp sends a PDF to CUPS: the configured printer, or the default one.
func (c *Console) lp(ctx context.Context, t queue.Ticket, pdf []byte) error {
	args := []string{"-t", "Ricevuta " + t.Protocol}
	if c.opt.Printer != "" {
		args = append(args, "-d", c.opt.Printer)
	}
	cmd := exec.CommandContext(ctx, "lp", args...)
	cmd.Stdin = bytes.NewReader(pdf)
	if out, err := cmd.CombinedOutput(); err != nil {
		if msg := strings.TrimSpace(string(out)); msg != "" {
			return fmt.Errorf("lp: %s: %w", msg, err)
		}
		return fmt.Errorf("lp: %w", err)
	}
	return nil
}

// saveError is a receipt that could not be saved.
type saveError struct {
	dir        string
	err        error
	notPrinted bool // nor printed
}

func (e *saveError) Error() string { return "save the receipt in " + e.dir + ": " + e.err.Error() }
func (e *saveError) Unwrap() error { return e.err }

func (e *saveError) words() string {
	if e.notPrinted {
		return tr("The receipt could not be printed, nor saved in {{.Dir}} ({{.Err}}). Check the printer and the receipts folder (-receipts), then try again.",
			"Dir", e.dir, "Err", e.err.Error())
	}
	return tr("The receipt could not be saved in {{.Dir}} ({{.Err}}). Check the receipts folder (-receipts), then try again.",
		"Dir", e.dir, "Err", e.err.Error())
}

// saveReceipt writes the receipt to the receipts folder and returns its
// path.
func (c *Console) saveReceipt(t queue.Ticket, pdf []byte) (string, *saveError) {
	dir := c.opt.ReceiptDir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", &saveError{dir: dir, err: err}
	}
	path := c.receiptPath(&t)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		return "", &saveError{dir: dir, err: err}
	}
	return path, nil
}

// receiptPath is where a receipt is saved: one file per protocol number.
func (c *Console) receiptPath(t *queue.Ticket) string {
	name := "ricevuta-" + sanitize(t.Number) + ".pdf"
	if t.Protocol != "" {
		name = "ricevuta-protocollo-" + sanitize(t.Protocol) + ".pdf"
	}
	return filepath.Join(c.opt.ReceiptDir, name)
}

func sanitize(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '-') {
			b[i] = '-'
		}
	}
	return string(b)
}
