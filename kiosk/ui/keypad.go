package ui

import (
	"math"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"turno/server/queue"
)

// codeAlphabet is the booking codes' alphabet (queue.CodeAlphabet, which
// leaves out what is misread or misheard). The keypad has a key for each,
// and no other: a citizen cannot type a character no code has.
const codeAlphabet = queue.CodeAlphabet

// inCodeAlphabet reports whether r can be part of a booking code.
func inCodeAlphabet(r rune) bool { return strings.ContainsRune(codeAlphabet, r) }

// nameKeys are the booking keyboard's letters, row by row as on a phone's
// keyboard, with the apostrophe and the accented vowels of Italian names
// (D'Angelo, Niccolò); the last row ends with Space and Delete.
var nameKeys = [][]rune{
	[]rune("QWERTYUIOP"),
	[]rune("ASDFGHJKL'"),
	[]rune("ZXCVBNMÀÈÉ"),
	[]rune("ÌÒÙ"),
}

// Spans of the booking keyboard's last row, in letter widths: three
// vowels, Space, Delete.
const (
	spaceSpan  = 4
	deleteSpan = 3
	nameCols   = 10
)

// maxName is the longest name the keyboard takes: room for a first name
// and a surname or two, well within the server's limit.
const maxName = 40

// newKey is a key of an on-screen keyboard: one letter, large.
func newKey(label string, onTap func()) *button {
	b := newButton(nil, styleNormal, onTap)
	b.label.parts[0].Size = sizeKey
	b.setText(label)
	return b
}

// titleCase writes a name as names are written, whatever case it was
// typed in: "DELL'ACQUA MARIA" is "Dell'Acqua Maria".
func titleCase(s string) string {
	var b strings.Builder
	start := true
	for _, r := range s {
		if start {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		start = r == ' ' || r == '\'' || r == '-'
	}
	return b.String()
}

// keyGrid lays the keypad's keys out in equal cells, in the number of
// columns (a divisor of the keys' count among cols) whose keys are
// closest to keyAspect, as large as the space allows but never taller
// than their width: a portrait totem gets 6 columns, a landscape screen
// 8. Every key is as large as the largest finger needs, and a row is
// read at a glance.
type keyGrid struct {
	cols []int
}

// keyAspect is the key shape a keypad tries for (wider than tall).
const keyAspect = 1.2

// keyGap is the space between keys: a finger between two keys does not
// press both.
const keyGap = 12

func (l keyGrid) arrange(n int, size fyne.Size) (cols, rows int, key fyne.Size) {
	best := math.Inf(1)
	for _, c := range l.cols {
		r := (n + c - 1) / c
		w := (size.Width - keyGap*float32(c-1)) / float32(c)
		h := (size.Height - keyGap*float32(r-1)) / float32(r)
		if w <= 0 || h <= 0 {
			continue
		}
		if d := math.Abs(math.Log(float64(w/h) / keyAspect)); d < best {
			best, cols, rows, key = d, c, r, fyne.NewSize(w, min(h, w))
		}
	}
	return cols, rows, key
}

// height is the height the keys take in size.
func (l keyGrid) height(n int, size fyne.Size) float32 {
	_, rows, key := l.arrange(n, size)
	return float32(rows)*key.Height + float32(max(0, rows-1))*keyGap
}

func (l keyGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	cols, _, key := l.arrange(len(objs), size)
	if cols == 0 {
		return
	}
	for i, o := range objs {
		r, c := i/cols, i%cols
		o.Move(fyne.NewPos(float32(c)*(key.Width+keyGap), float32(r)*(key.Height+keyGap)))
		o.Resize(key)
	}
}

func (keyGrid) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// keyboardLayout lays the booking keyboard out: nameCols letters a row,
// the last row's Space and Delete wider (spans), keys no taller than wide.
type keyboardLayout struct{ spans []int }

func (l keyboardLayout) rows() int {
	units, rows := 0, 0
	for _, s := range l.spans {
		if units == 0 {
			rows++
		}
		units += s
		if units >= nameCols {
			units = 0
		}
	}
	return rows
}

func (l keyboardLayout) key(size fyne.Size) fyne.Size {
	rows := float32(l.rows())
	w := (size.Width - keyGap*(nameCols-1)) / nameCols
	h := (size.Height - keyGap*(rows-1)) / rows
	return fyne.NewSize(w, max(0, min(h, 1.1*w)))
}

// height is the height the keyboard takes in size.
func (l keyboardLayout) height(size fyne.Size) float32 {
	rows := float32(l.rows())
	return rows*l.key(size).Height + (rows-1)*keyGap
}

func (l keyboardLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	key := l.key(size)
	x, y, units := float32(0), float32(0), 0
	for i, o := range objs {
		span := 1
		if i < len(l.spans) {
			span = l.spans[i]
		}
		w := float32(span)*key.Width + float32(span-1)*keyGap
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w, key.Height))
		x += w + keyGap
		units += span
		if units >= nameCols {
			x, units = 0, 0
			y += key.Height + keyGap
		}
	}
}

func (keyboardLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// entryLayout places a screen that asks for something to be typed:
// [heading, field, keys, hint]. The heading takes what its words need at
// full size, up to two fifths of the height (then they shrink); the hint
// (nil for none) takes the bottom strip, where the start screen has its
// action row; the keys take what keysHeight gives them in the rest, the
// field just above them, the pair centred in the space under the heading.
type entryLayout struct {
	heading    *fitText
	keysHeight func(size fyne.Size) float32
}

func (l entryLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	th := theme.Current()
	heading, field, keys := objs[0], objs[1], objs[2]
	strip := float32(0)
	if len(objs) > 3 && objs[3].Visible() {
		strip = bigButtonHeight(th)
		objs[3].Move(fyne.NewPos(0, size.Height-strip))
		objs[3].Resize(fyne.NewSize(size.Width, strip))
		strip += frameGap
	}
	head := min(max(headingHeight(th), l.heading.wrap(th, 1, size.Width, 0).height), 0.4*size.Height)
	heading.Move(fyne.NewPos(0, 0))
	heading.Resize(fyne.NewSize(size.Width, head))

	fieldH := min(lineHeight(th, th.Size(sizeCode))+2*24+8, 0.2*size.Height)
	room := max(0, size.Height-head-strip-2*frameGap-fieldH-frameGap)
	kh := min(room, l.keysHeight(fyne.NewSize(size.Width, room)))
	block := fieldH + frameGap + kh
	y := head + frameGap + max(0, (size.Height-head-strip-frameGap-block)/2)
	field.Move(fyne.NewPos(0, y))
	field.Resize(fyne.NewSize(size.Width, fieldH))
	keys.Move(fyne.NewPos(0, y+fieldH+frameGap))
	keys.Resize(fyne.NewSize(size.Width, kh))
}

func (entryLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }
