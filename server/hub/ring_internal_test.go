package hub

import (
	"encoding/json"
	"testing"

	"turno/server/queue"
)

// The ring gives the events after a sequence, wrapped around or not, and
// keeps the encodings of its newest events only.
func TestRingGivesTheEventsAfterASequence(t *testing.T) {
	r := newRing(keepEncoded+500, 10)
	for seq := uint64(11); seq <= 10+2*keepEncoded; seq++ {
		e := &encoded{ev: &queue.Event{Seq: seq, Type: queue.EventTicketIssued}}
		e.frame(&View{Kind: KindDisplay})
		r.push(e)
	}
	if r.first() != 10+2*keepEncoded-uint64(len(r.buf))+1 {
		t.Fatalf("first %d", r.first())
	}
	for _, since := range []uint64{0, r.first() - 1, r.first() + 7, r.last - 1, r.last} {
		var got []uint64
		r.after(since, func(e *encoded) { got = append(got, e.ev.Seq) })
		from := max(since+1, r.first())
		if uint64(len(got)) != r.last-from+1 || (len(got) > 0 && (got[0] != from || got[len(got)-1] != r.last)) {
			t.Fatalf("after %d: got %d events from %v, want %d..%d", since, len(got), got[:min(len(got), 1)], from, r.last)
		}
	}
	encodedN := 0
	r.after(0, func(e *encoded) {
		if e.bytes[levelPublic] != nil {
			encodedN++
		}
	})
	if encodedN != keepEncoded {
		t.Fatalf("%d events keep their encodings, want the newest %d", encodedN, keepEncoded)
	}
}

// A phone's ticket frame, put together around the ticket's encoding, is
// the frame marshalFrame would make.
func TestTicketFrameIsTheMarshalledFrame(t *testing.T) {
	ahead := 3
	pt := &queue.PublicTicket{ID: "e764edade86dccb510d32eae053b0386", Number: "A012", Service: "anagrafe", Status: queue.StatusWaiting,
		Ahead: &ahead, Wait: &queue.Wait{EstimatedWait: 600}}
	body, err := json.Marshal(pt)
	if err != nil {
		t.Fatal(err)
	}
	got, want := ticketFrame(4242, body), marshalFrame(queue.Frame{Type: queue.FrameTicket, Seq: 4242, Ticket: pt})
	if string(got) != string(want) {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
