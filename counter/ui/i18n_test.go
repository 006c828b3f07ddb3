package ui

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"testing"
)

// Every string the console shows has its Italian translation, and the
// translations load in Fyne's bundle.
func TestItalianComplete(t *testing.T) {
	data, err := os.ReadFile("translations/it.json")
	if err != nil {
		t.Fatal(err)
	}
	var it map[string]string
	if err := json.Unmarshal(data, &it); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("sh", "-c", "cat $(ls *.go | grep -v _test.go)").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\btr\("((?:[^"\\]|\\.)*)"`).FindAllStringSubmatch(string(out), -1) {
		if _, ok := it[m[1]]; !ok {
			t.Errorf("no Italian for %q", m[1])
		}
	}
}
