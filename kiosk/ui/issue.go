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
	slot := fmt.Sprintf("%s/%t", service, priority)
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
func (k *Kiosk) issue(ctx context.Context, service string, priority bool, key string) (*queue.TicketView, bool, error) {
	wait := 250 * time.Millisecond
	for {
		t, replay, err := k.opt.Client.Issue(ctx, service, priority, key)
		if err == nil || !errors.Is(err, client.ErrUnreachable) || ctx.Err() != nil {
			return t, replay, err
		}
		k.log.Warn("issue: server unreachable, retrying with the same key", "service", service, "key", key, "err", err)
		select {
		case <-ctx.Done():
			return nil, false, err
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
		k.shown = t
		k.fillTicket(t)
		k.show(screenTicket)
		k.returnAt = k.opt.Now().Add(k.opt.ReturnAfter)
		k.print(t)
		return
	}
	var apiErr *client.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Refusal() != nil:
		delete(k.pending, slot)
		k.log.Info("ticket refused", "service", service, "rule", apiErr.Code, "msg", apiErr.Message)
		sv, refusal := k.model.Service(service), apiErr.Refusal()
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

func (k *Kiosk) printNote(t *queue.TicketView) string {
	switch {
	case k.opt.PDFs == nil || k.opt.Printer == nil:
		return k.tr.L("ticket.noPrinter")
	case k.printFailed == t.ID, k.printErr != "" && !k.printed[t.ID]:
		return k.tr.L("ticket.printFailed")
	}
	return k.tr.L("ticket.printing")
}

// print sends a ticket to the printer once. A failure is logged and shown
// on the staff line; the ticket is issued and on screen whatever happens
// to the paper.
func (k *Kiosk) print(t *queue.TicketView) {
	if k.opt.PDFs == nil || k.opt.Printer == nil || k.printed[t.ID] {
		return
	}
	k.printed[t.ID] = true
	name := fmt.Sprintf("ticket-%s-%s.pdf", t.Number, t.ID)
	id, number := t.ID, t.Number
	go func() {
		ctx, cancel := context.WithTimeout(k.ctx, printTimeout)
		defer cancel()
		where, err := k.printPDF(ctx, id, name)
		k.do(func() {
			if err != nil {
				k.log.Error("ticket not printed", "number", number, "id", id, "err", err)
				k.printErr, k.printFailed = err.Error(), id
				// Printed may be retried by staff later; a ticket is never
				// printed twice by the kiosk on its own.
				if k.shown != nil && k.shown.ID == id {
					k.fillTicket(k.shown)
				}
			} else {
				k.log.Info("ticket printed", "number", number, "id", id, "to", where)
				k.printErr = ""
			}
			k.staffLine()
		})
	}()
}

func (k *Kiosk) printPDF(ctx context.Context, id, name string) (string, error) {
	var pdf []byte
	var err error
	for wait := 250 * time.Millisecond; ; wait *= 2 {
		pdf, err = k.opt.PDFs.TicketPDF(ctx, id)
		if err == nil || !errors.Is(err, client.ErrUnreachable) || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	if err != nil {
		return "", fmt.Errorf("fetch the ticket's PDF: %w", err)
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
