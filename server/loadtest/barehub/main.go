// Command barehub is the baseline of the call-to-screen benchmark: the
// smallest gorilla/websocket broadcast server (the chat example's shape,
// one JSON object per frame), with no office behind it. POST /publish sends
// its body to every client connected on /ws.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
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
	// A first frame says the client is registered: the benchmark waits for
	// it, as it waits for Turno's snapshot, before it measures a call (a
	// screen whose dial had returned before it was registered missed the
	// first call, and the benchmark failed now and then). It is queued
	// before the client is visible, so every broadcast comes after it.
	send := make(chan []byte, 512)
	send <- []byte(`{"type":"hello"}`)
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

// publish sends the body to every client. With ?each=1 every client gets
// its own copy with {{n}} replaced by a number of its own (as each phone
// gets its own ticket), and with ?after=250ms the frames leave that long
// after the request is answered (as Turno sends the views that follow an
// event).
func (h *hub) publish(w http.ResponseWriter, r *http.Request) {
	msg, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var after time.Duration
	if v := r.URL.Query().Get("after"); v != "" {
		if after, err = time.ParseDuration(v); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	each := r.URL.Query().Get("each") == "1"
	send := func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		n := 0
		for c := range h.clients {
			frame := msg
			if each {
				n++
				frame = bytes.ReplaceAll(msg, []byte("{{n}}"), []byte(strconv.Itoa(n)))
			}
			select {
			case c <- frame:
			default: // too slow: dropped
				delete(h.clients, c)
				close(c)
			}
		}
	}
	if after > 0 {
		time.AfterFunc(after, send)
	} else {
		send()
	}
	w.WriteHeader(http.StatusNoContent)
}
