package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"turno/server/admin"
	"turno/server/config"
	"turno/server/queue"
	"turno/server/store"
)

// The administration console (/admin) is server-rendered HTML with no
// script, like the back office's page: a sign-in form over the API's own
// login (its checks and its pause after wrong passwords), then the
// session's token in a cookie that is HttpOnly, SameSite=Strict and
// limited to /admin; every form that changes something checks its origin
// and carries the version it was made on. Administrators change the whole
// configuration; back-office users edit the information sheets of their
// services. Every change goes through admin.Admin: a new version, in force
// at once (package admin).
const consoleCookie = "turno_admin"

// maxConsoleForm bounds a console form: an information sheet is the
// largest (8000 characters, URL-encoded).
const maxConsoleForm = 256 << 10

func (s *Server) consoleRoutes() {
	if s.admin == nil {
		return
	}
	s.mux.HandleFunc("GET /admin", s.consolePage(false, s.adminHome))
	s.mux.HandleFunc("POST /admin/login", s.consoleLogin)
	s.mux.HandleFunc("POST /admin/logout", s.consoleLogout)
	s.mux.HandleFunc("GET /admin/office", s.consolePage(true, s.adminOffice))
	s.mux.HandleFunc("POST /admin/office", s.consoleForm(true, s.adminOfficeSave))
	s.mux.HandleFunc("POST /admin/closures", s.consoleForm(true, s.adminClosureAdd))
	s.mux.HandleFunc("POST /admin/closures/delete", s.consoleForm(true, s.adminClosureRemove))
	s.mux.HandleFunc("GET /admin/services", s.consolePage(true, s.adminServices))
	s.mux.HandleFunc("GET /admin/services/{id}", s.consolePage(true, s.adminService))
	s.mux.HandleFunc("POST /admin/services/{id}", s.consoleForm(true, s.adminServiceSave))
	s.mux.HandleFunc("POST /admin/services/{id}/delete", s.consoleForm(true, s.adminServiceDelete))
	s.mux.HandleFunc("GET /admin/counters", s.consolePage(true, s.adminCounters))
	s.mux.HandleFunc("GET /admin/counters/{id}", s.consolePage(true, s.adminCounter))
	s.mux.HandleFunc("POST /admin/counters/{id}", s.consoleForm(true, s.adminCounterSave))
	s.mux.HandleFunc("POST /admin/counters/{id}/delete", s.consoleForm(true, s.adminCounterDelete))
	s.mux.HandleFunc("GET /admin/staffing", s.consolePage(true, s.adminStaffing))
	s.mux.HandleFunc("GET /admin/staffing/{n}", s.consolePage(true, s.adminShift))
	s.mux.HandleFunc("POST /admin/staffing/{n}", s.consoleForm(true, s.adminShiftSave))
	s.mux.HandleFunc("POST /admin/staffing/{n}/delete", s.consoleForm(true, s.adminShiftDelete))
	s.mux.HandleFunc("POST /admin/exceptions", s.consoleForm(true, s.adminExceptionAdd))
	s.mux.HandleFunc("POST /admin/exceptions/delete", s.consoleForm(true, s.adminExceptionRemove))
	s.mux.HandleFunc("GET /admin/users", s.consolePage(true, s.adminUsers))
	s.mux.HandleFunc("GET /admin/users/{name}", s.consolePage(true, s.adminUser))
	s.mux.HandleFunc("POST /admin/users/{name}", s.consoleForm(true, s.adminUserSave))
	s.mux.HandleFunc("POST /admin/users/{name}/password", s.consoleForm(true, s.adminUserPassword))
	s.mux.HandleFunc("POST /admin/users/{name}/delete", s.consoleForm(true, s.adminUserDelete))
	s.mux.HandleFunc("GET /admin/devices", s.consolePage(true, s.adminDevices))
	s.mux.HandleFunc("POST /admin/devices/new", s.consoleForm(true, s.adminDeviceAdd))
	s.mux.HandleFunc("POST /admin/devices/{id}/token", s.consoleForm(true, s.adminDeviceToken))
	s.mux.HandleFunc("POST /admin/devices/{id}/delete", s.consoleForm(true, s.adminDeviceRevoke))
	s.mux.HandleFunc("GET /admin/sheets", s.consolePage(false, s.adminSheets))
	s.mux.HandleFunc("GET /admin/sheets/{id}", s.consolePage(false, s.adminSheet))
	s.mux.HandleFunc("POST /admin/sheets/{id}", s.consoleForm(false, s.adminSheetSave))
	s.mux.HandleFunc("GET /admin/history", s.consolePage(true, s.adminHistory))
	s.mux.HandleFunc("GET /admin/history/{n}", s.consolePage(true, s.adminVersion))
	s.mux.HandleFunc("GET /admin/history/{n}/config.toml", s.consolePage(true, s.adminVersionTOML))
}

// consoleReq is one request of the console: who, in which language, on
// which configuration (loaded once), and the page being built.
type consoleReq struct {
	lang string
	p    *principal
	user *config.User
	cfg  *config.Config
	page *admin.Page
	form url.Values // a form's fields (POST)
}

type consoleHandler func(w http.ResponseWriter, r *http.Request, c *consoleReq)

// consoleAuth resolves the cookie's session to an administrator or a
// back-office user.
func (s *Server) consoleAuth(r *http.Request, lang string) (*consoleReq, error) {
	ck, err := r.Cookie(consoleCookie)
	if err != nil || ck.Value == "" {
		return nil, errUnauthorized
	}
	p, err := s.authenticateToken(ck.Value)
	if err != nil {
		return nil, err
	}
	cfg := s.cfg()
	c := &consoleReq{lang: lang, p: p, user: cfg.User(p.Name), cfg: cfg}
	if c.user == nil {
		return nil, errUnauthorized
	}
	c.page = &admin.Page{Lang: lang, User: c.user.FullName, Name: p.Name, Admin: p.Role == config.RoleAdmin}
	var latest *store.ConfigVersion
	if cfg.Version != 0 {
		if v, err := s.versions.ConfigVersion(cfg.Version); err == nil {
			latest = &v
		}
	}
	c.page.Fill(cfg, latest)
	if p.Role != config.RoleAdmin && p.Role != config.RoleBackoffice {
		return c, errForbiddenRole
	}
	return c, nil
}

var errForbiddenRole = errors.New("console: role not allowed")

// consolePage serves a page: the sign-in form without a session, the
// access-denied page to a role that may not see it.
func (s *Server) consolePage(adminOnly bool, h consoleHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := pageLang(r)
		c, err := s.consoleAuth(r, lang)
		if !s.consoleAllowed(w, r, lang, c, err, adminOnly) {
			return
		}
		if done := r.FormValue("done"); done != "" {
			s.consoleNotice(c, done)
		}
		h(w, r, c)
	}
}

// consoleForm serves a form's post: the same checks as a page, then the
// form's origin and size.
func (s *Server) consoleForm(adminOnly bool, h consoleHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxConsoleForm)
		if err := r.ParseForm(); err != nil || !sameOrigin(r) {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		lang := pageLang(r)
		c, err := s.consoleAuth(r, lang)
		if !s.consoleAllowed(w, r, lang, c, err, adminOnly) {
			return
		}
		c.form = r.PostForm
		c.page.Reason = r.PostForm.Get("reason")
		h(w, r, c)
	}
}

// consoleAllowed answers for a request that may not go on, and says
// whether it may.
func (s *Server) consoleAllowed(w http.ResponseWriter, r *http.Request, lang string, c *consoleReq, err error, adminOnly bool) bool {
	switch {
	case errors.Is(err, errForbiddenRole):
		c.page.Forbidden = admin.Textf(lang, "forbidden_role", admin.Text(lang, "role_"+string(c.p.Role)))
		s.renderConsole(w, http.StatusForbidden, c.page)
		return false
	case err != nil:
		page := &admin.Page{Lang: lang, Office: s.cfg().Office.Name}
		var ae *apiError
		if errors.As(err, &ae) && ae.Code != "unauthorized" {
			page.LoginError = admin.Text(lang, "session_over")
		}
		status := http.StatusOK
		if r.Method != http.MethodGet {
			status = http.StatusUnauthorized
		}
		s.renderConsole(w, status, page)
		return false
	case adminOnly && !c.page.Admin:
		c.page.Forbidden = admin.Text(lang, "forbidden_section")
		s.renderConsole(w, http.StatusForbidden, c.page)
		return false
	}
	return true
}

func (s *Server) renderConsole(w http.ResponseWriter, status int, p *admin.Page) {
	var buf bytes.Buffer
	if err := admin.Render(&buf, p); err != nil {
		s.logger.Error("console page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	pageHeaders(w)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// consoleNotice shows the outcome of the change a redirect reports.
func (s *Server) consoleNotice(c *consoleReq, done string) {
	switch done {
	case "saved", "deleted", "nothing", "revoked":
		c.page.Notice = admin.Text(c.lang, "done_"+done)
	case "stale":
		c.page.Problems = []admin.Problem{{Text: admin.Textf(c.lang, "stale", c.cfg.Version)}}
	}
}

// consoleDone redirects after a change (post, redirect, get), the outcome
// in the address.
func consoleDone(w http.ResponseWriter, r *http.Request, c *consoleReq, path, done string) {
	http.Redirect(w, r, path+"?lang="+c.lang+"&done="+done, http.StatusSeeOther)
}

// apply puts a changed copy of the configuration in force as the request
// asks (its reason, force and base version).
func (s *Server) apply(r *http.Request, c *consoleReq, next *config.Config) error {
	base, _ := strconv.ParseUint(c.form.Get("base"), 10, 64)
	_, err := s.admin.Apply(r.Context(), next, admin.Request{By: c.p.Name, Reason: c.form.Get("reason"), Force: c.form.Get("force") != "",
		Base: base, Self: c.p.Name})
	if err == nil {
		s.logger.Info("configuration changed through the console", "by", c.p.Name, "version", s.cfg().Version, "reason", c.form.Get("reason"))
	}
	return err
}

// change runs edit on a copy of the configuration and applies it. On
// success it redirects to path; a stale form goes back to path, fresh; any
// other refusal is set on the page, whose status it returns for the caller
// to render the form again as typed (0: answered).
func (s *Server) change(w http.ResponseWriter, r *http.Request, c *consoleReq, path, done string, edit func(next *config.Config) error) int {
	next, err := admin.Clone(c.cfg)
	if err == nil {
		err = edit(next)
	}
	if err == nil {
		err = s.apply(r, c, next)
	}
	var stale *admin.StaleError
	switch {
	case err == nil:
		consoleDone(w, r, c, path, done)
		return 0
	case errors.Is(err, admin.ErrNoChange):
		consoleDone(w, r, c, path, "nothing")
		return 0
	case errors.As(err, &stale):
		consoleDone(w, r, c, path, "stale")
		return 0
	}
	problems, forcible, status := admin.Explain(c.lang, c.cfg, next, err)
	if status == http.StatusInternalServerError {
		s.logger.Error("console change failed", "by", c.p.Name, "err", err)
	}
	c.page.Problems, c.page.Forcible = problems, forcible
	if forcible {
		c.page.Retry = admin.NewRetry(r.URL.Path, c.form)
	}
	return status
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	if !c.page.Admin {
		http.Redirect(w, r, "/admin/sheets?lang="+c.lang, http.StatusSeeOther)
		return
	}
	c.page.Section = "home"
	if versions, err := s.versions.ConfigVersions(); err == nil {
		rows, err := admin.History(c.lang, versions, c.cfg.Office.Location, false)
		if err == nil && len(rows) > 5 {
			rows = rows[:5]
		}
		c.page.Versions = rows
	}
	s.renderConsole(w, http.StatusOK, c.page)
}

// Office, closures.

func (s *Server) officePage(c *consoleReq, form *admin.OfficeForm) {
	c.page.Section = "office"
	if form == nil {
		f := admin.NewOfficeForm(c.cfg)
		form = &f
	}
	c.page.OfficeForm = form
	c.page.Closures = admin.ClosureRows(c.cfg, c.cfg.Office.Day(s.now()))
}

func (s *Server) adminOffice(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	s.officePage(c, nil)
	s.renderConsole(w, http.StatusOK, c.page)
}

func (s *Server) adminOfficeSave(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	f := admin.ReadOfficeForm(c.form)
	if status := s.change(w, r, c, "/admin/office", "saved", f.Apply); status != 0 {
		s.officePage(c, &f)
		s.renderConsole(w, status, c.page)
	}
}

func (s *Server) adminClosureAdd(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	if status := s.change(w, r, c, "/admin/office", "saved", func(next *config.Config) error {
		return admin.AddClosures(next, c.form.Get("from"), c.form.Get("to"))
	}); status != 0 {
		s.officePage(c, nil)
		c.page.ClosureFrom, c.page.ClosureTo = c.form.Get("from"), c.form.Get("to")
		s.renderConsole(w, status, c.page)
	}
}

func (s *Server) adminClosureRemove(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	if status := s.change(w, r, c, "/admin/office", "saved", func(next *config.Config) error {
		return admin.RemoveClosure(next, c.form.Get("date"))
	}); status != 0 {
		s.officePage(c, nil)
		s.renderConsole(w, status, c.page)
	}
}

// Services.

func (s *Server) adminServices(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "services"
	waiting := map[string]int{}
	err := s.read(r.Context(), func(now time.Time, st *queue.Office) {
		for _, svc := range st.Config().Services {
			waiting[svc.ID] = st.ServiceStatus(now, svc.ID).Waiting
		}
	})
	if err != nil {
		s.finish(w, r, err)
		return
	}
	c.page.Services = admin.ServiceRows(c.lang, c.cfg, waiting)
	s.renderConsole(w, http.StatusOK, c.page)
}

// newID is the path's name for a new service, counter, shift or user.
const newID = admin.Reserved

func (s *Server) adminService(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "services"
	id := r.PathValue("id")
	var svc *queue.Service
	if id != newID {
		if svc = c.cfg.Office.Service(id); svc == nil {
			s.consoleNotFound(w, c)
			return
		}
		c.page.ServiceID = id
	}
	f := admin.NewServiceForm(c.cfg, svc)
	c.page.ServiceForm = &f
	s.renderConsole(w, http.StatusOK, c.page)
}

func (s *Server) adminServiceSave(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "services"
	id := r.PathValue("id")
	f := admin.ReadServiceForm(c.form)
	target := ""
	if id != newID {
		target = id
		c.page.ServiceID = id
	}
	back := "/admin/services"
	if status := s.change(w, r, c, back, "saved", func(next *config.Config) error { return f.Apply(next, target) }); status != 0 {
		c.page.ServiceForm = &f
		s.renderConsole(w, status, c.page)
	}
}

func (s *Server) adminServiceDelete(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	id := r.PathValue("id")
	if status := s.change(w, r, c, "/admin/services", "deleted", func(next *config.Config) error { return admin.DeleteService(next, id) }); status != 0 {
		c.page.Section, c.page.ServiceID = "services", id
		svc := c.cfg.Office.Service(id)
		if svc == nil {
			s.consoleNotFound(w, c)
			return
		}
		f := admin.NewServiceForm(c.cfg, svc)
		c.page.ServiceForm = &f
		s.renderConsole(w, status, c.page)
	}
}

// Counters.

func (s *Server) adminCounters(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "counters"
	states := map[string]queue.CounterState{}
	err := s.read(r.Context(), func(_ time.Time, st *queue.Office) {
		for _, k := range st.Config().Counters {
			if ks := st.Counter(k.ID); ks != nil {
				states[k.ID] = ks.State
			}
		}
	})
	if err != nil {
		s.finish(w, r, err)
		return
	}
	c.page.Counters = admin.CounterRows(c.lang, c.cfg, states)
	s.renderConsole(w, http.StatusOK, c.page)
}

func (s *Server) adminCounter(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "counters"
	id := r.PathValue("id")
	var k *queue.CounterConfig
	if id != newID {
		if k = c.cfg.Office.Counter(id); k == nil {
			s.consoleNotFound(w, c)
			return
		}
		c.page.CounterID = id
	}
	f := admin.NewCounterForm(k)
	c.page.CounterForm = &f
	s.renderConsole(w, http.StatusOK, c.page)
}

func (s *Server) adminCounterSave(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "counters"
	id := r.PathValue("id")
	f := admin.ReadCounterForm(c.form)
	target := ""
	if id != newID {
		target = id
		c.page.CounterID = id
	}
	if status := s.change(w, r, c, "/admin/counters", "saved", func(next *config.Config) error { return f.Apply(next, target) }); status != 0 {
		c.page.CounterForm = &f
		s.renderConsole(w, status, c.page)
	}
}

func (s *Server) adminCounterDelete(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	id := r.PathValue("id")
	if status := s.change(w, r, c, "/admin/counters", "deleted", func(next *config.Config) error { return admin.DeleteCounter(next, id) }); status != 0 {
		c.page.Section, c.page.CounterID = "counters", id
		k := c.cfg.Office.Counter(id)
		if k == nil {
			s.consoleNotFound(w, c)
			return
		}
		f := admin.NewCounterForm(k)
		c.page.CounterForm = &f
		s.renderConsole(w, status, c.page)
	}
}

// Staffing plan.

func (s *Server) staffingPage(c *consoleReq) {
	c.page.Section = "staffing"
	c.page.Shifts, c.page.Exceptions = admin.StaffingRows(c.lang, c.cfg)
}

func (s *Server) adminStaffing(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	s.staffingPage(c)
	s.renderConsole(w, http.StatusOK, c.page)
}

// shiftIndex reads the path's shift: -1 for a new one, ok false for none.
func shiftIndex(r *http.Request, cfg *config.Config) (int, bool) {
	n := r.PathValue("n")
	if n == newID {
		return -1, true
	}
	i := admin.Atoi(n)
	return i, i >= 0 && i < len(cfg.Office.Staffing.Shifts)
}

func (s *Server) adminShift(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "staffing"
	i, ok := shiftIndex(r, c.cfg)
	if !ok {
		s.consoleNotFound(w, c)
		return
	}
	var sh *queue.Shift
	if i >= 0 {
		sh = &c.cfg.Office.Staffing.Shifts[i]
	}
	f := admin.NewShiftForm(sh)
	c.page.ShiftForm, c.page.ShiftIndex = &f, i
	s.renderConsole(w, http.StatusOK, c.page)
}

func (s *Server) adminShiftSave(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "staffing"
	i, ok := shiftIndex(r, c.cfg)
	if !ok {
		consoleDone(w, r, c, "/admin/staffing", "stale")
		return
	}
	f := admin.ReadShiftForm(c.form)
	if status := s.change(w, r, c, "/admin/staffing", "saved", func(next *config.Config) error { return f.Apply(next, i) }); status != 0 {
		c.page.ShiftForm, c.page.ShiftIndex = &f, i
		s.renderConsole(w, status, c.page)
	}
}

func (s *Server) adminShiftDelete(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	i, ok := shiftIndex(r, c.cfg)
	if !ok || i < 0 {
		consoleDone(w, r, c, "/admin/staffing", "stale")
		return
	}
	if status := s.change(w, r, c, "/admin/staffing", "deleted", func(next *config.Config) error { return admin.DeleteShift(next, i) }); status != 0 {
		c.page.Section = "staffing"
		f := admin.NewShiftForm(&c.cfg.Office.Staffing.Shifts[i])
		c.page.ShiftForm, c.page.ShiftIndex = &f, i
		s.renderConsole(w, status, c.page)
	}
}

func (s *Server) adminExceptionAdd(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	if status := s.change(w, r, c, "/admin/staffing", "saved", func(next *config.Config) error {
		return admin.AddException(next, c.form.Get("date"), c.form.Get("counter"), c.form.Get("hours"))
	}); status != 0 {
		s.staffingPage(c)
		s.renderConsole(w, status, c.page)
	}
}

func (s *Server) adminExceptionRemove(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	if status := s.change(w, r, c, "/admin/staffing", "saved", func(next *config.Config) error {
		return admin.RemoveException(next, c.form.Get("date"), c.form.Get("counter"))
	}); status != 0 {
		s.staffingPage(c)
		s.renderConsole(w, status, c.page)
	}
}

// Users.

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "users"
	c.page.Users = admin.UserRows(c.lang, c.cfg, c.p.Name)
	s.renderConsole(w, http.StatusOK, c.page)
}

func (s *Server) adminUser(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "users"
	name := r.PathValue("name")
	var u *config.User
	if name != newID || c.cfg.User(name) != nil {
		if u = c.cfg.User(name); u == nil {
			s.consoleNotFound(w, c)
			return
		}
		c.page.UserName = name
	}
	f := admin.NewUserForm(u)
	c.page.UserForm = &f
	s.renderConsole(w, http.StatusOK, c.page)
}

func (s *Server) adminUserSave(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "users"
	name := r.PathValue("name")
	f := admin.ReadUserForm(c.form)
	existing := name != newID || c.cfg.User(name) != nil
	edit := func(next *config.Config) error { return admin.AddUser(next, f) }
	if existing {
		c.page.UserName = name
		edit = func(next *config.Config) error { return admin.EditUser(next, name, f) }
	}
	if status := s.change(w, r, c, "/admin/users", "saved", edit); status != 0 {
		f.Password, f.Password2 = "", ""
		c.page.UserForm = &f
		s.renderConsole(w, status, c.page)
	}
}

func (s *Server) adminUserPassword(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	name := r.PathValue("name")
	if status := s.change(w, r, c, "/admin/users", "saved", func(next *config.Config) error {
		return admin.ResetPassword(next, name, c.form.Get("password"), c.form.Get("password2"))
	}); status != 0 {
		s.userPageAgain(w, c, name, status)
	}
}

func (s *Server) adminUserDelete(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	name := r.PathValue("name")
	if status := s.change(w, r, c, "/admin/users", "deleted", func(next *config.Config) error { return admin.DeleteUser(next, name) }); status != 0 {
		s.userPageAgain(w, c, name, status)
	}
}

func (s *Server) userPageAgain(w http.ResponseWriter, c *consoleReq, name string, status int) {
	c.page.Section = "users"
	u := c.cfg.User(name)
	if u == nil {
		s.consoleNotFound(w, c)
		return
	}
	f := admin.NewUserForm(u)
	c.page.UserForm, c.page.UserName = &f, name
	s.renderConsole(w, status, c.page)
}

// Devices.

func (s *Server) devicesPage(c *consoleReq) {
	c.page.Section = "devices"
	var presence []queue.DeviceStatus
	if s.hub != nil {
		presence = s.hub.Presence()
	}
	c.page.Devices = admin.DeviceRows(c.lang, c.cfg, presence)
}

func (s *Server) adminDevices(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	s.devicesPage(c)
	s.renderConsole(w, http.StatusOK, c.page)
}

// tokenChange applies a change that makes a token and shows it, once.
func (s *Server) tokenChange(w http.ResponseWriter, r *http.Request, c *consoleReq, device string, reissued bool, edit func(next *config.Config) (string, error)) {
	var token string
	next, err := admin.Clone(c.cfg)
	if err == nil {
		token, err = edit(next)
	}
	if err == nil {
		err = s.apply(r, c, next)
	}
	var stale *admin.StaleError
	if errors.As(err, &stale) {
		consoleDone(w, r, c, "/admin/devices", "stale")
		return
	}
	if err != nil {
		problems, forcible, status := admin.Explain(c.lang, c.cfg, next, err)
		if status == http.StatusInternalServerError {
			s.logger.Error("console change failed", "by", c.p.Name, "err", err)
		}
		c.page.Problems, c.page.Forcible = problems, forcible
		s.devicesPage(c)
		s.renderConsole(w, status, c.page)
		return
	}
	c.page.Version = s.cfg().Version
	c.page.Section = "devices"
	c.page.Token = &admin.TokenView{Device: device, Token: token, Reissued: reissued}
	s.renderConsole(w, http.StatusOK, c.page)
}

func (s *Server) adminDeviceAdd(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	f := admin.ReadDeviceForm(c.form)
	s.tokenChange(w, r, c, f.ID, false, func(next *config.Config) (string, error) { return admin.AddDevice(next, f) })
}

func (s *Server) adminDeviceToken(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	id := r.PathValue("id")
	s.tokenChange(w, r, c, id, true, func(next *config.Config) (string, error) { return admin.ReissueToken(next, id) })
}

func (s *Server) adminDeviceRevoke(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	id := r.PathValue("id")
	if status := s.change(w, r, c, "/admin/devices", "revoked", func(next *config.Config) error { return admin.RevokeDevice(next, id) }); status != 0 {
		s.devicesPage(c)
		s.renderConsole(w, status, c.page)
	}
}

// Information sheets: administrators, and back-office users for their
// services.

func (s *Server) adminSheets(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "sheets"
	c.page.Sheets = admin.SheetRows(c.lang, c.cfg, c.user)
	s.renderConsole(w, http.StatusOK, c.page)
}

// sheetService returns the path's service if the user may edit its sheet,
// answering otherwise.
func (s *Server) sheetService(w http.ResponseWriter, r *http.Request, c *consoleReq) *queue.Service {
	c.page.Section = "sheets"
	svc := c.cfg.Office.Service(r.PathValue("id"))
	if svc == nil {
		s.consoleNotFound(w, c)
		return nil
	}
	if !admin.MaySheet(c.user, svc.ID) {
		c.page.Forbidden = admin.Text(c.lang, "forbidden_sheet")
		s.renderConsole(w, http.StatusForbidden, c.page)
		return nil
	}
	return svc
}

func (s *Server) adminSheet(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	svc := s.sheetService(w, r, c)
	if svc == nil {
		return
	}
	c.page.Sheet = admin.NewSheetView(c.lang, svc, svc.Info, false)
	s.renderConsole(w, http.StatusOK, c.page)
}

func (s *Server) adminSheetSave(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	svc := s.sheetService(w, r, c)
	if svc == nil {
		return
	}
	text := c.form.Get("info")
	if c.form.Get("action") == "preview" {
		c.page.Sheet = admin.NewSheetView(c.lang, svc, text, true)
		s.renderConsole(w, http.StatusOK, c.page)
		return
	}
	path := "/admin/sheets/" + url.PathEscape(svc.ID)
	if status := s.change(w, r, c, path, "saved", func(next *config.Config) error { return admin.SetSheet(next, svc.ID, text) }); status != 0 {
		c.page.Sheet = admin.NewSheetView(c.lang, svc, text, true)
		s.renderConsole(w, status, c.page)
	}
}

// History.

func (s *Server) adminHistory(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "history"
	versions, err := s.versions.ConfigVersions()
	if err != nil {
		s.finish(w, r, err)
		return
	}
	// The latest versions (each read and compared with the one before);
	// ?all=1 for the whole history.
	from := 0
	if len(versions) > historyPage && r.FormValue("all") == "" {
		from = len(versions) - historyPage - 1
		c.page.MoreHistory = from + 1
	}
	rows, err := admin.History(c.lang, versions[from:], c.cfg.Office.Location, true)
	if err != nil {
		s.finish(w, r, err)
		return
	}
	if from > 0 {
		rows = rows[:len(rows)-1] // the oldest was only the base of the next
	}
	c.page.Versions = rows
	s.renderConsole(w, http.StatusOK, c.page)
}

// historyPage is how many versions the history shows at first.
const historyPage = 100

// version returns the path's stored version and the one before it.
func (s *Server) version(r *http.Request) (store.ConfigVersion, *store.ConfigVersion, error) {
	n := admin.Atoi(r.PathValue("n"))
	if n <= 0 {
		return store.ConfigVersion{}, nil, store.ErrNotFound
	}
	v, err := s.versions.ConfigVersion(uint64(n))
	if err != nil || n == 1 {
		return v, nil, err
	}
	before, err := s.versions.ConfigVersion(uint64(n - 1))
	if err != nil {
		return v, nil, err
	}
	return v, &before, nil
}

func (s *Server) adminVersion(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	c.page.Section = "history"
	v, before, err := s.version(r)
	if errors.Is(err, store.ErrNotFound) {
		s.consoleNotFound(w, c)
		return
	}
	if err == nil {
		c.page.Detail, err = admin.Detail(c.lang, v, before, c.cfg.Office.Location, true)
	}
	if err != nil {
		s.finish(w, r, err)
		return
	}
	s.renderConsole(w, http.StatusOK, c.page)
}

// adminVersionTOML downloads a version as its file: what -export-config
// prints, for an administrator (it holds password hashes and tokens, as a
// backup does).
func (s *Server) adminVersionTOML(w http.ResponseWriter, r *http.Request, c *consoleReq) {
	v, _, err := s.version(r)
	if errors.Is(err, store.ErrNotFound) {
		s.consoleNotFound(w, c)
		return
	}
	if err != nil {
		s.finish(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/toml; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="turno-config-v%d.toml"`, v.Version))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(v.TOML))
}

func (s *Server) consoleNotFound(w http.ResponseWriter, c *consoleReq) {
	c.page.Forbidden = admin.Text(c.lang, "not_found")
	s.renderConsole(w, http.StatusNotFound, c.page)
}

// Sign in and out.

func (s *Server) consoleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil || !sameOrigin(r) {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	lang := pageLang(r)
	fail := func(status int, msg string) {
		s.renderConsole(w, status, &admin.Page{Lang: lang, Office: s.cfg().Office.Name, LoginError: msg})
	}
	// The API's own login: the same password checks, the same pause after
	// wrong passwords.
	body, _ := json.Marshal(loginRequest{User: r.PostFormValue("user"), Password: r.PostFormValue("password")})
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, "/api/v1/login", bytes.NewReader(body))
	if err != nil {
		fail(http.StatusInternalServerError, admin.Text(lang, "internal"))
		return
	}
	req.Header = r.Header.Clone()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Del("Content-Length")
	req.RemoteAddr = r.RemoteAddr
	rec := &bodyRecorder{header: http.Header{}, status: http.StatusOK}
	if err := s.login(rec, req); err != nil {
		status, eb, internal := errorResponse(err)
		if internal {
			s.logger.Error("console login", "err", err)
		}
		switch eb.Error.Code {
		case "bad_credentials":
			fail(status, admin.Text(lang, "bad_login"))
		case "too_many_attempts":
			fail(status, pageText(lang, admin.Text(lang, "too_many"), eb.Error.Message))
		default:
			fail(status, eb.Error.Message)
		}
		return
	}
	var lr loginResponse
	if err := json.Unmarshal(rec.body.Bytes(), &lr); err != nil || lr.Token == "" {
		fail(http.StatusInternalServerError, admin.Text(lang, "internal"))
		return
	}
	if !slices.Contains([]config.Role{config.RoleAdmin, config.RoleBackoffice}, lr.Role) {
		_ = s.sessions.DeleteSession(sessionKey(lr.Token))
		s.renderConsole(w, http.StatusForbidden, &admin.Page{Lang: lang, Office: s.cfg().Office.Name,
			Forbidden: admin.Textf(lang, "forbidden_role", admin.Text(lang, "role_"+string(lr.Role)))})
		return
	}
	s.setPageSession(w, r, consoleCookie, "/admin", lr.Token, lr.ExpiresAt)
	http.Redirect(w, r, "/admin?lang="+lang, http.StatusSeeOther)
}

func (s *Server) consoleLogout(w http.ResponseWriter, r *http.Request) {
	s.endPageSession(w, r, consoleCookie, "/admin", "console logout")
}
