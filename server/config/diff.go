package config

import (
	"strings"
	"sync/atomic"
)

// Current is the configuration in force, shared by the parts of the server
// that read it (the API, the stream's views, the reports) while the
// administration console replaces it. A reader loads it once per request,
// so one answer never mixes two versions.
type Current struct {
	p atomic.Pointer[Config]
}

// NewCurrent returns a holder of c.
func NewCurrent(c *Config) *Current {
	cur := &Current{}
	cur.p.Store(c)
	return cur
}

// Load returns the configuration in force. It must not be modified.
func (c *Current) Load() *Config { return c.p.Load() }

// Store puts cfg in force.
func (c *Current) Store(cfg *Config) { c.p.Store(cfg) }

// Change kinds.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Change is one difference between two versions of the configuration, as
// the audit log shows it: a table of the file (Section: "office",
// "services[anagrafe]", "users[mario]") and one of its fields, with the
// values as the file writes them ("" where the field is absent).
type Change struct {
	Kind    string `json:"kind"`
	Section string `json:"section"`
	Field   string `json:"field"`
	Before  string `json:"before,omitempty"`
	After   string `json:"after,omitempty"`
	// Secret is a password hash or a device token: its values are never
	// shown, only that it changed.
	Secret bool `json:"secret,omitempty"`
}

// secret reports whether a field's value must not be shown.
func secret(key string) bool {
	return key == "password_hash" || key == "demo_password" || key == "token"
}

// Diff lists what changed from before to after, table by table in the
// order of after's file (removed tables last), field by field. A table
// added or removed lists every field it had.
func Diff(before, after *Config) ([]Change, error) {
	b, err := sections(before)
	if err != nil {
		return nil, err
	}
	a, err := sections(after)
	if err != nil {
		return nil, err
	}
	old := make(map[string]section, len(b))
	for _, s := range b {
		old[s.id] = s
	}
	var out []Change
	add := func(kind, sec, key, before, after string) {
		c := Change{Kind: kind, Section: sec, Field: key, Before: before, After: after}
		if secret(key) {
			c.Secret, c.Before, c.After = true, "", ""
		}
		out = append(out, c)
	}
	seen := map[string]bool{}
	for _, s := range a {
		seen[s.id] = true
		prev, ok := old[s.id]
		if !ok {
			for _, f := range s.fields {
				add(Added, s.id, f.key, "", f.value)
			}
			if len(s.fields) == 0 {
				add(Added, s.id, "", "", "")
			}
			continue
		}
		was := map[string]string{}
		for _, f := range prev.fields {
			was[f.key] = f.value
		}
		is := map[string]bool{}
		for _, f := range s.fields {
			is[f.key] = true
			switch v, ok := was[f.key]; {
			case !ok:
				add(Added, s.id, f.key, "", f.value)
			case v != f.value:
				add(Changed, s.id, f.key, v, f.value)
			}
		}
		for _, f := range prev.fields {
			if !is[f.key] {
				add(Removed, s.id, f.key, f.value, "")
			}
		}
	}
	for _, s := range b {
		if seen[s.id] {
			continue
		}
		for _, f := range s.fields {
			add(Removed, s.id, f.key, f.value, "")
		}
		if len(s.fields) == 0 {
			add(Removed, s.id, "", "", "")
		}
	}
	return out, nil
}

// Unquote returns a value of a Change as a person reads it: a plain string
// without its quotes and escapes; anything else (lists, tables, numbers) as
// the file writes it.
func Unquote(v string) string {
	if len(v) >= 6 && strings.HasPrefix(v, `"""`) && strings.HasSuffix(v, `"""`) {
		return unescape(strings.TrimSuffix(strings.TrimPrefix(v[3:len(v)-3], "\n"), "\n"))
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return unescape(v[1 : len(v)-1])
	}
	return v
}

// unescape undoes str's escapes for display.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\n`, "\n", `\r`, "\r", `\t`, "\t").Replace(s)
}
