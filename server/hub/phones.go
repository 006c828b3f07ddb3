package hub

import "turno/server/queue"

// phoneCounts counts the phone streams per ticket and per client address,
// on the hub goroutine. Anyone holding a paper ticket's id may follow it
// without a token, and each stream costs the server memory: without caps,
// one machine opening thousands of them would take the office's server.
type phoneCounts struct {
	byTicket map[string]int
	byAddr   map[string]int
}

// enter counts a phone in, or refuses it when a cap is reached.
func (p *phoneCounts) enter(ticket, addr string, perTicket, perAddr int) *queue.WireError {
	if p.byTicket[ticket] >= perTicket {
		return wireError(CodeTooManyStreams, "this ticket is already followed on %d screens: close one of them, or try again later", perTicket)
	}
	if p.byAddr[addr] >= perAddr {
		return wireError(CodeTooManyStreams, "%d tickets are already followed from this address: close some, or try again later", perAddr)
	}
	p.byTicket[ticket]++
	p.byAddr[addr]++
	return nil
}

// leave counts a phone out.
func (p *phoneCounts) leave(ticket, addr string) {
	for _, m := range []struct {
		counts map[string]int
		key    string
	}{{p.byTicket, ticket}, {p.byAddr, addr}} {
		if m.counts[m.key]--; m.counts[m.key] <= 0 {
			delete(m.counts, m.key)
		}
	}
}
