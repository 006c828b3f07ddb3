package ui

import (
	"strings"
	"time"

	"turno/server/queue"
)

// Days and times in words, in the console's language.

// dayName says a date: "Tuesday 24 November", "martedì 24 novembre".
func (c *Console) dayName(t time.Time) string {
	t = c.inZone(t)
	return tr("{{.Weekday}} {{.D}} {{.Month}}", "Weekday", weekdayName(t.Weekday()), "D", t.Day(), "Month", monthName(t.Month()))
}

// when says a slot: "Tuesday 24 November at 10:30".
func (c *Console) when(t time.Time) string {
	return tr("{{.Day}} at {{.T}}", "Day", c.dayName(t), "T", c.clock(t))
}

func weekdayName(d time.Weekday) string {
	switch d {
	case time.Monday:
		return tr("Monday")
	case time.Tuesday:
		return tr("Tuesday")
	case time.Wednesday:
		return tr("Wednesday")
	case time.Thursday:
		return tr("Thursday")
	case time.Friday:
		return tr("Friday")
	case time.Saturday:
		return tr("Saturday")
	}
	return tr("Sunday")
}

func monthName(m time.Month) string {
	switch m {
	case time.January:
		return tr("January")
	case time.February:
		return tr("February")
	case time.March:
		return tr("March")
	case time.April:
		return tr("April")
	case time.May:
		return tr("May")
	case time.June:
		return tr("June")
	case time.July:
		return tr("July")
	case time.August:
		return tr("August")
	case time.September:
		return tr("September")
	case time.October:
		return tr("October")
	case time.November:
		return tr("November")
	}
	return tr("December")
}

// spell reads a booking code letter by letter, each with its word of the
// phone alphabet ("A as Alfa", "A come Ancona"), so that the citizen writes
// it down right; digits are read as they are.
func spell(code string) string {
	var b strings.Builder
	for i, r := range code {
		switch {
		case i == 0:
		case i == queue.CodeLength/2 && len(code) == queue.CodeLength:
			b.WriteString(" — ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(phoneWord(r))
	}
	return b.String()
}

// phoneWord is a character as it is spelled on the phone in the console's
// language: NATO's alphabet in English, Italian cities in Italian. The
// codes' alphabet leaves out the letters misheard.
func phoneWord(r rune) string {
	switch r {
	case 'A':
		return tr("A as Alfa")
	case 'C':
		return tr("C as Charlie")
	case 'D':
		return tr("D as Delta")
	case 'E':
		return tr("E as Echo")
	case 'F':
		return tr("F as Foxtrot")
	case 'G':
		return tr("G as Golf")
	case 'H':
		return tr("H as Hotel")
	case 'J':
		return tr("J as Juliett")
	case 'K':
		return tr("K as Kilo")
	case 'M':
		return tr("M as Mike")
	case 'N':
		return tr("N as November")
	case 'P':
		return tr("P as Papa")
	case 'Q':
		return tr("Q as Quebec")
	case 'R':
		return tr("R as Romeo")
	case 'T':
		return tr("T as Tango")
	case 'W':
		return tr("W as Whiskey")
	case 'X':
		return tr("X as X-ray")
	case 'Y':
		return tr("Y as Yankee")
	}
	return string(r)
}
