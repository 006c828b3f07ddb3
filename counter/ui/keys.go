package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// Every action of the console has a key, and every key works wherever the
// focus is. Fyne hands a key to the window's handler (Canvas.SetOnTypedKey)
// only while no widget has focus: a select the clerk clicked, a button
// reached with Tab or an entry keeps the focus and would swallow F1-F12,
// Escape and Enter. Canvas shortcuts do not help either: the desktop driver
// builds a shortcut only for keys with a modifier. So every focusable widget
// of the console passes the keys it has no use for to handleKey, where the
// console decides what they do on the screen or dialog showing.

// Keyboard shortcuts on the desk: function keys a clerk can hit without
// looking.
const (
	keyNext       = fyne.KeyF1
	keyRecall     = fyne.KeyF2
	keyNoShow     = fyne.KeyF3
	keyStart      = fyne.KeyF4
	keyFinish     = fyne.KeyF5
	keyForward    = fyne.KeyF6
	keyTransfer   = fyne.KeyF7
	keyRegister   = fyne.KeyF8
	keyPause      = fyne.KeyF9
	keyPrint      = fyne.KeyF10
	keySave       = fyne.KeyF11
	keyReactivate = fyne.KeyF12
)

// Ctrl shortcuts of the appointments: every function key is taken by the
// ticket's actions, and these are the letters office programs use (N for
// new, F for find).
const (
	keyBook          = fyne.KeyN   // Ctrl+N: book an appointment
	keyFind          = fyne.KeyF   // Ctrl+F: find a booking by code or name
	keyMove          = fyne.KeyM   // Ctrl+M: move the chosen booking
	keyCancelBooking = fyne.KeyD   // Ctrl+D: cancel the chosen booking (disdici)
	keyTabs          = fyne.KeyTab // Ctrl+Tab: the other tab, queues or appointments
)

// shortcutKeys are the console's Ctrl shortcuts.
var shortcutKeys = []fyne.KeyName{keyBook, keyFind, keyMove, keyCancelBooking, keyTabs}

// addShortcuts makes the Ctrl shortcuts work while no entry has the focus
// (an entry hands them to handleShortcut itself).
func (c *Console) addShortcuts() {
	for _, k := range shortcutKeys {
		c.w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault},
			func(s fyne.Shortcut) { c.handleShortcut(s) })
	}
}

// handleShortcut runs what a Ctrl shortcut does on the desk and reports
// whether it was one of the console's. Behind a dialog they do nothing.
func (c *Console) handleShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || cs.Modifier != fyne.KeyModifierShortcutDefault || !slices.Contains(shortcutKeys, cs.KeyName) {
		return false
	}
	if c.modal != nil || c.screen != screenDesk {
		return true
	}
	d := &c.desk
	switch cs.KeyName {
	case keyBook:
		c.showBook()
	case keyTabs:
		if d.tabs.Selected() == d.apptTab {
			d.tabs.Select(d.queuesTab)
		} else {
			d.tabs.Select(d.apptTab)
		}
	case keyFind:
		d.tabs.Select(d.apptTab)
		c.w.Canvas().Focus(d.appt.search)
	case keyMove, keyCancelBooking:
		b, ok := c.selectedBooking()
		switch {
		case !ok:
			d.tabs.Select(d.apptTab)
			c.say(tr("Choose the appointment first: in Appointments, with a click or with the arrows in the search field (Ctrl+F)."), false)
		case b.State != queue.BookingBooked:
			c.say(tr("This appointment can no longer be moved or cancelled: {{.State}}.", "State", c.bookingState(b)), false)
		case cs.KeyName == keyMove:
			c.showMove(b)
		default:
			c.showCancelBooking(b)
		}
	}
	return true
}

func isFunctionKey(k fyne.KeyName) bool {
	switch k {
	case fyne.KeyF1, fyne.KeyF2, fyne.KeyF3, fyne.KeyF4, fyne.KeyF5, fyne.KeyF6,
		fyne.KeyF7, fyne.KeyF8, fyne.KeyF9, fyne.KeyF10, fyne.KeyF11, fyne.KeyF12:
		return true
	}
	return false
}

func isEnter(k fyne.KeyName) bool { return k == fyne.KeyReturn || k == fyne.KeyEnter }

// withKey shows an action's key on its button.
func withKey(label string, k fyne.KeyName) string { return label + "  [" + string(k) + "]" }

// handleKey runs what a key does where the clerk is and reports whether it
// did something. In a dialog Escape cancels, Enter confirms and the
// dialog's own keys choose; function keys do nothing behind a dialog, so a
// key hit while typing a note never calls a citizen.
func (c *Console) handleKey(ev *fyne.KeyEvent) bool {
	if m := c.modal; m != nil {
		switch {
		case ev.Name == fyne.KeyEscape:
			c.hideModal()
			return true
		case isEnter(ev.Name):
			m.submit()
			return true
		case m.key != nil && m.key(ev):
			return true
		}
		return isFunctionKey(ev.Name)
	}
	switch c.screen {
	case screenDesk:
		return c.functionKey(ev)
	case screenOpen:
		switch {
		case isEnter(ev.Name):
			c.doOpen()
			return true
		case ev.Name == fyne.KeyEscape && c.open.back.Visible():
			c.showDesk("")
			return true
		}
	case screenLogin:
		if isEnter(ev.Name) {
			c.doLogin()
			return true
		}
	}
	return false
}

// handleRune gives a typed character to the open dialog (the transfer's
// service letters and numbers) when no entry takes it.
func (c *Console) handleRune(r rune) bool {
	if m := c.modal; m != nil && m.rune != nil {
		return m.rune(r)
	}
	return false
}

// functionKey runs the desk action of a function key and reports whether
// ev was one.
func (c *Console) functionKey(ev *fyne.KeyEvent) bool {
	d := &c.desk
	switch ev.Name {
	case keyReactivate:
		c.showReactivate()
		return true
	case keyPrint, keySave:
		if c.fastTrack() && (d.print.Disabled() && !c.printing) {
			c.say(tr("There is no receipt to print or save: register the document first (F8)."), false)
			return true
		}
	}
	b := map[fyne.KeyName]*keyButton{
		keyNext: d.next, keyRecall: d.recall, keyNoShow: d.noShow, keyStart: d.start, keyFinish: d.finish,
		keyForward: d.forward, keyTransfer: d.transfer, keyRegister: d.register, keyPause: d.pause,
		keyPrint: d.print, keySave: d.save,
	}[ev.Name]
	if b == nil {
		return false
	}
	if !b.Disabled() && b.Visible() {
		b.OnTapped()
	}
	return true
}

// keyButton is a button that Enter presses too, and that passes the other
// keys to the console.
type keyButton struct {
	widget.Button
	c *Console
}

// newButton makes a button of the console.
func (c *Console) newButton(label string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{c: c}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button with Enter or Space, or gives the key to the
// console.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	if isEnter(ev.Name) || ev.Name == fyne.KeySpace {
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
		return
	}
	if b.c.handleKey(ev) {
		return
	}
	b.Button.TypedKey(ev)
}

// TypedRune gives the character to the open dialog.
func (b *keyButton) TypedRune(r rune) { b.c.handleRune(r) }

// keySelect is a select that passes the keys it does not use to the
// console.
type keySelect struct {
	widget.Select
	c *Console
}

// newSelect makes a select of the console.
func (c *Console) newSelect(changed func(string)) *keySelect {
	s := &keySelect{c: c}
	s.OnChanged = changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey gives the key to the console, or does what a select does.
func (s *keySelect) TypedKey(ev *fyne.KeyEvent) {
	if s.c.handleKey(ev) {
		return
	}
	s.Select.TypedKey(ev)
}

// keyCheck is a check box that passes the keys it does not use to the
// console.
type keyCheck struct {
	widget.Check
	c *Console
}

func (c *Console) newCheck(label string, changed func(bool)) *keyCheck {
	k := &keyCheck{c: c}
	k.Text, k.OnChanged = label, changed
	k.ExtendBaseWidget(k)
	return k
}

// TypedKey gives the key to the console.
func (k *keyCheck) TypedKey(ev *fyne.KeyEvent) {
	if !k.c.handleKey(ev) {
		k.Check.TypedKey(ev)
	}
}

// TypedRune toggles the check with Space, and gives other characters to the
// open dialog.
func (k *keyCheck) TypedRune(r rune) {
	if r == ' ' {
		k.Check.TypedRune(r)
		return
	}
	k.c.handleRune(r)
}

// keyEntry is an entry whose Escape, function keys and (single line)
// Enter go to the console. A multi-line entry keeps Enter for new lines:
// Ctrl+Enter confirms its dialog instead, and Tab leaves it for the next
// field instead of typing a tab.
type keyEntry struct {
	widget.Entry
	c *Console
	// onKey, if set, takes the keys it wants first, outside dialogs (the
	// search field's arrows and Escape).
	onKey func(*fyne.KeyEvent) bool
}

func (c *Console) newEntry(multiLine bool) *keyEntry {
	e := &keyEntry{c: c}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab is false: Tab moves to the next field, also from a note.
func (e *keyEntry) AcceptsTab() bool { return false }

// TypedKey gives Escape, function keys and a single line's Enter to the
// console; the rest is typing.
func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil && e.c.modal == nil && e.onKey(ev) {
		return
	}
	if ev.Name == fyne.KeyEscape || isFunctionKey(ev.Name) || (isEnter(ev.Name) && !e.MultiLine) {
		if e.c.handleKey(ev) {
			return
		}
	}
	e.Entry.TypedKey(ev)
}

// TypedShortcut confirms the dialog with Ctrl+Enter (Cmd+Enter on a Mac),
// and gives the console its shortcuts.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if e.c.handleShortcut(s) {
		return
	}
	if cs, ok := s.(*desktop.CustomShortcut); ok && isEnter(cs.KeyName) &&
		cs.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0 {
		e.c.handleKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		return
	}
	e.Entry.TypedShortcut(s)
}
