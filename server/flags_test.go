package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestBadOperationsFlagsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-log-level", "verbose"}, nil, `-log-level "verbose": want debug, info, warn or error`},
		{[]string{"-log-format", "xml"}, nil, `-log-format "xml": want text or json`},
		{nil, map[string]string{"TURNO_LOG_FORMAT": "yaml"}, `-log-format "yaml"`},
		{[]string{"-tls-cert", "a.pem"}, nil, "-tls-cert and -tls-key go together"},
		{[]string{"-tls-key", "a.key"}, nil, "-tls-cert and -tls-key go together"},
		{[]string{"-public-url", "turno.example.it"}, nil, `-public-url "turno.example.it": want an address`},
		{[]string{"-public-url", "ftp://turno.example.it"}, nil, `-public-url "ftp://turno.example.it"`},
		{[]string{"-backup-keep", "0"}, nil, `-backup-keep "0": want a number of backups, 1 or more`},
		{nil, map[string]string{"TURNO_BACKUP_KEEP": "many"}, `-backup-keep "many"`},
		{[]string{"-backup-at", "25:00"}, nil, `-backup-at: "25:00" is not a time of day`},
		{[]string{"stray"}, nil, `unexpected argument "stray"`},
	} {
		var out, errOut bytes.Buffer
		getenv := func(k string) string { return tc.env[k] }
		code := run(context.Background(), append([]string{"-data", t.TempDir()}, tc.args...), getenv, strings.NewReader(""), &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v %v: exit %d, %q; want 2 and %q", tc.args, tc.env, code, errOut.String(), tc.want)
		}
	}
}

func TestTheLogsFormatAndLevel(t *testing.T) {
	var buf bytes.Buffer
	logger, err := newLogger(&buf, "json", "warn")
	if err != nil {
		t.Fatal(err)
	}
	logger.Info("hidden")
	logger.Warn("shown", "n", 1)
	if got := buf.String(); strings.Contains(got, "hidden") || !strings.HasPrefix(got, `{"time":`) || !strings.Contains(got, `"level":"WARN","msg":"shown","n":1`) {
		t.Errorf("got %q", got)
	}
	buf.Reset()
	if logger, err = newLogger(&buf, "text", "DEBUG"); err != nil {
		t.Fatal(err)
	}
	logger.Debug("detail")
	if got := buf.String(); !strings.Contains(got, "level=DEBUG msg=detail") {
		t.Errorf("got %q", got)
	}
	if !logger.Enabled(context.Background(), slog.LevelDebug) {
		t.Error("debug is off")
	}
}

func TestHealthcheckCommand(t *testing.T) {
	check := func(args []string, env map[string]string) (int, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"healthcheck"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	clock := &testClock{t: rome(t, "2026-11-24 09:00")}
	s := startServe(t, demoConfig(t), serveOptions{dataDir: t.TempDir(), now: clock.Now}, nil)
	addr := strings.TrimPrefix(s.url, "http://")
	if code, out := check(nil, map[string]string{"TURNO_ADDR": addr}); code != 0 || !strings.Contains(out, "ok: day 2026-11-24") {
		t.Errorf("a running server: exit %d, %s", code, out)
	}
	// A server listening on every address is asked on the loopback.
	_, port, _ := strings.Cut(addr, ":")
	if code, out := check([]string{"-addr", "0.0.0.0:" + port}, nil); code != 0 {
		t.Errorf("-addr 0.0.0.0: exit %d, %s", code, out)
	}
	// HTTPS where the server speaks HTTP: not healthy.
	if code, _ := check([]string{"-addr", addr, "-tls"}, nil); code != 1 {
		t.Errorf("the wrong scheme: exit %d", code)
	}
	s.stop()
	if code, _ := check([]string{"-addr", addr}, nil); code != 1 {
		t.Errorf("a stopped server: exit %d, want 1", code)
	}
	if code, _ := check([]string{"-addr", "nonsense"}, nil); code != 2 {
		t.Errorf("a bad address: exit %d, want 2", code)
	}
}
