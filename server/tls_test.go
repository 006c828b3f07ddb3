package main

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"turno/server/certs/certstest"
	"turno/server/client"
	"turno/server/queue"
)

// pdfText is the text of a PDF's deflated content streams.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	var text strings.Builder
	for _, m := range pdfStream.FindAllIndex(data, -1) {
		r, err := zlib.NewReader(bytes.NewReader(data[m[1]:]))
		if err != nil {
			t.Fatalf("inflate: %v", err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("inflate: %v", err)
		}
		text.Write(b)
	}
	return text.String()
}

var pdfStream = regexp.MustCompile(`(?s)<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)

// serial is the serial number of the certificate a fresh TLS connection
// to addr is shown, verified against roots.
func serial(t *testing.T, addr string, roots *tls.Config) string {
	t.Helper()
	conn, err := tls.Dial("tcp", addr, roots)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0].SerialNumber.String()
}

func TestTheServerSpeaksHTTPSAndFollowsARenewedCertificate(t *testing.T) {
	dir := t.TempDir()
	ca := certstest.NewCA(t)
	certFile, keyFile, first := ca.Issue(t, dir, "turno")
	roots := &tls.Config{RootCAs: ca.Pool()}
	clock := &testClock{t: rome(t, "2026-11-24 09:00")}
	s := startServe(t, demoConfig(t), serveOptions{dataDir: t.TempDir(), tlsCert: certFile, tlsKey: keyFile, now: clock.Now}, roots)
	if !strings.HasPrefix(s.url, "https://") {
		t.Fatalf("the server listens on %s", s.url)
	}
	u, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	if got := serial(t, u.Host, roots); got != first.String() {
		t.Fatalf("serial %s, want %s", got, first)
	}
	// The container's health check speaks HTTPS when the server does.
	var out, errOut bytes.Buffer
	env := map[string]string{"TURNO_ADDR": u.Host, "TURNO_TLS_CERT": certFile}
	if code := run(context.Background(), []string{"healthcheck"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Errorf("healthcheck over HTTPS: exit %d: %s", code, errOut.String())
	}
	// Plain HTTP on the TLS port is refused.
	if resp, err := http.Get("http://" + u.Host + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP: got %d", resp.StatusCode)
		}
	}

	// The apps' Go client: a kiosk issues a ticket and follows the stream
	// over wss.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	kiosk, err := client.New(s.url, client.WithToken(kioskToken), client.WithHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: roots}}))
	if err != nil {
		t.Fatal(err)
	}
	tk, _, err := kiosk.Issue(ctx, "anagrafe", false, "tls-1")
	if err != nil {
		t.Fatal(err)
	}
	stream := kiosk.Stream(ctx, client.StreamOptions{})
	defer stream.Close()
	for stream.Model().Seq == 0 {
		select {
		case <-stream.Changes():
		case <-ctx.Done():
			t.Fatalf("the kiosk's stream over TLS: %v", stream.Status())
		}
	}
	if st := stream.Status(); st.State != client.Connected {
		t.Fatalf("the kiosk's stream: %+v", st)
	}
	// The ticket's QR leads to the phone page over https, from the address
	// the kiosk used (no -public-url).
	pdf, err := kiosk.TicketPDF(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "(" + s.url + "/t/" + tk.ID + ")Tj"; !strings.Contains(pdfText(t, pdf), want) {
		t.Errorf("the ticket's PDF has no %s", want)
	}

	// A websocket client of its own (a browser's, or gorilla's): a hall
	// display subscribes over wss with HTTP/1.1's upgrade.
	dialer := websocket.Dialer{TLSClientConfig: roots, HandshakeTimeout: 5 * time.Second}
	conn, resp, err := dialer.Dial("wss://"+u.Host+"/api/v1/stream", http.Header{"Authorization": {"Bearer demo-display-token"}})
	if err != nil {
		t.Fatalf("wss: %v (%v)", err, resp)
	}
	defer conn.Close()
	if resp.ProtoMajor != 1 || resp.ProtoMinor != 1 {
		t.Errorf("the upgrade's protocol: %s", resp.Proto)
	}
	if err := conn.WriteJSON(queue.Subscribe{}); err != nil {
		t.Fatal(err)
	}
	var f queue.Frame
	// A display's snapshot counts the waiting ticket (it holds no waiting
	// tickets: waiting_omitted).
	waiting := -1
	err = conn.ReadJSON(&f)
	if err == nil && f.Snapshot != nil {
		for _, sv := range f.Snapshot.Services {
			if sv.ID == tk.Service {
				waiting = sv.Waiting
			}
		}
	}
	if err != nil || f.Type != queue.FrameSnapshot || waiting != 1 {
		t.Fatalf("wss: got %+v %v, want a snapshot counting the ticket", f.Type, err)
	}

	// The certificate is renewed in place: new connections get the new one,
	// with no restart; the open stream goes on.
	_, _, second := ca.Issue(t, dir, "turno")
	if got := serial(t, u.Host, roots); got != second.String() {
		t.Fatalf("after the renewal: serial %s, want %s", got, second)
	}
	fresh, err := client.New(s.url, client.WithToken(kioskToken), client.WithHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: roots}}))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := fresh.Issue(ctx, "tributi", false, "tls-2"); err != nil {
		t.Fatalf("a new connection after the renewal: %v", err)
	}
	if err := conn.ReadJSON(&f); err != nil {
		t.Fatalf("the open stream after the renewal: %v", err)
	}
}

// Behind a TLS proxy, -public-url gives the QR codes their https address.
func TestThePublicURLMakesTheQRCodes(t *testing.T) {
	clock := &testClock{t: rome(t, "2026-11-24 09:00")}
	s := startServe(t, demoConfig(t), serveOptions{dataDir: t.TempDir(), publicURL: "https://turno.comune.example.it/", now: clock.Now}, nil)
	tk := s.issue("anagrafe")
	status, pdf := s.do("", "GET", "/api/v1/tickets/"+tk.ID+"/ticket.pdf", nil, nil)
	if want := "(https://turno.comune.example.it/t/" + tk.ID + ")Tj"; status != 200 || !strings.Contains(pdfText(t, pdf), want) {
		t.Errorf("got %d, the PDF has no %s", status, want)
	}
}
