package ui

import (
	"context"
	"errors"

	"turno/server/client"
)

// What a refusal means for the console, beyond the words shown.
type consequence int

const (
	stay    consequence = iota // show the words, nothing else changes
	relogin                    // the session is gone: back to the login
	reopen                     // the counter is closed: back to choosing services
	resync                     // the office changed under us: reload the model
	offline                    // the server did not answer
)

// explain turns an error into plain words for the clerk and what the
// console should do about it. The server's own message is in English and
// technical; the clerk gets a sentence in their language saying what
// happened and what to do.
func explain(err error) (string, consequence) {
	if errors.Is(err, client.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded) {
		return tr("The server does not answer. Nothing was changed; try again in a moment."), offline
	}
	var e *client.Error
	if !errors.As(err, &e) {
		return tr("Something went wrong: {{.Err}}", "Err", err.Error()), stay
	}
	switch e.Code {
	case "bad_credentials":
		return tr("Wrong user name or password."), stay
	case "session_expired", "unauthorized":
		return tr("Your session has expired: log in again."), relogin
	case "forbidden":
		return tr("Your role may not do this at a counter."), stay
	case "not_your_counter":
		return tr("This counter is open for another clerk. Choose another counter, or ask the floor assistant to close it."), reopen
	case "counter_closed":
		return tr("The counter is closed (perhaps by the floor assistant or an administrator). Choose the services and open it again."), reopen
	case "counter_paused":
		return tr("The counter is paused: press Resume to call again."), resync
	case "counter_open":
		return tr("The counter is already open."), resync
	case "counter_busy":
		return tr("Finish the current ticket first."), resync
	case "no_current_ticket":
		return tr("There is no ticket at the counter."), resync
	case "queue_empty":
		return tr("Nobody is waiting for your services."), stay
	case "illegal_transition":
		return tr("The ticket changed meanwhile (another counter may have taken it). The screen now shows how things stand."), resync
	case "not_fasttrack":
		return tr("Documents are registered only at the fast-track counter, for fast-track tickets."), stay
	case "already_registered":
		return tr("This document already has its protocol number."), resync
	case "reactivate_expired":
		return tr("This no-show is too old to be put back in the queue."), resync
	case "unknown_ticket":
		return tr("No such ticket today."), resync
	case "unknown_counter":
		return tr("No such counter in this office."), reopen
	case "unknown_service":
		return tr("No such service in this office."), stay
	case "service_not_served":
		return tr("This counter may not serve one of the chosen services."), stay
	case "invalid":
		return tr("Please check what you entered: {{.Msg}}", "Msg", e.Message), stay
	}
	if e.Status >= 500 {
		return tr("The server could not save the change. Nothing was changed; try again in a moment."), offline
	}
	return e.Message, stay
}
