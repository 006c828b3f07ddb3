package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"turno/server/config"
	"turno/server/hub"
	"turno/server/queue"
	"turno/server/store"
)

// principal is who is calling: a logged-in user or a configured device.
type principal struct {
	Name string
	Role config.Role
	// session is the login session's key (empty for a device) and expires
	// when it ends: its streams end with it.
	session string
	expires time.Time
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
	if d := s.cfg().DeviceByToken(token); d != nil {
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
	u := s.cfg().User(sess.User)
	if u == nil || string(u.Role) != sess.Role || sess.Credential != credential(u) {
		_ = s.sessions.DeleteSession(sessionKey(token))
		return nil, errorf(http.StatusUnauthorized, "session_expired", "your account has changed since you logged in: log in again")
	}
	return &principal{Name: sess.User, Role: u.Role, session: sessionKey(token), expires: sess.Expires}, nil
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
	addr := clientAddr(r, s.trustedProxies)
	// The attempt is counted before the password is checked, so that
	// guesses sent at once cannot all pass the budget together.
	att, refused := s.logins.reserve(req.User, addr, now)
	if refused != nil {
		return s.tooManyAttempts(w, req.User, addr, refused, now)
	}
	select { // a password check costs a bcrypt: a few at a time, whatever the load
	case s.logins.checks <- struct{}{}:
		defer func() { <-s.logins.checks }()
	case <-r.Context().Done():
		s.logins.release(att, s.now()) // never checked
		return r.Context().Err()
	}
	u := s.cfg().User(req.User)
	ok := false
	if u == nil {
		s.dummyUser.CheckPassword(req.Password) // as slow as a wrong password
	} else {
		ok = u.CheckPassword(req.Password)
	}
	if !ok {
		if user, address := s.logins.spent(att, now); user || address {
			s.logger.Warn("logins paused: too many wrong passwords", "user", req.User, "from", addr, "user_paused", user, "address_paused", address)
		}
		return errBadLogin
	}
	s.logins.succeeded(att, now)
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	expires := s.now().Add(s.cfg().SessionTTL)
	if err := s.sessions.PutSession(sessionKey(token), store.Session{User: u.Name, Role: string(u.Role), Credential: credential(u), Expires: expires}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, loginResponse{Token: token, User: u.Name, FullName: u.FullName, Role: u.Role, ExpiresAt: expires})
	return nil
}

// logout ends the session: its token stops working, and its open streams
// get an error frame and close (docs/stream.md).
func (s *Server) logout(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.sessions.DeleteSession(sessionKey(bearer(r))); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if s.hub != nil {
		werr := &queue.WireError{Code: hub.CodeLoggedOut, Message: "you logged out: log in again to follow the office"}
		if err := s.hub.EndSession(r.Context(), p.session, p.expires, werr); err != nil {
			return err
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
