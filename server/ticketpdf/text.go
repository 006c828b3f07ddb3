package ticketpdf

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"turno/server/queue"
)

// maxInfo bounds the information line: a ticket has room for a reminder,
// not for the whole sheet, which the phone page shows.
const maxInfo = 160

// mdLink matches Markdown links and images; the text (or alt text) stays.
var mdLink = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)

// InfoLine returns the first line of a service's Markdown information sheet
// as plain text. A first line that is only a title ("**Cosa portare**",
// "# ...") is joined to the line after it, so the ticket says what to bring
// and not just that something is to be brought.
func InfoLine(md string) string {
	var lines []string
	for _, l := range strings.Split(md, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
		if len(lines) == 2 {
			break
		}
	}
	if len(lines) == 0 {
		return ""
	}
	out := plainMarkdown(lines[0])
	if len(lines) > 1 && isTitle(lines[0]) {
		out = strings.TrimRight(out, ":") + ": " + plainMarkdown(lines[1])
	}
	return truncate(out, maxInfo)
}

// isTitle reports whether a Markdown line is a heading or wholly bold.
func isTitle(l string) bool {
	if strings.HasPrefix(l, "#") {
		return true
	}
	for _, m := range []string{"**", "__"} {
		if len(l) > 2*len(m) && strings.HasPrefix(l, m) && strings.HasSuffix(l, m) {
			return true
		}
	}
	return false
}

// plainMarkdown strips one line's Markdown markers: heading, quote and list
// markers, emphasis and code marks, links (keeping their text) and
// backslash escapes.
func plainMarkdown(l string) string {
	l = strings.TrimLeft(l, "#")
	l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), ">"))
	for _, m := range []string{"- ", "* ", "+ "} {
		l = strings.TrimPrefix(l, m)
	}
	if i := strings.IndexAny(l, ".)"); i > 0 && i < 4 && strings.Trim(l[:i], "0123456789") == "" && strings.HasPrefix(l[i+1:], " ") {
		l = l[i+2:] // "1. " or "1) "
	}
	l = mdLink.ReplaceAllString(l, "$1")
	var b strings.Builder
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case c == '\\' && i+1 < len(l) && unicode.IsPunct(rune(l[i+1])):
			i++
			b.WriteByte(l[i])
		case c == '*' || c == '`':
		case (c == '_' || c == '~') && i+1 < len(l) && l[i+1] == c:
			i++
		default:
			b.WriteByte(c)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// truncate cuts s to at most n runes, at a word where it can, ending with an
// ellipsis when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i] // end on a whole word
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// waitText says a forecast wait as every surface does (queue.Wait's
// Readable): "circa 15 min" or "tra 10 e 25 min".
func waitText(w queue.Wait, lang string) string {
	r := w.Readable()
	switch {
	case r.About && r.Minutes == 0 && lang == "en":
		return "any moment now"
	case r.About && r.Minutes == 0:
		return "a momenti"
	case r.About && lang == "en":
		return fmt.Sprintf("about %d min", r.Minutes)
	case r.About:
		return fmt.Sprintf("circa %d min", r.Minutes)
	case lang == "en":
		return fmt.Sprintf("between %d and %d min", r.Low, r.High)
	}
	return fmt.Sprintf("tra %d e %d min", r.Low, r.High)
}

// substitutes stand in for characters the core fonts' code page (cp1252)
// lacks and that office names, services and documents plausibly hold.
var substitutes = map[rune]string{
	'‐': "-", '‑': "-", '‒': "-", '―': "—", '−': "-",
	'→': "->", '←': "<-", '⇒': "=>", '≤': "<=", '≥': ">=", '≠': "!=",
	'′': "'", '″': "\"", '✓': "v", '✔': "v", '×': "x",
	'\u00ad': "", '\u200b': "", '\ufeff': "",
}

// encoder turns UTF-8 into the cp1252 bytes the core fonts print. fpdf's
// translator writes '.' for what cp1252 lacks, which would read as a full
// stop; this prints a near equivalent or '?' instead.
type encoder struct {
	tr func(string) string
}

func (e encoder) encode(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
		case r < 0x80:
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r): // a combining accent: keep the letter
		default:
			if sub, ok := substitutes[r]; ok {
				b.WriteString(e.tr(sub))
			} else if c := e.tr(string(r)); c != "." {
				b.WriteString(c)
			} else {
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}
