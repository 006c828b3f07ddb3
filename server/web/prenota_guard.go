package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Slots are a public good, and booking systems elsewhere have had theirs
// grabbed by bots and resold. Besides the domain's limit per contact, the
// booking page limits what one client address does in an hour (bookings,
// one-time codes sent) and what one contact is sent, and, when the office
// asks for it (verify_contact), has the citizen type back a code sent to
// the contact. An address is the client's as the login's limits count it
// (clientAddr: behind a trusted proxy, the one X-Forwarded-For names). The
// limits live in memory: a restart forgets them, which gives a bot one
// more hour's worth at most.

const (
	limitWindow = time.Hour
	// Codes a contact may be sent, and an address may have sent, in an
	// hour: a citizen who mistypes the address asks again once or twice.
	codesPerContact = 3
	codesPerAddress = 10
	// A one-time code: six digits, valid ten minutes, five tries.
	codeDigits   = 6
	codeTTL      = 10 * time.Minute
	codeAttempts = 5
	// formTTL is how long a form may stay open before it is renewed: a
	// phone keeps a tab open for days.
	formTTL = 24 * time.Hour
	// formCookie holds the browser's random value that form tokens are
	// bound to (double submit): a page of another site can make a browser
	// post to us, but cannot read this cookie or a token made from it, and
	// SameSite keeps the browser from sending it with that post anyway.
	formCookie = "turno_form"
	// guardPruneAbove is when the maps are swept of what no longer counts.
	guardPruneAbove = 10000
)

// citizenGuard holds the booking page's limits, its pending one-time codes
// and the secret of its form tokens.
type citizenGuard struct {
	secret []byte

	mu         sync.Mutex
	bookings   window // per address
	byContact  window // codes sent per contact
	byAddress  window // codes sent per address
	codes      map[string]*pendingCode
	codesPrune int
}

func newCitizenGuard(bookingsPerHour int) (*citizenGuard, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	return &citizenGuard{
		secret:     secret,
		bookings:   newWindow(bookingsPerHour),
		byContact:  newWindow(codesPerContact),
		byAddress:  newWindow(codesPerAddress),
		codes:      map[string]*pendingCode{},
		codesPrune: guardPruneAbove,
	}, nil
}

// window counts events per key (an address, a contact) over the last
// limitWindow. An event may carry a form's key: the same form sent twice
// at once (a double click) counts once.
type window struct {
	limit   int
	m       map[string][]event
	pruneAt int
}

type event struct {
	at   time.Time
	form string
}

func newWindow(limit int) window {
	return window{limit: limit, m: map[string][]event{}, pruneAt: guardPruneAbove}
}

// recent returns key's events within the window at now, and keeps only
// those.
func (w *window) recent(key string, now time.Time) []event {
	es := w.m[key]
	i := 0
	for i < len(es) && !es[i].at.After(now.Add(-limitWindow)) {
		i++
	}
	es = es[i:]
	if len(es) == 0 {
		delete(w.m, key)
		return nil
	}
	w.m[key] = es
	return es
}

// take records an event of form for key at now if the limit allows it;
// added is false when the form already holds one. Refused, it returns
// when the next event will be allowed.
func (w *window) take(key, form string, now time.Time) (ok, added bool, until time.Time) {
	es := w.recent(key, now)
	for _, e := range es {
		if form != "" && e.form == form {
			return true, false, time.Time{}
		}
	}
	if len(es) >= w.limit {
		return false, false, es[len(es)-w.limit].at.Add(limitWindow)
	}
	if len(w.m) >= w.pruneAt {
		for k := range w.m {
			w.recent(k, now)
		}
		w.pruneAt = max(guardPruneAbove, 2*len(w.m))
	}
	w.m[key] = append(es, event{at: now, form: form})
	return true, true, time.Time{}
}

// give takes back form's event for key (a booking that failed, or that
// the domain found already made).
func (w *window) give(key, form string) {
	es := w.m[key]
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].form == form {
			w.m[key] = append(es[:i:i], es[i+1:]...)
			return
		}
	}
}

// reserveBooking counts a booking from addr by the form key, or says when
// the address may book again. added says whether this request holds the
// reservation (and must give it back if it books nothing).
func (g *citizenGuard) reserveBooking(addr, form string, now time.Time) (ok, added bool, until time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.bookings.take(addr, form, now)
}

// bookingAllowed says whether addr may book with form now, changing
// nothing: no code is sent for a booking the address may not make.
func (g *citizenGuard) bookingAllowed(addr, form string, now time.Time) (bool, time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	es := g.bookings.recent(addr, now)
	for _, e := range es {
		if e.form == form {
			return true, time.Time{}
		}
	}
	if len(es) >= g.bookings.limit {
		return false, es[len(es)-g.bookings.limit].at.Add(limitWindow)
	}
	return true, time.Time{}
}

func (g *citizenGuard) releaseBooking(addr, form string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.bookings.give(addr, form)
}

// pendingCode is the one code a contact may have pending.
type pendingCode struct {
	key      string   // the form it was sent for
	sum      [32]byte // the code's MAC: the code itself is kept nowhere
	expires  time.Time
	attempts int
	verified bool
}

// codeLimit says which limit refused a code.
type codeLimit struct {
	contact bool // else the address
	until   time.Time
}

// newCode makes a code for contact, for the form key, replacing any code
// pending for the contact; or refuses when the contact or the address had
// enough codes this hour.
func (g *citizenGuard) newCode(contact, key, addr string, now time.Time) (string, *codeLimit, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", nil, err
	}
	code := strconv.Itoa(int(n.Int64()) + 1_000_000)[1:] // six digits, leading zeros kept
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.byContact.recent(contact, now)) >= codesPerContact {
		_, _, until := g.byContact.take(contact, "", now)
		return "", &codeLimit{contact: true, until: until}, nil
	}
	if ok, _, until := g.byAddress.take(addr, "", now); !ok {
		return "", &codeLimit{until: until}, nil
	}
	g.byContact.take(contact, "", now)
	if len(g.codes) >= g.codesPrune {
		for c, p := range g.codes {
			if !now.Before(p.expires) {
				delete(g.codes, c)
			}
		}
		g.codesPrune = max(guardPruneAbove, 2*len(g.codes))
	}
	g.codes[contact] = &pendingCode{key: key, sum: g.codeMAC(contact, key, code), expires: now.Add(codeTTL)}
	return code, nil, nil
}

// dropCode forgets the code pending for contact (a booking made, or a
// code that could not be sent).
func (g *citizenGuard) dropCode(contact string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.codes, contact)
}

// Results of checking a code.
type codeCheck int

const (
	codeOK      codeCheck = iota
	codeWrong             // wrong, attempts remain
	codeLocked            // wrong too many times
	codeExpired           // expired, or none pending for this form
)

// checkCode checks the code typed for contact on form key. A right code
// verifies the contact for that form for codeTTL more, time enough to
// choose another slot if the chosen one was taken meanwhile.
func (g *citizenGuard) checkCode(contact, key, code string, now time.Time) (codeCheck, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.codes[contact]
	switch {
	case p == nil || p.key != key || !now.Before(p.expires):
		return codeExpired, 0
	case p.attempts >= codeAttempts:
		return codeLocked, 0
	case p.verified:
		return codeOK, 0
	}
	sum := g.codeMAC(contact, key, code)
	if !hmac.Equal(sum[:], p.sum[:]) {
		p.attempts++
		if p.attempts >= codeAttempts {
			return codeLocked, 0
		}
		return codeWrong, codeAttempts - p.attempts
	}
	p.verified, p.expires = true, now.Add(codeTTL)
	return codeOK, 0
}

// verified reports whether contact typed back its code for form key.
func (g *citizenGuard) verified(contact, key string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.codes[contact]
	return p != nil && p.verified && p.key == key && now.Before(p.expires)
}

func (g *citizenGuard) codeMAC(contact, key, code string) [32]byte {
	m := hmac.New(sha256.New, g.secret)
	m.Write([]byte("code\x00" + contact + "\x00" + key + "\x00" + code))
	var out [32]byte
	copy(out[:], m.Sum(nil))
	return out
}

// formToken binds a form (its key: the booking request's idempotency key,
// or the booking's id for a cancellation) to the browser's cookie value
// and to when the form was made.
func (g *citizenGuard) formToken(nonce, key string, now time.Time) string {
	issued := strconv.FormatInt(now.Unix(), 10)
	return issued + "." + g.tokenMAC(nonce, key, issued)
}

func (g *citizenGuard) tokenMAC(nonce, key, issued string) string {
	m := hmac.New(sha256.New, g.secret)
	m.Write([]byte("form\x00" + nonce + "\x00" + key + "\x00" + issued))
	return hex.EncodeToString(m.Sum(nil))
}

// Why a form's token is refused.
var (
	errNoCookie    = errors.New("the form cookie is missing")
	errFormExpired = errors.New("the form is too old, or not ours")
)

// checkToken checks a posted form's token against the browser's cookie.
func (g *citizenGuard) checkToken(r *http.Request, key, token string, now time.Time) error {
	c, err := r.Cookie(formCookie)
	if err != nil || !validNonce(c.Value) {
		return errNoCookie
	}
	issued, mac, ok := strings.Cut(token, ".")
	if !ok {
		return errFormExpired
	}
	t, err := strconv.ParseInt(issued, 10, 64)
	if err != nil {
		return errFormExpired
	}
	if age := now.Sub(time.Unix(t, 0)); age < -time.Minute || age > formTTL {
		return errFormExpired
	}
	if !hmac.Equal([]byte(mac), []byte(g.tokenMAC(c.Value, key, issued))) {
		return errFormExpired
	}
	return nil
}

func validNonce(s string) bool { return len(s) == 32 && isHex(s) }

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// formNonce returns the browser's form cookie value, setting a new one
// when it has none.
func formNonce(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(formCookie); err == nil && validNonce(c.Value) {
		return c.Value
	}
	nonce := randomHex()
	http.SetCookie(w, &http.Cookie{Name: formCookie, Value: nonce, Path: "/prenota", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	return nonce
}

// randomHex returns 128 random bits in hex.
func randomHex() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("web: no randomness: " + err.Error()) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b[:])
}
