package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"turno/server/config"
	"turno/server/history"
	"turno/server/queue"
	"turno/server/reportpdf"
	"turno/server/store"
)

// reporters read the office's history; planners its forecast, which the
// floor assistant's flow view shows for tomorrow.
var (
	reporters = []config.Role{config.RoleBackoffice, config.RoleAdmin}
	planners  = []config.Role{config.RoleFloor, config.RoleBackoffice, config.RoleAdmin}
)

// reportRoutes registers the citizens' ratings, the reports, the forecast
// and the back-office page.
func (s *Server) reportRoutes() {
	s.mux.HandleFunc("POST /api/v1/tickets/{id}/rating", s.public(s.rate))
	s.mux.HandleFunc("GET /api/v1/reports", s.auth(reporters, s.report))
	s.mux.HandleFunc("GET /api/v1/forecast", s.auth(planners, s.forecast))
	s.backofficeRoutes()
}

type rateRequest struct {
	Score *int `json:"score"`
}

type rateResponse struct {
	Ticket queue.PublicTicket `json:"ticket"`
	Score  int                `json:"score"`
}

// rate records a citizen's rating of a finished ticket: from the ticket's
// phone page (no token: the ticket's id is the secret), or from a
// counter's rating pad (a display device configured with that counter),
// which may rate only the ticket finished last at its counter.
func (s *Server) rate(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	by := queue.Actor{Name: "phone"}
	pad := ""
	if r.Header.Get("Authorization") != "" {
		p, err := s.authenticate(r)
		if err != nil {
			return err
		}
		if p.Role != config.RoleDisplay {
			return errorf(http.StatusForbidden, "forbidden", "a ticket is rated by its citizen, from the ticket's page or a counter's rating pad, not by the %s role", p.Role)
		}
		d := s.cfg().DeviceByToken(bearer(r))
		if d == nil || d.Counter == "" {
			return errorf(http.StatusForbidden, "not_a_rating_pad", "display %s is not a rating pad: give it a counter in its [[devices]] entry", p.Name)
		}
		pad, by.Name = d.Counter, d.ID
	}
	if !ticketID.MatchString(id) {
		return errorf(http.StatusNotFound, "unknown_ticket", "no such ticket")
	}
	var req rateRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	if req.Score == nil {
		return errorf(http.StatusBadRequest, "invalid_score", "field \"score\" is required: a whole number from 1 to 5")
	}
	var view *queue.PublicTicket
	_, err := s.office.Do(r.Context(), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		if pad != "" {
			if last := st.LastFinished(pad); last == nil || last.ID != id {
				e := queue.ErrNotLastFinished
				return nil, &queue.Error{Code: e.Code, Kind: e.Kind, Message: fmt.Sprintf("the rating pad of counter %s rates only the ticket finished last there", pad)}
			}
		}
		return st.Rate(now, id, *req.Score, by)
	}, func(now time.Time, st *queue.Office) {
		if t := st.TicketByID(id); t != nil {
			v := queue.PublicView(&s.cfg().Office, st, t, now)
			view = &v
		}
	})
	if errors.Is(err, queue.ErrUnknownTicket) {
		if _, perr := s.tickets.Ticket(id); perr == nil {
			return errorf(http.StatusConflict, "rating_closed", "ratings are given on the day of the visit")
		} else if !errors.Is(perr, store.ErrNotFound) {
			return perr
		}
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rateResponse{Ticket: *view, Score: *req.Score})
	return nil
}

// reportFormat is the answer's form: format=json|csv|pdf, else the Accept
// header, else JSON.
func reportFormat(r *http.Request) (string, error) {
	if f := r.URL.Query().Get("format"); f != "" {
		switch f {
		case "json", "csv", "pdf":
			return f, nil
		}
		return "", errorf(http.StatusBadRequest, "invalid", "format %q must be json, csv or pdf", f)
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return "csv", nil
		case "application/pdf":
			return "pdf", nil
		case "application/json":
			return "json", nil
		}
	}
	return "json", nil
}

// reportError maps the history's refusals to the API's errors.
func reportError(err error) error {
	var qe *history.QueryError
	switch {
	case errors.As(err, &qe):
		return errorf(http.StatusBadRequest, "invalid", "%s", qe.Error())
	case errors.Is(err, history.ErrPerClerkOff):
		return errorf(http.StatusForbidden, "per_clerk_off", "%s", err.Error())
	}
	return err
}

// period reads from and to; by default the current month to today.
func (s *Server) period(r *http.Request) (from, to string) {
	q := r.URL.Query()
	today := s.cfg().Office.Day(s.now())
	from, to = q.Get("from"), q.Get("to")
	if to == "" {
		to = today
	}
	if from == "" {
		from = today[:8] + "01"
	}
	return from, to
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, _ *principal) error {
	format, err := reportFormat(r)
	if err != nil {
		return err
	}
	return s.writeReport(w, r, format)
}

// writeReport answers a report in format, for the API and the back office.
func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, format string) error {
	q := r.URL.Query()
	from, to := s.period(r)
	lang := q.Get("lang")
	if format == "pdf" {
		return s.writeReportPDF(w, r.Context(), from, to, lang)
	}
	rep, err := s.reports.Report(r.Context(), history.Query{From: from, To: to, Group: q.Get("group"), By: q.Get("by")})
	if err != nil {
		return reportError(err)
	}
	if format == "json" {
		writeJSON(w, http.StatusOK, rep)
		return nil
	}
	opt := history.CSVOptions{}
	switch d := q.Get("decimal"); d {
	case "", "point":
	case "comma":
		opt.DecimalComma, opt.BOM = true, true // what an Italian Excel opens as is
	default:
		return errorf(http.StatusBadRequest, "invalid", "decimal %q must be point or comma", d)
	}
	if b := q.Get("bom"); b != "" {
		v, err := strconv.ParseBool(b)
		if err != nil {
			return errorf(http.StatusBadRequest, "invalid", "bom %q must be true or false", b)
		}
		opt.BOM = v
	}
	var buf bytes.Buffer // a failure must not leave half a file behind a 200
	if err := history.WriteCSV(&buf, rep, opt); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="turno-%s-%s-%s.csv"`, rep.From, rep.To, rep.By))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// reportForecastDays is how far the PDF report and the back office look
// ahead.
const reportForecastDays = 14

func (s *Server) writeReportPDF(w http.ResponseWriter, ctx context.Context, from, to, lang string) error {
	ov, err := s.reports.Overview(ctx, from, to, reportForecastDays)
	if err != nil {
		return reportError(err)
	}
	var buf bytes.Buffer
	if err := reportpdf.Write(&buf, reportpdf.Data{Overview: ov, Lang: lang, Location: s.cfg().Office.Location}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="turno-%s-%s.pdf"`, from, to))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

func (s *Server) forecast(w http.ResponseWriter, r *http.Request, _ *principal) error {
	q := r.URL.Query()
	days := reportForecastDays
	if d := q.Get("days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			return errorf(http.StatusBadRequest, "invalid", "days %q is not a whole number", d)
		}
		days = n
	}
	fc, err := s.reports.Forecast(r.Context(), q.Get("from"), days)
	if err != nil {
		return reportError(err)
	}
	writeJSON(w, http.StatusOK, fc)
	return nil
}
