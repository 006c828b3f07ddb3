package sim

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"turno/server/config"
	"turno/server/queue"
)

//go:embed default-profile.toml
var defaultProfile []byte

// DefaultProfileSource is the Source of the embedded profile.
const DefaultProfileSource = "embedded demo profile"

// Profile is what the simulator plays: who comes when, how long they really
// take at the counter, who staffs which counter, and the scenarios built
// from them. It is read from a TOML file (default-profile.toml is the
// example and the default).
type Profile struct {
	// PriorityShare is the share of citizens given a priority ticket.
	PriorityShare float64
	// NoShow is the share of citizens gone when called, unless a service
	// says otherwise.
	NoShow float64
	// LoginDelay: each clerk logs in uniformly 0..LoginDelay after the
	// shift starts.
	LoginDelay time.Duration
	// CallGap: a free clerk calls the next uniformly 0..CallGap later.
	CallGap time.Duration
	// RecallGap: recalls of an absent citizen come about this far apart
	// (uniformly ±1/6), then the clerk marks the no-show.
	RecallGap time.Duration
	// OvertimeLimit: past closing, clerks keep calling their queues this
	// long at most.
	OvertimeLimit time.Duration
	// Services in the order of the office's configuration, once checked.
	Services []ServiceProfile
	// Staffing are the named sets of clerks scenarios refer to.
	Staffing map[string][]Clerk
	// Scenarios in the file's order.
	Scenarios []Scenario
	// Appointments says how the bookable services' agendas fill, for the
	// scenarios that book; nil: none does.
	Appointments *AgendaProfile
	// Source says where the profile came from (a path, or the default).
	Source string
}

// ServiceProfile is one service's demand and true service time.
type ServiceProfile struct {
	ID string
	// Time is the true time at the counter, from call to finish.
	Time LogNormal
	// NoShow is the share of this service's citizens gone when called.
	NoShow float64
	// AtOpen is the mean number of citizens at the door at each of the
	// service's openings (Poisson), who take their tickets in its first
	// two minutes.
	AtOpen float64
	// PerHour is the arrival rate per clock hour in the office's zone
	// (a Poisson process, counted only while the office is open).
	PerHour [24]float64
}

// LogNormal is a log-normal distribution given by its mean and coefficient
// of variation (standard deviation / mean). CV 0 is a fixed time.
type LogNormal struct {
	Mean time.Duration
	CV   float64
}

// Params returns the log-normal's mu and sigma (of the underlying normal,
// in log-seconds).
func (d LogNormal) Params() (mu, sigma float64) {
	s2 := math.Log(1 + d.CV*d.CV)
	return math.Log(d.Mean.Seconds()) - s2/2, math.Sqrt(s2)
}

// Clerk is one person at one counter for the day.
type Clerk struct {
	Name    string
	Counter string
	// Services the counter opens with; empty means all it may serve.
	Services []string
	// From and Until clip the clerk's day: a late arrival, a departure for
	// the day. Zero and 24:00 when not given.
	From, Until queue.Minute
}

// Scenario is a staffing set and an arrival multiplier, with or without
// booked citizens.
type Scenario struct {
	Name         string  `json:"name"`
	Staffing     string  `json:"staffing"`
	Multiplier   float64 `json:"multiplier"`
	Appointments bool    `json:"appointments,omitempty"`
}

// AgendaProfile is how the agenda fills: the share of each slot's places
// booked, the share of booked citizens who come, how early they check in
// (uniformly up to Early before the slot), and the share of those who come
// after the check-in window (up to 20 minutes after it).
type AgendaProfile struct {
	Booked, Show, LateShare float64
	Early                   time.Duration
}

// Scenario returns the scenario named name, or nil.
func (p *Profile) Scenario(name string) *Scenario {
	for i := range p.Scenarios {
		if p.Scenarios[i].Name == name {
			return &p.Scenarios[i]
		}
	}
	return nil
}

// DefaultProfile is the embedded normal day of the demo office.
func DefaultProfile() (*Profile, error) {
	p, err := ParseProfile(defaultProfile)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", DefaultProfileSource, err)
	}
	p.Source = DefaultProfileSource
	return p, nil
}

// LoadProfile reads a profile file.
func LoadProfile(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	p, err := ParseProfile(data)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", path, err)
	}
	p.Source = path
	return p, nil
}

// profileFile is the TOML document as written.
type profileFile struct {
	PriorityShare *float64                      `toml:"priority_share"`
	NoShow        *float64                      `toml:"no_show"`
	LoginDelay    *config.Duration              `toml:"login_delay"`
	CallGap       *config.Duration              `toml:"call_gap"`
	RecallGap     *config.Duration              `toml:"recall_gap"`
	OvertimeLimit *config.Duration              `toml:"overtime_limit"`
	Services      map[string]serviceProfileFile `toml:"services"`
	Staffing      map[string][]clerkFile        `toml:"staffing"`
	Scenarios     []scenarioFile                `toml:"scenarios"`
	Appointments  *appointmentsFile             `toml:"appointments"`
}

type appointmentsFile struct {
	Booked    *float64         `toml:"booked"`
	Show      *float64         `toml:"show"`
	Early     *config.Duration `toml:"early"`
	LateShare *float64         `toml:"late_share"`
}

type serviceProfileFile struct {
	Mean    *config.Duration   `toml:"mean"`
	CV      *float64           `toml:"cv"`
	NoShow  *float64           `toml:"no_show"`
	AtOpen  float64            `toml:"at_open"`
	PerHour map[string]float64 `toml:"per_hour"`
}

type clerkFile struct {
	Name     string   `toml:"name"`
	Counter  string   `toml:"counter"`
	Services []string `toml:"services"`
	From     string   `toml:"from"`
	Until    string   `toml:"until"`
}

type scenarioFile struct {
	Name         string   `toml:"name"`
	Staffing     string   `toml:"staffing"`
	Multiplier   *float64 `toml:"multiplier"`
	Appointments bool     `toml:"appointments"`
}

// Defaults for what a profile leaves out.
const (
	DefaultLoginDelay    = 10 * time.Minute
	DefaultCallGap       = 30 * time.Second
	DefaultRecallGap     = time.Minute
	DefaultOvertimeLimit = 60 * time.Minute
)

// ParseProfile reads a profile from TOML text. It checks what it can alone;
// Check compares it with the office.
func ParseProfile(data []byte) (*Profile, error) {
	var f profileFile
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
	p := &Profile{
		LoginDelay:    f.LoginDelay.Or(DefaultLoginDelay),
		CallGap:       f.CallGap.Or(DefaultCallGap),
		RecallGap:     f.RecallGap.Or(DefaultRecallGap),
		OvertimeLimit: f.OvertimeLimit.Or(DefaultOvertimeLimit),
		Staffing:      map[string][]Clerk{},
	}
	if p.PriorityShare, err = share("priority_share", f.PriorityShare, 0); err != nil {
		return nil, err
	}
	if p.NoShow, err = share("no_show", f.NoShow, 0); err != nil {
		return nil, err
	}
	if p.RecallGap == 0 {
		return nil, errors.New("recall_gap: must be more than 0")
	}
	if len(f.Services) == 0 {
		return nil, errors.New("services: the profile has no service")
	}
	for _, id := range sortedKeys(f.Services) {
		sp, err := f.Services[id].build(id, p.NoShow)
		if err != nil {
			return nil, err
		}
		p.Services = append(p.Services, sp)
	}
	if len(f.Staffing) == 0 {
		return nil, errors.New("staffing: the profile has no staffing set")
	}
	for _, name := range sortedKeys(f.Staffing) {
		clerks, err := buildClerks(name, f.Staffing[name])
		if err != nil {
			return nil, err
		}
		p.Staffing[name] = clerks
	}
	if a := f.Appointments; a != nil {
		p.Appointments = &AgendaProfile{Early: a.Early.Or(10 * time.Minute)}
		if p.Appointments.Booked, err = share("appointments.booked", a.Booked, 0.4); err != nil {
			return nil, err
		}
		if p.Appointments.Show, err = share("appointments.show", a.Show, 0.85); err != nil {
			return nil, err
		}
		if p.Appointments.LateShare, err = share("appointments.late_share", a.LateShare, 0.05); err != nil {
			return nil, err
		}
	}
	if len(f.Scenarios) == 0 {
		return nil, errors.New("scenarios: the profile has no scenario")
	}
	for i, s := range f.Scenarios {
		field := fmt.Sprintf("scenarios[%d]", i)
		sc := Scenario{Name: strings.TrimSpace(s.Name), Staffing: s.Staffing, Multiplier: 1, Appointments: s.Appointments}
		if sc.Appointments && f.Appointments == nil {
			return nil, fmt.Errorf("%s.appointments: the profile has no [appointments] table", field)
		}
		if !queue.ValidID(sc.Name) || sc.Name == "all" {
			return nil, fmt.Errorf("%s.name: %q must be 1-32 letters, digits, '-' or '_', and not \"all\"", field, s.Name)
		}
		if p.Scenario(sc.Name) != nil {
			return nil, fmt.Errorf("%s.name: %q is used twice", field, sc.Name)
		}
		if p.Staffing[sc.Staffing] == nil {
			return nil, fmt.Errorf("%s.staffing: no staffing set %q (the file has %s)", field, s.Staffing, strings.Join(sortedKeys(f.Staffing), ", "))
		}
		if s.Multiplier != nil {
			sc.Multiplier = *s.Multiplier
		}
		if !(sc.Multiplier > 0) || math.IsInf(sc.Multiplier, 0) {
			return nil, fmt.Errorf("%s.multiplier: must be more than 0", field)
		}
		p.Scenarios = append(p.Scenarios, sc)
	}
	return p, nil
}

func (f serviceProfileFile) build(id string, noShow float64) (ServiceProfile, error) {
	field := "services." + id
	sp := ServiceProfile{ID: id, NoShow: noShow}
	if f.Mean == nil || f.Mean.Duration <= 0 {
		return sp, fmt.Errorf("%s.mean: give the true mean time at the counter, more than 0 (e.g. \"8m\")", field)
	}
	sp.Time.Mean = f.Mean.Duration
	if f.CV != nil {
		sp.Time.CV = *f.CV
	}
	if !(sp.Time.CV >= 0 && sp.Time.CV <= 5) {
		return sp, fmt.Errorf("%s.cv: %v must be from 0 (a fixed time) to 5", field, sp.Time.CV)
	}
	var err error
	if sp.NoShow, err = share(field+".no_show", f.NoShow, noShow); err != nil {
		return sp, err
	}
	if !(f.AtOpen >= 0 && f.AtOpen < 1e4) {
		return sp, fmt.Errorf("%s.at_open: %v must be from 0 to 10000", field, f.AtOpen)
	}
	sp.AtOpen = f.AtOpen
	for _, k := range sortedKeys(f.PerHour) {
		h, err := strconv.Atoi(k)
		if err != nil || h < 0 || h > 23 {
			return sp, fmt.Errorf("%s.per_hour: %q is not an hour 0-23", field, k)
		}
		v := f.PerHour[k]
		if !(v >= 0 && v < 1e4) {
			return sp, fmt.Errorf("%s.per_hour.%s: %v must be from 0 to 10000 arrivals an hour", field, k, v)
		}
		sp.PerHour[h] = v
	}
	return sp, nil
}

func buildClerks(set string, files []clerkFile) ([]Clerk, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("staffing.%s: nobody staffs a counter", set)
	}
	var clerks []Clerk
	for i, c := range files {
		field := fmt.Sprintf("staffing.%s[%d]", set, i)
		k := Clerk{Name: strings.TrimSpace(c.Name), Counter: c.Counter, Services: c.Services, Until: 24 * 60}
		if k.Counter == "" {
			return nil, fmt.Errorf("%s.counter: is missing", field)
		}
		if k.Name == "" {
			k.Name = "clerk-" + k.Counter
		}
		var err error
		if c.From != "" {
			if k.From, err = queue.ParseMinute(c.From); err != nil {
				return nil, fmt.Errorf("%s.from: %w", field, err)
			}
		}
		if c.Until != "" {
			if k.Until, err = queue.ParseMinute(c.Until); err != nil {
				return nil, fmt.Errorf("%s.until: %w", field, err)
			}
		}
		if k.Until <= k.From {
			return nil, fmt.Errorf("%s: until %s is not after from %s", field, k.Until, k.From)
		}
		for _, other := range clerks {
			if other.Counter == k.Counter {
				return nil, fmt.Errorf("%s.counter: counter %q is staffed twice", field, k.Counter)
			}
			if other.Name == k.Name {
				return nil, fmt.Errorf("%s.name: %q is at two counters", field, k.Name)
			}
		}
		clerks = append(clerks, k)
	}
	return clerks, nil
}

// Check compares the profile with the office: every service and counter it
// names exists and every clerk's services may be served at the counter. It
// puts Services in the office's order. An office service the profile does
// not name gets no citizens.
func (p *Profile) Check(cfg *queue.Config) error {
	for _, sp := range p.Services {
		if cfg.Service(sp.ID) == nil {
			return fmt.Errorf("profile %s: services.%s: the office has no service %q", p.Source, sp.ID, sp.ID)
		}
	}
	for _, name := range sortedKeys(p.Staffing) {
		for i, k := range p.Staffing[name] {
			field := fmt.Sprintf("profile %s: staffing.%s[%d]", p.Source, name, i)
			c := cfg.Counter(k.Counter)
			if c == nil {
				return fmt.Errorf("%s.counter: the office has no counter %q", field, k.Counter)
			}
			for _, s := range k.Services {
				if !slices.Contains(c.Services, s) {
					return fmt.Errorf("%s.services: counter %q may not serve %q (it serves %s)", field, k.Counter, s, strings.Join(c.Services, ", "))
				}
			}
		}
	}
	order := map[string]int{}
	for i, s := range cfg.Services {
		order[s.ID] = i
	}
	slices.SortStableFunc(p.Services, func(a, b ServiceProfile) int { return order[a.ID] - order[b.ID] })
	return nil
}

// Service returns the profile of service id, or nil.
func (p *Profile) Service(id string) *ServiceProfile {
	for i := range p.Services {
		if p.Services[i].ID == id {
			return &p.Services[i]
		}
	}
	return nil
}

func share(field string, v *float64, def float64) (float64, error) {
	if v == nil {
		return def, nil
	}
	if !(*v >= 0 && *v <= 1) {
		return 0, fmt.Errorf("%s: %v must be a share from 0 to 1", field, *v)
	}
	return *v, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
