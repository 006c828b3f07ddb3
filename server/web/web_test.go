package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"turno/assets"
	"turno/server/config"
	"turno/server/live"
	"turno/server/queue"
	"turno/server/store"
	"turno/server/web"
)

const kioskToken = "demo-kiosk-token"

// clock is the injected time of a test office.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var rome, _ = time.LoadLocation("Europe/Rome")

// tuesday is a working day of the demo office, with an afternoon opening.
func tuesday(hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", "2026-11-24 "+hhmm, rome)
	if err != nil {
		panic(err)
	}
	return t
}

// office is a real server on a real bbolt file, over real HTTP.
type office struct {
	t      testing.TB
	clock  *clock
	path   string
	cfg    *config.Config
	db     *store.Store
	live   *live.Office
	http   *httptest.Server
	tokens map[string]string
}

// start runs an office on the database at path; opts adjust the web
// server's options (e.g. its public URL).
func start(t testing.TB, path string, clk *clock, cfg *config.Config, opts ...func(*web.Options)) *office {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lo, err := live.Open(&cfg.Office, db, live.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	wopt := web.Options{Config: cfg, Office: lo, Store: db, Now: clk.Now}
	for _, o := range opts {
		o(&wopt)
	}
	api, err := web.New(wopt)
	if err != nil {
		t.Fatal(err)
	}
	o := &office{t: t, clock: clk, path: path, cfg: cfg, db: db, live: lo, http: httptest.NewServer(api), tokens: map[string]string{}}
	t.Cleanup(o.stop)
	return o
}

func demo(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newOffice(t testing.TB, now time.Time) *office {
	return start(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: now}, demo(t))
}

func (o *office) stop() {
	if o.http == nil {
		return
	}
	o.http.Close()
	o.live.Close()
	o.db.Close()
	o.http = nil
}

// restart stops the server and starts a new one on the same file.
func (o *office) restart() *office {
	o.stop()
	n := start(o.t, o.path, o.clock, o.cfg)
	n.tokens = o.tokens
	return n
}

// token logs a demo user in once (password "demo").
func (o *office) token(user string) string {
	o.t.Helper()
	if tok, ok := o.tokens[user]; ok {
		return tok
	}
	var resp struct{ Token string }
	o.mustDo("", "POST", "/api/v1/login", map[string]string{"user": user, "password": "demo"}, 200, &resp)
	o.tokens[user] = resp.Token
	return resp.Token
}

// do sends a request; body may be a string (sent raw) or a value (as JSON).
func (o *office) do(token, method, path string, body any) (int, []byte) {
	o.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			o.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, o.http.URL+path, r)
	if err != nil {
		o.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		o.t.Fatal(err)
	}
	return resp.StatusCode, data
}

func (o *office) mustDo(token, method, path string, body any, wantStatus int, out any) {
	o.t.Helper()
	status, data := o.do(token, method, path, body)
	if status != wantStatus {
		o.t.Fatalf("%s %s: got %d %s, want %d", method, path, status, data, wantStatus)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			o.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
}

type ticketJSON struct {
	ID            string `json:"id"`
	Number        string `json:"number"`
	Service       string `json:"service"`
	Status        string `json:"status"`
	Counter       string `json:"counter"`
	CounterName   string `json:"counter_name"`
	Protocol      string `json:"protocol"`
	Ahead         *int   `json:"ahead"`
	EstimatedWait *int   `json:"estimated_wait_s"`
}

type resultJSON struct {
	Ticket  *ticketJSON `json:"ticket"`
	Counter struct {
		ID      string `json:"id"`
		State   string `json:"state"`
		Current string `json:"current"`
	} `json:"counter"`
}

func (o *office) issue(service string, priority bool) ticketJSON {
	o.t.Helper()
	var tk ticketJSON
	o.mustDo(kioskToken, "POST", "/api/v1/tickets", map[string]any{"service": service, "priority": priority}, 201, &tk)
	return tk
}

func (o *office) counter(user, id, action string, body any) resultJSON {
	o.t.Helper()
	var res resultJSON
	o.mustDo(o.token(user), "POST", "/api/v1/counters/"+id+"/"+action, body, 200, &res)
	return res
}

func (o *office) seq() uint64 {
	o.t.Helper()
	var snap struct{ Seq uint64 }
	o.mustDo(o.token("admin"), "GET", "/api/v1/snapshot", nil, 200, &snap)
	return snap.Seq
}

func errorCode(t testing.TB, data []byte) string {
	t.Helper()
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(data, &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("not an error body: %s", data)
	}
	return body.Error.Code
}

func TestKioskIssuesClerkCallsAndFinishes(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	a1 := o.issue("anagrafe", false)
	if a1.Number != "A001" || a1.Status != "waiting" || a1.Ahead == nil || *a1.Ahead != 0 {
		t.Fatalf("got %+v", a1)
	}
	o.issue("anagrafe", false)
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe", "tributi"}})
	called := o.counter("mario", "1", "next", nil)
	if called.Ticket.Number != "A001" || called.Counter.Current != a1.ID {
		t.Fatalf("got %+v", called)
	}
	// The public page of the ticket shows where to go, and nothing private.
	var pub ticketJSON
	o.mustDo("", "GET", "/api/v1/tickets/"+a1.ID, nil, 200, &pub)
	if pub.Status != "called" || pub.CounterName != "Sportello 1" {
		t.Fatalf("got %+v", pub)
	}
	o.counter("mario", "1", "start", map[string]any{})
	o.clock.Add(7 * time.Minute)
	done := o.counter("mario", "1", "finish", map[string]any{"outcome": "forwarded", "case_ref": "ANA-12", "note": "cambio residenza"})
	if done.Ticket.Status != "done" || done.Counter.Current != "" {
		t.Fatalf("got %+v", done)
	}
	o.mustDo("", "GET", "/api/v1/tickets/"+a1.ID, nil, 200, &pub)
	if pub.Status != "done" {
		t.Fatalf("got %+v", pub)
	}
	// A002 is now first, and its estimate moves from the configured 10
	// minutes toward the measured 7.
	var services struct{ Services []queue.ServiceView }
	o.mustDo(kioskToken, "GET", "/api/v1/services", nil, 200, &services)
	if s := services.Services[0]; s.ID != "anagrafe" || s.Waiting != 1 || s.ServiceTime.D() <= 7*time.Minute || s.ServiceTime.D() >= 10*time.Minute || s.Stats.Forwarded != 1 {
		t.Fatalf("got %+v", s)
	}
}

func TestRolesAreEnforced(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	o.issue("anagrafe", false)
	for _, tc := range []struct {
		name, token, method, path string
		body                      any
		status                    int
		code                      string
	}{
		{"no token", "", "POST", "/api/v1/tickets", map[string]any{"service": "anagrafe"}, 401, "unauthorized"},
		{"bad token", "nope-nope-nope", "GET", "/api/v1/services", nil, 401, "unauthorized"},
		{"kiosk cannot call", kioskToken, "POST", "/api/v1/counters/1/next", nil, 403, "forbidden"},
		{"kiosk cannot read the snapshot", kioskToken, "GET", "/api/v1/snapshot", nil, 403, "forbidden"},
		{"display cannot issue", "demo-display-token", "POST", "/api/v1/tickets", map[string]any{"service": "anagrafe"}, 403, "forbidden"},
		{"clerk cannot lock", o.token("mario"), "POST", "/api/v1/services/anagrafe/lock", map[string]any{"reason": "x"}, 403, "forbidden"},
		{"clerk cannot back up", o.token("mario"), "GET", "/api/v1/backup", nil, 403, "forbidden"},
		{"backoffice cannot call", o.token("paolo"), "POST", "/api/v1/counters/1/next", nil, 403, "forbidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := o.seq()
			status, data := o.do(tc.token, tc.method, tc.path, tc.body)
			if status != tc.status || errorCode(t, data) != tc.code {
				t.Fatalf("got %d %s, want %d %s", status, data, tc.status, tc.code)
			}
			if after := o.seq(); after != before {
				t.Fatalf("state changed: seq %d -> %d", before, after)
			}
		})
	}
	// A clerk cannot work at another clerk's counter; the floor assistant can.
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	status, data := o.do(o.token("giulia"), "POST", "/api/v1/counters/1/next", nil)
	if status != 403 || errorCode(t, data) != "not_your_counter" {
		t.Fatalf("got %d %s", status, data)
	}
	o.counter("anna", "1", "pause", nil)
}

func TestLoginIsRefusedWithWrongCredentials(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	for _, body := range []map[string]string{{"user": "mario", "password": "wrong"}, {"user": "nobody", "password": "demo"}} {
		status, data := o.do("", "POST", "/api/v1/login", body)
		if status != 401 || errorCode(t, data) != "bad_credentials" {
			t.Fatalf("got %d %s", status, data)
		}
	}
	tok := o.token("mario")
	o.mustDo(tok, "POST", "/api/v1/logout", nil, 204, nil)
	if status, _ := o.do(tok, "GET", "/api/v1/services", nil); status != 401 {
		t.Fatalf("after logout: got %d, want 401", status)
	}
}

func TestMalformedRequestsChangeNothing(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	o.issue("anagrafe", false)
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	mario := o.token("mario")
	big := `{"service":"` + string(bytes.Repeat([]byte("x"), 20<<10)) + `"}`
	for _, tc := range []struct {
		name, token, method, path string
		body                      any
		status                    int
		code                      string
	}{
		{"empty body", kioskToken, "POST", "/api/v1/tickets", "", 400, "bad_json"},
		{"not JSON", kioskToken, "POST", "/api/v1/tickets", "service=anagrafe", 400, "bad_json"},
		{"truncated JSON", kioskToken, "POST", "/api/v1/tickets", `{"service":"anagrafe"`, 400, "bad_json"},
		{"two objects", kioskToken, "POST", "/api/v1/tickets", `{"service":"anagrafe"}{}`, 400, "bad_json"},
		{"array body", kioskToken, "POST", "/api/v1/tickets", `[1]`, 400, "wrong_type"},
		{"unknown field", kioskToken, "POST", "/api/v1/tickets", `{"service":"anagrafe","vip":true}`, 400, "unknown_field"},
		{"wrong type", kioskToken, "POST", "/api/v1/tickets", `{"service":"anagrafe","priority":"yes"}`, 400, "wrong_type"},
		{"oversized", kioskToken, "POST", "/api/v1/tickets", big, 413, "body_too_large"},
		{"missing service", kioskToken, "POST", "/api/v1/tickets", `{}`, 400, "invalid"},
		{"unknown service", kioskToken, "POST", "/api/v1/tickets", `{"service":"passaporti"}`, 404, "unknown_service"},
		{"unknown counter", mario, "POST", "/api/v1/counters/99/next", nil, 404, "unknown_counter"},
		{"unknown action", mario, "POST", "/api/v1/counters/1/dance", nil, 404, "unknown_action"},
		{"finish never called", mario, "POST", "/api/v1/counters/1/finish", `{"outcome":"resolved"}`, 409, "no_current_ticket"},
		{"bad outcome", mario, "POST", "/api/v1/counters/1/finish", `{"outcome":"maybe"}`, 400, "invalid"},
		{"call at a closed counter", mario, "POST", "/api/v1/counters/2/next", nil, 409, "counter_closed"},
		{"open with a service not served", mario, "POST", "/api/v1/counters/1/open", `{"services":["documenti"]}`, 400, "service_not_served"},
		{"open with no service", mario, "POST", "/api/v1/counters/1/open", `{"services":[]}`, 400, "invalid"},
		{"register at a standard counter", mario, "POST", "/api/v1/counters/1/register", `{"document":"x"}`, 409, "not_fasttrack"},
		{"reactivate unknown", mario, "POST", "/api/v1/counters/1/reactivate", `{"ticket":"Z999"}`, 404, "unknown_ticket"},
		{"body on next", mario, "POST", "/api/v1/counters/1/next", `{"now":1}`, 400, "unknown_field"},
		// Keys match exactly and once: Go's decoder alone would take "SERVICE"
		// for "service" and the last of two "service" keys.
		{"upper-case key", kioskToken, "POST", "/api/v1/tickets", `{"SERVICE":"anagrafe"}`, 400, "unknown_field"},
		{"capitalised key", kioskToken, "POST", "/api/v1/tickets", `{"Service":"anagrafe"}`, 400, "unknown_field"},
		{"duplicate key", kioskToken, "POST", "/api/v1/tickets", `{"service":"anagrafe","service":"tributi"}`, 400, "duplicate_field"},
		{"duplicate key, same value", kioskToken, "POST", "/api/v1/tickets", `{"service":"anagrafe","service":"anagrafe"}`, 400, "duplicate_field"},
		{"case-variant duplicate", mario, "POST", "/api/v1/counters/1/finish", `{"outcome":"resolved","Outcome":"forwarded"}`, 400, "unknown_field"},
		{"duplicate on an optional body", mario, "POST", "/api/v1/counters/1/close", `{"force":false,"force":true}`, 400, "duplicate_field"},
		{"password longer than bcrypt reads", "", "POST", "/api/v1/login", `{"user":"mario","password":"demo` + strings.Repeat("x", 69) + `"}`, 400, "invalid"},
		{"user name longer than any", "", "POST", "/api/v1/login", `{"user":"` + strings.Repeat("è", 65) + `","password":"demo"}`, 400, "invalid"},
		{"duplicate login field", "", "POST", "/api/v1/login", `{"user":"mario","user":"anna","password":"demo"}`, 400, "duplicate_field"},
		{"upper-case hall message", o.token("anna"), "POST", "/api/v1/hall/message", `{"TEXT":"x"}`, 400, "unknown_field"},
		{"invalid UTF-8", kioskToken, "POST", "/api/v1/tickets", "{\"service\":\"anagrafe\",\"idempotency_key\":\"k\xff\"}", 400, "invalid_utf8"},
		{"lone surrogate", kioskToken, "POST", "/api/v1/tickets", `{"service":"anagrafe","idempotency_key":"k\ud800"}`, 400, "invalid_utf8"},
		{"text content type", kioskToken, "POST", "/api/v1/tickets", nil, 415, "unsupported_media_type"},
		{"bad ticket id", "", "GET", "/api/v1/tickets/../../etc", nil, 404, "not_found"},
		{"unguessable id only", "", "GET", "/api/v1/tickets/A001", nil, 404, "unknown_ticket"},
		{"unknown endpoint", "", "GET", "/api/v1/nothing", nil, 404, "not_found"},
		{"wrong method", kioskToken, "DELETE", "/api/v1/tickets", nil, 405, "method_not_allowed"},
		{"lock without reason", o.token("anna"), "POST", "/api/v1/services/tributi/lock", `{}`, 400, "invalid"},
		{"unlock not locked", o.token("anna"), "POST", "/api/v1/services/tributi/unlock", nil, 409, "not_locked"},
		{"lock unknown service", o.token("anna"), "POST", "/api/v1/services/nope/lock", `{"reason":"x"}`, 404, "unknown_service"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := o.seq()
			var status int
			var data []byte
			if tc.name == "text content type" {
				req, _ := http.NewRequest("POST", o.http.URL+tc.path, bytes.NewBufferString(`{"service":"anagrafe"}`))
				req.Header.Set("Authorization", "Bearer "+tc.token)
				req.Header.Set("Content-Type", "text/plain")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				data, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
				status = resp.StatusCode
			} else {
				status, data = o.do(tc.token, tc.method, tc.path, tc.body)
			}
			if status != tc.status || errorCode(t, data) != tc.code {
				t.Fatalf("got %d %s, want %d %s", status, data, tc.status, tc.code)
			}
			if after := o.seq(); after != before {
				t.Fatalf("state changed: seq %d -> %d", before, after)
			}
		})
	}
}

func TestRefusalSaysWhyAndWhenAndIsCounted(t *testing.T) {
	o := newOffice(t, tuesday("12:10"))
	status, data := o.do(kioskToken, "POST", "/api/v1/tickets", map[string]any{"service": "anagrafe"})
	var body struct {
		Error struct {
			Code        string
			Message     string
			ReopensAt   time.Time `json:"reopens_at"`
			Appointment *bool
		}
	}
	if err := json.Unmarshal(data, &body); err != nil {
		t.Fatal(err)
	}
	if status != 409 || body.Error.Code != "cutoff_time" || !body.Error.ReopensAt.Equal(tuesday("15:00")) || body.Error.Appointment == nil || !*body.Error.Appointment {
		t.Fatalf("got %d %s", status, data)
	}
	var services struct{ Services []queue.ServiceView }
	o.mustDo(kioskToken, "GET", "/api/v1/services", nil, 200, &services)
	a := services.Services[0]
	if a.Status != "cutoff" || a.Refusal == nil || a.Refusal.Rule != "cutoff_time" || a.Stats.Turnaways != 1 {
		t.Fatalf("got %+v", a)
	}
}

func TestIdempotentIssueOverHTTP(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	body := map[string]any{"service": "tributi", "idempotency_key": "tap-7f3a"}
	var first, again ticketJSON
	o.mustDo(kioskToken, "POST", "/api/v1/tickets", body, 201, &first)
	o.mustDo(kioskToken, "POST", "/api/v1/tickets", body, 200, &again)
	if first.ID != again.ID || again.Number != "T001" {
		t.Fatalf("got %s then %s", first.Number, again.Number)
	}
	// The same key from the floor assistant is another request.
	var floor ticketJSON
	o.mustDo(o.token("anna"), "POST", "/api/v1/tickets", body, 201, &floor)
	if floor.Number != "T002" {
		t.Fatalf("got %s, want T002", floor.Number)
	}
}

func TestNumbersSurviveRestartAndSessionsToo(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	o.issue("anagrafe", false)
	o.issue("anagrafe", false)
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("mario", "1", "next", nil)
	o = o.restart()
	if n := o.issue("anagrafe", false).Number; n != "A003" {
		t.Fatalf("after restart: got %s, want A003", n)
	}
	// Mario's token still works and his counter is still on A001.
	res := o.counter("mario", "1", "finish", map[string]any{"outcome": "resolved"})
	if res.Ticket.Number != "A001" {
		t.Fatalf("got %+v", res.Ticket)
	}
	// The next morning starts again at 001, and yesterday's page still answers.
	o.clock.Set(tuesday("09:00").AddDate(0, 0, 1))
	if n := o.issue("anagrafe", false).Number; n != "A001" {
		t.Fatalf("next day: got %s, want A001", n)
	}
	o = o.restart()
	if n := o.issue("anagrafe", false).Number; n != "A002" {
		t.Fatalf("next day after restart: got %s, want A002", n)
	}
}

func TestConcurrentCallsNeverGiveATicketTwice(t *testing.T) {
	// The crowd is larger than the morning can serve: without the load
	// cut-off every ticket is issued, and every one must be called once.
	cfg := demo(t)
	for i := range cfg.Office.Services {
		cfg.Office.Services[i].CutoffOnLoad = false
	}
	o := start(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: tuesday("09:00")}, cfg)
	const tickets = 120
	var wg sync.WaitGroup
	for i := 0; i < tickets; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			service := []string{"anagrafe", "tributi"}[i%2]
			status, data := o.do(kioskToken, "POST", "/api/v1/tickets", map[string]any{"service": service})
			if status != 201 {
				t.Errorf("issue: got %d %s", status, data)
			}
		}(i)
	}
	wg.Wait()
	clerks := map[string]string{"1": "mario", "2": "giulia", "3": "luca", "4": "admin"}
	for id, user := range clerks {
		services := map[string][]string{"1": {"anagrafe", "tributi"}, "2": {"anagrafe", "tributi"}, "3": {"anagrafe"}, "4": {"tributi"}}[id]
		o.counter(user, id, "open", map[string]any{"services": services})
	}
	var mu sync.Mutex
	seen := map[string]string{}
	for id, user := range clerks {
		wg.Add(1)
		go func(id, token string) {
			defer wg.Done()
			for {
				status, data := o.do(token, "POST", "/api/v1/counters/"+id+"/next", nil)
				if status == 409 && errorCode(t, data) == "queue_empty" {
					return
				}
				var res resultJSON
				if status != 200 || json.Unmarshal(data, &res) != nil {
					t.Errorf("next at %s: got %d %s", id, status, data)
					return
				}
				mu.Lock()
				if other, dup := seen[res.Ticket.Number]; dup {
					t.Errorf("%s called by counters %s and %s", res.Ticket.Number, other, id)
				}
				seen[res.Ticket.Number] = id
				mu.Unlock()
				if status, data := o.do(token, "POST", "/api/v1/counters/"+id+"/finish", map[string]any{"outcome": "resolved"}); status != 200 {
					t.Errorf("finish at %s: got %d %s", id, status, data)
					return
				}
			}
		}(id, o.token(user))
	}
	wg.Wait()
	if len(seen) != tickets {
		t.Fatalf("got %d tickets called, want %d", len(seen), tickets)
	}
}

func TestFastTrackRegisterAndFloorActions(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	d := o.issue("documenti", false)
	o.counter("luca", "6", "open", map[string]any{"services": []string{"documenti"}})
	o.counter("luca", "6", "next", nil)
	res := o.counter("luca", "6", "register", map[string]any{"document": "Istanza cambio di residenza"})
	if res.Ticket.Protocol != "2026/000001" || res.Ticket.ID != d.ID {
		t.Fatalf("got %+v", res.Ticket)
	}
	anna := o.token("anna")
	// The floor assistant moves a citizen in the wrong queue to the fast lane.
	wrong := o.issue("tributi", false)
	var moved resultJSON
	o.mustDo(anna, "POST", "/api/v1/tickets/"+wrong.ID+"/move", map[string]any{"service": "documenti"}, 200, &moved)
	if moved.Ticket.Service != "documenti" || moved.Ticket.Number != wrong.Number {
		t.Fatalf("got %+v", moved.Ticket)
	}
	// And locks a numerator with a reason; the kiosk is refused with it.
	o.mustDo(anna, "POST", "/api/v1/services/sociali/lock", map[string]any{"reason": "assistente sociale assente"}, 200, nil)
	status, data := o.do(kioskToken, "POST", "/api/v1/tickets", map[string]any{"service": "sociali"})
	if status != 409 || errorCode(t, data) != "locked" || !bytes.Contains(data, []byte("assistente sociale assente")) {
		t.Fatalf("got %d %s", status, data)
	}
	o.mustDo(anna, "POST", "/api/v1/services/sociali/unlock", nil, 200, nil)
	o.issue("sociali", false)
}

func TestBackupIsAUsableDatabase(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	tk := o.issue("anagrafe", false)
	status, data := o.do(o.token("admin"), "GET", "/api/v1/backup", nil)
	if status != 200 {
		t.Fatalf("got %d", status)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Ticket(tk.ID)
	if err != nil || got.Number != "A001" {
		t.Fatalf("got %v %v", got, err)
	}
}

func TestHealth(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	var h struct {
		Status string
		Day    string
	}
	o.mustDo("", "GET", "/healthz", nil, 200, &h)
	if h.Status != "ok" || h.Day != "2026-11-24" {
		t.Fatalf("got %+v", h)
	}
}

func TestHallMessageAndContactsOverHTTP(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	anna := o.token("anna")
	var msg struct {
		HallMessage string `json:"hall_message"`
	}
	o.mustDo(anna, "POST", "/api/v1/hall/message", map[string]string{"text": "Sportello 2 chiuso fino alle 10"}, 200, &msg)
	if msg.HallMessage != "Sportello 2 chiuso fino alle 10" {
		t.Fatalf("got %+v", msg)
	}
	var c struct{ Contacts int }
	o.mustDo(anna, "POST", "/api/v1/contacts", map[string]string{"service": "tributi", "topic": "modulo TARI"}, 201, &c)
	o.mustDo(o.token("mario"), "POST", "/api/v1/contacts", nil, 201, &c)
	if c.Contacts != 2 {
		t.Fatalf("got %d contacts, want 2", c.Contacts)
	}
	var snap queue.Snapshot
	o.mustDo(o.token("admin"), "GET", "/api/v1/snapshot", nil, 200, &snap)
	if snap.HallMessage != msg.HallMessage || snap.Contacts != 2 || snap.Services[1].Stats.Contacts != 1 {
		t.Fatalf("got message %q, contacts %d, tributi %d", snap.HallMessage, snap.Contacts, snap.Services[1].Stats.Contacts)
	}
	for _, tc := range []struct {
		token, path string
		body        any
		status      int
		code        string
	}{
		{o.token("mario"), "/api/v1/hall/message", map[string]string{"text": "x"}, 403, "forbidden"},
		{kioskToken, "/api/v1/contacts", nil, 403, "forbidden"},
		{anna, "/api/v1/contacts", map[string]string{"service": "nope"}, 404, "unknown_service"},
		{anna, "/api/v1/hall/message", `{"text":1}`, 400, "wrong_type"},
	} {
		status, data := o.do(tc.token, "POST", tc.path, tc.body)
		if status != tc.status || errorCode(t, data) != tc.code {
			t.Fatalf("%s: got %d %s, want %d %s", tc.path, status, data, tc.status, tc.code)
		}
	}
}

func TestSessionsFollowTheConfigurationInForce(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	mario, giulia := o.token("mario"), o.token("giulia")
	// Restarted with mario made a floor assistant and giulia's password
	// changed: both must log in again.
	text := strings.Replace(string(assets.DemoOffice), "full_name = \"Mario Rossi\"\nrole = \"clerk\"", "full_name = \"Mario Rossi\"\nrole = \"floor\"", 1)
	hash, err := config.HashPassword("nuova")
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(text, "name = \"giulia\"")
	j := i + strings.Index(text[i:], "password_hash = \"")
	k := j + len("password_hash = \"") + strings.Index(text[j+len("password_hash = \""):], "\"")
	text = text[:j] + "password_hash = \"" + hash + text[k:]
	cfg, err := config.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	o.stop()
	o = start(t, o.path, o.clock, cfg)
	for name, tok := range map[string]string{"mario": mario, "giulia": giulia} {
		status, data := o.do(tok, "GET", "/api/v1/snapshot", nil)
		if status != 401 || errorCode(t, data) != "session_expired" {
			t.Fatalf("%s's old session: got %d %s", name, status, data)
		}
	}
	// Luca's account did not change: his session goes on.
	luca := o.token("luca")
	o.stop()
	o = start(t, o.path, o.clock, cfg)
	o.mustDo(luca, "GET", "/api/v1/snapshot", nil, 200, nil)
}

func TestDevicesSeeNoStaffNamesOrCaseFiles(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	body := map[string]any{"service": "anagrafe", "idempotency_key": "tap-1"}
	o.mustDo(kioskToken, "POST", "/api/v1/tickets", body, 201, nil)
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("mario", "1", "next", nil)
	o.counter("mario", "1", "finish", map[string]any{"outcome": "forwarded", "case_ref": "ANA-SECRET-1", "note": "situazione delicata"})
	o.mustDo(o.token("anna"), "POST", "/api/v1/services/sociali/lock", map[string]any{"reason": "assistente assente"}, 200, nil)
	// A retried tap finds its ticket finished: the kiosk gets it back,
	// without the case file.
	status, data := o.do(kioskToken, "POST", "/api/v1/tickets", body)
	if status != 200 {
		t.Fatalf("replay: got %d %s", status, data)
	}
	checks := map[string][]byte{"replay": data}
	_, checks["kiosk services"] = o.do(kioskToken, "GET", "/api/v1/services", nil)
	_, checks["display snapshot"] = o.do("demo-display-token", "GET", "/api/v1/snapshot", nil)
	for what, data := range checks {
		for _, private := range []string{"ANA-SECRET-1", "delicata", "mario", "anna"} {
			if bytes.Contains(data, []byte(private)) {
				t.Fatalf("%s shows %q: %s", what, private, data)
			}
		}
	}
	if !bytes.Contains(checks["kiosk services"], []byte("assistente assente")) {
		t.Fatalf("the kiosk must still read the lock's reason: %s", checks["kiosk services"])
	}
	// The same key for another service is a different request.
	status, data = o.do(kioskToken, "POST", "/api/v1/tickets", map[string]any{"service": "tributi", "idempotency_key": "tap-1"})
	if status != 409 || errorCode(t, data) != "idempotency_conflict" {
		t.Fatalf("got %d %s", status, data)
	}
}

func TestGuessingPasswordsPausesTheLogin(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	wrong := map[string]string{"user": "mario", "password": "guess"}
	for i := 0; i < 5; i++ {
		if status, data := o.do("", "POST", "/api/v1/login", wrong); status != 401 {
			t.Fatalf("guess %d: got %d %s", i+1, status, data)
		}
	}
	right := map[string]string{"user": "mario", "password": "demo"}
	status, data := o.do("", "POST", "/api/v1/login", right)
	if status != 429 || errorCode(t, data) != "too_many_attempts" || !bytes.Contains(data, []byte("09:01:00")) {
		t.Fatalf("after 5 guesses: got %d %s", status, data)
	}
	// Others are not held up, and a minute later mario gets in.
	o.mustDo("", "POST", "/api/v1/login", map[string]string{"user": "giulia", "password": "demo"}, 200, nil)
	o.clock.Add(time.Minute)
	o.mustDo("", "POST", "/api/v1/login", right, 200, nil)
}

// Every limit stated in characters counts characters, not bytes: "è" is
// one, as a clerk typing it expects, and the documented figure holds for
// Italian text (docs/api.md, Limits).
func TestTextLimitsCountCharacters(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	anna, mario, luca := o.token("anna"), o.token("mario"), o.token("luca")
	accented := func(n int) string { return strings.Repeat("è", n) }
	ascii := func(n int) string { return strings.Repeat("k", n) }
	for _, tc := range []struct {
		name, token, path string
		body              map[string]any
		status            int
	}{
		{"hall message of 141 accented characters", anna, "/api/v1/hall/message", map[string]any{"text": accented(141)}, 200},
		{"hall message of 280 accented characters", anna, "/api/v1/hall/message", map[string]any{"text": accented(280)}, 200},
		{"hall message of 281 characters", anna, "/api/v1/hall/message", map[string]any{"text": accented(281)}, 400},
		{"idempotency key of 193 characters", kioskToken, "/api/v1/tickets", map[string]any{"service": "anagrafe", "idempotency_key": ascii(193)}, 201},
		{"idempotency key of 200 characters", kioskToken, "/api/v1/tickets", map[string]any{"service": "anagrafe", "idempotency_key": ascii(200)}, 201},
		{"idempotency key of 200 accented characters", kioskToken, "/api/v1/tickets", map[string]any{"service": "anagrafe", "idempotency_key": accented(200)}, 201},
		{"idempotency key of 201 characters", kioskToken, "/api/v1/tickets", map[string]any{"service": "anagrafe", "idempotency_key": ascii(201)}, 400},
		{"lock reason of 200 accented characters", anna, "/api/v1/services/sociali/lock", map[string]any{"reason": accented(200)}, 200},
		{"lock reason of 201 characters", anna, "/api/v1/services/tributi/lock", map[string]any{"reason": accented(201)}, 400},
		{"contact topic of 200 accented characters", mario, "/api/v1/contacts", map[string]any{"topic": accented(200)}, 201},
		{"contact topic of 201 characters", mario, "/api/v1/contacts", map[string]any{"topic": accented(201)}, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := o.seq()
			status, data := o.do(tc.token, "POST", tc.path, tc.body)
			if status != tc.status {
				t.Fatalf("got %d %s, want %d", status, data, tc.status)
			}
			if status >= 400 {
				if code := errorCode(t, data); code != "invalid" || !bytes.Contains(data, []byte("characters")) {
					t.Fatalf("got %s, want code invalid and a message in characters", data)
				}
				if o.seq() != before {
					t.Fatal("a refused request changed the state")
				}
			}
		})
	}

	// At the desk: a forwarded ticket's case reference and note, a
	// registered document.
	o.issue("anagrafe", false)
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("mario", "1", "next", nil)
	status, data := o.do(mario, "POST", "/api/v1/counters/1/finish", map[string]any{"outcome": "forwarded", "case_ref": accented(65), "note": "n"})
	if status != 400 || errorCode(t, data) != "invalid" {
		t.Fatalf("case reference of 65 characters: got %d %s, want 400 invalid", status, data)
	}
	o.counter("mario", "1", "finish", map[string]any{"outcome": "forwarded", "case_ref": accented(64), "note": accented(1000)})
	o.issue("documenti", false)
	o.counter("luca", "6", "open", map[string]any{"services": []string{"documenti"}})
	o.counter("luca", "6", "next", nil)
	if status, data := o.do(luca, "POST", "/api/v1/counters/6/register", map[string]any{"document": accented(201)}); status != 400 {
		t.Fatalf("document of 201 characters: got %d %s, want 400", status, data)
	}
	o.counter("luca", "6", "register", map[string]any{"document": accented(200)})
}

// Keys that differ only in bytes that are not UTF-8 used to collide: the
// decoder turned both into U+FFFD, and the second request got the first
// one's ticket. Such keys are refused.
func TestIdempotencyKeysMustBeValidText(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	o.issue("anagrafe", false)
	before := o.seq()
	for _, key := range []string{"tap-\xff", "tap-\xfe"} {
		body := `{"service":"anagrafe","idempotency_key":"` + key + `"}`
		status, data := o.do(kioskToken, "POST", "/api/v1/tickets", body)
		if status != 400 || errorCode(t, data) != "invalid_utf8" {
			t.Fatalf("key %q: got %d %s, want 400 invalid_utf8", key, status, data)
		}
	}
	if seq := o.seq(); seq != before {
		t.Fatalf("got seq %d, want %d: nothing issued", seq, before)
	}
}
