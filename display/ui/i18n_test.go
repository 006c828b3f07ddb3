package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// Every string the flow view translates has its Italian: the floor
// assistant of an Italian office reads Italian.
func TestEveryStringHasItsItalian(t *testing.T) {
	raw, err := translations.ReadFile("translations/it.json")
	if err != nil {
		t.Fatal(err)
	}
	it := map[string]string{}
	if err := json.Unmarshal(raw, &it); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`\btr\(("(?:[^"\\]|\\.)*")`)
	seen := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllSubmatch(src, -1) {
			key, err := strconv.Unquote(string(m[1]))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			seen++
			if it[key] == "" {
				t.Errorf("%s: no Italian for %q", f, key)
			}
		}
	}
	if seen < 50 {
		t.Fatalf("found only %d translated strings: is the pattern still right?", seen)
	}
}
