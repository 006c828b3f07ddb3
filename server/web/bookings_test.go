package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"turno/server/hub"
	"turno/server/queue"
)

type bookingJSON struct {
	ID      string    `json:"id"`
	Code    string    `json:"code"`
	Service string    `json:"service"`
	Slot    time.Time `json:"slot"`
	Name    string    `json:"name"`
	Contact string    `json:"contact"`
	State   string    `json:"state"`
}

func (o *office) book(user string, body map[string]any, want int) bookingJSON {
	o.t.Helper()
	var b bookingJSON
	o.mustDo(o.token(user), "POST", "/api/v1/bookings", body, want, &b)
	return b
}

// 50 clerks and floor assistants booking the last place of a slot at the
// same instant: exactly one booking, 49 clear refusals, and the agenda
// holds one.
func TestFiftyConcurrentBookingsOfTheLastPlaceGiveOne(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	slot := tuesday("11:00")
	tokens := []string{o.token("mario"), o.token("giulia"), o.token("anna"), o.token("admin")}
	var wg sync.WaitGroup
	statuses := make([]int, 50)
	bodies := make([][]byte, 50)
	start := make(chan struct{})
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i], bodies[i] = o.do(tokens[i%len(tokens)], "POST", "/api/v1/bookings",
				map[string]any{"service": "anagrafe", "slot": slot, "name": fmt.Sprint("Citizen ", i), "channel": "phone"})
		}()
	}
	close(start)
	wg.Wait()
	created, full := 0, 0
	for i, st := range statuses {
		switch {
		case st == http.StatusCreated:
			created++
		case st == http.StatusConflict && strings.Contains(string(bodies[i]), `"code":"slot_full"`):
			full++
		default:
			t.Fatalf("request %d: got %d %s", i, st, bodies[i])
		}
	}
	if created != 1 || full != 49 {
		t.Fatalf("got %d bookings and %d refusals, want 1 and 49", created, full)
	}
	var list struct{ Bookings []bookingJSON }
	o.mustDo(o.token("anna"), "GET", "/api/v1/bookings?day=2026-11-24&service=anagrafe", nil, 200, &list)
	if len(list.Bookings) != 1 || !list.Bookings[0].Slot.Equal(slot) {
		t.Fatalf("got %+v", list.Bookings)
	}
	// And after a restart, from the log.
	o = o.restart()
	var slots struct{ Slots []queue.Slot }
	o.mustDo(o.token("anna"), "GET", "/api/v1/services/anagrafe/slots?day=2026-11-24", nil, 200, &slots)
	for _, s := range slots.Slots {
		if s.Start.Equal(slot) && s.Free != 0 {
			t.Fatalf("after a restart the slot has %d places", s.Free)
		}
	}
}

func TestBookingByPhoneIsIdempotentCancelledAndMoved(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	body := map[string]any{"service": "anagrafe", "slot": tuesday("10:00"), "name": "Maria Rossi", "contact": "+39 06 1234 5678",
		"note": "cambio di residenza", "idempotency_key": "call-1"}
	b := o.book("mario", body, http.StatusCreated)
	if b.State != "booked" || len(b.Code) != queue.CodeLength || b.Contact != "+390612345678" {
		t.Fatalf("got %+v", b)
	}
	if again := o.book("mario", body, http.StatusOK); again.ID != b.ID {
		t.Fatalf("the same key: got %s, want %s", again.ID, b.ID)
	}
	// Another clerk's key of the same text is another request.
	body["slot"] = tuesday("10:15")
	body["contact"] = ""
	other := o.book("giulia", body, http.StatusCreated)
	// Found by code and by name.
	var found bookingJSON
	o.mustDo(o.token("anna"), "GET", "/api/v1/bookings/"+strings.ToLower(b.Code), nil, 200, &found)
	if found.ID != b.ID || found.Name != "Maria Rossi" {
		t.Fatalf("by code: got %+v", found)
	}
	var list struct{ Bookings []bookingJSON }
	o.mustDo(o.token("anna"), "GET", "/api/v1/bookings?q=rossi", nil, 200, &list)
	if len(list.Bookings) != 2 {
		t.Fatalf("by name: got %+v", list.Bookings)
	}
	// Move, then cancel: the old and the cancelled slots are free again.
	var moved bookingJSON
	o.mustDo(o.token("mario"), "POST", "/api/v1/bookings/"+b.ID+"/move", map[string]any{"slot": tuesday("11:00")}, 200, &moved)
	if !moved.Slot.Equal(tuesday("11:00")) || moved.Code != b.Code {
		t.Fatalf("moved: got %+v", moved)
	}
	o.mustDo(o.token("mario"), "POST", "/api/v1/bookings/"+other.Code+"/cancel", nil, 200, &found)
	if found.State != "cancelled" {
		t.Fatalf("cancelled: got %+v", found)
	}
	status, data := o.do(o.token("mario"), "POST", "/api/v1/bookings/"+other.Code+"/cancel", nil)
	if status != http.StatusConflict || !strings.Contains(string(data), "booking_state") {
		t.Fatalf("cancel twice: got %d %s", status, data)
	}
	for _, free := range []time.Time{tuesday("10:00"), tuesday("10:15")} {
		o.book("giulia", map[string]any{"service": "anagrafe", "slot": free, "name": "Next"}, http.StatusCreated)
	}
}

func TestBookingRequestsAreCheckedAndChangeNothing(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	for _, tc := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"no slot", map[string]any{"service": "anagrafe", "name": "X"}, 400, "invalid"},
		{"not a slot", map[string]any{"service": "anagrafe", "name": "X", "slot": tuesday("10:07")}, 400, "no_such_slot"},
		{"not bookable service", map[string]any{"service": "nope", "name": "X", "slot": tuesday("10:00")}, 404, "unknown_service"},
		{"web channel by staff", map[string]any{"service": "anagrafe", "name": "X", "slot": tuesday("10:00"), "channel": "web"}, 400, "invalid"},
		{"unknown field", map[string]any{"service": "anagrafe", "name": "X", "slot": tuesday("10:00"), "email": "x@y.it"}, 400, "unknown_field"},
		{"bad contact", map[string]any{"service": "anagrafe", "name": "X", "slot": tuesday("10:00"), "contact": "not a contact"}, 400, "invalid"},
		{"a slot begun", map[string]any{"service": "anagrafe", "name": "X", "slot": tuesday("08:45")}, 409, "slot_past"},
		{"beyond the horizon", map[string]any{"service": "anagrafe", "name": "X", "slot": tuesday("10:00").AddDate(0, 0, 35)}, 409, "slot_too_far"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before struct{ Seq uint64 }
			o.mustDo("", "GET", "/healthz", nil, 200, &before)
			status, data := o.do(o.token("mario"), "POST", "/api/v1/bookings", tc.body)
			var e struct{ Error struct{ Code string } }
			json.Unmarshal(data, &e)
			if status != tc.status || (e.Error.Code != tc.code && !strings.HasPrefix(e.Error.Code, tc.code)) {
				t.Fatalf("got %d %s, want %d %s", status, data, tc.status, tc.code)
			}
			var after struct{ Seq uint64 }
			o.mustDo("", "GET", "/healthz", nil, 200, &after)
			if after.Seq != before.Seq {
				t.Fatalf("a refused booking changed the log: %d -> %d", before.Seq, after.Seq)
			}
		})
	}
}

// Roles: a kiosk checks citizens in but cannot read or make bookings; a
// hall display neither; a clerk may.
func TestBookingRolesAreEnforced(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	b := o.book("mario", map[string]any{"service": "anagrafe", "slot": tuesday("09:15"), "name": "Maria Rossi"}, http.StatusCreated)
	for _, tc := range []struct{ token, method, path string }{
		{kioskToken, "GET", "/api/v1/bookings"},
		{kioskToken, "GET", "/api/v1/bookings/" + b.ID},
		{kioskToken, "POST", "/api/v1/bookings/" + b.ID + "/cancel"},
		{"demo-display-token", "GET", "/api/v1/bookings"},
		{"demo-display-token", "POST", "/api/v1/checkin"},
	} {
		status, data := o.do(tc.token, tc.method, tc.path, map[string]any{})
		if status != http.StatusForbidden {
			t.Fatalf("%s %s with %s: got %d %s, want 403", tc.method, tc.path, tc.token, status, data)
		}
	}
	// The kiosk checks in, and sees the service and the slot, not the name.
	status, data := o.do(kioskToken, "POST", "/api/v1/checkin", map[string]any{"code": b.Code})
	if status != http.StatusCreated || strings.Contains(string(data), "Maria") || strings.Contains(string(data), b.ID) {
		t.Fatalf("kiosk check-in: got %d %s", status, data)
	}
	var resp struct {
		Ticket  ticketJSON
		Booking bookingJSON
	}
	json.Unmarshal(data, &resp)
	if resp.Ticket.Number != "P001" || resp.Booking.Service != "anagrafe" || !resp.Booking.Slot.Equal(tuesday("09:15")) || resp.Ticket.Ahead == nil {
		t.Fatalf("got %+v", resp)
	}
	// Again: the same ticket, 200.
	status, data = o.do(kioskToken, "POST", "/api/v1/checkin", map[string]any{"code": b.Code})
	if status != http.StatusOK || !strings.Contains(string(data), resp.Ticket.ID) {
		t.Fatalf("twice: got %d %s", status, data)
	}
	// A code nobody has: 404 with the reason for the kiosk.
	status, data = o.do(kioskToken, "POST", "/api/v1/checkin", map[string]any{"code": "AAAAAA"})
	if status != http.StatusNotFound || !strings.Contains(string(data), `"reason":"unknown"`) {
		t.Fatalf("unknown code: got %d %s", status, data)
	}
	// The kiosk's service list tells the next free slot, without names.
	var services struct{ Services []queue.ServiceView }
	o.mustDo(kioskToken, "GET", "/api/v1/services", nil, 200, &services)
	if a := services.Services[0].Agenda; a == nil || a.CheckedIn != 1 || a.NextFree == nil {
		t.Fatalf("agenda view: got %+v", a)
	}
}

// A kiosk books for the citizen standing at it as the citizen would: the
// notice applies, the channel is the kiosk's.
func TestAKioskBooksAsTheCitizenWould(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	body := map[string]any{"service": "anagrafe", "slot": tuesday("10:00"), "name": "Maria Rossi"}
	status, data := o.do(kioskToken, "POST", "/api/v1/bookings", body)
	if status != http.StatusConflict || !strings.Contains(string(data), "slot_too_soon") {
		t.Fatalf("within the notice: got %d %s", status, data)
	}
	body["slot"] = tuesday("11:15")
	var b struct {
		bookingJSON
		Channel string
	}
	o.mustDo(kioskToken, "POST", "/api/v1/bookings", body, http.StatusCreated, &b)
	if b.Channel != queue.ChannelKiosk || b.Code == "" || b.ID == "" {
		t.Fatalf("got %+v", b)
	}
	body["channel"] = "phone"
	if status, data := o.do(kioskToken, "POST", "/api/v1/bookings", body); status != http.StatusBadRequest {
		t.Fatalf("a kiosk booking as the phone: got %d %s", status, data)
	}
}

// A check-in too early says when to come back, in the response body.
func TestCheckInTooEarlySaysWhenToComeBack(t *testing.T) {
	o := newOffice(t, tuesday("09:00"))
	b := o.book("mario", map[string]any{"service": "anagrafe", "slot": tuesday("11:00"), "name": "Early"}, http.StatusCreated)
	status, data := o.do(kioskToken, "POST", "/api/v1/checkin", map[string]any{"code": queue.FormatCode(b.Code)})
	var e struct {
		Error struct {
			Code    string
			CheckIn queue.CheckInRefusal `json:"check_in"`
		}
	}
	json.Unmarshal(data, &e)
	if status != http.StatusConflict || e.Error.Code != "checkin_too_early" || e.Error.CheckIn.ComeBackAt == nil || !e.Error.CheckIn.ComeBackAt.Equal(tuesday("10:45")) {
		t.Fatalf("got %d %s", status, data)
	}
}

// Bookings hold citizens' names: the stream gives them to supervisors and
// to the clerks of their service, never to a hall display or a kiosk (which
// still see the appointment tickets and the agenda's counts).
func TestTheStreamGivesBookingsOnlyToStaff(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("09:00"), hub.Options{})
	var before bookingJSON
	o.mustDo(o.token("mario"), "POST", "/api/v1/bookings", map[string]any{"service": "anagrafe", "slot": tuesday("09:15"), "name": "Maria Rossi"}, 201, &before)

	admin := o.dial(t, o.token("admin"), queue.Subscribe{})
	anagrafe := o.dial(t, "", queue.Subscribe{Token: o.token("giulia"), Counter: "2"}) // anagrafe and tributi
	taxes := o.dial(t, "", queue.Subscribe{Token: o.token("luca"), Counter: "4"})      // tributi only
	display := o.dial(t, displayToken, queue.Subscribe{})
	kiosk := o.dial(t, "", queue.Subscribe{Token: kioskToken})
	for name, c := range map[string]*wsClient{"admin": admin, "anagrafe": anagrafe, "taxes": taxes, "display": display, "kiosk": kiosk} {
		f := c.next()
		wantBookings := name == "admin" || name == "anagrafe"
		if f.Type != queue.FrameSnapshot || (len(f.Snapshot.Bookings) == 1) != wantBookings {
			t.Fatalf("%s: snapshot with %d bookings, want them %v", name, len(f.Snapshot.Bookings), wantBookings)
		}
	}
	o.mustDo(o.token("mario"), "POST", "/api/v1/bookings", map[string]any{"service": "anagrafe", "slot": tuesday("11:00"), "name": "Luigi Verdi"}, 201, nil)
	o.mustDo(kioskToken, "POST", "/api/v1/checkin", map[string]any{"code": before.Code}, 201, nil)
	o.mustDo(o.token("anna"), "POST", "/api/v1/hall/message", map[string]any{"text": "fine"}, 200, nil)
	end := eventOf(queue.EventHallMessage)
	for name, c := range map[string]*wsClient{"admin": admin, "anagrafe": anagrafe, "taxes": taxes, "display": display, "kiosk": kiosk} {
		frames := c.until(func(f frame) bool {
			return end(f) || (name != "admin" && name != "display" && f.Type == queue.FrameStats && strings.Contains(f.raw, `"checked_in":1`))
		})
		sawBooking, sawTicket := false, false
		for _, f := range frames {
			if strings.Contains(f.raw, "Maria") || strings.Contains(f.raw, "Luigi") {
				sawBooking = true
			}
			if f.Event != nil && f.Event.Ticket != nil && f.Event.Ticket.Number == "P001" {
				sawTicket = true
				if (name == "display") && (f.Event.Ticket.Booking != "" || strings.Contains(f.raw, before.ID)) {
					t.Fatalf("display: the ticket carries the booking's id: %s", f.raw)
				}
			}
		}
		if wantNames := name == "admin" || name == "anagrafe"; sawBooking != wantNames {
			t.Fatalf("%s: saw names %v, want %v", name, sawBooking, wantNames)
		}
		if (name == "display" || name == "admin" || name == "anagrafe") && !sawTicket {
			t.Fatalf("%s: did not see the appointment ticket", name)
		}
	}
}

// A supervisor's screen left on overnight learns the new day's agenda: the
// bookings were made on earlier days, so after the rollover the stream sends
// a fresh snapshot holding them; a screen that joins after it is not sent
// a second one.
func TestTheNewDaysAgendaReachesAScreenLeftOn(t *testing.T) {
	noLeaks(t)
	o := newStreaming(t, tuesday("16:00"), hub.Options{})
	var b bookingJSON
	o.mustDo(o.token("mario"), "POST", "/api/v1/bookings", map[string]any{"service": "anagrafe",
		"slot": tuesday("10:00").AddDate(0, 0, 1), "name": "Maria Rossi"}, 201, &b)
	admin := o.dial(t, o.token("admin"), queue.Subscribe{})
	if f := admin.next(); f.Type != queue.FrameSnapshot || len(f.Snapshot.Bookings) != 0 {
		t.Fatalf("today's snapshot: got %s", f.raw)
	}
	o.clock.Set(tuesday("00:01").AddDate(0, 0, 1))
	if err := o.live.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	frames := admin.until(func(f frame) bool { return f.Type == queue.FrameSnapshot })
	snap := frames[len(frames)-1].Snapshot
	if snap.Day != "2026-11-25" || len(snap.Bookings) != 1 || snap.Bookings[0].ID != b.ID {
		t.Fatalf("the new day's snapshot: got day %s and bookings %+v", snap.Day, snap.Bookings)
	}
	late := o.dial(t, o.token("anna"), queue.Subscribe{})
	if f := late.next(); f.Type != queue.FrameSnapshot || len(f.Snapshot.Bookings) != 1 {
		t.Fatalf("a screen joining after: got %s", f.raw)
	}
	o.mustDo(o.token("anna"), "POST", "/api/v1/hall/message", map[string]any{"text": "buongiorno"}, 200, nil)
	for _, f := range late.until(eventOf(queue.EventHallMessage)) {
		if f.Type == queue.FrameSnapshot {
			t.Fatal("a screen that joined after the rollover got a second snapshot")
		}
	}
}

// A service view leaves the office's lock and is encoded while the office
// goes on: refusals counted meanwhile must not touch the view's counts (the
// race detector caught the per-rule map shared between the two).
func TestServiceViewsShareNothingWithTheOffice(t *testing.T) {
	o := newOffice(t, tuesday("12:10")) // anagrafe refuses: cut off at 12:00
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 25 {
				o.do(kioskToken, "POST", "/api/v1/tickets", map[string]any{"service": "anagrafe"})
			}
		}()
		go func() {
			defer wg.Done()
			for range 25 {
				o.do(kioskToken, "GET", "/api/v1/services", nil)
			}
		}()
	}
	wg.Wait()
	var services struct{ Services []queue.ServiceView }
	o.mustDo(kioskToken, "GET", "/api/v1/services", nil, 200, &services)
	if n := services.Services[0].Stats.ByRule[queue.RuleCutoffTime]; n != 50 {
		t.Fatalf("got %d turn-aways counted, want 50", n)
	}
}
