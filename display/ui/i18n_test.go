package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// translated finds the keys the display's code translates: tr("…"),
// trN(n, "…", "…"), say("…"), words.in(lang, "…") and when(…, "…", "…", "…").
func translated(t *testing.T) map[string]string {
	t.Helper()
	lit := `("(?:[^"\\]|\\.)*")`
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`\b(?:tr|say)\(` + lit),
		regexp.MustCompile(`\btrN\([^,]+,\s*` + lit + `,\s*` + lit),
		regexp.MustCompile(`\.in\(\w+,\s*` + lit),
		regexp.MustCompile(`\bwhen\([^"]*` + lit + `,\s*` + lit + `,\s*` + lit),
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range patterns {
			for _, m := range re.FindAllSubmatch(src, -1) {
				for _, q := range m[1:] {
					key, err := strconv.Unquote(string(q))
					if err != nil {
						t.Fatalf("%s: %v", f, err)
					}
					keys[key] = f
				}
			}
		}
	}
	return keys
}

func italianTable(t *testing.T) map[string]string {
	t.Helper()
	raw, err := translations.ReadFile("translations/it.json")
	if err != nil {
		t.Fatal(err)
	}
	it := map[string]string{}
	if err := json.Unmarshal(raw, &it); err != nil {
		t.Fatal(err)
	}
	return it
}

// Every string the display translates has its Italian: the floor
// assistant of an Italian office reads Italian, and so does the hall.
func TestEveryStringHasItsItalian(t *testing.T) {
	it := italianTable(t)
	keys := translated(t)
	for key, f := range keys {
		if it[key] == "" {
			t.Errorf("%s: no Italian for %q", f, key)
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d translated strings: are the patterns still right?", len(keys))
	}
	// The weekdays are looked up by time.Weekday's name.
	for _, d := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"} {
		if it[d] == "" {
			t.Errorf("no Italian for %s", d)
		}
	}
}

// informalItalian finds the informal register: pronouns and "you can"
// anywhere; an imperative where a clause starts (in mid-clause "il totem
// lo mostra" is the third person).
var informalItalian = regexp.MustCompile(`(?i)\b(tu|ti|te|tuo|tua|tuoi|tue|hai|puoi|devi|vuoi)\b|(?:^|[.:;!?]\s*)(scegli|riprova|accedi|tocca|premi|indica|consegnalo|consegna|inserisci|controlla|attendi|prendi|emetti|blocca|sblocca|sposta|mostra|togli|rimuovi|accorcia|scrivi|conferma|pubblica|annulla|chiedi|vai|torna|sbloccalo|emettilo)\b`)

// One register throughout: the office addresses people as "Lei". The
// informal pronouns never appear, nor an informal verb form in a sentence;
// a one-word command on a button (Annulla, Blocca, Accedi) is the neutral
// form Italian interfaces use, and is allowed.
func TestTheItalianIsFormalThroughout(t *testing.T) {
	informal := informalItalian
	placeholder := regexp.MustCompile(`\{\{[^}]*\}\}`)
	for key, v := range italianTable(t) {
		text := placeholder.ReplaceAllString(v, "")
		if len(strings.Fields(text)) <= 1 {
			continue // a button's one-word command
		}
		if m := informal.FindString(text); m != "" {
			t.Errorf("%q is %q: %q is the informal register; use the formal (Lei)", key, v, m)
		}
	}
	// The checker checks: the forms the issue found are caught.
	for _, bad := range []string{"Scegli un biglietto", "riprova tra un momento", "Il tuo ruolo", "consegnalo al cittadino"} {
		if !informal.MatchString(bad) {
			t.Errorf("the register check misses %q", bad)
		}
	}
}

// Plurals in both languages: "1 persona in attesa", "2 persone in attesa",
// never "1 persone attendono".
func TestPluralsAgreeWithTheirCount(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"it", 0, "0 persone in attesa"},
		{"it", 1, "1 persona in attesa"},
		{"it", 2, "2 persone in attesa"},
		{"en", 1, "1 person waiting"},
		{"en", 5, "5 people waiting"},
	} {
		fl := &Flow{words: loadCatalog(), opt: FlowOptions{Lang: c.lang}}
		if got := fl.trN(c.n, "1 person waiting", "{{.N}} people waiting"); got != c.want {
			t.Errorf("%s %d: got %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	// The appointments' and the plan's counts.
	for _, c := range []struct {
		lang, one, other string
		n                int
		kv               []any
		want             string
	}{
		{"it", "1 expected", "{{.N}} expected", 1, nil, "1 atteso"},
		{"it", "1 expected", "{{.N}} expected", 4, nil, "4 attesi"},
		{"it", "1 checked in", "{{.N}} checked in", 0, nil, "0 arrivati"},
		{"it", "1 free time on {{.D}}: tap it.", "{{.N}} free times on {{.D}}: tap one.", 1, []any{"D", "domani"}, "1 orario libero domani: lo tocchi."},
		{"it", "1 free time on {{.D}}: tap it.", "{{.N}} free times on {{.D}}: tap one.", 12, []any{"D", "oggi"}, "12 orari liberi oggi: ne tocchi uno."},
		{"en", "1 booking found for «{{.Q}}»", "{{.N}} bookings found for «{{.Q}}»", 2, []any{"Q", "rossi"}, "2 bookings found for «rossi»"},
		{"it", "(1 person waiting for its services)", "({{.N}} people waiting for its services)", 1, nil, "(1 persona attende i suoi servizi)"},
		{"it", "(1 person waiting for its services)", "({{.N}} people waiting for its services)", 3, nil, "(3 persone attendono i suoi servizi)"},
		{"it", "Appointment {{.P}} ({{.S}}) has been due since {{.T}}; the one counter serving it is busy",
			"Appointment {{.P}} ({{.S}}) has been due since {{.T}}; all {{.C}} counters serving it are busy", 2, []any{"P", "P004", "S", "Anagrafe", "T", "10:15", "C", 2},
			"L'appuntamento P004 (Anagrafe) è di turno dalle 10:15; tutti e 2 gli sportelli che lo servono sono occupati"},
	} {
		fl := &Flow{words: loadCatalog(), opt: FlowOptions{Lang: c.lang}}
		if got := fl.trN(c.n, c.one, c.other, c.kv...); got != c.want {
			t.Errorf("%s %d %q: got %q, want %q", c.lang, c.n, c.one, got, c.want)
		}
	}
	fl := &Flow{words: loadCatalog(), opt: FlowOptions{Lang: "it"}}
	got := fl.trN(1, "{{.C}} has been free for {{.D}} while 1 person waits for its services",
		"{{.C}} has been free for {{.D}} while {{.N}} people wait for its services", "C", "Sportello 3", "D", "4 min")
	if got != "Sportello 3 è libero da 4 min mentre 1 persona attende i suoi servizi" {
		t.Errorf("got %q", got)
	}
}
