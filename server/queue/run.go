package queue

import (
	"fmt"
	"runtime/debug"
	"time"
)

// Command is a domain command bound to its arguments: the events it would
// produce at now, computed from o without changing it.
type Command func(now time.Time, o *Office) ([]Event, error)

// Run is one step of the office as the server takes it, for the server, the
// simulator and tests alike: the day's rollover first, then cmd (nil for
// none), then the numerators' and the agenda's changes of state that the
// clock or the command caused. Each event is numbered from Seq()+1 and
// applied at once, so a later step sees the earlier ones.
//
// It returns every event applied, in order, and the command's error. A
// command that panics (a bug) is refused with an error; the rollover and
// status events around it still stand, so the caller must persist what Run
// returns even when err is set.
func (o *Office) Run(now time.Time, cmd Command) (events []Event, err error) {
	events = o.stage(events, o.Rollover(now))
	if cmd != nil {
		var produced []Event
		produced, err = o.guard(now, cmd)
		events = o.stage(events, produced)
	}
	events = o.stage(events, o.StatusChanges(now))
	events = o.stage(events, o.AgendaChanges(now))
	return events, err
}

// stage numbers and applies events, appending them to done.
func (o *Office) stage(done, events []Event) []Event {
	for i := range events {
		events[i].Seq = o.seq + 1
		o.Apply(events[i])
	}
	return append(done, events...)
}

// guard runs cmd, turning a panic into an error: nothing of the command is
// applied, and the office goes on.
func (o *Office) guard(now time.Time, cmd Command) (events []Event, err error) {
	defer func() {
		if r := recover(); r != nil {
			events = nil
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return cmd(now, o)
}

// PanicError is a command that panicked; Stack is where.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("internal error: %v", e.Value) }
