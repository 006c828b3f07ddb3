package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"turno/server/backoffice"
	"turno/server/history"
	"turno/server/store"
)

// The back office's page is server-rendered HTML with no script: a login
// form, then the indicators of a period. A browser cannot send a Bearer
// token from a link, so the page keeps the session token of a backoffice or
// admin user in a cookie: HttpOnly (no script reads it), SameSite=Strict
// (no other site's page sends it) and limited to /backoffice, and the
// forms that change something also check the Origin header.
const backofficeCookie = "turno_backoffice"

func (s *Server) backofficeRoutes() {
	s.mux.HandleFunc("GET /backoffice", s.backofficePage)
	s.mux.HandleFunc("POST /backoffice/login", s.backofficeLogin)
	s.mux.HandleFunc("POST /backoffice/logout", s.backofficeLogout)
	s.mux.HandleFunc("GET /backoffice/report.csv", s.backofficeExport("csv"))
	s.mux.HandleFunc("GET /backoffice/report.pdf", s.backofficeExport("pdf"))
}

// pageLang is the page's language: ?lang=, else the browser's first.
func pageLang(r *http.Request) string {
	switch r.FormValue("lang") {
	case "it":
		return "it"
	case "en":
		return "en"
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(r.Header.Get("Accept-Language"))), "en") {
		return "en"
	}
	return "it"
}

func pageText(lang, it, en string) string {
	if lang == "en" {
		return en
	}
	return it
}

// backofficeUser returns the page's user from its cookie.
func (s *Server) backofficeUser(r *http.Request) (*principal, error) {
	c, err := r.Cookie(backofficeCookie)
	if err != nil || c.Value == "" {
		return nil, errUnauthorized
	}
	p, err := s.authenticateToken(c.Value)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(reporters, p.Role) {
		return nil, errorf(http.StatusForbidden, "forbidden", "the %s role may not read the reports", p.Role)
	}
	return p, nil
}

func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}

func (s *Server) renderPage(w http.ResponseWriter, status int, p backoffice.Page) {
	p.Office = s.cfg().Office.Name
	p.Location = s.cfg().Office.Location
	var buf bytes.Buffer
	if err := backoffice.Render(&buf, p); err != nil {
		s.logger.Error("back office page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	pageHeaders(w)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) backofficePage(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(r)
	p, err := s.backofficeUser(r)
	if err != nil {
		msg := ""
		var ae *apiError
		if errors.As(err, &ae) && ae.Code != "unauthorized" {
			msg = pageText(lang, "La sessione è scaduta o non è valida: accedi di nuovo.", "The session has expired or is not valid: log in again.")
		}
		s.renderPage(w, http.StatusOK, backoffice.Page{Lang: lang, Error: msg})
		return
	}
	now := s.now()
	loc := s.cfg().Office.Location
	today := s.cfg().Office.Day(now)
	from, to := r.FormValue("from"), r.FormValue("to")
	if to == "" {
		to = today
	}
	if from == "" {
		from = now.In(loc).AddDate(0, 0, -29).Format("2006-01-02")
	}
	name := p.Name
	if u := s.cfg().User(p.Name); u != nil {
		name = u.FullName
	}
	page := backoffice.Page{Lang: lang, User: name, From: from, To: to, Today: today}
	ov, err := s.reports.Overview(r.Context(), from, to, reportForecastDays)
	var qe *history.QueryError
	switch {
	case errors.As(err, &qe):
		page.Error = pageText(lang, "Periodo non valido: ", "Not a valid period: ") + qe.Error()
		s.renderPage(w, http.StatusBadRequest, page)
		return
	case err != nil:
		s.finish(w, r, err)
		return
	}
	page.Overview = ov
	s.renderPage(w, http.StatusOK, page)
}

// sameOrigin reports whether a posted form came from one of our pages
// (the back office's, the booking page's): a browser says whether it is
// this site (Sec-Fetch-Site) and names the page's origin (Origin). Our
// pages' no-referrer policy makes browsers send Origin "null", which says
// nothing (refusing it refused every login from Chromium); clients that
// send neither (curl, old browsers) are left to the form's other defences.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

// bodyRecorder keeps an internal call's answer.
type bodyRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bodyRecorder) Header() http.Header         { return b.header }
func (b *bodyRecorder) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bodyRecorder) WriteHeader(status int)      { b.status = status }

func (s *Server) backofficeLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil || !sameOrigin(r) {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	lang := pageLang(r)
	fail := func(status int, it, en string) {
		s.renderPage(w, status, backoffice.Page{Lang: lang, Error: pageText(lang, it, en)})
	}
	// The API's own login, so the page has the same password checks and
	// the same pause after wrong passwords.
	body, _ := json.Marshal(loginRequest{User: r.PostFormValue("user"), Password: r.PostFormValue("password")})
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, "/api/v1/login", bytes.NewReader(body))
	if err != nil {
		fail(http.StatusInternalServerError, "Errore interno.", "Internal error.")
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
			s.logger.Error("back office login", "err", err)
		}
		switch eb.Error.Code {
		case "bad_credentials":
			fail(status, "Utente sconosciuto o password errata.", "Unknown user or wrong password.")
		case "too_many_attempts":
			fail(status, "Troppe password errate: riprova tra un minuto.", eb.Error.Message)
		default:
			fail(status, eb.Error.Message, eb.Error.Message)
		}
		return
	}
	var lr loginResponse
	if err := json.Unmarshal(rec.body.Bytes(), &lr); err != nil || lr.Token == "" {
		fail(http.StatusInternalServerError, "Errore interno.", "Internal error.")
		return
	}
	if !slices.Contains(reporters, lr.Role) {
		_ = s.sessions.DeleteSession(sessionKey(lr.Token))
		fail(http.StatusForbidden, "Il ruolo "+string(lr.Role)+" non può leggere i rapporti: servono back office o amministratore.",
			"The "+string(lr.Role)+" role may not read the reports: back office or administrator only.")
		return
	}
	s.setPageSession(w, r, backofficeCookie, "/backoffice", lr.Token, lr.ExpiresAt)
	http.Redirect(w, r, "/backoffice?lang="+lang, http.StatusSeeOther)
}

func (s *Server) backofficeLogout(w http.ResponseWriter, r *http.Request) {
	s.endPageSession(w, r, backofficeCookie, "/backoffice", "back office logout")
}

// backofficeExport answers the page's download links with the API's
// report, authenticated by the page's cookie.
func (s *Server) backofficeExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.backofficeUser(r); err != nil {
			http.Redirect(w, r, "/backoffice?lang="+pageLang(r), http.StatusSeeOther)
			return
		}
		s.finish(w, r, s.writeReport(w, r, format))
	}
}

// setPageSession gives a server-rendered page's browser its session: a
// cookie for path only, HttpOnly and SameSite=Strict. Max-Age, not
// Expires: the browser's clock need not agree with ours.
func (s *Server) setPageSession(w http.ResponseWriter, r *http.Request, name, path, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: token, Path: path, MaxAge: max(int(expires.Sub(s.now()).Seconds()), 1),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// endPageSession is a page's sign-out form: the session ends, its cookie
// is cleared and the page shows its sign-in again.
func (s *Server) endPageSession(w http.ResponseWriter, r *http.Request, name, path, what string) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil || !sameOrigin(r) {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if c, err := r.Cookie(name); err == nil && c.Value != "" {
		if err := s.sessions.DeleteSession(sessionKey(c.Value)); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.logger.Warn(what, "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1, Expires: time.Unix(0, 0),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, path+"?lang="+pageLang(r), http.StatusSeeOther)
}
