package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"turno/server/client"
	"turno/server/config"
	"turno/server/officetest"
	"turno/server/queue"
	"turno/server/store"
)

// consoleSession is a browser-like client of the console: a cookie jar,
// redirects not followed so that each answer can be checked.
type consoleSession struct {
	t    *testing.T
	base string
	http *http.Client
}

func openConsole(t *testing.T, o *officetest.Office, user, password string) (*consoleSession, int, string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &consoleSession{t: t, base: o.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	status, body, _ := s.post("/admin/login", url.Values{"user": {user}, "password": {password}, "lang": {"it"}})
	return s, status, body
}

func consoleAdmin(t *testing.T, o *officetest.Office) *consoleSession {
	t.Helper()
	s, status, body := openConsole(t, o, "admin", officetest.Password)
	if status != http.StatusSeeOther {
		t.Fatalf("admin login: %d\n%s", status, body)
	}
	return s
}

func (s *consoleSession) do(req *http.Request) (int, string, string) {
	s.t.Helper()
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, string(data), resp.Header.Get("Location")
}

func (s *consoleSession) get(path string) (int, string) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	status, body, _ := s.do(req)
	return status, body
}

// post sends a form as a browser does from the console's own page.
func (s *consoleSession) post(path string, form url.Values) (int, string, string) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return s.do(req)
}

var baseField = regexp.MustCompile(`name="base" value="(\d+)"`)

// submit posts a form of the page at from, with the version it shows.
func (s *consoleSession) submit(from, action string, form url.Values) (int, string, string) {
	s.t.Helper()
	status, page := s.get(from)
	if status != http.StatusOK {
		s.t.Fatalf("GET %s: %d\n%s", from, status, page)
	}
	m := baseField.FindStringSubmatch(page)
	if m == nil {
		s.t.Fatalf("no version in the form of %s:\n%s", from, page)
	}
	form.Set("base", m[1])
	if form.Get("lang") == "" {
		form.Set("lang", "it")
	}
	return s.post(action, form)
}

// serviceForm is a service's form as its page fills it.
func serviceForm(t *testing.T, cfg *config.Config, id string) url.Values {
	t.Helper()
	s := cfg.Office.Service(id)
	v := url.Values{"name_it": {s.NameIT}, "name_en": {s.NameEN}, "prefix": {s.Prefix}, "lane": {string(s.Lane)},
		"cutoff_before_close": {"30"}, "target_wait": {"20"}, "service_time": {"10"}, "weight": {"1"}, "cutoff_on_load": {"1"}}
	for _, k := range cfg.Office.Counters {
		for _, sid := range k.Services {
			if sid == id {
				v.Add("counters", k.ID)
			}
		}
	}
	if s.Agenda != nil {
		v.Set("bookable", "1")
		v.Set("slot", "15")
	}
	return v
}

func waitModel(t *testing.T, s *client.Stream, what string, cond func(client.Model) bool) client.Model {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m := s.Model()
		if m.Seq > 0 && cond(m) {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("the kiosk's model never showed %s (status %+v)", what, s.Status())
		}
		select {
		case <-s.Changes():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func kioskStream(t *testing.T, o *officetest.Office, token string) *client.Stream {
	t.Helper()
	c, err := client.New(o.URL, client.WithToken(token))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Stream(context.Background(), client.StreamOptions{})
	t.Cleanup(s.Close)
	waitModel(t, s, "the first snapshot", func(m client.Model) bool { return len(m.Services) > 0 })
	return s
}

func TestAConsoleChangeReachesTheKioskIsAuditedAndSurvivesARestart(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	kiosk := kioskStream(t, o, officetest.KioskToken)
	adm := consoleAdmin(t, o)

	form := serviceForm(t, o.Current.Load(), "tributi")
	form.Set("name_it", "Tributi e canoni")
	form.Set("target_wait", "25")
	form.Set("reason", "delibera n. 12")
	status, body, loc := adm.submit("/admin/services/tributi", "/admin/services/tributi", form)
	if status != http.StatusSeeOther || !strings.Contains(loc, "done=saved") {
		t.Fatalf("save: %d %s\n%s", status, loc, body)
	}
	// The kiosk follows without a restart.
	waitModel(t, kiosk, "the new name and target", func(m client.Model) bool {
		s := m.Service("tributi")
		return s != nil && s.NameIT == "Tributi e canoni" && s.TargetWait == queue.Seconds(25*time.Minute)
	})
	if st := kiosk.Status(); st.State != client.Connected {
		t.Fatalf("the kiosk's stream: %+v", st)
	}

	// The audit log: the file became version 1, the change version 2.
	if v := o.Current.Load().Version; v != 2 {
		t.Fatalf("version in force %d, want 2", v)
	}
	_, page := adm.get("/admin/history")
	for _, want := range []string{"delibera n. 12", ">admin<", "prima versione", "Servizio «Tributi e canoni»"} {
		if !strings.Contains(page, want) {
			t.Fatalf("the history lacks %q:\n%s", want, page)
		}
	}
	_, page = adm.get("/admin/history/2?lang=en")
	for _, want := range []string{"Version 2", "delibera n. 12", "target wait", `<td class="before">20m</td><td class="after">25m</td>`,
		`<td class="before">{ it = &#34;Tributi (IMU, TARI)&#34;, en = &#34;Local taxes&#34; }</td>`} {
		if !strings.Contains(page, want) {
			t.Fatalf("version 2 lacks %q:\n%s", want, page)
		}
	}
	status, toml := adm.get("/admin/history/2/config.toml")
	if status != http.StatusOK || !strings.Contains(toml, `name = { it = "Tributi e canoni", en = "Local taxes" }`) {
		t.Fatalf("the version's file: %d\n%s", status, toml)
	}

	// A restart starts on version 2; the file is only version 1.
	o = o.Restart()
	if cfg := o.Current.Load(); cfg.Version != 2 || cfg.Office.Service("tributi").NameIT != "Tributi e canoni" {
		t.Fatalf("after a restart: version %d, %q", cfg.Version, cfg.Office.Service("tributi").NameIT)
	}
	first, err := o.Store.ConfigVersion(1)
	if err != nil {
		t.Fatal(err)
	}
	fileText, err := config.Encode(o.Config)
	if err != nil {
		t.Fatal(err)
	}
	if first.TOML != string(fileText) || first.By != "turno-server" {
		t.Fatalf("version 1 is not the file: by %s", first.By)
	}
	waitModel(t, kiosk, "the change after the restart", func(m client.Model) bool {
		s := m.Service("tributi")
		return s != nil && s.NameIT == "Tributi e canoni"
	})
}

func TestAnInvalidChangeIsRefusedWithItsField(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	adm := consoleAdmin(t, o)
	for _, tc := range []struct {
		name   string
		edit   func(v url.Values)
		status int
		want   []string
	}{
		{"a two-letter prefix", func(v url.Values) { v.Set("prefix", "AB") }, http.StatusUnprocessableEntity,
			[]string{"Servizio «Anagrafe e stato civile» › lettera", "«AB» deve essere una sola lettera maiuscola A-Z"}},
		{"another service's letter", func(v url.Values) { v.Set("prefix", "T") }, http.StatusUnprocessableEntity,
			[]string{"Servizio «Anagrafe e stato civile» › lettera", "la lettera T è già del servizio «Tributi (IMU, TARI)»"}},
		{"hours that are not hours", func(v url.Values) { v.Set("own_hours", "1"); v.Set("hours_tue", "8-12") }, http.StatusUnprocessableEntity,
			[]string{"Servizio «Anagrafe e stato civile» › orari › martedì", "«8-12» non è un orario come 08:30-12:30"}},
		{"overlapping ranges", func(v url.Values) { v.Set("own_hours", "1"); v.Set("hours_mon", "08:30-12:30, 12:00-13:00") }, http.StatusUnprocessableEntity,
			[]string{"Servizio «Anagrafe e stato civile» › orari", "si sovrappongono"}},
		{"a slot of 7 minutes", func(v url.Values) { v.Set("slot", "7.5") }, http.StatusUnprocessableEntity,
			[]string{"Servizio «Anagrafe e stato civile» › appuntamenti › durata dello slot", "deve essere un numero intero di minuti da 5 a 240"}},
		{"served nowhere", func(v url.Values) { v.Del("counters") }, http.StatusUnprocessableEntity,
			[]string{"<b>Servizi</b>", "nessuno sportello serve anagrafe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := serviceForm(t, o.Current.Load(), "anagrafe")
			tc.edit(form)
			status, body, _ := adm.submit("/admin/services/anagrafe", "/admin/services/anagrafe", form)
			if status != tc.status {
				t.Fatalf("got %d, want %d\n%s", status, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Fatalf("the answer lacks %q:\n%s", w, body)
				}
			}
			// The form comes back as typed.
			if !strings.Contains(body, `value="`+form.Get("prefix")+`"`) {
				t.Fatal("the form lost what was typed")
			}
			if v := o.Current.Load().Version; v != 0 {
				t.Fatalf("a refused change was recorded: version %d", v)
			}
		})
	}
	// The same problems, in English.
	form := serviceForm(t, o.Current.Load(), "anagrafe")
	form.Set("prefix", "AB")
	form.Set("lang", "en")
	_, body, _ := adm.submit("/admin/services/anagrafe", "/admin/services/anagrafe", form)
	if !strings.Contains(body, "Service \u201cRegistry office\u201d › letter") || !strings.Contains(body, `&#34;AB&#34; must be one capital letter A-Z`) {
		t.Fatalf("in English:\n%s", body)
	}
}

func TestAServiceWithPeopleWaitingCannotBeDeleted(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	kiosk, err := client.New(o.URL, client.WithToken(officetest.KioskToken))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := kiosk.Issue(context.Background(), "sociali", false, ""); err != nil {
		t.Fatal(err)
	}
	adm := consoleAdmin(t, o)
	status, body, _ := adm.submit("/admin/services/sociali", "/admin/services/sociali/delete", url.Values{"confirm": {"1"}})
	if status != http.StatusConflict {
		t.Fatalf("got %d, want 409\n%s", status, body)
	}
	for _, want := range []string{"<b>Servizi</b>", "«Servizi sociali» ha 1 persone in attesa o allo sportello: non si può eliminare, solo chiudere"} {
		if !strings.Contains(body, want) {
			t.Fatalf("the answer lacks %q:\n%s", want, body)
		}
	}
	if o.Current.Load().Office.Service("sociali") == nil || o.Current.Load().Version != 0 {
		t.Fatal("the service was deleted")
	}
	if strings.Contains(body, `name="force"`) {
		t.Fatal("force is offered for a rule force does not lift")
	}
	// Once nobody waits, it can go (and its peak and counters with it).
	ctx := context.Background()
	clerk := login(t, o, "mario")
	if _, err := clerk.Open(ctx, "1", []string{"sociali"}); err != nil {
		t.Fatal(err)
	}
	if _, err := clerk.Next(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := clerk.Finish(ctx, "1", queue.OutcomeResolved, "", ""); err != nil {
		t.Fatal(err)
	}
	status, body, loc := adm.submit("/admin/services/sociali", "/admin/services/sociali/delete", url.Values{"confirm": {"1"}})
	if status != http.StatusConflict || !strings.Contains(body, "è aperto e sta servendo «Servizi sociali»") {
		t.Fatalf("with counter 1 open on it: %d %s\n%s", status, loc, body)
	}
	if _, err := clerk.Close(ctx, "1", false); err != nil {
		t.Fatal(err)
	}
	status, body, loc = adm.submit("/admin/services/sociali", "/admin/services/sociali/delete", url.Values{"confirm": {"1"}})
	if status != http.StatusSeeOther || !strings.Contains(loc, "done=deleted") {
		t.Fatalf("after closing: %d %s\n%s", status, loc, body)
	}
	if o.Current.Load().Office.Service("sociali") != nil {
		t.Fatal("the service is still there")
	}
}

func login(t *testing.T, o *officetest.Office, user string) *client.Client {
	t.Helper()
	c, err := client.New(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(context.Background(), user, officetest.Password); err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return c
}

func TestARevokedDeviceIsRefusedAndDisconnected(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	kiosk := kioskStream(t, o, officetest.KioskToken)
	adm := consoleAdmin(t, o)

	// A new device: its token is shown once, and works at once.
	status, page, _ := adm.submit("/admin/devices", "/admin/devices/new", url.Values{"id": {"kiosk-2"}, "role": {"kiosk"}})
	m := regexp.MustCompile(`<p class="token" id="token">([A-Za-z0-9_-]{43})</p>`).FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		t.Fatalf("new device: %d\n%s", status, page)
	}
	second := kioskStream(t, o, m[1])
	if _, page := adm.get("/admin/devices"); strings.Contains(page, m[1]) {
		t.Fatal("the device list shows a token")
	}

	// Revoked: the connected kiosk is cut off, its token refused.
	status, _, loc := adm.submit("/admin/devices", "/admin/devices/kiosk-1/delete", url.Values{})
	if status != http.StatusSeeOther || !strings.Contains(loc, "done=revoked") {
		t.Fatalf("revoke: %d %s", status, loc)
	}
	select {
	case <-kiosk.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("the revoked kiosk's stream goes on: %+v", kiosk.Status())
	}
	var ce *client.Error
	if err := kiosk.Err(); !errors.As(err, &ce) || ce.Code != "unauthorized" {
		t.Fatalf("the revoked kiosk's stream ended with %v", err)
	}
	old, _ := client.New(o.URL, client.WithToken(officetest.KioskToken))
	if _, _, err := old.Issue(context.Background(), "anagrafe", false, ""); !errors.As(err, &ce) || ce.Status != http.StatusUnauthorized {
		t.Fatalf("a ticket with the revoked token: %v", err)
	}
	// The other kiosk goes on, with the snapshot of the new version.
	waitModel(t, second, "a live stream", func(client.Model) bool { return second.Status().State == client.Connected })

	// A new token for kiosk-2: the old one stops working.
	status, page, _ = adm.submit("/admin/devices", "/admin/devices/kiosk-2/token", url.Values{})
	m2 := regexp.MustCompile(`<p class="token" id="token">([A-Za-z0-9_-]{43})</p>`).FindStringSubmatch(page)
	if status != http.StatusOK || m2 == nil || m2[1] == m[1] {
		t.Fatalf("new token: %d\n%s", status, page)
	}
	select {
	case <-second.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the stream of the old token goes on")
	}
	fresh, _ := client.New(o.URL, client.WithToken(m2[1]))
	if _, _, err := fresh.Issue(context.Background(), "anagrafe", false, ""); err != nil {
		t.Fatalf("a ticket with the new token: %v", err)
	}
}

func TestUsersChangeWithoutARestart(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	adm := consoleAdmin(t, o)
	mario := login(t, o, "mario")

	// A new user signs in at once.
	status, body, _ := adm.submit("/admin/users/new", "/admin/users/new", url.Values{"name": {"elena"}, "full_name": {"Elena Neri"}, "role": {"floor"},
		"password": {"una password lunga"}, "password2": {"una password lunga"}})
	if status != http.StatusSeeOther {
		t.Fatalf("new user: %d\n%s", status, body)
	}
	elena, err := client.New(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := elena.Login(context.Background(), "elena", "una password lunga"); err != nil {
		t.Fatalf("the new user: %v", err)
	}
	// A password reset ends the sessions of the old one.
	status, body, _ = adm.submit("/admin/users/mario", "/admin/users/mario/password", url.Values{"password": {"nuova-password"}, "password2": {"nuova-password"}})
	if status != http.StatusSeeOther {
		t.Fatalf("reset: %d\n%s", status, body)
	}
	var ce *client.Error
	if _, err := mario.Snapshot(context.Background()); !errors.As(err, &ce) || ce.Status != http.StatusUnauthorized {
		t.Fatalf("mario's old session: %v", err)
	}
	if _, err := mario.Login(context.Background(), "mario", "nuova-password"); err != nil {
		t.Fatalf("mario's new password: %v", err)
	}
	// Too short, or not repeated: refused, with the field.
	status, body, _ = adm.submit("/admin/users/mario", "/admin/users/mario/password", url.Values{"password": {"corta"}, "password2": {"corta"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Utente «mario» › password") || !strings.Contains(body, "almeno 8 caratteri") {
		t.Fatalf("a short password: %d\n%s", status, body)
	}
	// No page ever shows a hash.
	for _, path := range []string{"/admin/users", "/admin/users/mario", "/admin/history", "/admin/history/3"} {
		if _, page := adm.get(path); strings.Contains(page, "$2a$") {
			t.Fatalf("%s shows a password hash", path)
		}
	}
	// The administrator cannot remove themselves, nor the last administrator go.
	status, body, _ = adm.submit("/admin/users/admin", "/admin/users/admin/delete", url.Values{"confirm": {"1"}})
	if status != http.StatusConflict || !strings.Contains(body, "non puoi eliminare il tuo stesso utente") && !strings.Contains(body, "almeno un amministratore") {
		t.Fatalf("deleting oneself: %d\n%s", status, body)
	}
	// A deleted user is logged out.
	status, _, _ = adm.submit("/admin/users/elena", "/admin/users/elena/delete", url.Values{"confirm": {"1"}})
	if status != http.StatusSeeOther {
		t.Fatalf("delete: %d", status)
	}
	if _, err := elena.Snapshot(context.Background()); !errors.As(err, &ce) || ce.Status != http.StatusUnauthorized {
		t.Fatalf("a deleted user's session: %v", err)
	}
}

func TestWhoMayUseTheConsole(t *testing.T) {
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	// A back-office user limited to the taxes' sheet.
	for i := range cfg.Users {
		if cfg.Users[i].Name == "paolo" {
			cfg.Users[i].Services = []string{"tributi"}
		}
	}
	o := officetest.StartWith(t, cfg, officetest.NewClock(officetest.Tuesday("09:00")))

	// A clerk: the sign-in answers 403, and no cookie is set.
	clerk, status, body := openConsole(t, o, "mario", officetest.Password)
	if status != http.StatusForbidden || !strings.Contains(body, "Accesso negato") || !strings.Contains(body, "operatore di sportello non può usare la console") {
		t.Fatalf("a clerk's sign-in: %d\n%s", status, body)
	}
	if status, page := clerk.get("/admin/office"); status != http.StatusOK || !strings.Contains(page, `action="/admin/login"`) {
		t.Fatalf("a clerk after the refusal: %d", status)
	}
	// A clerk's session in the cookie: 403 on every page.
	token, err := login(t, o, "giulia").Login(context.Background(), "giulia", officetest.Password)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(o.URL + "/admin")
	clerk.http.Jar.SetCookies(u, []*http.Cookie{{Name: "turno_admin", Value: token.Token, Path: "/admin"}})
	for _, path := range []string{"/admin", "/admin/office", "/admin/sheets"} {
		if status, page := clerk.get(path); status != http.StatusForbidden || !strings.Contains(page, "Accesso negato") {
			t.Fatalf("a clerk's session on %s: %d", path, status)
		}
	}
	if status, _, _ := clerk.post("/admin/closures", url.Values{"from": {"2026-12-07"}}); status != http.StatusForbidden {
		t.Fatalf("a clerk's post: %d", status)
	}

	// Back office: the sheets of its services, nothing else.
	paolo, status, _ := openConsole(t, o, "paolo", officetest.Password)
	if status != http.StatusSeeOther {
		t.Fatalf("back office sign-in: %d", status)
	}
	if status, _ := paolo.get("/admin"); status != http.StatusSeeOther {
		t.Fatalf("back office home: %d, want the sheets", status)
	}
	if status, page := paolo.get("/admin/sheets"); status != http.StatusOK || !strings.Contains(page, "Tributi (IMU, TARI)") || strings.Contains(page, "Anagrafe e stato civile") {
		t.Fatalf("back office sheets: %d\n%s", status, page)
	}
	if status, _ := paolo.get("/admin/office"); status != http.StatusForbidden {
		t.Fatalf("back office on the office: %d", status)
	}
	if status, _ := paolo.get("/admin/sheets/anagrafe"); status != http.StatusForbidden {
		t.Fatalf("back office on another service's sheet: %d", status)
	}
	status, body, _ = paolo.submit("/admin/sheets/tributi", "/admin/sheets/tributi", url.Values{"info": {"- l'F24 / the F24 form"}, "action": {"save"}})
	if status != http.StatusSeeOther {
		t.Fatalf("back office saves its sheet: %d\n%s", status, body)
	}
	if got := o.Current.Load().Office.Service("tributi").Info; got != "- l'F24 / the F24 form" {
		t.Fatalf("the sheet: %q", got)
	}
	if v, err := o.Store.LatestConfig(); err != nil || v.By != "paolo" {
		t.Fatalf("the version's author: %+v, %v", v, err)
	}

	// Another site's page cannot post; an old form is sent back.
	adm := consoleAdmin(t, o)
	req, _ := http.NewRequest(http.MethodPost, o.URL+"/admin/closures", strings.NewReader("from=2026-12-07&base=2"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if status, _, _ := adm.do(req); status != http.StatusBadRequest {
		t.Fatalf("a cross-site post: %d", status)
	}
	status, _, loc := adm.post("/admin/closures", url.Values{"from": {"2026-12-07"}, "base": {"1"}, "lang": {"it"}})
	if status != http.StatusSeeOther || !strings.Contains(loc, "done=stale") {
		t.Fatalf("a stale form: %d %s", status, loc)
	}
	if _, page := adm.get(loc[strings.Index(loc, "/admin"):]); !strings.Contains(page, "qualcun altro ha cambiato la configurazione") {
		t.Fatal("the stale form's page does not say why")
	}
}

func TestClosuresAndTheDayInProgress(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	kiosk := kioskStream(t, o, officetest.KioskToken)
	adm := consoleAdmin(t, o)
	// Another day: at once.
	status, body, _ := adm.submit("/admin/office", "/admin/closures", url.Values{"from": {"2026-12-24"}, "to": {"2026-12-31"}})
	if status != http.StatusSeeOther {
		t.Fatalf("a later closure: %d\n%s", status, body)
	}
	if got := o.Current.Load().Closures; len(got) != 8 || got[0] != "2026-12-24" {
		t.Fatalf("closures: %v", got)
	}
	// Today, while open: only when forced.
	status, body, _ = adm.submit("/admin/office", "/admin/closures", url.Values{"from": {"2026-11-24"}})
	if status != http.StatusConflict || !strings.Contains(body, "<b>Ufficio › chiusure</b>") || !strings.Contains(body, "l&#39;apertura in corso oggi (08:30-12:30) diventerebbe chiusa") ||
		!strings.Contains(body, `name="force" value="1"`) {
		t.Fatalf("today's closure: %d\n%s", status, body)
	}
	status, body, _ = adm.submit("/admin/office", "/admin/closures", url.Values{"from": {"2026-11-24"}, "force": {"1"}})
	if status != http.StatusSeeOther {
		t.Fatalf("today's closure, forced: %d\n%s", status, body)
	}
	waitModel(t, kiosk, "every service closed", func(m client.Model) bool {
		for _, s := range m.Services {
			if s.Status != queue.ServiceClosed {
				return false
			}
		}
		return true
	})
	// And open again.
	status, _, _ = adm.submit("/admin/office", "/admin/closures/delete", url.Values{"date": {"2026-11-24"}, "force": {"1"}})
	if status != http.StatusSeeOther {
		t.Fatalf("reopening: %d", status)
	}
	waitModel(t, kiosk, "anagrafe open again", func(m client.Model) bool { return m.Service("anagrafe").Status == queue.ServiceOpen })
	if _, err := o.Store.ConfigVersion(4); err != nil {
		t.Fatalf("four versions: %v", err)
	}
	if _, err := o.Store.ConfigVersion(5); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a fifth version: %v", err)
	}
}

func TestTheStreamNeverCarriesTheConfigurationsText(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	floor := login(t, o, "anna")
	var mu sync.Mutex
	var events []queue.Event
	supervisor := floor.Stream(context.Background(), client.StreamOptions{OnEvent: func(ev queue.Event) {
		mu.Lock()
		events = append(events, ev)
		mu.Unlock()
	}})
	t.Cleanup(supervisor.Close)
	waitModel(t, supervisor, "the first snapshot", func(m client.Model) bool { return len(m.Services) > 0 })
	// A raw subscriber too, to read the frames as sent.
	ws := "ws" + strings.TrimPrefix(o.URL, "http") + "/api/v1/stream"
	conn, _, err := websocket.DefaultDialer.Dial(ws, http.Header{"Authorization": {"Bearer " + mustToken(t, o, "admin")}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.WriteJSON(queue.Subscribe{}); err != nil {
		t.Fatal(err)
	}
	adm := consoleAdmin(t, o)
	status, _, _ := adm.submit("/admin/devices", "/admin/devices/new", url.Values{"id": {"kiosk-2"}, "role": {"kiosk"}})
	if status != http.StatusOK {
		t.Fatalf("new device: %d", status)
	}
	var sawChange, sawSnapshot bool
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for !sawChange || !sawSnapshot {
		_, data, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("reading the stream: %v (change %v, snapshot %v)", err, sawChange, sawSnapshot)
		}
		raw := string(data)
		for _, secret := range []string{"$2a$", officetest.KioskToken, "password_hash", "toml"} {
			if strings.Contains(raw, secret) {
				t.Fatalf("a frame carries %q: %s", secret, raw)
			}
		}
		var f queue.Frame
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		if f.Type == queue.FrameEvent && f.Event.Type == queue.EventConfigChanged && f.Event.Config != nil && f.Event.Config.Version == 2 {
			sawChange = true
		}
		if f.Type == queue.FrameSnapshot && sawChange {
			sawSnapshot = true
		}
	}
	// The supervisors' presence lists the new device.
	waitModel(t, supervisor, "kiosk-2 in the presence", func(m client.Model) bool {
		for _, d := range m.Devices {
			if d.ID == "kiosk-2" {
				return true
			}
		}
		return false
	})
	mu.Lock()
	defer mu.Unlock()
	for _, ev := range events {
		if ev.Type == queue.EventConfigChanged && (ev.Config == nil || ev.Config.TOML != "" || ev.Config.By == "") {
			t.Fatalf("the supervisor's event: %+v", ev.Config)
		}
	}
}

func mustToken(t *testing.T, o *officetest.Office, user string) string {
	t.Helper()
	c, err := client.New(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Login(context.Background(), user, officetest.Password)
	if err != nil {
		t.Fatal(err)
	}
	return s.Token
}

func TestACountersNewServiceReachesItsClerk(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	clerk := login(t, o, "luca")
	s := clerk.Stream(context.Background(), client.StreamOptions{Counter: "4"})
	t.Cleanup(s.Close)
	waitModel(t, s, "counter 4", func(m client.Model) bool { return m.Counter("4") != nil })
	adm := consoleAdmin(t, o)
	status, body, _ := adm.submit("/admin/counters/4", "/admin/counters/4", url.Values{"name": {"Sportello 4"}, "lane": {"standard"}, "services": {"anagrafe", "tributi"}})
	if status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", status, body)
	}
	waitModel(t, s, "anagrafe among counter 4's services", func(m client.Model) bool {
		k := m.Counter("4")
		return k != nil && len(k.MayServe) == 2 && k.MayServe[0] == "anagrafe"
	})
	// Its view follows the new service's queue.
	kiosk, _ := client.New(o.URL, client.WithToken(officetest.KioskToken))
	tk, _, err := kiosk.Issue(context.Background(), "anagrafe", false, "")
	if err != nil {
		t.Fatal(err)
	}
	waitModel(t, s, "the anagrafe ticket in the clerk's view", func(m client.Model) bool { return m.FindTicket(tk.ID) != nil })
}

func TestANewServiceCounterAndShiftThroughTheConsole(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	kiosk := kioskStream(t, o, officetest.KioskToken)
	adm := consoleAdmin(t, o)
	form := url.Values{"id": {"urp"}, "name_it": {"Ufficio relazioni con il pubblico"}, "name_en": {"Public relations"}, "prefix": {"u"},
		"lane": {"standard"}, "cutoff_before_close": {"15"}, "target_wait": {"10"}, "service_time": {"5"}, "counters": {"1", "2"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("id", "new")
	if status, body, _ := adm.submit("/admin/services/new", "/admin/services/new", bad); status != http.StatusUnprocessableEntity || !strings.Contains(body, "«new» è riservato") {
		t.Fatalf("a service named new: %d\n%s", status, body)
	}
	if status, body, _ := adm.submit("/admin/services/new", "/admin/services/new", form); status != http.StatusSeeOther {
		t.Fatalf("new service: %d\n%s", status, body)
	}
	waitModel(t, kiosk, "the new service", func(m client.Model) bool {
		s := m.Service("urp")
		return s != nil && s.Prefix == "U" && s.Status == queue.ServiceOpen
	})
	ticket, _ := client.New(o.URL, client.WithToken(officetest.KioskToken))
	tk, _, err := ticket.Issue(context.Background(), "urp", false, "")
	if err != nil || tk.Number != "U001" {
		t.Fatalf("a ticket of the new service: %+v, %v", tk, err)
	}
	// A counter for it, and a shift.
	if status, body, _ := adm.submit("/admin/counters/new", "/admin/counters/new", url.Values{"id": {"7"}, "name": {"Sportello 7 — URP"}, "lane": {"standard"}, "services": {"urp"}}); status != http.StatusSeeOther {
		t.Fatalf("new counter: %d\n%s", status, body)
	}
	if status, body, _ := adm.submit("/admin/staffing/new", "/admin/staffing/new", url.Values{"counter": {"7"}, "hours_tue": {"9:00 - 12:00"}, "hours_thu": {"09:00-12:00, 15:00-17:00"}}); status != http.StatusSeeOther {
		t.Fatalf("new shift: %d\n%s", status, body)
	}
	cfg := o.Current.Load()
	if k := cfg.Office.Counter("7"); k == nil || k.Name != "Sportello 7 — URP" || len(k.Services) != 1 {
		t.Fatalf("counter 7: %+v", k)
	}
	sh := cfg.Office.Staffing.Shifts[len(cfg.Office.Staffing.Shifts)-1]
	if sh.Counter != "7" || len(sh.Hours[time.Tuesday]) != 1 || sh.Hours[time.Tuesday][0].String() != "09:00-12:00" || len(sh.Hours[time.Thursday]) != 2 {
		t.Fatalf("the shift: %+v", sh)
	}
	waitModel(t, kiosk, "a snapshot with counter 7 known", func(m client.Model) bool { return m.Service("urp").Waiting == 1 })
	_, page := adm.get("/admin/staffing")
	if !strings.Contains(page, "Sportello 7 — URP") {
		t.Fatal("the staffing page lacks the new shift")
	}
}
