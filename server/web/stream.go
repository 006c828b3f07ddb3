package web

import (
	"bytes"
	"context"
	"errors"
	"html"
	"io/fs"
	"net/http"
	"path"
	"time"

	"github.com/gorilla/websocket"

	"turno/assets"
	"turno/server/config"
	"turno/server/hub"
	"turno/server/queue"
	"turno/server/store"
)

// streamRoutes registers the live stream and the phone's ticket page.
func (s *Server) streamRoutes() {
	s.mux.HandleFunc("GET /api/v1/stream", s.public(s.stream))
	s.mux.HandleFunc("GET /t/{id}", s.ticketPage)
	s.mux.HandleFunc("GET /web/{name}", s.public(s.webFile))
}

// webFile serves the page's style sheet and script from assets/web, one
// named file at a time: no folder is ever listed, and the page itself is
// served only at /t/{id}, with its policy.
func (s *Server) webFile(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if ext := path.Ext(name); ext != ".css" && ext != ".js" {
		return errorf(http.StatusNotFound, "not_found", "no such file: %s", r.URL.Path)
	}
	data, err := fs.ReadFile(assets.Web, "web/"+name)
	if err != nil {
		return errorf(http.StatusNotFound, "not_found", "no such file: %s", r.URL.Path)
	}
	w.Header().Set("Cache-Control", "no-cache") // revalidated, so a new version reaches phones at once
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
	return nil
}

// stream upgrades to a websocket and hands it to the hub (docs/stream.md).
// A token in the Authorization header is checked before the upgrade, so a
// bad one gets a plain 401; a token in the subscribe message is checked by
// the hub's resolver, which answers with an error frame.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) error {
	if s.hub == nil {
		return errorf(http.StatusServiceUnavailable, "unavailable", "the live stream is not running")
	}
	if !websocket.IsWebSocketUpgrade(r) {
		return errorf(http.StatusUpgradeRequired, "upgrade_required", "the stream is a websocket: connect with a websocket client")
	}
	header := bearer(r)
	if header != "" {
		if _, err := s.authenticateToken(header); err != nil {
			return err
		}
	}
	// 1 KB write buffers: a longer frame goes out in the same system call
	// (gorilla/websocket writes the rest from the frame itself), and 5,000
	// idle screens hold 5 MB, not 20.
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024, HandshakeTimeout: 10 * time.Second}
	// The office's time as the stream starts: clients measure their clock
	// against it instead of trusting two machines to agree (the hall board
	// tells a fresh call from an old one by it).
	conn, err := up.Upgrade(w, r, http.Header{"Date": {s.now().UTC().Format(http.TimeFormat)}})
	if err != nil {
		return nil // the upgrader has answered with an HTTP error
	}
	s.hub.Serve(conn, s.streamResolver(header, clientAddr(r, s.trustedProxies)))
	return nil
}

// streamResolver turns a subscribe message into the subscriber's view:
// who the token says it is and what it may follow.
func (s *Server) streamResolver(header, addr string) hub.Resolver {
	return func(ctx context.Context, sub queue.Subscribe) (hub.View, *queue.WireError) {
		token := header
		if sub.Token != "" {
			if header != "" && header != sub.Token {
				return hub.View{}, &queue.WireError{Code: hub.CodeBadSubscribe, Message: "the header and the subscribe message carry different tokens"}
			}
			token = sub.Token
		}
		if token == "" {
			v, werr := s.phoneView(ctx, sub)
			v.Addr = addr // phones are capped per address
			return v, werr
		}
		if sub.Ticket != "" {
			return hub.View{}, &queue.WireError{Code: hub.CodeBadSubscribe, Message: "\"ticket\" is for following one ticket without a token"}
		}
		p, err := s.authenticateToken(token)
		if err != nil {
			return hub.View{}, s.wireError(err)
		}
		v, werr := s.roleView(p, sub)
		v.Session, v.Expires = p.session, p.expires // a person's stream ends with the session
		return v, werr
	}
}

// roleView is what a token's role may follow.
func (s *Server) roleView(p *principal, sub queue.Subscribe) (hub.View, *queue.WireError) {
	switch p.Role {
	case config.RoleFloor, config.RoleAdmin, config.RoleBackoffice:
		return hub.View{Kind: hub.KindAll}, nil
	case config.RoleDisplay:
		return hub.View{Kind: hub.KindDisplay, Device: p.Name}, nil
	case config.RoleKiosk:
		return hub.View{Kind: hub.KindKiosk, Device: p.Name}, nil
	case config.RoleClerk:
		if sub.Counter == "" {
			return hub.View{}, &queue.WireError{Code: hub.CodeBadSubscribe, Message: "a clerk's stream needs \"counter\": the counter's id"}
		}
		k := s.cfg().Office.Counter(sub.Counter)
		if k == nil {
			return hub.View{}, &queue.WireError{Code: "unknown_counter", Message: "no such counter"}
		}
		return hub.View{Kind: hub.KindClerk, Counter: k.ID, Services: k.Services}, nil
	}
	return hub.View{}, &queue.WireError{Code: "forbidden", Message: "this role has no stream"}
}

// phoneView follows one ticket by its unguessable id: today's, which
// changes, or a past day's, which is shown as it ended.
func (s *Server) phoneView(ctx context.Context, sub queue.Subscribe) (hub.View, *queue.WireError) {
	if sub.Ticket == "" {
		return hub.View{}, &queue.WireError{Code: "unauthorized", Message: "send a token, or \"ticket\" to follow one ticket"}
	}
	if sub.Counter != "" {
		return hub.View{}, &queue.WireError{Code: hub.CodeBadSubscribe, Message: "\"counter\" needs a clerk's token"}
	}
	if !validTicketID(sub.Ticket) {
		return hub.View{}, &queue.WireError{Code: "unknown_ticket", Message: "no such ticket"}
	}
	today := false
	if err := s.read(ctx, func(_ time.Time, st *queue.Office) {
		today = st.TicketByID(sub.Ticket) != nil
	}); err != nil {
		return hub.View{}, s.wireError(err)
	}
	v := hub.View{Kind: hub.KindPhone, Ticket: sub.Ticket}
	if today {
		return v, nil
	}
	t, err := s.tickets.Ticket(sub.Ticket)
	if errors.Is(err, store.ErrNotFound) {
		return hub.View{}, &queue.WireError{Code: "unknown_ticket", Message: "no such ticket"}
	}
	if err != nil {
		return hub.View{}, s.wireError(err)
	}
	pv := queue.PublicView(&s.cfg().Office, nil, t, time.Time{})
	v.Past = &pv
	return v, nil
}

// wireError is errorResponse for the stream's error frame.
func (s *Server) wireError(err error) *queue.WireError {
	_, body, internal := errorResponse(err)
	if internal {
		s.logger.Error("stream subscription failed", "err", err)
	}
	return &queue.WireError{Code: body.Error.Code, Message: body.Error.Message}
}

// validTicketID reports whether id has the form of a ticket id (32
// lowercase hex digits): anything else is refused before any lookup.
func validTicketID(id string) bool { return ticketID.MatchString(id) }

// ticketPage serves the phone's page of one ticket (the QR code's link).
// The page reads its id from the address and follows the stream.
func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request) {
	page, err := assets.Web.ReadFile("web/ticket.html")
	if err != nil {
		s.finish(w, r, err)
		return
	}
	status := http.StatusOK
	if !validTicketID(r.PathValue("id")) {
		status = http.StatusNotFound // the page says so once the stream refuses it
	}
	// The page shows times in the office's zone, not the phone's: it reads
	// the zone's name from here.
	page = bytes.Replace(page, []byte(`<meta name="timezone" content="">`),
		[]byte(`<meta name="timezone" content="`+html.EscapeString(s.cfg().Office.Location.String())+`">`), 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "+
		"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(page)
}
