package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"turno/server/queue"
	"turno/server/store"
	"turno/server/ticketpdf"
)

// The printable documents of a ticket. Like GET /api/v1/tickets/{id} they
// are public: the 128-bit id printed in the QR code is the capability.

// ticketPDF serves the ticket as the kiosk prints it, with today's place in
// the queue when the ticket still waits.
func (s *Server) ticketPDF(w http.ResponseWriter, r *http.Request) error {
	t, pub, err := s.lookupTicket(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	data := ticketpdf.TicketData{
		Office:   s.cfg().Office.Name,
		Location: s.cfg().Office.Location,
		Ticket:   pub,
		URL:      s.ticketPageURL(r, t.ID),
	}
	if svc := s.cfg().Office.Service(t.Service); svc != nil {
		data.Info = svc.Info
	}
	return writePDF(w, "ticket-"+t.Number+".pdf", func(w io.Writer) error { return ticketpdf.Ticket(w, data) })
}

// receiptPDF serves the receipt of the document registered with the ticket
// at the fast-track counter.
func (s *Server) receiptPDF(w http.ResponseWriter, r *http.Request) error {
	t, _, err := s.lookupTicket(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if t.Protocol == "" {
		return errorf(http.StatusConflict, "not_registered", "ticket %s has no registered document", t.Number)
	}
	data := ticketpdf.ReceiptData{
		Office:   s.cfg().Office.Name,
		Location: s.cfg().Office.Location,
		Protocol: t.Protocol,
		Document: t.Document,
		At:       registeredAround(t),
		Number:   t.Number,
		Counter:  t.Counter,
		URL:      s.ticketPageURL(r, t.ID),
	}
	if c := s.cfg().Office.Counter(t.Counter); c != nil {
		data.Counter = c.Name
	}
	name := "receipt-" + strings.ReplaceAll(t.Protocol, "/", "-") + ".pdf"
	return writePDF(w, name, func(w io.Writer) error { return ticketpdf.Receipt(w, data) })
}

// registeredAround returns when the ticket's document was registered; tickets
// stored before RegisteredAt existed fall back to when they were called.
func registeredAround(t *queue.Ticket) time.Time {
	if t.RegisteredAt != nil {
		return *t.RegisteredAt
	}
	if t.CalledAt != nil {
		return *t.CalledAt
	}
	return t.IssuedAt
}

// lookupTicket finds a ticket by its id: today's in the live state, with its
// public view holding its place in the queue, an earlier day's in the store.
// Anything but a known id is the same 404, so ids cannot be probed.
func (s *Server) lookupTicket(ctx context.Context, id string) (*queue.Ticket, queue.PublicTicket, error) {
	unknown := errorf(http.StatusNotFound, "unknown_ticket", "no such ticket")
	if !ticketID.MatchString(id) {
		return nil, queue.PublicTicket{}, unknown
	}
	var (
		t   *queue.Ticket
		pub queue.PublicTicket
	)
	err := s.read(ctx, func(now time.Time, st *queue.Office) {
		if lt := st.TicketByID(id); lt != nil {
			c := *lt // the state changes once the lock is released
			t, pub = &c, queue.PublicView(&s.cfg().Office, st, lt, now)
		}
	})
	if err != nil {
		return nil, queue.PublicTicket{}, err
	}
	if t != nil {
		return t, pub, nil
	}
	t, err = s.tickets.Ticket(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, queue.PublicTicket{}, unknown
	}
	if err != nil {
		return nil, queue.PublicTicket{}, fmt.Errorf("web: a past ticket: %w", err) // not its id: errors are logged
	}
	return t, queue.PublicView(&s.cfg().Office, nil, t, time.Time{}), nil
}

// ticketPageURL is the phone page of a ticket, which the QR codes link to:
// under the configured public URL, or else under the address the request
// came to, which is how the kiosk on the office's network reaches us.
func (s *Server) ticketPageURL(r *http.Request, id string) string {
	return s.baseURL(r) + "/t/" + id
}

// baseURL is the server's address as citizens reach it: the configured
// public URL, or else the address the request came to.
func (s *Server) baseURL(r *http.Request) string {
	if base := strings.TrimRight(s.publicURL, "/"); base != "" {
		return base
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// writePDF renders the whole document before the first byte goes out, so a
// failure is still answered with a JSON error and not half a PDF.
func writePDF(w http.ResponseWriter, filename string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return fmt.Errorf("web: %s: %w", filename, err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `inline; filename="`+filename+`"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store") // the place in the queue changes
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w) // a client gone mid-download is nothing to answer
	return nil
}
