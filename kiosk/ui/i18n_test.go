package ui

import (
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"

	"turno/server/queue"
)

// The files are Fyne's format: its loader takes them.
func TestTranslationsLoadInFyne(t *testing.T) {
	if err := lang.AddTranslationsFS(Translations, TranslationsDir); err != nil {
		t.Fatal(err)
	}
}

// tables reads every translation file as it is written.
func tables(t *testing.T) map[string]map[string]message {
	t.Helper()
	files, err := fs.ReadDir(Translations, TranslationsDir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]message{}
	for _, f := range files {
		data, err := Translations.ReadFile(path.Join(TranslationsDir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]message{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", f.Name(), err)
		}
		out[strings.TrimSuffix(f.Name(), ".json")] = m
	}
	return out
}

// Every language of the kiosk has a table, every table has every key of
// every other, a plural is a plural everywhere, and the same template
// fields: a string missing in one language would show in Italian.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	all := tables(t)
	for _, l := range languages {
		if all[l] == nil {
			t.Errorf("no table for %s", l)
		}
	}
	if len(all) != len(languages) {
		t.Errorf("tables %d, languages %v: a table without a button, or the reverse", len(all), languages)
	}
	keys := map[string]bool{}
	for _, table := range all {
		for k := range table {
			keys[k] = true
		}
	}
	field := regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)
	fields := func(s string) string {
		var f []string
		for _, m := range field.FindAllStringSubmatch(s, -1) {
			f = append(f, m[1])
		}
		sort.Strings(f)
		return strings.Join(f, ",")
	}
	for k := range keys {
		ref := all[DefaultLanguage][k]
		for l, table := range all {
			m, ok := table[k]
			switch {
			case !ok:
				t.Errorf("%s: missing in %s", k, l)
			case strings.TrimSpace(m.Other) == "":
				t.Errorf("%s: empty in %s", k, l)
			case (m.One == "") != (ref.One == ""):
				t.Errorf("%s: a plural in one language and not in %s", k, l)
			case fields(m.Other) != fields(ref.Other):
				t.Errorf("%s in %s uses %q, Italian %q", k, l, fields(m.Other), fields(ref.Other))
			}
		}
	}
}

// Italian addresses the citizen in one formal register ("Lei") from start
// to end; so do French ("vous") and Spanish ("usted"). A familiar word
// or verb form in a table fails here.
func TestOneFormalRegister(t *testing.T) {
	familiar := map[string][]string{
		"it": {"tu", "ti", "te", "tuo", "tua", "tuoi", "tue", "puoi", "hai", "sei", "vuoi", "devi",
			"prendi", "tocca", "scegli", "attendi", "inquadra", "ricorda", "chiedi", "riprova", "premi",
			"ritira", "segui", "torna", "scansiona", "annulla", "aspetta", "guarda", "leggi",
			"digita", "avvicina", "controlla", "annota", "cancella", "porta"},
		"fr": {"tu", "toi", "ton", "ta", "tes", "te", "t'", "prends", "touche", "choisis", "attends", "scanne", "retiens", "réessaie",
			"saisis", "vérifie", "reviens", "présente", "garde"},
		"es": {"tú", "tu", "tus", "te", "ti", "contigo", "puedes", "tienes", "toca", "toma", "elige", "espera",
			"escanea", "recuerda", "pregunta", "inténtalo", "recoge", "sigue",
			"escribe", "comprueba", "pide", "anota", "lleva", "acércala"},
	}
	// Words of the formal register that the familiar list would catch as
	// another part of speech.
	allowed := map[string]map[string]bool{
		"es": {"espera": true, "pregunta": true}, // nouns: "en espera", "la pregunta"
	}
	word := regexp.MustCompile(`[\p{L}']+`)
	for l, table := range tables(t) {
		bad := map[string]bool{}
		for _, w := range familiar[l] {
			if !allowed[l][w] {
				bad[w] = true
			}
		}
		for k, m := range table {
			if strings.HasPrefix(k, "staff.") {
				continue // for staff, in the infinitive
			}
			for _, s := range []string{m.One, m.Other} {
				for _, w := range word.FindAllString(strings.ToLower(s), -1) {
					if bad[w] || (l == "fr" && strings.HasPrefix(w, "t'")) {
						t.Errorf("%s %s: %q uses the familiar %q", l, k, s, w)
					}
				}
			}
		}
	}
	// And the formal forms are there: the sentences that speak to the
	// citizen.
	tr, err := NewTranslator("it")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"start.title": "Prenda", "start.subtitle": "Tocchi", "info.take": "Prenda", "ticket.qr": "Segua",
		"ticket.noPrinter": "Ricordi", "todo.book": "Può", "todo.askStaff": "Chieda", "ticket.yourNumber": "suo",
		"checkin.subtitle": "Digiti", "checkin.scan": "avvicini", "checkin.tooEarly.todo": "Torni", "book.instructions": "Digiti",
		"offer.tile": "Prenoti", "booked.noPrinter": "Annoti", "key.delete": "Cancelli", "checkin.confirm": "Confermi",
	} {
		if got := tr.L(key); !strings.Contains(got, want) {
			t.Errorf("it %s: got %q, want the formal %q", key, got, want)
		}
	}
}

// Plurals: 1 persona, 2 persone; 1 minuto, 2 minuti, in every language.
func TestPlurals(t *testing.T) {
	tr, err := NewTranslator("it")
	if err != nil {
		t.Fatal(err)
	}
	w := words{tr: tr, now: time.Now, loc: func() *time.Location { return time.UTC }}
	minutes := func(m int) queue.Wait {
		s := queue.Seconds(time.Duration(m) * time.Minute)
		return queue.Wait{EstimatedWait: s, WaitLow: s, WaitHigh: s}
	}
	for _, tc := range []struct {
		lang           string
		one, two       string // waiting
		wait1, wait2   string
		ahead1, ahead2 string
	}{
		{"it", "1 persona in attesa", "2 persone in attesa", "circa 1 minuto", "circa 2 minuti", "1 persona prima di lei", "2 persone prima di lei"},
		{"en", "1 person waiting", "2 people waiting", "about 1 minute", "about 2 minutes", "1 person ahead of you", "2 people ahead of you"},
		{"fr", "1 personne en attente", "2 personnes en attente", "environ 1 minute", "environ 2 minutes", "1 personne avant vous", "2 personnes avant vous"},
		{"es", "1 persona en espera", "2 personas en espera", "alrededor de 1 minuto", "unos 2 minutos", "1 persona delante de usted", "2 personas delante de usted"},
	} {
		tr.SetLanguage(tc.lang)
		for _, c := range []struct{ got, want string }{
			{w.waitingText(1), tc.one}, {w.waitingText(2), tc.two},
			{w.waitText(minutes(1)), tc.wait1}, {w.waitText(minutes(2)), tc.wait2},
			{w.aheadText(1), tc.ahead1}, {w.aheadText(2), tc.ahead2},
		} {
			if c.got != c.want {
				t.Errorf("%s: got %q, want %q", tc.lang, c.got, c.want)
			}
		}
	}
	// Every plural key of every language: the singular for 1 and the
	// plural for 2, each with its count.
	for _, l := range languages {
		tr.SetLanguage(l)
		for k, m := range tables(t)[l] {
			if m.One == "" {
				continue
			}
			one := tr.N(k, 1, map[string]any{"Low": 0, "High": 1})
			two := tr.N(k, 2, map[string]any{"Low": 1, "High": 2})
			if one == two || !strings.Contains(one, "1") || !strings.Contains(two, "2") {
				t.Errorf("%s %s: 1 gives %q, 2 gives %q", l, k, one, two)
			}
		}
	}
}

func TestWords(t *testing.T) {
	tr, err := NewTranslator("it")
	if err != nil {
		t.Fatal(err)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	now := time.Date(2026, 11, 24, 12, 10, 0, 0, rome)
	w := words{tr: tr, now: func() time.Time { return now }, loc: func() *time.Location { return rome }}
	at := func(d, h, m int) *time.Time { t := time.Date(2026, 11, d, h, m, 0, 0, rome); return &t }
	wait := func(exp, low, high time.Duration) queue.Wait {
		return queue.Wait{EstimatedWait: queue.Seconds(exp), WaitLow: queue.Seconds(low), WaitHigh: queue.Seconds(high)}
	}
	flat := func(d time.Duration) queue.Wait { return wait(d, d, d) }
	for _, tc := range []struct {
		lang string
		got  func() string
		want string
	}{
		{"it", func() string { return w.waitText(flat(0)) }, "nessuna attesa"},
		{"it", func() string { return w.waitText(flat(61 * time.Second)) }, "circa 1 minuto"},
		{"it", func() string { return w.waitText(flat(22 * time.Minute)) }, "circa 20 minuti"},
		{"it", func() string { return w.waitText(wait(22*time.Minute, 12*time.Minute, 36*time.Minute)) }, "tra 10 e 40 minuti"},
		{"en", func() string { return w.waitText(wait(22*time.Minute, 12*time.Minute, 36*time.Minute)) }, "between 10 and 40 minutes"},
		{"fr", func() string { return w.waitText(wait(22*time.Minute, 12*time.Minute, 36*time.Minute)) }, "entre 10 et 40 minutes"},
		{"es", func() string { return w.waitText(wait(22*time.Minute, 12*time.Minute, 36*time.Minute)) }, "entre 10 y 40 minutos"},
		{"it", func() string { return w.waitText(wait(8*time.Minute, 0, 20*time.Minute)) }, "fino a 20 minuti"},
		{"it", func() string { return w.waitingText(1) }, "1 persona in attesa"},
		{"en", func() string { return w.aheadText(3) }, "3 people ahead of you"},
		{"it", func() string { return w.when(*at(24, 15, 0)) }, "oggi alle 15:00"},
		{"en", func() string { return w.when(*at(25, 8, 30)) }, "tomorrow at 08:30"},
		{"it", func() string { return w.when(*at(30, 8, 30)) }, "lunedì 30 novembre alle 08:30"},
		{"fr", func() string { return w.when(*at(30, 8, 30)) }, "le lundi 30 novembre à 08:30"},
		{"es", func() string { return w.when(*at(30, 8, 30)) }, "el lunes 30 de noviembre a las 08:30"},
		{"es", func() string { return w.date(now) }, "martes, 24 de noviembre de 2026"},
		{"it", func() string {
			s, todo := w.reason(&queue.ServiceView{Appointments: true, ServiceStatus: queue.ServiceStatus{Status: queue.ServiceCutoff, ClosesAt: at(24, 12, 30),
				Refusal: &queue.Refusal{Rule: queue.RuleCutoffTime, ReopensAt: at(24, 15, 0), Appointment: true}}})
			return s + " " + todo
		}, "Biglietti terminati: lo sportello chiude alle 12:30. Riapre oggi alle 15:00, oppure può prenotare un appuntamento."},
		{"en", func() string {
			s, todo := w.reason(&queue.ServiceView{ServiceStatus: queue.ServiceStatus{Status: queue.ServiceLocked, Lock: &queue.Lock{Reason: "staff meeting"},
				Refusal: &queue.Refusal{Rule: queue.RuleLocked}}})
			return s + " " + todo
		}, "Tickets suspended: staff meeting. Please ask the staff in the hall."},
		{"en", func() string {
			s, todo := w.reason(&queue.ServiceView{ServiceStatus: queue.ServiceStatus{Status: queue.ServiceCutoff,
				Refusal: &queue.Refusal{Rule: queue.RuleDailyCap, ReopensAt: at(25, 8, 30)}}})
			return s + " " + todo
		}, "All of today's tickets have been issued. It reopens tomorrow at 08:30."},
		{"xx", func() string { return tr.L("start.title") }, "Prenda il suo numero"}, // unknown: the default
		{"en", func() string { return tr.L("no.such.key") }, "no.such.key"},
	} {
		tr.SetLanguage(tc.lang)
		if got := tc.got(); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.lang, got, tc.want)
		}
	}
}

// Times are the office's, whatever zone the machine runs in and whatever
// zone the times arrive in: 11:30 UTC is 12:30 in Rome in November.
func TestTimesInTheOfficesZone(t *testing.T) {
	tr, err := NewTranslator("it")
	if err != nil {
		t.Fatal(err)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	now := time.Date(2026, 11, 24, 11, 10, 0, 0, time.UTC) // 12:10 in Rome
	w := words{tr: tr, now: func() time.Time { return now }, loc: func() *time.Location { return rome }}
	closes := time.Date(2026, 11, 24, 11, 30, 0, 0, time.UTC)
	reopens := time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)
	s, todo := w.reason(&queue.ServiceView{ServiceStatus: queue.ServiceStatus{Status: queue.ServiceCutoff, ClosesAt: &closes,
		Refusal: &queue.Refusal{Rule: queue.RuleCutoffTime, ReopensAt: &reopens}}})
	if got, want := s+" "+todo, "Biglietti terminati: lo sportello chiude alle 12:30. Riapre oggi alle 15:00."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// 23:30 UTC on the 24th is already the 25th in Rome: "tomorrow" is
	// counted from the office's midnight.
	late := time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC)
	if got := w.when(late); got != "domani alle 00:30" {
		t.Errorf("got %q, want domani alle 00:30", got)
	}
	if got := w.clock(now); got != "12:10" {
		t.Errorf("clock: got %q, want 12:10", got)
	}
}

// Every refusal of a check-in, in every language: a title, what happened
// with its times in the office's zone, and what to do; no field left
// unfilled.
func TestCheckInRefusalWords(t *testing.T) {
	tr, err := NewTranslator("it")
	if err != nil {
		t.Fatal(err)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, rome)
	w := words{tr: tr, now: func() time.Time { return now }, loc: func() *time.Location { return rome }}
	at := func(d, h, m int) *time.Time { t := time.Date(2026, 11, d, h, m, 0, 0, time.UTC); return &t } // in UTC: Rome is an hour ahead
	for _, tc := range []struct {
		r     queue.CheckInRefusal
		code  string
		times []string
	}{
		{queue.CheckInRefusal{Reason: queue.CheckInUnknown}, "ACD-EFG", []string{"ACD-EFG"}},
		{queue.CheckInRefusal{Reason: queue.CheckInUnknown}, "", nil},
		{queue.CheckInRefusal{Reason: queue.CheckInNotToday, Slot: at(26, 9, 30)}, "", []string{"26", "10:30"}},
		{queue.CheckInRefusal{Reason: queue.CheckInTooEarly, Slot: at(24, 10, 0), ComeBackAt: at(24, 9, 45)}, "", []string{"11:00", "10:45"}},
		{queue.CheckInRefusal{Reason: queue.CheckInTooLate, Slot: at(24, 7, 30)}, "", []string{"08:30"}},
		{queue.CheckInRefusal{Reason: queue.CheckInCancelled}, "", nil},
		{queue.CheckInRefusal{Reason: queue.CheckInServed}, "", nil},
		{queue.CheckInRefusal{Reason: "something_new"}, "", nil},
	} {
		for _, l := range languages {
			tr.SetLanguage(l)
			title, text, todo := w.checkInRefusal(&tc.r, tc.code)
			all := title + "\n" + text + "\n" + todo
			if title == "" || text == "" || todo == "" || strings.Contains(all, "{{") || strings.Contains(all, "<no value>") {
				t.Errorf("%s %s: %q", l, tc.r.Reason, all)
			}
			for _, want := range tc.times {
				if !strings.Contains(text+todo, want) {
					t.Errorf("%s %s: %q lacks %q", l, tc.r.Reason, all, want)
				}
			}
		}
	}
	tr.SetLanguage("en")
	if _, text, _ := w.checkInRefusal(&queue.CheckInRefusal{Reason: queue.CheckInNotToday, Slot: at(26, 9, 30)}, ""); text != "Your appointment is on Thursday 26 November at 10:30, not today." {
		t.Errorf("not today: %q", text)
	}
	for _, tc := range []struct {
		lang string
		at   *time.Time
		want string
	}{
		{"it", at(24, 14, 0), "oggi alle 15:00"},
		{"en", at(25, 8, 30), "tomorrow at 09:30"},
		{"fr", at(26, 9, 30), "jeudi 26 novembre à 10:30"},
		{"es", at(26, 9, 30), "jueves 26 de noviembre a las 10:30"},
	} {
		tr.SetLanguage(tc.lang)
		if got := w.slot(*tc.at); got != tc.want {
			t.Errorf("%s slot: got %q, want %q", tc.lang, got, tc.want)
		}
	}
}
