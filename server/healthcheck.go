package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheck is `turno-server healthcheck`: it asks the server on this
// machine for /healthz and exits 0 when it answers that it is well, 1
// otherwise. Container images have no curl; their HEALTHCHECK runs this.
// It reads the server's own flags from the environment (TURNO_ADDR,
// TURNO_TLS_CERT), so the container's settings apply to both.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr(getenv, "TURNO_ADDR", "127.0.0.1:8080"), "the server's listen address (env TURNO_ADDR)")
	tlsOn := fs.Bool("tls", getenv("TURNO_TLS_CERT") != "", "the server speaks HTTPS (default: when TURNO_TLS_CERT is set)")
	timeout := fs.Duration("timeout", 4*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	host, port, err := net.SplitHostPort(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: -addr %q: %v\n", *addr, err)
		return 2
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1" // listening on every address: this machine's is one
	}
	scheme := "http"
	transport := http.DefaultTransport.(*http.Transport).Clone()
	if *tlsOn {
		scheme = "https"
		// The certificate names the office's host, not the loopback
		// address asked here; this asks whether the process answers, and
		// trusts nothing it says beyond that.
		transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	url := scheme + "://" + net.JoinHostPort(host, port) + "/healthz"
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	resp, err := (&http.Client{Transport: transport}).Do(req)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	defer resp.Body.Close()
	var h struct {
		Status string `json:"status"`
		Day    string `json:"day"`
		Seq    uint64 `json:"seq"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&h) != nil || h.Status != "ok" {
		fmt.Fprintf(stderr, "healthcheck: %s answered %s\n", url, resp.Status)
		return 1
	}
	fmt.Fprintf(stdout, "ok: day %s, event %d\n", h.Day, h.Seq)
	return 0
}
