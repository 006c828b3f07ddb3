package web_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"turno/server/web"
)

func TestRouteNamesTheRouteNotThePath(t *testing.T) {
	cfg := demo(t)
	o := start(t, filepath.Join(t.TempDir(), "turno.db"), &clock{t: tuesday("09:00")}, cfg, func(opt *web.Options) {
		opt.Metrics = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("# metrics\n")) })
	})
	api := o.http.Config.Handler.(*web.Server)
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/api/v1/tickets/0123456789abcdef0123456789abcdef/ticket.pdf", "/api/v1/tickets/{id}/ticket.pdf"},
		{"POST", "/api/v1/counters/3/next", "/api/v1/counters/{id}/{action}"},
		{"GET", "/t/0123456789abcdef0123456789abcdef", "/t/{id}"},
		{"GET", "/healthz", "/healthz"},
		{"GET", "/metrics", "/metrics"},
		{"GET", "/no/such/thing", ""},
		{"DELETE", "/healthz", ""},
	} {
		if got := api.Route(httptest.NewRequest(tc.method, tc.path, nil)); got != tc.want {
			t.Errorf("%s %s: got route %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
	// Options.Metrics is served at /metrics, with the API's headers.
	status, body := o.do("", "GET", "/metrics", nil)
	if status != 200 || string(body) != "# metrics\n" {
		t.Errorf("GET /metrics: got %d %q", status, body)
	}
	// Without it, /metrics is an unknown endpoint.
	plain := newOffice(t, tuesday("09:00"))
	if status, body := plain.do("", "GET", "/metrics", nil); status != 404 || errorCode(t, body) != "not_found" {
		t.Errorf("GET /metrics with metrics off: got %d %s", status, body)
	}
}
