// Package accesslog logs every HTTP request the server answers with slog,
// and hands each to an observer (the metrics).
//
// A request is named by its route pattern ("/api/v1/tickets/{id}"), never
// by its path: paths carry ticket ids and booking codes, which are secrets.
// Neither headers (tokens), bodies (passwords) nor query strings are
// logged.
package accesslog

import (
	"bufio"
	"context"
	"log/slog"
	"math"
	"net"
	"net/http"
	"slices"
	"time"
)

// Request is one answered request.
type Request struct {
	Method string
	// Route is the route pattern without its method; "" when no route
	// matched.
	Route    string
	Status   int
	Duration time.Duration
	Bytes    int64 // of the body written
	// Upgraded is a connection taken over by a websocket (status 101). It
	// is observed when taken over, Duration the handshake's; the log's line
	// comes when the stream ends, with the stream's whole life.
	Upgraded bool
}

// Options configure the handler.
type Options struct {
	Logger *slog.Logger
	// Route names a request's route (web.Server.Route); Client its client
	// address (web.Server.ClientAddr: through trusted proxies).
	Route  func(*http.Request) string
	Client func(*http.Request) string
	// Observe, if set, is told of every request once it is answered.
	Observe func(Request)
	// Quiet routes are logged at debug level unless they fail: the health
	// checks and scrapes that come every few seconds.
	Quiet []string
	// Now measures durations (tests); time.Now when nil.
	Now func() time.Time
}

// Handler wraps next with the access log.
func Handler(next http.Handler, opt Options) http.Handler {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := opt.Now()
		route := ""
		if opt.Route != nil {
			route = opt.Route(r) // before serving: the handler may change the request
		}
		rec := &recorder{ResponseWriter: w}
		if opt.Observe != nil {
			rec.hijacked = func() {
				opt.Observe(Request{Method: r.Method, Route: route, Status: http.StatusSwitchingProtocols, Duration: opt.Now().Sub(start), Upgraded: true})
			}
		}
		defer func() {
			// Logged even when the handler panics: the panic goes on to
			// net/http, which drops the connection, and the log shows what
			// was asked.
			p := recover()
			if p != nil {
				defer panic(p)
				if rec.status == 0 {
					rec.status = http.StatusInternalServerError
				}
			}
			req := Request{Method: r.Method, Route: route, Status: rec.status, Duration: opt.Now().Sub(start), Bytes: rec.bytes, Upgraded: rec.upgraded}
			if req.Status == 0 {
				req.Status = http.StatusOK // nothing written: net/http answers 200
			}
			if opt.Observe != nil && !req.Upgraded { // upgrades: observed when taken over
				opt.Observe(req)
			}
			level := slog.LevelInfo
			switch {
			case req.Status >= 500:
				level = slog.LevelWarn
			case req.Status < 400 && slices.Contains(opt.Quiet, route):
				level = slog.LevelDebug
			}
			if !opt.Logger.Enabled(r.Context(), level) {
				return
			}
			shown := route
			if shown == "" {
				shown = "unmatched"
			}
			attrs := []slog.Attr{
				slog.String("method", r.Method), slog.String("route", shown), slog.Int("status", req.Status),
				slog.Float64("duration_ms", math.Round(float64(req.Duration)/1e3)/1e3), slog.Int64("bytes", req.Bytes),
			}
			if opt.Client != nil {
				attrs = append(attrs, slog.String("client", opt.Client(r)))
			}
			opt.Logger.LogAttrs(context.Background(), level, "http request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}

// recorder notes the status and the body's length. It passes Flush and
// Hijack through (the live stream takes its connection over).
type recorder struct {
	http.ResponseWriter
	status   int
	bytes    int64
	upgraded bool
	hijacked func() // told when the connection is taken over
}

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 && code >= 200 { // 1xx are interim answers
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

// Flush sends what is buffered, if the connection can.
func (rec *recorder) Flush() {
	_ = http.NewResponseController(rec.ResponseWriter).Flush()
}

// Hijack hands the connection over (a websocket upgrade).
func (rec *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(rec.ResponseWriter).Hijack()
	if err == nil {
		rec.upgraded = true
		if rec.status == 0 {
			rec.status = http.StatusSwitchingProtocols
		}
		if rec.hijacked != nil {
			rec.hijacked()
		}
	}
	return conn, rw, err
}

// Unwrap lets http.ResponseController reach the connection's own writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }
