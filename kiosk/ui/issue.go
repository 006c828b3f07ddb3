package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"turno/server/client"
	"turno/server/queue"
)

// keyFor returns the idempotency key of a tap: a fresh one, or the key of
// an earlier tap for the same service that got no answer, so that if the
// server did issue that ticket the citizen gets it now, and no second one.
// Which keys survive, and for how long, is decided by reset and keyReuse;
// what a reused key may bring back, by request.
func (k *Kiosk) keyFor(service string, priority bool) string {
	return k.keyAt(fmt.Sprintf("%s/%t", service, priority))
}

// keyAt is keyFor for any request a tap makes: slot names what it asks
// for (a service's ticket, a booking of a slot).
func (k *Kiosk) keyAt(slot string) string {
	now := k.opt.Now()
	if p, ok := k.pending[slot]; ok && now.Sub(p.at) < keyReuse {
		return p.key
	}
	key := k.newKey()
	k.pending[slot] = pendingKey{key: key, at: now}
	return key
}

// newKey is a fresh idempotency key, named after the kiosk for the logs.
func (k *Kiosk) newKey() string { return k.opt.KioskID + "-" + randomKey() }

// take asks the server for a ticket. A tap while one is under way does
// nothing: a double tap gives one ticket.
func (k *Kiosk) take(service string) {
	if k.busy || !k.online() {
		return
	}
	k.busy = true
	priority := k.priority
	slot := fmt.Sprintf("%s/%t", service, priority)
	key := k.keyFor(service, priority)
	k.setBusy("busy.text")
	k.show(screenBusy)
	go func() {
		t, replay, used, err := k.request(service, priority, key)
		k.do(func() {
			k.busy = false
			k.issued(service, slot, used, t, replay, err)
		})
	}()
}

// errNoTicket is an answer that says "issued" but carries no ticket.
var errNoTicket = errors.New("issue: the server's answer carries no ticket")

// request gets a ticket for a tap within IssueTimeout, and says which key
// it ended up using.
//
// A key may be an earlier tap's whose answer was lost (keyFor), and the
// server answers such a key with that ticket as it stands now. Only a
// ticket still waiting in its queue is a place the citizen at the kiosk
// can use: one already called, served, marked a no-show or expired will
// never be called again, and printing it as new would leave its holder
// waiting for nothing. Then the old key is dropped and a fresh one issues
// a new ticket.
func (k *Kiosk) request(service string, priority bool, key string) (*queue.TicketView, bool, string, error) {
	ctx, cancel := context.WithTimeout(k.ctx, k.opt.IssueTimeout)
	defer cancel()
	for fresh := false; ; fresh = true {
		t, replay, err := k.issue(ctx, service, priority, key)
		if err == nil && t == nil {
			err = errNoTicket
		}
		if err != nil || !replay || t.Status == queue.StatusWaiting {
			return t, replay, key, err
		}
		if fresh {
			// A key made a moment ago cannot name an old ticket: the
			// server is confused, and no ticket is better than a dead one.
			return nil, false, key, fmt.Errorf("issue: a fresh key %s answered ticket %s, %s", key, t.Number, t.Status)
		}
		k.log.Warn("issue: the earlier tap's ticket is no longer waiting; issuing a new one",
			"service", service, "number", t.Number, "id", t.ID, "status", t.Status, "key", key)
		key = k.newKey()
	}
}

// issue sends the request, and sends it again with the same key while the
// server does not answer, until ctx ends.
func (k *Kiosk) issue(ctx context.Context, service string, priority bool, key string) (t *queue.TicketView, replay bool, err error) {
	err = k.retry(ctx, "issue", func(ctx context.Context) error {
		t, replay, err = k.opt.Client.Issue(ctx, service, priority, key)
		return err
	}, "service", service, "key", key)
	return t, replay, err
}

// retry makes a request, and makes it again while the server does not
// answer, until ctx ends: an issue or a booking with the same key, a
// check-in (the server answers a second one with the same ticket).
func (k *Kiosk) retry(ctx context.Context, what string, call func(context.Context) error, logArgs ...any) error {
	wait := 250 * time.Millisecond
	for {
		err := call(ctx)
		if err == nil || !errors.Is(err, client.ErrUnreachable) || ctx.Err() != nil {
			return err
		}
		k.log.Warn(what+": server unreachable, retrying", append(logArgs, "err", err)...)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// issued shows the answer to a tap that used key.
func (k *Kiosk) issued(service, slot, key string, t *queue.TicketView, replay bool, err error) {
	if err == nil {
		delete(k.pending, slot) // answered: the next tap is a new request
		k.log.Info("ticket issued", "number", t.Number, "id", t.ID, "service", t.Service, "priority", t.Priority, "replay", replay)
		k.showTicket(t, nil)
		return
	}
	var apiErr *client.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Refusal() != nil:
		delete(k.pending, slot)
		k.log.Info("ticket refused", "service", service, "rule", apiErr.Code, "msg", apiErr.Message)
		sv, refusal := k.model.Service(service), apiErr.Refusal()
		if sv != nil && sv.Agenda != nil && sv.Agenda.NextFree != nil {
			// The service can be booked instead: its sheet says why no
			// ticket, offers the next free appointment, and says what to
			// bring to it.
			k.openInfo(service)
			k.infoRefus = refusal
			k.fillInfo()
			return
		}
		k.message(func() (string, string, string) {
			state, todo := k.words.refusal(sv, refusal)
			return k.tr.L("refused.title"), state, todo
		})
	case notAuthorised(err):
		// Retrying cannot help: the server does not accept this kiosk's
		// token for issuing tickets.
		delete(k.pending, slot)
		k.log.Error("issue: the server does not authorise this kiosk: check its token (TURNO_KIOSK_TOKEN) and the office's [[devices]]",
			"service", service, "status", client.StatusOf(err), "err", err)
		k.message(k.words.fixed("failed.title", "failed.auth", "todo.askStaff"))
	case errors.Is(err, client.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded):
		// The key is kept: the server may have issued the ticket and lost
		// the answer; the same tap again gets that very ticket. request
		// may have swapped the tap's key for a fresh one: that is the one
		// the server may have used now.
		if p, ok := k.pending[slot]; !ok || p.key != key {
			k.pending[slot] = pendingKey{key: key, at: k.opt.Now()}
		}
		k.log.Error("issue: no answer from the server", "service", service, "err", err)
		k.message(k.words.fixed("failed.title", "failed.unreachable", "failed.todo"))
	default:
		delete(k.pending, slot)
		k.log.Error("issue: refused", "service", service, "err", err)
		k.message(k.words.fixed("failed.title", "failed.other", "failed.todo"))
	}
}

// showTicket shows a ticket just issued, or a booked citizen's, and
// prints it.
func (k *Kiosk) showTicket(t *queue.TicketView, b *queue.Booking) {
	k.shown, k.shownFor = t, b
	k.fillTicket(t)
	k.show(screenTicket)
	k.returnAt = k.opt.Now().Add(k.opt.ReturnAfter)
	k.print(t)
}

// printNote says what became of the paper of id: printing, not printed,
// or no printer. prefix is the screen's ("ticket", "booked").
func (k *Kiosk) printNote(prefix, id string) string {
	switch {
	case k.opt.PDFs == nil || k.opt.Printer == nil:
		return k.tr.L(prefix + ".noPrinter")
	case k.printFailed == id, k.printErr != "" && !k.printed[id]:
		return k.tr.L(prefix + ".printFailed")
	}
	return k.tr.L(prefix + ".printing")
}

// print sends a ticket to the printer once. A failure is logged and shown
// on the staff line; the ticket is issued and on screen whatever happens
// to the paper.
func (k *Kiosk) print(t *queue.TicketView) {
	if k.opt.PDFs == nil || k.opt.Printer == nil {
		return
	}
	id := t.ID
	k.printDoc(id, fmt.Sprintf("ticket-%s-%s.pdf", t.Number, t.ID), "ticket "+t.Number, k.opt.PDFs.TicketPDF, func() {
		if k.shown != nil && k.shown.ID == id {
			k.fillTicket(k.shown)
		}
	})
}

// printDoc fetches the PDF of id and sends it to the printer, once. what
// names it in the log; failed writes the screen again if it still shows
// it.
func (k *Kiosk) printDoc(id, name, what string, fetch func(context.Context, string) ([]byte, error), failed func()) {
	if k.printed[id] {
		return
	}
	k.printed[id] = true
	go func() {
		ctx, cancel := context.WithTimeout(k.ctx, printTimeout)
		defer cancel()
		where, err := k.printPDF(ctx, fetch, id, name)
		k.do(func() {
			if err != nil {
				k.log.Error("not printed", "what", what, "id", id, "err", err)
				k.printErr, k.printFailed = err.Error(), id
				// Printed may be retried by staff later; nothing is
				// printed twice by the kiosk on its own.
				failed()
			} else {
				k.log.Info("printed", "what", what, "id", id, "to", where)
				k.printErr = ""
			}
			k.staffLine()
		})
	}()
}

func (k *Kiosk) printPDF(ctx context.Context, fetch func(context.Context, string) ([]byte, error), id, name string) (string, error) {
	var pdf []byte
	var err error
	for wait := 250 * time.Millisecond; ; wait *= 2 {
		pdf, err = fetch(ctx, id)
		if err == nil || !errors.Is(err, client.ErrUnreachable) || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	if err != nil {
		return "", fmt.Errorf("fetch the PDF: %w", err)
	}
	return k.opt.Printer.Print(ctx, name, pdf)
}

// qrImage is the QR code of the ticket's phone page, with its quiet zone.
func qrImage(url string) (image.Image, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code of %s: %w", url, err)
	}
	return q.Image(512), nil
}
