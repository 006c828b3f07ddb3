package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// A choice list is how a dialog offers one of a few things (the service to
// transfer to, the no-show to put back) to both hands: a click on a line,
// or its number or letter on the keyboard, then Enter. The arrows move the
// choice too.

// choice is one line of a choice list.
type choice struct {
	letter rune   // a second key that chooses it (the service's letter), or 0
	text   string // what the line says
}

type choiceList struct {
	box      *fyne.Container
	rows     []*choiceRow
	letters  []rune
	selected int    // -1: none yet
	changed  func() // after a choice: the chosen line is bold, and may wrap anew
}

func newChoiceList(choices []choice, selected int, changed func()) *choiceList {
	l := &choiceList{box: newRows(), selected: -1}
	for i, ch := range choices {
		key := ""
		if i < 9 {
			key = string(rune('1' + i))
		}
		if ch.letter != 0 {
			key = strings.TrimPrefix(key+" · "+string(unicode.ToUpper(ch.letter)), " · ")
		}
		r := newChoiceRow(key, ch.text, func() { l.choose(i) })
		l.rows = append(l.rows, r)
		l.letters = append(l.letters, unicode.ToLower(ch.letter))
		l.box.Add(r)
	}
	l.choose(selected)
	l.changed = changed
	return l
}

// choose selects line i (out of range: none).
func (l *choiceList) choose(i int) {
	if i < 0 || i >= len(l.rows) {
		i = -1
	}
	l.selected = i
	for j, r := range l.rows {
		r.setSelected(j == i)
	}
	if l.changed != nil {
		l.changed()
	}
}

// typed chooses the line of a number or letter and reports whether r was
// one.
func (l *choiceList) typed(r rune) bool {
	if r >= '1' && r <= '9' && int(r-'1') < len(l.rows) {
		l.choose(int(r - '1'))
		return true
	}
	lr := unicode.ToLower(r)
	for i, x := range l.letters {
		if x != 0 && x == lr {
			l.choose(i)
			return true
		}
	}
	return false
}

// key moves the choice with the arrows.
func (l *choiceList) key(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyDown:
		l.choose(min(l.selected+1, len(l.rows)-1))
	case fyne.KeyUp:
		l.choose(max(l.selected-1, 0))
	default:
		return false
	}
	return true
}

// uniqueLetters returns each text's first letter of its key where no other
// line has the same, else 0.
func uniqueLetters(keys []string) []rune {
	out := make([]rune, len(keys))
	count := map[rune]int{}
	for i, k := range keys {
		for _, r := range k {
			out[i] = unicode.ToLower(r)
			break
		}
		count[out[i]]++
	}
	for i, r := range out {
		if count[r] > 1 || !unicode.IsLetter(r) {
			out[i] = 0
		}
	}
	return out
}

// choiceRow is one line: a radio mark, its keys, and its text, wrapped.
type choiceRow struct {
	widget.BaseWidget
	bg     *canvas.Rectangle
	mark   *widget.Icon
	key    *widget.Label
	text   *widget.Label
	tapped func()
}

func newChoiceRow(key, text string, tapped func()) *choiceRow {
	r := &choiceRow{tapped: tapped}
	r.bg = canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	r.bg.Hide()
	r.mark = widget.NewIcon(theme.RadioButtonIcon())
	r.key = widget.NewLabelWithStyle(key, fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	r.text = widget.NewLabel(text)
	r.text.Wrapping = fyne.TextWrapWord
	r.ExtendBaseWidget(r)
	return r
}

func (r *choiceRow) setSelected(on bool) {
	if on {
		r.mark.SetResource(theme.RadioButtonCheckedIcon())
		r.bg.Show()
	} else {
		r.mark.SetResource(theme.RadioButtonIcon())
		r.bg.Hide()
	}
	r.text.TextStyle.Bold = on
	r.text.Refresh()
}

// Tapped chooses the line.
func (r *choiceRow) Tapped(*fyne.PointEvent) { r.tapped() }

func (r *choiceRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.bg,
		container.NewBorder(nil, nil, container.NewHBox(r.mark, r.key), nil, r.text)))
}
