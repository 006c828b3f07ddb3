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
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/bcrypt"
)

// The call-to-screen benchmark runs each server in a child process, so that
// its memory is measured alone, and n websocket screens in this one.

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
		c := &child{cmd: cmd, url: url}
		b.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
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

// screens are n websocket clients; each records when a frame containing
// marker arrives.
type screens struct {
	conns    []*websocket.Conn
	mu       sync.Mutex
	arrivals []time.Time
	got      chan struct{}
	ready    chan struct{} // one per screen at its first frame: it is subscribed
	took     []time.Duration
}

func connectScreens(b *testing.B, n int, url string, header http.Header, subscribe []byte, marker []byte) *screens {
	b.Helper()
	s := &screens{got: make(chan struct{}, n), ready: make(chan struct{}, n)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	var failed error
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			conn, _, err := websocket.DefaultDialer.Dial(url, header)
			if err == nil && subscribe != nil {
				err = conn.WriteMessage(websocket.TextMessage, subscribe)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed = err
				return
			}
			s.conns = append(s.conns, conn)
			go s.read(conn, marker)
		}()
	}
	wg.Wait()
	if failed != nil {
		b.Fatalf("%d screens: %v", n, failed)
	}
	if subscribe != nil { // Turno's screens start with a snapshot
		timeout := time.After(60 * time.Second)
		for i := 0; i < n; i++ {
			select {
			case <-s.ready:
			case <-timeout:
				b.Fatalf("only %d of %d screens subscribed within 60 s", i, n)
			}
		}
	}
	b.Cleanup(func() {
		for _, c := range s.conns {
			c.Close()
		}
	})
	return s
}

func (s *screens) read(conn *websocket.Conn, marker []byte) {
	for first := true; ; first = false {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if first {
			s.ready <- struct{}{}
		}
		if bytes.Contains(data, marker) {
			now := time.Now()
			s.mu.Lock()
			s.arrivals = append(s.arrivals, now)
			s.mu.Unlock()
			s.got <- struct{}{}
		}
	}
}

// call runs one call and returns each screen's latency from the moment the
// call was sent.
func (s *screens) call(b *testing.B, do func()) []time.Duration {
	b.Helper()
	s.mu.Lock()
	s.arrivals = s.arrivals[:0]
	s.mu.Unlock()
	t0 := time.Now()
	do()
	s.took = append(s.took, time.Since(t0))
	timeout := time.After(30 * time.Second)
	for i := 0; i < len(s.conns); i++ {
		select {
		case <-s.got:
		case <-timeout:
			b.Fatalf("only %d of %d screens got the call within 30 s", i, len(s.conns))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	lat := make([]time.Duration, len(s.arrivals))
	for i, at := range s.arrivals {
		lat[i] = at.Sub(t0)
	}
	return lat
}

func report(b *testing.B, c *child, s *screens, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	sort.Slice(s.took, func(i, j int) bool { return s.took[i] < s.took[j] })
	b.ReportMetric(ms(s.took[len(s.took)/2]), "call-p50-ms") // the request itself
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	peak, _ := c.rssMB(b)
	b.ReportMetric(peak, "peak-rss-MB")
	b.ReportMetric(0, "ns/op")
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

// BenchmarkCallToScreen measures, at 1,000 and 5,000 hall screens, the time
// from a clerk's call-next request to the call's arrival on every screen,
// and the server's peak memory; beside it, the same for a bare gorilla
// broadcast hub (barehub). -benchtime Nx sets the number of calls.
func BenchmarkCallToScreen(b *testing.B) {
	dir := b.TempDir()
	turno := build(b, "turno/server", dir)
	bare := build(b, "turno/server/loadtest/barehub", dir)
	hash, err := bcrypt.GenerateFromPassword([]byte("load"), bcrypt.MinCost)
	if err != nil {
		b.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "office.toml")
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf(streamOffice, hash)), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("turno/screens=%d", n), func(b *testing.B) {
			srv := start(b, turno, "-addr", "127.0.0.1:0", "-data", b.TempDir(), "-config", cfgPath)
			api := apiClient{b: b, url: srv.url}
			token := api.login("clerk", "load")
			api.post(token, "/api/v1/counters/1/open", `{"services":["anagrafe"]}`)
			for i := 0; i < b.N; i++ {
				api.post("load-test-kiosk-token", "/api/v1/tickets", `{"service":"anagrafe"}`)
			}
			header := http.Header{"Authorization": {"Bearer load-test-display-token"}}
			s := connectScreens(b, n, "ws"+strings.TrimPrefix(srv.url, "http")+"/api/v1/stream", header, []byte(`{}`), []byte(`"ticket.called"`))
			var lat []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				lat = append(lat, s.call(b, func() { api.post(token, "/api/v1/counters/1/next", "") })...)
				b.StopTimer()
				api.post(token, "/api/v1/counters/1/finish", `{"outcome":"resolved"}`)
				time.Sleep(pace)
				b.StartTimer()
			}
			b.StopTimer()
			report(b, srv, s, lat)
		})
		b.Run(fmt.Sprintf("barehub/screens=%d", n), func(b *testing.B) {
			srv := start(b, bare, "-addr", "127.0.0.1:0")
			api := apiClient{b: b, url: srv.url}
			s := connectScreens(b, n, "ws"+strings.TrimPrefix(srv.url, "http")+"/ws", nil, nil, []byte(`"ticket.called"`))
			// A frame the size of Turno's call event.
			msg := `{"type":"event","seq":42,"event":{"seq":42,"type":"ticket.called","at":"2026-11-24T09:00:00+01:00","day":"2026-11-24","ticket":{"id":"e764edade86dccb510d32eae053b0386","number":"A001","seq":1,"service":"anagrafe","day":"2026-11-24","priority":false,"status":"called","channel":"kiosk-1","issued_at":"2026-11-24T08:59:00+01:00","queued_at":"2026-11-24T08:59:00+01:00","called_at":"2026-11-24T09:00:00+01:00","counter":"1","calls":1},"counter":{"id":"1","name":"1","lane":"standard","state":"open","services":["anagrafe"],"may_serve":["anagrafe"],"current":"e764edade86dccb510d32eae053b0386","opened_at":"2026-11-24T08:30:00+01:00"}}}`
			var lat []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				lat = append(lat, s.call(b, func() { api.post("", "/publish", msg) })...)
				b.StopTimer()
				time.Sleep(pace)
				b.StartTimer()
			}
			b.StopTimer()
			report(b, srv, s, lat)
		})
	}
}

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
