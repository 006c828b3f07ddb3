package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"turno/server/queue"
)

// Forecast reads the forecast of arrivals and of the counters needed for
// days days from from (YYYY-MM-DD; "" is tomorrow), against the staffing
// plan: the flow view's "tomorrow" (floor, back office, admin). days is 1
// to the server's maximum (docs/api.md); 0 takes its default (14). The
// answer is queue.DemandForecast, the one definition of its JSON.
// Refusals: invalid (a bad date or count), forbidden (another role).
func (c *Client) Forecast(ctx context.Context, from string, days int) (*queue.DemandForecast, error) {
	q := url.Values{}
	if from != "" {
		q.Set("from", from)
	}
	if days != 0 {
		q.Set("days", strconv.Itoa(days))
	}
	path := "/api/v1/forecast"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var fc queue.DemandForecast
	if _, err := c.call(ctx, http.MethodGet, path, nil, &fc); err != nil {
		return nil, err
	}
	return &fc, nil
}
