// Command barehub is the baseline of the call-to-screen benchmark: the
// smallest gorilla/websocket broadcast server (the chat example's shape,
// one JSON object per frame), with no office behind it. POST /publish sends
// its body to every client connected on /ws.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "barehub:", err)
		os.Exit(1)
	}
	h := &hub{clients: map[chan []byte]struct{}{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ws", h.serve)
	mux.HandleFunc("POST /publish", h.publish)
	fmt.Printf("Listening on http://%s\n", ln.Addr())
	if err := http.Serve(ln, mux); err != nil {
		fmt.Fprintln(os.Stderr, "barehub:", err)
		os.Exit(1)
	}
}

type hub struct {
	mu      sync.Mutex
	clients map[chan []byte]struct{}
}

var upgrader = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024}

func (h *hub) serve(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	send := make(chan []byte, 512)
	h.mu.Lock()
	h.clients[send] = struct{}{}
	h.mu.Unlock()
	go func() { // the reader: only to notice the end
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				h.mu.Lock()
				if _, ok := h.clients[send]; ok {
					delete(h.clients, send)
					close(send)
				}
				h.mu.Unlock()
				return
			}
		}
	}()
	for msg := range send { // the only writer
		_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := conn.WriteMessage(websocket.TextMessage, msg); err != nil {
			break
		}
	}
	conn.Close()
}

func (h *hub) publish(w http.ResponseWriter, r *http.Request) {
	msg, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	for c := range h.clients {
		select {
		case c <- msg:
		default: // too slow: dropped
			delete(h.clients, c)
			close(c)
		}
	}
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
