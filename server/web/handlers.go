package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"turno/server/hub"
	"turno/server/queue"
	"turno/server/store"
)

type servicesResponse struct {
	At       time.Time           `json:"at"`
	Services []queue.ServiceView `json:"services"`
}

func (s *Server) services(w http.ResponseWriter, r *http.Request, p *principal) error {
	var resp servicesResponse
	err := s.read(r.Context(), func(now time.Time, st *queue.Office) {
		resp.At = now
		for _, svc := range st.Config().Services {
			v := st.ServiceView(now, svc.ID)
			if p.device() {
				v = v.Public()
			}
			resp.Services = append(resp.Services, v)
		}
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// staffTicket is a ticket as staff see it: everything but the caller's
// idempotency key, with its place when waiting.
func staffTicket(now time.Time, st *queue.Office, t *queue.Ticket) *queue.TicketView {
	v := &queue.TicketView{Ticket: *t}
	v.IdempotencyKey = ""
	if p, ok := st.PositionAt(now, t); ok {
		v.Position = &p
	}
	return v
}

// ticketCommand is a domain command that yields a ticket.
type ticketCommand func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Ticket, error)

// run executes a command and collects its result under the office's lock.
func (s *Server) run(ctx context.Context, counterID string, cmd ticketCommand) (queue.Result, error) {
	var res queue.Result
	var ticketID string
	_, err := s.office.Do(ctx, func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		events, t, err := cmd(now, st)
		if t != nil {
			ticketID = t.ID
		}
		return events, err
	}, func(now time.Time, st *queue.Office) {
		if t := st.Ticket(ticketID); ticketID != "" && t != nil {
			res.Ticket = staffTicket(now, st, t)
		}
		if c := st.Counter(counterID); c != nil {
			cc := *c
			res.Counter = &cc
		}
	})
	return res, err
}

// maxIdempotencyKey is the longest key a client may send, in characters;
// scoped by the device's name it stays within the office's own bound.
const maxIdempotencyKey = 200

type issueRequest struct {
	Service        string `json:"service"`
	Priority       bool   `json:"priority"`
	IdempotencyKey string `json:"idempotency_key"`
}

func (s *Server) issue(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req issueRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	if req.Service == "" {
		return errorf(http.StatusBadRequest, "invalid", "field \"service\" is required")
	}
	if n := utf8.RuneCountInString(req.IdempotencyKey); n > maxIdempotencyKey {
		return errorf(http.StatusBadRequest, "invalid", "the idempotency key is %d characters long, more than %d", n, maxIdempotencyKey)
	}
	key := ""
	if req.IdempotencyKey != "" {
		key = p.Name + "/" + req.IdempotencyKey // one device's keys never meet another's
	}
	replay := false
	res, err := s.run(r.Context(), "", func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		events, t, err := st.Issue(now, queue.IssueRequest{Service: req.Service, Priority: req.Priority, Key: key, Channel: p.Name}, queue.Actor{Name: p.Name})
		replay = err == nil && len(events) == 0
		return events, t, err
	})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replay {
		status = http.StatusOK
	}
	if p.device() { // a kiosk's replay may find the ticket finished: no case file
		res.Ticket.Note, res.Ticket.CaseRef, res.Ticket.Document, res.Ticket.Clerk = "", "", "", ""
	}
	writeJSON(w, status, res.Ticket)
	return nil
}

// ticketIDs are 128-bit random hex strings.
var ticketID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func (s *Server) ticket(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !ticketID.MatchString(id) {
		return errorf(http.StatusNotFound, "unknown_ticket", "no such ticket")
	}
	var v *queue.PublicTicket
	err := s.read(r.Context(), func(now time.Time, st *queue.Office) {
		if t := st.TicketByID(id); t != nil {
			pv := queue.PublicView(&s.cfg().Office, st, t, now)
			v = &pv
		}
	})
	if err != nil {
		return err
	}
	if v == nil { // a past day's ticket
		t, err := s.tickets.Ticket(id)
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusNotFound, "unknown_ticket", "no such ticket")
		}
		if err != nil {
			return err
		}
		pv := queue.PublicView(&s.cfg().Office, nil, t, time.Time{})
		v = &pv
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

type moveRequest struct {
	Service string `json:"service"`
}

func (s *Server) move(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req moveRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	id := r.PathValue("id")
	res, err := s.run(r.Context(), "", func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		return st.Move(now, id, req.Service, p.actor())
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (p *principal) actor() queue.Actor { return queue.Actor{Name: p.Name, Supervisor: p.supervisor()} }

// snapshot answers with the office's shared snapshot (live.Office.Snapshot)
// cut as the stream cuts it: a hall display's without private fields and
// bookings, staff's whole.
func (s *Server) snapshot(w http.ResponseWriter, r *http.Request, p *principal) error {
	snap, err := s.office.Snapshot(r.Context())
	if err != nil {
		return err
	}
	v := hub.View{Kind: hub.KindAll}
	if p.device() { // a hall screen shows numbers, not case files
		v.Kind = hub.KindDisplay
	}
	writeJSON(w, http.StatusOK, v.Snapshot(snap))
	return nil
}

// Bodies of the counter actions; actions without a body accept none or {}.
type (
	openRequest struct {
		Services []string `json:"services"`
	}
	reactivateRequest struct {
		Ticket string `json:"ticket"` // id or number
	}
	finishRequest struct {
		Outcome queue.Outcome `json:"outcome"`
		CaseRef string        `json:"case_ref"`
		Note    string        `json:"note"`
	}
	transferRequest struct {
		Service string `json:"service"`
		ToBack  bool   `json:"to_back"`
	}
	registerRequest struct {
		Document string `json:"document"`
	}
	closeRequest struct {
		Force bool `json:"force"`
	}
	lockRequest struct {
		Reason string `json:"reason"`
	}
	empty struct{}
)

// counterEvents adapts a command without a ticket.
func counterEvents(events []queue.Event, err error) ([]queue.Event, *queue.Ticket, error) {
	return events, nil, err
}

func (s *Server) counterAction(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, action := r.PathValue("id"), r.PathValue("action")
	// Each action reads its own body, strictly; those without one accept
	// none or {}.
	var req any
	optional := false
	switch action {
	case "open":
		req = &openRequest{}
	case "next", "recall", "noshow", "start", "pause", "resume":
		req, optional = &empty{}, true
	case "reactivate":
		req = &reactivateRequest{}
	case "finish":
		req = &finishRequest{}
	case "transfer":
		req = &transferRequest{}
	case "register":
		req = &registerRequest{}
	case "close":
		req, optional = &closeRequest{}, true
	default:
		return errorf(http.StatusNotFound, "unknown_action", "unknown counter action %q", action)
	}
	if err := decode(w, r, req, optional); err != nil {
		return err
	}
	if c, ok := req.(*closeRequest); ok && c.Force && !p.supervisor() {
		return errorf(http.StatusForbidden, "forbidden", "only the floor assistant or an administrator can force a counter closed")
	}
	by := p.actor()
	res, err := s.run(r.Context(), id, func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		switch action {
		case "open":
			return counterEvents(st.Open(now, id, req.(*openRequest).Services, by))
		case "next":
			return st.Next(now, id, by)
		case "recall":
			return st.Recall(now, id, by)
		case "noshow":
			return st.NoShow(now, id, by)
		case "start":
			return st.Start(now, id, by)
		case "pause":
			return counterEvents(st.Pause(now, id, by))
		case "resume":
			return counterEvents(st.Resume(now, id, by))
		case "reactivate":
			return st.Reactivate(now, id, req.(*reactivateRequest).Ticket, by)
		case "finish":
			f := req.(*finishRequest)
			return st.Finish(now, id, queue.FinishRequest{Outcome: f.Outcome, CaseRef: f.CaseRef, Note: f.Note}, by)
		case "transfer":
			t := req.(*transferRequest)
			return st.Transfer(now, id, t.Service, t.ToBack, by)
		case "register":
			return st.Register(now, id, req.(*registerRequest).Document, by)
		default: // close
			return counterEvents(st.Close(now, id, req.(*closeRequest).Force, by))
		}
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) serviceAction(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, action := r.PathValue("id"), r.PathValue("action")
	var cmd queueCommand
	switch action {
	case "lock":
		var req lockRequest
		if err := decode(w, r, &req, false); err != nil {
			return err
		}
		cmd = func(now time.Time, st *queue.Office) ([]queue.Event, error) {
			return st.Lock(now, id, req.Reason, p.actor())
		}
	case "unlock":
		if err := decode(w, r, &empty{}, true); err != nil {
			return err
		}
		cmd = func(now time.Time, st *queue.Office) ([]queue.Event, error) { return st.Unlock(now, id, p.actor()) }
	default:
		return errorf(http.StatusNotFound, "unknown_action", "unknown service action %q", action)
	}
	var view queue.ServiceView
	_, err := s.office.Do(r.Context(), cmd, func(now time.Time, st *queue.Office) { view = st.ServiceView(now, id) })
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, view)
	return nil
}

type queueCommand = func(now time.Time, st *queue.Office) ([]queue.Event, error)

func (s *Server) backup(w http.ResponseWriter, r *http.Request, _ *principal) error {
	name := fmt.Sprintf("turno-%s.db", s.now().UTC().Format("20060102-150405"))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	// A download that stops being read gives up after a while; it holds no
	// lock of the office (the store copies the database first).
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	size := func(n int64) { w.Header().Set("Content-Length", strconv.FormatInt(n, 10)) }
	if _, err := s.backups.Backup(w, size); err != nil {
		// Headers are gone; the client sees a truncated body and the log says why.
		s.logger.Error("backup failed", "err", err)
	}
	return nil
}
