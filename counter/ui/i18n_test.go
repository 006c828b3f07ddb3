package ui

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"turno/server/officetest"
)

// table reads a translation table: each key with its text, or its plural
// forms.
func table(t *testing.T, lang string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile("translations/" + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = []string{s}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			t.Fatalf("%s.json: %q is neither a text nor plural forms: %v", lang, k, err)
		}
		if forms["one"] == "" || forms["other"] == "" {
			t.Errorf("%s.json: %q needs the plural forms one and other, has %v", lang, k, forms)
		}
		out[k] = []string{forms["one"], forms["other"]}
	}
	return out
}

// Every string the console shows has its Italian translation; every string
// that depends on a number has its plural forms in both languages.
func TestItalianComplete(t *testing.T) {
	it, en := table(t, "it"), table(t, "en")
	out, err := exec.Command("sh", "-c", "cat $(ls *.go | grep -v _test.go)").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\b(trn?)\("((?:[^"\\]|\\.)*)"`).FindAllStringSubmatch(string(out), -1) {
		fn, key := m[1], m[2]
		if _, ok := it[key]; !ok {
			t.Errorf("no Italian for %q", key)
		}
		if fn == "trn" && (len(it[key]) != 2 || len(en[key]) != 2) {
			t.Errorf("%q depends on a number: it.json and en.json need its plural forms", key)
		}
	}
}

// The console speaks to the clerk in one register, the formal one ("Lei":
// scelga, prema, riprovi), as the office speaks to citizens. Buttons keep
// the short commands every Italian program uses (Salva, Annulla, Esci),
// which sentences quote with a capital (prema Riprendi).
func TestItalianFormalRegister(t *testing.T) {
	for key, forms := range table(t, "it") {
		for _, s := range forms {
			if w := informalWords(s); len(w) > 0 {
				t.Errorf("%q → %q addresses the clerk informally: %v", key, s, w)
			}
		}
	}
}

func TestInformalWordsFound(t *testing.T) {
	for s, want := range map[string][]string{
		"Scegli i servizi e riaprilo.":               {"scegli", "riaprilo"},
		"La tua sessione è scaduta: accedi.":         {"tua", "accedi"},
		"Non puoi farlo: chiudi prima il biglietto.": {"puoi", "chiudi"},
		"Scelga i servizi e lo riapra.":              nil,
		"Prema Riprendi (F9) per chiamare.":          nil,
		"Chiudi sportello":                           nil, // a button
	} {
		if got := informalWords(s); !slices.Equal(got, want) {
			t.Errorf("informalWords(%q): got %v, want %v", s, got, want)
		}
	}
}

// informalWords returns the words of s that say "tu" to the reader. A
// verb in -are is no evidence ("annulla" is also "it cancels"): the words
// are the pronouns, and the forms that only "tu" takes.
func informalWords(s string) []string {
	always := map[string]bool{
		"tu": true, "ti": true, "te": true, "tuo": true, "tua": true, "tuoi": true, "tue": true,
		"sei": true, "hai": true, "puoi": true, "devi": true, "vuoi": true, "torni": true,
		"scegli": true, "scegline": true, "premi": true, "inserisci": true, "riprova": true,
		"rivolgiti": true, "riaprilo": true, "riaprila": true, "descrivi": true, "controlla": true,
	}
	// The buttons' commands in -ere and -ire (Accedi, Chiudi sportello):
	// informal in lower case, in a sentence; quoted with their capital,
	// they name a button.
	commands := map[string]bool{
		"accedi": true, "chiudi": true, "apri": true, "riapri": true, "esci": true,
		"riprendi": true, "trasferisci": true, "rimetti": true,
	}
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		lw := strings.ToLower(w)
		if always[lw] || commands[w] {
			out = append(out, lw)
		}
	}
	return out
}

// Counts agree with their words: one person, two people; una persona, due
// persone.
func TestPluralForms(t *testing.T) {
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 person waiting for these services — press Call next (F1)"},
		{"en", 2, "2 people waiting for these services — press Call next (F1)"},
		{"it", 1, "1 persona in attesa per questi servizi — prema Chiama il prossimo (F1)"},
		{"it", 2, "2 persone in attesa per questi servizi — prema Chiama il prossimo (F1)"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			useLanguage(t, tc.lang)
			if got := trn("{{.N}} waiting for these services — press Call next (F1)", tc.n); got != tc.want {
				t.Errorf("%d: got %q, want %q", tc.n, got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "Called again once — waiting for the citizen"},
		{"en", 2, "Called again 2 times — waiting for the citizen"},
		{"it", 1, "Richiamato 1 volta — in attesa del cittadino"},
		{"it", 2, "Richiamato 2 volte — in attesa del cittadino"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			useLanguage(t, tc.lang)
			if got := trn("Called again {{.N}} time — waiting for the citizen", tc.n); got != tc.want {
				t.Errorf("%d: got %q, want %q", tc.n, got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 free time on Tuesday 24 November"},
		{"en", 18, "18 free times on Tuesday 24 November"},
		{"it", 1, "1 orario libero per martedì 24 novembre"},
		{"it", 18, "18 orari liberi per martedì 24 novembre"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			useLanguage(t, tc.lang)
			c := &Console{}
			if got := trn("{{.N}} free time on {{.Day}}", tc.n, "Day", c.dayName(officetest.Tuesday("09:00"))); got != tc.want {
				t.Errorf("%d: got %q, want %q", tc.n, got, tc.want)
			}
		})
	}
}

// A booking code is spelled for the phone in the clerk's language.
func TestCodeSpelled(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"en", "K as Kilo, M as Mike, 4 — T as Tango, X as X-ray, A as Alfa"},
		{"it", "K come Kappa, M come Milano, 4 — T come Torino, X come Xeres, A come Ancona"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			useLanguage(t, tc.lang)
			if got := spell("KM4TXA"); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
