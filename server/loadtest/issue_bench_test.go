// Package loadtest holds the load programs behind `make bench`: real servers
// on 127.0.0.1, real HTTP clients, and a baseline measured in the same run.
package loadtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"turno/server/config"
	"turno/server/officetest"
	"turno/server/queue"
)

// concurrency is the number of kiosks and counters hitting the server at once.
const concurrency = 64

// allDay opens the demo office around the clock without the load cut-off, so
// that a benchmark can issue as many tickets as it likes.
func allDay(b *testing.B) *config.Config {
	b.Helper()
	cfg, err := config.Demo()
	if err != nil {
		b.Fatal(err)
	}
	r, _ := queue.ParseRange("00:00-24:00")
	for d := range cfg.Office.Hours {
		cfg.Office.Hours[d] = []queue.Range{r}
	}
	for i := range cfg.Office.Services {
		s := &cfg.Office.Services[i]
		s.Hours, s.CutoffOnLoad = nil, false
	}
	return cfg
}

// load sends b.N POSTs from concurrency goroutines and reports throughput
// and latency percentiles as the benchmark's metrics.
func load(b *testing.B, url, token string, body func(i int) []byte, wantStatus int) {
	b.Helper()
	rps, p50, p99 := loadRun(b, url, token, body, wantStatus)
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p99, "p99-ms")
	b.ReportMetric(0, "ns/op") // throughput and percentiles say it better
}

// loadFigures is load's throughput and p99, for a benchmark that reports
// its own figures.
func loadFigures(b *testing.B, url, token string, body func(i int) []byte, wantStatus int) (rps, p99 float64) {
	b.Helper()
	rps, _, p99 = loadRun(b, url, token, body, wantStatus)
	return rps, p99
}

func loadRun(b *testing.B, url, token string, body func(i int) []byte, wantStatus int) (rps, p50, p99 float64) {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency, MaxConnsPerHost: concurrency}}
	defer client.CloseIdleConnections()
	latencies := make([]time.Duration, b.N)
	var next atomic.Int64
	var failed atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body(i)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				latencies[i] = time.Since(t0)
				if resp.StatusCode != wantStatus {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed", n, b.N)
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))]) / float64(time.Millisecond)
	}
	return float64(b.N) / elapsed.Seconds(), pct(0.50), pct(0.99)
}

// BenchmarkIssue is Turno's whole path, wired as the server wires it: HTTP,
// auth, the domain, group commit of the event log with fsync, the answer
// after the commit, the publication to the stream's hub.
func BenchmarkIssue(b *testing.B) {
	cfg := allDay(b)
	o := officetest.StartWith(b, cfg, officetest.NewClock(time.Date(2026, 11, 24, 10, 0, 0, 0, cfg.Office.Location)))
	services := []string{"anagrafe", "tributi", "sociali"}
	load(b, o.URL+"/api/v1/tickets", officetest.KioskToken, func(i int) []byte {
		return []byte(fmt.Sprintf(`{"service":%q,"idempotency_key":"bench-%d"}`, services[i%len(services)], i))
	}, http.StatusCreated)
}

// BenchmarkBaselineBatch is the floor under any durable HTTP write on this
// machine: a bare net/http handler that decodes the same body and writes a
// record of a ticket's size with one db.Batch (1 ms MaxBatchDelay).
func BenchmarkBaselineBatch(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "baseline.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.MaxBatchDelay = time.Millisecond
	bucket := []byte("tickets")
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucketIfNotExists(bucket); return err }); err != nil {
		b.Fatal(err)
	}
	record := bytes.Repeat([]byte("x"), 900) // an event plus the ticket it carries
	var seq atomic.Uint64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Service        string `json:"service"`
			IdempotencyKey string `json:"idempotency_key"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n := seq.Add(1)
		key := []byte(fmt.Sprintf("%016x", n))
		if err := db.Batch(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put(key, record) }); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]any{"service": req.Service, "seq": n})
	}))
	defer srv.Close()
	load(b, srv.URL, "none", func(i int) []byte {
		return []byte(fmt.Sprintf(`{"service":"anagrafe","idempotency_key":"bench-%d"}`, i))
	}, http.StatusCreated)
}
