// Package admin is the administration console's core: the versions of the
// office's configuration and the changes that make them. A change is a new
// configuration, written out as TOML (config.Encode) and read back through
// every validation of the file (config.Parse), checked against the day in
// progress (queue.ChangeConfig, through live.Reconfigure) and recorded as a
// config.changed event, whose version the store keeps beside the log. The
// console's pages (pages.go) and forms (forms.go) are built on it.
package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"turno/server/config"
	"turno/server/live"
	"turno/server/queue"
	"turno/server/store"
)

// Versions reads the stored versions (package store).
type Versions interface {
	LatestConfig() (store.ConfigVersion, error)
	ConfigVersions() ([]store.ConfigVersion, error)
	ConfigVersion(version uint64) (store.ConfigVersion, error)
}

// InForce returns the configuration in force: the latest stored version,
// or file (the -config file or the demo) when no version is stored yet.
// A stored version keeps file's Demo mark, so the demo's banner survives
// its changes.
func InForce(db Versions, file *config.Config) (*config.Config, *store.ConfigVersion, error) {
	v, err := db.LatestConfig()
	if errors.Is(err, store.ErrNotFound) {
		return file, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("configuration versions: %w", err)
	}
	cfg, err := config.Parse([]byte(v.TOML))
	if err != nil {
		return nil, nil, fmt.Errorf("configuration version %d in the database: %w", v.Version, err)
	}
	cfg.Version = v.Version
	cfg.Source = file.Source // where version 1 came from, presumably
	cfg.Demo = file.Demo
	return cfg, &v, nil
}

// Errors of a change.
var (
	// ErrNoChange: the new configuration is the one in force.
	ErrNoChange = errors.New("admin: nothing changed")
)

// StaleError refuses a change made on a version that is no longer in
// force: someone else changed the configuration meanwhile.
type StaleError struct {
	Base, InForce uint64
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("the configuration changed meanwhile: version %d is in force, the change was made on version %d", e.InForce, e.Base)
}

// InvalidError is a configuration the file's validation refuses; its
// message names the field ("services[2].prefix: ...").
type InvalidError struct {
	Err error
}

func (e *InvalidError) Error() string { return e.Err.Error() }
func (e *InvalidError) Unwrap() error { return e.Err }

// Field is the file's field the error names, and the problem.
func (e *InvalidError) Field() (field, problem string) { return SplitField(e.Err.Error()) }

// SplitField splits "services[2].prefix: must be..." into the field and the
// problem; a message naming no field gives "".
func SplitField(msg string) (field, problem string) {
	f, p, ok := strings.Cut(msg, ": ")
	if !ok || strings.ContainsAny(f, " \"") {
		return "", msg
	}
	return f, p
}

// RuleError is a change the console's own rules refuse (the accounts:
// somebody must stay an administrator, and nobody removes or demotes
// themselves); Field names the file's field.
type RuleError struct {
	Field  string
	IT, EN string
}

func (e *RuleError) Error() string { return e.Field + ": " + e.EN }

// Request is who asks for a change, and how.
type Request struct {
	// By is who makes it (a user's name, or "turno-server" for the file).
	By string
	// Reason is why, for the audit log.
	Reason string
	// Force accepts a change of the opening range in progress (and of the
	// zone).
	Force bool
	// Base is the version the change was made on: if another is in force
	// by now, the change is refused (StaleError). 0: no check.
	Base uint64
	// Self is the user making the change through the console, who may not
	// remove themselves or change their own role.
	Self string
}

// Admin changes the running office's configuration, one change at a time.
type Admin struct {
	office  *live.Office
	current *config.Current
	// installed runs with each configuration put in force, under the
	// office's lock (it must not block): the hub's devices.
	installed func(*config.Config)
	mu        sync.Mutex
}

// New returns the office's administration: current holds the
// configuration in force, which Apply replaces.
func New(office *live.Office, current *config.Current, installed func(*config.Config)) *Admin {
	return &Admin{office: office, current: current, installed: installed}
}

// Current is the configuration in force.
func (a *Admin) Current() *config.Config { return a.current.Load() }

// Record stores the configuration in force as version 1 when no version is
// stored yet (the first start on a database): reason says where it came
// from. It does nothing once a version exists.
func (a *Admin) Record(ctx context.Context, by, reason string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	cur := a.current.Load()
	if cur.Version != 0 {
		return nil
	}
	return a.put(ctx, cur, cur, Request{By: by, Reason: reason})
}

// Apply puts next in force as a new version. next is read back from its
// text (Encode, then Parse) so that every validation of the file applies;
// then the accounts' rules; then the day's (live.Reconfigure). It returns
// the configuration now in force.
func (a *Admin) Apply(ctx context.Context, next *config.Config, req Request) (*config.Config, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	cur := a.current.Load()
	if req.Base != 0 && req.Base != cur.Version {
		return nil, &StaleError{Base: req.Base, InForce: cur.Version}
	}
	text, err := config.Encode(next)
	if err != nil {
		return nil, &InvalidError{Err: err}
	}
	parsed, err := config.Parse(text)
	if err != nil {
		return nil, &InvalidError{Err: err}
	}
	if err := checkAccounts(cur, parsed, req.Self); err != nil {
		return nil, err
	}
	changes, err := config.Diff(cur, parsed)
	if err != nil {
		return nil, err
	}
	if len(changes) == 0 {
		return nil, ErrNoChange
	}
	if cur.Version == 0 { // the configuration in force becomes version 1, the change version 2
		// Unless the day refuses the change: then nothing is recorded
		// (Reconfigure checks again).
		if err := a.check(ctx, parsed, req.Force); err != nil {
			return nil, err
		}
		if err := a.put(ctx, cur, cur, Request{By: "turno-server", Reason: "the configuration in force before the first change"}); err != nil {
			return nil, err
		}
		cur = a.current.Load()
	}
	if err := a.put(ctx, cur, parsed, req); err != nil {
		return nil, err
	}
	return parsed, nil
}

// check runs the rules that protect the day without changing anything.
func (a *Admin) check(ctx context.Context, next *config.Config, force bool) error {
	var problems []queue.ConfigProblem
	_, err := a.office.Do(ctx, nil, func(now time.Time, st *queue.Office) {
		for _, p := range st.CheckConfig(now, &next.Office) {
			if !force || !p.Forcible {
				problems = append(problems, p)
			}
		}
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return &queue.ConfigRefusal{Problems: problems}
	}
	return nil
}

// put records next as the version after cur's and puts it in force.
func (a *Admin) put(ctx context.Context, cur, next *config.Config, req Request) error {
	text, err := config.Encode(next)
	if err != nil {
		return err
	}
	if next == cur { // Record: a copy, so the version number is not written into the configuration readers hold
		if next, err = config.Parse(text); err != nil {
			return &InvalidError{Err: err}
		}
	}
	next.Version = cur.Version + 1
	next.Demo, next.Source = cur.Demo, cur.Source
	change := queue.ConfigChange{Version: next.Version, By: req.By, Reason: strings.TrimSpace(req.Reason), TOML: string(text)}
	return a.office.Reconfigure(ctx, &next.Office, change, req.Force, func() {
		a.current.Store(next)
		if a.installed != nil {
			a.installed(next)
		}
	})
}

// checkAccounts keeps the console usable: an administrator remains, and
// the user making the change keeps their account and role.
func checkAccounts(cur, next *config.Config, self string) error {
	admins := 0
	for _, u := range next.Users {
		if u.Role == config.RoleAdmin {
			admins++
		}
	}
	if admins == 0 {
		return &RuleError{Field: "users",
			IT: "serve almeno un amministratore: senza, nessuno potrebbe più cambiare la configurazione",
			EN: "at least one administrator must remain: without one, nobody could change the configuration again"}
	}
	if self == "" {
		return nil
	}
	was := cur.User(self)
	if was == nil {
		return nil
	}
	u := next.User(self)
	switch {
	case u == nil:
		return &RuleError{Field: "users", IT: "non puoi eliminare il tuo stesso utente: chiedilo a un altro amministratore",
			EN: "you cannot delete your own user: ask another administrator"}
	case u.Role != was.Role:
		return &RuleError{Field: "users", IT: "non puoi cambiare il tuo stesso ruolo: chiedilo a un altro amministratore",
			EN: "you cannot change your own role: ask another administrator"}
	}
	return nil
}

// Clone returns a deep copy of cfg to edit, read back from its text.
func Clone(cfg *config.Config) (*config.Config, error) {
	text, err := config.Encode(cfg)
	if err != nil {
		return nil, err
	}
	c, err := config.Parse(text)
	if err != nil {
		return nil, err
	}
	c.Version, c.Demo, c.Source = cfg.Version, cfg.Demo, cfg.Source
	return c, nil
}
