package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Login throttling. Guessing is limited twice, and neither limit lets a
// stranger lock a clerk out:
//
//   - per client address (userBudget's sibling addrBudget): 10 password
//     checks, then one every 30 s, whatever the user names tried. A guesser
//     cannot try user after user, and holds up nobody but its own machine.
//   - per user (userBudget): 5 checks, then one a minute, whatever the
//     addresses. Guessing one clerk's password from many machines is as slow
//     as from one. This lock is the one a stranger could keep closed, so it
//     does not apply at an address where that user logged in successfully in
//     the last 30 days (the clerk's own counter computer): there only the
//     address's budget counts.
//
// An attempt is reserved before its password is checked and given back when
// the password is right, so guesses sent all at once are counted like
// guesses sent one by one: of 99 parallel wrong passwords at most 5 are
// checked. Budgets live in memory: a restart forgets them, and the trusted
// addresses with them (the clerk's next login makes the machine trusted
// again). Time is the server's injected clock.
//
// Behind a reverse proxy the address is the connection's peer unless that
// peer is a configured trusted proxy (Options.TrustedProxies, the server's
// -trusted-proxy flag); then X-Forwarded-For names the client.

type budget struct {
	burst int           // attempts allowed in a row
	every time.Duration // one more attempt after each of these
}

var (
	userBudget = budget{burst: 5, every: time.Minute}
	addrBudget = budget{burst: 10, every: 30 * time.Second}
)

const (
	trustFor       = 30 * 24 * time.Hour
	maxLoginChecks = 2 // bcrypt checks at once: guessing cannot take the office's CPU
	pruneAbove     = 10000
)

// bucket is a token bucket: level attempts left at the time at.
type bucket struct {
	tokens float64
	at     time.Time
}

func (b *bucket) level(bu budget, now time.Time) float64 {
	elapsed := max(now.Sub(b.at), 0) // a clock set back gives nothing back
	return min(float64(bu.burst), b.tokens+float64(elapsed)/float64(bu.every))
}

func (b *bucket) set(level float64, now time.Time) { b.tokens, b.at = level, now }

// until is when the bucket next holds a whole attempt.
func (b *bucket) until(bu budget, now time.Time) time.Time {
	missing := 1 - b.level(bu, now)
	return now.Add(time.Duration(missing * float64(bu.every))).Round(time.Second)
}

// buckets is one budget's buckets by key; full ones are forgotten when the
// map grows, so made-up names and addresses cost no memory for long.
type buckets struct {
	budget
	m       map[string]*bucket
	pruneAt int
}

func newBuckets(bu budget) *buckets {
	return &buckets{budget: bu, m: map[string]*bucket{}, pruneAt: pruneAbove}
}

// get returns key's bucket, nil when it is full (never used, or refilled).
func (bs *buckets) get(key string, now time.Time) *bucket {
	b := bs.m[key]
	if b != nil && b.level(bs.budget, now) >= float64(bs.burst) {
		delete(bs.m, key)
		return nil
	}
	return b
}

func (bs *buckets) level(key string, now time.Time) float64 {
	if b := bs.get(key, now); b != nil {
		return b.level(bs.budget, now)
	}
	return float64(bs.burst)
}

func (bs *buckets) add(key string, delta float64, now time.Time) {
	b := bs.get(key, now)
	if b == nil {
		if len(bs.m) >= bs.pruneAt {
			for k, o := range bs.m {
				if o.level(bs.budget, now) >= float64(bs.burst) {
					delete(bs.m, k)
				}
			}
			bs.pruneAt = max(pruneAbove, 2*len(bs.m))
		}
		b = &bucket{tokens: float64(bs.burst), at: now}
		bs.m[key] = b
	}
	b.set(min(float64(bs.burst), b.level(bs.budget, now)+delta), now)
}

type trustKey struct{ user, addr string }

// loginGuard holds the budgets (see the top of this file).
type loginGuard struct {
	checks  chan struct{}
	mu      sync.Mutex
	users   *buckets
	addrs   *buckets
	trusted map[trustKey]time.Time // last successful login of user at addr
}

func newLoginGuard() *loginGuard {
	return &loginGuard{
		checks: make(chan struct{}, maxLoginChecks),
		users:  newBuckets(userBudget), addrs: newBuckets(addrBudget),
		trusted: map[trustKey]time.Time{},
	}
}

// attempt is a reserved password check.
type attempt struct {
	user, addr string
	tookUser   bool
}

// refusal says which budget is spent and until when.
type refusal struct {
	address bool
	until   time.Time
}

// reserve takes an attempt from the address's budget and, unless the
// address is trusted for the user, from the user's; or says why not.
func (g *loginGuard) reserve(user, addr string, now time.Time) (*attempt, *refusal) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.addrs.level(addr, now) < 1 {
		return nil, &refusal{address: true, until: g.addrs.get(addr, now).until(addrBudget, now)}
	}
	trusted := false
	if at, ok := g.trusted[trustKey{user, addr}]; ok && now.Sub(at) < trustFor {
		trusted = true
	}
	userLeft := g.users.level(user, now) >= 1
	if !userLeft && !trusted {
		return nil, &refusal{until: g.users.get(user, now).until(userBudget, now)}
	}
	g.addrs.add(addr, -1, now)
	if userLeft { // a trusted address's failures count too, when there is a budget to count them in
		g.users.add(user, -1, now)
	}
	return &attempt{user: user, addr: addr, tookUser: userLeft}, nil
}

// release gives a reserved attempt back: the password was right, or it was
// never checked.
func (g *loginGuard) release(a *attempt, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.addrs.add(a.addr, 1, now)
	if a.tookUser {
		g.users.add(a.user, 1, now)
	}
}

// succeeded releases the attempt and trusts the address for the user.
func (g *loginGuard) succeeded(a *attempt, now time.Time) {
	g.release(a, now)
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.trusted) >= pruneAbove {
		for k, at := range g.trusted {
			if now.Sub(at) >= trustFor {
				delete(g.trusted, k)
			}
		}
	}
	g.trusted[trustKey{a.user, a.addr}] = now
}

// spent reports whether a failed attempt used up the last of the user's or
// the address's budget, for the log.
func (g *loginGuard) spent(a *attempt, now time.Time) (user, addr bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return a.tookUser && g.users.level(a.user, now) < 1, g.addrs.level(a.addr, now) < 1
}

// tooManyAttempts answers a refused login, with Retry-After.
func (s *Server) tooManyAttempts(w http.ResponseWriter, user, addr string, r *refusal, now time.Time) error {
	w.Header().Set("Retry-After", fmt.Sprint(max(1, int(r.until.Sub(now).Round(time.Second)/time.Second))))
	at := r.until.In(s.cfg().Office.Location).Format("15:04:05")
	if r.address {
		return errorf(http.StatusTooManyRequests, "too_many_attempts",
			"too many wrong passwords from this address (%s): try again after %s", addr, at)
	}
	return errorf(http.StatusTooManyRequests, "too_many_attempts",
		"too many wrong passwords for %q: try again after %s, or from a computer where %q has logged in before", user, at, user)
}

// clientAddr is the address of the machine that sent r, as the login's
// budgets count it: the connection's peer or, when the peer is a trusted
// proxy, the last address in X-Forwarded-For that is not a trusted proxy
// itself (the client can write anything to the left of it, but not that).
// IPv6 addresses count by their /64, which one machine usually owns whole.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr // not a TCP peer (tests, a unix socket): one budget for them all
	}
	addr := ap.Addr().Unmap().WithZone("")
	if isTrusted(addr, trusted) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // unreadable: keep the last proxy's own address
			}
			addr = hop.Unmap().WithZone("")
			if !isTrusted(addr, trusted) {
				break
			}
		}
	}
	if addr.Is6() {
		return netip.PrefixFrom(addr, 64).Masked().String()
	}
	return addr.String()
}

func isTrusted(addr netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads the -trusted-proxy flag: addresses or CIDR
// prefixes separated by commas ("10.0.0.5, 192.168.1.0/24"); "" is none.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither an address nor a prefix like 10.0.0.0/8", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
