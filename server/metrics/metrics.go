// Package metrics exposes the server's numbers to Prometheus, through the
// official client library: HTTP requests by route, the committer's writes,
// the live stream, the office's queues (read on each scrape), the daily
// backups, and the Go runtime and process. docs/deploy.md lists them with
// a scrape configuration and alert rules.
//
// The domain and the running office know nothing of it: live reports its
// writes through a callback, the hub through Stats, the office through
// queue.Office.Monitor, and server/main wires them here.
package metrics

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"turno/server/hub"
	"turno/server/live"
	"turno/server/queue"
)

// namespace prefixes every metric of Turno's own.
const namespace = "turno"

// Metrics holds the server's metrics in a registry of its own (no global
// state: tests build as many as they like).
type Metrics struct {
	reg    *prometheus.Registry
	logger *slog.Logger

	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec

	commits        prometheus.Counter
	commitEvents   prometheus.Counter
	commitFailures prometheus.Counter
	commitSeconds  prometheus.Histogram
	commitSize     prometheus.Histogram

	backups    *prometheus.CounterVec
	backupLast prometheus.Gauge
	backupSize prometheus.Gauge
}

// New builds the metrics, with the Go runtime's and the process's.
func New(logger *slog.Logger) *Metrics {
	if logger == nil {
		logger = slog.Default()
	}
	m := &Metrics{reg: prometheus.NewRegistry(), logger: logger}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status (websocket streams count once, as 101).",
	}, []string{"route", "method", "status"})
	m.durations = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern, method and status; websocket streams are not timed.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"route", "method", "status"})
	m.commits = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Name: "commit_batches_total",
		Help: "Writes of the event log: one transaction and one fsync each, shared by every request that queued meanwhile.",
	})
	m.commitEvents = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Name: "commit_events_total",
		Help: "Events written to the log.",
	})
	m.commitFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Name: "commit_failures_total",
		Help: "Writes of the event log that failed; their requests were refused and the day reloaded.",
	})
	m.commitSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "commit_duration_seconds",
		Help:    "Time of one write of the event log, until it is on disk (fsync included): what every request that changes the office waits for.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 12), // 0.5 ms to 1 s
	})
	m.commitSize = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "commit_batch_events",
		Help:    "Events per write of the event log (group commit).",
		Buckets: prometheus.ExponentialBuckets(1, 2, 10), // 1 to 512
	})
	m.reg.MustRegister(m.requests, m.durations, m.commits, m.commitEvents, m.commitFailures, m.commitSeconds, m.commitSize,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the metrics' registry, for tests and for more collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Request counts an answered HTTP request. route is the route pattern
// without its method, "" for none; upgraded requests (websocket streams)
// are counted but not timed: their duration is the stream's.
func (m *Metrics) Request(route, method string, status int, d time.Duration, upgraded bool) {
	if route == "" {
		route = "unmatched"
	}
	labels := []string{route, knownMethod(method), strconv.Itoa(status)}
	m.requests.WithLabelValues(labels...).Inc()
	if !upgraded {
		m.durations.WithLabelValues(labels...).Observe(d.Seconds())
	}
}

// knownMethod keeps a client's method out of the labels unless it is a
// standard one: a label per invented method would grow without bound.
func knownMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// Commit counts a write of the committer (live.Options.Committed).
func (m *Metrics) Commit(c live.Commit) {
	if c.Err != nil {
		m.commitFailures.Inc()
		return
	}
	m.commits.Inc()
	m.commitEvents.Add(float64(c.Events))
	m.commitSeconds.Observe(c.Duration.Seconds())
	m.commitSize.Observe(float64(c.Events))
}

// EnableBackups adds the daily backup's metrics; last is the newest backup
// already in the directory (zero: none). Without backups they are absent,
// so that no alert about their age fires.
func (m *Metrics) EnableBackups(last time.Time, size int64) {
	m.backups = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "backups_total",
		Help: "Daily backups attempted since the start, by result (ok, failed).",
	}, []string{"result"})
	m.backupLast = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "backup_last_success_timestamp_seconds",
		Help: "When the newest good backup was written (Unix time); 0: none yet.",
	})
	m.backupSize = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "backup_last_size_bytes",
		Help: "The size of the newest good backup.",
	})
	m.backups.WithLabelValues("ok")
	m.backups.WithLabelValues("failed")
	if !last.IsZero() {
		m.backupLast.Set(float64(last.Unix()))
		m.backupSize.Set(float64(size))
	}
	m.reg.MustRegister(m.backups, m.backupLast, m.backupSize)
}

// Backup counts a backup: written at at, size bytes long, or failed with
// err. EnableBackups must have been called.
func (m *Metrics) Backup(at time.Time, size int64, err error) {
	if err != nil {
		m.backups.WithLabelValues("failed").Inc()
		return
	}
	m.backups.WithLabelValues("ok").Inc()
	m.backupLast.Set(float64(at.Unix()))
	m.backupSize.Set(float64(size))
}

// WatchFile reports the size of the database file on every scrape.
func (m *Metrics) WatchFile(path string) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Name: "db_size_bytes",
		Help: "The size of the database file.",
	}, func() float64 {
		info, err := os.Stat(path)
		if err != nil {
			return 0
		}
		return float64(info.Size())
	}))
}

// Streams is the live stream's hub (package hub).
type Streams interface {
	Stats() hub.Stats
}

// WatchStreams reports the stream's clients and drops on every scrape.
func (m *Metrics) WatchStreams(s Streams) { m.reg.MustRegister(&streamCollector{s: s}) }

var (
	streamClients = prometheus.NewDesc(namespace+"_stream_clients", "Clients following the live stream, by kind (supervisor, counter, display, kiosk, phone).", []string{"kind"}, nil)
	streamDropped = prometheus.NewDesc(namespace+"_stream_dropped_total", "Stream clients dropped because they could not keep up (they resume where they were).", nil, nil)
)

type streamCollector struct{ s Streams }

func (c *streamCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- streamClients
	ch <- streamDropped
}

func (c *streamCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.s.Stats()
	for kind, n := range st.Clients {
		ch <- prometheus.MustNewConstMetric(streamClients, prometheus.GaugeValue, float64(n), kind)
	}
	ch <- prometheus.MustNewConstMetric(streamDropped, prometheus.CounterValue, float64(st.Dropped))
}

// Office is the running office (package live).
type Office interface {
	Do(ctx context.Context, cmd live.Command, view live.View) ([]queue.Event, error)
}

// WatchOffice reports the office's queues on every scrape, read through
// Do like any request (queue.Office.Monitor: no forecast, so it is cheap).
func (m *Metrics) WatchOffice(o Office) { m.reg.MustRegister(&officeCollector{o: o}) }

// scrapeWait bounds a scrape's wait for the office.
const scrapeWait = 5 * time.Second

var (
	officeWaiting    = prometheus.NewDesc(namespace+"_waiting", "Tickets waiting, by service.", []string{"service"}, nil)
	officeOldest     = prometheus.NewDesc(namespace+"_oldest_wait_seconds", "How long the first ticket waiting has waited, by service; 0 when none waits.", []string{"service"}, nil)
	officeTarget     = prometheus.NewDesc(namespace+"_target_wait_seconds", "The service's target wait (configuration), to compare the oldest wait with.", []string{"service"}, nil)
	officeStatus     = prometheus.NewDesc(namespace+"_service_status", "The numerator's state, 1 for the current one: open, cutoff (stopped by time, load or the daily cap), closed or locked; all 0 before the day's first word about it.", []string{"service", "status"}, nil)
	officeIssued     = prometheus.NewDesc(namespace+"_tickets_issued_total", "Tickets issued today, by service; starts again from 0 each business day.", []string{"service"}, nil)
	officeServed     = prometheus.NewDesc(namespace+"_tickets_served_total", "Tickets served today, by service; starts again from 0 each business day.", []string{"service"}, nil)
	officeNoShows    = prometheus.NewDesc(namespace+"_noshows_total", "Tickets called and not answered today, by service; starts again from 0 each business day.", []string{"service"}, nil)
	officeTurnaways  = prometheus.NewDesc(namespace+"_turnaways_total", "Tickets refused today, by service and rule (closed, locked, daily_cap, cutoff_time, cutoff_load); starts again from 0 each business day.", []string{"service", "rule"}, nil)
	officeCounters   = prometheus.NewDesc(namespace+"_counters", "Counters by state: open, paused, closed.", []string{"state"}, nil)
	serviceStatuses  = []string{queue.ServiceOpen, queue.ServiceCutoff, queue.ServiceClosed, queue.ServiceLocked}
	refusalRules     = []string{queue.RuleClosed, queue.RuleLocked, queue.RuleDailyCap, queue.RuleCutoffTime, queue.RuleCutoffLoad}
	officeCollectors = []*prometheus.Desc{officeWaiting, officeOldest, officeTarget, officeStatus, officeIssued, officeServed, officeNoShows, officeTurnaways, officeCounters}
)

type officeCollector struct{ o Office }

func (c *officeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range officeCollectors {
		ch <- d
	}
}

func (c *officeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeWait)
	defer cancel()
	var mon queue.Monitor
	if _, err := c.o.Do(ctx, nil, func(now time.Time, st *queue.Office) { mon = st.Monitor(now) }); err != nil {
		ch <- prometheus.NewInvalidMetric(officeWaiting, err)
		return
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v int, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	for _, s := range mon.Services {
		gauge(officeWaiting, float64(s.Waiting), s.Service)
		gauge(officeOldest, s.OldestWait.Seconds(), s.Service)
		if s.TargetWait > 0 {
			gauge(officeTarget, s.TargetWait.Seconds(), s.Service)
		}
		for _, status := range serviceStatuses {
			gauge(officeStatus, b2f(s.Status == status), s.Service, status)
		}
		counter(officeIssued, s.Stats.Issued, s.Service)
		counter(officeServed, s.Stats.Served, s.Service)
		counter(officeNoShows, s.Stats.NoShows, s.Service)
		// Every rule, 0 included: increase() then counts a service's first
		// turn-away of the day too.
		for _, rule := range refusalRules {
			counter(officeTurnaways, s.Stats.ByRule[rule], s.Service, rule)
		}
	}
	for state, n := range mon.Counters {
		gauge(officeCounters, float64(n), string(state))
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Handler serves the metrics in Prometheus's text format. With a token,
// every scrape must carry it as "Authorization: Bearer <token>".
func (m *Metrics) Handler(token string) http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.logger.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError, // one unreadable part must not hide the others
	})
	if token == "" {
		return h
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		// Hashes compared in constant time: neither the token nor its
		// length leaks through the answer's timing.
		if sum := sha256.Sum256([]byte(got)); !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="turno metrics"`)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"code":"unauthorized","message":"the metrics need the scrape token: Authorization: Bearer <token>"}}` + "\n"))
			return
		}
		h.ServeHTTP(w, r)
	})
}
