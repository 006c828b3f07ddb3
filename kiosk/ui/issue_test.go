package ui

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"turno/server/client"
	"turno/server/officetest"
	"turno/server/queue"
)

// loseAnswer is a tap on service whose answer never reached the kiosk,
// although the server issued the ticket: the kiosk shows "no answer" and
// keeps the key, and the ticket exists.
func (h *harness) loseAnswer(service string) *queue.TicketView {
	h.t.Helper()
	var key string
	h.k.locked(func() {
		key = h.k.keyFor(service, false)
		h.k.issued(service, service+"/false", key, nil, false, client.ErrUnreachable)
	})
	t, _, err := h.c.Issue(context.Background(), service, false, key)
	if err != nil {
		h.t.Fatal(err)
	}
	return t
}

// The confirmed scenario of the review: citizen A's answer is lost and A
// leaves; A001 is called and marked a no-show; two minutes later citizen B
// taps the same service. B must get a new ticket, not the dead A001.
func TestReusedKeyNeverBringsBackADeadTicket(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe := h.tile("anagrafe")
	h.waitFor("anagrafe open", func() bool { return !anagrafe.Disabled() })

	ghost := h.loseAnswer("anagrafe")
	h.k.locked(h.k.reset) // the message goes away by itself: A has left

	ctx := context.Background()
	mario, err := client.New(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mario.Login(ctx, "mario", officetest.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := mario.Open(ctx, "1", []string{"anagrafe"}); err != nil {
		t.Fatal(err)
	}
	if res, err := mario.Next(ctx, "1"); err != nil || res.Ticket.ID != ghost.ID {
		t.Fatalf("next: got %+v %v, want %s", res, err, ghost.Number)
	}
	if _, err := mario.NoShow(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	o.Clock.Add(2 * time.Minute)

	h.tap(anagrafe) // citizen B
	h.waitFor("B's ticket", func() bool { return h.k.screen == screenTicket })
	h.k.locked(func() {
		tk := h.k.shown
		if tk == nil || tk.ID == ghost.ID || tk.Number != "A002" || tk.Status != queue.StatusWaiting {
			t.Errorf("B got %+v, want a new waiting A002 (not %s)", tk, ghost.Number)
		}
		if len(h.k.pending) != 0 {
			t.Errorf("keys left after the ticket: %v", h.k.pending)
		}
	})
	if n := h.issued("anagrafe"); n != 2 {
		t.Errorf("issued: got %d, want 2", n)
	}
}

// Once a ticket was shown, the next citizen starts with no key of an
// earlier tap: even a ghost ticket that still waits is not handed on.
func TestNextCitizenInheritsNoKey(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, nil)
	anagrafe, tributi := h.tile("anagrafe"), h.tile("tributi")
	h.waitFor("both open", func() bool { return !anagrafe.Disabled() && !tributi.Disabled() })

	ghost := h.loseAnswer("anagrafe")
	h.k.locked(h.k.back)
	h.tap(tributi) // A takes another service instead, and is served
	h.waitFor("A's ticket", func() bool { return h.k.screen == screenTicket && h.k.number() == "T001" })
	h.tap(h.k.tDone)
	h.k.locked(func() {
		if len(h.k.pending) != 0 {
			t.Errorf("keys survive the ticket: %v", h.k.pending)
		}
	})

	h.tap(anagrafe) // citizen B
	h.waitFor("B's ticket", func() bool { return h.k.screen == screenTicket })
	if got := h.shownNumber(); got != "A002" {
		t.Errorf("B got %s, want A002 (%s is A's)", got, ghost.Number)
	}
}

// lockedBuffer collects a kiosk's log across goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A kiosk the server turns away for good says so, and does not promise to
// reconnect by itself; staff learn what to check from the screen, the staff
// line and the log.
func TestRefusedKioskSaysItIsNotAuthorised(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	forbidden := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":{"code":"forbidden","message":"this device may not follow the office"}}`))
	}))
	t.Cleanup(forbidden.Close)
	clerk, err := client.New(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := clerk.Login(context.Background(), "mario", officetest.Password); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ name, url, token string }{
		{"bad token (401)", o.URL, "not-the-kiosk-token-at-all"},
		{"forbidden (403)", forbidden.URL, officetest.KioskToken},
		{"subscription refused", o.URL, clerk.Token()}, // a clerk's session: no kiosk stream
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := &lockedBuffer{}
			h := newHarness(t, tc.url, o.Clock, func(opt *Options) {
				c, err := client.New(tc.url, client.WithToken(tc.token))
				if err != nil {
					t.Fatal(err)
				}
				opt.Client = c
				opt.Logger = slog.New(slog.NewTextHandler(logs, nil))
			})
			h.waitFor("the stream stopped", func() bool { return h.k.status.State == client.Stopped })
			h.k.locked(func() {
				if !h.k.banner.Visible() || h.k.grid.Visible() {
					t.Error("the services show on a refused kiosk")
				}
				d := h.k.bannerText.Text()
				if strings.Contains(d, "da solo") {
					t.Errorf("the banner promises to reconnect: %q", d)
				}
				for _, want := range []string{"non è autorizzato", "personale", "token"} {
					if !strings.Contains(d, want) {
						t.Errorf("banner %q lacks %q", d, want)
					}
				}
				if s := h.k.staff.Text(); !strings.Contains(s, "NON AUTORIZZATO") || !strings.Contains(s, "TURNO_KIOSK_TOKEN") {
					t.Errorf("staff line: got %q", s)
				}
			})
			if l := logs.String(); strings.Count(l, "the server refused this kiosk") != 1 || !strings.Contains(l, "level=ERROR") {
				t.Errorf("log: got %q, want one error", l)
			}
		})
	}
}

// A kiosk whose token may follow the office but not issue tickets (a
// display's, by mistake): the tap says the kiosk is not authorised, not to
// try again.
func TestIssueForbiddenSaysNotAuthorised(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	h := newHarness(t, o.URL, o.Clock, func(opt *Options) {
		c, err := client.New(o.URL, client.WithToken(officetest.DisplayToken))
		if err != nil {
			t.Fatal(err)
		}
		opt.Client = c
	})
	anagrafe := h.tile("anagrafe")
	h.waitFor("anagrafe open", func() bool { return !anagrafe.Disabled() })
	h.tap(anagrafe)
	h.waitFor("the message", func() bool { return h.k.screen == screenMessage })
	h.k.locked(func() {
		if got := h.k.mText.Text(); !strings.Contains(got, "non è autorizzato") {
			t.Errorf("message: got %q", got)
		}
		if got := h.k.mText.Text(); strings.Contains(got, "Riprovi") {
			t.Errorf("the kiosk invites a retry: %q", got)
		}
		if len(h.k.pending) != 0 {
			t.Errorf("a refused tap keeps its key: %v", h.k.pending)
		}
	})
	if n := h.issued("anagrafe"); n != 0 {
		t.Errorf("issued: got %d, want 0", n)
	}
}
