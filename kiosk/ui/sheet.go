package ui

import (
	"regexp"
	"strings"

	"fyne.io/fyne/v2/theme"
)

// sheetParts turns a service's information sheet, Markdown as the office
// writes it in its configuration, into the kiosk's text: paragraphs,
// headings, bulleted and numbered lists, bold lines. Emphasis inside a
// line, links and code are shown as their words. A fitText draws it all,
// in the kiosk's sizes and colours, inside the place it is given (Fyne's
// RichText draws a wrapped line a few pixels past its edge).
func sheetParts(md string) []textPart {
	var parts []textPart
	var para []string
	flush := func() {
		if len(para) > 0 {
			parts = append(parts, plainOrBold(strings.Join(para, " "), false))
			para = nil
		}
	}
	for _, raw := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		l := strings.TrimSpace(raw)
		switch {
		case l == "":
			flush()
		case strings.HasPrefix(l, "#"):
			flush()
			p := plainOrBold(strings.TrimLeft(l, "# "), true)
			p.Size = sizeHeadline
			parts = append(parts, p)
		case len(l) > 2 && strings.ContainsRune("-*+", rune(l[0])) && l[1] == ' ':
			flush()
			p := plainOrBold(strings.TrimSpace(l[2:]), false)
			p.Bullet = true
			parts = append(parts, p)
		case numbered.MatchString(l):
			flush()
			parts = append(parts, plainOrBold(l, false))
		default:
			para = append(para, l)
		}
	}
	flush()
	return parts
}

var (
	numbered = regexp.MustCompile(`^\d+[.)] `)
	link     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	marks    = strings.NewReplacer("**", "", "__", "", "`", "")
)

// plainOrBold is a line as a part: bold when the whole line is, its
// markup removed.
func plainOrBold(s string, bold bool) textPart {
	if len(s) > 4 && (strings.HasPrefix(s, "**") && strings.HasSuffix(s, "**") && !strings.Contains(s[2:len(s)-2], "**") ||
		strings.HasPrefix(s, "__") && strings.HasSuffix(s, "__") && !strings.Contains(s[2:len(s)-2], "__")) {
		bold = true
	}
	s = marks.Replace(link.ReplaceAllString(s, "$1"))
	return textPart{Text: s, Size: sizeHeadline, Bold: bold, Color: theme.ColorNameForeground}
}
