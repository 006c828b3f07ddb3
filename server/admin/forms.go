package admin

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"turno/server/calendar"
	"turno/server/config"
	"turno/server/queue"
)

// The console's forms: each reads a page's fields into strings (so a
// refused form comes back as typed) and writes them into a copy of the
// configuration (Clone), naming the file's field when a value cannot be
// read. What the values mean together is checked by Apply, through the
// file's own validation.

// Reserved is the console's name for a new service, counter, shift or
// user in its addresses (/admin/services/new): no new one may take it.
const Reserved = "new"

func reserved(field string) error {
	return fieldErr(field, "«%s» è riservato alla console: scegline un altro", "\u201c%s\u201d is reserved by the console: choose another", Reserved)
}

// FieldError is a form value that cannot be read; Field is the file's
// field it was for.
type FieldError struct {
	Field  string
	IT, EN string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.EN }

func fieldErr(field, it, en string, args ...any) *FieldError {
	return &FieldError{Field: field, IT: fmt.Sprintf(it, args...), EN: fmt.Sprintf(en, args...)}
}

// Days are the weekdays in the order forms list them, with the file's keys.
var Days = []struct {
	Key string
	Day time.Weekday
}{
	{"mon", time.Monday}, {"tue", time.Tuesday}, {"wed", time.Wednesday}, {"thu", time.Thursday},
	{"fri", time.Friday}, {"sat", time.Saturday}, {"sun", time.Sunday},
}

// WeekInputs writes a week as seven inputs, Monday first: "08:30-12:30,
// 15:00-17:00"; a closed day is empty.
func WeekInputs(w *queue.Week) [7]string {
	var out [7]string
	if w == nil {
		return out
	}
	for i, d := range Days {
		rs := make([]string, len(w[d.Day]))
		for j, r := range w[d.Day] {
			rs[j] = r.String()
		}
		out[i] = strings.Join(rs, ", ")
	}
	return out
}

func readWeek(v url.Values, prefix string) [7]string {
	var out [7]string
	for i, d := range Days {
		out[i] = strings.TrimSpace(v.Get(prefix + "_" + d.Key))
	}
	return out
}

// ParseWeek reads seven inputs into a week; field is the file's ("office.hours").
func ParseWeek(in [7]string, field string) (queue.Week, error) {
	var w queue.Week
	for i, d := range Days {
		for _, part := range strings.FieldsFunc(in[i], func(r rune) bool { return r == ',' || r == ';' }) {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			r, err := queue.ParseRange(normalRange(part))
			if err != nil {
				return w, fieldErr(field+"."+d.Key, "«%s» non è un orario come 08:30-12:30", "“%s” is not a range like 08:30-12:30", part)
			}
			w[d.Day] = append(w[d.Day], r)
		}
	}
	if err := w.Validate(); err != nil {
		return w, fieldErr(field, "gli intervalli di un giorno si sovrappongono o non sono in ordine (%v)", "a day's ranges overlap or are out of order (%v)", err)
	}
	return w, nil
}

// normalRange accepts "8:30 - 12:30" and "8.30-12.30" for "08:30-12:30".
func normalRange(s string) string {
	from, to, ok := strings.Cut(strings.ReplaceAll(s, " ", ""), "-")
	if !ok {
		return s
	}
	pad := func(t string) string {
		t = strings.ReplaceAll(t, ".", ":")
		if len(t) == 4 && t[1] == ':' {
			t = "0" + t
		}
		return t
	}
	return pad(from) + "-" + pad(to)
}

// minutes writes a duration as minutes ("20", "12.5").
func minutes(d time.Duration) string {
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64)
}

// parseMinutes reads minutes ("20", "12,5") into a duration.
func parseMinutes(s, field string) (time.Duration, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" {
		return 0, nil
	}
	m, err := strconv.ParseFloat(s, 64)
	if err != nil || m < 0 || m > 24*60 || math.IsNaN(m) {
		return 0, fieldErr(field, "«%s» non è un numero di minuti da 0 a 1440", "“%s” is not a number of minutes from 0 to 1440", s)
	}
	return (time.Duration(m * float64(time.Minute))).Round(time.Second), nil
}

func parseInt(s, field string, lo, hi int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fieldErr(field, "«%s» non è un numero intero da %d a %d", "“%s” is not a whole number from %d to %d", s, lo, hi)
	}
	return n, nil
}

func checked(v url.Values, name string) bool { return v.Get(name) != "" }

// text reads a free-text field, refusing what no one would type.
func text(v url.Values, name, field string, maxLen int) (string, error) {
	s := strings.TrimSpace(v.Get(name))
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' && r != '\r' }) {
		return "", fieldErr(field, "contiene caratteri non validi", "holds characters that are not valid text")
	}
	if n := utf8.RuneCountInString(s); n > maxLen {
		return "", fieldErr(field, "è lungo %d caratteri, più di %d", "is %d characters long, more than %d", n, maxLen)
	}
	return s, nil
}

// OfficeForm is the office's name, hours, session length and calendar.
type OfficeForm struct {
	Name         string
	Hours        [7]string
	SessionHours string
	Holidays     bool
	Patron       string // MM-DD
	PatronName   string
}

// NewOfficeForm fills the form from the configuration.
func NewOfficeForm(c *config.Config) OfficeForm {
	f := OfficeForm{Name: c.Office.Name, Hours: WeekInputs(&c.Office.Hours), SessionHours: strconv.FormatFloat(c.SessionTTL.Hours(), 'f', -1, 64),
		Holidays: c.Calendar.Holidays}
	if p := c.Calendar.Patron; p != nil {
		f.Patron, f.PatronName = p.Day.String(), p.NameIT
	}
	return f
}

// ReadOfficeForm reads the posted form.
func ReadOfficeForm(v url.Values) OfficeForm {
	return OfficeForm{Name: strings.TrimSpace(v.Get("name")), Hours: readWeek(v, "hours"), SessionHours: strings.TrimSpace(v.Get("session_hours")),
		Holidays: checked(v, "holidays"), Patron: strings.TrimSpace(v.Get("patron")), PatronName: strings.TrimSpace(v.Get("patron_name"))}
}

// Apply writes the form into c.
func (f OfficeForm) Apply(c *config.Config) error {
	v := url.Values{"name": {f.Name}, "patron_name": {f.PatronName}}
	name, err := text(v, "name", "office.name", 120)
	if err != nil {
		return err
	}
	w, err := ParseWeek(f.Hours, "office.hours")
	if err != nil {
		return err
	}
	h, err := strconv.ParseFloat(strings.ReplaceAll(f.SessionHours, ",", "."), 64)
	if err != nil || h < 1 || h > 24*7 {
		return fieldErr("office.session_ttl", "«%s» non è un numero di ore da 1 a 168", "“%s” is not a number of hours from 1 to 168", f.SessionHours)
	}
	c.Office.Name, c.Office.Hours = name, w
	c.SessionTTL = time.Duration(h * float64(time.Hour)).Round(time.Minute)
	c.Calendar.Holidays = f.Holidays
	c.Calendar.Patron = nil
	if f.Patron != "" {
		md, err := calendar.ParseMonthDay(f.Patron)
		if err != nil {
			return fieldErr("calendar.patron", "«%s» non è un giorno dell'anno MM-GG (es. 08-16)", "“%s” is not a day of the year MM-DD (e.g. 08-16)", f.Patron)
		}
		pn, err := text(v, "patron_name", "calendar.patron_name", 80)
		if err != nil {
			return err
		}
		if pn == "" {
			pn = "Santo patrono"
		}
		c.Calendar.Patron = &calendar.Local{Day: md, NameIT: pn, NameEN: pn + " (patron saint)"}
	}
	return nil
}

// maxClosureDays bounds one closure's length.
const maxClosureDays = 366

// AddClosures closes the office from one date to another (the same, for
// one day).
func AddClosures(c *config.Config, from, to string) error {
	start, err := time.Parse(queue.DayLayout, strings.TrimSpace(from))
	if err != nil {
		return fieldErr("office.closures", "«%s» non è una data", "“%s” is not a date", from)
	}
	end := start
	if strings.TrimSpace(to) != "" {
		if end, err = time.Parse(queue.DayLayout, strings.TrimSpace(to)); err != nil {
			return fieldErr("office.closures", "«%s» non è una data", "“%s” is not a date", to)
		}
	}
	if end.Before(start) {
		return fieldErr("office.closures", "la fine (%s) viene prima dell'inizio (%s)", "the end (%s) is before the start (%s)", to, from)
	}
	if end.Sub(start) > maxClosureDays*24*time.Hour {
		return fieldErr("office.closures", "una chiusura dura al massimo %d giorni", "a closure lasts %d days at most", maxClosureDays)
	}
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		day := d.Format(queue.DayLayout)
		if !slices.Contains(c.Closures, day) {
			c.Closures = append(c.Closures, day)
		}
	}
	sort.Strings(c.Closures)
	return nil
}

// RemoveClosure opens the office again on date.
func RemoveClosure(c *config.Config, date string) error {
	i := slices.Index(c.Closures, date)
	if i < 0 {
		return fieldErr("office.closures", "%s non è tra le chiusure", "%s is not among the closures", date)
	}
	c.Closures = slices.Delete(c.Closures, i, i+1)
	return nil
}

// ServiceForm is a service's settings (its sheet has a page of its own),
// and the counters that serve it.
type ServiceForm struct {
	ID, NameIT, NameEN, Prefix, Lane       string
	OwnHours                               bool
	Hours                                  [7]string
	CutoffBeforeClose, TargetWait, Service string // minutes
	CutoffOnLoad                           bool
	DailyCap, Weight                       string
	Bookable                               bool
	Slot, PerSlot, HorizonDays, MinNotice  string
	CheckInEarly, CheckInLate, Late        string
	MaxPerContact                          string
	OwnAgendaHours                         bool
	AgendaHours                            [7]string
	Counters                               []string
}

// NewServiceForm fills the form from a service (nil: a new one's
// defaults).
func NewServiceForm(c *config.Config, s *queue.Service) ServiceForm {
	if s == nil {
		return ServiceForm{Lane: string(queue.LaneStandard), CutoffBeforeClose: minutes(queue.DefaultCutoffBeforeClose), CutoffOnLoad: true,
			TargetWait: minutes(queue.DefaultTargetWait), Service: minutes(queue.DefaultServiceTime), Weight: "1",
			Slot: minutes(queue.DefaultSlot), PerSlot: "1", HorizonDays: strconv.Itoa(queue.DefaultHorizonDays), MinNotice: minutes(queue.DefaultMinNotice),
			CheckInEarly: minutes(queue.DefaultCheckInEarly), CheckInLate: minutes(queue.DefaultCheckInLate), Late: string(queue.LateWalkIn), MaxPerContact: "1"}
	}
	f := ServiceForm{ID: s.ID, NameIT: s.NameIT, NameEN: s.NameEN, Prefix: s.Prefix, Lane: string(s.Lane),
		OwnHours: s.Hours != nil, Hours: WeekInputs(s.Hours), CutoffBeforeClose: minutes(s.CutoffBeforeClose), CutoffOnLoad: s.CutoffOnLoad,
		TargetWait: minutes(s.TargetWait), Service: minutes(s.ServiceTime), DailyCap: strconv.Itoa(s.DailyCap),
		Weight: strconv.FormatFloat(s.Weight, 'f', -1, 64), Bookable: s.Agenda != nil}
	if f.DailyCap == "0" {
		f.DailyCap = ""
	}
	if !f.OwnHours {
		f.Hours = WeekInputs(&c.Office.Hours)
	}
	a := s.Agenda
	if a == nil {
		a = &queue.Agenda{Slot: queue.DefaultSlot, PerSlot: 1, HorizonDays: queue.DefaultHorizonDays, MinNotice: queue.DefaultMinNotice,
			CheckInEarly: queue.DefaultCheckInEarly, CheckInLate: queue.DefaultCheckInLate, Late: queue.LateWalkIn, MaxPerContact: 1}
	}
	f.Slot, f.PerSlot, f.HorizonDays, f.MinNotice = minutes(a.Slot), strconv.Itoa(a.PerSlot), strconv.Itoa(a.HorizonDays), minutes(a.MinNotice)
	f.CheckInEarly, f.CheckInLate, f.Late, f.MaxPerContact = minutes(a.CheckInEarly), minutes(a.CheckInLate), string(a.Late), strconv.Itoa(a.MaxPerContact)
	f.OwnAgendaHours, f.AgendaHours = a.Hours != nil, WeekInputs(a.Hours)
	for _, k := range c.Office.Counters {
		if slices.Contains(k.Services, s.ID) {
			f.Counters = append(f.Counters, k.ID)
		}
	}
	return f
}

// ReadServiceForm reads the posted form.
func ReadServiceForm(v url.Values) ServiceForm {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return ServiceForm{ID: g("id"), NameIT: g("name_it"), NameEN: g("name_en"), Prefix: strings.ToUpper(g("prefix")), Lane: g("lane"),
		OwnHours: checked(v, "own_hours"), Hours: readWeek(v, "hours"), CutoffBeforeClose: g("cutoff_before_close"), CutoffOnLoad: checked(v, "cutoff_on_load"),
		TargetWait: g("target_wait"), Service: g("service_time"), DailyCap: g("daily_cap"), Weight: g("weight"), Bookable: checked(v, "bookable"),
		Slot: g("slot"), PerSlot: g("per_slot"), HorizonDays: g("horizon_days"), MinNotice: g("min_notice"), CheckInEarly: g("check_in_early"),
		CheckInLate: g("check_in_late"), Late: g("late"), MaxPerContact: g("max_per_contact"), OwnAgendaHours: checked(v, "own_agenda_hours"),
		AgendaHours: readWeek(v, "agenda_hours"), Counters: v["counters"]}
}

// Apply writes the form into c: the service with id, or a new one when id
// is "".
func (f ServiceForm) Apply(c *config.Config, id string) error {
	o := &c.Office
	i := slices.IndexFunc(o.Services, func(s queue.Service) bool { return s.ID == id })
	if id != "" && i < 0 {
		return fieldErr("services", "il servizio «%s» non esiste più", "service “%s” no longer exists", id)
	}
	if id == "" {
		if f.ID == Reserved {
			return reserved(fmt.Sprintf("services[%d].id", len(o.Services)))
		}
		if f.ID == "" || !queue.ValidID(f.ID) {
			return fieldErr(fmt.Sprintf("services[%d].id", len(o.Services)), "«%s» deve avere da 1 a 32 lettere, cifre, '-' o '_'", "\u201c%s\u201d must be 1-32 letters, digits, '-' or '_'", f.ID)
		}
		o.Services = append(o.Services, queue.Service{ID: f.ID})
		i = len(o.Services) - 1
	}
	field := fmt.Sprintf("services[%d]", i)
	s := o.Services[i] // a copy: written back at the end
	v := url.Values{"it": {f.NameIT}, "en": {f.NameEN}}
	var err error
	if s.NameIT, err = text(v, "it", field+".name", 80); err != nil {
		return err
	}
	if s.NameEN, err = text(v, "en", field+".name", 80); err != nil {
		return err
	}
	s.Prefix, s.Lane = f.Prefix, queue.Lane(f.Lane)
	for j, other := range o.Services {
		if j != i && other.Prefix == s.Prefix && s.Prefix != "" {
			return &FieldError{Field: field + ".prefix", IT: fmt.Sprintf("la lettera %s è già del servizio «%s»", s.Prefix, other.Name("it")),
				EN: fmt.Sprintf("the letter %s is already service \u201c%s\u201d's", s.Prefix, other.Name("en"))}
		}
	}
	s.Hours = nil
	if f.OwnHours {
		w, err := ParseWeek(f.Hours, field+".hours")
		if err != nil {
			return err
		}
		s.Hours = &w
	}
	if s.CutoffBeforeClose, err = parseMinutes(f.CutoffBeforeClose, field+".cutoff_before_close"); err != nil {
		return err
	}
	s.CutoffOnLoad = f.CutoffOnLoad
	if s.TargetWait, err = parseMinutes(f.TargetWait, field+".target_wait"); err != nil {
		return err
	}
	if s.ServiceTime, err = parseMinutes(f.Service, field+".service_time"); err != nil {
		return err
	}
	if s.DailyCap, err = parseInt(f.DailyCap, field+".daily_cap", 0, 100000); err != nil {
		return err
	}
	s.Weight = 0
	if w := strings.ReplaceAll(f.Weight, ",", "."); w != "" {
		if s.Weight, err = strconv.ParseFloat(w, 64); err != nil || s.Weight < 0 || s.Weight > 100 || math.IsNaN(s.Weight) {
			return fieldErr(field+".weight", "«%s» non è un peso da 0 a 100", "“%s” is not a weight from 0 to 100", f.Weight)
		}
	}
	s.Agenda = nil
	if f.Bookable {
		a := &queue.Agenda{Late: queue.LatePolicy(f.Late)}
		af := field + ".appointments"
		if a.Slot, err = parseMinutes(f.Slot, af+".slot"); err != nil {
			return err
		}
		if a.PerSlot, err = parseInt(f.PerSlot, af+".per_slot", 0, 50); err != nil {
			return err
		}
		if a.HorizonDays, err = parseInt(f.HorizonDays, af+".horizon_days", 0, 366); err != nil {
			return err
		}
		if a.MinNotice, err = parseMinutes(f.MinNotice, af+".min_notice"); err != nil {
			return err
		}
		if a.CheckInEarly, err = parseMinutes(f.CheckInEarly, af+".check_in_early"); err != nil {
			return err
		}
		if a.CheckInLate, err = parseMinutes(f.CheckInLate, af+".check_in_late"); err != nil {
			return err
		}
		if a.MaxPerContact, err = parseInt(f.MaxPerContact, af+".max_per_contact", 0, 100); err != nil {
			return err
		}
		if f.OwnAgendaHours {
			w, err := ParseWeek(f.AgendaHours, af+".hours")
			if err != nil {
				return err
			}
			a.Hours = &w
		}
		s.Agenda = a
	}
	o.Services[i] = s
	for j := range o.Counters {
		k := &o.Counters[j]
		has, want := slices.Contains(k.Services, s.ID), slices.Contains(f.Counters, k.ID)
		switch {
		case want && !has:
			k.Services = append(slices.Clone(k.Services), s.ID)
		case !want && has:
			k.Services = slices.DeleteFunc(slices.Clone(k.Services), func(x string) bool { return x == s.ID })
		}
	}
	return nil
}

// DeleteService removes a service and every mention of it (counters,
// shifts, peaks, users' sheets).
func DeleteService(c *config.Config, id string) error {
	o := &c.Office
	i := slices.IndexFunc(o.Services, func(s queue.Service) bool { return s.ID == id })
	if i < 0 {
		return fieldErr("services", "il servizio «%s» non esiste più", "service “%s” no longer exists", id)
	}
	o.Services = slices.Delete(o.Services, i, i+1)
	drop := func(list []string) []string {
		out := slices.DeleteFunc(slices.Clone(list), func(x string) bool { return x == id })
		if len(out) == 0 {
			return nil
		}
		return out
	}
	for j := range o.Counters {
		o.Counters[j].Services = drop(o.Counters[j].Services)
	}
	for j := range o.Staffing.Shifts {
		o.Staffing.Shifts[j].Services = drop(o.Staffing.Shifts[j].Services)
	}
	peaks := c.Calendar.Peaks[:0:0]
	for _, p := range c.Calendar.Peaks {
		if len(p.Services) > 0 {
			if p.Services = drop(p.Services); p.Services == nil {
				continue // it was that service's peak only
			}
		}
		peaks = append(peaks, p)
	}
	c.Calendar.Peaks = peaks
	for j := range c.Users {
		c.Users[j].Services = drop(c.Users[j].Services)
	}
	return nil
}

// maxSheet bounds an information sheet, in characters.
const maxSheet = 8000

// SetSheet writes a service's information sheet.
func SetSheet(c *config.Config, id, sheet string) error {
	i := slices.IndexFunc(c.Office.Services, func(s queue.Service) bool { return s.ID == id })
	if i < 0 {
		return fieldErr("services", "il servizio «%s» non esiste più", "service “%s” no longer exists", id)
	}
	v := url.Values{"info": {strings.ReplaceAll(sheet, "\r\n", "\n")}}
	info, err := text(v, "info", fmt.Sprintf("services[%d].info", i), maxSheet)
	if err != nil {
		return err
	}
	c.Office.Services[i].Info = info
	return nil
}

// CounterForm is a counter and the services it may serve.
type CounterForm struct {
	ID, Name, Lane string
	Services       []string
}

// NewCounterForm fills the form from a counter (nil: a new one).
func NewCounterForm(k *queue.CounterConfig) CounterForm {
	if k == nil {
		return CounterForm{Lane: string(queue.LaneStandard)}
	}
	return CounterForm{ID: k.ID, Name: k.Name, Lane: string(k.Lane), Services: slices.Clone(k.Services)}
}

// ReadCounterForm reads the posted form.
func ReadCounterForm(v url.Values) CounterForm {
	return CounterForm{ID: strings.TrimSpace(v.Get("id")), Name: strings.TrimSpace(v.Get("name")), Lane: v.Get("lane"), Services: v["services"]}
}

// Apply writes the form into c: the counter with id, or a new one.
func (f CounterForm) Apply(c *config.Config, id string) error {
	o := &c.Office
	i := slices.IndexFunc(o.Counters, func(k queue.CounterConfig) bool { return k.ID == id })
	if id != "" && i < 0 {
		return fieldErr("counters", "lo sportello «%s» non esiste più", "counter “%s” no longer exists", id)
	}
	if id == "" {
		if f.ID == Reserved {
			return reserved(fmt.Sprintf("counters[%d].id", len(o.Counters)))
		}
		if !queue.ValidID(f.ID) {
			return fieldErr(fmt.Sprintf("counters[%d].id", len(o.Counters)), "«%s» deve avere da 1 a 32 lettere, cifre, '-' o '_'", "\u201c%s\u201d must be 1-32 letters, digits, '-' or '_'", f.ID)
		}
		o.Counters = append(o.Counters, queue.CounterConfig{ID: f.ID})
		i = len(o.Counters) - 1
	}
	field := fmt.Sprintf("counters[%d]", i)
	name, err := text(url.Values{"n": {f.Name}}, "n", field+".name", 80)
	if err != nil {
		return err
	}
	// The services in the office's order, as clerks will see them.
	var services []string
	for _, s := range o.Services {
		if slices.Contains(f.Services, s.ID) {
			services = append(services, s.ID)
		}
	}
	o.Counters[i].Name, o.Counters[i].Lane, o.Counters[i].Services = name, queue.Lane(f.Lane), services
	return nil
}

// DeleteCounter removes a counter with its staffing plan.
func DeleteCounter(c *config.Config, id string) error {
	o := &c.Office
	i := slices.IndexFunc(o.Counters, func(k queue.CounterConfig) bool { return k.ID == id })
	if i < 0 {
		return fieldErr("counters", "lo sportello «%s» non esiste più", "counter “%s” no longer exists", id)
	}
	o.Counters = slices.Delete(o.Counters, i, i+1)
	o.Staffing.Shifts = slices.DeleteFunc(o.Staffing.Shifts, func(sh queue.Shift) bool { return sh.Counter == id })
	for date, byCounter := range o.Staffing.Exceptions {
		delete(byCounter, id)
		if len(byCounter) == 0 {
			delete(o.Staffing.Exceptions, date)
		}
	}
	return nil
}

// ShiftForm is one shift of the staffing plan.
type ShiftForm struct {
	Counter  string
	Hours    [7]string
	Services []string
}

// NewShiftForm fills the form from a shift (nil: a new one).
func NewShiftForm(sh *queue.Shift) ShiftForm {
	if sh == nil {
		return ShiftForm{}
	}
	return ShiftForm{Counter: sh.Counter, Hours: WeekInputs(&sh.Hours), Services: slices.Clone(sh.Services)}
}

// ReadShiftForm reads the posted form.
func ReadShiftForm(v url.Values) ShiftForm {
	return ShiftForm{Counter: v.Get("counter"), Hours: readWeek(v, "hours"), Services: v["services"]}
}

// Apply writes the form into c: shift i, or a new one when i < 0.
func (f ShiftForm) Apply(c *config.Config, i int) error {
	sh := &c.Office.Staffing
	if i >= len(sh.Shifts) {
		return fieldErr("staffing", "il turno non esiste più", "the shift no longer exists")
	}
	field := fmt.Sprintf("staffing[%d]", i)
	if i < 0 {
		field = fmt.Sprintf("staffing[%d]", len(sh.Shifts))
	}
	w, err := ParseWeek(f.Hours, field+".hours")
	if err != nil {
		return err
	}
	shift := queue.Shift{Counter: f.Counter, Hours: w}
	if k := c.Office.Counter(f.Counter); k != nil {
		for _, id := range k.Services {
			if slices.Contains(f.Services, id) {
				shift.Services = append(shift.Services, id)
			}
		}
	}
	if i < 0 {
		sh.Shifts = append(sh.Shifts, shift)
	} else {
		sh.Shifts[i] = shift
	}
	return nil
}

// DeleteShift removes shift i.
func DeleteShift(c *config.Config, i int) error {
	sh := &c.Office.Staffing
	if i < 0 || i >= len(sh.Shifts) {
		return fieldErr("staffing", "il turno non esiste più", "the shift no longer exists")
	}
	sh.Shifts = slices.Delete(sh.Shifts, i, i+1)
	return nil
}

// AddException changes a counter's plan on one date: hours "" means not
// staffed that day.
func AddException(c *config.Config, date, counter, hours string) error {
	if _, err := time.Parse(queue.DayLayout, date); err != nil {
		return fieldErr("staffing_exceptions.date", "«%s» non è una data", "“%s” is not a date", date)
	}
	if c.Office.Counter(counter) == nil {
		return fieldErr("staffing_exceptions.counter", "scegli uno sportello", "choose a counter")
	}
	ranges := []queue.Range{}
	for _, part := range strings.FieldsFunc(hours, func(r rune) bool { return r == ',' || r == ';' }) {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		r, err := queue.ParseRange(normalRange(part))
		if err != nil {
			return fieldErr("staffing_exceptions.hours", "«%s» non è un orario come 08:30-12:30", "“%s” is not a range like 08:30-12:30", part)
		}
		ranges = append(ranges, r)
	}
	ex := &c.Office.Staffing.Exceptions
	if *ex == nil {
		*ex = map[string]map[string][]queue.Range{}
	}
	if (*ex)[date] == nil {
		(*ex)[date] = map[string][]queue.Range{}
	}
	(*ex)[date][counter] = ranges
	return nil
}

// RemoveException removes a counter's exception on a date.
func RemoveException(c *config.Config, date, counter string) error {
	byCounter := c.Office.Staffing.Exceptions[date]
	if _, ok := byCounter[counter]; !ok {
		return fieldErr("staffing_exceptions", "l'eccezione non esiste più", "the exception no longer exists")
	}
	delete(byCounter, counter)
	if len(byCounter) == 0 {
		delete(c.Office.Staffing.Exceptions, date)
	}
	return nil
}

// Password limits: long enough to resist guessing, and what bcrypt reads.
const (
	MinPassword = 8
	MaxPassword = 72
)

// UserForm is a person who logs in.
type UserForm struct {
	Name, FullName, Role string
	Services             []string // a backoffice user's sheets; none: all
	Password, Password2  string
}

// NewUserForm fills the form from a user (nil: a new one).
func NewUserForm(u *config.User) UserForm {
	if u == nil {
		return UserForm{Role: string(config.RoleClerk)}
	}
	return UserForm{Name: u.Name, FullName: u.FullName, Role: string(u.Role), Services: slices.Clone(u.Services)}
}

// ReadUserForm reads the posted form.
func ReadUserForm(v url.Values) UserForm {
	return UserForm{Name: strings.TrimSpace(v.Get("name")), FullName: strings.TrimSpace(v.Get("full_name")), Role: v.Get("role"),
		Services: v["services"], Password: v.Get("password"), Password2: v.Get("password2")}
}

func checkPassword(field, pw, pw2 string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPassword:
		return fieldErr(field, "la password deve avere almeno %d caratteri", "the password must be at least %d characters long", MinPassword)
	case len(pw) > MaxPassword:
		return fieldErr(field, "la password supera i %d byte", "the password is longer than %d bytes", MaxPassword)
	case pw != pw2:
		return fieldErr(field, "le due password non coincidono", "the two passwords differ")
	}
	return nil
}

// AddUser adds the user of the form with its password's hash.
func AddUser(c *config.Config, f UserForm) error {
	i := len(c.Users)
	if f.Name == Reserved {
		return reserved(fmt.Sprintf("users[%d].name", i))
	}
	if err := checkPassword(fmt.Sprintf("users[%d].password_hash", i), f.Password, f.Password2); err != nil {
		return err
	}
	hash, err := config.HashPassword(f.Password)
	if err != nil {
		return err
	}
	c.Users = append(c.Users, config.User{Name: f.Name, PasswordHash: hash})
	return f.apply(c, i)
}

// EditUser writes the form's name, role and sheets into user name.
func EditUser(c *config.Config, name string, f UserForm) error {
	i := slices.IndexFunc(c.Users, func(u config.User) bool { return u.Name == name })
	if i < 0 {
		return fieldErr("users", "l'utente «%s» non esiste più", "user “%s” no longer exists", name)
	}
	f.Name = name
	return f.apply(c, i)
}

func (f UserForm) apply(c *config.Config, i int) error {
	field := fmt.Sprintf("users[%d]", i)
	full, err := text(url.Values{"n": {f.FullName}}, "n", field+".full_name", 80)
	if err != nil {
		return err
	}
	u := &c.Users[i]
	u.Name, u.FullName, u.Role, u.Services = f.Name, full, config.Role(f.Role), nil
	if u.Role == config.RoleBackoffice {
		for _, s := range c.Office.Services {
			if slices.Contains(f.Services, s.ID) {
				u.Services = append(u.Services, s.ID)
			}
		}
	}
	return nil
}

// ResetPassword gives user name a new password.
func ResetPassword(c *config.Config, name, pw, pw2 string) error {
	i := slices.IndexFunc(c.Users, func(u config.User) bool { return u.Name == name })
	if i < 0 {
		return fieldErr("users", "l'utente «%s» non esiste più", "user “%s” no longer exists", name)
	}
	if err := checkPassword(fmt.Sprintf("users[%d].password_hash", i), pw, pw2); err != nil {
		return err
	}
	hash, err := config.HashPassword(pw)
	if err != nil {
		return err
	}
	c.Users[i].SetPassword(hash)
	return nil
}

// DeleteUser removes user name.
func DeleteUser(c *config.Config, name string) error {
	i := slices.IndexFunc(c.Users, func(u config.User) bool { return u.Name == name })
	if i < 0 {
		return fieldErr("users", "l'utente «%s» non esiste più", "user “%s” no longer exists", name)
	}
	c.Users = slices.Delete(c.Users, i, i+1)
	return nil
}

// DeviceForm is a kiosk or a display.
type DeviceForm struct {
	ID, Role, Counter string
}

// ReadDeviceForm reads the posted form.
func ReadDeviceForm(v url.Values) DeviceForm {
	return DeviceForm{ID: strings.TrimSpace(v.Get("id")), Role: v.Get("role"), Counter: v.Get("counter")}
}

// NewToken makes a device token: 32 random bytes, URL-safe.
func NewToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("admin: token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// AddDevice adds the device of the form with a new token, which it
// returns: the console shows it once.
func AddDevice(c *config.Config, f DeviceForm) (string, error) {
	for _, d := range c.Devices {
		if d.ID == f.ID {
			return "", fieldErr(fmt.Sprintf("devices[%d].id", len(c.Devices)), "«%s» è già il nome di un dispositivo", "\u201c%s\u201d already names a device", f.ID)
		}
	}
	token, err := NewToken()
	if err != nil {
		return "", err
	}
	counter := ""
	if config.Role(f.Role) == config.RoleDisplay {
		counter = f.Counter
	}
	c.Devices = append(c.Devices, config.Device{ID: f.ID, Role: config.Role(f.Role), Token: token, Counter: counter})
	return token, nil
}

// ReissueToken gives device id a new token, which it returns; the old
// one stops working.
func ReissueToken(c *config.Config, id string) (string, error) {
	i := slices.IndexFunc(c.Devices, func(d config.Device) bool { return d.ID == id })
	if i < 0 {
		return "", fieldErr("devices", "il dispositivo «%s» non esiste più", "device “%s” no longer exists", id)
	}
	token, err := NewToken()
	if err != nil {
		return "", err
	}
	c.Devices[i].Token = token
	return token, nil
}

// RevokeDevice removes device id: its token stops working.
func RevokeDevice(c *config.Config, id string) error {
	i := slices.IndexFunc(c.Devices, func(d config.Device) bool { return d.ID == id })
	if i < 0 {
		return fieldErr("devices", "il dispositivo «%s» non esiste più", "device “%s” no longer exists", id)
	}
	c.Devices = slices.Delete(c.Devices, i, i+1)
	return nil
}
