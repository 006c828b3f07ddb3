package metrics_test

import (
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"turno/server/live"
	"turno/server/metrics"
)

func TestTheTokenGuardsTheScrape(t *testing.T) {
	m := metrics.New(slog.New(slog.DiscardHandler))
	h := m.Handler("s3cret")
	for _, tc := range []struct {
		header string
		want   int
	}{
		{"", 401}, {"Bearer wrong", 401}, {"Bearer s3cre", 401}, {"Basic s3cret", 401}, {"bearer s3cret", 401}, {"Bearer s3cret", 200},
	} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		if tc.header != "" {
			req.Header.Set("Authorization", tc.header)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != tc.want {
			t.Errorf("Authorization %q: got %d, want %d", tc.header, w.Code, tc.want)
		}
		if w.Code == 401 && (!strings.Contains(w.Body.String(), `"code":"unauthorized"`) || w.Header().Get("WWW-Authenticate") == "") {
			t.Errorf("Authorization %q: got %s %v", tc.header, w.Body, w.Header())
		}
	}
}

func TestRequestsCommitsAndBackupsAreCounted(t *testing.T) {
	m := metrics.New(slog.New(slog.DiscardHandler))
	m.Request("/api/v1/tickets", "POST", 201, 3*time.Millisecond, false)
	m.Request("", "BREW", 405, time.Millisecond, false) // an invented method is not a label
	m.Request("/api/v1/stream", "GET", 101, time.Hour, true)
	m.Commit(live.Commit{Events: 3, Requests: 2, Duration: 2 * time.Millisecond})
	m.Commit(live.Commit{Events: 1, Requests: 1, Duration: time.Millisecond, Err: errors.New("disk full")})
	want := `
# HELP turno_http_requests_total HTTP requests answered, by route pattern, method and status (websocket streams count once, as 101).
# TYPE turno_http_requests_total counter
turno_http_requests_total{method="GET",route="/api/v1/stream",status="101"} 1
turno_http_requests_total{method="POST",route="/api/v1/tickets",status="201"} 1
turno_http_requests_total{method="other",route="unmatched",status="405"} 1
# HELP turno_commit_batches_total Writes of the event log: one transaction and one fsync each, shared by every request that queued meanwhile.
# TYPE turno_commit_batches_total counter
turno_commit_batches_total 1
# HELP turno_commit_events_total Events written to the log.
# TYPE turno_commit_events_total counter
turno_commit_events_total 3
# HELP turno_commit_failures_total Writes of the event log that failed; their requests were refused and the day reloaded.
# TYPE turno_commit_failures_total counter
turno_commit_failures_total 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "turno_http_requests_total", "turno_commit_batches_total", "turno_commit_events_total", "turno_commit_failures_total"); err != nil {
		t.Error(err)
	}
	// The stream is counted, not timed.
	if n, err := testutil.GatherAndCount(m.Registry(), "turno_http_request_duration_seconds"); err != nil || n != 2 {
		t.Errorf("timed series: got %d %v, want 2", n, err)
	}
	// Backups: absent until enabled, then from the newest already there.
	if n, _ := testutil.GatherAndCount(m.Registry(), "turno_backups_total"); n != 0 {
		t.Errorf("backup series before EnableBackups: %d", n)
	}
	m.EnableBackups(time.Unix(1_796_000_000, 0), 4096)
	m.Backup(time.Unix(1_796_086_400, 0), 0, errors.New("disk full"))
	want = `
# HELP turno_backup_last_success_timestamp_seconds When the newest good backup was written (Unix time); 0: none yet.
# TYPE turno_backup_last_success_timestamp_seconds gauge
turno_backup_last_success_timestamp_seconds 1.796e+09
# HELP turno_backups_total Daily backups attempted since the start, by result (ok, failed).
# TYPE turno_backups_total counter
turno_backups_total{result="failed"} 1
turno_backups_total{result="ok"} 0
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "turno_backup_last_success_timestamp_seconds", "turno_backups_total"); err != nil {
		t.Error(err)
	}
}
