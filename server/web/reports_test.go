package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/history"
	"turno/server/history/historytest"
	"turno/server/store"
)

// padConfig is the demo office with a rating pad at counter 1.
func padConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg := demo(t)
	cfg.Devices = append(cfg.Devices, config.Device{ID: "pad-1", Role: config.RoleDisplay, Token: "pad-1-token-of-counter-1", Counter: "1"})
	return cfg
}

type rateJSON struct {
	Ticket struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Rated   bool   `json:"rated"`
		Ratable bool   `json:"ratable"`
	} `json:"ticket"`
	Score int `json:"score"`
}

func TestRatingFromThePhonePage(t *testing.T) {
	o := start(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: tuesday("09:00")}, padConfig(t))
	a := o.issue("anagrafe", false)
	b := o.issue("anagrafe", false)
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("mario", "1", "next", nil)
	rating := func(id string) string { return "/api/v1/tickets/" + id + "/rating" }

	// Before it is finished, and bad bodies: refused, nothing recorded.
	for _, tc := range []struct {
		id, body string
		status   int
		code     string
	}{
		{a.ID, `{"score":4}`, 409, "not_finished"},
		{b.ID, `{"score":4}`, 409, "not_finished"},
		{a.ID, `{"score":0}`, 400, "invalid_score"},
		{a.ID, `{"score":6}`, 400, "invalid_score"},
		{a.ID, `{}`, 400, "invalid_score"},
		{a.ID, `{"score":"5"}`, 400, "wrong_type"},
		{a.ID, `{"score":4.5}`, 400, "wrong_type"},
		{a.ID, `{"score":4,"clerk":"mario"}`, 400, "unknown_field"},
		{a.ID, `{"score":4} {}`, 400, "bad_json"},
		{"ffffffffffffffffffffffffffffffff", `{"score":4}`, 404, "unknown_ticket"},
		{"A001", `{"score":4}`, 404, "unknown_ticket"},
	} {
		status, data := o.do("", "POST", rating(tc.id), tc.body)
		if status != tc.status || errorCode(t, data) != tc.code {
			t.Errorf("%s %s: got %d %s, want %d %s", tc.id, tc.body, status, data, tc.status, tc.code)
		}
	}
	o.counter("mario", "1", "finish", map[string]any{"outcome": "resolved"})
	var got rateJSON
	o.mustDo("", "POST", rating(a.ID), map[string]int{"score": 4}, 201, &got)
	if got.Score != 4 || !got.Ticket.Rated || got.Ticket.Ratable || got.Ticket.Status != "done" {
		t.Fatalf("got %+v", got)
	}
	status, data := o.do("", "POST", rating(a.ID), map[string]int{"score": 1})
	if status != 409 || errorCode(t, data) != "already_rated" {
		t.Fatalf("a second rating: got %d %s", status, data)
	}
	var pub struct{ Rated, Ratable bool }
	o.mustDo("", "GET", "/api/v1/tickets/"+a.ID, nil, 200, &pub)
	if !pub.Rated || pub.Ratable {
		t.Fatalf("the ticket's page: got %+v", pub)
	}
	var svc struct {
		Services []struct {
			ID    string
			Stats struct {
				Ratings   int `json:"ratings"`
				RatingSum int `json:"rating_sum"`
			}
		}
	}
	o.mustDo(kioskToken, "GET", "/api/v1/services", nil, 200, &svc)
	if s := svc.Services[0]; s.ID != "anagrafe" || s.Stats.Ratings != 1 || s.Stats.RatingSum != 4 {
		t.Fatalf("stats: got %+v", s)
	}
	// Staff may not rate for the citizen.
	for _, tok := range []string{o.token("mario"), o.token("admin"), kioskToken, "demo-display-token"} {
		status, data := o.do(tok, "POST", rating(a.ID), map[string]int{"score": 5})
		if status != 403 {
			t.Errorf("token %s…: got %d %s, want 403", tok[:4], status, data)
		}
	}
	// The next day, yesterday's ticket is no longer rated.
	o.counter("mario", "1", "next", nil)
	o.counter("mario", "1", "finish", map[string]any{"outcome": "resolved"})
	o.clock.Set(tuesday("09:00").Add(24 * time.Hour))
	status, data = o.do("", "POST", rating(b.ID), map[string]int{"score": 5})
	if status != 409 || errorCode(t, data) != "rating_closed" {
		t.Fatalf("yesterday's ticket: got %d %s", status, data)
	}
}

func TestRatingPadRatesOnlyItsCountersLastTicket(t *testing.T) {
	o := start(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: tuesday("09:00")}, padConfig(t))
	const pad = "pad-1-token-of-counter-1"
	a := o.issue("anagrafe", false)
	b := o.issue("anagrafe", false)
	c := o.issue("anagrafe", false)
	o.counter("mario", "1", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("giulia", "2", "open", map[string]any{"services": []string{"anagrafe"}})
	o.counter("mario", "1", "next", nil)  // a
	o.counter("giulia", "2", "next", nil) // b
	o.counter("mario", "1", "finish", map[string]any{"outcome": "resolved"})
	o.counter("giulia", "2", "finish", map[string]any{"outcome": "forwarded", "case_ref": "X-1"})
	rating := func(id string) string { return "/api/v1/tickets/" + id + "/rating" }

	status, data := o.do(pad, "POST", rating(b.ID), map[string]int{"score": 3})
	if status != 409 || errorCode(t, data) != "not_last_finished" {
		t.Fatalf("another counter's ticket: got %d %s", status, data)
	}
	o.mustDo(pad, "POST", rating(a.ID), map[string]int{"score": 5}, 201, nil)
	// Counter 1 finishes c: a is no longer the pad's to rate.
	o.counter("mario", "1", "next", nil)
	o.counter("mario", "1", "finish", map[string]any{"outcome": "resolved"})
	status, data = o.do(pad, "POST", rating(a.ID), map[string]int{"score": 1})
	if status != 409 || errorCode(t, data) != "not_last_finished" {
		t.Fatalf("an older ticket: got %d %s", status, data)
	}
	o.mustDo(pad, "POST", rating(c.ID), map[string]int{"score": 2}, 201, nil)
	// The citizen's own phone may still rate b, finished at counter 2.
	o.mustDo("", "POST", rating(b.ID), map[string]int{"score": 4}, 201, nil)
}

// history starts the demo office on a database holding four weeks of May
// played through the engine, on Monday 1 June 2026.
func history4Weeks(t *testing.T, cfg *config.Config) *office {
	t.Helper()
	path := filepath.Join(t.TempDir(), "turno.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	historytest.Generate(t, cfg, db, historytest.Options{From: "2026-05-04", Days: 20, PerDay: 60, Seed: 5, Appointments: true})
	if _, err := history.NewKeeper(&cfg.Office, db, history.FoldOptions{PerClerk: cfg.ReportsPerClerk}, nil).CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	return start(t, path, &clock{t: time.Date(2026, 6, 1, 9, 0, 0, 0, rome)}, cfg)
}

func TestReportsAPI(t *testing.T) {
	o := history4Weeks(t, demo(t))
	const q = "/api/v1/reports?from=2026-05-01&to=2026-05-31&group=week&by=service"
	// Roles: the back office and the administrator read reports.
	for user, want := range map[string]int{"paolo": 200, "admin": 200, "mario": 403, "anna": 403} {
		if status, data := o.do(o.token(user), "GET", q, nil); status != want {
			t.Errorf("%s: got %d %s, want %d", user, status, data, want)
		}
	}
	for tok, want := range map[string]int{"": 401, kioskToken: 403, "demo-display-token": 403} {
		if status, _ := o.do(tok, "GET", q, nil); status != want {
			t.Errorf("token %q: got %d, want %d", tok, status, want)
		}
	}
	var rep history.Report
	o.mustDo(o.token("paolo"), "GET", q, nil, 200, &rep)
	if rep.Days < 20 || rep.Group != "week" || len(rep.Keys) != 4 || len(rep.Rows) != 16 || rep.Total.Issued < 900 || rep.Total.FilterPct == nil {
		t.Fatalf("got %d days, %d keys, %d rows, total %+v", rep.Days, len(rep.Keys), len(rep.Rows), rep.Total)
	}
	// CSV by the Accept header and by format=, with the Italian decimal comma.
	get := func(path, accept string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", o.http.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+o.token("paolo"))
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, body := get(q, "text/csv")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("got %s %s", ct, resp.Header.Get("Content-Disposition"))
	}
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(records) != 17 || records[0][2] != "name" || records[1][2] != "Anagrafe e stato civile" {
		t.Fatalf("CSV: %v %v", err, records[:2])
	}
	_, body = get(q+"&format=csv&decimal=comma", "")
	if !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) || !bytes.Contains(body, []byte(";")) {
		t.Fatalf("Italian CSV: %q", body[:40])
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	cr.Comma = ';'
	if recs, err := cr.ReadAll(); err != nil || len(recs) != 17 || recs[2][1] != "tributi" || recs[2][2] != "Tributi (IMU, TARI)" {
		t.Fatalf("Italian CSV: %v", err)
	}
	resp, body = get("/api/v1/reports?from=2026-05-01&to=2026-05-31&format=pdf", "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Fatalf("PDF: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, _ = get("/api/v1/reports?from=2026-05-01&to=2026-05-31", "application/pdf")
	if resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("Accept: application/pdf gave %s", resp.Header.Get("Content-Type"))
	}
	for path, code := range map[string]string{
		"/api/v1/reports?from=2026-05-31&to=2026-05-01": "invalid",
		"/api/v1/reports?from=yesterday":                "invalid",
		"/api/v1/reports?group=year":                    "invalid",
		"/api/v1/reports?by=clerk":                      "per_clerk_off",
		"/api/v1/reports?format=xls":                    "invalid",
		"/api/v1/reports?format=csv&decimal=semicolon":  "invalid",
		"/api/v1/forecast?days=100":                     "invalid",
		"/api/v1/forecast?days=two":                     "invalid",
		"/api/v1/forecast?from=2026-13-01":              "invalid",
	} {
		if status, data := o.do(o.token("paolo"), "GET", path, nil); status < 400 || errorCode(t, data) != code {
			t.Errorf("%s: got %d %s, want %s", path, status, data, code)
		}
	}
	// The forecast: tomorrow is 2 June, the Republic's holiday.
	var fc history.Forecast
	o.mustDo(o.token("paolo"), "GET", "/api/v1/forecast?days=7", nil, 200, &fc)
	if fc.From != "2026-06-02" || len(fc.Days) != 7 || !fc.Days[0].Closed || fc.Days[0].Holiday != "Festa della Repubblica" || fc.Days[1].Needed == 0 {
		t.Fatalf("got %+v", fc.Days[:2])
	}
	if status, _ := o.do(o.token("mario"), "GET", "/api/v1/forecast", nil); status != 403 {
		t.Fatalf("a clerk read the forecast: %d", status)
	}
	if status, _ := o.do(o.token("anna"), "GET", "/api/v1/forecast", nil); status != 200 {
		t.Fatalf("the floor assistant (the flow view's tomorrow) cannot read the forecast: %d", status)
	}
}

func TestReportsByClerkWhenTheOfficeAllowsIt(t *testing.T) {
	cfg := demo(t)
	cfg.ReportsPerClerk = true
	o := history4Weeks(t, cfg)
	var rep history.Report
	o.mustDo(o.token("paolo"), "GET", "/api/v1/reports?from=2026-05-01&to=2026-05-31&group=month&by=clerk", nil, 200, &rep)
	if len(rep.Keys) == 0 || rep.Keys[0].Name == "" {
		t.Fatalf("got keys %+v", rep.Keys)
	}
}

// browser is a client that keeps cookies and does not follow redirects.
func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func form(t *testing.T, c *http.Client, u string, values url.Values, origin string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func read(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBackOfficePage(t *testing.T) {
	o := history4Weeks(t, demo(t))
	c := browser(t)
	page := o.http.URL + "/backoffice"
	resp, err := c.Get(page + "?lang=it")
	if err != nil {
		t.Fatal(err)
	}
	if body := read(t, resp); resp.StatusCode != 200 || !strings.Contains(body, `action="/backoffice/login"`) || strings.Contains(body, "<svg") {
		t.Fatalf("without a session: got %d, want the login form", resp.StatusCode)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("headers: %v", resp.Header)
	}
	// Wrong password, a clerk, another site's form: no session.
	for _, tc := range []struct {
		user, password, origin string
		status                 int
		says                   string
	}{
		{"paolo", "wrong", "", 401, "password errata"},
		{"mario", "demo", "", 403, "non può leggere i rapporti"},
		{"paolo", "demo", "http://evil.example", 400, ""},
	} {
		resp := form(t, c, page+"/login", url.Values{"user": {tc.user}, "password": {tc.password}, "lang": {"it"}}, tc.origin)
		body := read(t, resp)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.says) || len(resp.Cookies()) != 0 {
			t.Errorf("%s/%s: got %d %v", tc.user, tc.password, resp.StatusCode, resp.Cookies())
		}
	}
	resp = form(t, c, page+"/login", url.Values{"user": {"paolo"}, "password": {"demo"}, "lang": {"en"}}, o.http.URL)
	read(t, resp)
	cookies := resp.Cookies()
	if resp.StatusCode != 303 || len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode || cookies[0].Path != "/backoffice" {
		t.Fatalf("login: got %d %+v", resp.StatusCode, cookies)
	}
	resp, err = c.Get(page + "?from=2026-05-01&to=2026-05-31&lang=en")
	if err != nil {
		t.Fatal(err)
	}
	body := read(t, resp)
	for _, want := range []string{"Paolo Greco", "Indicators report", "The desk as a filter", "<svg", "By service", "Anagrafe e stato civile",
		"By counter", "Forecast", "Republic Day", `href="/backoffice/report.pdf?`, "Tickets issued and served by day"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page has no %q", want)
		}
	}
	if strings.Contains(body, "<script") {
		t.Error("the page runs a script")
	}
	if dir := os.Getenv("TURNO_SCREENSHOTS"); dir != "" {
		screenshot(t, body, filepath.Join(dir, "backoffice.png"))
	}
	// A bad period says so.
	resp, _ = c.Get(page + "?from=2026-05-31&to=2026-05-01&lang=it")
	if body := read(t, resp); resp.StatusCode != 400 || !strings.Contains(body, "Periodo non valido") {
		t.Errorf("bad period: got %d", resp.StatusCode)
	}
	// The downloads use the page's session.
	resp, _ = c.Get(page + "/report.csv?from=2026-05-01&to=2026-05-31&by=counter&decimal=comma")
	if body := read(t, resp); resp.StatusCode != 200 || !strings.Contains(body, "Sportello 6 — Consegna rapida") {
		t.Errorf("CSV: got %d", resp.StatusCode)
	}
	resp, _ = c.Get(page + "/report.pdf?from=2026-05-01&to=2026-05-31")
	if body := read(t, resp); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("PDF: got %d", resp.StatusCode)
	}
	// Logging out ends the session.
	token := cookies[0].Value
	resp = form(t, c, page+"/logout", url.Values{"lang": {"it"}}, "")
	read(t, resp)
	if resp.StatusCode != 303 {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	if status, _ := o.do(token, "GET", "/api/v1/reports", nil); status != 401 {
		t.Errorf("the session outlived the logout: %d", status)
	}
	resp, _ = browser(t).Get(page + "/report.csv")
	if read(t, resp); resp.StatusCode != 303 {
		t.Errorf("a download without a session: %d, want a redirect to the login", resp.StatusCode)
	}
}

// screenshot renders the page's HTML with headless Chromium, as a clerk's
// 1366-pixel laptop shows it, for the README.
func screenshot(t *testing.T, html, out string) {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1366,2600",
		"--screenshot="+out, "file://"+file)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	var _ = json.Marshal
}
