package loadtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The stream benchmarks run each server in a child process, so that its
// memory is measured alone, and the websocket clients in this one.

// build compiles a command of this module into dir.
func build(b *testing.B, pkg, dir string) string {
	b.Helper()
	bin := filepath.Join(dir, filepath.Base(pkg))
	out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
	if err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

type child struct {
	cmd *exec.Cmd
	url string
	// stderr is its log, access log included: read it once stopped.
	stderr *bytes.Buffer
}

// stop ends the child, as its cleanup would.
func (c *child) stop() {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	_ = c.cmd.Wait()
}

// start runs a server and waits for its "Listening on" line.
func start(b *testing.B, bin string, args ...string) *child {
	b.Helper()
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
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
		c := &child{cmd: cmd, url: url, stderr: &stderr}
		b.Cleanup(c.stop)
		return c
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		b.Fatalf("%s did not start: %s", bin, stderr.String())
		return nil
	}
}

// rssMB returns the child's peak and current resident memory in MB.
func (c *child) rssMB(b *testing.B) (peak, now float64) {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmHWM:":
			peak = kb / 1024
		case "VmRSS:":
			now = kb / 1024
		}
	}
	return peak, now
}

// streamOffice is open around the clock with one service and one counter.
const streamOffice = `
[office]
name = "Load test office"
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
[[counters]]
id = "1"
services = ["anagrafe"]
[[users]]
name = "clerk"
role = "clerk"
password_hash = "%s"
[[devices]]
id = "kiosk-1"
role = "kiosk"
token = "load-test-kiosk-token"
[[devices]]
id = "display-1"
role = "display"
token = "load-test-display-token"
`

// pace separates the calls, as a real office's calls come seconds apart: the
// screens have received the previous call's follow-up (the finish, the fresh
// queue statistics) before the next one is measured.
const pace = 500 * time.Millisecond

// apiClient posts to a child server and fails the benchmark on an error.
type apiClient struct {
	b   *testing.B
	url string
}

func (a apiClient) post(token, path, body string) []byte {
	a.b.Helper()
	req, _ := http.NewRequest("POST", a.url+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.b.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if resp.StatusCode >= 300 {
		a.b.Fatalf("POST %s: %d %s", path, resp.StatusCode, buf.String())
	}
	return buf.Bytes()
}

func (a apiClient) login(user, password string) string {
	a.b.Helper()
	var resp struct{ Token string }
	data := a.post("", "/api/v1/login", fmt.Sprintf(`{"user":%q,"password":%q}`, user, password))
	if err := json.Unmarshal(data, &resp); err != nil {
		a.b.Fatal(err)
	}
	return resp.Token
}

// cpuSeconds is the CPU time the child's threads have run so far, to the
// nanosecond (/proc/PID/task/*/schedstat: /proc/PID/stat counts in
// hundredths of a second, too coarse for a snapshot).
func (c *child) cpuSeconds(b *testing.B) float64 {
	b.Helper()
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", c.cmd.Process.Pid))
	if err != nil || len(tasks) == 0 {
		b.Fatalf("no schedstat for the child: %v", err)
	}
	var ns float64
	for _, p := range tasks {
		data, err := os.ReadFile(p)
		if err != nil {
			continue // a thread that just ended
		}
		if f := strings.Fields(string(data)); len(f) > 0 {
			v, _ := strconv.ParseFloat(f[0], 64)
			ns += v
		}
	}
	return ns / 1e9
}

// waitIdle waits until the child has used under 10 ms of processor in half
// a second (its start-up work done), two minutes at most.
func (c *child) waitIdle(b *testing.B) {
	b.Helper()
	last := c.cpuSeconds(b)
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		time.Sleep(500 * time.Millisecond)
		now := c.cpuSeconds(b)
		if now-last < 0.010 {
			return
		}
		last = now
	}
	b.Fatal("the server never went idle")
}

// writtenBytes is what the child has sent to the disk so far.
func (c *child) writtenBytes(b *testing.B) float64 {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", c.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			n, _ := strconv.ParseFloat(v, 64)
			return n
		}
	}
	b.Fatal("no write_bytes in /proc/PID/io")
	return 0
}

// resetPeak sets the child's peak resident memory to its current one, so
// that the next peak is the one of what follows.
func (c *child) resetPeak(b *testing.B) {
	b.Helper()
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", c.cmd.Process.Pid), []byte("5"), 0); err != nil {
		b.Fatal(err)
	}
}
