// Package web is Turno's HTTP API: routes in one place, authentication by
// Bearer token, strict JSON bodies, and one function that turns errors into
// {"error":{"code","message"}} responses.
package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"time"

	"turno/server/admin"
	"turno/server/config"
	"turno/server/history"
	"turno/server/hub"
	"turno/server/live"
	"turno/server/queue"
	"turno/server/store"
)

// Tickets finds tickets of past days, and a day's tickets on demand
// (package store).
type Tickets interface {
	Ticket(id string) (*queue.Ticket, error)
	DayTickets(day string, after uint64, limit int, keep func(*queue.Ticket) bool) ([]queue.Ticket, uint64, error)
}

// Backups streams a consistent copy of the database (package store).
type Backups interface {
	Backup(w io.Writer, size func(int64)) (int64, error)
}

// Options are the server's collaborators.
type Options struct {
	Config *config.Config
	// Current holds the configuration in force when the administration
	// console may change it (main's and officetest's); nil: Config, fixed.
	Current *config.Current
	// Admin changes the configuration (the administration console, /admin);
	// nil: the console is not served.
	Admin  *admin.Admin
	Office *live.Office
	Store  *store.Store
	Now    func() time.Time
	Logger *slog.Logger
	// Hub runs the live stream (GET /api/v1/stream); nil: no stream.
	Hub *hub.Hub
	// PublicURL is the server's address as citizens' phones reach it, e.g.
	// http://192.168.1.10:8080, for the QR codes; empty: the request's.
	PublicURL string
	// TrustedProxies are reverse proxies whose X-Forwarded-For names the
	// client (for the per-address budgets of the login and the booking
	// page); none: the peer is the client.
	TrustedProxies []netip.Prefix
	// Metrics, if set, is served at GET /metrics (it checks its own token);
	// nil when metrics are off or served on a listener of their own.
	Metrics http.Handler
	// Sender delivers the booking page's one-time codes; required when the
	// office sets agenda.verify_contact.
	Sender Sender
}

// Server serves the API.
type Server struct {
	current  *config.Current
	admin    *admin.Admin
	versions admin.Versions
	office   *live.Office
	sessions Sessions
	tickets  Tickets
	backups  Backups
	// bookingStore holds the bookings of past days.
	bookingStore Bookings
	now          func() time.Time
	logger       *slog.Logger
	mux          *http.ServeMux
	dummyUser    *config.User
	logins       *loginGuard
	hub          *hub.Hub
	publicURL    string
	// trustedProxies: see Options.TrustedProxies.
	trustedProxies []netip.Prefix
	// reports read the office's history (reports.go).
	reports  *history.Reports
	metrics  http.Handler
	citizens *citizenPages // the booking page /prenota
}

// New builds the server and registers every route.
func New(opt Options) (*Server, error) {
	s := &Server{
		current: opt.Current, admin: opt.Admin, versions: opt.Store, office: opt.Office, sessions: opt.Store, tickets: opt.Store, backups: opt.Store, bookingStore: opt.Store,
		now: opt.Now, logger: opt.Logger, mux: http.NewServeMux(),
		hub:       opt.Hub,
		logins:    newLoginGuard(),
		publicURL: opt.PublicURL, trustedProxies: opt.TrustedProxies, metrics: opt.Metrics,
	}
	if s.current == nil {
		s.current = config.NewCurrent(opt.Config)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	hash, err := config.HashPassword("not a password anyone has")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.dummyUser = &config.User{PasswordHash: hash}
	s.reports = history.NewLiveReports(s.current.Load, opt.Store, s.now)
	if s.citizens, err = newCitizenPages(s.cfg(), opt.Sender); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

var (
	anyRole = []config.Role{config.RoleKiosk, config.RoleDisplay, config.RoleClerk, config.RoleFloor, config.RoleBackoffice, config.RoleAdmin}
	staff   = []config.Role{config.RoleDisplay, config.RoleClerk, config.RoleFloor, config.RoleBackoffice, config.RoleAdmin}
	issuers = []config.Role{config.RoleKiosk, config.RoleFloor, config.RoleAdmin}
	clerks  = []config.Role{config.RoleClerk, config.RoleFloor, config.RoleAdmin}
	floor   = []config.Role{config.RoleFloor, config.RoleAdmin}
	// supervisors read everything about the office, and change nothing.
	supervisors = []config.Role{config.RoleFloor, config.RoleBackoffice, config.RoleAdmin}
	adminOnly   = []config.Role{config.RoleAdmin}
)

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.public(s.health))
	s.mux.HandleFunc("POST /api/v1/login", s.public(s.login))
	s.mux.HandleFunc("POST /api/v1/logout", s.auth(anyRole, s.logout))
	s.mux.HandleFunc("GET /api/v1/services", s.auth(anyRole, s.services))
	s.mux.HandleFunc("POST /api/v1/tickets", s.auth(issuers, s.issue))
	s.mux.HandleFunc("GET /api/v1/tickets", s.auth(staff, s.dayTickets))
	s.mux.HandleFunc("GET /api/v1/tickets/{id}", s.public(s.ticket))
	s.mux.HandleFunc("GET /api/v1/tickets/{id}/ticket.pdf", s.public(s.ticketPDF))
	s.mux.HandleFunc("GET /api/v1/tickets/{id}/receipt.pdf", s.public(s.receiptPDF))
	s.mux.HandleFunc("POST /api/v1/tickets/{id}/move", s.auth(floor, s.move))
	s.mux.HandleFunc("GET /api/v1/snapshot", s.auth(staff, s.snapshot))
	s.mux.HandleFunc("POST /api/v1/counters/{id}/{action}", s.auth(clerks, s.counterAction))
	s.mux.HandleFunc("POST /api/v1/services/{id}/{action}", s.auth(floor, s.serviceAction))
	s.mux.HandleFunc("GET /api/v1/backup", s.auth(adminOnly, s.backup))
	s.mux.HandleFunc("POST /api/v1/hall/message", s.auth(floor, s.hallMessage))
	s.mux.HandleFunc("POST /api/v1/contacts", s.auth(clerks, s.contact))
	s.mux.HandleFunc("GET /api/v1/devices", s.auth(supervisors, s.devices))
	s.mux.HandleFunc("GET /api/v1/services/{id}/slots", s.auth(anyRole, s.slots))
	s.mux.HandleFunc("POST /api/v1/bookings", s.auth(bookMakers, s.book))
	s.mux.HandleFunc("GET /api/v1/bookings", s.auth(bookers, s.bookings))
	s.mux.HandleFunc("GET /api/v1/bookings/{ref}", s.auth(bookers, s.booking))
	s.mux.HandleFunc("POST /api/v1/bookings/{ref}/{action}", s.auth(bookers, s.bookingAction))
	s.mux.HandleFunc("POST /api/v1/checkin", s.auth(checkers, s.checkIn))
	s.streamRoutes()  // GET /api/v1/stream, the phone's page /t/{id} and its files
	s.reportRoutes()  // ratings, reports, forecast, the back-office page (reports.go)
	s.consoleRoutes() // the administration console, /admin (console.go)
	s.prenotaRoutes() // the citizens' booking page /prenota and each booking's /prenota/b/{id}
	if s.metrics != nil {
		s.mux.Handle("GET /metrics", s.metrics)
	}
}

// ServeHTTP answers unknown routes and methods in the API's JSON error form,
// and sets on every answer the headers that keep browsers from sniffing
// types, framing Turno's pages into another site, or sending an address
// (a ticket's id is its secret) to another as the referrer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if _, pattern := s.mux.Handler(r); pattern == "" {
		rec := &statusRecorder{header: http.Header{}}
		s.mux.ServeHTTP(rec, r) // the mux knows whether it is 404 or 405
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		if rec.status == http.StatusMethodNotAllowed {
			writeJSON(w, rec.status, errorBody{errorDetail{Code: "method_not_allowed", Message: r.Method + " is not allowed here"}})
			return
		}
		writeJSON(w, http.StatusNotFound, errorBody{errorDetail{Code: "not_found", Message: "no such endpoint: " + r.URL.Path}})
		return
	}
	s.mux.ServeHTTP(w, r)
}

type statusRecorder struct {
	header http.Header
	status int
}

func (r *statusRecorder) Header() http.Header         { return r.header }
func (r *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *statusRecorder) WriteHeader(status int)      { r.status = status }

type handler func(w http.ResponseWriter, r *http.Request, p *principal) error

func (s *Server) public(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.finish(w, r, h(w, r)) }
}

func (s *Server) auth(roles []config.Role, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err == nil && !slices.Contains(roles, p.Role) {
			err = errorf(http.StatusForbidden, "forbidden", "the %s role may not do this", p.Role)
		}
		if err == nil {
			err = h(w, r, p)
		}
		s.finish(w, r, err)
	}
}

func (s *Server) finish(w http.ResponseWriter, r *http.Request, err error) {
	if err == nil {
		return
	}
	status, body, internal := errorResponse(err)
	if internal {
		// The route, not the path: paths carry ticket ids and booking codes.
		s.logger.Error("request failed", "method", r.Method, "route", r.Pattern, "err", err)
	}
	writeJSON(w, status, body)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	var seq uint64
	var day string
	if _, err := s.office.Do(r.Context(), nil, func(_ time.Time, st *queue.Office) { seq, day = st.Seq(), st.Day() }); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "seq": seq, "day": day})
	return nil
}

// cfg is the configuration in force; a handler that reads it more than
// once should load it once.
func (s *Server) cfg() *config.Config { return s.current.Load() }

// read runs view on the committed state.
func (s *Server) read(ctx context.Context, view live.View) error {
	_, err := s.office.Do(ctx, nil, view)
	return err
}
