// Package config reads the office's configuration file (TOML) into the
// domain's queue.Config plus what only the server needs: users, device
// tokens and session lifetime. With no file the server runs the embedded
// demo office (assets/demo-office.toml).
//
// Errors name the file, the field as written in the file, and the problem,
// so a bad configuration stops the server with a message an office manager
// can act on.
package config

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"golang.org/x/crypto/bcrypt"

	"turno/assets"
	"turno/server/calendar"
	"turno/server/queue"
)

// Role is what a token may do.
type Role string

// Roles.
const (
	RoleKiosk      Role = "kiosk"
	RoleDisplay    Role = "display"
	RoleClerk      Role = "clerk"
	RoleFloor      Role = "floor"
	RoleBackoffice Role = "backoffice"
	RoleAdmin      Role = "admin"
)

// DefaultSessionTTL is how long a login lasts: a working day and then some.
const DefaultSessionTTL = 12 * time.Hour

// DefaultWebBookingsPerHour is how many bookings a client address may make
// from the web page in an hour: a family books a few, a bot many.
const DefaultWebBookingsPerHour = 5

// maxName bounds user names and device ids, in characters: they scope
// idempotency keys and name callers in the log.
const maxName = 64

// User is a person who logs in.
type User struct {
	Name         string
	FullName     string
	Role         Role
	PasswordHash string
	// Services limits a backoffice user to the information sheets of these
	// services in the administration console; none: every service.
	Services []string
	// demoPassword is shown at start-up for the embedded demo office only.
	demoPassword string
}

// CheckPassword reports whether password matches the user's hash.
func (u *User) CheckPassword(password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil
}

// SetPassword gives the user a new password hash (HashPassword); a demo
// password is forgotten with the old one.
func (u *User) SetPassword(hash string) {
	u.PasswordHash = hash
	u.demoPassword = ""
}

// Device is a kiosk or a display, known by its configured token.
type Device struct {
	ID    string
	Role  Role
	Token string
	// Counter makes a display the rating pad of that counter: it may rate
	// the ticket finished last there, and no other.
	Counter string
}

// Forecast defaults.
const (
	DefaultForecastWeeks = 8
	DefaultServiceLevel  = 0.8
)

// Forecast is how the office forecasts arrivals and the counters it needs.
type Forecast struct {
	// Weeks of history the forecast averages (the same weekday and hour).
	Weeks int
	// ServiceLevel is the share of citizens who must be called within their
	// service's target wait for a number of counters to be enough.
	ServiceLevel float64
}

// Config is the whole configuration.
type Config struct {
	Office     queue.Config
	Users      []User
	Devices    []Device
	SessionTTL time.Duration
	// Source says where the configuration came from (a path, or the demo).
	Source string
	// VerifyContact makes a citizen booking from the web page confirm a
	// one-time code sent to the contact: the office's answer to bots.
	VerifyContact bool
	// WebBookingsPerHour limits the bookings one client address makes from
	// the web page in an hour.
	WebBookingsPerHour int
	// Calendar holds the holidays (already among Office.Closures) and the
	// known peaks of demand.
	Calendar calendar.Calendar
	Forecast Forecast
	// ReportsPerClerk lets the reports group figures by clerk; off by
	// default, as workers' agreements usually require.
	ReportsPerClerk bool
	// Closures are the office's own closure dates as written (sorted);
	// Office.Closures holds them and the calendar's holidays.
	Closures []string
	// Demo marks the embedded demo office (and the versions that grew from
	// it), whose start-up banner prints its logins.
	Demo bool
	// Version is the stored version of the configuration (package store's
	// config_versions), 0 while it is not recorded.
	Version uint64
	users   map[string]*User
}

// User returns the user with name, or nil.
func (c *Config) User(name string) *User { return c.users[name] }

// DeviceByToken returns the device whose token is token, or nil. It compares
// every token in constant time.
func (c *Config) DeviceByToken(token string) *Device {
	var found *Device
	for i := range c.Devices {
		if subtle.ConstantTimeCompare([]byte(c.Devices[i].Token), []byte(token)) == 1 {
			found = &c.Devices[i]
		}
	}
	return found
}

// DeviceList returns the configured devices for the stream's presence
// report, all offline until they connect.
func (c *Config) DeviceList() []queue.DeviceStatus {
	out := make([]queue.DeviceStatus, len(c.Devices))
	for i, d := range c.Devices {
		out[i] = queue.DeviceStatus{ID: d.ID, Role: string(d.Role)}
	}
	return out
}

// HashPassword returns the bcrypt hash of a password for the configuration.
func HashPassword(password string) (string, error) {
	if password == "" {
		return "", errors.New("the password is empty")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// Load reads and validates a configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cfg, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cfg.Source = path
	return cfg, nil
}

// DemoSource is the Source of the embedded demo office.
const DemoSource = "embedded demo office"

// Demo returns the embedded demo office.
func Demo() (*Config, error) {
	cfg, err := Parse(assets.DemoOffice)
	if err != nil {
		return nil, fmt.Errorf("assets/demo-office.toml: %w", err)
	}
	cfg.Source = DemoSource
	cfg.Demo = true
	return cfg, nil
}

// DemoCredentials lists the demo office's logins for the start-up banner; it
// is empty for any other configuration.
func DemoCredentials(c *Config) []string {
	if !c.Demo {
		return nil
	}
	var lines []string
	for _, u := range c.Users {
		if u.demoPassword != "" {
			lines = append(lines, fmt.Sprintf("%-10s user %-8s password %s", u.Role, u.Name, u.demoPassword))
		}
	}
	for _, d := range c.Devices {
		lines = append(lines, fmt.Sprintf("%-10s token %s (device %s)", d.Role, d.Token, d.ID))
	}
	return lines
}

// Parse reads a configuration from TOML text.
func Parse(data []byte) (*Config, error) {
	var f file
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("line %d: %s", perr.Position.Line, perr.Message)
		}
		return nil, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("%s: unknown field", strings.Join(keys, ", "))
	}
	return f.build()
}

// file is the TOML document as written.
type file struct {
	Office struct {
		Name       string    `toml:"name"`
		Timezone   string    `toml:"timezone"`
		Hours      weekFile  `toml:"hours"`
		Closures   []string  `toml:"closures"`
		SessionTTL *Duration `toml:"session_ttl"`
	} `toml:"office"`
	Rules struct {
		PriorityMaxInRow   int       `toml:"priority_max_in_row"`
		MaxRecalls         *int      `toml:"max_recalls"`
		ReactivateWindow   *Duration `toml:"reactivate_window"`
		CutoffConfidence   float64   `toml:"cutoff_confidence"`
		OvertimeConfidence float64   `toml:"overtime_confidence"`
		OvertimeTolerance  *Duration `toml:"overtime_tolerance"`
		RatingsPerClerk    bool      `toml:"ratings_per_clerk"`
	} `toml:"rules"`
	Agenda struct {
		Prefix        string `toml:"prefix"`
		RetentionDays int    `toml:"retention_days"`
		VerifyContact bool   `toml:"verify_contact"`
		WebPerHour    *int   `toml:"web_bookings_per_hour"`
	} `toml:"agenda"`
	Services   []serviceFile   `toml:"services"`
	Counters   []counterFile   `toml:"counters"`
	Staffing   []shiftFile     `toml:"staffing"`
	Exceptions []exceptionFile `toml:"staffing_exceptions"`
	Users      []userFile      `toml:"users"`
	Devices    []deviceFile    `toml:"devices"`
	Calendar   struct {
		Holidays   *bool    `toml:"holidays"`
		Patron     string   `toml:"patron"`
		PatronName string   `toml:"patron_name"`
		OpenOn     []string `toml:"open_on"`
	} `toml:"calendar"`
	Peaks    []peakFile `toml:"peaks"`
	Forecast struct {
		Weeks        int     `toml:"weeks"`
		ServiceLevel float64 `toml:"service_level"`
	} `toml:"forecast"`
	Reports struct {
		PerClerk bool `toml:"per_clerk"`
	} `toml:"reports"`
}

type peakFile struct {
	Name     string   `toml:"name"`
	Services []string `toml:"services"`
	From     string   `toml:"from"`
	To       string   `toml:"to"`
	Factor   float64  `toml:"factor"`
}

type weekFile struct {
	Mon []string `toml:"mon"`
	Tue []string `toml:"tue"`
	Wed []string `toml:"wed"`
	Thu []string `toml:"thu"`
	Fri []string `toml:"fri"`
	Sat []string `toml:"sat"`
	Sun []string `toml:"sun"`
}

type serviceFile struct {
	ID   string `toml:"id"`
	Name struct {
		IT string `toml:"it"`
		EN string `toml:"en"`
	} `toml:"name"`
	Prefix            string     `toml:"prefix"`
	Lane              string     `toml:"lane"`
	Hours             *weekFile  `toml:"hours"`
	CutoffBeforeClose *Duration  `toml:"cutoff_before_close"`
	CutoffOnLoad      *bool      `toml:"cutoff_on_load"`
	DailyCap          int        `toml:"daily_cap"`
	TargetWait        *Duration  `toml:"target_wait"`
	ServiceTime       *Duration  `toml:"service_time"`
	Weight            float64    `toml:"weight"`
	Appointments      agendaFile `toml:"appointments"`
	Info              string     `toml:"info"`
}

// agendaFile is a service's appointments: `appointments = true` for the
// defaults, or a table of settings.
type agendaFile struct {
	On            bool
	Hours         *weekFile
	Slot          *Duration
	PerSlot       int
	HorizonDays   int
	MinNotice     *Duration
	CheckInEarly  *Duration
	CheckInLate   *Duration
	Late          string
	MaxPerContact int
}

// UnmarshalTOML reads true, false or a table.
func (a *agendaFile) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case bool:
		a.On = v
		return nil
	case map[string]any:
		a.On = true
		return a.table(v)
	}
	return fmt.Errorf("must be true, false or a table of settings")
}

func (a *agendaFile) table(m map[string]any) error {
	for k, v := range m {
		var err error
		switch k {
		case "hours":
			w, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("hours: must be a table of weekdays")
			}
			a.Hours = &weekFile{}
			err = a.Hours.fromMap(w)
		case "slot":
			a.Slot, err = durationOf(v)
		case "min_notice":
			a.MinNotice, err = durationOf(v)
		case "check_in_early":
			a.CheckInEarly, err = durationOf(v)
		case "check_in_late":
			a.CheckInLate, err = durationOf(v)
		case "per_slot":
			a.PerSlot, err = intOf(v)
		case "horizon_days":
			a.HorizonDays, err = intOf(v)
		case "max_per_contact":
			a.MaxPerContact, err = intOf(v)
		case "late":
			s, ok := v.(string)
			if !ok {
				err = fmt.Errorf("must be \"walkin\" or \"rebook\"")
			}
			a.Late = s
		default:
			return fmt.Errorf("%s: unknown field", k)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

func durationOf(v any) (*Duration, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("must be a duration like \"15m\"")
	}
	var d Duration
	if err := d.UnmarshalText([]byte(s)); err != nil {
		return nil, err
	}
	return &d, nil
}

func intOf(v any) (int, error) {
	n, ok := v.(int64)
	if !ok {
		return 0, fmt.Errorf("must be a whole number")
	}
	return int(n), nil
}

func (w *weekFile) fromMap(m map[string]any) error {
	days := map[string]*[]string{"mon": &w.Mon, "tue": &w.Tue, "wed": &w.Wed, "thu": &w.Thu, "fri": &w.Fri, "sat": &w.Sat, "sun": &w.Sun}
	for k, v := range m {
		d := days[k]
		if d == nil {
			return fmt.Errorf("%s: unknown weekday (mon ... sun)", k)
		}
		list, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: must be a list of ranges like [\"08:30-12:30\"]", k)
		}
		for _, x := range list {
			s, ok := x.(string)
			if !ok {
				return fmt.Errorf("%s: must be a list of ranges like [\"08:30-12:30\"]", k)
			}
			*d = append(*d, s)
		}
	}
	return nil
}

func (a *agendaFile) agenda(field string) (*queue.Agenda, error) {
	if !a.On {
		return nil, nil
	}
	ag := &queue.Agenda{
		Slot: a.Slot.Or(0), PerSlot: a.PerSlot, HorizonDays: a.HorizonDays,
		MinNotice: a.MinNotice.Or(queue.DefaultMinNotice), CheckInEarly: a.CheckInEarly.Or(0), CheckInLate: a.CheckInLate.Or(0),
		Late: queue.LatePolicy(a.Late), MaxPerContact: a.MaxPerContact,
	}
	if a.Hours != nil {
		w, err := a.Hours.week(field + ".hours")
		if err != nil {
			return nil, err
		}
		ag.Hours = &w
	}
	return ag, nil
}

type shiftFile struct {
	Counter  string   `toml:"counter"`
	Hours    weekFile `toml:"hours"`
	Services []string `toml:"services"`
}

type exceptionFile struct {
	Date    string   `toml:"date"`
	Counter string   `toml:"counter"`
	Hours   []string `toml:"hours"` // empty: the counter is not staffed that day
}

type counterFile struct {
	ID       string   `toml:"id"`
	Name     string   `toml:"name"`
	Lane     string   `toml:"lane"`
	Services []string `toml:"services"`
}

type userFile struct {
	Name         string   `toml:"name"`
	FullName     string   `toml:"full_name"`
	Role         string   `toml:"role"`
	PasswordHash string   `toml:"password_hash"`
	DemoPassword string   `toml:"demo_password"`
	Services     []string `toml:"services"`
}

type deviceFile struct {
	ID      string `toml:"id"`
	Role    string `toml:"role"`
	Token   string `toml:"token"`
	Counter string `toml:"counter"`
}

// Duration reads a TOML duration string, "30m", "1h30m", "45s"; the
// simulator's profile uses it too.
type Duration struct{ time.Duration }

// UnmarshalText reads a non-negative duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like \"30m\" or \"1h30m\"", b)
	}
	if v < 0 {
		return fmt.Errorf("%q is negative", b)
	}
	d.Duration = v
	return nil
}

// Or returns the duration, or def when it was not given.
func (d *Duration) Or(def time.Duration) time.Duration {
	if d == nil {
		return def
	}
	return d.Duration
}

func (w weekFile) week(field string) (queue.Week, error) {
	var week queue.Week
	days := []struct {
		name   string
		day    time.Weekday
		ranges []string
	}{
		{"mon", time.Monday, w.Mon}, {"tue", time.Tuesday, w.Tue}, {"wed", time.Wednesday, w.Wed},
		{"thu", time.Thursday, w.Thu}, {"fri", time.Friday, w.Fri}, {"sat", time.Saturday, w.Sat},
		{"sun", time.Sunday, w.Sun},
	}
	for _, d := range days {
		for _, s := range d.ranges {
			r, err := queue.ParseRange(s)
			if err != nil {
				return week, fmt.Errorf("%s.%s: %w", field, d.name, err)
			}
			week[d.day] = append(week[d.day], r)
		}
	}
	if err := week.Validate(); err != nil {
		return week, fmt.Errorf("%s: %w", field, err)
	}
	return week, nil
}

func (f *file) build() (*Config, error) {
	c := &Config{users: map[string]*User{}}
	o := &c.Office
	o.Name = strings.TrimSpace(f.Office.Name)
	if f.Office.Timezone == "" {
		return nil, errors.New("office.timezone: is missing (e.g. \"Europe/Rome\")")
	}
	loc, err := time.LoadLocation(f.Office.Timezone)
	if err != nil {
		return nil, fmt.Errorf("office.timezone: %q is not a known time zone", f.Office.Timezone)
	}
	o.Location = loc
	if o.Hours, err = f.Office.Hours.week("office.hours"); err != nil {
		return nil, err
	}
	o.Closures = map[string]bool{}
	for i, d := range f.Office.Closures {
		if _, err := time.Parse(queue.DayLayout, d); err != nil || len(d) != len(queue.DayLayout) {
			return nil, fmt.Errorf("office.closures[%d]: %q is not a date YYYY-MM-DD", i, d)
		}
		if !o.Closures[d] {
			c.Closures = append(c.Closures, d)
		}
		o.Closures[d] = true
	}
	sort.Strings(c.Closures)
	if err := f.calendar(c); err != nil {
		return nil, err
	}
	c.SessionTTL = f.Office.SessionTTL.Or(DefaultSessionTTL)
	if c.SessionTTL < time.Minute {
		return nil, errors.New("office.session_ttl: must be at least 1m")
	}
	if f.Rules.PriorityMaxInRow < 0 {
		return nil, errors.New("rules.priority_max_in_row: must not be negative")
	}
	o.Rules.PriorityMaxInRow = f.Rules.PriorityMaxInRow
	o.Rules.MaxRecalls = queue.DefaultMaxRecalls
	if f.Rules.MaxRecalls != nil {
		o.Rules.MaxRecalls = *f.Rules.MaxRecalls
	}
	o.Rules.ReactivateWindow = f.Rules.ReactivateWindow.Or(0)
	o.Rules.CutoffConfidence = f.Rules.CutoffConfidence
	o.Rules.OvertimeConfidence = f.Rules.OvertimeConfidence
	o.Rules.OvertimeTolerance = f.Rules.OvertimeTolerance.Or(0)
	o.Rules.RatingsPerClerk = f.Rules.RatingsPerClerk
	c.ReportsPerClerk = f.Reports.PerClerk
	o.Agenda.Prefix = f.Agenda.Prefix
	if f.Agenda.RetentionDays < 0 {
		return nil, errors.New("agenda.retention_days: must not be negative")
	}
	o.Agenda.Retention = time.Duration(f.Agenda.RetentionDays) * 24 * time.Hour
	c.VerifyContact = f.Agenda.VerifyContact
	c.WebBookingsPerHour = DefaultWebBookingsPerHour
	if f.Agenda.WebPerHour != nil {
		if *f.Agenda.WebPerHour < 1 {
			return nil, errors.New("agenda.web_bookings_per_hour: must be at least 1")
		}
		c.WebBookingsPerHour = *f.Agenda.WebPerHour
	}

	for i, s := range f.Services {
		field := fmt.Sprintf("services[%d]", i)
		svc := queue.Service{
			ID: s.ID, NameIT: s.Name.IT, NameEN: s.Name.EN, Prefix: s.Prefix, Lane: queue.Lane(s.Lane),
			CutoffBeforeClose: s.CutoffBeforeClose.Or(queue.DefaultCutoffBeforeClose), CutoffOnLoad: true,
			DailyCap: s.DailyCap, TargetWait: s.TargetWait.Or(0), ServiceTime: s.ServiceTime.Or(0),
			Weight: s.Weight, Info: strings.TrimSpace(s.Info),
		}
		if s.CutoffOnLoad != nil {
			svc.CutoffOnLoad = *s.CutoffOnLoad
		}
		ag, err := s.Appointments.agenda(field + ".appointments")
		if err != nil {
			return nil, err
		}
		svc.Agenda = ag
		if s.Hours != nil {
			w, err := s.Hours.week(field + ".hours")
			if err != nil {
				return nil, err
			}
			svc.Hours = &w
		}
		o.Services = append(o.Services, svc)
	}
	for _, k := range f.Counters {
		o.Counters = append(o.Counters, queue.CounterConfig{ID: k.ID, Name: k.Name, Lane: queue.Lane(k.Lane), Services: k.Services})
	}
	for i, sh := range f.Staffing {
		w, err := sh.Hours.week(fmt.Sprintf("staffing[%d].hours", i))
		if err != nil {
			return nil, err
		}
		o.Staffing.Shifts = append(o.Staffing.Shifts, queue.Shift{Counter: sh.Counter, Hours: w, Services: nilIfEmpty(sh.Services)})
	}
	for i, ex := range f.Exceptions {
		field := fmt.Sprintf("staffing_exceptions[%d]", i)
		if _, err := time.Parse(queue.DayLayout, ex.Date); err != nil {
			return nil, fmt.Errorf("%s.date: %q is not a date YYYY-MM-DD", field, ex.Date)
		}
		ranges := []queue.Range{}
		for _, h := range ex.Hours {
			r, err := queue.ParseRange(h)
			if err != nil {
				return nil, fmt.Errorf("%s.hours: %w", field, err)
			}
			ranges = append(ranges, r)
		}
		if o.Staffing.Exceptions == nil {
			o.Staffing.Exceptions = map[string]map[string][]queue.Range{}
		}
		if o.Staffing.Exceptions[ex.Date] == nil {
			o.Staffing.Exceptions[ex.Date] = map[string][]queue.Range{}
		}
		if _, dup := o.Staffing.Exceptions[ex.Date][ex.Counter]; dup {
			return nil, fmt.Errorf("%s: counter %q already has an exception on %s", field, ex.Counter, ex.Date)
		}
		o.Staffing.Exceptions[ex.Date][ex.Counter] = ranges
	}
	if err := o.Prepare(); err != nil {
		return nil, err
	}
	if o.Hours.Empty() {
		return nil, errors.New("office.hours: the office never opens")
	}
	for i := range f.Peaks {
		p := f.Peaks[i]
		peak := calendar.Peak{Name: strings.TrimSpace(p.Name), Services: nilIfEmpty(p.Services), From: p.From, To: p.To, Factor: p.Factor}
		if err := peak.Check(func(id string) bool { return o.Service(id) != nil }); err != nil {
			return nil, fmt.Errorf("peaks[%d].%w", i, err)
		}
		c.Calendar.Peaks = append(c.Calendar.Peaks, peak)
	}
	c.Forecast = Forecast{Weeks: f.Forecast.Weeks, ServiceLevel: f.Forecast.ServiceLevel}
	if c.Forecast.Weeks == 0 {
		c.Forecast.Weeks = DefaultForecastWeeks
	}
	if c.Forecast.Weeks < 1 || c.Forecast.Weeks > 52 {
		return nil, fmt.Errorf("forecast.weeks: %d must be 1 to 52", c.Forecast.Weeks)
	}
	if c.Forecast.ServiceLevel == 0 {
		c.Forecast.ServiceLevel = DefaultServiceLevel
	}
	if sl := c.Forecast.ServiceLevel; sl < 0.5 || sl > 0.99 {
		return nil, fmt.Errorf("forecast.service_level: %v must be 0.5 to 0.99", sl)
	}

	roles := map[Role]bool{RoleKiosk: true, RoleDisplay: true, RoleClerk: true, RoleFloor: true, RoleBackoffice: true, RoleAdmin: true}
	for i, u := range f.Users {
		field := fmt.Sprintf("users[%d]", i)
		if strings.TrimSpace(u.Name) == "" || utf8.RuneCountInString(u.Name) > maxName {
			return nil, fmt.Errorf("%s.name: must be 1 to %d characters", field, maxName)
		}
		if c.users[u.Name] != nil {
			return nil, fmt.Errorf("%s.name: %q is used twice", field, u.Name)
		}
		role := Role(u.Role)
		if !roles[role] || role == RoleKiosk || role == RoleDisplay {
			return nil, fmt.Errorf("%s.role: %q must be clerk, floor, backoffice or admin (kiosks and displays are devices)", field, u.Role)
		}
		if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
			return nil, fmt.Errorf("%s.password_hash: not a bcrypt hash (make one with: turno-server -hash-password)", field)
		}
		if len(u.Services) > 0 && role != RoleBackoffice {
			return nil, fmt.Errorf("%s.services: only a backoffice user's sheets are limited to services", field)
		}
		seen := map[string]bool{}
		for _, id := range u.Services {
			if o.Service(id) == nil {
				return nil, fmt.Errorf("%s.services: unknown service %q", field, id)
			}
			if seen[id] {
				return nil, fmt.Errorf("%s.services: %q is listed twice", field, id)
			}
			seen[id] = true
		}
		full := strings.TrimSpace(u.FullName)
		if full == "" {
			full = u.Name
		}
		c.Users = append(c.Users, User{Name: u.Name, FullName: full, Role: role, PasswordHash: u.PasswordHash, Services: nilIfEmpty(u.Services), demoPassword: u.DemoPassword})
	}
	for i := range c.Users {
		c.users[c.Users[i].Name] = &c.Users[i]
	}
	ids := map[string]bool{}
	tokens := map[string]bool{}
	for i, d := range f.Devices {
		field := fmt.Sprintf("devices[%d]", i)
		if strings.TrimSpace(d.ID) == "" || ids[d.ID] {
			return nil, fmt.Errorf("%s.id: %q is empty or used twice", field, d.ID)
		}
		if utf8.RuneCountInString(d.ID) > maxName {
			return nil, fmt.Errorf("%s.id: must be 1 to %d characters", field, maxName)
		}
		ids[d.ID] = true
		role := Role(d.Role)
		if role != RoleKiosk && role != RoleDisplay {
			return nil, fmt.Errorf("%s.role: %q must be kiosk or display", field, d.Role)
		}
		if len(d.Token) < 16 || len(d.Token) > 512 {
			return nil, fmt.Errorf("%s.token: must be 16 to 512 characters", field)
		}
		if tokens[d.Token] {
			return nil, fmt.Errorf("%s.token: the same token is given to two devices", field)
		}
		tokens[d.Token] = true
		if d.Counter != "" {
			if role != RoleDisplay {
				return nil, fmt.Errorf("%s.counter: only a display can be a counter's rating pad", field)
			}
			if o.Counter(d.Counter) == nil {
				return nil, fmt.Errorf("%s.counter: unknown counter %q", field, d.Counter)
			}
		}
		c.Devices = append(c.Devices, Device{ID: d.ID, Role: role, Token: d.Token, Counter: d.Counter})
	}
	if len(c.Users) == 0 {
		return nil, errors.New("users: nobody can log in; add at least an admin")
	}
	sort.SliceStable(c.Devices, func(i, j int) bool { return c.Devices[i].ID < c.Devices[j].ID })
	return c, nil
}

// nilIfEmpty makes "services = []" the same as no list, as the domain
// reads it, so a configuration has one form.
func nilIfEmpty(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	return list
}

// calendar reads [calendar]: the Italian public holidays (on unless
// holidays = false) and the patron saint's day close the office, except on
// the dates of open_on; they join the configured closures.
func (f *file) calendar(c *Config) error {
	cal := &c.Calendar
	cal.Holidays = f.Calendar.Holidays == nil || *f.Calendar.Holidays
	if f.Calendar.Patron != "" {
		md, err := calendar.ParseMonthDay(f.Calendar.Patron)
		if err != nil {
			return fmt.Errorf("calendar.patron: %w", err)
		}
		name := strings.TrimSpace(f.Calendar.PatronName)
		if name == "" {
			name = "Santo patrono"
		}
		cal.Patron = &calendar.Local{Day: md, NameIT: name, NameEN: name + " (patron saint)"}
	} else if f.Calendar.PatronName != "" {
		return errors.New("calendar.patron_name: set calendar.patron, the day (MM-DD), too")
	}
	cal.OpenOn = map[string]bool{}
	for i, d := range f.Calendar.OpenOn {
		if _, err := time.Parse(queue.DayLayout, d); err != nil {
			return fmt.Errorf("calendar.open_on[%d]: %q is not a date YYYY-MM-DD", i, d)
		}
		if c.Office.Closures[d] {
			return fmt.Errorf("calendar.open_on[%d]: %s is also in office.closures", i, d)
		}
		cal.OpenOn[d] = true
	}
	for d := range cal.Closures() {
		c.Office.Closures[d] = true
	}
	return nil
}
