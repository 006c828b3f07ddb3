package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The dialogs are overlays built from the console's own widgets, so that
// tests reach their fields and buttons like any other. Each confirms with
// Enter (Ctrl+Enter in a note) and its button, cancels with Escape and its
// button, and leaves everything as it was when cancelled.

// modal is the open dialog.
type modal struct {
	pop    *widget.PopUp
	submit func()
	// key and rune, if set, take the dialog's own keys (a service's
	// number or letter) and report whether they used them.
	key  func(*fyne.KeyEvent) bool
	rune func(rune) bool
}

// dialogSize is a dialog's largest size; a smaller window gets a smaller
// dialog, whose content scrolls.
var dialogSize = fyne.NewSize(640, 480)

// dialogSpec says what a dialog shows and does.
type dialogSpec struct {
	title   string
	content fyne.CanvasObject
	confirm *keyButton
	focus   fyne.Focusable // nil: no field; the dialog's keys go to key/rune
	key     func(*fyne.KeyEvent) bool
	rune    func(rune) bool
	// size is the dialog's largest size; zero is dialogSize. The window
	// still bounds it.
	size fyne.Size
	// dismiss labels the cancel button ("" is Cancel); noDismiss leaves it
	// out, for a dialog that only tells (Escape still closes it).
	dismiss   string
	noDismiss bool
}

// showModal shows a dialog over the window: the title, the content (it
// scrolls if the window is too small), the confirm and cancel buttons.
func (c *Console) showModal(s dialogSpec) {
	c.hideModal()
	dismiss := s.dismiss
	if dismiss == "" {
		dismiss = tr("Cancel")
	}
	cancel := c.newButton(withKey(dismiss, keyCancel), theme.CancelIcon(), c.hideModal)
	c.dlg.cancel = cancel
	buttons := container.NewHBox(s.confirm, cancel)
	if s.noDismiss {
		buttons = container.NewHBox(s.confirm)
	}
	s.confirm.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(s.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	title.SizeName = theme.SizeNameSubHeadingText
	top := newRows(title)
	bottom := container.NewVBox(widget.NewSeparator(), buttons)
	// The padding inside the scroll leaves room for a focused field's
	// border.
	body := container.NewPadded(s.content)
	box := container.NewBorder(top, bottom, nil, nil, container.NewVScroll(body))
	size := s.size
	if size.IsZero() {
		size = dialogSize
	}
	frame := &dialogFrame{
		max: size.Min(c.w.Canvas().Size().SubtractWidthHeight(48, 48)),
		natural: func() float32 {
			return top.MinSize().Height + body.MinSize().Height + bottom.MinSize().Height + 4*theme.Padding()
		},
	}
	pop := widget.NewModalPopUp(container.New(frame, container.NewPadded(box)), c.w.Canvas())
	m := &modal{pop: pop, submit: func() { s.confirm.OnTapped() }, key: s.key, rune: s.rune}
	c.modal = m
	pop.Show()
	pop.Refresh() // again, now that the wrapping texts know their width
	if s.focus != nil {
		c.w.Canvas().Focus(s.focus)
	}
}

// hideModal closes the open dialog, if any.
func (c *Console) hideModal() {
	if c.modal != nil {
		c.modal.pop.Hide()
	}
	c.modal = nil
}

// hint is a line telling which keys a dialog takes.
func hint(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// field is a form field: its label above it.
func field(label string, o fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return newRows(l, o)
}

// dialogFrame sizes a dialog: as wide as max, as high as its content
// needs up to max; more content scrolls.
type dialogFrame struct {
	max     fyne.Size
	natural func() float32
}

func (f *dialogFrame) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(f.max.Width, min(f.max.Height, f.natural()))
}

func (f *dialogFrame) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
