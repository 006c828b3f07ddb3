package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"turno/server/config"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestExportAndImportTheConfiguration(t *testing.T) {
	dir := t.TempDir()
	demo := demoConfig(t)
	clock := &testClock{t: rome(t, "2026-11-24 07:30")}
	// The first start records the demo as version 1.
	s := startServe(t, demo, serveOptions{dataDir: dir, now: clock.Now}, nil)
	if strings.Contains(s.logs.String(), "configuration in force") {
		t.Fatalf("a first start names a stored version:\n%s", s.logs)
	}
	s.stop()

	code, exported, stderr := runCmd(t, "-export-config", "-data", dir)
	want, _ := config.Encode(demo)
	if code != 0 || exported != string(want) || !strings.Contains(stderr, "Version 1, by turno-server") {
		t.Fatalf("export: %d %q\n%s", code, stderr, exported)
	}

	// An office that prefers its file: edit the export, import it.
	edited := strings.Replace(exported, "service_time = \"8m\"", "service_time = \"9m\"", 1)
	path := filepath.Join(t.TempDir(), "office.toml")
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCmd(t, "-import-config", path, "-reason", "tempi misurati a novembre", "-data", dir)
	if code != 0 || !strings.Contains(out, "as version 2") {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
	code, out, _ = runCmd(t, "-import-config", path, "-data", dir)
	if code != 0 || !strings.Contains(out, "is the configuration in force already (version 2)") {
		t.Fatalf("the same import again: %d %s", code, out)
	}
	// The round trip: what is exported reads back as what was imported.
	code, again, _ := runCmd(t, "-export-config", "-data", dir)
	fromFile, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	back, err := config.Parse([]byte(again))
	if err != nil || code != 0 {
		t.Fatalf("export after the import: %d %v", code, err)
	}
	if !reflect.DeepEqual(mustEncode(t, back), mustEncode(t, fromFile)) {
		t.Fatalf("the export differs from the imported file:\n%s", again)
	}

	// A bad file names its field and changes nothing.
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte(strings.Replace(edited, `prefix = "T"`, `prefix = "TT"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCmd(t, "-import-config", bad, "-data", dir)
	if code != 1 || !strings.Contains(stderr, `services[1].prefix: "TT" must be one capital letter A-Z`) {
		t.Fatalf("a bad file: %d %s", code, stderr)
	}

	// The server starts on version 2; the file is only version 1.
	s = startServe(t, demo, serveOptions{dataDir: dir, now: clock.Now}, nil)
	logs := s.logs.String()
	if !strings.Contains(logs, "configuration in force") || !strings.Contains(logs, `"version":2`) || !strings.Contains(logs, `"by":"turno-server -import-config"`) {
		t.Fatalf("the start does not say which version is in force:\n%s", logs)
	}
	var answer struct {
		Services []struct {
			ID          string
			ServiceTime int `json:"service_time_s"`
		}
	}
	s.must(kioskToken, "GET", "/api/v1/services", nil, 200, &answer)
	if tr := answer.Services[1]; tr.ID != "tributi" || tr.ServiceTime != 540 {
		t.Fatalf("tributi: %+v", tr)
	}
}

func mustEncode(t *testing.T, c *config.Config) []byte {
	t.Helper()
	b, err := config.Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
