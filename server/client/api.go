package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"turno/server/queue"
)

// Session is a successful login.
type Session struct {
	Token     string    `json:"token"`
	User      string    `json:"user"`
	FullName  string    `json:"full_name"`
	Role      string    `json:"role"` // clerk, floor, backoffice, admin
	ExpiresAt time.Time `json:"expires_at"`
}

// Health is the server's liveness answer.
type Health struct {
	Status string `json:"status"` // "ok"
	Seq    uint64 `json:"seq"`    // the last committed event
	Day    string `json:"day"`    // the business day, 2006-01-02
}

// Login opens a session and keeps its token for the following calls (and
// streams opened afterwards).
func (c *Client) Login(ctx context.Context, user, password string) (*Session, error) {
	var s Session
	// Login never carries the previous token: it proves who is calling by
	// the password alone.
	if _, err := c.callWith(ctx, "", http.MethodPost, "/api/v1/login", map[string]string{"user": user, "password": password}, &s); err != nil {
		return nil, err
	}
	c.SetToken(s.Token)
	return &s, nil
}

// Logout ends the session and forgets its token. The token is forgotten even
// when the server cannot be told: a clerk who logs out must be logged out of
// this app.
func (c *Client) Logout(ctx context.Context) error {
	_, err := c.call(ctx, http.MethodPost, "/api/v1/logout", nil, nil)
	c.SetToken("")
	if IsAuth(err) {
		return nil // already gone
	}
	return err
}

// Health asks whether the server is up, and at which event and day.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	var h Health
	if _, err := c.call(ctx, http.MethodGet, "/healthz", nil, &h); err != nil {
		return nil, err
	}
	return &h, nil
}

// Services returns every service's view (state, waiting, estimate, counts).
func (c *Client) Services(ctx context.Context) ([]queue.ServiceView, error) {
	var resp struct {
		Services []queue.ServiceView `json:"services"`
	}
	if _, err := c.call(ctx, http.MethodGet, "/api/v1/services", nil, &resp); err != nil {
		return nil, err
	}
	return resp.Services, nil
}

// Issue takes a ticket for a service. A non-empty idempotencyKey makes the
// call safe to repeat (a kiosk retrying after a timeout): the server answers
// the same ticket, and replay says so.
func (c *Client) Issue(ctx context.Context, service string, priority bool, idempotencyKey string) (t *queue.TicketView, replay bool, err error) {
	req := struct {
		Service        string `json:"service"`
		Priority       bool   `json:"priority,omitempty"`
		IdempotencyKey string `json:"idempotency_key,omitempty"`
	}{service, priority, idempotencyKey}
	var v queue.TicketView
	status, err := c.call(ctx, http.MethodPost, "/api/v1/tickets", req, &v)
	if err != nil {
		return nil, false, err
	}
	return &v, status == http.StatusOK, nil
}

// Ticket returns the public view of a ticket (no token needed).
func (c *Client) Ticket(ctx context.Context, id string) (*queue.PublicTicket, error) {
	var t queue.PublicTicket
	if _, err := c.call(ctx, http.MethodGet, "/api/v1/tickets/"+url.PathEscape(id), nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// Snapshot returns the whole office now (staff only).
func (c *Client) Snapshot(ctx context.Context) (*queue.Snapshot, error) {
	var s queue.Snapshot
	if _, err := c.call(ctx, http.MethodGet, "/api/v1/snapshot", nil, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// TicketsQuery chooses a day's tickets (GET /api/v1/tickets).
type TicketsQuery struct {
	Day      string         // YYYY-MM-DD; "" is today
	Statuses []queue.Status // none: every status
	Service  string         // "": every service
	After    uint64         // a previous page's Next; 0: from the first
	Limit    int            // 0: the server's page (500)
}

// DayTickets reads a page of a day's tickets from the server's store, in
// issue order (staff only): the stream's model holds only the open tickets
// and each service's latest closed ones, and a screen that lists the day's
// finished tickets asks for them here. Next in the answer is the After of
// the next page, 0 on the last.
func (c *Client) DayTickets(ctx context.Context, q TicketsQuery) (*queue.DayTickets, error) {
	v := url.Values{}
	if q.Day != "" {
		v.Set("day", q.Day)
	}
	if len(q.Statuses) > 0 {
		var s []string
		for _, st := range q.Statuses {
			s = append(s, string(st))
		}
		v.Set("status", strings.Join(s, ","))
	}
	if q.Service != "" {
		v.Set("service", q.Service)
	}
	if q.After > 0 {
		v.Set("after", strconv.FormatUint(q.After, 10))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	path := "/api/v1/tickets"
	if len(v) > 0 {
		path += "?" + v.Encode()
	}
	var page queue.DayTickets
	if _, err := c.call(ctx, http.MethodGet, path, nil, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// counter runs a counter action; body nil sends none.
func (c *Client) counter(ctx context.Context, id, action string, body any) (*queue.Result, error) {
	var res queue.Result
	if _, err := c.call(ctx, http.MethodPost, "/api/v1/counters/"+url.PathEscape(id)+"/"+action, body, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Open opens a counter for the given services, in tie-break order.
func (c *Client) Open(ctx context.Context, counter string, services []string) (*queue.Result, error) {
	if services == nil {
		services = []string{} // the server says what is wrong with an empty list
	}
	return c.counter(ctx, counter, "open", struct {
		Services []string `json:"services"`
	}{services})
}

// Next calls the next ticket to the counter.
func (c *Client) Next(ctx context.Context, counter string) (*queue.Result, error) {
	return c.counter(ctx, counter, "next", nil)
}

// Recall calls the counter's current ticket again.
func (c *Client) Recall(ctx context.Context, counter string) (*queue.Result, error) {
	return c.counter(ctx, counter, "recall", nil)
}

// NoShow marks the counter's called ticket as not shown up.
func (c *Client) NoShow(ctx context.Context, counter string) (*queue.Result, error) {
	return c.counter(ctx, counter, "noshow", nil)
}

// Reactivate calls a recent no-show back to the counter; ticketRef is its id
// or its number ("A012").
func (c *Client) Reactivate(ctx context.Context, counter, ticketRef string) (*queue.Result, error) {
	return c.counter(ctx, counter, "reactivate", struct {
		Ticket string `json:"ticket"`
	}{ticketRef})
}

// Start says the citizen arrived and service began.
func (c *Client) Start(ctx context.Context, counter string) (*queue.Result, error) {
	return c.counter(ctx, counter, "start", nil)
}

// Finish ends the counter's ticket with an outcome, an optional case
// reference and note.
func (c *Client) Finish(ctx context.Context, counter string, outcome queue.Outcome, caseRef, note string) (*queue.Result, error) {
	return c.counter(ctx, counter, "finish", struct {
		Outcome queue.Outcome `json:"outcome"`
		CaseRef string        `json:"case_ref,omitempty"`
		Note    string        `json:"note,omitempty"`
	}{outcome, caseRef, note})
}

// Transfer sends the counter's ticket to another service's queue, keeping
// its arrival time unless toBack.
func (c *Client) Transfer(ctx context.Context, counter, service string, toBack bool) (*queue.Result, error) {
	return c.counter(ctx, counter, "transfer", struct {
		Service string `json:"service"`
		ToBack  bool   `json:"to_back,omitempty"`
	}{service, toBack})
}

// Register records the document of the counter's ticket and gives it a
// protocol number (fast-track counters).
func (c *Client) Register(ctx context.Context, counter, document string) (*queue.Result, error) {
	return c.counter(ctx, counter, "register", struct {
		Document string `json:"document"`
	}{document})
}

// Pause pauses the counter.
func (c *Client) Pause(ctx context.Context, counter string) (*queue.Result, error) {
	return c.counter(ctx, counter, "pause", nil)
}

// Resume resumes a paused counter.
func (c *Client) Resume(ctx context.Context, counter string) (*queue.Result, error) {
	return c.counter(ctx, counter, "resume", nil)
}

// Close closes the counter; force (floor assistant, admin) closes it even
// with a ticket in progress.
func (c *Client) Close(ctx context.Context, counter string, force bool) (*queue.Result, error) {
	var body any
	if force {
		body = struct {
			Force bool `json:"force"`
		}{true}
	}
	return c.counter(ctx, counter, "close", body)
}

// MoveTicket moves a waiting ticket to another service (floor assistant).
func (c *Client) MoveTicket(ctx context.Context, id, service string) (*queue.Result, error) {
	var res queue.Result
	body := struct {
		Service string `json:"service"`
	}{service}
	if _, err := c.call(ctx, http.MethodPost, "/api/v1/tickets/"+url.PathEscape(id)+"/move", body, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// LockService stops a service's numerator, with a reason the kiosk shows.
func (c *Client) LockService(ctx context.Context, id, reason string) (*queue.ServiceView, error) {
	return c.service(ctx, id, "lock", struct {
		Reason string `json:"reason"`
	}{reason})
}

// UnlockService restarts a locked numerator.
func (c *Client) UnlockService(ctx context.Context, id string) (*queue.ServiceView, error) {
	return c.service(ctx, id, "unlock", nil)
}

func (c *Client) service(ctx context.Context, id, action string, body any) (*queue.ServiceView, error) {
	var v queue.ServiceView
	if _, err := c.call(ctx, http.MethodPost, "/api/v1/services/"+url.PathEscape(id)+"/"+action, body, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Backup copies a consistent copy of the database to w (admin) and returns
// the bytes written. It is bounded by ctx only: a year of events takes a
// while on a slow link.
func (c *Client) Backup(ctx context.Context, w io.Writer) (int64, error) {
	const path = "/api/v1/backup"
	resp, cancel, err := c.send(ctx, c.Token(), http.MethodGet, path, nil, false)
	if err != nil {
		return 0, err
	}
	defer cancel()
	defer resp.Body.Close()
	n, err := io.Copy(errWriter{w}, resp.Body)
	if err != nil {
		var werr *writeError
		if errors.As(err, &werr) {
			return n, fmt.Errorf("client: backup: %w", werr.err)
		}
		return n, c.transportError(ctx, http.MethodGet, path, err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, fmt.Errorf("client: backup: got %d of %d bytes: %w", n, resp.ContentLength, ErrUnreachable)
	}
	return n, nil
}

// errWriter marks the destination's errors, so that a full disk is not
// reported as an unreachable server.
type errWriter struct{ w io.Writer }

func (e errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil {
		err = &writeError{err}
	}
	return n, err
}

type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// maxPDF bounds a ticket or receipt: a few tens of kilobytes in practice.
const maxPDF = 4 << 20

// TicketPDF returns the printable ticket (80 mm thermal paper) of a ticket.
func (c *Client) TicketPDF(ctx context.Context, id string) ([]byte, error) {
	return c.pdf(ctx, "/api/v1/tickets/"+url.PathEscape(id)+"/ticket.pdf")
}

// ReceiptPDF returns the protocol receipt of a document registered at a
// fast-track counter; the error has code "not_registered" before that.
func (c *Client) ReceiptPDF(ctx context.Context, id string) ([]byte, error) {
	return c.pdf(ctx, "/api/v1/tickets/"+url.PathEscape(id)+"/receipt.pdf")
}

func (c *Client) pdf(ctx context.Context, path string) ([]byte, error) {
	resp, cancel, err := c.send(ctx, "", http.MethodGet, path, nil, true)
	if err != nil {
		return nil, err
	}
	defer cancel()
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxPDF+1))
	if err != nil {
		return nil, c.transportError(ctx, http.MethodGet, path, err)
	}
	if len(data) > maxPDF || !bytes.HasPrefix(data, []byte("%PDF")) {
		return nil, fmt.Errorf("client: GET %s: the answer is not a PDF of at most %d bytes", path, maxPDF)
	}
	return data, nil
}

// SetHallMessage shows a message on the hall displays; "" clears it (floor
// assistant).
func (c *Client) SetHallMessage(ctx context.Context, text string) error {
	body := struct {
		Text string `json:"text"`
	}{text}
	_, err := c.call(ctx, http.MethodPost, "/api/v1/hall/message", body, nil)
	return err
}

// LogContact records a simple-information contact (a citizen helped without
// a ticket), about a service or none, and returns today's total.
func (c *Client) LogContact(ctx context.Context, service, topic string) (int, error) {
	body := struct {
		Service string `json:"service,omitempty"`
		Topic   string `json:"topic,omitempty"`
	}{service, topic}
	var resp struct {
		Contacts int `json:"contacts"`
	}
	if _, err := c.call(ctx, http.MethodPost, "/api/v1/contacts", body, &resp); err != nil {
		return 0, err
	}
	return resp.Contacts, nil
}

// Devices lists the configured kiosks and displays and whether each is
// connected to the live stream (floor assistant, back office, admin).
func (c *Client) Devices(ctx context.Context) ([]queue.DeviceStatus, error) {
	var resp struct {
		Devices []queue.DeviceStatus `json:"devices"`
	}
	if _, err := c.call(ctx, http.MethodGet, "/api/v1/devices", nil, &resp); err != nil {
		return nil, err
	}
	return resp.Devices, nil
}
