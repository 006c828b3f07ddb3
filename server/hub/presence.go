package hub

import (
	"sync"
	"time"

	"turno/server/queue"
)

// presence counts the live connections of each configured device. A device
// may hold more than one (a reconnect overlapping the old connection), and
// is offline only when the last one ends.
type presence struct {
	mu      sync.Mutex
	order   []string
	devices map[string]*deviceState
}

type deviceState struct {
	status queue.DeviceStatus
	conns  int
}

func newPresence(devices []queue.DeviceStatus) *presence {
	p := &presence{devices: map[string]*deviceState{}}
	for _, d := range devices {
		if _, dup := p.devices[d.ID]; dup {
			continue
		}
		p.order = append(p.order, d.ID)
		p.devices[d.ID] = &deviceState{status: queue.DeviceStatus{ID: d.ID, Role: d.Role}}
	}
	return p
}

// reconfigure replaces the configured devices; those kept keep their
// state and connections.
func (p *presence) reconfigure(devices []queue.DeviceStatus) {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.devices
	p.order, p.devices = nil, map[string]*deviceState{}
	for _, d := range devices {
		if _, dup := p.devices[d.ID]; dup {
			continue
		}
		p.order = append(p.order, d.ID)
		if st := old[d.ID]; st != nil {
			st.status.Role = d.Role
			p.devices[d.ID] = st
			continue
		}
		p.devices[d.ID] = &deviceState{status: queue.DeviceStatus{ID: d.ID, Role: d.Role}}
	}
}

// enter counts a connection in and reports whether the device came online.
func (p *presence) enter(id string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.devices[id]
	if d == nil {
		return false
	}
	d.conns++
	if d.conns > 1 {
		return false
	}
	d.status.Online, d.status.Since = true, &now
	return true
}

// leave counts a connection out and reports whether the device went offline.
func (p *presence) leave(id string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.devices[id]
	if d == nil || d.conns == 0 {
		return false
	}
	d.conns--
	if d.conns > 0 {
		return false
	}
	d.status.Online, d.status.Since = false, &now
	return true
}

// list returns the devices in configuration order.
func (p *presence) list() []queue.DeviceStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]queue.DeviceStatus, 0, len(p.order))
	for _, id := range p.order {
		out = append(out, p.devices[id].status)
	}
	return out
}
