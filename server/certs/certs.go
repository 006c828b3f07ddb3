// Package certs serves the server's TLS certificate from its files and
// picks up a renewed one without a restart: every handshake looks at the
// files' modification times and sizes (two stat calls, nothing beside a
// handshake's cost), and a change loads the pair again. A pair that does
// not load (the certificate renewed, its key not yet) keeps the previous
// one in service and is tried again at the next handshake.
package certs

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// Reloader holds the certificate of a pair of PEM files.
type Reloader struct {
	certFile, keyFile string
	logger            *slog.Logger

	mu      sync.Mutex
	cert    *tls.Certificate
	stamp   stamp // of the files the certificate was loaded from
	refused stamp // of the files that last failed to load, logged once
	// unreadable is set while the files cannot be read, logged once.
	unreadable bool
}

// stamp tells one version of the two files from another.
type stamp struct {
	certMod, keyMod   time.Time
	certSize, keySize int64
}

// Load reads the pair once; it fails if it does not load now.
func Load(certFile, keyFile string, logger *slog.Logger) (*Reloader, error) {
	if certFile == "" || keyFile == "" {
		return nil, errors.New("certs: both a certificate and a key file are needed")
	}
	if logger == nil {
		logger = slog.Default()
	}
	r := &Reloader{certFile: certFile, keyFile: keyFile, logger: logger}
	st, err := r.stat()
	if err != nil {
		return nil, err
	}
	cert, err := r.load()
	if err != nil {
		return nil, err
	}
	r.cert, r.stamp = cert, st
	return r, nil
}

func (r *Reloader) stat() (stamp, error) {
	c, err := os.Stat(r.certFile)
	if err != nil {
		return stamp{}, fmt.Errorf("certs: %w", err)
	}
	k, err := os.Stat(r.keyFile)
	if err != nil {
		return stamp{}, fmt.Errorf("certs: %w", err)
	}
	return stamp{certMod: c.ModTime(), keyMod: k.ModTime(), certSize: c.Size(), keySize: k.Size()}, nil
}

func (r *Reloader) load() (*tls.Certificate, error) {
	cert, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		return nil, fmt.Errorf("certs: %s and %s: %w", r.certFile, r.keyFile, err)
	}
	if cert.Leaf == nil { // parsed since Go 1.23; kept for the log's dates
		if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return nil, fmt.Errorf("certs: %s: %w", r.certFile, err)
		}
	}
	return &cert, nil
}

// GetCertificate is tls.Config.GetCertificate: the current certificate,
// loaded again first if its files changed.
func (r *Reloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return r.Certificate(), nil
}

// Certificate returns the current certificate, loaded again first if its
// files changed.
func (r *Reloader) Certificate() *tls.Certificate {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.stat()
	if err != nil {
		if !r.unreadable {
			r.unreadable = true
			r.logger.Warn("cannot read the TLS certificate's files; serving the previous certificate", "err", err)
		}
		return r.cert
	}
	r.unreadable = false
	if st == r.stamp || st == r.refused {
		return r.cert
	}
	cert, err := r.load()
	if err != nil {
		r.refused = st
		r.logger.Warn("the TLS certificate's files changed but do not load; serving the previous certificate until they do", "err", err)
		return r.cert
	}
	r.cert, r.stamp, r.refused = cert, st, stamp{}
	r.logger.Info("TLS certificate loaded again", "file", r.certFile, "subject", cert.Leaf.Subject.String(), "not_after", cert.Leaf.NotAfter)
	return r.cert
}

// Config returns a TLS configuration for the server with the certificate
// and TLS 1.2 at least. HTTP/2 is offered beside HTTP/1.1: browsers open
// the websocket stream over HTTP/1.1 all the same, since Go's HTTP/2
// server does not announce websockets over HTTP/2 (RFC 8441).
func (r *Reloader) Config() *tls.Config {
	return &tls.Config{
		MinVersion:     tls.VersionTLS12,
		GetCertificate: r.GetCertificate,
	}
}
