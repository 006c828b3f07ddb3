// Package queue is Turno's domain: the office's configuration, its services,
// counters and tickets, the events that change them, the call order, the
// numerator cut-off and the wait estimate.
//
// It is pure: no I/O, no goroutines, no clock of its own. Every command takes
// the current time and returns the events it would produce without changing
// anything; Office.Apply then installs them. The server persists events
// before it acknowledges them, and rebuilds the day by applying them again, so
// commands and replay can never disagree. Clients keep a copy of the office in
// sync the same way, by applying the events they receive to a snapshot.
//
// Ticket and counter events carry the whole ticket or counter after the change,
// which keeps Apply trivial and makes every event self-describing on the wire.
package queue
