package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"turno/server/config"
	"turno/server/web"
)

// quickPasswords gives the demo users the same password ("demo") hashed at
// bcrypt's lowest cost, so that tests making many checks stay quick under
// the race detector; the throttle counts checks, not their cost.
func quickPasswords(t *testing.T, cfg *config.Config) *config.Config {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("demo"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cfg.Users {
		cfg.Users[i].PasswordHash = string(hash)
	}
	return cfg
}

// quickOffice is newOffice with quickPasswords.
func quickOffice(t *testing.T) *office {
	return start(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: tuesday("09:00")}, quickPasswords(t, demo(t)))
}

// behindProxy is an office whose HTTP front is a reverse proxy on the
// loopback: the client's address is the one the proxy forwards, so a test
// can log in from several machines.
func behindProxy(t *testing.T) *office {
	t.Helper()
	proxy := netip.MustParsePrefix("127.0.0.0/8")
	return start(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: tuesday("09:00")}, quickPasswords(t, demo(t)),
		func(o *web.Options) { o.TrustedProxies = []netip.Prefix{proxy} })
}

// loginFrom logs in as if from the machine at addr (via the proxy).
func (o *office) loginFrom(addr, user, password string) (int, []byte) {
	o.t.Helper()
	body, _ := json.Marshal(map[string]string{"user": user, "password": password})
	req, err := http.NewRequest("POST", o.http.URL+"/api/v1/login", bytes.NewReader(body))
	if err != nil {
		o.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
		o.t.Fatalf("a 429 without Retry-After: %s", buf.Bytes())
	}
	return resp.StatusCode, buf.Bytes()
}

// Guesses sent all at once used to pass the lock's check together, before
// any of them had failed: 99 wrong passwords all got 401 and the right one
// then got in. Each attempt is now reserved before its password is checked.
func TestParallelGuessesAreCountedBeforeTheCheck(t *testing.T) {
	o := quickOffice(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 99 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, data := o.do("", "POST", "/api/v1/login", map[string]string{"user": "mario", "password": "guess"})
			if status != 401 && (status != 429 || errorCode(t, data) != "too_many_attempts") {
				t.Errorf("got %d %s", status, data)
			}
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[401] > 5 || statuses[401]+statuses[429] != 99 {
		t.Fatalf("got %v: want at most 5 passwords checked and the rest refused with 429", statuses)
	}
	status, data := o.do("", "POST", "/api/v1/login", map[string]string{"user": "mario", "password": "demo"})
	if status != 429 {
		t.Fatalf("the right password after 99 guesses: got %d %s, want 429", status, data)
	}
}

// A stranger guessing mario's password pauses mario's logins from other
// machines, but not from the machine mario logged in from before: nobody
// can keep a clerk locked out of the counter.
func TestAStrangerCannotLockAClerkOut(t *testing.T) {
	o := behindProxy(t)
	const counterPC, stranger, otherPC = "10.0.0.11", "192.168.7.66", "10.0.0.12"
	if status, data := o.loginFrom(counterPC, "mario", "demo"); status != 200 {
		t.Fatalf("mario at the counter: got %d %s", status, data)
	}
	for i := range 5 {
		if status, data := o.loginFrom(stranger, "mario", "guess"); status != 401 {
			t.Fatalf("guess %d: got %d %s", i+1, status, data)
		}
	}
	status, data := o.loginFrom(stranger, "mario", "guess")
	if status != 429 || !bytes.Contains(data, []byte("09:01:00")) {
		t.Fatalf("sixth guess: got %d %s, want 429 until 09:01:00", status, data)
	}
	// The lock holds from a machine mario never used...
	if status, data := o.loginFrom(otherPC, "mario", "demo"); status != 429 {
		t.Fatalf("mario from a new machine: got %d %s, want 429", status, data)
	}
	// ...but not at his counter, for as long as the stranger keeps guessing.
	for minute := range 10 {
		o.clock.Add(time.Minute)
		if status, _ := o.loginFrom(stranger, "mario", "guess"); status != 401 {
			t.Fatalf("minute %d: the stranger's guess got %d, want one checked a minute", minute, status)
		}
		if status, data := o.loginFrom(counterPC, "mario", "demo"); status != 200 {
			t.Fatalf("minute %d: mario at the counter: got %d %s", minute, status, data)
		}
	}
	// Other users are not held up by the lock on mario.
	if status, data := o.loginFrom(otherPC, "giulia", "demo"); status != 200 {
		t.Fatalf("giulia: got %d %s", status, data)
	}
}

// One address cannot try user after user: its own budget runs out, whoever
// it guesses at, and comes back one attempt every 30 seconds.
func TestOneAddressCannotGuessAcrossUsers(t *testing.T) {
	o := behindProxy(t)
	const stranger = "192.168.7.66"
	users := []string{"mario", "giulia", "anna", "luca", "admin", "sara", "paolo", "marco", "elena", "nobody"}
	for i, u := range users {
		if status, data := o.loginFrom(stranger, u, "guess"); status != 401 {
			t.Fatalf("guess %d (%s): got %d %s", i+1, u, status, data)
		}
	}
	status, data := o.loginFrom(stranger, "root", "guess")
	if status != 429 || !strings.Contains(string(data), "address") {
		t.Fatalf("eleventh guess: got %d %s, want 429 for the address", status, data)
	}
	// The right password of a user not locked is refused from there too...
	if status, _ := o.loginFrom(stranger, "giulia", "demo"); status != 429 {
		t.Fatalf("from the guessing address: got %d, want 429", status)
	}
	// ...but nobody else is held up, and 30 s later the address has one try.
	if status, data := o.loginFrom("10.0.0.11", "giulia", "demo"); status != 200 {
		t.Fatalf("giulia elsewhere: got %d %s", status, data)
	}
	o.clock.Add(30 * time.Second)
	if status, data := o.loginFrom(stranger, "giulia", "demo"); status != 200 {
		t.Fatalf("30 s later: got %d %s", status, data)
	}
}

// Without a trusted proxy configured, X-Forwarded-For is the client's word
// and changes nothing: a guesser cannot pose as the clerk's machine.
func TestForwardedForIsIgnoredWithoutATrustedProxy(t *testing.T) {
	o := quickOffice(t)
	for i := range 10 {
		if status, _ := o.loginFrom(fmt.Sprintf("10.0.0.%d", i+1), []string{"mario", "anna"}[i%2], "guess"); status != 401 {
			t.Fatalf("guess %d: got %d, want 401", i+1, status)
		}
	}
	if status, data := o.loginFrom("10.0.0.99", "giulia", "demo"); status != 429 {
		t.Fatalf("got %d %s: a forged X-Forwarded-For gave a fresh budget", status, data)
	}
}
