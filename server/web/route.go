package web

import (
	"net/http"
	"strings"
)

// Route returns the route a request matches, as registered without its
// method ("/api/v1/tickets/{id}"), or "" when none does. The access log
// and the metrics name requests by it: never by their path, which carries
// ticket ids and booking codes, and would give the metrics one series per
// ticket.
func (s *Server) Route(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		pattern = pattern[i+1:]
	}
	return pattern
}

// ClientAddr returns the request's client address as the login's limits
// count it: the peer, or what a trusted proxy says (an IPv6 client as its
// /64).
func (s *Server) ClientAddr(r *http.Request) string { return clientAddr(r, s.trustedProxies) }
