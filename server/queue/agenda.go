package queue

import (
	"crypto/rand"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// BookingState is where a booking stands.
type BookingState string

// Booking states. A booked slot is held until it is cancelled, checked in,
// or missed (its check-in window passed); cancelled and missed ones free
// their slot.
const (
	BookingBooked    BookingState = "booked"
	BookingCancelled BookingState = "cancelled"
	BookingCheckedIn BookingState = "checkedin"
	BookingMissed    BookingState = "missed"
)

// Booking channels: who booked.
const (
	ChannelWeb     = "web"     // the citizen, on the /prenota page
	ChannelPhone   = "phone"   // staff, for a citizen on the phone
	ChannelCounter = "counter" // staff, for a citizen at the counter
	ChannelKiosk   = "kiosk"   // the citizen, at the kiosk
)

// Booking is an appointment in the agenda. It holds only what the office
// needs: a name to greet the citizen, one optional contact, a note; and it
// is erased after the office's retention.
type Booking struct {
	ID      string       `json:"id"`   // unguessable: the key of the citizen's link
	Code    string       `json:"code"` // short, read over the phone and typed at the kiosk
	Service string       `json:"service"`
	Day     string       `json:"day"` // the slot's business day
	Slot    time.Time    `json:"slot"`
	SlotEnd time.Time    `json:"slot_end"`
	Name    string       `json:"name"`
	Contact string       `json:"contact,omitempty"` // an e-mail address or a phone number
	Note    string       `json:"note,omitempty"`
	Channel string       `json:"channel"`
	State   BookingState `json:"state"`
	// CreatedBy is the staff member who booked, or "" for the citizen.
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by,omitempty"`
	// CancelledBy is the staff member who cancelled, or "citizen".
	CancelledAt *time.Time `json:"cancelled_at,omitempty"`
	CancelledBy string     `json:"cancelled_by,omitempty"`
	Moves       int        `json:"moves,omitempty"`
	CheckedInAt *time.Time `json:"checked_in_at,omitempty"`
	// Late says the citizen checked in after the window and was served as
	// a walk-in.
	Late     bool       `json:"late,omitempty"`
	Ticket   string     `json:"ticket,omitempty"` // the ticket's id, once checked in
	Number   string     `json:"number,omitempty"` // and its number
	MissedAt *time.Time `json:"missed_at,omitempty"`
	// Key is the booking request's idempotency key, scoped by the caller.
	Key string `json:"key,omitempty"`
}

// Active reports whether the booking holds its slot.
func (b *Booking) Active() bool { return b.State == BookingBooked || b.State == BookingCheckedIn }

// Public is the booking without personal data, for reports and for
// whoever may know a slot is taken but not by whom.
func (b Booking) Public() Booking {
	b.Name, b.Contact, b.Note, b.Key, b.CreatedBy = "", "", "", "", ""
	if b.CancelledBy != "" && b.CancelledBy != CancelledByCitizen {
		b.CancelledBy = "staff"
	}
	return b
}

// CancelledByCitizen marks a booking cancelled through its own link.
const CancelledByCitizen = "citizen"

// Booking events carry the booking after the change.
const (
	EventBookingCreated   = "booking.created"
	EventBookingCancelled = "booking.cancelled"
	EventBookingMoved     = "booking.moved"
	EventBookingCheckedIn = "booking.checkedin"
	EventBookingMissed    = "booking.missed"
)

// Field limits of a booking, in characters (the apps check them before
// sending, to say so in their own words).
const (
	MaxBookingName = 100
	MaxContact     = 100
	MaxBookingNote = 500
)

// CodeAlphabet is the booking codes' characters: it leaves out what is
// misread or misheard, 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V. A kiosk's keypad
// offers exactly these.
const CodeAlphabet = "ACDEFGHJKMNPQRTWXY34679"

// CodeLength is the booking code's length: 23^6, about 148 million codes,
// against some thousands of bookings alive at once.
const CodeLength = 6

func randomCode() string {
	var b [CodeLength]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("queue: no randomness: " + err.Error())
	}
	for i := range b {
		b[i] = CodeAlphabet[int(b[i])%len(CodeAlphabet)] // 256 % 23 bias is negligible here
	}
	return string(b[:])
}

// NormalizeCode reads a booking code as a citizen or a barcode reader types
// it: any case, with spaces or dashes.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r == ' ' || r == '-' || r == '.' || r == '\t' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FormatCode shows a code as two groups, "ACD-E47", easy to read aloud.
func FormatCode(code string) string {
	if len(code) != CodeLength {
		return code
	}
	return code[:3] + "-" + code[3:]
}

// NormalizeContact returns a contact as it is compared (limits per
// contact): an e-mail address in lower case, a phone number as its digits
// with a leading +; ok is false for anything else.
func NormalizeContact(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxContact {
		return "", false
	}
	if at := strings.LastIndexByte(s, '@'); at > 0 {
		local, domain := s[:at], s[at+1:]
		if strings.ContainsAny(s, " \t<>,;\"") || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || local == "" {
			return "", false
		}
		return strings.ToLower(s), true
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case unicode.IsDigit(r) && r < 128:
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/':
		default:
			return "", false
		}
	}
	digits := strings.TrimPrefix(b.String(), "+")
	if len(digits) < 6 || len(digits) > 15 {
		return "", false
	}
	return b.String(), true
}

// slotKey identifies a slot of a service.
type slotKey struct {
	service string
	start   int64
}

// agenda is the bookings of today and the days ahead, with their indexes.
type agenda struct {
	byID   map[string]*Booking
	byCode map[string]*Booking
	byKey  map[string]*Booking
	taken  map[slotKey]int // active bookings per slot
}

func newAgenda() agenda {
	return agenda{byID: map[string]*Booking{}, byCode: map[string]*Booking{}, byKey: map[string]*Booking{}, taken: map[slotKey]int{}}
}

func keyOf(b *Booking) slotKey { return slotKey{b.Service, b.Slot.Unix()} }

// put installs a booking's latest version.
func (a *agenda) put(b Booking) {
	if old := a.byID[b.ID]; old != nil {
		if old.Active() {
			a.taken[keyOf(old)]--
		}
		if old.Code != b.Code {
			delete(a.byCode, old.Code)
		}
		*old = b
	} else {
		nb := b
		a.byID[b.ID] = &nb
	}
	cur := a.byID[b.ID]
	a.byCode[cur.Code] = cur
	if cur.Key != "" {
		a.byKey[cur.Key] = cur
	}
	if cur.Active() {
		a.taken[keyOf(cur)]++
	}
}

// prune forgets the bookings of days before day: they are final, and the
// store keeps them.
func (a *agenda) prune(day string) {
	for id, b := range a.byID {
		if b.Day < day {
			if b.Active() {
				a.taken[keyOf(b)]--
			}
			delete(a.byID, id)
			if a.byCode[b.Code] == b {
				delete(a.byCode, b.Code)
			}
			if b.Key != "" && a.byKey[b.Key] == b {
				delete(a.byKey, b.Key)
			}
		}
	}
	for k, n := range a.taken {
		if n <= 0 {
			delete(a.taken, k)
		}
	}
}

// LoadBookings installs the bookings of today and the days ahead that the
// store kept from earlier days; the server calls it before replaying the
// day's events, which then bring them up to date.
func (o *Office) LoadBookings(bookings []Booking) {
	for _, b := range bookings {
		o.agenda.put(b)
	}
}

// Booking returns a booking of today or the days ahead by id or code, or
// nil. The result must not be modified.
func (o *Office) Booking(ref string) *Booking {
	if b := o.agenda.byID[ref]; b != nil {
		return b
	}
	return o.agenda.byCode[NormalizeCode(ref)]
}

// Bookings returns the bookings of a business day (today or ahead) in slot
// order, those of the given services only when services is not empty.
func (o *Office) Bookings(day string, services ...string) []Booking {
	var out []Booking
	for _, b := range o.agenda.byID {
		if b.Day == day && (len(services) == 0 || slices.Contains(services, b.Service)) {
			out = append(out, *b)
		}
	}
	sortBookings(out)
	return out
}

// FindBookings returns the bookings of today and the days ahead whose
// code is ref or whose name contains it (any case), in slot order, at most
// limit.
func (o *Office) FindBookings(ref string, limit int) []Booking {
	if b := o.Booking(ref); b != nil {
		return []Booking{*b}
	}
	q := strings.ToLower(strings.TrimSpace(ref))
	if q == "" {
		return nil
	}
	var out []Booking
	for _, b := range o.agenda.byID {
		if strings.Contains(strings.ToLower(b.Name), q) {
			out = append(out, *b)
		}
	}
	sortBookings(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func sortBookings(bs []Booking) {
	slices.SortFunc(bs, func(a, b Booking) int {
		if c := a.Slot.Compare(b.Slot); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
}

// agendaWeek is a bookable service's appointment hours.
func (c *Config) agendaWeek(s *Service) Week {
	if s.Agenda != nil && s.Agenda.Hours != nil {
		return *s.Agenda.Hours
	}
	return c.week(s)
}

// Slots returns a bookable service's appointment slots on the civil date
// of t: its appointment hours cut into slots, within the office's hours,
// none on a closure.
func (c *Config) Slots(s *Service, t time.Time) []Span {
	if s == nil || s.Agenda == nil {
		return nil
	}
	t = t.In(c.Location)
	if c.Closures[t.Format(DayLayout)] {
		return nil
	}
	office := c.spansOf(c.Hours[t.Weekday()], t)
	var out []Span
	for _, r := range c.spansOf(c.agendaWeek(s)[t.Weekday()], t) {
		for start := r.Open; !start.Add(s.Agenda.Slot).After(r.Close); start = start.Add(s.Agenda.Slot) {
			sp := Span{Open: start, Close: start.Add(s.Agenda.Slot)}
			for _, o := range office {
				if !sp.Open.Before(o.Open) && !sp.Close.After(o.Close) {
					out = append(out, sp)
					break
				}
			}
		}
	}
	return out
}

// Slot is a slot and how many places it has left.
type Slot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Free  int       `json:"free"`
}

// FreeSlots returns the service's slots on the civil date of day that can
// be booked at now: by a citizen (staff false) from MinNotice ahead up to
// the horizon, by staff any slot not yet begun. Full slots are included,
// with Free 0, so a page can show the day as it is.
func (o *Office) FreeSlots(now time.Time, service string, day time.Time, staff bool) ([]Slot, error) {
	s := o.cfg.Service(service)
	if s == nil {
		return nil, ErrUnknownService.withf("unknown service %q", service)
	}
	if s.Agenda == nil {
		return nil, ErrNotBookable.withf("%s cannot be booked by appointment", s.Name("en"))
	}
	var out []Slot
	for _, sp := range o.cfg.Slots(s, day) {
		if o.bookable(now, s, sp.Open, staff) != nil {
			continue
		}
		free := s.Agenda.PerSlot - o.agenda.taken[slotKey{s.ID, sp.Open.Unix()}]
		out = append(out, Slot{Start: sp.Open, End: sp.Close, Free: max(free, 0)})
	}
	return out, nil
}

// NextFreeSlot returns the first slot of the service a citizen can book at
// now, or nil.
func (o *Office) NextFreeSlot(now time.Time, service string) *Slot {
	s := o.cfg.Service(service)
	if s == nil || s.Agenda == nil {
		return nil
	}
	local := now.In(o.cfg.Location)
	y, m, d := local.Date()
	for i := 0; i <= s.Agenda.HorizonDays; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, o.cfg.Location)
		slots, _ := o.FreeSlots(now, service, day, false)
		for _, sl := range slots {
			if sl.Free > 0 {
				return &sl
			}
		}
	}
	return nil
}

// bookable says why a slot start cannot be booked at now, or nil: too soon
// (a slot begun, or within the notice for citizens) or beyond the horizon.
func (o *Office) bookable(now time.Time, s *Service, start time.Time, staff bool) error {
	if !start.After(now) {
		return ErrSlotPast.withf("the slot at %s has already begun", start.In(o.cfg.Location).Format("15:04 on 2 Jan"))
	}
	if !staff && start.Before(now.Add(s.Agenda.MinNotice)) {
		return ErrSlotTooSoon.withf("slots must be booked at least %s ahead", s.Agenda.MinNotice)
	}
	today := now.In(o.cfg.Location)
	y, m, d := today.Date()
	last := time.Date(y, m, d+s.Agenda.HorizonDays, 0, 0, 0, 0, o.cfg.Location).Format(DayLayout)
	if o.cfg.Day(start) > last {
		return ErrSlotTooFar.withf("slots can be booked up to %d days ahead", s.Agenda.HorizonDays)
	}
	return nil
}

// isSlot reports whether start begins one of the service's slots, and
// returns it.
func (o *Office) isSlot(s *Service, start time.Time) (Span, bool) {
	for _, sp := range o.cfg.Slots(s, start) {
		if sp.Open.Equal(start) {
			return sp, true
		}
	}
	return Span{}, false
}

// expectedBookings are the booked citizens of service still expected
// today, as tickets due at their slot (or now, for one late but still
// within the window).
func (o *Office) expectedBookings(service string, now time.Time) []*Ticket {
	var out []*Ticket
	for _, b := range o.agenda.byID {
		if b.Service != service || b.State != BookingBooked || b.Day != o.day {
			continue
		}
		due := b.Slot
		if due.Before(now) {
			due = now
		}
		out = append(out, &Ticket{ID: "booking:" + b.ID, Number: b.Code, Service: service, Status: StatusWaiting,
			QueuedAt: b.Slot, IssuedAt: b.Slot, Due: &due, Booking: b.ID})
	}
	slices.SortFunc(out, func(a, b *Ticket) int {
		if dueBefore(a, b) {
			return -1
		}
		if dueBefore(b, a) {
			return 1
		}
		return 0
	})
	return out
}

// bookedAhead is how many booked citizens of service are still expected
// today.
func (o *Office) bookedAhead(service string) int {
	n := 0
	for _, b := range o.agenda.byID {
		if b.Service == service && b.State == BookingBooked && b.Day == o.day {
			n++
		}
	}
	return n
}
