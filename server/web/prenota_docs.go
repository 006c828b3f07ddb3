package web

import (
	"html"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"turno/server/queue"
)

// What the booking page hands the citizen besides HTML: the information
// sheet rendered from its Markdown, and the calendar file.

var (
	infoLink   = regexp.MustCompile(`!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)`)
	infoStrong = regexp.MustCompile(`\*\*(.+?)\*\*|__(.+?)__`)
	infoEm     = regexp.MustCompile(`\*([^*]+?)\*`)
)

// infoHTML renders a service's information sheet, Markdown as the office
// writes it, into safe HTML: every character of the text is escaped first,
// then list items become a list, headings and wholly bold lines strong
// paragraphs, **bold** and *emphasis* their tags, and links their text (a
// sheet sends no one elsewhere).
func infoHTML(md string) template.HTML {
	var b strings.Builder
	inList := false
	closeList := func() {
		if inList {
			b.WriteString("</ul>")
			inList = false
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			closeList()
			continue
		}
		item := false
		for _, m := range []string{"- ", "* ", "+ "} {
			if rest, ok := strings.CutPrefix(line, m); ok {
				line, item = strings.TrimSpace(rest), true
				break
			}
		}
		heading := false
		if !item && strings.HasPrefix(line, "#") {
			line, heading = strings.TrimSpace(strings.TrimLeft(line, "#")), true
		}
		inline := infoInline(line)
		switch {
		case item:
			if !inList {
				b.WriteString("<ul>")
				inList = true
			}
			b.WriteString("<li>" + inline + "</li>")
		case heading:
			closeList()
			b.WriteString("<p><strong>" + inline + "</strong></p>")
		default:
			closeList()
			b.WriteString("<p>" + inline + "</p>")
		}
	}
	closeList()
	return template.HTML(b.String()) // every piece of text went through html.EscapeString
}

// infoInline renders one line's inline marks, after escaping it.
func infoInline(s string) string {
	s = infoLink.ReplaceAllString(s, "$1")
	s = html.EscapeString(s)
	s = strings.NewReplacer(`\*`, "&#42;", `\_`, "&#95;", "\\`", "&#96;", `\\`, "&#92;").Replace(s)
	s = infoStrong.ReplaceAllStringFunc(s, func(m string) string {
		return "<strong>" + m[2:len(m)-2] + "</strong>"
	})
	s = infoEm.ReplaceAllString(s, "<em>$1</em>")
	return strings.ReplaceAll(s, "`", "")
}

// calendarData is what the .ics file of a booking says.
type calendarData struct {
	Booking  queue.Booking
	UIDHost  string // the domain part of the event's UID
	Summary  string
	Location string // the office's name
	Lines    []string
	URL      string
	Reminder string
	Now      time.Time
}

// icsTime is a date-time in UTC, RFC 5545 form 2.
func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// bookingICS writes an iCalendar file (RFC 5545) with the booking as one
// event: times in UTC, which every calendar shows in its own zone, the
// event's UID the booking's id, and SEQUENCE counting the changes, so
// that importing the file again after a move or a cancellation updates
// the event instead of adding one.
func bookingICS(d calendarData) []byte {
	b := d.Booking
	status := "CONFIRMED"
	seq := b.Moves
	if b.State == queue.BookingCancelled {
		status = "CANCELLED"
		seq++
	}
	var out strings.Builder
	prop := func(name, value string) { out.WriteString(foldICS(name + ":" + value)) }
	prop("BEGIN", "VCALENDAR")
	prop("VERSION", "2.0")
	prop("PRODID", "-//Turno//Prenota//IT")
	prop("CALSCALE", "GREGORIAN")
	prop("METHOD", "PUBLISH")
	prop("BEGIN", "VEVENT")
	prop("UID", b.ID+"@"+d.UIDHost)
	prop("DTSTAMP", icsTime(d.Now))
	prop("DTSTART", icsTime(b.Slot))
	prop("DTEND", icsTime(b.SlotEnd))
	prop("SEQUENCE", strconv.Itoa(seq))
	prop("STATUS", status)
	prop("SUMMARY", escapeICS(d.Summary))
	prop("LOCATION", escapeICS(d.Location))
	prop("DESCRIPTION", escapeICS(strings.Join(d.Lines, "\n")))
	if d.URL != "" {
		prop("URL", d.URL)
	}
	if b.State == queue.BookingBooked && d.Reminder != "" {
		prop("BEGIN", "VALARM")
		prop("ACTION", "DISPLAY")
		prop("TRIGGER", "-PT1H")
		prop("DESCRIPTION", escapeICS(d.Reminder))
		prop("END", "VALARM")
	}
	prop("END", "VEVENT")
	prop("END", "VCALENDAR")
	return []byte(out.String())
}

// escapeICS escapes a TEXT value (RFC 5545 3.3.11).
func escapeICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// foldICS ends a content line with CRLF, folded into lines of at most 75
// octets (RFC 5545 3.1), never inside a UTF-8 sequence.
func foldICS(line string) string {
	var b strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut] + "\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line + "\r\n")
	return b.String()
}
