package web_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"turno/server/hub"
	"turno/server/queue"
)

// The static folder is served file by file: no listing of it, or of any
// folder, for anyone.
func TestNoDirectoryListings(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	for _, path := range []string{"/web/", "/web/./", "/web//", "/web/%2e/", "/web/index.html", "/web/nothing.js", "/web/../", "/t/"} {
		resp, body := o.get(path)
		if resp.StatusCode != http.StatusNotFound || errorCode(t, body) != "not_found" {
			t.Errorf("GET %s: got %d %s, want 404 not_found", path, resp.StatusCode, body)
		}
		if strings.Contains(string(body), "ticket.js") {
			t.Errorf("GET %s lists the folder: %s", path, body)
		}
	}
	for _, path := range []string{"/web/ticket.js", "/web/ticket.css"} {
		if resp, body := o.get(path); resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s: got %d", path, resp.StatusCode)
		}
	}
}

// Every answer tells browsers not to sniff types, not to be framed by
// another site, and not to send the address (a ticket's id is its secret)
// as a referrer; the page's policy forbids framing too.
func TestSecurityHeaders(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	tk := o.issue("anagrafe", false)
	for _, path := range []string{"/t/" + tk.ID, "/t/not-an-id", "/web/ticket.js", "/web/ticket.css", "/api/v1/tickets/" + tk.ID,
		"/api/v1/tickets/" + tk.ID + "/ticket.pdf", "/healthz", "/api/v1/nothing", "/web/"} {
		resp, _ := o.get(path)
		for header, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "no-referrer",
		} {
			if got := resp.Header.Get(header); got != want {
				t.Errorf("GET %s: %s %q, want %q", path, header, got, want)
			}
		}
		if strings.HasPrefix(path, "/t/") {
			csp := resp.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
			}
		}
	}
}

// A subscribe message over 4 KiB used to get close 1009 from the websocket
// library, without the error frame every refusal documents.
func TestAnOversizedSubscribeMessageGetsAnErrorFrame(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	for _, size := range []int{hub.MaxMessage + 1, 100 << 10} {
		sub := fmt.Sprintf(`{"ticket":"%s"}`, strings.Repeat("a", size))
		c := o.dial(t, "", sub)
		f := c.next()
		if f.Type != queue.FrameError || f.Error.Code != hub.CodeBadSubscribe || !strings.Contains(f.Error.Message, "4096 bytes") {
			t.Fatalf("%d bytes: got %s, want an error frame bad_subscribe", size, f.raw)
		}
		var ce *websocket.CloseError
		if err := c.ended(); !errors.As(err, &ce) || ce.Code != websocket.CloseMessageTooBig {
			t.Fatalf("%d bytes: got %v, want close 1009", size, err)
		}
	}
}

// Phones follow a ticket without a token, so their streams are capped: five
// per ticket (a family's phones), fifty per address (an office's guest
// Wi-Fi); more are refused with a reason, and a closed one frees its place.
func TestPhoneStreamsAreCappedPerTicketAndPerAddress(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	tickets := make([]string, 11)
	for i := range tickets {
		tickets[i] = o.issue("anagrafe", false).ID
	}
	follow := func(id string) *wsClient {
		c := o.dial(t, "", queue.Subscribe{Ticket: id})
		return c
	}
	refused := func(c *wsClient, what string) {
		t.Helper()
		f := c.next()
		if f.Type != queue.FrameError || f.Error.Code != "too_many_streams" || f.Error.Message == "" {
			t.Fatalf("%s: got %s, want an error frame too_many_streams", what, f.raw)
		}
		var ce *websocket.CloseError
		if err := c.ended(); !errors.As(err, &ce) || ce.Code != websocket.CloseTryAgainLater {
			t.Fatalf("%s: got %v, want close 1013", what, err)
		}
	}
	var first []*wsClient
	for range 5 {
		c := follow(tickets[0])
		if f := c.next(); f.Type != queue.FrameTicket {
			t.Fatalf("got %s, want the ticket", f.raw)
		}
		first = append(first, c)
	}
	refused(follow(tickets[0]), "a sixth phone on one ticket")
	first[0].conn.Close()
	<-first[0].done
	deadline := time.Now().Add(5 * time.Second)
	for { // the hub counts the closed one out as soon as it notices
		c := follow(tickets[0])
		f := c.next()
		if f.Type == queue.FrameTicket {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a place freed by a closed phone is still refused: %s", f.raw)
		}
		c.ended()
	}
	// 5 on ticket 0, 5 on each of tickets 1-9: 50 from this address.
	for _, id := range tickets[1:10] {
		for range 5 {
			if f := follow(id).next(); f.Type != queue.FrameTicket {
				t.Fatalf("got %s, want the ticket", f.raw)
			}
		}
	}
	refused(follow(tickets[10]), "a 51st phone from one address")
	// Staff and devices are not counted.
	if f := o.dial(t, "demo-display-token", queue.Subscribe{}).next(); f.Type != queue.FrameSnapshot {
		t.Fatalf("display: got %s", f.raw)
	}
}
