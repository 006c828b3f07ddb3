package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"
)

// The kiosk's strings live in translations/<lang>.json in Fyne's format
// (a flat object; a plural is an object with "one" and "other"), so that
// fyne.io/fyne/v2/lang can load them (main.go registers them). Fyne 2.7
// picks its language once, from the system locale, and has no call to
// change it while the app runs (fyne-io/fyne#5026 proposed one and was
// closed), while a kiosk changes language at every citizen's tap. So the
// kiosk selects the table itself, here, through Translator.L.

//go:embed translations/*.json
var Translations embed.FS

// TranslationsDir is the directory of Translations that holds the files.
const TranslationsDir = "translations"

// languages are the kiosk's languages, in the order of the buttons: one
// table each in translations/.
var languages = []string{"it", "en", "fr", "es"}

// Languages returns the kiosk's languages ("it", "en", "fr", "es").
func Languages() []string { return append([]string(nil), languages...) }

// DefaultLanguage is used when none, or an unknown one, is configured.
const DefaultLanguage = "it"

// message is one string of a table: Other, and One for a plural's singular.
type message struct{ One, Other string }

func (m *message) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		m.Other = s
		return nil
	}
	var p struct{ One, Other string }
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("want a string or {\"one\",\"other\"}: %w", err)
	}
	m.One, m.Other = p.One, p.Other
	return nil
}

// Translator holds every language's table and the language in use. It is
// used on the UI goroutine only.
type Translator struct {
	tables map[string]map[string]message
	lang   string
}

// NewTranslator loads the embedded tables and selects lang (or the default
// when lang is not one of them).
func NewTranslator(lang string) (*Translator, error) {
	tr := &Translator{tables: map[string]map[string]message{}}
	files, err := fs.ReadDir(Translations, TranslationsDir)
	if err != nil {
		return nil, fmt.Errorf("kiosk: translations: %w", err)
	}
	for _, f := range files {
		data, err := Translations.ReadFile(path.Join(TranslationsDir, f.Name()))
		if err != nil {
			return nil, fmt.Errorf("kiosk: translations: %w", err)
		}
		table := map[string]message{}
		if err := json.Unmarshal(data, &table); err != nil {
			return nil, fmt.Errorf("kiosk: translations %s: %w", f.Name(), err)
		}
		tr.tables[strings.TrimSuffix(f.Name(), ".json")] = table
	}
	tr.SetLanguage(lang)
	return tr, nil
}

// SetLanguage selects a language; an unknown one selects the default.
func (tr *Translator) SetLanguage(lang string) {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if len(lang) > 2 { // "en_US.UTF-8", "it-IT"
		lang = lang[:2]
	}
	if _, ok := tr.tables[lang]; !ok {
		lang = DefaultLanguage
	}
	tr.lang = lang
}

// Language returns the language in use ("it", "en", "fr", "es").
func (tr *Translator) Language() string { return tr.lang }

// L translates key with optional template data (a map or struct, as Fyne's
// lang.L). A key missing from the language falls back to Italian, then to
// the key itself, so that a forgotten string shows rather than vanishes.
func (tr *Translator) L(key string, data ...any) string {
	return tr.render(key, tr.lookup(key).Other, data)
}

// N translates a plural: the "one" form for a count the language
// treats as singular (1; in French 0 and 1). The data gets .Count.
func (tr *Translator) N(key string, count int, data map[string]any) string {
	m := tr.lookup(key)
	text := m.Other
	if singular(tr.lang, count) && m.One != "" {
		text = m.One
	}
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = count
	return tr.render(key, text, []any{data})
}

// singular is the CLDR plural rule "one" of the kiosk's languages for
// whole numbers.
func singular(lang string, n int) bool {
	if lang == "fr" {
		return n == 0 || n == 1
	}
	return n == 1
}

func (tr *Translator) lookup(key string) message {
	if m, ok := tr.tables[tr.lang][key]; ok {
		return m
	}
	if m, ok := tr.tables[DefaultLanguage][key]; ok {
		return m
	}
	return message{Other: key}
}

func (tr *Translator) render(key, text string, data []any) string {
	if len(data) == 0 || !strings.Contains(text, "{{") {
		return text
	}
	t, err := template.New(key).Option("missingkey=zero").Parse(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	if err := t.Execute(&b, data[0]); err != nil {
		return text
	}
	return b.String()
}
