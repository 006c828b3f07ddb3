package web_test

import (
	"regexp"
	"strings"
	"testing"

	"turno/assets"
)

// informal lists the second-person forms that would address a citizen with
// "tu" instead of the office's "Lei": pronouns and possessives, and the
// imperatives and verbs a page like this would use. "sei" alone is also the
// number six, so only its verbal uses are listed.
var informal = regexp.MustCompile(`(?i)\b(tu|tuo|tua|tuoi|tue|te|ti|teco|vai|prendi|chiedi|controlla|resta|rimani|attiva|segui|inquadra|aspetta|scegli|torna|vieni|devi|puoi|hai|fai|sei (stat[oa]|allo|al|in|pregat[oa])|non ti)\b`)

// italianTexts returns the Italian strings of the phone page: the values of
// the script's "it" table and the page's own Italian text.
func italianTexts(t *testing.T) []string {
	t.Helper()
	js, err := assets.Web.ReadFile("web/ticket.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)\bit: \{(.*?)\n    \},`).FindSubmatch(js)
	if block == nil {
		t.Fatal(`ticket.js: no "it: {…}" table`)
	}
	var texts []string
	for _, m := range regexp.MustCompile(`\w+: "((?:[^"\\]|\\.)*)"`).FindAllSubmatch(block[1], -1) {
		texts = append(texts, string(m[1]))
	}
	if len(texts) < 15 {
		t.Fatalf("ticket.js: found only %d Italian strings", len(texts))
	}
	html, err := assets.Web.ReadFile("web/ticket.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?s)<noscript>(.*?)</noscript>`).FindAllSubmatch(html, -1) {
		italian, _, _ := strings.Cut(string(m[1]), " / ") // "Italiano / English"
		texts = append(texts, italian)
	}
	return texts
}

// The phone page speaks to the citizen as the office does, with "Lei" (È il
// Suo turno), never with "tu" (È il tuo turno); the two were mixed.
func TestThePhonePageItalianIsFormal(t *testing.T) {
	for _, text := range italianTexts(t) {
		if m := informal.FindString(text); m != "" {
			t.Errorf("%q: informal %q (address the citizen with Lei)", text, m)
		}
	}
}

// The check itself: it catches the informal forms and lets formal Italian,
// and words that merely contain them, through.
func TestTheInformalCheck(t *testing.T) {
	for _, text := range []string{"È il tuo turno!", "Persone prima di te", "Ti stanno richiamando", "Vai allo sportello",
		"Prendi un nuovo biglietto.", "non ti sei presentato", "quando sei stato chiamato", "Attiva il suono", "Tua"} {
		if informal.FindString(text) == "" {
			t.Errorf("%q: not caught", text)
		}
	}
	for _, text := range []string{"È il Suo turno!", "Persone prima di Lei", "La stanno richiamando", "Si rechi a: Sportello 1",
		"Prenda un nuovo biglietto.", "Attesa stimata", "Servizio in corso", "sei persone in attesa", "Turno perso", "tutto",
		"Controlli il link", "Attivi il suono", "Resti nei paraggi", "Aggiornato in tempo reale", "Stati", "tempi", "Teatro"} {
		if m := informal.FindString(text); m != "" {
			t.Errorf("%q: false positive %q", text, m)
		}
	}
}
