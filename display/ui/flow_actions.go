package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// maxHallMessage is the server's limit on the hall message, in bytes.
const maxHallMessage = 280

// actionsPanel is the flow view's third tab: the hall message, moving a
// waiting ticket, and logging a simple-information contact.
type actionsPanel struct {
	fl  *Flow
	box *fyne.Container

	hallCurrent *widget.Label
	hallEntry   *widget.Entry
	hallLeft    *widget.Label
	hallPost    *widget.Button
	hallClear   *widget.Button

	moveTicket *chooser
	moveTo     *chooser
	moveButton *widget.Button
	moveIDs    map[string]string // option -> ticket id
	waitSig    string

	contactOf    *chooser
	contactTopic *widget.Entry
	contactLog   *widget.Button
	contactCount *widget.Label
}

func newActionsPanel(fl *Flow) *actionsPanel {
	p := &actionsPanel{fl: fl, moveIDs: map[string]string{}}
	p.hallCurrent = wrapped("")
	p.hallEntry = widget.NewMultiLineEntry()
	p.hallEntry.SetPlaceHolder(fl.tr("A message for the hall board"))
	p.hallEntry.Wrapping = fyne.TextWrapWord
	p.hallEntry.SetMinRowsVisible(3)
	p.hallLeft = widget.NewLabel("")
	p.hallEntry.OnChanged = func(string) { p.drawLeft() }
	p.hallPost = widget.NewButtonWithIcon(fl.tr("Publish"), theme.MailSendIcon(), func() { p.postMessage(p.hallEntry.Text) })
	p.hallPost.Importance = widget.HighImportance
	p.hallClear = widget.NewButtonWithIcon(fl.tr("Remove"), theme.ContentClearIcon(), func() { p.postMessage("") })
	hall := card(heading(fl.tr("Hall message")), p.hallCurrent, p.hallEntry, p.hallLeft,
		container.NewGridWithColumns(2, touch(p.hallPost), touch(p.hallClear)))

	p.moveTicket = newChooser(fl, fl.tr("Waiting ticket"), nil)
	p.moveTo = newChooser(fl, fl.tr("To service"), nil)
	p.moveButton = widget.NewButtonWithIcon(fl.tr("Move"), theme.MailForwardIcon(), p.doMove)
	move := card(heading(fl.tr("Move a waiting ticket")), wrapped(fl.tr("It keeps its place in line.")),
		touch(p.moveTicket.button), touch(p.moveTo.button), touch(p.moveButton))

	p.contactOf = newChooser(fl, fl.tr("About no service"), nil)
	p.contactTopic = widget.NewEntry()
	p.contactTopic.SetPlaceHolder(fl.tr("Topic (optional): e.g. TARI form"))
	p.contactLog = widget.NewButtonWithIcon(fl.tr("Information given"), theme.ContentAddIcon(), p.doContact)
	p.contactLog.Importance = widget.HighImportance
	p.contactCount = widget.NewLabel("")
	contact := card(heading(fl.tr("Simple-information contact")), wrapped(fl.tr("A citizen helped without a ticket.")),
		touch(p.contactOf.button), touch(p.contactTopic), touch(p.contactLog), p.contactCount)

	p.box = container.NewVBox(hall, container.NewGridWithColumns(2, move, contact))
	return p
}

func (p *actionsPanel) object() fyne.CanvasObject { return p.box }

func (p *actionsPanel) tab() string { return p.fl.tr("Actions") }

// drawLeft says how much of the message the server will take. It counts
// as the server does, in bytes (an accented letter counts two).
func (p *actionsPanel) drawLeft() {
	fl := p.fl
	n := len(strings.TrimSpace(p.hallEntry.Text))
	if n > maxHallMessage {
		setLabel(p.hallLeft, fl.tr("Too long: {{.N}}/{{.M}}. Shorten the message.", "N", n, "M", maxHallMessage), widget.DangerImportance)
		return
	}
	setLabel(p.hallLeft, fl.tr("Length: {{.N}}/{{.M}}", "N", n, "M", maxHallMessage), widget.MediumImportance)
}

// refresh updates the current message and the choices.
func (p *actionsPanel) refresh(time.Time) {
	fl := p.fl
	m := fl.model
	if m.HallMessage == "" {
		setLabel(p.hallCurrent, fl.tr("No message on the board."), widget.MediumImportance)
	} else {
		setLabel(p.hallCurrent, fl.tr("On the board: «{{.M}}»", "M", m.HallMessage), widget.MediumImportance)
	}
	p.drawLeft()
	live := !fl.busy && fl.online()
	setEnabled(p.hallClear, m.HallMessage != "" && live)
	setEnabled(p.hallPost, live)

	// Waiting tickets, in each service's call order.
	var opts []string
	ids := map[string]string{}
	var sig strings.Builder
	for _, sv := range m.Services {
		for _, t := range m.Waiting(sv.ID) {
			label := t.Number + " · " + fl.name(&sv)
			if t.Priority {
				label += " · " + fl.tr("priority")
			}
			opts = append(opts, label)
			ids[label] = t.ID
			sig.WriteString(label + ";")
		}
	}
	var names []string
	for i := range m.Services {
		names = append(names, fl.name(&m.Services[i]))
	}
	sig.WriteString("|" + strings.Join(names, ";"))
	if sig.String() != p.waitSig {
		p.waitSig = sig.String()
		p.moveIDs = ids
		p.moveTicket.SetOptions(opts)
		p.moveTo.SetOptions(names)
		p.contactOf.SetOptions(append([]string{fl.tr("About no service")}, names...))
	}
	setEnabled(p.moveButton, live)
	setEnabled(p.contactLog, live)
	p.contactCount.SetText(fl.tr("Contacts logged today: {{.N}}", "N", m.Contacts))
}

func (p *actionsPanel) doMove() {
	fl := p.fl
	id := p.moveIDs[p.moveTicket.Selected]
	to := fl.serviceByName(p.moveTo.Selected)
	if id == "" || to == "" {
		fl.tell(fl.tr("Choose a waiting ticket and the service to move it to."), true)
		return
	}
	number, name := p.moveTicket.Selected, p.moveTo.Selected
	if t := fl.model.FindTicket(id); t != nil {
		number = t.Number
	}
	fl.act("move", func(ctx context.Context) (string, error) {
		if _, err := fl.cl.MoveTicket(ctx, id, to); err != nil {
			return "", err
		}
		return fl.tr("{{.N}} moved to {{.S}}, keeping its place in line.", "N", number, "S", name), nil
	})
	p.moveTicket.ClearSelected()
}

func (p *actionsPanel) doContact() {
	fl := p.fl
	service := fl.serviceByName(p.contactOf.Selected)
	topic := strings.TrimSpace(p.contactTopic.Text)
	p.contactTopic.SetText("")
	fl.act("contact", func(ctx context.Context) (string, error) {
		n, err := fl.cl.LogContact(ctx, service, topic)
		if err != nil {
			return "", err
		}
		return fl.tr("Contact logged: {{.N}} today.", "N", n), nil
	})
}

func (p *actionsPanel) postMessage(text string) {
	fl := p.fl
	text = strings.TrimSpace(text)
	if len(text) > maxHallMessage {
		fl.tell(fl.tr("Too long: {{.N}}/{{.M}}. Shorten the message.", "N", len(text), "M", maxHallMessage), true)
		return
	}
	fl.act("hall message", func(ctx context.Context) (string, error) {
		if err := fl.cl.SetHallMessage(ctx, text); err != nil {
			return "", err
		}
		if text == "" {
			return fl.tr("Message removed from the board."), nil
		}
		return fl.tr("Message shown on the board."), nil
	})
	if text != "" {
		p.hallEntry.SetText("")
	}
}

// serviceByName maps a name shown in a choice back to its service's id.
func (fl *Flow) serviceByName(name string) string {
	for i := range fl.model.Services {
		if fl.name(&fl.model.Services[i]) == name {
			return fl.model.Services[i].ID
		}
	}
	return ""
}
