package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"turno/server/config"
	"turno/server/store"
)

// principal is who is calling: a logged-in user or a configured device.
type principal struct {
	Name string
	Role config.Role
}

// device reports whether the caller is a kiosk or a hall display, which
// citizens can read: no staff names, notes or case files.
func (p *principal) device() bool {
	return p.Role == config.RoleKiosk || p.Role == config.RoleDisplay
}

// supervisor roles may act on counters opened by others.
func (p *principal) supervisor() bool {
	return p.Role == config.RoleFloor || p.Role == config.RoleAdmin
}

// Sessions keeps login sessions (package store), so that clerks stay logged
// in across a server restart.
type Sessions interface {
	PutSession(key string, s store.Session) error
	Session(key string) (store.Session, error)
	DeleteSession(key string) error
}

func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// authenticate resolves the request's token to a principal.
func (s *Server) authenticate(r *http.Request) (*principal, error) {
	return s.authenticateToken(bearer(r))
}

// authenticateToken resolves a token, from a header or from the stream's
// subscribe message (browsers cannot set headers on a websocket), to a
// principal.
func (s *Server) authenticateToken(token string) (*principal, error) {
	if token == "" || len(token) > 512 {
		return nil, errUnauthorized
	}
	if d := s.cfg.DeviceByToken(token); d != nil {
		return &principal{Name: d.ID, Role: d.Role}, nil
	}
	sess, err := s.sessions.Session(sessionKey(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errUnauthorized
	}
	if err != nil {
		return nil, err
	}
	if !s.now().Before(sess.Expires) {
		_ = s.sessions.DeleteSession(sessionKey(token))
		return nil, errorf(http.StatusUnauthorized, "session_expired", "the session has expired: log in again")
	}
	// The configuration in force decides, not the one of the login: a user
	// removed, given another role or another password since is logged out.
	u := s.cfg.User(sess.User)
	if u == nil || string(u.Role) != sess.Role || sess.Credential != credential(u) {
		_ = s.sessions.DeleteSession(sessionKey(token))
		return nil, errorf(http.StatusUnauthorized, "session_expired", "your account has changed since you logged in: log in again")
	}
	return &principal{Name: sess.User, Role: u.Role}, nil
}

// credential ties a session to the password it was opened with, without
// storing anything that would help guess it.
func credential(u *config.User) string {
	sum := sha256.Sum256([]byte("turno-session\x00" + u.PasswordHash))
	return hex.EncodeToString(sum[:8])
}

// Limits of the login's fields: user names as the configuration allows
// them, in characters; passwords as bcrypt reads them, in bytes (it ignores
// what follows the 72nd).
const (
	maxUserName = 64
	maxPassword = 72
)

type loginRequest struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string      `json:"token"`
	User      string      `json:"user"`
	FullName  string      `json:"full_name"`
	Role      config.Role `json:"role"`
	ExpiresAt time.Time   `json:"expires_at"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(req.User); n > maxUserName {
		return errorf(http.StatusBadRequest, "invalid", "the user name is %d characters long, more than %d", n, maxUserName)
	}
	if len(req.Password) > maxPassword {
		return errorf(http.StatusBadRequest, "invalid", "the password is longer than %d bytes", maxPassword)
	}
	now := s.now()
	if until, locked := s.logins.locked(req.User, now); locked {
		return errorf(http.StatusTooManyRequests, "too_many_attempts",
			"too many wrong passwords for %q: try again after %s", req.User, until.In(s.cfg.Office.Location).Format("15:04:05"))
	}
	select { // a password check costs a bcrypt: a few at a time, whatever the load
	case s.logins.checks <- struct{}{}:
		defer func() { <-s.logins.checks }()
	case <-r.Context().Done():
		return r.Context().Err()
	}
	u := s.cfg.User(req.User)
	ok := false
	if u == nil {
		s.dummyUser.CheckPassword(req.Password) // as slow as a wrong password
	} else {
		ok = u.CheckPassword(req.Password)
	}
	if !ok {
		s.logins.fail(req.User, now)
		return errBadLogin
	}
	s.logins.succeed(req.User)
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	expires := s.now().Add(s.cfg.SessionTTL)
	if err := s.sessions.PutSession(sessionKey(token), store.Session{User: u.Name, Role: string(u.Role), Credential: credential(u), Expires: expires}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, loginResponse{Token: token, User: u.Name, FullName: u.FullName, Role: u.Role, ExpiresAt: expires})
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ *principal) error {
	if err := s.sessions.DeleteSession(sessionKey(bearer(r))); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Wrong passwords allowed in a row before a user's logins pause.
const (
	maxLoginFailures = 5
	loginLockout     = time.Minute
	maxLoginChecks   = 2 // bcrypt checks at once
)

// loginGuard slows guessing down: after maxLoginFailures wrong passwords a
// name's logins are refused for loginLockout, and password checks run a
// few at a time, so guessing cannot take the office's CPU.
type loginGuard struct {
	checks   chan struct{}
	mu       sync.Mutex
	failures map[string]*loginFailures
}

type loginFailures struct {
	count int
	until time.Time
}

func newLoginGuard() *loginGuard {
	return &loginGuard{checks: make(chan struct{}, maxLoginChecks), failures: map[string]*loginFailures{}}
}

func (g *loginGuard) locked(user string, now time.Time) (time.Time, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f := g.failures[user]
	if f == nil || !now.Before(f.until) {
		return time.Time{}, false
	}
	return f.until, true
}

func (g *loginGuard) fail(user string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.failures) > 10000 { // names made up by a guesser: forget the old ones
		for name, f := range g.failures {
			if now.After(f.until) {
				delete(g.failures, name)
			}
		}
	}
	f := g.failures[user]
	if f == nil {
		f = &loginFailures{}
		g.failures[user] = f
	}
	f.count++
	if f.count >= maxLoginFailures {
		f.count, f.until = 0, now.Add(loginLockout)
	}
}

func (g *loginGuard) succeed(user string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.failures, user)
}
