package config

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"turno/server/queue"
)

// Encode writes the whole configuration as TOML, in the order and form of
// the demo office's file, every value explicit (the defaults Parse filled in
// are written out) and no comments: the canonical text of a stored version.
// Parse(Encode(c)) gives c back, password hashes and device tokens
// included.
func Encode(c *Config) ([]byte, error) {
	secs, err := sections(c)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for i, sec := range secs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(sec.header)
		b.WriteByte('\n')
		for _, f := range sec.fields {
			b.WriteString(f.key)
			b.WriteString(" = ")
			b.WriteString(f.value)
			b.WriteByte('\n')
		}
	}
	return b.Bytes(), nil
}

// section is one table of the file: its header, what it is to a reader of
// the changes (id: "office", "services[anagrafe]"), and its fields in the
// file's order.
type section struct {
	header, id string
	fields     []field
}

type field struct{ key, value string }

// sectionList builds the file's tables in order.
type sectionList []section

func (l *sectionList) table(name string) {
	*l = append(*l, section{header: "[" + name + "]", id: name})
}

func (l *sectionList) array(name, id string) {
	*l = append(*l, section{header: "[[" + name + "]]", id: name + "[" + id + "]"})
}

func (l *sectionList) kv(key, value string) {
	last := &(*l)[len(*l)-1]
	last.fields = append(last.fields, field{key, value})
}

func sections(c *Config) ([]section, error) {
	if c.Office.Location == nil {
		return nil, fmt.Errorf("config: encode: office.timezone: is missing")
	}
	e := &sectionList{}
	o := &c.Office
	e.table("office")
	e.kv("name", str(o.Name))
	e.kv("timezone", str(o.Location.String()))
	e.kv("session_ttl", dur(c.SessionTTL))
	e.kv("closures", strs(c.Closures))
	e.table("office.hours")
	for _, d := range weekdays {
		if len(o.Hours[d.day]) > 0 {
			e.kv(d.key, ranges(o.Hours[d.day]))
		}
	}

	r := o.Rules
	e.table("rules")
	e.kv("priority_max_in_row", strconv.Itoa(r.PriorityMaxInRow))
	e.kv("max_recalls", strconv.Itoa(r.MaxRecalls))
	e.kv("reactivate_window", dur(r.ReactivateWindow))
	e.kv("cutoff_confidence", float(r.CutoffConfidence))
	e.kv("overtime_confidence", float(r.OvertimeConfidence))
	e.kv("overtime_tolerance", dur(r.OvertimeTolerance))
	e.kv("ratings_per_clerk", strconv.FormatBool(r.RatingsPerClerk))

	cal := &c.Calendar
	e.table("calendar")
	e.kv("holidays", strconv.FormatBool(cal.Holidays))
	if cal.Patron != nil {
		e.kv("patron", str(cal.Patron.Day.String()))
		e.kv("patron_name", str(cal.Patron.NameIT))
	}
	e.kv("open_on", strs(sortedKeys(cal.OpenOn)))
	for i, p := range cal.Peaks {
		e.array("peaks", strconv.Itoa(i+1))
		e.kv("name", str(p.Name))
		e.kv("services", strs(p.Services))
		e.kv("from", str(p.From))
		e.kv("to", str(p.To))
		e.kv("factor", float(p.Factor))
	}
	e.table("forecast")
	e.kv("weeks", strconv.Itoa(c.Forecast.Weeks))
	e.kv("service_level", float(c.Forecast.ServiceLevel))
	e.table("reports")
	e.kv("per_clerk", strconv.FormatBool(c.ReportsPerClerk))

	e.table("agenda")
	e.kv("prefix", str(o.Agenda.Prefix))
	if o.Agenda.Retention%(24*time.Hour) != 0 {
		return nil, fmt.Errorf("config: encode: agenda.retention_days: %s is not whole days", o.Agenda.Retention)
	}
	e.kv("retention_days", strconv.FormatInt(int64(o.Agenda.Retention/(24*time.Hour)), 10))
	e.kv("verify_contact", strconv.FormatBool(c.VerifyContact))
	e.kv("web_bookings_per_hour", strconv.Itoa(c.WebBookingsPerHour))

	for i := range o.Services {
		s := &o.Services[i]
		e.array("services", s.ID)
		e.kv("id", str(s.ID))
		e.kv("name", inline([]string{"it", "en"}, []string{str(s.NameIT), str(s.NameEN)}))
		e.kv("prefix", str(s.Prefix))
		e.kv("lane", str(string(s.Lane)))
		if s.Hours != nil {
			e.kv("hours", inlineWeek(*s.Hours))
		}
		e.kv("cutoff_before_close", dur(s.CutoffBeforeClose))
		e.kv("cutoff_on_load", strconv.FormatBool(s.CutoffOnLoad))
		e.kv("daily_cap", strconv.Itoa(s.DailyCap))
		e.kv("target_wait", dur(s.TargetWait))
		e.kv("service_time", dur(s.ServiceTime))
		e.kv("weight", float(s.Weight))
		e.kv("appointments", agenda(s.Agenda))
		e.kv("info", multiline(s.Info))
	}
	for _, k := range o.Counters {
		e.array("counters", k.ID)
		e.kv("id", str(k.ID))
		e.kv("name", str(k.Name))
		e.kv("lane", str(string(k.Lane)))
		e.kv("services", strs(k.Services))
	}
	shifts := map[string]int{}
	for _, sh := range o.Staffing.Shifts {
		shifts[sh.Counter]++
		e.array("staffing", fmt.Sprintf("%s#%d", sh.Counter, shifts[sh.Counter]))
		e.kv("counter", str(sh.Counter))
		e.kv("hours", inlineWeek(sh.Hours))
		if len(sh.Services) > 0 {
			e.kv("services", strs(sh.Services))
		}
	}
	for _, date := range sortedKeys(o.Staffing.Exceptions) {
		byCounter := o.Staffing.Exceptions[date]
		for _, counter := range sortedKeys(byCounter) {
			e.array("staffing_exceptions", date+" "+counter)
			e.kv("date", str(date))
			e.kv("counter", str(counter))
			e.kv("hours", ranges(byCounter[counter]))
		}
	}
	for _, u := range c.Users {
		e.array("users", u.Name)
		e.kv("name", str(u.Name))
		e.kv("full_name", str(u.FullName))
		e.kv("role", str(string(u.Role)))
		e.kv("password_hash", str(u.PasswordHash))
		if u.demoPassword != "" {
			e.kv("demo_password", str(u.demoPassword))
		}
		if len(u.Services) > 0 {
			e.kv("services", strs(u.Services))
		}
	}
	for _, d := range c.Devices {
		e.array("devices", d.ID)
		e.kv("id", str(d.ID))
		e.kv("role", str(string(d.Role)))
		e.kv("token", str(d.Token))
		if d.Counter != "" {
			e.kv("counter", str(d.Counter))
		}
	}
	return *e, nil
}

// weekdays are the file's day keys in the order the file lists them.
var weekdays = []struct {
	key string
	day time.Weekday
}{
	{"mon", time.Monday}, {"tue", time.Tuesday}, {"wed", time.Wednesday}, {"thu", time.Thursday},
	{"fri", time.Friday}, {"sat", time.Saturday}, {"sun", time.Sunday},
}

func inlineWeek(w queue.Week) string {
	var keys, values []string
	for _, d := range weekdays {
		if len(w[d.day]) > 0 {
			keys = append(keys, d.key)
			values = append(values, ranges(w[d.day]))
		}
	}
	return inline(keys, values)
}

func ranges(rs []queue.Range) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return strs(out)
}

func inline(keys, values []string) string {
	if len(keys) == 0 {
		return "{}"
	}
	parts := make([]string, len(keys))
	for i := range keys {
		parts[i] = keys[i] + " = " + values[i]
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

func agenda(a *queue.Agenda) string {
	if a == nil {
		return "false"
	}
	keys := []string{"slot", "per_slot", "horizon_days", "min_notice", "check_in_early", "check_in_late", "late", "max_per_contact"}
	values := []string{dur(a.Slot), strconv.Itoa(a.PerSlot), strconv.Itoa(a.HorizonDays), dur(a.MinNotice),
		dur(a.CheckInEarly), dur(a.CheckInLate), str(string(a.Late)), strconv.Itoa(a.MaxPerContact)}
	if a.Hours != nil {
		keys = append(keys, "hours")
		values = append(values, inlineWeek(*a.Hours))
	}
	return inline(keys, values)
}

// str is a TOML basic string.
func str(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			writeRune(&b, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// multiline is a TOML multi-line basic string, so an information sheet
// reads as written; the empty string stays on one line.
func multiline(s string) string {
	if s == "" {
		return `""`
	}
	var b strings.Builder
	b.WriteString("\"\"\"\n")
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n', '\t':
			b.WriteRune(r)
		case '\r':
			b.WriteString(`\r`)
		default:
			writeRune(&b, r)
		}
	}
	b.WriteString("\n\"\"\"")
	return b.String()
}

// writeRune writes r, escaping the control characters TOML strings may
// not hold.
func writeRune(b *strings.Builder, r rune) {
	if r < 0x20 || r == 0x7f {
		fmt.Fprintf(b, `\u%04X`, r)
		return
	}
	b.WriteRune(r)
}

func strs(list []string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = str(s)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// dur writes a duration as the file's readers write it: "30m", "1h30m",
// "45s", "0s".
func dur(d time.Duration) string {
	if d == 0 {
		return `"0s"`
	}
	if d%time.Second != 0 || d < 0 {
		return str(d.String())
	}
	var b strings.Builder
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if s > 0 {
		fmt.Fprintf(&b, "%ds", s)
	}
	return str(b.String())
}

// float writes a TOML float: always with a point or an exponent, so it is
// never read back as an integer.
func float(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "nan" // Parse refuses it where it matters
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
