package client

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"turno/server/queue"
)

// Slots returns a bookable service's slots on the date of day (in the
// office's zone), with the places left: every slot not yet begun for staff,
// what a citizen may book for a kiosk.
func (c *Client) Slots(ctx context.Context, service string, day time.Time) ([]queue.Slot, error) {
	var resp struct {
		Slots []queue.Slot `json:"slots"`
	}
	path := "/api/v1/services/" + url.PathEscape(service) + "/slots?day=" + day.Format(queue.DayLayout)
	if _, err := c.call(ctx, http.MethodGet, path, nil, &resp); err != nil {
		return nil, err
	}
	return resp.Slots, nil
}

// BookRequest is a booking made by staff for a citizen.
type BookRequest struct {
	Service string    `json:"service"`
	Slot    time.Time `json:"slot"`
	Name    string    `json:"name"`
	Contact string    `json:"contact,omitempty"`
	Note    string    `json:"note,omitempty"`
	// Channel is queue.ChannelPhone (the default) or queue.ChannelCounter.
	Channel string `json:"channel,omitempty"`
	// IdempotencyKey makes the call safe to repeat; replay says the
	// server answered the booking made before.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// Book books a slot for a citizen; the citizen is told the booking's code.
func (c *Client) Book(ctx context.Context, req BookRequest) (b *queue.Booking, replay bool, err error) {
	var v queue.Booking
	status, err := c.call(ctx, http.MethodPost, "/api/v1/bookings", req, &v)
	if err != nil {
		return nil, false, err
	}
	return &v, status == http.StatusOK, nil
}

// Bookings returns a day's bookings (of one service when service is not
// empty).
func (c *Client) Bookings(ctx context.Context, day time.Time, service string) ([]queue.Booking, error) {
	q := url.Values{"day": {day.Format(queue.DayLayout)}}
	if service != "" {
		q.Set("service", service)
	}
	return c.bookings(ctx, q)
}

// FindBookings finds today's and the coming days' bookings by code or name.
func (c *Client) FindBookings(ctx context.Context, text string) ([]queue.Booking, error) {
	return c.bookings(ctx, url.Values{"q": {text}})
}

func (c *Client) bookings(ctx context.Context, q url.Values) ([]queue.Booking, error) {
	var resp struct {
		Bookings []queue.Booking `json:"bookings"`
	}
	if _, err := c.call(ctx, http.MethodGet, "/api/v1/bookings?"+q.Encode(), nil, &resp); err != nil {
		return nil, err
	}
	return resp.Bookings, nil
}

// Booking returns a booking by id or code.
func (c *Client) Booking(ctx context.Context, ref string) (*queue.Booking, error) {
	var b queue.Booking
	if _, err := c.call(ctx, http.MethodGet, "/api/v1/bookings/"+url.PathEscape(ref), nil, &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// CancelBooking cancels a booking; its slot is free again at once.
func (c *Client) CancelBooking(ctx context.Context, ref string) (*queue.Booking, error) {
	var b queue.Booking
	if _, err := c.call(ctx, http.MethodPost, "/api/v1/bookings/"+url.PathEscape(ref)+"/cancel", nil, &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// MoveBooking moves a booking to another slot of its service.
func (c *Client) MoveBooking(ctx context.Context, ref string, slot time.Time) (*queue.Booking, error) {
	var b queue.Booking
	body := struct {
		Slot time.Time `json:"slot"`
	}{slot}
	if _, err := c.call(ctx, http.MethodPost, "/api/v1/bookings/"+url.PathEscape(ref)+"/move", body, &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// CheckIn is a booked citizen's arrival: the ticket, and the booking
// (without personal data for a kiosk).
type CheckIn struct {
	Ticket  *queue.TicketView `json:"ticket"`
	Booking queue.Booking     `json:"booking"`
}

// CheckIn checks a booked citizen in by the booking's code (or the id the
// confirmation's QR code carries). A refusal is an *Error whose CheckIn
// says why and what to do; a late citizen of a service that serves late
// comers as walk-ins may also get the numerator's Refusal.
func (c *Client) CheckIn(ctx context.Context, code string) (*CheckIn, bool, error) {
	var v CheckIn
	body := struct {
		Code string `json:"code"`
	}{code}
	status, err := c.call(ctx, http.MethodPost, "/api/v1/checkin", body, &v)
	if err != nil {
		return nil, false, err
	}
	return &v, status == http.StatusOK, nil
}

// BookingPDF returns a booking's printable confirmation on the 80 mm
// roll of a kiosk's printer (the booking page's own PDF: code, slot, QR
// code of the booking's page, what to bring, how to check in and cancel).
// id is the booking's id, which only its creator learns.
func (c *Client) BookingPDF(ctx context.Context, id string) ([]byte, error) {
	return c.pdf(ctx, "/prenota/b/"+url.PathEscape(id)+"/booking.pdf?paper=80mm")
}
