package web

import (
	"errors"
	"net/http"
	"time"

	"turno/server/config"
	"turno/server/queue"
	"turno/server/store"
)

// bookers may see and change bookings: they hold citizens' names.
var bookers = []config.Role{config.RoleClerk, config.RoleFloor, config.RoleBackoffice, config.RoleAdmin}

// bookMakers may make a booking: staff for a citizen, a kiosk for the
// citizen standing at it.
var bookMakers = append([]config.Role{config.RoleKiosk}, bookers...)

// checkers may check a booked citizen in: the kiosk, and staff at the desk.
var checkers = []config.Role{config.RoleKiosk, config.RoleClerk, config.RoleFloor, config.RoleAdmin}

// Bookings finds bookings the office no longer holds in memory (package
// store).
type Bookings interface {
	Booking(id string) (*queue.Booking, error)
	Bookings(fromDay string) ([]queue.Booking, error)
}

type slotsResponse struct {
	Service string       `json:"service"`
	Day     string       `json:"day"`
	Slots   []queue.Slot `json:"slots"`
}

// slots lists a bookable service's slots of a day, with the places left.
// Staff see every slot not yet begun; others what a citizen may book.
func (s *Server) slots(w http.ResponseWriter, r *http.Request, p *principal) error {
	day, err := s.dayParam(r, "day")
	if err != nil {
		return err
	}
	resp := slotsResponse{Service: r.PathValue("id"), Day: day.Format(queue.DayLayout)}
	err = s.read(r.Context(), func(now time.Time, st *queue.Office) {
		resp.Slots, err = st.FreeSlots(now, resp.Service, day, !p.device())
	})
	if err == nil && resp.Slots == nil {
		resp.Slots = []queue.Slot{}
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// dayParam reads a date YYYY-MM-DD from the query, as noon of that date in
// the office's zone (today when absent).
func (s *Server) dayParam(r *http.Request, name string) (time.Time, error) {
	loc := s.cfg().Office.Location
	v := r.URL.Query().Get(name)
	if v == "" {
		y, m, d := s.now().In(loc).Date()
		return time.Date(y, m, d, 12, 0, 0, 0, loc), nil
	}
	t, err := time.ParseInLocation(queue.DayLayout, v, loc)
	if err != nil {
		return time.Time{}, errorf(http.StatusBadRequest, "invalid", "%s=%q is not a date YYYY-MM-DD", name, v)
	}
	return t.Add(12 * time.Hour), nil
}

type bookRequest struct {
	Service        string    `json:"service"`
	Slot           time.Time `json:"slot"`
	Name           string    `json:"name"`
	Contact        string    `json:"contact"`
	Note           string    `json:"note"`
	Channel        string    `json:"channel"`
	IdempotencyKey string    `json:"idempotency_key"`
}

// book makes a booking for a citizen on the phone or at the counter, or
// the citizen's own at a kiosk (a service cut off offers its next free
// slot): a kiosk books as the citizen would, within the notice and the
// horizon, and gets the booking's id to print its QR code on the
// citizen's confirmation.
func (s *Server) book(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req bookRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	kiosk := p.Role == config.RoleKiosk
	switch {
	case kiosk && req.Channel != "" && req.Channel != queue.ChannelKiosk:
		return errorf(http.StatusBadRequest, "invalid", "a kiosk books with channel %q", queue.ChannelKiosk)
	case kiosk:
		req.Channel = queue.ChannelKiosk
	case req.Channel == "":
		req.Channel = queue.ChannelPhone
	case req.Channel != queue.ChannelPhone && req.Channel != queue.ChannelCounter:
		return errorf(http.StatusBadRequest, "invalid", "channel %q must be %q or %q", req.Channel, queue.ChannelPhone, queue.ChannelCounter)
	}
	if req.Slot.IsZero() {
		return errorf(http.StatusBadRequest, "invalid", "field \"slot\" is required (the slot's start, RFC 3339)")
	}
	key := ""
	if req.IdempotencyKey != "" {
		key = p.Name + "/" + req.IdempotencyKey
	}
	b, replay, err := s.doBooking(r, queue.BookRequest{Service: req.Service, Slot: req.Slot, Name: req.Name, Contact: req.Contact,
		Note: req.Note, Channel: req.Channel, Staff: !kiosk, Key: key}, p.actor())
	if err != nil {
		return err
	}
	if kiosk {
		b.Key = ""
	}
	status := http.StatusCreated
	if replay {
		status = http.StatusOK
	}
	writeJSON(w, status, b)
	return nil
}

// doBooking runs Office.Book; replay says the key found an earlier booking.
func (s *Server) doBooking(r *http.Request, req queue.BookRequest, by queue.Actor) (*queue.Booking, bool, error) {
	var b *queue.Booking
	replay := false
	_, err := s.office.Do(r.Context(), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		events, booked, err := st.Book(now, req, by)
		if booked != nil {
			c := *booked
			b = &c
		}
		replay = err == nil && len(events) == 0
		return events, err
	}, nil)
	return b, replay, err
}

type bookingsResponse struct {
	Bookings []queue.Booking `json:"bookings"`
}

// maxFound bounds a search by name.
const maxFound = 50

// bookings lists a day's bookings (today's and ahead from the office, past
// ones from the store), of one service if asked, or finds them by code or
// name (q).
func (s *Server) bookings(w http.ResponseWriter, r *http.Request, p *principal) error {
	q := r.URL.Query()
	service := q.Get("service")
	if service != "" && s.cfg().Office.Service(service) == nil {
		return errorf(http.StatusNotFound, "unknown_service", "unknown service %q", service)
	}
	day, err := s.dayParam(r, "day")
	if err != nil {
		return err
	}
	dayStr := day.Format(queue.DayLayout)
	var resp bookingsResponse
	var today string
	err = s.read(r.Context(), func(now time.Time, st *queue.Office) {
		today = st.Day()
		if text := q.Get("q"); text != "" {
			resp.Bookings = st.FindBookings(text, maxFound)
			return
		}
		if service != "" {
			resp.Bookings = st.Bookings(dayStr, service)
		} else {
			resp.Bookings = st.Bookings(dayStr)
		}
	})
	if err != nil {
		return err
	}
	if q.Get("q") == "" && dayStr < today { // a past day: the store's
		all, err := s.bookingStore.Bookings(dayStr)
		if err != nil {
			return err
		}
		resp.Bookings = nil
		for _, b := range all {
			if b.Day == dayStr && (service == "" || b.Service == service) {
				resp.Bookings = append(resp.Bookings, b)
			}
		}
	}
	if resp.Bookings == nil {
		resp.Bookings = []queue.Booking{}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// findBooking returns a booking by id or code: the office's (today and
// ahead), else a past one from the store by id.
func (s *Server) findBooking(r *http.Request, ref string) (*queue.Booking, error) {
	var b *queue.Booking
	err := s.read(r.Context(), func(_ time.Time, st *queue.Office) {
		if found := st.Booking(ref); found != nil {
			c := *found
			b = &c
		}
	})
	if err != nil || b != nil {
		return b, err
	}
	b, err = s.bookingStore.Booking(ref)
	if errors.Is(err, store.ErrNotFound) {
		return nil, queue.ErrUnknownBooking
	}
	return b, err
}

func (s *Server) booking(w http.ResponseWriter, r *http.Request, p *principal) error {
	b, err := s.findBooking(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

type moveBookingRequest struct {
	Slot time.Time `json:"slot"`
}

// bookingAction cancels a booking or moves it to another slot.
func (s *Server) bookingAction(w http.ResponseWriter, r *http.Request, p *principal) error {
	ref := r.PathValue("ref")
	var cmd func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Booking, error)
	switch r.PathValue("action") {
	case "cancel":
		if err := decode(w, r, &struct{}{}, true); err != nil {
			return err
		}
		cmd = func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Booking, error) {
			return st.CancelBooking(now, ref, false, p.actor())
		}
	case "move":
		var req moveBookingRequest
		if err := decode(w, r, &req, false); err != nil {
			return err
		}
		if req.Slot.IsZero() {
			return errorf(http.StatusBadRequest, "invalid", "field \"slot\" is required (the new slot's start, RFC 3339)")
		}
		cmd = func(now time.Time, st *queue.Office) ([]queue.Event, *queue.Booking, error) {
			return st.MoveBooking(now, ref, req.Slot, true, p.actor())
		}
	default:
		return errorf(http.StatusNotFound, "not_found", "no action %q on a booking (cancel, move)", r.PathValue("action"))
	}
	var b *queue.Booking
	_, err := s.office.Do(r.Context(), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		events, changed, err := cmd(now, st)
		if changed != nil {
			c := *changed
			b = &c
		}
		return events, err
	}, nil)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

type checkInRequest struct {
	Code string `json:"code"`
}

type checkInResponse struct {
	Ticket *queue.TicketView `json:"ticket"`
	// Booking is the booking without personal data: the kiosk shows the
	// service and the slot, not the citizen's name.
	Booking queue.Booking `json:"booking"`
}

// checkIn turns a booked citizen's code into the ticket. A second check-in
// answers 200 with the same ticket.
func (s *Server) checkIn(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req checkInRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	if req.Code == "" {
		return errorf(http.StatusBadRequest, "invalid", "field \"code\" is required")
	}
	var resp checkInResponse
	replay := false
	_, err := s.office.Do(r.Context(), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		events, t, b, err := st.CheckIn(now, req.Code, p.actor())
		if err == nil {
			replay = len(events) == 0
			resp.Booking = b.Public()
			resp.Ticket = &queue.TicketView{Ticket: *t}
		}
		return events, err
	}, func(now time.Time, st *queue.Office) {
		if resp.Ticket != nil {
			resp.Ticket = staffTicket(now, st, st.TicketByID(resp.Ticket.ID))
		}
	})
	if err != nil {
		return err
	}
	if p.device() { // nor the booking's id: it is the key of the citizen's own page
		resp.Ticket.Note, resp.Ticket.CaseRef, resp.Ticket.Document, resp.Ticket.Clerk, resp.Ticket.Booking = "", "", "", "", ""
		resp.Booking.ID, resp.Booking.Ticket = "", ""
	}
	status := http.StatusCreated
	if replay {
		status = http.StatusOK
	}
	writeJSON(w, status, resp)
	return nil
}
