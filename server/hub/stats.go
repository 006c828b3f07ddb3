package hub

// kindCount bounds the kinds of view, for counting clients by kind.
const kindCount = int(KindPhone) + 1

// String names a kind of view in monitoring.
func (k Kind) String() string {
	switch k {
	case KindAll:
		return "supervisor"
	case KindClerk:
		return "counter"
	case KindDisplay:
		return "display"
	case KindKiosk:
		return "kiosk"
	case KindPhone:
		return "phone"
	}
	return "none"
}

// Stats are the stream's numbers for monitoring.
type Stats struct {
	// Clients are the subscribed clients by kind (supervisor, counter,
	// display, kiosk, phone), every kind present.
	Clients map[string]int
	// Dropped counts the clients dropped since the start because they could
	// not keep up (their send queue was full); they resume with since.
	Dropped uint64
}

// Stats returns the stream's numbers; it is safe to call from any goroutine.
func (h *Hub) Stats() Stats {
	st := Stats{Clients: make(map[string]int, kindCount-1), Dropped: h.tooSlow.Load()}
	for k := KindAll; int(k) < kindCount; k++ {
		st.Clients[k.String()] = int(h.byKind[k].Load())
	}
	return st
}

// counted records a client joining (+1) or leaving (-1) the hub's set;
// only the hub goroutine calls it.
func (h *Hub) counted(c *client, delta int64) {
	h.count.Store(int64(len(h.clients)))
	if int(c.view.Kind) < kindCount {
		h.byKind[c.view.Kind].Add(delta)
	}
}
