package certs_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"turno/server/certs"
	"turno/server/certs/certstest"
)

func TestLoadRefusesWhatDoesNotLoad(t *testing.T) {
	dir := t.TempDir()
	ca := certstest.NewCA(t)
	certFile, keyFile, _ := ca.Issue(t, dir, "a")
	_, otherKey, _ := ca.Issue(t, dir, "b")
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, pair := range map[string][2]string{
		"no key":          {certFile, ""},
		"missing file":    {certFile, filepath.Join(dir, "none.key")},
		"another's key":   {certFile, otherKey},
		"not a PEM file":  {garbage, keyFile},
		"key for the crt": {keyFile, certFile},
	} {
		if _, err := certs.Load(pair[0], pair[1], nil); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func TestARenewedCertificateIsServedWithoutARestart(t *testing.T) {
	dir := t.TempDir()
	ca := certstest.NewCA(t)
	certFile, keyFile, first := ca.Issue(t, dir, "server")
	var log bytes.Buffer
	r, err := certs.Load(certFile, keyFile, slog.New(slog.NewTextHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	serial := func() string { t.Helper(); return r.Certificate().Leaf.SerialNumber.String() }
	if got := serial(); got != first.String() {
		t.Fatalf("got serial %s, want %s", got, first)
	}
	_, _, second := ca.Issue(t, dir, "server")
	if got := serial(); got != second.String() {
		t.Fatalf("after the renewal: got serial %s, want %s", got, second)
	}
	// Half a renewal: a new certificate whose key is not there yet. The
	// previous pair is served meanwhile, and the failure logged once.
	stash := t.TempDir()
	_, _, third := ca.Issue(t, stash, "server")
	newCert, err := os.ReadFile(filepath.Join(stash, "server.crt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, newCert, 0o600); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if got := serial(); got != second.String() {
			t.Fatalf("with a mismatched pair: got serial %s, want the previous %s", got, second)
		}
	}
	if n := strings.Count(log.String(), "do not load"); n != 1 {
		t.Fatalf("the mismatched pair was logged %d times, want once:\n%s", n, log.String())
	}
	newKey, err := os.ReadFile(filepath.Join(stash, "server.key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, newKey, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := serial(); got != third.String() {
		t.Fatalf("once the key arrived: got serial %s, want %s", got, third)
	}
	// Files gone (a mistaken cleanup): the certificate in memory goes on.
	if err := os.Remove(certFile); err != nil {
		t.Fatal(err)
	}
	if got := serial(); got != third.String() {
		t.Fatalf("with the files gone: got serial %s, want %s", got, third)
	}
}
