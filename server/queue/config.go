package queue

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Lane separates the fast-track document lane from the ordinary services.
type Lane string

// Lanes.
const (
	LaneStandard  Lane = "standard"
	LaneFastTrack Lane = "fasttrack"
)

// Defaults used when the configuration leaves a value out.
const (
	DefaultCutoffBeforeClose = 30 * time.Minute
	DefaultServiceTime       = 8 * time.Minute
	DefaultTargetWait        = 20 * time.Minute
	DefaultPriorityMaxInRow  = 2
	DefaultMaxRecalls        = 2
	DefaultReactivateWindow  = 15 * time.Minute
)

// Minute is a time of day in minutes since midnight, wall clock in the
// office's time zone.
type Minute int

// ParseMinute reads "HH:MM".
func ParseMinute(s string) (Minute, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return Minute(h*60 + m), nil
}

func (m Minute) String() string { return fmt.Sprintf("%02d:%02d", int(m)/60, int(m)%60) }

// Range is an opening range within one day, From inclusive, To exclusive.
type Range struct {
	From, To Minute
}

// ParseRange reads "HH:MM-HH:MM".
func ParseRange(s string) (Range, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Range{}, fmt.Errorf("%q is not a range HH:MM-HH:MM", s)
	}
	f, err := ParseMinute(strings.TrimSpace(from))
	if err != nil {
		return Range{}, err
	}
	t, err := ParseMinute(strings.TrimSpace(to))
	if err != nil {
		return Range{}, err
	}
	if t <= f {
		return Range{}, fmt.Errorf("range %q ends before it starts", s)
	}
	return Range{From: f, To: t}, nil
}

func (r Range) String() string { return r.From.String() + "-" + r.To.String() }

// Week holds the opening ranges of each weekday, indexed by time.Weekday
// (Sunday is 0). A day without ranges is closed.
type Week [7][]Range

// Validate checks that each day's ranges are ordered and do not overlap.
func (w Week) Validate() error {
	for d, rs := range w {
		for i := 1; i < len(rs); i++ {
			if rs[i].From < rs[i-1].To {
				return fmt.Errorf("%s: ranges %s and %s overlap or are out of order", time.Weekday(d), rs[i-1], rs[i])
			}
		}
	}
	return nil
}

// Empty reports whether the week has no opening at all.
func (w Week) Empty() bool {
	for _, rs := range w {
		if len(rs) > 0 {
			return false
		}
	}
	return true
}

// Service is one queue the office runs, with its own numerator.
type Service struct {
	ID     string `json:"id"`
	NameIT string `json:"name_it"`
	NameEN string `json:"name_en"`
	Prefix string `json:"prefix"`
	Lane   Lane   `json:"lane"`
	// Hours replaces the office's hours for this service when set.
	Hours *Week `json:"-"`
	// CutoffBeforeClose stops the numerator this long before each closing,
	// whatever the load: a floor the office's agreement may demand. 0: none.
	CutoffBeforeClose time.Duration `json:"cutoff_before_close"`
	// CutoffOnLoad also stops it when the forecast says a new ticket would
	// likely (Rules.CutoffConfidence) not be served by closing.
	CutoffOnLoad bool `json:"cutoff_on_load"`
	// DailyCap limits the tickets issued per day; 0 means no limit.
	DailyCap    int           `json:"daily_cap"`
	TargetWait  time.Duration `json:"target_wait"`
	ServiceTime time.Duration `json:"service_time"` // expected until measured
	Weight      float64       `json:"weight"`
	// Appointments says whether the service can be booked in the agenda,
	// which a refusal tells the citizen; Prepare sets it from Agenda.
	Appointments bool   `json:"appointments"`
	Info         string `json:"info"` // information sheet, Markdown
	// Agenda holds the appointment settings of a bookable service; nil:
	// walk-ins only.
	Agenda *Agenda `json:"-"`
}

// LatePolicy is what happens to a booked citizen who checks in after the
// window.
type LatePolicy string

// Late policies.
const (
	LateWalkIn LatePolicy = "walkin" // served as a walk-in, in the queue from now
	LateRebook LatePolicy = "rebook" // asked to book again
)

// Agenda is a bookable service's appointment settings.
type Agenda struct {
	// Hours are the appointment hours; nil: the service's hours. Closures
	// and the office's hours apply either way.
	Hours *Week
	// Slot is a slot's length; PerSlot how many citizens a slot takes (the
	// counters the service reserves for appointments).
	Slot    time.Duration
	PerSlot int
	// HorizonDays is how far ahead one can book; MinNotice how soon, for
	// citizens booking themselves (staff may book any slot not yet begun).
	HorizonDays int
	MinNotice   time.Duration
	// CheckInEarly and CheckInLate bound the check-in window around the
	// slot's start.
	CheckInEarly, CheckInLate time.Duration
	Late                      LatePolicy
	// MaxPerContact is how many active bookings one contact may hold for
	// the service: slots are a public good.
	MaxPerContact int
}

// Agenda defaults.
const (
	DefaultSlot          = 15 * time.Minute
	DefaultHorizonDays   = 30
	DefaultMinNotice     = 2 * time.Hour
	DefaultCheckInEarly  = 15 * time.Minute
	DefaultCheckInLate   = 10 * time.Minute
	DefaultRetention     = 90 * 24 * time.Hour
	DefaultAppointPrefix = "P"
	// DefaultCutoffConfidence is how sure the forecast must be that a new
	// ticket is served by closing for the numerator to issue it.
	DefaultCutoffConfidence = 0.9
	// DefaultOvertimeConfidence and DefaultOvertimeTolerance: each ticket
	// leaves the clerks of its service nine chances in ten of ending within
	// five minutes of closing (docs/accuracy.md weighs 0.95 too).
	DefaultOvertimeConfidence = 0.9
	DefaultOvertimeTolerance  = 5 * time.Minute
)

// Name returns the service's name in lang ("it" or "en"), falling back to the
// other language.
func (s *Service) Name(lang string) string {
	if lang == "en" && s.NameEN != "" {
		return s.NameEN
	}
	if s.NameIT != "" {
		return s.NameIT
	}
	return s.NameEN
}

// CounterConfig is a counter (sportello) and the services it may serve.
type CounterConfig struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Lane     Lane     `json:"lane"`
	Services []string `json:"services"`
}

// Rules are the office-wide rules of the call order and of no-shows.
type Rules struct {
	// PriorityMaxInRow is how many priority tickets a counter may call in a
	// row while walk-ins wait for it.
	PriorityMaxInRow int
	// MaxRecalls is how many times a ticket can be recalled; one more recall
	// makes it a no-show.
	MaxRecalls int
	// ReactivateWindow is how long after a no-show the ticket can be put
	// back in the queue.
	ReactivateWindow time.Duration
	// CutoffConfidence is the probability with which a new ticket must be
	// served by closing for a numerator with CutoffOnLoad to issue it.
	CutoffConfidence float64
	// OvertimeConfidence is the probability with which, after a new
	// ticket, every counter of its service must end its day by closing plus
	// OvertimeTolerance for a numerator with CutoffOnLoad to issue it.
	OvertimeConfidence float64
	OvertimeTolerance  time.Duration
	// RatingsPerClerk records the clerk in a citizen's rating. Off by
	// default: ratings count per service and counter, as workers'
	// agreements usually require.
	RatingsPerClerk bool
}

// AgendaRules are the office-wide rules of appointments.
type AgendaRules struct {
	// Prefix is the letter of appointment tickets (P for prenotato), with
	// its own numbers, so the hall sees a booked citizen called.
	Prefix string
	// Retention is how long a booking's personal data is kept after its
	// day.
	Retention time.Duration
}

// Config is everything the domain needs to know about the office.
type Config struct {
	Name     string
	Location *time.Location
	Hours    Week
	Closures map[string]bool // "2006-01-02" civil dates in Location
	Services []Service
	Counters []CounterConfig
	Rules    Rules
	Agenda   AgendaRules
	// Staffing is who is expected at which counter when; the forecast uses
	// it until a counter really opens or closes.
	Staffing  Staffing
	services  map[string]*Service
	counters  map[string]*CounterConfig
	prefixMap map[string]string
}

// Service returns the service with id, or nil.
func (c *Config) Service(id string) *Service { return c.services[id] }

// Counter returns the counter with id, or nil.
func (c *Config) Counter(id string) *CounterConfig { return c.counters[id] }

// Prepare fills defaults, validates the configuration and builds its
// indexes. Errors name the field in the form the config file uses.
func (c *Config) Prepare() error {
	if strings.TrimSpace(c.Name) == "" {
		return fmt.Errorf("office.name: is empty")
	}
	if c.Location == nil {
		return fmt.Errorf("office.timezone: is missing")
	}
	if err := c.Hours.Validate(); err != nil {
		return fmt.Errorf("office.hours: %w", err)
	}
	if c.Rules.PriorityMaxInRow <= 0 {
		c.Rules.PriorityMaxInRow = DefaultPriorityMaxInRow
	}
	if c.Rules.MaxRecalls < 0 {
		return fmt.Errorf("rules.max_recalls: must not be negative")
	}
	if c.Rules.ReactivateWindow <= 0 {
		c.Rules.ReactivateWindow = DefaultReactivateWindow
	}
	switch cc := c.Rules.CutoffConfidence; {
	case cc == 0:
		c.Rules.CutoffConfidence = DefaultCutoffConfidence
	case cc < 0.5 || cc >= 1:
		return fmt.Errorf("rules.cutoff_confidence: %v must be at least 0.5 and less than 1", cc)
	}
	switch oc := c.Rules.OvertimeConfidence; {
	case oc == 0:
		c.Rules.OvertimeConfidence = DefaultOvertimeConfidence
	case oc < 0.5 || oc >= 1:
		return fmt.Errorf("rules.overtime_confidence: %v must be at least 0.5 and less than 1", oc)
	}
	if c.Rules.OvertimeTolerance < 0 {
		return fmt.Errorf("rules.overtime_tolerance: must not be negative")
	}
	if c.Rules.OvertimeTolerance == 0 {
		c.Rules.OvertimeTolerance = DefaultOvertimeTolerance
	}
	if c.Agenda.Prefix == "" {
		c.Agenda.Prefix = DefaultAppointPrefix
	}
	if len(c.Agenda.Prefix) != 1 || c.Agenda.Prefix[0] < 'A' || c.Agenda.Prefix[0] > 'Z' {
		return fmt.Errorf("agenda.prefix: %q must be one capital letter A-Z", c.Agenda.Prefix)
	}
	if c.Agenda.Retention <= 0 {
		c.Agenda.Retention = DefaultRetention
	}
	if len(c.Services) == 0 {
		return fmt.Errorf("services: the office has no service")
	}
	c.services = make(map[string]*Service, len(c.Services))
	c.prefixMap = make(map[string]string, len(c.Services))
	for i := range c.Services {
		s := &c.Services[i]
		field := fmt.Sprintf("services[%d]", i)
		if !ValidID(s.ID) {
			return fmt.Errorf("%s.id: %q must be 1-32 letters, digits, '-' or '_'", field, s.ID)
		}
		if c.services[s.ID] != nil {
			return fmt.Errorf("%s.id: %q is used twice", field, s.ID)
		}
		if s.NameIT == "" && s.NameEN == "" {
			return fmt.Errorf("%s.name: service %q has no name", field, s.ID)
		}
		if len(s.Prefix) != 1 || s.Prefix[0] < 'A' || s.Prefix[0] > 'Z' {
			return fmt.Errorf("%s.prefix: %q must be one capital letter A-Z", field, s.Prefix)
		}
		if other, dup := c.prefixMap[s.Prefix]; dup {
			return fmt.Errorf("%s.prefix: %q is already the prefix of %q", field, s.Prefix, other)
		}
		if s.Prefix == c.Agenda.Prefix {
			return fmt.Errorf("%s.prefix: %q is the appointments' letter (agenda.prefix)", field, s.Prefix)
		}
		c.prefixMap[s.Prefix] = s.ID
		switch s.Lane {
		case "":
			s.Lane = LaneStandard
		case LaneStandard, LaneFastTrack:
		default:
			return fmt.Errorf("%s.lane: %q must be %q or %q", field, s.Lane, LaneStandard, LaneFastTrack)
		}
		if s.Hours != nil {
			if err := s.Hours.Validate(); err != nil {
				return fmt.Errorf("%s.hours: %w", field, err)
			}
		}
		if s.CutoffBeforeClose < 0 {
			return fmt.Errorf("%s.cutoff_before_close: must not be negative", field)
		}
		if s.DailyCap < 0 {
			return fmt.Errorf("%s.daily_cap: must not be negative", field)
		}
		if s.TargetWait <= 0 {
			s.TargetWait = DefaultTargetWait
		}
		if s.ServiceTime <= 0 {
			s.ServiceTime = DefaultServiceTime
		}
		if s.Weight < 0 {
			return fmt.Errorf("%s.weight: must not be negative", field)
		}
		if s.Weight == 0 {
			s.Weight = 1
		}
		if err := s.prepareAgenda(c, field); err != nil {
			return err
		}
		c.services[s.ID] = s
	}
	if len(c.Counters) == 0 {
		return fmt.Errorf("counters: the office has no counter")
	}
	c.counters = make(map[string]*CounterConfig, len(c.Counters))
	served := map[string]bool{}
	for i := range c.Counters {
		k := &c.Counters[i]
		field := fmt.Sprintf("counters[%d]", i)
		if !ValidID(k.ID) {
			return fmt.Errorf("%s.id: %q must be 1-32 letters, digits, '-' or '_'", field, k.ID)
		}
		if c.counters[k.ID] != nil {
			return fmt.Errorf("%s.id: %q is used twice", field, k.ID)
		}
		if k.Name == "" {
			k.Name = k.ID
		}
		switch k.Lane {
		case "":
			k.Lane = LaneStandard
		case LaneStandard, LaneFastTrack:
		default:
			return fmt.Errorf("%s.lane: %q must be %q or %q", field, k.Lane, LaneStandard, LaneFastTrack)
		}
		if len(k.Services) == 0 {
			return fmt.Errorf("%s.services: counter %q serves no service", field, k.ID)
		}
		seen := map[string]bool{}
		for _, id := range k.Services {
			s := c.services[id]
			if s == nil {
				return fmt.Errorf("%s.services: unknown service %q", field, id)
			}
			if seen[id] {
				return fmt.Errorf("%s.services: %q is listed twice", field, id)
			}
			seen[id] = true
			if s.Lane == LaneFastTrack && k.Lane != LaneFastTrack {
				return fmt.Errorf("%s.services: %q is a fast-track service and counter %q is not in the fast-track lane", field, id, k.ID)
			}
			served[id] = true
		}
		c.counters[k.ID] = k
	}
	ids := make([]string, 0, len(c.Services))
	for _, s := range c.Services {
		if !served[s.ID] {
			ids = append(ids, s.ID)
		}
	}
	if len(ids) > 0 {
		sort.Strings(ids)
		return fmt.Errorf("services: no counter serves %s", strings.Join(ids, ", "))
	}
	return c.Staffing.prepare(c)
}

func (s *Service) prepareAgenda(c *Config, field string) error {
	a := s.Agenda
	s.Appointments = a != nil
	if a == nil {
		return nil
	}
	field += ".appointments"
	if a.Hours != nil {
		if err := a.Hours.Validate(); err != nil {
			return fmt.Errorf("%s.hours: %w", field, err)
		}
	}
	if a.Slot == 0 {
		a.Slot = DefaultSlot
	}
	if a.Slot < 5*time.Minute || a.Slot > 4*time.Hour || a.Slot%time.Minute != 0 {
		return fmt.Errorf("%s.slot: %s must be whole minutes from 5m to 4h", field, a.Slot)
	}
	if a.PerSlot == 0 {
		a.PerSlot = 1
	}
	if a.PerSlot < 0 || a.PerSlot > 50 {
		return fmt.Errorf("%s.per_slot: %d must be 1 to 50", field, a.PerSlot)
	}
	if a.HorizonDays == 0 {
		a.HorizonDays = DefaultHorizonDays
	}
	if a.HorizonDays < 1 || a.HorizonDays > 366 {
		return fmt.Errorf("%s.horizon: %d days must be 1 to 366", field, a.HorizonDays)
	}
	if time.Duration(a.HorizonDays)*24*time.Hour >= c.Agenda.Retention {
		return fmt.Errorf("%s.horizon: %d days must be shorter than agenda.retention (%s): a booking's data would be erased before its day", field, a.HorizonDays, c.Agenda.Retention)
	}
	if a.MinNotice < 0 || a.CheckInEarly < 0 || a.CheckInLate < 0 {
		return fmt.Errorf("%s: min_notice and the check-in window must not be negative", field)
	}
	if a.CheckInEarly == 0 {
		a.CheckInEarly = DefaultCheckInEarly
	}
	if a.CheckInLate == 0 {
		a.CheckInLate = DefaultCheckInLate
	}
	switch a.Late {
	case "":
		a.Late = LateWalkIn
	case LateWalkIn, LateRebook:
	default:
		return fmt.Errorf("%s.late: %q must be %q or %q", field, a.Late, LateWalkIn, LateRebook)
	}
	if a.MaxPerContact == 0 {
		a.MaxPerContact = 1
	}
	if a.MaxPerContact < 0 {
		return fmt.Errorf("%s.max_per_contact: must not be negative", field)
	}
	return nil
}

// ValidID reports whether s is an identifier of the configuration: 1-32
// letters, digits, '-' or '_'.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}
