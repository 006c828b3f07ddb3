package accesslog_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"turno/server/accesslog"
)

// logged runs requests through the handler over a real server and returns
// the JSON log lines and the observed requests.
func logged(t *testing.T, level slog.Level, requests func(url string)) ([]map[string]any, []accesslog.Request) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /t/{id}", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("hello")) })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("fail") != "" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	mux.HandleFunc("POST /boom", func(w http.ResponseWriter, r *http.Request) { panic("a bug") })
	var mu sync.Mutex
	var buf bytes.Buffer
	var seen []accesslog.Request
	clock := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	h := accesslog.Handler(mux, accesslog.Options{
		Logger: slog.New(slog.NewJSONHandler(&lockedWriter{mu: &mu, w: &buf}, &slog.HandlerOptions{Level: level})),
		Route: func(r *http.Request) string {
			_, p := mux.Handler(r)
			_, p, _ = strings.Cut(p, " ")
			return p
		},
		Client:  func(r *http.Request) string { return "192.0.2.7" },
		Observe: func(r accesslog.Request) { mu.Lock(); seen = append(seen, r); mu.Unlock() },
		Quiet:   []string{"/healthz"},
		Now: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			clock = clock.Add(1500 * time.Microsecond)
			return clock
		},
	})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError) // the panic's trace
	srv.Start()
	requests(srv.URL)
	srv.Close()
	mu.Lock()
	defer mu.Unlock()
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		lines = append(lines, m)
	}
	return lines, seen
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func get(t *testing.T, method, url string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	req.Header.Set("Authorization", "Bearer very-secret-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return // the panic drops the connection
	}
	resp.Body.Close()
}

func TestEveryRequestIsLoggedByRoute(t *testing.T) {
	const id = "0123456789abcdef0123456789abcdef"
	lines, seen := logged(t, slog.LevelInfo, func(url string) {
		get(t, "GET", url+"/t/"+id+"?code=PRN-1234")
		get(t, "GET", url+"/healthz")        // quiet: debug only
		get(t, "GET", url+"/healthz?fail=1") // a failing probe is not quiet
		get(t, "GET", url+"/nowhere/"+id)    // no route
		get(t, "POST", url+"/boom")          // a panic
		get(t, "BREW", url+"/t/"+id)         // a method of its own
	})
	want := []struct {
		route, level string
		status       float64
	}{
		{"/t/{id}", "INFO", 200},
		{"/healthz", "WARN", 503},
		{"unmatched", "INFO", 404},
		{"/boom", "WARN", 500},
		{"unmatched", "INFO", 405},
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d: %v", len(lines), len(want), lines)
	}
	for i, w := range want {
		l := lines[i]
		if l["msg"] != "http request" || l["route"] != w.route || l["level"] != w.level || l["status"] != w.status || l["client"] != "192.0.2.7" {
			t.Errorf("line %d: got %v, want route %s, level %s, status %v", i, l, w.route, w.level, w.status)
		}
	}
	if l := lines[0]; l["bytes"] != 5.0 || l["duration_ms"] != 1.5 || l["method"] != "GET" {
		t.Errorf("got %v, want 5 bytes in 1.5 ms", l)
	}
	all, _ := json.Marshal(lines)
	for _, secret := range []string{id, "PRN-1234", "very-secret-token"} {
		if bytes.Contains(all, []byte(secret)) {
			t.Errorf("the log holds %q: %s", secret, all)
		}
	}
	// Every request is observed, quiet ones included.
	if len(seen) != 6 || seen[1].Route != "/healthz" || seen[1].Status != 200 || seen[3].Route != "" {
		t.Errorf("observed %+v", seen)
	}
	if seen[5].Method != "BREW" {
		t.Errorf("observed method %q", seen[5].Method)
	}
}

func TestQuietRoutesAtDebugLevel(t *testing.T) {
	lines, _ := logged(t, slog.LevelDebug, func(url string) { get(t, "GET", url+"/healthz") })
	if len(lines) != 1 || lines[0]["level"] != "DEBUG" || lines[0]["route"] != "/healthz" {
		t.Fatalf("got %v, want the probe at debug level", lines)
	}
}
