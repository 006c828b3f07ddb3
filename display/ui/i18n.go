package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"text/template"

	"fyne.io/fyne/v2/lang"
)

//go:embed translations
var translations embed.FS

// LoadTranslations adds the display's Italian and English strings to Fyne's
// translation bundle; Fyne picks the language from the system's locale.
func LoadTranslations() error {
	if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
		return fmt.Errorf("display translations: %w", err)
	}
	return nil
}

// tr translates into the system's language (the flow view): keys are the
// English text, values are named: tr("Waited {{.M}} min", "M", 3).
func tr(key string, kv ...any) string {
	if len(kv) == 0 {
		return lang.L(key)
	}
	return lang.L(key, data(kv))
}

func data(kv []any) map[string]any {
	d := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			d[k] = kv[i+1]
		}
	}
	return d
}

// catalog holds the translation files by language, for the board: it shows
// Italian and English at once, whatever the system's language, which
// Fyne's bundle (one language per process) cannot do.
type catalog map[string]map[string]string

func loadCatalog() catalog {
	c := catalog{}
	entries, _ := translations.ReadDir("translations") // embedded: cannot fail
	for _, e := range entries {
		raw, err := translations.ReadFile("translations/" + e.Name())
		if err != nil {
			continue
		}
		m := map[string]string{}
		if json.Unmarshal(raw, &m) == nil {
			c[strings.TrimSuffix(e.Name(), ".json")] = m
		}
	}
	return c
}

// in translates key into language l ("it", "en"), falling back to the key
// (which is the English text).
func (c catalog) in(l, key string, kv ...any) string {
	text := key
	if s, ok := c[l][key]; ok && s != "" {
		text = s
	}
	if len(kv) == 0 {
		return text
	}
	t, err := template.New("").Parse(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	if t.Execute(&b, data(kv)) != nil {
		return text
	}
	return b.String()
}
