package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"turno/assets"
	"turno/server/config"
	"turno/server/live"
	"turno/server/queue"
	"turno/server/ticketpdf"
)

// The citizens' booking page, /prenota: plain HTML rendered here, in
// Italian and English, that works without JavaScript. A citizen picks a
// service, a day and a free slot, gives a name and optionally a contact,
// and gets the booking's own page /prenota/b/{id}: the code, a QR code, a
// PDF, a calendar file, and the way to cancel. The booking's 128-bit id in
// that address is the capability; a booking is never shown by its short
// code on a public address. Limits against bots are in prenota_guard.go.

// Sender delivers a message to a citizen's e-mail address or phone
// number: the one-time codes of the booking page, when the office asks
// for them (agenda.verify_contact).
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// citizenPages holds the booking page's templates, limits and sender.
type citizenPages struct {
	pages  map[string]*template.Template
	guard  *citizenGuard
	sender Sender
}

// The booking page's templates, in assets/prenota; each is drawn inside
// layout.html.
var citizenTemplates = []string{"services", "days", "slots", "details", "verify", "taken", "booking", "cancel", "message"}

func newCitizenPages(cfg *config.Config, sender Sender) (*citizenPages, error) {
	if cfg.VerifyContact && sender == nil {
		return nil, errors.New("web: agenda.verify_contact needs a sender for the one-time codes")
	}
	perHour := cfg.WebBookingsPerHour
	if perHour < 1 {
		perHour = config.DefaultWebBookingsPerHour
	}
	guard, err := newCitizenGuard(perHour)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	c := &citizenPages{pages: map[string]*template.Template{}, guard: guard, sender: sender}
	layout, err := template.ParseFS(assets.Prenota, "prenota/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: booking page: %w", err)
	}
	for _, name := range citizenTemplates {
		t, err := template.Must(layout.Clone()).ParseFS(assets.Prenota, "prenota/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: booking page: %w", err)
		}
		c.pages[name] = t
	}
	return c, nil
}

// prenotaRoutes registers the booking page's addresses.
func (s *Server) prenotaRoutes() {
	s.mux.HandleFunc("GET /prenota", s.citizen(s.prenotaStep))
	s.mux.HandleFunc("POST /prenota", s.citizen(s.prenotaSubmit))
	s.mux.HandleFunc("GET /prenota/b/{id}", s.citizen(s.bookingPage))
	s.mux.HandleFunc("GET /prenota/b/{id}/cancel", s.citizen(s.cancelPage))
	s.mux.HandleFunc("POST /prenota/b/{id}/cancel", s.citizen(s.cancelSubmit))
	s.mux.HandleFunc("GET /prenota/b/{id}/qr.png", s.citizen(s.bookingQR))
	s.mux.HandleFunc("GET /prenota/b/{id}/booking.pdf", s.citizen(s.bookingPDF))
	s.mux.HandleFunc("GET /prenota/b/{id}/booking.ics", s.citizen(s.bookingICS))
	s.mux.HandleFunc("GET /prenota/", s.citizen(s.citizenNotFound))
}

// webActor is who acts for a citizen on the page.
var webActor = queue.Actor{Name: queue.ChannelWeb}

// visit is one request of a citizen's.
type visit struct {
	lang tr
	now  time.Time
	// state is the address (GET) of the step shown, which the language
	// switch links to in the other language; empty: the request's own.
	state string
}

// pageError is a refusal the citizen reads as a page.
type pageError struct {
	status int
	page   *pageData
}

func (e *pageError) Error() string { return fmt.Sprintf("page %d: %s", e.status, e.page.Title) }

// citizen runs a handler of the booking page: its language, its headers,
// and every error as a readable page, never a stack trace or JSON.
func (s *Server) citizen(h func(w http.ResponseWriter, r *http.Request, v *visit) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer") // the booking's id is in the address
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		var err error
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			err = r.ParseForm()
		}
		v := &visit{lang: pickLang(r), now: s.now()}
		if err == nil {
			err = h(w, r, v)
		}
		if err == nil {
			return
		}
		var pe *pageError
		if !errors.As(err, &pe) {
			pe = s.failurePage(r, v, err)
		}
		if err := s.render(w, r, v, pe.status, "message", pe.page); err != nil {
			s.logger.Error("booking page failed", "path", r.URL.Path, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}
}

// failurePage turns an error nobody expected into a page; the error itself
// stays in the log.
func (s *Server) failurePage(r *http.Request, v *visit, err error) *pageError {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, live.ErrClosed):
		return v.message(http.StatusServiceUnavailable, "unavailable.title", v.lang.S("err.unavailable"))
	case errors.As(err, &mbe):
		return v.message(http.StatusRequestEntityTooLarge, "method.title", v.lang.S("err.form.damaged"))
	case r.Method == http.MethodPost && r.PostForm == nil: // a body that is not a form
		return v.message(http.StatusBadRequest, "method.title", v.lang.S("err.form.damaged"))
	}
	s.logger.Error("booking page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	return v.message(http.StatusInternalServerError, "error.title", v.lang.S("err.internal"))
}

// message is a page with a title, a sentence and a way back to the start.
func (v *visit) message(status int, title, text string, links ...link) *pageError {
	if len(links) == 0 {
		links = []link{{Href: v.href("/prenota"), Text: v.lang.S("start.again"), Primary: true}}
	}
	return &pageError{status: status, page: &pageData{Title: v.lang.S(title), Text: []string{text}, Links: links}}
}

// href is a page's address in the visit's language.
func (v *visit) href(path string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	q.Set("lang", string(v.lang))
	return path + "?" + q.Encode()
}

// pageData is what every template of the booking page reads.
type pageData struct {
	T         tr
	Lang      string
	OtherLang string
	Switch    string
	Office    string
	Title     string
	Step      int
	Steps     int
	Notice    string
	NoticeOK  bool
	Text      []string
	Links     []link

	Services []serviceItem
	Service  *serviceItem
	Rules    string
	Days     []dayItem
	Day      string
	DayHref  string
	Slots    []slotItem
	Slot     *slotItem
	Form     *formData
	Booking  *bookingView
}

type link struct {
	Href, Text string
	Primary    bool
}

type serviceItem struct {
	ID, Name, Next, Href, SlotsHref string
	Info                            template.HTML
}

type dayItem struct{ Date, Free, Href string }

type slotItem struct {
	Unix               int64
	Start, Label, Href string
	Checked            bool
	startTime, endTime time.Time
}

// render draws a page with the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, v *visit, status int, name string, d *pageData) error {
	d.T, d.Lang, d.Office = v.lang, string(v.lang), s.cfg().Office.Name
	d.OtherLang = "en"
	if v.lang == "en" {
		d.OtherLang = "it"
	}
	d.Switch = v.state
	if d.Switch == "" {
		q := r.URL.Query()
		q.Set("lang", d.OtherLang)
		d.Switch = r.URL.Path + "?" + q.Encode()
	} else {
		d.Switch = strings.Replace(d.Switch, "lang="+string(v.lang), "lang="+d.OtherLang, 1)
	}
	if d.Steps == 0 {
		d.Steps = 4
		if s.cfg().VerifyContact {
			d.Steps = 5
		}
	}
	var buf bytes.Buffer
	if err := s.citizens.pages[name].ExecuteTemplate(&buf, "layout", d); err != nil {
		return fmt.Errorf("web: page %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	return nil
}

// bookable returns a service citizens may book, or nil.
func (s *Server) bookable(id string) *queue.Service {
	svc := s.cfg().Office.Service(id)
	if svc == nil || svc.Agenda == nil {
		return nil
	}
	return svc
}

// prenotaStep serves the steps before the form is sent, by the query:
// nothing, the services; service, its days; and day, its free slots; and
// slot, the form for the citizen's details.
func (s *Server) prenotaStep(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	if q.Get("service") == "" {
		return s.servicesPage(w, r, v)
	}
	svc := s.bookable(q.Get("service"))
	if svc == nil {
		return v.message(http.StatusNotFound, "notfound.title", v.lang.S("notfound.service"))
	}
	day, ok := s.parseDay(q.Get("day"))
	if !ok {
		return s.daysPage(w, r, v, svc)
	}
	if q.Get("slot") == "" {
		return s.slotsPage(w, r, v, svc, day, "", http.StatusOK)
	}
	slots, err := s.freeSlots(r.Context(), svc, day)
	if err != nil {
		return err
	}
	unix, _ := strconv.ParseInt(q.Get("slot"), 10, 64)
	for _, sl := range slots {
		if sl.Unix == unix {
			return s.detailsPage(w, r, v, svc, sl, &formData{Key: randomHex()}, "", http.StatusOK)
		}
	}
	return s.slotsPage(w, r, v, svc, day, v.lang.S("err.slot_full", time.Unix(unix, 0).In(s.cfg().Office.Location).Format("15:04")), http.StatusConflict)
}

// parseDay reads a date YYYY-MM-DD as noon of that date in the office's
// zone.
func (s *Server) parseDay(v string) (time.Time, bool) {
	t, err := time.ParseInLocation(queue.DayLayout, v, s.cfg().Office.Location)
	if err != nil {
		return time.Time{}, false
	}
	return t.Add(12 * time.Hour), true
}

func (s *Server) servicesPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	loc := s.cfg().Office.Location
	d := &pageData{Title: v.lang.S("services.title"), Step: 1}
	next := map[string]*queue.Slot{}
	var now time.Time
	err := s.read(r.Context(), func(at time.Time, st *queue.Office) { // only this holds the office
		now = at
		for _, svc := range s.cfg().Office.Services {
			if svc.Agenda != nil {
				next[svc.ID] = st.NextFreeSlot(at, svc.ID)
			}
		}
	})
	if err != nil {
		return err
	}
	for i := range s.cfg().Office.Services {
		svc := &s.cfg().Office.Services[i]
		if svc.Agenda == nil {
			continue
		}
		item := serviceItem{ID: svc.ID, Name: svc.Name(string(v.lang)), Info: infoHTML(svc.Info), Href: v.href("/prenota", "service", svc.ID)}
		if sl := next[svc.ID]; sl != nil {
			item.Next = v.lang.S("services.next", v.lang.Day(sl.Start, now, loc), sl.Start.In(loc).Format("15:04"))
		} else {
			item.Next = v.lang.S("services.none", svc.Agenda.HorizonDays)
		}
		d.Services = append(d.Services, item)
	}
	w.Header().Set("Cache-Control", "no-cache")
	return s.render(w, r, v, http.StatusOK, "services", d)
}

func (v *visit) service(svc *queue.Service) *serviceItem {
	return &serviceItem{ID: svc.ID, Name: svc.Name(string(v.lang)), Info: infoHTML(svc.Info),
		Href: v.href("/prenota"), SlotsHref: v.href("/prenota", "service", svc.ID)}
}

func (s *Server) daysPage(w http.ResponseWriter, r *http.Request, v *visit, svc *queue.Service) error {
	loc := s.cfg().Office.Location
	a := svc.Agenda
	d := &pageData{Title: v.lang.S("days.title"), Step: 2, Service: v.service(svc),
		Rules: v.lang.S("days.rules", v.lang.Duration(a.MinNotice), a.HorizonDays)}
	type freeDay struct {
		date time.Time
		free int
	}
	var days []freeDay
	var now time.Time
	err := s.read(r.Context(), func(at time.Time, st *queue.Office) { // only this holds the office
		now = at
		y, m, day := at.In(loc).Date()
		for i := 0; i <= a.HorizonDays; i++ {
			date := time.Date(y, m, day+i, 12, 0, 0, 0, loc)
			slots, err := st.FreeSlots(at, svc.ID, date, false)
			if err != nil {
				return
			}
			free := 0
			for _, sl := range slots {
				free += sl.Free
			}
			if free > 0 {
				days = append(days, freeDay{date, free})
			}
		}
	})
	if err != nil {
		return err
	}
	for _, fd := range days {
		text := v.lang.S("days.free", fd.free)
		if fd.free == 1 {
			text = v.lang.S("days.free1")
		}
		d.Days = append(d.Days, dayItem{Date: v.lang.Day(fd.date, now, loc), Free: text,
			Href: v.href("/prenota", "service", svc.ID, "day", fd.date.Format(queue.DayLayout))})
	}
	if len(d.Days) == 0 {
		d.Notice = v.lang.S("days.none", a.HorizonDays)
	}
	w.Header().Set("Cache-Control", "no-cache")
	return s.render(w, r, v, http.StatusOK, "days", d)
}

// freeSlots returns the slots of day a citizen can book now, with places.
func (s *Server) freeSlots(ctx context.Context, svc *queue.Service, day time.Time) ([]slotItem, error) {
	var slots []queue.Slot
	var ferr error
	if err := s.read(ctx, func(now time.Time, st *queue.Office) {
		slots, ferr = st.FreeSlots(now, svc.ID, day, false)
	}); err != nil {
		return nil, err
	}
	if ferr != nil {
		return nil, ferr
	}
	loc := s.cfg().Office.Location
	var out []slotItem
	for _, sl := range slots {
		if sl.Free > 0 {
			out = append(out, slotItem{Unix: sl.Start.Unix(), Start: sl.Start.In(loc).Format("15:04"),
				startTime: sl.Start, endTime: sl.End})
		}
	}
	return out, nil
}

func (s *Server) slotsPage(w http.ResponseWriter, r *http.Request, v *visit, svc *queue.Service, day time.Time, notice string, status int) error {
	slots, err := s.freeSlots(r.Context(), svc, day)
	if err != nil {
		return err
	}
	loc := s.cfg().Office.Location
	d := &pageData{Title: v.lang.S("slots.title"), Step: 3, Service: v.service(svc), Notice: notice,
		Day: v.lang.Date(day, loc), DayHref: v.href("/prenota", "service", svc.ID)}
	for _, sl := range slots {
		sl.Label = v.lang.S("slot.label", sl.Start, sl.endTime.In(loc).Format("15:04"))
		sl.Href = v.href("/prenota", "service", svc.ID, "day", day.In(loc).Format(queue.DayLayout), "slot", strconv.FormatInt(sl.Unix, 10))
		d.Slots = append(d.Slots, sl)
	}
	if len(d.Slots) == 0 && notice == "" {
		d.Notice = v.lang.S("slots.none")
	}
	if status == http.StatusOK {
		w.Header().Set("Cache-Control", "no-cache")
	}
	return s.render(w, r, v, status, "slots", d)
}

// formData is the booking form, as sent and as drawn again.
type formData struct {
	Service, Key, Token, Action string
	Slot                        int64
	Name, Contact, Note, Code   string
	Verify                      bool
	NameErr, ContactErr         string
	NoteErr, CodeErr            string
	NoteMax, NameMax            int
	Sent                        string // where the code went, and until when
	Locked                      bool   // no more tries: only a new code helps
}

// fieldError is one line of the error summary, linked to its field.
type fieldError struct{ Field, Text string }

// Errors lists the form's field errors for the summary at its top.
func (f *formData) Errors() []fieldError {
	var out []fieldError
	for _, e := range []fieldError{{"name", f.NameErr}, {"contact", f.ContactErr}, {"note", f.NoteErr}, {"code", f.CodeErr}} {
		if e.Text != "" {
			out = append(out, e)
		}
	}
	return out
}

// detailsPage draws the form for the citizen's details, with a fresh token.
func (s *Server) detailsPage(w http.ResponseWriter, r *http.Request, v *visit, svc *queue.Service, sl slotItem, f *formData, notice string, status int) error {
	loc := s.cfg().Office.Location
	f.Service, f.Slot, f.Verify = svc.ID, sl.Unix, s.cfg().VerifyContact
	f.NameMax, f.NoteMax = maxBookingName, maxBookingNote
	f.Token = s.citizens.guard.formToken(formNonce(w, r), f.Key, v.now)
	f.Action = "/prenota"
	day := sl.startTime.In(loc)
	sl.Label = v.lang.S("slot.label", day.Format("15:04"), sl.endTime.In(loc).Format("15:04"))
	d := &pageData{Title: v.lang.S("details.title"), Step: 4, Service: v.service(svc), Form: f, Notice: notice,
		Day: v.lang.Date(day, loc), DayHref: v.href("/prenota", "service", svc.ID), Slot: &sl,
		Rules: v.lang.S("privacy", int(s.cfg().Office.Agenda.Retention/(24*time.Hour)))}
	d.Slot.Href = v.href("/prenota", "service", svc.ID, "day", day.Format(queue.DayLayout))
	if v.state == "" && r.Method == http.MethodPost {
		v.state = d.Slot.Href + "&slot=" + strconv.FormatInt(sl.Unix, 10)
	}
	// A page a browser may show again from its history with the same key:
	// going back and sending again gives the same booking.
	w.Header().Set("Cache-Control", "private, no-cache")
	return s.render(w, r, v, status, "details", d)
}

// Field limits the page checks before the domain does, to say which field
// is wrong (queue's limits, in characters).
const (
	maxBookingName = 100
	maxBookingNote = 500
)

// readForm reads the booking form.
func readForm(r *http.Request) *formData {
	f := &formData{
		Service: r.PostFormValue("service"), Key: r.PostFormValue("key"), Token: r.PostFormValue("token"),
		Action: r.PostFormValue("action"), Name: r.PostFormValue("name"), Contact: r.PostFormValue("contact"),
		Note: r.PostFormValue("note"), Code: strings.Join(strings.Fields(r.PostFormValue("code")), ""),
	}
	f.Slot, _ = strconv.ParseInt(r.PostFormValue("slot"), 10, 64)
	return f
}

// check validates the fields and returns the contact as the domain keeps
// it.
func (f *formData) check(l tr, needContact bool) (string, bool) {
	name := strings.TrimSpace(f.Name)
	switch n := len([]rune(name)); {
	case !validText(f.Name):
		f.NameErr = l.S("err.text.invalid")
	case n == 0:
		f.NameErr = l.S("err.name.required")
	case n > maxBookingName:
		f.NameErr = l.S("err.name.long", maxBookingName)
	}
	contact, ok := queue.NormalizeContact(f.Contact)
	switch {
	case !ok:
		f.ContactErr = l.S("err.contact.invalid")
	case contact == "" && needContact:
		f.ContactErr = l.S("err.contact.required")
	}
	switch {
	case !validText(f.Note):
		f.NoteErr = l.S("err.text.invalid")
	case len([]rune(strings.TrimSpace(f.Note))) > maxBookingNote:
		f.NoteErr = l.S("err.note.long", maxBookingNote)
	}
	return contact, f.NameErr == "" && f.ContactErr == "" && f.NoteErr == ""
}

// validText refuses what is not UTF-8 and control characters but line
// breaks and tabs.
func validText(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' || (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}

// prenotaSubmit handles the sent form: checks it, has the contact
// verified when the office asks, books, and sends the browser to the
// booking's page. Whatever refuses it changes nothing and says why.
func (s *Server) prenotaSubmit(w http.ResponseWriter, r *http.Request, v *visit) error {
	if !sameOrigin(r) {
		return v.message(http.StatusForbidden, "method.title", v.lang.S("err.cross_site"))
	}
	f := readForm(r)
	svc := s.bookable(f.Service)
	if svc == nil {
		return v.message(http.StatusNotFound, "notfound.title", v.lang.S("notfound.service"))
	}
	if !ticketID.MatchString(f.Key) || f.Slot <= 0 {
		return v.message(http.StatusBadRequest, "method.title", v.lang.S("err.form.damaged"))
	}
	loc := s.cfg().Office.Location
	slotStart := time.Unix(f.Slot, 0).In(loc)
	sl := slotItem{Unix: f.Slot, Start: slotStart.Format("15:04"), startTime: slotStart, endTime: slotStart.Add(svc.Agenda.Slot)}
	g := s.citizens.guard
	if err := g.checkToken(r, f.Key, f.Token, v.now); err != nil {
		if errors.Is(err, errNoCookie) {
			back := v.href("/prenota", "service", svc.ID, "day", slotStart.Format(queue.DayLayout), "slot", strconv.FormatInt(f.Slot, 10))
			return v.message(http.StatusBadRequest, "method.title", v.lang.S("err.cookies"), link{Href: back, Text: v.lang.S("back"), Primary: true})
		}
		f.Code = ""
		return s.detailsPage(w, r, v, svc, sl, f, v.lang.S("err.form.expired"), http.StatusForbidden)
	}
	contact, ok := f.check(v.lang, s.cfg().VerifyContact)
	if !ok {
		return s.detailsPage(w, r, v, svc, sl, f, "", http.StatusBadRequest)
	}
	req := queue.BookRequest{Service: svc.ID, Slot: slotStart, Name: f.Name, Contact: contact, Note: f.Note,
		Channel: queue.ChannelWeb, Key: "web:" + f.Key}
	// First the domain's own checks, changing nothing: a form sent twice
	// finds its booking, and a taken slot or a contact at its limit is said
	// before any code is sent.
	if b, replay, err := s.tryBooking(r.Context(), req); err != nil {
		return s.bookingRefused(w, r, v, svc, f, slotStart, err)
	} else if replay {
		http.Redirect(w, r, v.href("/prenota/b/"+b.ID, "new", "1"), http.StatusSeeOther)
		return nil
	}
	addr := clientAddr(r, s.trustedProxies)
	tooMany := func(until time.Time) error {
		at := until.In(loc).Format("15:04")
		text := v.lang.S("limit.bookings", g.bookings.limit, at)
		if g.bookings.limit == 1 {
			text = v.lang.S("limit.bookings1", at)
		}
		return v.message(http.StatusTooManyRequests, "limit.title", text)
	}
	if s.cfg().VerifyContact && !g.verified(contact, f.Key, v.now) {
		if f.Action != "verify" {
			if ok, until := g.bookingAllowed(addr, f.Key, v.now); !ok {
				return tooMany(until)
			}
			return s.sendCode(w, r, v, svc, sl, f, contact)
		}
		if len(f.Code) != codeDigits || !isDigits(f.Code) {
			f.CodeErr = v.lang.S("err.code.format")
			return s.verifyPage(w, r, v, svc, sl, f, http.StatusBadRequest)
		}
		switch res, left := g.checkCode(contact, f.Key, f.Code, v.now); res {
		case codeWrong:
			f.CodeErr = v.lang.S("err.code.wrong", left)
			if left == 1 {
				f.CodeErr = v.lang.S("err.code.wrong1")
			}
			return s.verifyPage(w, r, v, svc, sl, f, http.StatusBadRequest)
		case codeLocked:
			f.CodeErr, f.Locked = v.lang.S("err.code.locked"), true
			return s.verifyPage(w, r, v, svc, sl, f, http.StatusBadRequest)
		case codeExpired:
			f.CodeErr, f.Locked = v.lang.S("err.code.expired"), true
			return s.verifyPage(w, r, v, svc, sl, f, http.StatusBadRequest)
		}
	}
	ok, reserved, until := g.reserveBooking(addr, f.Key, v.now)
	if !ok {
		return tooMany(until)
	}
	b, replay, err := s.doBooking(r, req, webActor)
	if reserved && (err != nil || replay) {
		g.releaseBooking(addr, f.Key)
	}
	if err != nil {
		return s.bookingRefused(w, r, v, svc, f, slotStart, err)
	}
	if contact != "" {
		g.dropCode(contact)
	}
	s.logger.Info("web booking", "code", b.Code, "service", b.Service, "slot", b.Slot, "replay", replay)
	http.Redirect(w, r, v.href("/prenota/b/"+b.ID, "new", "1"), http.StatusSeeOther)
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// tryBooking runs the domain's Book on the committed state without
// recording anything (a command returns its events and changes nothing
// until they are applied): what booking now would answer.
func (s *Server) tryBooking(ctx context.Context, req queue.BookRequest) (*queue.Booking, bool, error) {
	var (
		b      *queue.Booking
		replay bool
		berr   error
	)
	err := s.read(ctx, func(now time.Time, st *queue.Office) {
		events, found, err := st.Book(now, req, webActor)
		berr, replay = err, err == nil && len(events) == 0
		if found != nil {
			c := *found
			b = &c
		}
	})
	if err != nil {
		return nil, false, err
	}
	return b, replay, berr
}

// sendCode sends a one-time code to the contact and asks for it back.
func (s *Server) sendCode(w http.ResponseWriter, r *http.Request, v *visit, svc *queue.Service, sl slotItem, f *formData, contact string) error {
	loc := s.cfg().Office.Location
	code, limit, err := s.citizens.guard.newCode(contact, f.Key, clientAddr(r, s.trustedProxies), v.now)
	if err != nil {
		return err
	}
	if limit != nil {
		key := "limit.codes.addr"
		args := []any{limit.until.In(loc).Format("15:04")}
		if limit.contact {
			key, args = "limit.codes.contact", []any{codesPerContact, args[0]}
		}
		return v.message(http.StatusTooManyRequests, "limit.title", v.lang.S(key, args...))
	}
	err = s.citizens.sender.Send(r.Context(), contact, v.lang.S("code.subject"), v.lang.S("code.body", s.cfg().Office.Name, code))
	if err != nil {
		s.citizens.guard.dropCode(contact)
		s.logger.Error("one-time code not sent", "err", err) // neither the code nor the contact
		return v.message(http.StatusServiceUnavailable, "unavailable.title", v.lang.S("err.code.send"))
	}
	f.Code = ""
	return s.verifyPage(w, r, v, svc, sl, f, http.StatusOK)
}

// verifyPage asks for the code sent to the contact.
func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request, v *visit, svc *queue.Service, sl slotItem, f *formData, status int) error {
	loc := s.cfg().Office.Location
	f.Service, f.Slot, f.Verify = svc.ID, sl.Unix, true
	f.Token = s.citizens.guard.formToken(formNonce(w, r), f.Key, v.now)
	f.Action = "/prenota"
	f.Sent = v.lang.S("verify.sent", f.Contact, v.now.Add(codeTTL).In(loc).Format("15:04"))
	day := sl.startTime.In(loc)
	sl.Label = v.lang.S("slot.label", day.Format("15:04"), sl.endTime.In(loc).Format("15:04"))
	d := &pageData{Title: v.lang.S("verify.title"), Step: 5, Service: v.service(svc), Form: f,
		Day: v.lang.Date(day, loc), Slot: &sl}
	if f.Locked {
		d.Notice = f.CodeErr // no field to show it beside: only a new code helps
	}
	v.state = v.href("/prenota", "service", svc.ID, "day", day.Format(queue.DayLayout), "slot", strconv.FormatInt(sl.Unix, 10))
	return s.render(w, r, v, status, "verify", d)
}

// bookingRefused explains a refusal of the domain in the citizen's words;
// for a slot gone meanwhile it offers the day's other free slots, keeping
// what the citizen typed.
func (s *Server) bookingRefused(w http.ResponseWriter, r *http.Request, v *visit, svc *queue.Service, f *formData, slot time.Time, err error) error {
	loc := s.cfg().Office.Location
	at := slot.In(loc).Format("15:04")
	slotsHref := v.href("/prenota", "service", svc.ID, "day", slot.In(loc).Format(queue.DayLayout))
	again := link{Href: slotsHref, Text: v.lang.S("slots.title"), Primary: true}
	switch {
	case errors.Is(err, queue.ErrSlotFull):
		return s.takenPage(w, r, v, svc, f, slot, v.lang.S("err.slot_full", at))
	case errors.Is(err, queue.ErrSlotTooSoon):
		return s.takenPage(w, r, v, svc, f, slot, v.lang.S("err.slot_too_soon", at, v.lang.Duration(svc.Agenda.MinNotice)))
	case errors.Is(err, queue.ErrSlotPast):
		return s.takenPage(w, r, v, svc, f, slot, v.lang.S("err.slot_past", at))
	case errors.Is(err, queue.ErrSlotTooFar):
		return v.message(http.StatusConflict, "refused.title", v.lang.S("err.slot_too_far", svc.Agenda.HorizonDays),
			link{Href: v.href("/prenota", "service", svc.ID), Text: v.lang.S("days.title"), Primary: true})
	case errors.Is(err, queue.ErrNoSuchSlot):
		return v.message(http.StatusBadRequest, "refused.title", v.lang.S("err.no_such_slot"), again)
	case errors.Is(err, queue.ErrBookingLimit):
		text := v.lang.S("err.booking_limit1", svc.Name(string(v.lang)))
		if n := svc.Agenda.MaxPerContact; n != 1 {
			text = v.lang.S("err.booking_limit", n, svc.Name(string(v.lang)))
		}
		return v.message(http.StatusConflict, "refused.title", text)
	case errors.Is(err, queue.ErrNotBookable), errors.Is(err, queue.ErrUnknownService):
		return v.message(http.StatusNotFound, "notfound.title", v.lang.S("notfound.service"))
	case errors.Is(err, queue.ErrIdempotencyConflict):
		return v.message(http.StatusConflict, "refused.title", v.lang.S("err.idempotency"), again)
	case errors.Is(err, queue.ErrInvalid):
		return v.message(http.StatusBadRequest, "refused.title", v.lang.S("err.invalid"))
	}
	return err
}

// takenPage offers the day's other free slots in a form that keeps the
// citizen's details and the form's key (nothing was booked with it).
func (s *Server) takenPage(w http.ResponseWriter, r *http.Request, v *visit, svc *queue.Service, f *formData, slot time.Time, notice string) error {
	loc := s.cfg().Office.Location
	day := slot.In(loc)
	slots, err := s.freeSlots(r.Context(), svc, time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, loc))
	if err != nil {
		return err
	}
	f.Service, f.Verify = svc.ID, s.cfg().VerifyContact
	f.Token = s.citizens.guard.formToken(formNonce(w, r), f.Key, v.now)
	f.Action = "/prenota"
	d := &pageData{Title: v.lang.S("taken.title"), Step: 3, Service: v.service(svc), Form: f, Notice: notice,
		Day: v.lang.Date(day, loc), DayHref: v.href("/prenota", "service", svc.ID)}
	// The nearest later slot is chosen, else the last earlier one: the
	// citizen sees it and may choose another.
	chosen := len(slots) - 1
	for i, sl := range slots {
		if sl.startTime.After(slot) {
			chosen = i
			break
		}
	}
	for i, sl := range slots {
		sl.Label = v.lang.S("slot.label", sl.Start, sl.endTime.In(loc).Format("15:04"))
		sl.Checked = i == chosen
		d.Slots = append(d.Slots, sl)
	}
	v.state = v.href("/prenota", "service", svc.ID, "day", day.Format(queue.DayLayout))
	return s.render(w, r, v, http.StatusConflict, "taken", d)
}

// bookingView is a booking as its page shows it.
type bookingView struct {
	ID, Code, Service, Day, Time, Name string
	State, StateText, StateClass       string
	CheckIn, Late                      string
	Info                               template.HTML
	QR, PDFA4, PDFRoll, ICS            string
	Link, CancelHref, PageHref         string
	Active                             bool // booked, and the slot still ahead
	Begun                              bool
}

// citizenBooking finds a booking by the id in the address; anything else
// is a plain 404, so ids cannot be probed and codes are never looked up.
func (s *Server) citizenBooking(r *http.Request, v *visit) (*queue.Booking, error) {
	id := r.PathValue("id")
	notFound := v.message(http.StatusNotFound, "notfound.booking.title", v.lang.S("notfound.booking"))
	if !ticketID.MatchString(id) {
		return nil, notFound
	}
	b, err := s.findBooking(r, id)
	if errors.Is(err, queue.ErrUnknownBooking) || (err == nil && b.ID != id) {
		return nil, notFound
	}
	return b, err
}

// bookingURL is the booking's own page, for the QR code, the PDF and the
// calendar: under the configured public URL, or the request's address.
func (s *Server) bookingURL(r *http.Request, id string) string {
	return s.baseURL(r) + "/prenota/b/" + id
}

// view prepares a booking for its page.
func (s *Server) view(r *http.Request, v *visit, b *queue.Booking) *bookingView {
	loc := s.cfg().Office.Location
	l := v.lang
	svc := s.cfg().Office.Service(b.Service)
	bv := &bookingView{ID: b.ID, Code: queue.FormatCode(b.Code), Service: b.Service, Name: b.Name,
		Day:   l.Date(b.Slot, loc),
		Time:  l.S("slot.label", b.Slot.In(loc).Format("15:04"), b.SlotEnd.In(loc).Format("15:04")),
		State: l.S("state." + string(b.State)), StateClass: string(b.State),
		PageHref: v.href("/prenota/b/" + b.ID), CancelHref: v.href("/prenota/b/" + b.ID + "/cancel"),
		QR: "/prenota/b/" + b.ID + "/qr.png", PDFA4: v.href("/prenota/b/"+b.ID+"/booking.pdf", "paper", "a4"),
		PDFRoll: v.href("/prenota/b/"+b.ID+"/booking.pdf", "paper", "80mm"), ICS: v.href("/prenota/b/" + b.ID + "/booking.ics"),
		Link: s.bookingURL(r, b.ID)}
	early, late := queue.DefaultCheckInEarly, queue.DefaultCheckInLate
	if svc != nil {
		bv.Service = svc.Name(string(l))
		bv.Info = infoHTML(svc.Info)
		if svc.Agenda != nil {
			early, late = svc.Agenda.CheckInEarly, svc.Agenda.CheckInLate
			bv.Late = l.S("checkin.walkin")
			if svc.Agenda.Late == queue.LateRebook {
				bv.Late = l.S("checkin.rebook")
			}
		}
	}
	bv.CheckIn = l.S("checkin.text", b.Slot.Add(-early).In(loc).Format("15:04"), b.Slot.Add(late).In(loc).Format("15:04"))
	switch b.State {
	case queue.BookingBooked:
		switch {
		case b.Slot.After(v.now):
			bv.Active = true
		case v.now.After(b.Slot.Add(late)):
			bv.StateText = l.S("over.text")
		default:
			bv.Begun = true
			bv.StateText = l.S("begun.text", b.Slot.In(loc).Format("15:04"), b.Slot.Add(late).In(loc).Format("15:04"))
		}
	case queue.BookingCancelled:
		key := "cancelled.office"
		if b.CancelledBy == queue.CancelledByCitizen {
			key = "cancelled.citizen"
		}
		if b.CancelledAt != nil {
			bv.StateText = l.S(key, l.Date(*b.CancelledAt, loc), b.CancelledAt.In(loc).Format("15:04"))
		}
	case queue.BookingCheckedIn:
		if b.CheckedInAt != nil {
			bv.StateText = l.S("checkedin.text", b.CheckedInAt.In(loc).Format("15:04"), b.Number)
		}
	case queue.BookingMissed:
		bv.StateText = l.S("missed.text")
	}
	return bv
}

// bookingPage is the booking's own page: the confirmation after booking,
// and the private link's page ever after.
func (s *Server) bookingPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	b, err := s.citizenBooking(r, v)
	if err != nil {
		return err
	}
	d := &pageData{Title: v.lang.S("booking.title"), Booking: s.view(r, v, b)}
	q := r.URL.Query()
	switch {
	case q.Get("new") == "1" && b.State == queue.BookingBooked:
		d.Notice, d.NoticeOK = v.lang.S("booking.new"), true
	case q.Get("cancelled") == "1" && b.State == queue.BookingCancelled:
		d.Notice, d.NoticeOK = v.lang.S("booking.cancelled_now"), true
	}
	return s.render(w, r, v, http.StatusOK, "booking", d)
}

// cancelPage asks the citizen to confirm the cancellation.
func (s *Server) cancelPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	b, err := s.citizenBooking(r, v)
	if err != nil {
		return err
	}
	bv := s.view(r, v, b)
	if !bv.Active {
		http.Redirect(w, r, bv.PageHref, http.StatusSeeOther) // its page says why not
		return nil
	}
	loc := s.cfg().Office.Location
	f := &formData{Key: b.ID, Token: s.citizens.guard.formToken(formNonce(w, r), b.ID, v.now), Action: "/prenota/b/" + b.ID + "/cancel"}
	d := &pageData{Title: v.lang.S("cancel.confirm.title"), Booking: bv, Form: f,
		Text: []string{v.lang.S("cancel.confirm.text", bv.Day, b.Slot.In(loc).Format("15:04"), bv.Service)}}
	return s.render(w, r, v, http.StatusOK, "cancel", d)
}

// cancelSubmit cancels the booking for the citizen. Sending it again finds
// the booking cancelled and shows it so.
func (s *Server) cancelSubmit(w http.ResponseWriter, r *http.Request, v *visit) error {
	if !sameOrigin(r) {
		return v.message(http.StatusForbidden, "method.title", v.lang.S("err.cross_site"))
	}
	b, err := s.citizenBooking(r, v)
	if err != nil {
		return err
	}
	page := v.href("/prenota/b/" + b.ID)
	if err := s.citizens.guard.checkToken(r, b.ID, r.PostFormValue("token"), v.now); err != nil {
		text := v.lang.S("err.form.expired")
		if errors.Is(err, errNoCookie) {
			text = v.lang.S("err.cookies")
		}
		return v.message(http.StatusForbidden, "method.title", text, link{Href: v.href("/prenota/b/" + b.ID + "/cancel"), Text: v.lang.S("cancel.button"), Primary: true})
	}
	if b.State == queue.BookingCancelled {
		http.Redirect(w, r, page, http.StatusSeeOther)
		return nil
	}
	_, err = s.office.Do(r.Context(), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		events, _, err := st.CancelBooking(now, b.ID, true, webActor)
		return events, err
	}, nil)
	switch {
	case errors.Is(err, queue.ErrBookingState) && b.State == queue.BookingBooked:
		return v.message(http.StatusConflict, "refused.title", v.lang.S("err.cancel.begun"), link{Href: page, Text: v.lang.S("booking.title"), Primary: true})
	case errors.Is(err, queue.ErrBookingState):
		http.Redirect(w, r, page, http.StatusSeeOther) // its page says what became of it
		return nil
	case errors.Is(err, queue.ErrUnknownBooking):
		return v.message(http.StatusNotFound, "notfound.booking.title", v.lang.S("notfound.booking"))
	case err != nil:
		return err
	}
	s.logger.Info("web booking cancelled", "code", b.Code)
	http.Redirect(w, r, v.href("/prenota/b/"+b.ID, "cancelled", "1"), http.StatusSeeOther)
	return nil
}

// bookingQR is the QR code of the booking's own address: a phone opens
// the page, the kiosk's reader types it and checks the citizen in.
func (s *Server) bookingQR(w http.ResponseWriter, r *http.Request, v *visit) error {
	b, err := s.citizenBooking(r, v)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(s.bookingURL(r, b.ID), qrcode.Medium, 320)
	if err != nil {
		return fmt.Errorf("web: QR code of booking %s: %w", b.ID, err)
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, _ = w.Write(png)
	return nil
}

// bookingPDF is the printable confirmation, ?paper=a4 (the default) or
// 80mm.
func (s *Server) bookingPDF(w http.ResponseWriter, r *http.Request, v *visit) error {
	b, err := s.citizenBooking(r, v)
	if err != nil {
		return err
	}
	paper := ticketpdf.Paper(r.URL.Query().Get("paper"))
	switch paper {
	case "":
		paper = ticketpdf.PaperA4
	case ticketpdf.PaperA4, ticketpdf.PaperRoll:
	default:
		return v.message(http.StatusBadRequest, "method.title", v.lang.S("err.form.damaged"),
			link{Href: v.href("/prenota/b/" + b.ID), Text: v.lang.S("booking.title"), Primary: true})
	}
	data := ticketpdf.BookingData{Office: s.cfg().Office.Name, Location: s.cfg().Office.Location, Booking: *b,
		ServiceIT: b.Service, ServiceEN: b.Service, CheckInEarly: queue.DefaultCheckInEarly, CheckInLate: queue.DefaultCheckInLate,
		URL: s.bookingURL(r, b.ID), Paper: paper}
	if svc := s.cfg().Office.Service(b.Service); svc != nil {
		data.ServiceIT, data.ServiceEN, data.Info = svc.Name("it"), svc.Name("en"), svc.Info
		if svc.Agenda != nil {
			data.CheckInEarly, data.CheckInLate = svc.Agenda.CheckInEarly, svc.Agenda.CheckInLate
		}
	}
	return writePDF(w, "prenotazione-"+queue.FormatCode(b.Code)+".pdf", func(w io.Writer) error { return ticketpdf.Booking(w, data) })
}

// bookingICS is the booking as a calendar event.
func (s *Server) bookingICS(w http.ResponseWriter, r *http.Request, v *visit) error {
	b, err := s.citizenBooking(r, v)
	if err != nil {
		return err
	}
	loc := s.cfg().Office.Location
	l := v.lang
	name := b.Service
	early, late := queue.DefaultCheckInEarly, queue.DefaultCheckInLate
	svc := s.cfg().Office.Service(b.Service)
	if svc != nil {
		name = svc.Name(string(l))
		if svc.Agenda != nil {
			early, late = svc.Agenda.CheckInEarly, svc.Agenda.CheckInLate
		}
	}
	link := s.bookingURL(r, b.ID)
	lines := []string{l.S("ics.code", queue.FormatCode(b.Code)),
		l.S("ics.checkin", b.Slot.Add(-early).In(loc).Format("15:04"), b.Slot.Add(late).In(loc).Format("15:04"))}
	if svc != nil {
		if info := strings.TrimSpace(svc.Info); info != "" {
			lines = append(lines, "", strings.NewReplacer("**", "", "__", "").Replace(info), "")
		}
	}
	lines = append(lines, l.S("ics.link", link))
	host := s.baseURL(r)
	if u, err := url.Parse(host); err == nil && u.Host != "" {
		host = u.Host
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	body := bookingICS(calendarData{Booking: *b, UIDHost: host, Summary: l.S("ics.summary", name), Location: s.cfg().Office.Name,
		Lines: lines, URL: link, Reminder: l.S("ics.reminder", name), Now: v.now})
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="prenotazione-`+queue.FormatCode(b.Code)+`.ics"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
	return nil
}

// citizenNotFound answers any other address under /prenota/ with a page.
func (s *Server) citizenNotFound(w http.ResponseWriter, r *http.Request, v *visit) error {
	return v.message(http.StatusNotFound, "notfound.title", v.lang.S("notfound.page"))
}
