package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// keyCancel is Escape as its key is labelled.
const keyCancel fyne.KeyName = "Esc"

// keyConfirm is Enter as the keyboards of the console's language label it.
func keyConfirm() fyne.KeyName { return fyne.KeyName(tr("Enter")) }

type forwardDialog struct {
	caseRef *keyEntry
	note    *keyEntry
	confirm *keyButton
	msg     *widget.Label
}

type transferDialog struct {
	list    *choiceList
	ids     []string
	toBack  *keyCheck
	confirm *keyButton
	msg     *widget.Label
}

type registerDialog struct {
	document *keyEntry
	confirm  *keyButton
	msg      *widget.Label
}

type reactivateDialog struct {
	list    *choiceList
	tickets []queue.TicketView
	confirm *keyButton
	msg     *widget.Label
}

// dialogs holds the widgets of the open dialog, for the tests.
type dialogs struct {
	forward       forwardDialog
	transfer      transferDialog
	register      registerDialog
	reactivate    reactivateDialog
	book          bookDialog
	booked        bookedDialog
	move          moveDialog
	cancelBooking cancelDialog
	cancel        *keyButton
}

// tooLong says that a text is over the server's limit.
func tooLong(what string, n, most int) string {
	return tr("{{.What}} is too long: {{.N}} characters, at most {{.Max}}. Shorten it, please.", "What", what, "N", n, "Max", most)
}

// showForward asks for the case reference and a note, and closes the
// ticket as forwarded to the back office (F6).
func (c *Console) showForward() {
	if c.desk.forward.Disabled() {
		return
	}
	f := &c.dlg.forward
	// The field starts empty: an example inside it would look like a
	// value already filled in, so the example is said beside it.
	f.caseRef = c.newEntry(false)
	f.note = c.newEntry(true)
	f.note.SetMinRowsVisible(4)
	f.msg = newMessage()
	f.confirm = c.newButton(withKey(tr("Forward"), keyConfirm()), theme.MailForwardIcon(), func() {
		ref := strings.TrimSpace(f.caseRef.Text)
		if ref == "" {
			c.setMessage(f.msg, tr("The case reference is needed, so the back office finds the file."), true)
			c.w.Canvas().Focus(f.caseRef)
			return
		}
		note := strings.TrimSpace(f.note.Text)
		switch {
		case len(ref) > queue.MaxCaseRef:
			c.setMessage(f.msg, tooLong(tr("The case reference"), len(ref), queue.MaxCaseRef), true)
			c.w.Canvas().Focus(f.caseRef)
			return
		case len(note) > queue.MaxNote:
			c.setMessage(f.msg, tooLong(tr("The note"), len(note), queue.MaxNote), true)
			c.w.Canvas().Focus(f.note)
			return
		}
		c.hideModal()
		c.act(func(ctx context.Context, k string) (*queue.Result, error) {
			return c.cl.Finish(ctx, k, queue.OutcomeForwarded, ref, note)
		}, func(res *queue.Result) {
			if res.Ticket != nil {
				c.say(tr("{{.N}} forwarded to the back office ({{.Ref}}).", "N", res.Ticket.Number, "Ref", ref), false)
			}
		})
	})
	form := newRows(
		field(tr("Case reference"), f.caseRef),
		hint(tr("The back office's file number, for example ANA-2026-118.")),
		field(tr("Note for the back office (optional)"), f.note),
		hint(tr("Tab moves to the next field. Enter forwards; in the note, Ctrl+Enter. Esc cancels.")),
		f.msg)
	c.showModal(dialogSpec{title: tr("Forward to the back office"), content: form, confirm: f.confirm, focus: f.caseRef})
}

// showRegister asks what the citizen delivered and registers it with a
// protocol number (F8, fast-track counter).
func (c *Console) showRegister() {
	if c.desk.register.Disabled() || !c.desk.register.Visible() {
		return
	}
	r := &c.dlg.register
	r.document = c.newEntry(false)
	r.msg = newMessage()
	r.confirm = c.newButton(withKey(tr("Register"), keyConfirm()), theme.DocumentCreateIcon(), func() {
		doc := strings.TrimSpace(r.document.Text)
		if doc == "" {
			c.setMessage(r.msg, tr("Describe the document in a few words."), true)
			c.w.Canvas().Focus(r.document)
			return
		}
		if len(doc) > queue.MaxDocument {
			c.setMessage(r.msg, tooLong(tr("The description"), len(doc), queue.MaxDocument), true)
			c.w.Canvas().Focus(r.document)
			return
		}
		c.hideModal()
		c.act(func(ctx context.Context, k string) (*queue.Result, error) {
			return c.cl.Register(ctx, k, doc)
		}, func(res *queue.Result) {
			if res.Ticket != nil {
				c.say(tr("Registered with protocol number {{.P}}. Print the receipt for the citizen (F10), then finish.", "P", res.Ticket.Protocol), false)
			}
		})
	})
	form := newRows(
		field(tr("Document"), r.document),
		hint(tr("What the citizen delivered, in a few words: for example, change of residence application.")),
		hint(tr("Enter registers it. Esc cancels.")),
		r.msg)
	c.showModal(dialogSpec{title: tr("Register the delivered document"), content: form, confirm: r.confirm, focus: r.document})
}

// showTransfer moves the ticket to another service's queue (F7): the
// service by its number or letter, then Enter.
func (c *Console) showTransfer() {
	if c.desk.transfer.Disabled() {
		return
	}
	t := &c.dlg.transfer
	cur := c.current()
	t.ids = nil
	var prefixes, names []string
	for _, s := range c.services() {
		if cur != nil && s.ID == cur.Service {
			continue
		}
		t.ids = append(t.ids, s.ID)
		prefixes = append(prefixes, s.Prefix)
		names = append(names, c.serviceName(s.ID))
	}
	letters := uniqueLetters(prefixes)
	choices := make([]choice, len(t.ids))
	for i := range t.ids {
		choices[i] = choice{letter: letters[i], text: names[i]}
	}
	t.list = newChoiceList(choices, -1, c.relayout)
	t.toBack = c.newCheck(tr("To the back of the queue (otherwise it keeps its arrival time)"), nil)
	t.msg = newMessage()
	t.confirm = c.newButton(withKey(tr("Transfer"), keyConfirm()), theme.MailReplyIcon(), func() {
		i := t.list.selected
		if i < 0 {
			c.setMessage(t.msg, tr("Choose the service first: its number or letter."), true)
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
	var content fyne.CanvasObject
	if len(t.ids) == 0 {
		content = widget.NewLabel(tr("This office has no other service."))
	} else {
		content = newRows(
			hint(tr("Press the service's number or letter, then Enter. Esc cancels.")),
			t.list.box, t.toBack, t.msg)
	}
	c.showModal(dialogSpec{title: tr("Transfer to another service"), content: content, confirm: t.confirm,
		key: t.list.key, rune: t.list.typed})
}
