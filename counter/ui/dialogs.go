package ui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// The dialogs are overlays built from our own widgets, so that tests reach
// their fields and buttons like any other, and Escape or Cancel leaves
// everything as it was.

type forwardDialog struct {
	caseRef *widget.Entry
	note    *widget.Entry
	confirm *widget.Button
	msg     *widget.Label
}

type transferDialog struct {
	service *widget.Select
	ids     []string
	toBack  *widget.Check
	confirm *widget.Button
}

type registerDialog struct {
	document *widget.Entry
	confirm  *widget.Button
	msg      *widget.Label
}

// dialogs holds the widgets of the open dialog, for the tests.
type dialogs struct {
	forward  forwardDialog
	transfer transferDialog
	register registerDialog
	cancel   *widget.Button
}

// showModal shows content over the window with a title, a confirm button
// and a cancel button.
func (c *Console) showModal(title string, content fyne.CanvasObject, confirm *widget.Button, focus fyne.Focusable) {
	c.hideModal()
	cancel := widget.NewButtonWithIcon(tr("Cancel"), theme.CancelIcon(), c.hideModal)
	c.dlg.cancel = cancel
	confirm.Importance = widget.HighImportance
	box := container.NewBorder(
		widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(confirm, cancel), nil, nil, content)
	pop := widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(520, 320), container.NewPadded(box)), c.w.Canvas())
	c.modal = pop
	pop.Show()
	if focus != nil {
		c.w.Canvas().Focus(focus)
	}
}

// hideModal closes the open dialog, if any.
func (c *Console) hideModal() {
	if p, ok := c.modal.(*widget.PopUp); ok {
		p.Hide()
	}
	c.modal = nil
}

// escape closes dialogs with the Escape key.
func (c *Console) escape(ev *fyne.KeyEvent) bool {
	if ev.Name == fyne.KeyEscape && c.modal != nil {
		c.hideModal()
		return true
	}
	return false
}

func (c *Console) showForward() {
	if c.desk.forward.Disabled() {
		return
	}
	f := &c.dlg.forward
	f.caseRef = widget.NewEntry()
	f.caseRef.SetPlaceHolder("ANA-2026-118")
	f.note = widget.NewMultiLineEntry()
	f.note.SetPlaceHolder(tr("What the back office needs to know"))
	f.note.Wrapping = fyne.TextWrapWord
	f.msg = newMessage()
	f.confirm = widget.NewButtonWithIcon(tr("Forward"), theme.MailForwardIcon(), func() {
		ref := strings.TrimSpace(f.caseRef.Text)
		if ref == "" {
			setMessage(f.msg, tr("The case reference is needed, so the back office finds the file."), true)
			return
		}
		note := strings.TrimSpace(f.note.Text)
		c.hideModal()
		c.act(func(ctx context.Context, k string) (*queue.Result, error) {
			return c.cl.Finish(ctx, k, queue.OutcomeForwarded, ref, note)
		}, func(res *queue.Result) {
			if res.Ticket != nil {
				c.say(tr("{{.N}} forwarded to the back office ({{.Ref}}).", "N", res.Ticket.Number, "Ref", ref), false)
			}
		})
	})
	f.caseRef.OnSubmitted = func(string) { f.confirm.OnTapped() }
	form := container.NewVBox(
		widget.NewLabel(tr("Case reference")), f.caseRef,
		widget.NewLabel(tr("Note")), f.note, f.msg)
	c.showModal(tr("Forward to the back office"), form, f.confirm, f.caseRef)
}

func (c *Console) showTransfer() {
	if c.desk.transfer.Disabled() {
		return
	}
	t := &c.dlg.transfer
	cur := c.current()
	t.ids = nil
	var names []string
	for _, s := range c.services() {
		if cur != nil && s.ID == cur.Service {
			continue
		}
		t.ids = append(t.ids, s.ID)
		names = append(names, c.serviceName(s.ID))
	}
	t.service = widget.NewSelect(names, nil)
	t.service.PlaceHolder = tr("Choose the service")
	t.toBack = widget.NewCheck(tr("To the back of the queue (otherwise it keeps its arrival time)"), nil)
	t.confirm = widget.NewButtonWithIcon(tr("Transfer"), theme.MailReplyIcon(), func() {
		i := t.service.SelectedIndex()
		if i < 0 {
			return
		}
		to, back := t.ids[i], t.toBack.Checked
		c.hideModal()
		c.act(func(ctx context.Context, k string) (*queue.Result, error) {
			return c.cl.Transfer(ctx, k, to, back)
		}, func(res *queue.Result) {
			if res.Ticket != nil {
				c.say(tr("{{.N}} transferred to {{.S}}.", "N", res.Ticket.Number, "S", c.serviceName(to)), false)
			}
		})
	})
	c.showModal(tr("Transfer to another service"), container.NewVBox(t.service, t.toBack), t.confirm, nil)
}

func (c *Console) showRegister() {
	if c.desk.register.Disabled() || !c.desk.register.Visible() {
		return
	}
	r := &c.dlg.register
	r.document = widget.NewEntry()
	r.document.SetPlaceHolder(tr("e.g. Change of residence application"))
	r.msg = newMessage()
	r.confirm = widget.NewButtonWithIcon(tr("Register"), theme.DocumentCreateIcon(), func() {
		doc := strings.TrimSpace(r.document.Text)
		if doc == "" {
			setMessage(r.msg, tr("Describe the document in a few words."), true)
			return
		}
		c.hideModal()
		c.act(func(ctx context.Context, k string) (*queue.Result, error) {
			return c.cl.Register(ctx, k, doc)
		}, func(res *queue.Result) {
			if res.Ticket != nil {
				c.say(tr("Registered with protocol number {{.P}}. Print the receipt for the citizen, then finish.", "P", res.Ticket.Protocol), false)
			}
		})
	})
	r.document.OnSubmitted = func(string) { r.confirm.OnTapped() }
	c.showModal(tr("Register the delivered document"),
		container.NewVBox(widget.NewLabel(tr("Document")), r.document, r.msg), r.confirm, r.document)
}

// receipt fetches the current ticket's receipt and hands it to use. Print
// and Save stay disabled until it is done, so a double click prints one
// receipt, not two.
func (c *Console) receipt(use func(ctx context.Context, t queue.Ticket, pdf []byte) (string, error)) {
	cur := c.current()
	if cur == nil || cur.Protocol == "" || c.opt.Receipts == nil || c.printing {
		return
	}
	t := cur.Ticket
	var done string
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
			msg, _ := explain(err)
			c.say(msg, true)
			return
		}
		c.say(done, false)
	})
}

// doPrint sends the receipt to the printer with lp (CUPS).
func (c *Console) doPrint() {
	c.receipt(func(ctx context.Context, t queue.Ticket, pdf []byte) (string, error) {
		args := []string{"-t", "Ricevuta " + t.Protocol}
		if c.opt.Printer != "" {
			args = append(args, "-d", c.opt.Printer)
		}
		cmd := exec.CommandContext(ctx, "lp", args...)
		cmd.Stdin = bytes.NewReader(pdf)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%s: %w", strings.TrimSpace(string(out)), err)
		}
		return tr("Receipt {{.P}} sent to the printer.", "P", t.Protocol), nil
	})
}

// doSave writes the receipt to the receipts folder.
func (c *Console) doSave() {
	c.receipt(func(ctx context.Context, t queue.Ticket, pdf []byte) (string, error) {
		path := c.receiptPath(&t)
		if err := os.MkdirAll(c.opt.ReceiptDir, 0o755); err != nil {
			return "", fmt.Errorf("receipts folder: %w", err)
		}
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			return "", fmt.Errorf("save the receipt: %w", err)
		}
		return tr("Receipt saved in {{.Path}}.", "Path", path), nil
	})
}
