package admin

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/queue"
	"turno/server/store"
)

func demo(t *testing.T) *config.Config {
	t.Helper()
	c, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pagesOf builds one of each page of the console from the demo office.
func pagesOf(t *testing.T, lang string) map[string]*Page {
	t.Helper()
	cfg := demo(t)
	text, _ := config.Encode(cfg)
	next, _ := Clone(cfg)
	_ = SetSheet(next, "anagrafe", "# Nuova scheda\n- una riga\n- un'altra")
	next.Closures = []string{"2026-12-07"}
	text2, _ := config.Encode(next)
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, cfg.Office.Location)
	versions := []store.ConfigVersion{{Version: 1, At: at, By: "turno-server", TOML: string(text)}, {Version: 2, At: at, By: "admin", Reason: "ponte", TOML: string(text2)}}
	page := func(section string) *Page {
		p := &Page{Lang: lang, User: "Amministratore", Name: "admin", Admin: true, Section: section}
		p.Fill(cfg, &versions[1])
		return p
	}
	out := map[string]*Page{}
	out["login"] = &Page{Lang: lang, Office: cfg.Office.Name, LoginError: Text(lang, "bad_login")}
	out["forbidden"] = &Page{Lang: lang, Office: cfg.Office.Name, Forbidden: Textf(lang, "forbidden_role", Text(lang, "role_clerk"))}
	p := page("home")
	p.Versions, _ = History(lang, versions, cfg.Office.Location, false)
	out["home"] = p
	p = page("office")
	f := NewOfficeForm(cfg)
	p.OfficeForm, p.Closures = &f, ClosureRows(next, "2026-11-24")
	p.Problems, p.Forcible = []Problem{{Field: "x", Text: "y"}}, true
	p.Retry = NewRetry("/admin/closures", map[string][]string{"from": {"2026-11-24"}, "force": {"1"}, "base": {"2"}})
	out["office"] = p
	p = page("services")
	p.Services = ServiceRows(lang, cfg, map[string]int{"anagrafe": 3})
	out["services"] = p
	p = page("services")
	sf := NewServiceForm(cfg, cfg.Office.Service("documenti"))
	p.ServiceForm, p.ServiceID = &sf, "documenti"
	out["service"] = p
	p = page("services")
	nf := NewServiceForm(cfg, nil)
	p.ServiceForm = &nf
	out["new service"] = p
	p = page("counters")
	p.Counters = CounterRows(lang, cfg, map[string]queue.CounterState{"1": queue.CounterOpen})
	out["counters"] = p
	p = page("counters")
	cf := NewCounterForm(cfg.Office.Counter("6"))
	p.CounterForm, p.CounterID = &cf, "6"
	out["counter"] = p
	p = page("staffing")
	p.Shifts, p.Exceptions = StaffingRows(lang, next)
	out["staffing"] = p
	p = page("staffing")
	shf := NewShiftForm(&cfg.Office.Staffing.Shifts[0])
	p.ShiftForm, p.ShiftIndex = &shf, 0
	out["shift"] = p
	p = page("users")
	p.Users = UserRows(lang, cfg, "admin")
	out["users"] = p
	p = page("users")
	uf := NewUserForm(cfg.User("paolo"))
	p.UserForm, p.UserName = &uf, "paolo"
	out["user"] = p
	p = page("users")
	nu := NewUserForm(nil)
	p.UserForm = &nu
	out["new user"] = p
	p = page("devices")
	p.Devices = DeviceRows(lang, cfg, []queue.DeviceStatus{{ID: "kiosk-1", Online: true, Since: &at}})
	out["devices"] = p
	p = page("devices")
	p.Token = &TokenView{Device: "kiosk-2", Token: "a-token", Reissued: true}
	out["token"] = p
	p = page("sheets")
	p.Sheets = SheetRows(lang, cfg, cfg.User("admin"))
	out["sheets"] = p
	p = page("sheets")
	p.Sheet = NewSheetView(lang, cfg.Office.Service("tributi"), "", true)
	out["sheet"] = p
	p = page("history")
	p.Versions, _ = History(lang, versions, cfg.Office.Location, true)
	p.MoreHistory = 5
	out["history"] = p
	p = page("history")
	d, err := Detail(lang, versions[1], &versions[0], cfg.Office.Location, true)
	if err != nil {
		t.Fatal(err)
	}
	p.Detail = d
	out["version"] = p
	return out
}

func TestEveryPageRendersInBothLanguages(t *testing.T) {
	for _, lang := range []string{"it", "en"} {
		for name, p := range pagesOf(t, lang) {
			var buf bytes.Buffer
			if err := Render(&buf, p); err != nil {
				t.Fatalf("%s (%s): %v", name, lang, err)
			}
			html := buf.String()
			if i := strings.Index(html, "⟦"); i >= 0 {
				t.Errorf("%s (%s): a word is missing: %s", name, lang, html[i:i+40])
			}
			if strings.Contains(html, "$2a$") {
				t.Errorf("%s (%s) shows a password hash", name, lang)
			}
			if !strings.Contains(html, `<html lang="`+lang+`">`) {
				t.Errorf("%s: not in %s", name, lang)
			}
			// Every form that changes something carries the version it was
			// made on, so a stale one is refused.
			for _, form := range regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*action="(/admin/[^"]+)".*?</form>`).FindAllStringSubmatch(html, -1) {
				if a := form[1]; a != "/admin/login" && a != "/admin/logout" && !strings.Contains(form[0], `name="base"`) {
					t.Errorf("%s (%s): the form of %s carries no version", name, lang, a)
				}
			}
		}
	}
}

func TestTheVersionsChanges(t *testing.T) {
	pages := pagesOf(t, "it")
	d := pages["version"].Detail
	if d.Changes != 2 || len(d.Groups) != 2 {
		t.Fatalf("got %d changes in %d groups: %+v", d.Changes, len(d.Groups), d.Groups)
	}
	if g := d.Groups[0]; g.Title != "Ufficio" || g.Rows[0].Field != "chiusure" || g.Rows[0].Before != "[]" || g.Rows[0].After != `["2026-12-07"]` {
		t.Fatalf("office: %+v", g)
	}
	g := d.Groups[1]
	if g.Title != "Servizio «Anagrafe e stato civile»" || !g.Rows[0].Long || g.Rows[0].Field != "scheda informativa" {
		t.Fatalf("sheet: %+v", g)
	}
	row := pages["history"].Versions[0]
	if row.Version != 2 || row.Changes != 2 || len(row.Summary) != 2 || row.Reason != "ponte" {
		t.Fatalf("history row: %+v", row)
	}
}

func TestLineDiff(t *testing.T) {
	before, after := lineDiff("a\nb\nc", "a\nx\nc\nd")
	got := func(lines []DiffLine) string {
		var b strings.Builder
		for _, l := range lines {
			if l.Changed {
				b.WriteString("*")
			}
			b.WriteString(l.Text + " ")
		}
		return b.String()
	}
	if g := got(before); g != "a *b c " {
		t.Errorf("before: %q", g)
	}
	if g := got(after); g != "a *x c *d " {
		t.Errorf("after: %q", g)
	}
	if b, a := lineDiff("", "new"); len(b) != 0 || len(a) != 1 || !a[0].Changed {
		t.Errorf("from nothing: %+v %+v", b, a)
	}
}

func TestLabels(t *testing.T) {
	cfg := demo(t)
	for _, tc := range []struct{ lang, field, want string }{
		{"it", "services[0].prefix", "Servizio «Anagrafe e stato civile» › lettera"},
		{"en", "services[0].appointments.slot", "Service \u201cRegistry office\u201d › appointments › slot length"},
		{"it", "office.hours.tue", "Ufficio › orari › martedì"},
		{"it", "office.closures[2]", "Ufficio › chiusure"},
		{"it", "counters[5].services", "Sportello «Sportello 6 — Consegna rapida» › servizi"},
		{"it", "users[1].password_hash", "Utente «mario» › password"},
		{"it", "staffing[0].hours", "Piano del personale n. 1 › orari"},
		{"it", "services", "Servizi"},
		{"en", "agenda.prefix", "Appointments › letter"},
	} {
		got := Label(tc.lang, cfg, tc.field)
		if tc.field == "staffing[0].hours" {
			tc.want = "Turno n. 1 › orari"
		}
		if got != tc.want {
			t.Errorf("Label(%s, %s): got %q, want %q", tc.lang, tc.field, got, tc.want)
		}
	}
	// Changes name lists by id: counter "1" is not the second counter.
	if got := ChangeLabel("it", cfg, "counters[1]", "name"); got != "Sportello «Sportello 1» › nome" {
		t.Errorf("a change of counter 1: %q", got)
	}
	if got := ChangeLabel("it", cfg, "staffing[3#1]", ""); got != "Turno 1 dello sportello «Sportello 3»" {
		t.Errorf("a shift: %q", got)
	}
}

func TestTranslations(t *testing.T) {
	for in, want := range map[string]string{
		`"AB" must be one capital letter A-Z`:                                    "«AB» deve essere una sola lettera maiuscola A-Z",
		`no counter serves nuovo`:                                                "nessuno sportello serve nuovo: sceglilo tra gli sportelli che lo servono",
		`Monday: ranges 08:30-12:30 and 12:00-13:00 overlap or are out of order`: "Monday: le fasce 08:30-12:30 e 12:00-13:00 si sovrappongono o non sono in ordine",
		`something new`: `something new`,
	} {
		if got := Translate("it", in); got != want {
			t.Errorf("Translate(%q): got %q, want %q", in, got, want)
		}
		if got := Translate("en", in); got != in {
			t.Errorf("English changed: %q", got)
		}
	}
}
