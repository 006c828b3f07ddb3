package client

import (
	"context"
	"net/http"
	"net/url"

	"turno/server/queue"
)

// Rate records a citizen's rating, 1 to 5, of a ticket finished today:
// from the ticket's own page (no token: the id is the secret), or, with a
// rating pad's display token, of the ticket finished last at its counter.
// It returns the ticket's public view, rated. Refusals carry their codes:
// already_rated, not_finished, not_last_finished, invalid_score,
// unknown_ticket, rating_closed (another day's ticket).
func (c *Client) Rate(ctx context.Context, ticketID string, score int) (*queue.PublicTicket, error) {
	var resp struct {
		Ticket queue.PublicTicket `json:"ticket"`
	}
	if _, err := c.call(ctx, http.MethodPost, "/api/v1/tickets/"+url.PathEscape(ticketID)+"/rating", map[string]int{"score": score}, &resp); err != nil {
		return nil, err
	}
	return &resp.Ticket, nil
}
