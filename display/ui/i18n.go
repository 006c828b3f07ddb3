package ui

import (
	"embed"
	"encoding/json"
	"strings"
	"text/template"
)

// translations holds the display's words by language, the key being the
// English text. Both screens read them through a catalog, not Fyne's
// bundle: the board shows two languages at once, and the flow view's
// language is chosen (-lang), not taken from the system's locale.
//
//go:embed translations
var translations embed.FS

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
