package ui

import (
	"embed"
	"fmt"

	"fyne.io/fyne/v2/lang"
)

//go:embed translations
var translations embed.FS

// LoadTranslations adds the console's Italian and English strings to Fyne's
// translation bundle. Fyne picks the language from the system's locale
// (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), read again by this call.
func LoadTranslations() error {
	if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
		return fmt.Errorf("counter translations: %w", err)
	}
	return nil
}

// tr translates a string with named values, given as name, value pairs.
func tr(key string, kv ...any) string {
	if len(kv) == 0 {
		return lang.L(key)
	}
	return lang.L(key, values(kv))
}

// trn translates a string whose words depend on the count n ("1 person
// waiting", "3 people waiting"): the tables give its plural forms, and n is
// the value N.
func trn(key string, n int, kv ...any) string {
	data := values(kv)
	data["N"] = n
	return lang.N(key, n, data)
}

func values(kv []any) map[string]any {
	data := make(map[string]any, len(kv)/2+1)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			data[k] = kv[i+1]
		}
	}
	return data
}
