package metrics_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"turno/server/accesslog"
	"turno/server/config"
	"turno/server/metrics"
	"turno/server/officetest"
	"turno/server/queue"
)

// BenchmarkScrape is one scrape of a busy office: 200 waiting, counters at
// work, every collector (the office's queues read through Do, the stream,
// the Go runtime) gathered and written in the text format.
func BenchmarkScrape(b *testing.B) {
	cfg, err := config.Demo()
	if err != nil {
		b.Fatal(err)
	}
	for i := range cfg.Office.Services { // a crowd larger than the morning
		cfg.Office.Services[i].CutoffOnLoad = false
	}
	o := officetest.StartWith(b, cfg, officetest.NewClock(officetest.Tuesday("10:00")))
	services := []string{"anagrafe", "tributi", "sociali"}
	for i := range 200 {
		_, err := o.Live.Do(b.Context(), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
			ev, _, err := st.Issue(now, queue.IssueRequest{Service: services[i%3]}, queue.Actor{Name: "kiosk-1"})
			return ev, err
		}, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Run("office read", func(b *testing.B) { // what holds the office's lock
		b.ReportAllocs()
		for b.Loop() {
			if _, err := o.Live.Do(b.Context(), nil, func(now time.Time, st *queue.Office) { st.Monitor(now) }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("whole scrape", func(b *testing.B) {
		m := metrics.New(slog.New(slog.DiscardHandler))
		m.WatchOffice(o.Live)
		m.WatchStreams(o.Hub)
		h := m.Handler("")
		req := httptest.NewRequest("GET", "/metrics", nil)
		b.ReportAllocs()
		for b.Loop() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}

// BenchmarkInstrumentedRequest is what the access log and the metrics add
// to a request: the route's match, the log line (JSON, written), the
// counter and the histogram; BenchmarkBareRequest is the same handler
// without them.
func BenchmarkInstrumentedRequest(b *testing.B) {
	mux := routes()
	m := metrics.New(slog.New(slog.DiscardHandler))
	h := accesslog.Handler(mux, accesslog.Options{
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Route: func(r *http.Request) string {
			_, p := mux.Handler(r)
			return p
		},
		Client:  func(r *http.Request) string { return "10.0.0.31" },
		Observe: func(r accesslog.Request) { m.Request(r.Route, r.Method, r.Status, r.Duration, r.Upgraded) },
	})
	serve(b, h)
}

func BenchmarkBareRequest(b *testing.B) { serve(b, routes()) }

func routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/tickets/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id":"x"}`))
	})
	return mux
}

func serve(b *testing.B, h http.Handler) {
	req := httptest.NewRequest("GET", "/api/v1/tickets/0123456789abcdef0123456789abcdef", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
