package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"turno/server/sim"
)

func simulateCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"simulate"}, args...), func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSimulateCommand(t *testing.T) {
	code, out, errOut := simulateCmd(t, "-days", "2", "-scenario", "staffing", "-seed", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Comune di Borgo Demo", "seed 3; 2 working days, 2026-01-05 to 2026-01-07", `== staffing: arrivals x1.00, staffing "change" ==`, "anagrafe", "oracle MAE", "overtime past closing"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report has no %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "== normal") {
		t.Error("-scenario staffing also ran normal")
	}

	code, out, errOut = simulateCmd(t, "-days", "1", "-json", "-start", "2026-03-02")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep sim.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("-json: %v\n%s", err, out)
	}
	if len(rep.Scenarios) != 4 || rep.From != "2026-03-02" || rep.Scenarios[1].Name != "peak" || rep.Scenarios[1].Multiplier != 1.8 {
		t.Fatalf("-json: got %+v", rep)
	}
}

func TestSimulateRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "profile.toml")
	if err := os.WriteFile(bad, []byte("[services.anagrafe]\nmean = \"8m\"\nper_hour = { 25 = 3 }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown flag", []string{"-dayz", "3"}, 2, "flag provided but not defined: -dayz"},
		{"bad number", []string{"-days", "many"}, 2, `invalid value "many" for flag -days`},
		{"stray argument", []string{"peak"}, 2, `unexpected argument "peak"`},
		{"bad scenario", []string{"-scenario", "holiday"}, 1, `no scenario "holiday"`},
		{"bad start", []string{"-start", "yesterday"}, 1, `-start "yesterday" is not a date YYYY-MM-DD`},
		{"bad profile", []string{"-profile", bad}, 1, `services.anagrafe.per_hour: "25" is not an hour 0-23`},
		{"missing profile", []string{"-profile", filepath.Join(dir, "none.toml")}, 1, "none.toml"},
		{"missing config", []string{"-config", filepath.Join(dir, "office.toml")}, 1, "simulate: configuration:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := simulateCmd(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || out != "" {
				t.Fatalf("exit %d, stderr %q, stdout %q; want exit %d and %q", code, errOut, out, tc.code, tc.want)
			}
		})
	}
}
