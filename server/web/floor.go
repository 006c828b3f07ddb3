package web

import (
	"net/http"
	"time"

	"turno/server/queue"
)

// The floor assistant's actions that are not about one ticket or counter.

type hallMessageRequest struct {
	Text string `json:"text"`
}

type hallMessageResponse struct {
	HallMessage string `json:"hall_message"`
}

// hallMessage sets the message of the hall displays; "" clears it.
func (s *Server) hallMessage(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req hallMessageRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	var resp hallMessageResponse
	_, err := s.office.Do(r.Context(), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		return st.SetHallMessage(now, req.Text, p.actor())
	}, func(_ time.Time, st *queue.Office) { resp.HallMessage = st.HallMessage() })
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

type contactRequest struct {
	Service string `json:"service"` // optional: a question about no service
	Topic   string `json:"topic"`
}

type contactResponse struct {
	Contacts int `json:"contacts"` // today's total
}

// contact logs a simple-information contact: a citizen helped without a
// ticket, which the office's figures must count.
func (s *Server) contact(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req contactRequest
	if err := decode(w, r, &req, true); err != nil {
		return err
	}
	var resp contactResponse
	_, err := s.office.Do(r.Context(), func(now time.Time, st *queue.Office) ([]queue.Event, error) {
		return st.LogContact(now, req.Service, req.Topic, p.actor())
	}, func(_ time.Time, st *queue.Office) { resp.Contacts = st.Contacts() })
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, resp)
	return nil
}

type devicesResponse struct {
	Devices []queue.DeviceStatus `json:"devices"`
}

// devices lists the configured kiosks and displays and whether each is
// connected to the live stream.
func (s *Server) devices(w http.ResponseWriter, r *http.Request, _ *principal) error {
	if s.hub == nil {
		return errorf(http.StatusServiceUnavailable, "unavailable", "this server runs no live stream")
	}
	writeJSON(w, http.StatusOK, devicesResponse{Devices: s.hub.Presence()})
	return nil
}
