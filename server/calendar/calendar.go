// Package calendar is the office's calendar beyond its weekly hours: the
// Italian public holidays (Easter computed), the patron saint's day, days
// the office opens although a holiday falls on them, and the scadenziario,
// the known periods of heavy demand per service (tax deadlines, school
// enrolments) with the factor by which they multiply arrivals.
//
// Dates are civil dates ("2006-01-02"); the caller turns instants into
// them in the office's zone. The package is pure: no clock, no I/O.
package calendar

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// DayLayout is a civil date.
const DayLayout = "2006-01-02"

// The years for which Closures lists the holidays: the office's closures
// are a set of dates, and this covers any office's lifetime.
const (
	FirstYear = 2000
	LastYear  = 2199
)

// Holiday is a day the office is closed.
type Holiday struct {
	Date   string `json:"date"`
	NameIT string `json:"name_it"`
	NameEN string `json:"name_en"`
}

// Easter returns the date of Easter Sunday in the Gregorian calendar, by
// the anonymous Gregorian computus (Meeus/Jones/Butcher).
func Easter(year int) (time.Month, int) {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Month(month), day
}

// fixed are the Italian public holidays on the same date every year
// (Legge 260/1949 and later amendments).
var fixed = []struct {
	month  time.Month
	day    int
	it, en string
}{
	{time.January, 1, "Capodanno", "New Year's Day"},
	{time.January, 6, "Epifania", "Epiphany"},
	{time.April, 25, "Festa della Liberazione", "Liberation Day"},
	{time.May, 1, "Festa del Lavoro", "Labour Day"},
	{time.June, 2, "Festa della Repubblica", "Republic Day"},
	{time.August, 15, "Ferragosto", "Assumption Day"},
	{time.November, 1, "Ognissanti", "All Saints' Day"},
	{time.December, 8, "Immacolata Concezione", "Immaculate Conception"},
	{time.December, 25, "Natale", "Christmas Day"},
	{time.December, 26, "Santo Stefano", "St Stephen's Day"},
}

// ItalianHolidays returns the national public holidays of a year in date
// order: the fixed ones, Easter Sunday and Easter Monday (Lunedì
// dell'Angelo), and from 2026 St Francis on 4 October.
func ItalianHolidays(year int) []Holiday {
	date := func(m time.Month, d int) string {
		return time.Date(year, m, d, 12, 0, 0, 0, time.UTC).Format(DayLayout)
	}
	out := make([]Holiday, 0, len(fixed)+3)
	for _, f := range fixed {
		out = append(out, Holiday{Date: date(f.month, f.day), NameIT: f.it, NameEN: f.en})
	}
	if year >= 2026 { // restored as a national holiday by the law of 2025 on St Francis, patron of Italy
		out = append(out, Holiday{Date: date(time.October, 4), NameIT: "San Francesco d'Assisi", NameEN: "St Francis of Assisi"})
	}
	m, d := Easter(year)
	out = append(out,
		Holiday{Date: date(m, d), NameIT: "Pasqua", NameEN: "Easter Sunday"},
		Holiday{Date: date(m, d+1), NameIT: "Lunedì dell'Angelo", NameEN: "Easter Monday"})
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// MonthDay is a day of every year, "MM-DD".
type MonthDay struct {
	Month time.Month
	Day   int
}

// ParseMonthDay reads "MM-DD" (29 February allowed: it falls only in leap
// years).
func ParseMonthDay(s string) (MonthDay, error) {
	t, err := time.Parse("01-02-2006", s+"-2000") // 2000 is a leap year
	if err != nil || len(s) != 5 {
		return MonthDay{}, fmt.Errorf("%q is not a day of the year MM-DD", s)
	}
	return MonthDay{Month: t.Month(), Day: t.Day()}, nil
}

func (md MonthDay) String() string { return fmt.Sprintf("%02d-%02d", int(md.Month), md.Day) }

// in returns the date of md in year, and false when it does not exist
// (29 February of a common year).
func (md MonthDay) in(year int) (string, bool) {
	t := time.Date(year, md.Month, md.Day, 12, 0, 0, 0, time.UTC)
	return t.Format(DayLayout), t.Month() == md.Month
}

// Local is a local holiday: the patron saint's day.
type Local struct {
	Day    MonthDay
	NameIT string
	NameEN string
}

// Calendar is the office's calendar.
type Calendar struct {
	// Holidays closes the office on the Italian public holidays.
	Holidays bool
	// Patron is the patron saint's day, a local holiday; nil: none.
	Patron *Local
	// OpenOn are dates the office opens although a holiday falls on them.
	OpenOn map[string]bool
	// Peaks are the known periods of heavy demand.
	Peaks []Peak
}

// Holiday returns the holiday that closes the office on date, if any: an
// Italian public holiday (when Holidays is set) or the patron saint's day,
// unless the date is in OpenOn.
func (c *Calendar) Holiday(date string) (Holiday, bool) {
	if c == nil || c.OpenOn[date] || len(date) != len(DayLayout) {
		return Holiday{}, false
	}
	t, err := time.Parse(DayLayout, date)
	if err != nil {
		return Holiday{}, false
	}
	for _, h := range c.holidays(t.Year()) {
		if h.Date == date {
			return h, true
		}
	}
	return Holiday{}, false
}

// holidays returns the holidays of a year that close the office, before
// OpenOn.
func (c *Calendar) holidays(year int) []Holiday {
	var out []Holiday
	if c.Holidays {
		out = ItalianHolidays(year)
	}
	if p := c.Patron; p != nil {
		if d, ok := p.Day.in(year); ok {
			out = append(out, Holiday{Date: d, NameIT: p.NameIT, NameEN: p.NameEN})
		}
	}
	return out
}

// Closures returns every holiday that closes the office from FirstYear to
// LastYear, date -> holiday, OpenOn left out: the dates the office adds to
// its configured closures.
func (c *Calendar) Closures() map[string]Holiday {
	out := map[string]Holiday{}
	if c == nil {
		return out
	}
	for y := FirstYear; y <= LastYear; y++ {
		for _, h := range c.holidays(y) {
			if !c.OpenOn[h.Date] {
				if _, dup := out[h.Date]; !dup { // a national holiday's name wins
					out[h.Date] = h
				}
			}
		}
	}
	return out
}

// Peak is a known period of heavy demand: an IMU deadline, the TARI
// payments, ISEE renewals in January, school enrolments. Its dates are
// either every year's ("06-09" to "06-16"; a period may run over New Year,
// "12-20" to "01-10") or one year's ("2026-06-09" to "2026-06-16").
type Peak struct {
	Name string
	// Services are the services whose arrivals it multiplies; none: all.
	Services []string
	From, To string
	// Factor multiplies the arrivals of an ordinary day of the same
	// weekday (1.8: 80 % more citizens).
	Factor float64
}

// MaxFactor bounds a peak's factor: beyond it the office needs a plan, not
// a forecast.
const MaxFactor = 20

// Check validates a peak and returns a message naming the field at fault.
func (p *Peak) Check(known func(service string) bool) error {
	if strings.TrimSpace(p.Name) == "" {
		return fmt.Errorf("name: is empty")
	}
	if !(p.Factor > 0 && p.Factor <= MaxFactor) {
		return fmt.Errorf("factor: %v must be more than 0 and at most %d", p.Factor, MaxFactor)
	}
	for _, s := range p.Services {
		if !known(s) {
			return fmt.Errorf("services: unknown service %q", s)
		}
	}
	annualFrom, errFrom := kind(p.From)
	if errFrom != nil {
		return fmt.Errorf("from: %w", errFrom)
	}
	annualTo, errTo := kind(p.To)
	if errTo != nil {
		return fmt.Errorf("to: %w", errTo)
	}
	if annualFrom != annualTo {
		return fmt.Errorf("from and to: %q and %q must both be MM-DD (every year) or both YYYY-MM-DD", p.From, p.To)
	}
	if !annualFrom && p.To < p.From {
		return fmt.Errorf("to: %s is before from %s", p.To, p.From)
	}
	return nil
}

// kind tells an annual "MM-DD" from a dated "YYYY-MM-DD".
func kind(s string) (annual bool, err error) {
	if _, err := ParseMonthDay(s); err == nil {
		return true, nil
	}
	if _, err := time.Parse(DayLayout, s); err == nil && len(s) == len(DayLayout) {
		return false, nil
	}
	return false, fmt.Errorf("%q is not MM-DD or YYYY-MM-DD", s)
}

// covers reports whether the peak includes date (YYYY-MM-DD).
func (p *Peak) covers(date string) bool {
	if len(p.From) == len(DayLayout) {
		return p.From <= date && date <= p.To
	}
	md := date[5:]
	if p.From <= p.To {
		return p.From <= md && md <= p.To
	}
	return md >= p.From || md <= p.To // over New Year
}

// applies reports whether the peak multiplies the service's arrivals.
func (p *Peak) applies(service string) bool {
	return len(p.Services) == 0 || slices.Contains(p.Services, service)
}

// Factor returns how much the calendar multiplies a service's arrivals on
// date (1 outside any period), and the names of the periods that do it.
// Overlapping periods do not compound: the largest factor counts (two
// deadlines on one day bring the same citizens, mostly). A factor below 1
// is a quiet period (August).
func (c *Calendar) Factor(service, date string) (float64, []string) {
	if c == nil {
		return 1, nil
	}
	f := 0.0
	var names []string
	for i := range c.Peaks {
		p := &c.Peaks[i]
		if p.applies(service) && p.covers(date) {
			names = append(names, p.Name)
			f = max(f, p.Factor)
		}
	}
	if len(names) == 0 {
		return 1, nil
	}
	return f, names
}

// PeaksOn returns the peaks covering date, for any service.
func (c *Calendar) PeaksOn(date string) []Peak {
	if c == nil {
		return nil
	}
	var out []Peak
	for _, p := range c.Peaks {
		if p.covers(date) {
			out = append(out, p)
		}
	}
	return out
}
