package admin

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"turno/server/config"
	"turno/server/queue"
	"turno/server/store"
)

//go:embed console.html
var consoleHTML string

var pages = template.Must(template.New("console").Funcs(template.FuncMap{
	"has":   slices.Contains[[]string],
	"path":  pathEscape,
	"upper": strings.ToUpper,
}).Parse(consoleHTML))

// Sections of the console, in the order of its menu; the back office sees
// only the sheets.
var Sections = []string{"home", "office", "services", "counters", "staffing", "users", "devices", "sheets", "history"}

// Page is one page of the console.
type Page struct {
	Lang   string
	Office string
	// User is the signed-in user's full name (empty: the sign-in form) and
	// Name the account's; Admin says whether they administer (otherwise
	// they are back office: the sheets only).
	User, Name string
	Admin      bool
	Section    string
	// Version is the version in force, made by VersionBy at VersionAt.
	Version   uint64
	VersionBy string
	VersionAt string
	// Notice says a change was made; Problems why one was not. Forcible
	// offers "apply all the same"; Reason keeps what was typed.
	Notice   string
	Problems []Problem
	Forcible bool
	Reason   string
	// Retry posts a forcible refused form again, forced.
	Retry *Retry
	// LoginError is the sign-in form's message; Forbidden shows the access
	// denied page with its reason.
	LoginError string
	Forbidden  string

	OfficeForm *OfficeForm
	Closures   []ClosureRow
	// ClosureFrom and ClosureTo keep a refused closure's dates.
	ClosureFrom, ClosureTo string

	Services    []ServiceRow
	ServiceForm *ServiceForm
	ServiceID   string // editing (empty with a form: a new one)

	Counters    []CounterRow
	CounterForm *CounterForm
	CounterID   string

	Shifts     []ShiftRow
	ShiftForm  *ShiftForm
	ShiftIndex int // editing; -1: a new one
	Exceptions []ExceptionRow

	Users    []UserRow
	UserForm *UserForm
	UserName string // editing; empty with a form: a new one

	Devices []DeviceRow
	Token   *TokenView

	Sheets []SheetRow
	Sheet  *SheetView

	Versions []VersionRow
	Detail   *VersionDetail
	// MoreHistory counts the older versions not shown.
	MoreHistory int

	// Choices for forms.
	AllServices []Choice
	AllCounters []Choice
	Roles       []Choice
	DeviceRoles []Choice
	Lanes       []Choice
	LatePolicy  []Choice
}

// T is a word of the console in the page's language.
func (p *Page) T(key string) string { return Text(p.Lang, key) }

// Tf formats a word of the console.
func (p *Page) Tf(key string, args ...any) string { return Textf(p.Lang, key, args...) }

// Other is the other language, for the switch.
func (p *Page) Other() string {
	if p.Lang == "en" {
		return "it"
	}
	return "en"
}

// OtherName is the other language's name, in that language.
func (p *Page) OtherName() string {
	if p.Lang == "en" {
		return "Italiano"
	}
	return "English"
}

// Title is the page's title.
func (p *Page) Title() string {
	switch {
	case p.Forbidden != "":
		return p.T("forbidden")
	case p.User == "":
		return p.T("login")
	case p.Section == "" || p.Section == "home":
		return p.T("admin")
	}
	return p.T(p.Section)
}

// Menu is the sections the user may open.
func (p *Page) Menu() []Choice {
	var out []Choice
	for _, s := range Sections {
		if p.Admin || s == "sheets" {
			out = append(out, Choice{ID: s, Name: p.T(s), On: s == p.Section})
		}
	}
	return out
}

// Days are the weekdays' keys and names for the week inputs.
func (p *Page) Days() []Choice {
	out := make([]Choice, len(Days))
	for i, d := range Days {
		out[i] = Choice{ID: d.Key, Name: p.T(d.Key), Index: i}
	}
	return out
}

// Retry is a refused form to post again with force: where, and its
// fields as they were sent.
type Retry struct {
	Action string
	Fields []WeekInput // Name and Value
}

// NewRetry keeps a form's fields, force aside.
func NewRetry(action string, form map[string][]string) *Retry {
	r := &Retry{Action: action}
	for _, name := range sortedKeys(form) {
		if name == "force" {
			continue
		}
		for _, v := range form[name] {
			r.Fields = append(r.Fields, WeekInput{Name: name, Value: v})
		}
	}
	return r
}

// WeekInput is one day's input of a week.
type WeekInput struct {
	Name, Label, Value string
}

// Week is a week's seven inputs, named prefix_mon ... prefix_sun.
func (p *Page) Week(prefix string, values [7]string) []WeekInput {
	out := make([]WeekInput, len(Days))
	for i, d := range Days {
		out[i] = WeekInput{Name: prefix + "_" + d.Key, Label: p.T(d.Key), Value: values[i]}
	}
	return out
}

// Choice is an option of a form, or a link of the menu.
type Choice struct {
	ID, Name string
	On       bool
	Index    int
}

// ClosureRow is one closure date.
type ClosureRow struct {
	Date, Holiday string
	Past, Today   bool
}

// ServiceRow is one service in the list.
type ServiceRow struct {
	ID, Name, Letter, Lane, Hours string
	Bookable                      bool
	Waiting                       int
	HasSheet                      bool
}

// CounterRow is one counter in the list.
type CounterRow struct {
	ID, Name, Lane, State, Services string
}

// ShiftRow is one shift of the staffing plan.
type ShiftRow struct {
	Index             int
	Counter, Services string
	Hours             [][]string // per day, its ranges
}

// ExceptionRow is one exception to the plan.
type ExceptionRow struct {
	Date, Counter, CounterName, Hours string
}

// UserRow is one user in the list.
type UserRow struct {
	Name, FullName, Role, Sheets string
	Self                         bool
}

// DeviceRow is one device in the list.
type DeviceRow struct {
	ID, Role, Counter, Since string
	Online                   bool
}

// TokenView shows a new token, once.
type TokenView struct {
	Device, Token string
	Reissued      bool
}

// SheetRow is one service's sheet in the list.
type SheetRow struct {
	ID, Name, First string
	Empty           bool
}

// SheetView is the sheet editor with its previews.
type SheetView struct {
	ID, Name, Text string
	Kiosk, Counter template.HTML
	Preview        bool // the text is not saved yet
}

// VersionRow is one version in the history.
type VersionRow struct {
	Version        uint64
	At, By, Reason string
	Changes        int
	First          bool
	Summary        []string // the first tables changed, named
	Download       bool
	// More counts the tables changed beyond those in Summary.
	More int
}

// VersionDetail is one version with what it changed.
type VersionDetail struct {
	VersionRow
	Groups []ChangeGroup
}

// ChangeGroup is one table's changes.
type ChangeGroup struct {
	Title string
	Kind  string // added, removed or changed, when the whole table was
	Rows  []ChangeRow
}

// ChangeRow is one field's change.
type ChangeRow struct {
	Field, Before, After string
	// Long values (sheets) are shown line by line, the lines removed and
	// added marked.
	Long                    bool
	BeforeLines, AfterLines []DiffLine
}

// DiffLine is one line of a long value; Changed: removed (before) or
// added (after).
type DiffLine struct {
	Text    string
	Changed bool
}

// lineDiff marks the lines of a that b lacks and those of b that a lacks,
// by their longest common subsequence.
func lineDiff(a, b string) (before, after []DiffLine) {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	if a == "" {
		x = nil
	}
	if b == "" {
		y = nil
	}
	// lcs[i][j]: the common lines of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			before = append(before, DiffLine{Text: x[i]})
			after = append(after, DiffLine{Text: y[j]})
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			after = append(after, DiffLine{Text: y[j], Changed: true})
			j++
		default:
			before = append(before, DiffLine{Text: x[i], Changed: true})
			i++
		}
	}
	return before, after
}

// Render writes a page of the console.
func Render(w io.Writer, p *Page) error {
	return pages.ExecuteTemplate(w, "page", p)
}

func pathEscape(s string) string {
	return strings.NewReplacer("%", "%25", "/", "%2F", "?", "%3F", "#", "%23", " ", "%20").Replace(s)
}

// The builders below fill the pages from the configuration in force.

// Fill sets what every page shows: the office, the user, the version.
func (p *Page) Fill(cfg *config.Config, v *store.ConfigVersion) {
	p.Office = cfg.Office.Name
	p.Version = cfg.Version
	if v != nil {
		p.VersionBy, p.VersionAt = v.By, When(p.Lang, v.At, cfg.Office.Location)
	}
	for _, s := range cfg.Office.Services {
		p.AllServices = append(p.AllServices, Choice{ID: s.ID, Name: s.Name(p.Lang)})
	}
	for _, k := range cfg.Office.Counters {
		p.AllCounters = append(p.AllCounters, Choice{ID: k.ID, Name: k.Name})
	}
	for _, r := range []config.Role{config.RoleClerk, config.RoleFloor, config.RoleBackoffice, config.RoleAdmin} {
		p.Roles = append(p.Roles, Choice{ID: string(r), Name: p.T("role_" + string(r))})
	}
	p.DeviceRoles = []Choice{{ID: string(config.RoleKiosk), Name: p.T("role_kiosk")}, {ID: string(config.RoleDisplay), Name: p.T("role_display")}}
	p.Lanes = []Choice{{ID: string(queue.LaneStandard), Name: p.T("lane_standard")}, {ID: string(queue.LaneFastTrack), Name: p.T("lane_fasttrack")}}
	p.LatePolicy = []Choice{{ID: string(queue.LateWalkIn), Name: p.T("late_walkin")}, {ID: string(queue.LateRebook), Name: p.T("late_rebook")}}
}

// WeekText writes a week for a list: "Mon 08:30-12:30 · Tue ...".
func WeekText(lang string, w *queue.Week) string {
	in := WeekInputs(w)
	var parts []string
	for i, d := range Days {
		if in[i] != "" {
			parts = append(parts, Text(lang, d.Key)[:3]+" "+in[i])
		}
	}
	if len(parts) == 0 {
		return pick(lang, "mai aperto", "never open")
	}
	return strings.Join(parts, " · ")
}

// ClosureRows lists the configured closures from a month ago on.
func ClosureRows(cfg *config.Config, today string) []ClosureRow {
	var out []ClosureRow
	t, _ := time.Parse(queue.DayLayout, today)
	since := t.AddDate(0, -1, 0).Format(queue.DayLayout)
	for _, d := range cfg.Closures {
		if d < since {
			continue
		}
		out = append(out, ClosureRow{Date: d, Past: d < today, Today: d == today})
	}
	return out
}

// ServiceRows lists the services with their people waiting.
func ServiceRows(lang string, cfg *config.Config, waiting map[string]int) []ServiceRow {
	var out []ServiceRow
	for _, s := range cfg.Office.Services {
		hours := Text(lang, "office_hours")
		if s.Hours != nil {
			hours = WeekText(lang, s.Hours)
		}
		out = append(out, ServiceRow{ID: s.ID, Name: s.Name(lang), Letter: s.Prefix, Lane: Text(lang, "lane_"+string(s.Lane)), Hours: hours,
			Bookable: s.Agenda != nil, Waiting: waiting[s.ID], HasSheet: s.Info != ""})
	}
	return out
}

// CounterRows lists the counters with their state now.
func CounterRows(lang string, cfg *config.Config, states map[string]queue.CounterState) []CounterRow {
	var out []CounterRow
	for _, k := range cfg.Office.Counters {
		names := make([]string, 0, len(k.Services))
		for _, id := range k.Services {
			if s := cfg.Office.Service(id); s != nil {
				names = append(names, s.Name(lang))
			}
		}
		state := states[k.ID]
		if state == "" {
			state = queue.CounterClosed
		}
		out = append(out, CounterRow{ID: k.ID, Name: k.Name, Lane: Text(lang, "lane_"+string(k.Lane)), State: Text(lang, string(state)), Services: strings.Join(names, ", ")})
	}
	return out
}

// StaffingRows lists the shifts and the exceptions.
func StaffingRows(lang string, cfg *config.Config) ([]ShiftRow, []ExceptionRow) {
	var shifts []ShiftRow
	for i, sh := range cfg.Office.Staffing.Shifts {
		var hours [][]string
		for _, d := range Days {
			var rs []string
			for _, r := range sh.Hours[d.Day] {
				rs = append(rs, r.String())
			}
			hours = append(hours, rs)
		}
		names := Text(lang, "all_services")
		if len(sh.Services) > 0 {
			var n []string
			for _, id := range sh.Services {
				if s := cfg.Office.Service(id); s != nil {
					n = append(n, s.Name(lang))
				}
			}
			names = strings.Join(n, ", ")
		}
		shifts = append(shifts, ShiftRow{Index: i, Counter: counterName(cfg, sh.Counter), Services: names, Hours: hours})
	}
	var ex []ExceptionRow
	for _, date := range sortedKeys(cfg.Office.Staffing.Exceptions) {
		for _, counter := range sortedKeys(cfg.Office.Staffing.Exceptions[date]) {
			rs := cfg.Office.Staffing.Exceptions[date][counter]
			hours := Text(lang, "not_staffed")
			if len(rs) > 0 {
				parts := make([]string, len(rs))
				for i, r := range rs {
					parts[i] = r.String()
				}
				hours = strings.Join(parts, ", ")
			}
			ex = append(ex, ExceptionRow{Date: date, Counter: counter, CounterName: counterName(cfg, counter), Hours: hours})
		}
	}
	return shifts, ex
}

// UserRows lists the users.
func UserRows(lang string, cfg *config.Config, self string) []UserRow {
	var out []UserRow
	for _, u := range cfg.Users {
		sheets := ""
		if u.Role == config.RoleBackoffice {
			sheets = Text(lang, "all_sheets")
			if len(u.Services) > 0 {
				var n []string
				for _, id := range u.Services {
					if s := cfg.Office.Service(id); s != nil {
						n = append(n, s.Name(lang))
					}
				}
				sheets = strings.Join(n, ", ")
			}
		}
		out = append(out, UserRow{Name: u.Name, FullName: u.FullName, Role: Text(lang, "role_"+string(u.Role)), Sheets: sheets, Self: u.Name == self})
	}
	return out
}

// DeviceRows lists the devices with their presence.
func DeviceRows(lang string, cfg *config.Config, presence []queue.DeviceStatus) []DeviceRow {
	seen := map[string]queue.DeviceStatus{}
	for _, d := range presence {
		seen[d.ID] = d
	}
	var out []DeviceRow
	for _, d := range cfg.Devices {
		row := DeviceRow{ID: d.ID, Role: Text(lang, "role_"+string(d.Role)), Counter: counterName(cfg, d.Counter)}
		if d.Counter == "" {
			row.Counter = ""
		}
		if st, ok := seen[d.ID]; ok {
			row.Online = st.Online
			if st.Since != nil {
				row.Since = st.Since.In(cfg.Office.Location).Format("15:04")
			}
		}
		out = append(out, row)
	}
	return out
}

// MaySheet reports whether user u may edit service id's sheet.
func MaySheet(u *config.User, id string) bool {
	if u == nil {
		return false
	}
	switch u.Role {
	case config.RoleAdmin:
		return true
	case config.RoleBackoffice:
		return len(u.Services) == 0 || slices.Contains(u.Services, id)
	}
	return false
}

// SheetRows lists the sheets user u may edit.
func SheetRows(lang string, cfg *config.Config, u *config.User) []SheetRow {
	var out []SheetRow
	for _, s := range cfg.Office.Services {
		if !MaySheet(u, s.ID) {
			continue
		}
		first, _, _ := strings.Cut(strings.TrimSpace(s.Info), "\n")
		first = strings.Trim(first, "*_# ")
		if r := []rune(first); len(r) > 90 {
			first = string(r[:90]) + "…"
		}
		out = append(out, SheetRow{ID: s.ID, Name: s.Name(lang), First: first, Empty: s.Info == ""})
	}
	return out
}

// NewSheetView is the editor of a service's sheet with its previews.
func NewSheetView(lang string, s *queue.Service, text string, preview bool) *SheetView {
	shown := text
	if strings.TrimSpace(shown) == "" {
		shown = "*" + Text(lang, "sheet_empty") + "*"
	}
	return &SheetView{ID: s.ID, Name: s.Name(lang), Text: text, Kiosk: KioskHTML(shown), Counter: CounterHTML(shown), Preview: preview}
}

// History lists the versions, newest first, each with its changes
// counted against the one before.
func History(lang string, versions []store.ConfigVersion, loc *time.Location, download bool) ([]VersionRow, error) {
	out := make([]VersionRow, 0, len(versions))
	var prev *config.Config
	for _, v := range versions {
		cfg, err := config.Parse([]byte(v.TOML))
		if err != nil {
			return nil, fmt.Errorf("version %d: %w", v.Version, err)
		}
		row := VersionRow{Version: v.Version, At: When(lang, v.At, loc), By: v.By, Reason: v.Reason, First: prev == nil, Download: download}
		if prev != nil {
			changes, err := config.Diff(prev, cfg)
			if err != nil {
				return nil, err
			}
			row.Changes = len(changes)
			seen := map[string]bool{}
			for _, c := range changes {
				if !seen[c.Section] && len(row.Summary) < 3 {
					row.Summary = append(row.Summary, ChangeLabel(lang, cfg, c.Section, ""))
				}
				seen[c.Section] = true
			}
			row.More = len(seen) - len(row.Summary)
		}
		out = append(out, row)
		prev = cfg
	}
	slices.Reverse(out)
	return out, nil
}

// Detail is one version's changes against the one before, table by table.
func Detail(lang string, v store.ConfigVersion, before *store.ConfigVersion, loc *time.Location, download bool) (*VersionDetail, error) {
	cfg, err := config.Parse([]byte(v.TOML))
	if err != nil {
		return nil, fmt.Errorf("version %d: %w", v.Version, err)
	}
	d := &VersionDetail{VersionRow: VersionRow{Version: v.Version, At: When(lang, v.At, loc), By: v.By, Reason: v.Reason, First: before == nil, Download: download}}
	if before == nil {
		return d, nil
	}
	prev, err := config.Parse([]byte(before.TOML))
	if err != nil {
		return nil, fmt.Errorf("version %d: %w", before.Version, err)
	}
	changes, err := config.Diff(prev, cfg)
	if err != nil {
		return nil, err
	}
	d.Changes = len(changes)
	var g *ChangeGroup
	for _, c := range changes {
		names := cfg
		if c.Kind == config.Removed {
			names = prev
		}
		title := ChangeLabel(lang, names, c.Section, "")
		if g == nil || g.Title != title {
			d.Groups = append(d.Groups, ChangeGroup{Title: title})
			g = &d.Groups[len(d.Groups)-1]
		}
		row := ChangeRow{Field: fieldName(lang, c.Field), Before: config.Unquote(c.Before), After: config.Unquote(c.After)}
		if c.Secret {
			row.Before, row.After = "", Text(lang, "secret_changed")
			if c.Kind == config.Added {
				row.After = Text(lang, "secret_set")
			}
			if c.Kind == config.Removed {
				row.After = ""
			}
		}
		if row.Long = strings.Contains(row.Before, "\n") || strings.Contains(row.After, "\n"); row.Long {
			row.BeforeLines, row.AfterLines = lineDiff(row.Before, row.After)
		}
		g.Rows = append(g.Rows, row)
	}
	// A table added or removed whole says so once.
	for i := range d.Groups {
		kinds := map[string]bool{}
		for _, c := range changes {
			names := cfg
			if c.Kind == config.Removed {
				names = prev
			}
			if ChangeLabel(lang, names, c.Section, "") == d.Groups[i].Title {
				kinds[c.Kind] = true
			}
		}
		if len(kinds) == 1 {
			for k := range kinds {
				if k != config.Changed {
					d.Groups[i].Kind = Text(lang, k)
				}
			}
		}
	}
	return d, nil
}

func fieldName(lang, field string) string {
	if w, ok := fieldWords[field]; ok {
		return pick(lang, w[0], w[1])
	}
	return field
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Atoi reads a path's number, -1 when it is not one.
func Atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}
