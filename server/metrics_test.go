package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"turno/server/queue"
)

// scrape reads url's metrics with Prometheus's own text parser.
func scrape(t *testing.T, client *http.Client, url, token string) map[string]*dto.MetricFamily {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/plain")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("scrape %s: got %d", url, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Fatalf("scrape: Content-Type %q, want Prometheus's text format", ct)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("the scrape does not parse: %v", err)
	}
	return families
}

// metric finds the sample of family name with exactly labels (name=value
// pairs), checking the family's type.
func metric(t *testing.T, families map[string]*dto.MetricFamily, name string, typ dto.MetricType, labels ...string) *dto.Metric {
	t.Helper()
	f := families[name]
	if f == nil {
		t.Fatalf("no metric %s in the scrape", name)
	}
	if f.GetType() != typ {
		t.Fatalf("%s: type %s, want %s", name, f.GetType(), typ)
	}
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
next:
	for _, m := range f.GetMetric() {
		if len(m.GetLabel()) != len(want) {
			continue
		}
		for _, l := range m.GetLabel() {
			if want[l.GetName()] != l.GetValue() {
				continue next
			}
		}
		return m
	}
	t.Fatalf("%s: no sample with labels %v", name, want)
	return nil
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	}
	return -1
}

func TestMetricsAreScrapedAndParsed(t *testing.T) {
	clock := &testClock{t: rome(t, "2026-11-24 09:00")}
	const token = "scrape-secret-7f3a"
	s := startServe(t, demoConfig(t), serveOptions{dataDir: t.TempDir(), metricsAddr: "127.0.0.1:0", metricsToken: token,
		backupDir: t.TempDir(), now: clock.Now, backupTicks: make(chan time.Time)}, nil)

	// A morning: tickets, a numerator locked and a citizen turned away, a
	// no-show, a hall display following the stream.
	var tickets []acked
	for _, svc := range []string{"anagrafe", "anagrafe", "anagrafe", "tributi"} {
		tickets = append(tickets, s.issue(svc))
	}
	anna := s.login("anna")
	s.must(anna, "POST", "/api/v1/services/sociali/lock", map[string]string{"reason": "sistema giù"}, 200, nil)
	s.must(kioskToken, "POST", "/api/v1/tickets", map[string]string{"service": "sociali"}, 409, nil)
	mario := s.login("mario")
	s.must(mario, "POST", "/api/v1/counters/1/open", map[string]any{"services": []string{"anagrafe"}}, 200, nil)
	s.must(mario, "POST", "/api/v1/counters/1/next", nil, 200, nil)
	s.must(mario, "POST", "/api/v1/counters/1/noshow", nil, 200, nil)
	for _, tk := range tickets {
		s.must("", "GET", "/api/v1/tickets/"+tk.ID, nil, 200, nil)
	}
	display, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.url, "http")+"/api/v1/stream",
		http.Header{"Authorization": {"Bearer demo-display-token"}})
	if err != nil {
		t.Fatal(err)
	}
	defer display.Close()
	if err := display.WriteJSON(queue.Subscribe{}); err != nil {
		t.Fatal(err)
	}
	var first queue.Frame
	if err := display.ReadJSON(&first); err != nil || first.Type != queue.FrameSnapshot {
		t.Fatalf("display: got %+v %v, want a snapshot", first, err)
	}
	clock.Set(rome(t, "2026-11-24 09:10"))

	// The metrics listener wants the token; the API's listener has no
	// /metrics at all.
	for _, tc := range []struct{ url, token string }{{s.metricsURL, ""}, {s.metricsURL, "wrong"}} {
		req, _ := http.NewRequest("GET", tc.url, nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := s.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("scrape with token %q: got %d, want 401 asking for a Bearer token", tc.token, resp.StatusCode)
		}
	}
	if status, _ := s.do(token, "GET", "/metrics", nil, nil); status != 404 {
		t.Errorf("/metrics on the API's listener with -metrics-addr: got %d, want 404", status)
	}

	f := scrape(t, s.client, s.metricsURL, token)
	C, G, H := dto.MetricType_COUNTER, dto.MetricType_GAUGE, dto.MetricType_HISTOGRAM
	checks := []struct {
		name   string
		typ    dto.MetricType
		labels []string
		want   float64
	}{
		{"turno_http_requests_total", C, []string{"route", "/api/v1/tickets", "method", "POST", "status", "201"}, 4},
		{"turno_http_requests_total", C, []string{"route", "/api/v1/tickets", "method", "POST", "status", "409"}, 1},
		{"turno_http_requests_total", C, []string{"route", "/api/v1/tickets/{id}", "method", "GET", "status", "200"}, 4},
		{"turno_http_requests_total", C, []string{"route", "/api/v1/counters/{id}/{action}", "method", "POST", "status", "200"}, 3},
		{"turno_http_requests_total", C, []string{"route", "/api/v1/stream", "method", "GET", "status", "101"}, 1},
		{"turno_http_requests_total", C, []string{"route", "unmatched", "method", "GET", "status", "404"}, 1},
		{"turno_waiting", G, []string{"service", "anagrafe"}, 2},
		{"turno_waiting", G, []string{"service", "tributi"}, 1},
		{"turno_oldest_wait_seconds", G, []string{"service", "anagrafe"}, 600},
		{"turno_oldest_wait_seconds", G, []string{"service", "sociali"}, 0},
		{"turno_target_wait_seconds", G, []string{"service", "anagrafe"}, 1200},
		{"turno_service_status", G, []string{"service", "sociali", "status", "locked"}, 1},
		{"turno_service_status", G, []string{"service", "sociali", "status", "open"}, 0},
		{"turno_service_status", G, []string{"service", "anagrafe", "status", "open"}, 1},
		{"turno_tickets_issued_total", C, []string{"service", "anagrafe"}, 3},
		{"turno_noshows_total", C, []string{"service", "anagrafe"}, 1},
		{"turno_turnaways_total", C, []string{"service", "sociali", "rule", "locked"}, 1},
		{"turno_turnaways_total", C, []string{"service", "anagrafe", "rule", "cutoff_load"}, 0},
		{"turno_counters", G, []string{"state", "open"}, 1},
		{"turno_counters", G, []string{"state", "closed"}, 5},
		{"turno_stream_clients", G, []string{"kind", "display"}, 1},
		{"turno_stream_clients", G, []string{"kind", "phone"}, 0},
		{"turno_stream_dropped_total", C, nil, 0},
		{"turno_commit_failures_total", C, nil, 0},
		{"turno_backups_total", C, []string{"result", "ok"}, 1}, // the day's, caught up at start
		{"turno_backups_total", C, []string{"result", "failed"}, 0},
	}
	for _, c := range checks {
		if got := value(metric(t, f, c.name, c.typ, c.labels...)); got != c.want {
			t.Errorf("%s%v: got %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	// Every change was written and timed: the histogram counts each write.
	batches := value(metric(t, f, "turno_commit_batches_total", C))
	events := value(metric(t, f, "turno_commit_events_total", C))
	fsync := metric(t, f, "turno_commit_duration_seconds", H).GetHistogram()
	if batches < 5 || events < batches || float64(fsync.GetSampleCount()) != batches || fsync.GetSampleSum() <= 0 {
		t.Errorf("commits: %v batches, %v events, %d timed (%v s)", batches, events, fsync.GetSampleCount(), fsync.GetSampleSum())
	}
	size := metric(t, f, "turno_commit_batch_events", H).GetHistogram()
	if float64(size.GetSampleSum()) != events {
		t.Errorf("batch sizes sum to %v, want the %v events", size.GetSampleSum(), events)
	}
	issues := metric(t, f, "turno_http_request_duration_seconds", H, "route", "/api/v1/tickets", "method", "POST", "status", "201").GetHistogram()
	if issues.GetSampleCount() != 4 {
		t.Errorf("issue latencies: %d timed, want 4", issues.GetSampleCount())
	}
	for _, name := range []string{"turno_db_size_bytes", "turno_backup_last_success_timestamp_seconds", "turno_backup_last_size_bytes", "go_goroutines", "process_resident_memory_bytes"} {
		if v := value(metric(t, f, name, G)); v <= 0 {
			t.Errorf("%s: got %v", name, v)
		}
	}
	// A stream is counted, not timed: its duration is the connection's.
	for _, m := range f["turno_http_request_duration_seconds"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" && l.GetValue() == "/api/v1/stream" {
				t.Error("the stream's request was timed")
			}
		}
	}
	// No label carries a ticket's id: routes are patterns.
	text := fmt.Sprint(f)
	for _, tk := range tickets {
		if strings.Contains(text, tk.ID) {
			t.Fatalf("ticket id %s in the metrics", tk.ID)
		}
	}

	// The access log: one JSON line per request, by route, without a
	// token, password or ticket id.
	s.stop()
	log := s.logs.String()
	for _, secret := range append([]string{token, "demo-kiosk-token", "demo-display-token", anna, mario, `"demo"`}, ids(tickets)...) {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds the secret %q", secret)
		}
	}
	var issueLines int
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, `"msg":"http request"`) && strings.Contains(line, `"route":"/api/v1/tickets"`) &&
			strings.Contains(line, `"method":"POST"`) && strings.Contains(line, `"status":201`) &&
			strings.Contains(line, `"duration_ms":`) && strings.Contains(line, `"bytes":`) && strings.Contains(line, `"client":"127.0.0.1"`) {
			issueLines++
		}
	}
	if issueLines != 4 {
		t.Errorf("the access log has %d lines for the 4 tickets:\n%s", issueLines, log)
	}
}

func ids(tickets []acked) []string {
	var out []string
	for _, tk := range tickets {
		out = append(out, tk.ID)
	}
	return slices.Clip(out)
}

// With a token and no address of their own, the metrics are on the API's
// listener, behind the token; with neither, they are not served.
func TestMetricsOnTheAPIListener(t *testing.T) {
	s := startServe(t, demoConfig(t), serveOptions{dataDir: t.TempDir(), metricsToken: "tok"}, nil)
	if status, _ := s.do("", "GET", "/metrics", nil, nil); status != 401 {
		t.Errorf("without the token: got %d, want 401", status)
	}
	f := scrape(t, s.client, s.url+"/metrics", "tok")
	metric(t, f, "turno_waiting", dto.MetricType_GAUGE, "service", "anagrafe")
	if _, ok := f["turno_backups_total"]; ok {
		t.Error("backup metrics without backups: an alert on their age would fire")
	}

	off := startServe(t, demoConfig(t), serveOptions{dataDir: t.TempDir()}, nil)
	if status, _ := off.do("", "GET", "/metrics", nil, nil); status != 404 {
		t.Errorf("metrics off: got %d, want 404", status)
	}
}
