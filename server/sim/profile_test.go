package sim

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// minimalProfile is the smallest valid profile for the demo office; the
// cases below break one thing each.
const minimalProfile = `
[services.anagrafe]
mean = "8m"
cv = 0.5
per_hour = { 09 = 10 }

[staffing]
normal = [{ counter = "1" }]

[[scenarios]]
name = "normal"
staffing = "normal"
`

func TestParseProfile(t *testing.T) {
	p, err := ParseProfile([]byte(minimalProfile))
	if err != nil {
		t.Fatal(err)
	}
	sp := p.Service("anagrafe")
	if sp == nil || sp.Time.Mean != 8*time.Minute || sp.Time.CV != 0.5 || sp.PerHour[9] != 10 || sp.PerHour[10] != 0 {
		t.Fatalf("got %+v", sp)
	}
	if p.LoginDelay != DefaultLoginDelay || p.CallGap != DefaultCallGap || p.RecallGap != DefaultRecallGap || p.OvertimeLimit != DefaultOvertimeLimit {
		t.Fatalf("defaults: got %+v", p)
	}
	if k := p.Staffing["normal"][0]; k.Name != "clerk-1" || k.From != 0 || k.Until != 24*60 {
		t.Fatalf("clerk: got %+v", k)
	}
	if sc := p.Scenario("normal"); sc == nil || sc.Multiplier != 1 {
		t.Fatalf("scenario: got %+v", sc)
	}

	// The log-normal's parameters give back its mean and CV.
	mu, sigma := LogNormal{Mean: 8 * time.Minute, CV: 0.5}.Params()
	if mean := math.Exp(mu + sigma*sigma/2); mean < 479.99 || mean > 480.01 {
		t.Fatalf("log-normal mean %v s, want 480", mean)
	}
}

func TestParseProfileRefusesBadFiles(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"syntax", `mean = "8m"`, `mean = "8m`, "line 3:"},
		{"unknown field", `cv = 0.5`, `cv = 0.5` + "\nsigma = 2", "services.anagrafe.sigma: unknown field"},
		{"no mean", `mean = "8m"`, ``, "services.anagrafe.mean: give the true mean time"},
		{"bad duration", `mean = "8m"`, `mean = "eight minutes"`, `"eight minutes" is not a duration`},
		{"negative cv", `cv = 0.5`, `cv = -1`, "services.anagrafe.cv: -1 must be from 0"},
		{"hour 25", `09 = 10`, `25 = 10`, `services.anagrafe.per_hour: "25" is not an hour 0-23`},
		{"hour name", `09 = 10`, `nine = 10`, `services.anagrafe.per_hour: "nine" is not an hour 0-23`},
		{"negative rate", `09 = 10`, `09 = -3`, "services.anagrafe.per_hour.09: -3 must be from 0"},
		{"no-show share", `cv = 0.5`, "cv = 0.5\nno_show = 1.5", "services.anagrafe.no_show: 1.5 must be a share from 0 to 1"},
		{"priority share", `[services.anagrafe]`, "priority_share = -0.1\n[services.anagrafe]", "priority_share: -0.1 must be a share"},
		{"recall gap", `[services.anagrafe]`, "recall_gap = \"0s\"\n[services.anagrafe]", "recall_gap: must be more than 0"},
		{"no clerk", `normal = [{ counter = "1" }]`, `normal = []`, "staffing.normal: nobody staffs a counter"},
		{"no counter", `{ counter = "1" }`, `{ name = "mario" }`, "staffing.normal[0].counter: is missing"},
		{"counter twice", `{ counter = "1" }`, `{ counter = "1" }, { counter = "1", name = "luca" }`, `staffing.normal[1].counter: counter "1" is staffed twice`},
		{"bad from", `{ counter = "1" }`, `{ counter = "1", from = "9am" }`, `staffing.normal[0].from: "9am" is not a time of day HH:MM`},
		{"until before from", `{ counter = "1" }`, `{ counter = "1", from = "11:00", until = "10:00" }`, "staffing.normal[0]: until 10:00 is not after from 11:00"},
		{"unknown staffing", `staffing = "normal"`, `staffing = "weekend"`, `scenarios[0].staffing: no staffing set "weekend" (the file has normal)`},
		{"scenario all", `name = "normal"`, `name = "all"`, `scenarios[0].name: "all" must be`},
		{"multiplier", `staffing = "normal"`, "staffing = \"normal\"\nmultiplier = 0", "scenarios[0].multiplier: must be more than 0"},
		{"no scenario", "[[scenarios]]\nname = \"normal\"\nstaffing = \"normal\"", "", "scenarios: the profile has no scenario"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(minimalProfile, tc.old) {
				t.Fatalf("the minimal profile has no %q", tc.old)
			}
			_, err := ParseProfile([]byte(strings.Replace(minimalProfile, tc.old, tc.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestProfileCheckAgainstTheOffice(t *testing.T) {
	cfg, _ := demo(t)
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"unknown service", `[services.anagrafe]`, `[services.passaporti]`, `services.passaporti: the office has no service "passaporti"`},
		{"unknown counter", `{ counter = "1" }`, `{ counter = "9" }`, `staffing.normal[0].counter: the office has no counter "9"`},
		{"service not served", `{ counter = "1" }`, `{ counter = "2", services = ["sociali"] }`, `staffing.normal[0].services: counter "2" may not serve "sociali" (it serves anagrafe, tributi)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseProfile([]byte(strings.Replace(minimalProfile, tc.old, tc.new, 1)))
			if err != nil {
				t.Fatal(err)
			}
			p.Source = "test.toml"
			err = p.Check(cfg)
			if err == nil || !strings.Contains(err.Error(), "profile test.toml: "+tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestLoadProfile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	if err := os.WriteFile(good, []byte(minimalProfile), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProfile(good)
	if err != nil || p.Source != good {
		t.Fatalf("got %+v, %v", p, err)
	}
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[services.anagrafe]\nmean = 8\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadProfile(bad); err == nil || !strings.Contains(err.Error(), "profile "+bad+": ") {
		t.Fatalf("got %v, want an error naming the file", err)
	}
	if _, err := LoadProfile(filepath.Join(dir, "missing.toml")); err == nil || !strings.Contains(err.Error(), "missing.toml") {
		t.Fatalf("got %v, want an error naming the missing file", err)
	}
	if _, err := DefaultProfile(); err != nil {
		t.Fatalf("the embedded profile: %v", err)
	}
}
