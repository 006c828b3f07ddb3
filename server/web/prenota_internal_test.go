package web

import (
	"io/fs"
	"math"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"turno/assets"
)

func TestInfoHTMLEscapesEverything(t *testing.T) {
	for _, tc := range []struct{ name, md, want string }{
		{"sheet", "**Cosa portare / What to bring**\n- documento d'identità\n- codice fiscale\n\nPoi: *firmato*",
			"<p><strong>Cosa portare / What to bring</strong></p><ul><li>documento d&#39;identità</li><li>codice fiscale</li></ul><p>Poi: <em>firmato</em></p>"},
		{"script", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{"tags in bold", "**<b onclick=x>y</b>**", "<p><strong>&lt;b onclick=x&gt;y&lt;/b&gt;</strong></p>"},
		{"links keep their text only", `[il sito](javascript:alert(1)) e ![img](x.png "t")`, "<p>il sito e img</p>"},
		{"heading", "## Orari & \"uffici\"", "<p><strong>Orari &amp; &#34;uffici&#34;</strong></p>"},
		{"escaped marks", `\*non enfasi\* e ` + "`codice`", "<p>&#42;non enfasi&#42; e codice</p>"},
		{"unclosed bold", "**a metà", "<p>**a metà</p>"},
		{"list ends at a paragraph", "- uno\nfine", "<ul><li>uno</li></ul><p>fine</p>"},
		{"empty", "  \n\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(infoHTML(tc.md)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestFoldICS(t *testing.T) {
	for _, line := range []string{
		"SUMMARY:short",
		"DESCRIPTION:" + strings.Repeat("à", 100), // two octets a letter: never cut in the middle
		"LOCATION:" + strings.Repeat("x", 74),
		"X:" + strings.Repeat("€", 60),
	} {
		folded := foldICS(line)
		if !strings.HasSuffix(folded, "\r\n") {
			t.Fatalf("%q does not end with CRLF", folded)
		}
		parts := strings.Split(strings.TrimSuffix(folded, "\r\n"), "\r\n")
		var joined strings.Builder
		for i, p := range parts {
			if len(p) > 75 {
				t.Errorf("line of %d octets: %q", len(p), p)
			}
			if !utf8.ValidString(p) {
				t.Errorf("line cut inside a character: %q", p)
			}
			if i > 0 {
				if !strings.HasPrefix(p, " ") {
					t.Errorf("continuation without its space: %q", p)
				}
				p = p[1:]
			}
			joined.WriteString(p)
		}
		if joined.String() != line {
			t.Errorf("unfolded %q, want %q", joined.String(), line)
		}
	}
}

func TestEscapeICS(t *testing.T) {
	got := escapeICS("Comune; Via Roma, 1\nback\\slash\r\nend")
	if want := `Comune\; Via Roma\, 1\nback\\slash\nend`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestAcceptLanguage(t *testing.T) {
	for h, want := range map[string]tr{
		"":                            "it",
		"en-US,en;q=0.9":              "en",
		"it-IT,it;q=0.9,en;q=0.8":     "it",
		"de-DE,en;q=0.5,it;q=0.7":     "it",
		"fr, EN-gb;q=0.6":             "en",
		"en;q=0, it;q=0.1":            "it",
		"en;q=abc":                    "it",
		"*":                           "it",
		"es-ES,es;q=0.9,en-GB;q=0.4,": "en",
	} {
		if got := acceptLanguage(h); got != want {
			t.Errorf("%q: got %s, want %s", h, got, want)
		}
	}
}

func TestDurationText(t *testing.T) {
	for _, tc := range []struct {
		d      time.Duration
		it, en string
	}{
		{2 * time.Hour, "2 ore", "2 hours"},
		{time.Hour, "1 ora", "1 hour"},
		{90 * time.Minute, "1 ora e 30 minuti", "1 hour 30 minutes"},
		{30 * time.Minute, "30 minuti", "30 minutes"},
		{0, "0 minuti", "0 minutes"},
		{24 * time.Hour, "1 giorno", "1 day"},
		{48 * time.Hour, "2 giorni", "2 days"},
	} {
		if got := tr("it").Duration(tc.d); got != tc.it {
			t.Errorf("%v: got %q, want %q", tc.d, got, tc.it)
		}
		if got := tr("en").Duration(tc.d); got != tc.en {
			t.Errorf("%v: got %q, want %q", tc.d, got, tc.en)
		}
	}
}

// Every word the pages use exists in both languages, and the Italian
// addresses the citizen formally (Lei), never with tu.
func TestPageTextsAreCompleteAndFormal(t *testing.T) {
	used := map[string]bool{}
	templateKey := regexp.MustCompile(`\.T\.S "([a-z_.0-9]+)"`)
	err := fs.WalkDir(assets.Prenota, "prenota", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(assets.Prenota, path)
		for _, m := range templateKey.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// In the code: calls of S with a key, and keys handed over as strings
	// (a page's title, a refusal's sentence).
	called := regexp.MustCompile(`\.S\("([a-z_.0-9]+)"`)
	literal := regexp.MustCompile(`"([a-z_]+\.[a-z_.0-9]+)"`)
	for _, file := range []string{"prenota.go", "prenota_text.go"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range called.FindAllStringSubmatch(string(data), -1) {
			if !strings.HasSuffix(m[1], ".") { // a prefix, completed below
				used[m[1]] = true
			}
		}
		if file == "prenota_text.go" {
			continue // the table itself
		}
		for _, m := range literal.FindAllStringSubmatch(string(data), -1) {
			if _, ok := texts[m[1]]; ok {
				used[m[1]] = true
			}
		}
	}
	for _, state := range []string{"booked", "cancelled", "checkedin", "missed"} {
		used["state."+state] = true // built from the booking's state
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys: the patterns no longer match the code", len(used))
	}
	for key := range used {
		if _, ok := texts[key]; !ok {
			t.Errorf("%q is used but has no text", key)
		}
	}
	informal := regexp.MustCompile(`(?i)\b(tu|tuo|tua|tuoi|tue|ti|hai|puoi|vuoi|devi|sei|scegli|inserisci|scrivi|digita|clicca|premi|riprova)\b`)
	for key, tx := range texts {
		if tx.it == "" || tx.en == "" {
			t.Errorf("%q lacks a language: %+v", key, tx)
		}
		if !used[key] {
			t.Errorf("%q is never used", key)
		}
		if m := informal.FindString(tx.it); m != "" {
			t.Errorf("%q says %q to the citizen: %q", key, m, tx.it)
		}
		if strings.Count(tx.it, "%") != strings.Count(tx.en, "%") {
			t.Errorf("%q: the two languages take different arguments: %+v", key, tx)
		}
	}
}

// The page's colour pairs read at 4.5:1 at least (WCAG 2.2, 1.4.3).
func TestPageColoursContrast(t *testing.T) {
	css, err := fs.ReadFile(assets.Web, "web/prenota.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"white": "#fff"}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-f]{3,6})`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	for _, pair := range [][2]string{
		{"fg", "bg"}, {"fg", "card"}, {"muted", "bg"}, {"muted", "card"}, {"accent", "bg"}, {"accent", "card"},
		{"white", "accent"}, {"white", "accent-dark"}, {"accent-dark", "card"}, {"err-fg", "err-bg"}, {"err-fg", "card"},
		{"white", "err-fg"}, {"ok-fg", "ok-bg"}, {"fg", "focus"},
	} {
		fg, bg := vars[pair[0]], vars[pair[1]]
		if fg == "" || bg == "" {
			t.Fatalf("no colour %v in the style sheet", pair)
		}
		if c := contrast(fg, bg); c < 4.5 {
			t.Errorf("%s on %s (%s on %s): %.2f:1, want 4.5:1 or more", pair[0], pair[1], fg, bg, c)
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	hex = strings.TrimPrefix(hex, "#")
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	var rgb [3]float64
	for i := range rgb {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			rgb[i] = c / 12.92
		} else {
			rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
}

func TestWindowCountsAFormOnce(t *testing.T) {
	w := newWindow(2)
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	if ok, added, _ := w.take("10.0.0.1", "form-a", at); !ok || !added {
		t.Fatal("the first is refused")
	}
	if ok, added, _ := w.take("10.0.0.1", "form-a", at); !ok || added {
		t.Fatal("the same form counted twice")
	}
	w.take("10.0.0.1", "form-b", at.Add(time.Minute))
	ok, _, until := w.take("10.0.0.1", "form-c", at.Add(2*time.Minute))
	if ok || !until.Equal(at.Add(time.Hour)) {
		t.Fatalf("got %v until %v, want a refusal until the first leaves the window", ok, until)
	}
	if ok, _, _ := w.take("10.0.0.2", "form-c", at.Add(2*time.Minute)); !ok {
		t.Fatal("another address is refused")
	}
	w.give("10.0.0.1", "form-b") // it booked nothing
	if ok, _, _ := w.take("10.0.0.1", "form-c", at.Add(2*time.Minute)); !ok {
		t.Fatal("a place given back is still taken")
	}
	if ok, _, _ := w.take("10.0.0.1", "form-d", at.Add(time.Hour+time.Second)); !ok {
		t.Fatal("the window does not slide")
	}
}

func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		origin, site string
		want         bool
	}{
		{"", "", true},
		{"http://turno.example:8080", "same-origin", true},
		{"http://TURNO.example:8080", "", true},
		{"http://evil.example", "", false},
		{"null", "", true}, // what a no-referrer page's form sends: the token decides
		{"null", "same-origin", true},
		{"null", "cross-site", false},
		{"", "cross-site", false},
		{"", "same-site", false},
		{"", "none", true},
	} {
		r := &http.Request{Host: "turno.example:8080", Header: http.Header{}}
		if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		if tc.site != "" {
			r.Header.Set("Sec-Fetch-Site", tc.site)
		}
		if got := sameOrigin(r); got != tc.want {
			t.Errorf("Origin %q, Sec-Fetch-Site %q: got %v", tc.origin, tc.site, got)
		}
	}
}

// An information sheet, whatever the office writes, renders to text and
// the few tags infoHTML makes: nothing of the input becomes markup.
func FuzzInfoHTML(f *testing.F) {
	for _, s := range []string{"**Cosa portare**\n- a\n- b", "<script>x</script>", "[a](b(c)) *e* `c` \\*", "# <h1>\n**<b>**"} {
		f.Add(s)
	}
	allowed := regexp.MustCompile(`</?(p|ul|li|strong|em)>`)
	f.Fuzz(func(t *testing.T, md string) {
		out := allowed.ReplaceAllString(string(infoHTML(md)), "")
		if strings.ContainsAny(out, "<>") {
			t.Fatalf("%q renders markup: %q", md, infoHTML(md))
		}
	})
}
