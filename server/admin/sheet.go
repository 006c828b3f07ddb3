package admin

import (
	"html"
	"html/template"
	"regexp"
	"strings"
)

// The information sheet's previews: the Markdown the back office writes,
// shown as the kiosk and the counter show it, so the author sees what the
// citizen and the clerk will read. Each follows its app's own reading of
// the text (kiosk/ui/sheet.go; the counter's Fyne RichText after
// keepLineBreaks, counter/ui/sheet.go); every piece of text is escaped
// before any tag is written.

var (
	kioskNumbered = regexp.MustCompile(`^\d+[.)] `)
	kioskLink     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	kioskMarks    = strings.NewReplacer("**", "", "__", "", "`", "")
)

// KioskHTML renders a sheet as the kiosk shows it: paragraphs (lines
// joined), headings, bulleted and numbered lists, wholly bold lines in
// bold; emphasis inside a line, links and code as their plain words.
func KioskHTML(md string) template.HTML {
	var b strings.Builder
	var para []string
	flush := func() {
		if len(para) > 0 {
			b.WriteString(kioskLine("p", strings.Join(para, " "), false))
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
			b.WriteString(kioskLine("h3", strings.TrimLeft(l, "# "), true))
		case len(l) > 2 && strings.ContainsRune("-*+", rune(l[0])) && l[1] == ' ':
			flush()
			b.WriteString(kioskLine("li", strings.TrimSpace(l[2:]), false))
		case kioskNumbered.MatchString(l):
			flush()
			b.WriteString(kioskLine("p", l, false))
		default:
			para = append(para, l)
		}
	}
	flush()
	return template.HTML(b.String()) // every text went through html.EscapeString
}

// kioskLine is one part of the kiosk's text: bold when the whole line is,
// its markup removed.
func kioskLine(tag, s string, bold bool) string {
	if len(s) > 4 && (strings.HasPrefix(s, "**") && strings.HasSuffix(s, "**") && !strings.Contains(s[2:len(s)-2], "**") ||
		strings.HasPrefix(s, "__") && strings.HasSuffix(s, "__") && !strings.Contains(s[2:len(s)-2], "__")) {
		bold = true
	}
	text := html.EscapeString(kioskMarks.Replace(kioskLink.ReplaceAllString(s, "$1")))
	if bold {
		text = "<strong>" + text + "</strong>"
	}
	if tag == "li" {
		return `<p class="bullet">` + text + "</p>"
	}
	return "<" + tag + ">" + text + "</" + tag + ">"
}

var (
	mdLink   = regexp.MustCompile(`\[([^\]]*)\]\(([^)]*)\)`)
	mdStrong = regexp.MustCompile(`\*\*(.+?)\*\*|__(.+?)__`)
	mdEm     = regexp.MustCompile(`\*([^*\s][^*]*?)\*|\b_([^_\s][^_]*?)_\b`)
	mdCode   = regexp.MustCompile("`([^`]+)`")
	mdOrder  = regexp.MustCompile(`^(\d+)[.)] `)
)

// CounterHTML renders a sheet as the counter shows it: Markdown with every
// line of prose its own paragraph (as the back office writes an Italian
// line, then its English one), headings, bulleted and numbered lists,
// bold, italics and code inside a line, links as underlined words.
func CounterHTML(md string) template.HTML {
	var b strings.Builder
	list := "" // "ul" or "ol" while one is open
	closeList := func() {
		if list != "" {
			b.WriteString("</" + list + ">")
			list = ""
		}
	}
	openList := func(kind string) {
		if list != kind {
			closeList()
			b.WriteString("<" + kind + ">")
			list = kind
		}
	}
	for _, raw := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		l := strings.TrimSpace(raw)
		switch {
		case l == "":
			closeList()
		case strings.HasPrefix(l, "#"):
			closeList()
			level := min(len(l)-len(strings.TrimLeft(l, "#")), 6)
			tag := "h" + string(rune('0'+min(level+2, 6)))
			b.WriteString("<" + tag + ">" + inlineMarkdown(strings.TrimSpace(strings.TrimLeft(l, "#"))) + "</" + tag + ">")
		case len(l) > 2 && strings.ContainsRune("-*+", rune(l[0])) && l[1] == ' ':
			openList("ul")
			b.WriteString("<li>" + inlineMarkdown(strings.TrimSpace(l[2:])) + "</li>")
		case mdOrder.MatchString(l):
			openList("ol")
			b.WriteString("<li>" + inlineMarkdown(strings.TrimSpace(mdOrder.ReplaceAllString(l, ""))) + "</li>")
		case strings.HasPrefix(l, ">"):
			closeList()
			b.WriteString("<blockquote>" + inlineMarkdown(strings.TrimSpace(strings.TrimLeft(l, "> "))) + "</blockquote>")
		default:
			closeList()
			b.WriteString("<p>" + inlineMarkdown(l) + "</p>")
		}
	}
	closeList()
	return template.HTML(b.String()) // every text went through html.EscapeString
}

// inlineMarkdown escapes a line, then writes its inline marks as tags.
func inlineMarkdown(s string) string {
	s = html.EscapeString(s)
	s = mdCode.ReplaceAllString(s, "<code>$1</code>")
	s = mdLink.ReplaceAllString(s, `<span class="link">$1</span>`)
	s = mdStrong.ReplaceAllString(s, "<strong>$1$2</strong>")
	s = mdEm.ReplaceAllString(s, "<em>$1$2</em>")
	return s
}
