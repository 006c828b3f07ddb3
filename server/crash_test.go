package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/queue"
	"turno/server/store"
)

// TestMain lets the test binary run as the server in a child process, so the
// crash test kills a real server without building another binary.
func TestMain(m *testing.M) {
	if os.Getenv("TURNO_TEST_CHILD") == "1" {
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// allDayOffice is open around the clock so the test does not depend on the
// hour CI runs at.
const allDayOffice = `
[office]
name = "Crash test office"
timezone = "Europe/Rome"
[office.hours]
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]
[[services]]
id = "anagrafe"
name = { it = "Anagrafe", en = "Registry" }
prefix = "A"
cutoff_before_close = "1s"
cutoff_on_load = false
[[services]]
id = "tributi"
name = { it = "Tributi", en = "Taxes" }
prefix = "T"
cutoff_before_close = "1s"
cutoff_on_load = false
[[counters]]
id = "1"
services = ["anagrafe", "tributi"]
[[counters]]
id = "2"
services = ["anagrafe", "tributi"]
[[counters]]
id = "3"
services = ["anagrafe", "tributi"]
[[users]]
name = "admin"
role = "admin"
password_hash = "%s"
[[users]]
name = "c1"
role = "clerk"
password_hash = "%[1]s"
[[users]]
name = "c2"
role = "clerk"
password_hash = "%[1]s"
[[users]]
name = "c3"
role = "clerk"
password_hash = "%[1]s"
[[devices]]
id = "kiosk-1"
role = "kiosk"
token = "crash-test-kiosk-token"
`

// child is a server process.
type child struct {
	cmd *exec.Cmd
	url string
}

func startChild(t *testing.T, dataDir, configPath string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-data", dataDir, "-config", configPath)
	cmd.Env = append(os.Environ(), "TURNO_TEST_CHILD=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := regexp.MustCompile(`Listening on (http://\S+)`)
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	select {
	case url := <-urls:
		return &child{cmd: cmd, url: url}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the server did not start: %s", stderr.String())
		return nil
	}
}

func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
}

func (c *child) stop(t *testing.T) {
	t.Helper()
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	_ = c.cmd.Wait()
}

var httpClient = &http.Client{Timeout: 10 * time.Second}

func (c *child) post(token, path string, body any, out any) (int, error) {
	data, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", c.url+path, bytes.NewReader(data))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return 0, err
		}
	}
	return resp.StatusCode, nil
}

func (c *child) get(path string, out any) (int, error) {
	resp, err := httpClient.Get(c.url + path)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == 200 && out != nil {
		return 200, json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode, nil
}

func hashDemo() (string, error) { return config.HashPassword("demo") }

type acked struct {
	ID, Number, Day, Status string
}

func TestCrashLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	dir := t.TempDir()
	hash, err := hashDemo()
	if err != nil {
		t.Fatal(err)
	}
	configPath := filepath.Join(dir, "office.toml")
	if err := os.WriteFile(configPath, []byte(fmt.Sprintf(allDayOffice, hash)), 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")
	srv := startChild(t, dataDir, configPath)

	tokens := map[string]string{}
	for i, user := range []string{"c1", "c2", "c3"} {
		var login struct{ Token string }
		if status, err := srv.post("", "/api/v1/login", map[string]string{"user": user, "password": "demo"}, &login); err != nil || status != 200 {
			t.Fatalf("login %s: %d %v", user, status, err)
		}
		tokens[user] = login.Token
		if status, err := srv.post(login.Token, fmt.Sprintf("/api/v1/counters/%d/open", i+1), map[string]any{"services": []string{"anagrafe", "tributi"}}, nil); err != nil || status != 200 {
			t.Fatalf("open: %d %v", status, err)
		}
	}

	var (
		mu       sync.Mutex
		issued   = map[string]acked{} // acknowledged tickets by id
		finished = map[string]bool{}  // acknowledged finishes by ticket id
		wg       sync.WaitGroup
	)
	ctx, stopLoad := context.WithCancel(context.Background())
	for i := 0; i < 12; i++ { // kiosks
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for ctx.Err() == nil {
				var tk acked
				status, err := srv.post("crash-test-kiosk-token", "/api/v1/tickets", map[string]any{"service": []string{"anagrafe", "tributi"}[i%2]}, &tk)
				if err != nil {
					return // the server is gone
				}
				if status == 201 {
					mu.Lock()
					issued[tk.ID] = tk
					mu.Unlock()
				}
			}
		}(i)
	}
	for i, user := range []string{"c1", "c2", "c3"} { // counters
		wg.Add(1)
		go func(counter, token string) {
			defer wg.Done()
			for ctx.Err() == nil {
				var res struct{ Ticket *acked }
				status, err := srv.post(token, "/api/v1/counters/"+counter+"/next", nil, &res)
				if err != nil {
					return
				}
				if status != 200 {
					continue
				}
				status, err = srv.post(token, "/api/v1/counters/"+counter+"/finish", map[string]string{"outcome": "resolved"}, nil)
				if err != nil {
					return
				}
				if status == 200 {
					mu.Lock()
					finished[res.Ticket.ID] = true
					mu.Unlock()
				}
			}
		}(fmt.Sprint(i+1), tokens[user])
	}
	// Let the load run, then kill the server in the middle of it.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n, f := len(issued), len(finished)
		mu.Unlock()
		if n >= 600 && f >= 50 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	srv.kill(t)
	stopLoad()
	wg.Wait()
	if len(issued) < 100 {
		t.Fatalf("only %d tickets were acknowledged before the kill", len(issued))
	}

	srv = startChild(t, dataDir, configPath)
	maxNumber := map[string]string{} // day/prefix -> highest acknowledged number
	for id, want := range issued {
		var got acked
		if status, err := srv.get("/api/v1/tickets/"+id, &got); err != nil || status != 200 {
			t.Fatalf("acknowledged ticket %s %s: got %d %v after the crash", want.Number, id, status, err)
		}
		if got.Number != want.Number {
			t.Fatalf("ticket %s: got number %s, want %s", id, got.Number, want.Number)
		}
		if finished[id] && got.Status != string(queue.StatusDone) {
			t.Fatalf("ticket %s was finished, now %s", want.Number, got.Status)
		}
		key := want.Day + "/" + want.Number[:1]
		if want.Number > maxNumber[key] {
			maxNumber[key] = want.Number
		}
	}
	// New numbers continue after every acknowledged one.
	for _, service := range []string{"anagrafe", "tributi"} {
		var tk acked
		if status, err := srv.post("crash-test-kiosk-token", "/api/v1/tickets", map[string]any{"service": service}, &tk); err != nil || status != 201 {
			t.Fatalf("issue after restart: %d %v", status, err)
		}
		if prev := maxNumber[tk.Day+"/"+tk.Number[:1]]; tk.Number <= prev {
			t.Fatalf("after restart got %s, not after %s", tk.Number, prev)
		}
	}
	srv.stop(t)

	// The log itself: gapless, and no number issued twice in a day.
	db, err := store.Open(filepath.Join(dataDir, "turno.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	events, err := db.EventsSince(0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	numbers := map[string]bool{}
	for i, ev := range events {
		if ev.Seq != uint64(i+1) {
			t.Fatalf("event %d has seq %d: the log has a gap", i+1, ev.Seq)
		}
		if ev.Type == queue.EventTicketIssued {
			key := ev.Ticket.Day + "/" + ev.Ticket.Number
			if numbers[key] {
				t.Fatalf("%s issued twice", key)
			}
			numbers[key] = true
		}
	}
	t.Logf("%d acknowledged tickets, %d finishes, %d events survived the kill", len(issued), len(finished), len(events))
}
