package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The function keys must work wherever the focus is on the desk. Fyne hands
// a key to the window's handler (Canvas.SetOnTypedKey) only while no widget
// has focus: a select the clerk clicked, or a button reached with Tab, keeps
// the focus and would swallow F1–F9. Canvas shortcuts do not help either:
// the desktop driver builds a shortcut only for keys with a modifier. So
// every focusable widget of the desk passes the function keys to the
// console before its own handling.

// keyButton is a button that passes the function keys to the console.
type keyButton struct {
	widget.Button
	fkey func(*fyne.KeyEvent) bool
}

// newButton makes a desk button that lets the function keys through.
func (c *Console) newButton(label string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{fkey: c.functionKey}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey runs a function key's action, or does what a button does.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	if b.fkey(ev) {
		return
	}
	b.Button.TypedKey(ev)
}

// keySelect is a select that passes the function keys to the console.
type keySelect struct {
	widget.Select
	fkey func(*fyne.KeyEvent) bool
}

// newSelect makes a desk select that lets the function keys through.
func (c *Console) newSelect(changed func(string)) *keySelect {
	s := &keySelect{fkey: c.functionKey}
	s.OnChanged = changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey runs a function key's action, or does what a select does.
func (s *keySelect) TypedKey(ev *fyne.KeyEvent) {
	if s.fkey(ev) {
		return
	}
	s.Select.TypedKey(ev)
}

// typedKey gets the keys typed while nothing has focus.
func (c *Console) typedKey(ev *fyne.KeyEvent) {
	if c.escape(ev) {
		return
	}
	c.functionKey(ev)
}

// functionKey runs the action of a function key and reports whether ev was
// one. They do nothing while a dialog is open, so a key hit by mistake while
// typing a note never calls a citizen.
func (c *Console) functionKey(ev *fyne.KeyEvent) bool {
	d := &c.desk
	b := map[fyne.KeyName]*keyButton{
		keyNext: d.next, keyRecall: d.recall, keyNoShow: d.noShow, keyStart: d.start, keyFinish: d.finish,
		keyForward: d.forward, keyTransfer: d.transfer, keyRegister: d.register, keyPause: d.pause,
	}[ev.Name]
	if b == nil {
		return false
	}
	if c.screen != screenDesk || c.modal != nil || b.Disabled() || !b.Visible() {
		return true
	}
	b.OnTapped()
	return true
}
