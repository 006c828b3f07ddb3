package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"turno/server/queue"
)

// The day's tickets on demand: snapshots and the stream carry only what the
// screens show (queue.Recent), and whoever needs the rest of a day (a
// supervisor's list of the morning's served tickets, a report) reads it
// here, from the store, without the office's lock.

// Bounds of a page of GET /api/v1/tickets.
const (
	defaultTicketsPage = 500
	maxTicketsPage     = 1000
)

var ticketStatuses = []queue.Status{queue.StatusWaiting, queue.StatusCalled, queue.StatusServing, queue.StatusDone, queue.StatusNoShow, queue.StatusExpired}

// dayTickets answers GET /api/v1/tickets?day=&status=&service=&after=&limit=.
func (s *Server) dayTickets(w http.ResponseWriter, r *http.Request, p *principal) error {
	q := r.URL.Query()
	for name := range q {
		if !slices.Contains([]string{"day", "status", "service", "after", "limit"}, name) {
			return errorf(http.StatusBadRequest, "invalid", "unknown parameter %q: day, status, service, after and limit are known", name)
		}
	}
	day, err := s.dayParam(r, "day")
	if err != nil {
		return err
	}
	var statuses []queue.Status
	if v := q.Get("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			if !slices.Contains(ticketStatuses, queue.Status(st)) {
				return errorf(http.StatusBadRequest, "invalid", "status=%q: one or more of waiting, called, serving, done, noshow, expired, separated by commas", v)
			}
			statuses = append(statuses, queue.Status(st))
		}
	}
	service := q.Get("service")
	if service != "" && !queue.ValidID(service) {
		return errorf(http.StatusBadRequest, "invalid", "service=%q is not a service id", service)
	}
	var after uint64
	if v := q.Get("after"); v != "" {
		if after, err = strconv.ParseUint(v, 10, 64); err != nil {
			return errorf(http.StatusBadRequest, "invalid", "after=%q is not a cursor from a previous page's next", v)
		}
	}
	limit := defaultTicketsPage
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxTicketsPage {
			return errorf(http.StatusBadRequest, "invalid", "limit=%q: a number from 1 to %d", v, maxTicketsPage)
		}
	}
	keep := func(t *queue.Ticket) bool {
		return (len(statuses) == 0 || slices.Contains(statuses, t.Status)) && (service == "" || t.Service == service)
	}
	resp := queue.DayTickets{Day: day.Format(queue.DayLayout)}
	resp.Tickets, resp.Next, err = s.tickets.DayTickets(resp.Day, after, limit, keep)
	if err != nil {
		return err
	}
	for i := range resp.Tickets {
		t := &resp.Tickets[i]
		t.IdempotencyKey = ""
		if p.device() { // a hall screen shows numbers, not case files
			t.Note, t.CaseRef, t.Document, t.Clerk, t.Booking = "", "", "", "", ""
		}
	}
	if resp.Tickets == nil {
		resp.Tickets = []queue.Ticket{}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
