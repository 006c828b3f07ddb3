package ticketpdf_test

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"turno/server/queue"
	"turno/server/ticketpdf"
)

const bookingURL = "http://192.168.1.10:8080/prenota/b/0123456789abcdef0123456789abcdef"

func bookingData(paper ticketpdf.Paper) ticketpdf.BookingData {
	slot := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) // 10:00 in Rome
	return ticketpdf.BookingData{
		Office:   "Comune di Borgo Demo — Sportello polifunzionale",
		Location: rome,
		Booking: queue.Booking{ID: "0123456789abcdef0123456789abcdef", Code: "KM4TXA", Service: "anagrafe", Slot: slot,
			SlotEnd: slot.Add(15 * time.Minute), Name: "Maria Rossi", State: queue.BookingBooked,
			CreatedAt: time.Date(2026, 11, 24, 8, 12, 0, 0, time.UTC)},
		ServiceIT: "Anagrafe e stato civile", ServiceEN: "Registry office",
		Info:         "**Cosa portare / What to bring**\n- documento d'identità valido\n- il modulo `A1` *firmato*\n",
		CheckInEarly: 15 * time.Minute, CheckInLate: 10 * time.Minute,
		URL: bookingURL, Paper: paper,
	}
}

// shown is the text a PDF prints, its lines joined by spaces.
func shown(d *doc) string {
	var parts []string
	for _, m := range regexp.MustCompile(`\((.*?)\)Tj`).FindAllStringSubmatch(d.text, -1) {
		parts = append(parts, m[1])
	}
	return strings.Join(parts, " ")
}

func booking(d ticketpdf.BookingData) func(io.Writer) error {
	return func(w io.Writer) error { return ticketpdf.Booking(w, d) }
}

func TestBookingPDFOnTheRoll(t *testing.T) {
	d := render(t, booking(bookingData(ticketpdf.PaperRoll)))
	if w := d.mediaBox[0]; w < pageWidthPt-0.1 || w > pageWidthPt+0.1 {
		t.Errorf("page width %.1f mm, want 80", mm(w))
	}
	if h := mm(d.mediaBox[1]); h < 150 || h > 320 {
		t.Errorf("page height %.1f mm, want it fitted to the content", h)
	}
	if d.image == nil || !d.image.encodes(bookingURL) {
		t.Fatal("no QR code of the booking's page")
	}
	checkText(t, d,
		"(KM4-TXA)Tj",
		"(Conferma di prenotazione)Tj", "(Booking confirmation)Tj",
		"(Anagrafe e stato civile)Tj", "(Registry office)Tj",
		"(mercoled\xec 2 dicembre 2026)Tj", "(ore 10:00 \x96 10:15)Tj", "Wednesday 2 December 2026, 10:00 \x96 10:15",
		"A nome di \xb7 Name: Maria Rossi",
		"(Cosa portare / What to bring)Tj", "(\x95)Tj", "(il modulo A1 firmato)Tj",
		bookingURL,
	)
	for _, want := range []string{"dalle 09:45 alle 10:10", `al totem scelga "Ho una prenotazione" e digiti il codice`,
		`On arrival, from 09:45 to 10:10`, "annulli la prenotazione", `scelga "Annulli la prenotazione"`} {
		if !strings.Contains(shown(d), want) {
			t.Errorf("the PDF does not print %q:\n%s", want, shown(d))
		}
	}
	if strings.Contains(d.text, "ANNULLATA") {
		t.Error("a booked appointment is marked cancelled")
	}
}

func TestBookingPDFOnA4(t *testing.T) {
	d := render(t, booking(bookingData(ticketpdf.PaperA4)))
	if w, h := mm(d.mediaBox[0]), mm(d.mediaBox[1]); w < 209.9 || w > 210.1 || h < 296.9 || h > 297.1 {
		t.Errorf("page %.1f x %.1f mm, want A4", w, h)
	}
	if d.image == nil || !d.image.encodes(bookingURL) {
		t.Fatal("no QR code of the booking's page")
	}
	if got := mm(d.image.drawnPt); got < 45 {
		t.Errorf("QR code printed %.1f mm wide, want 45 mm or more on A4", got)
	}
	checkText(t, d, "(KM4-TXA)Tj", "(Anagrafe e stato civile)Tj", bookingURL)
}

func TestBookingPDFStates(t *testing.T) {
	for state, want := range map[queue.BookingState]string{
		queue.BookingCancelled: "ANNULLATA \xb7 CANCELLED",
		queue.BookingMissed:    "NON UTILIZZATA \xb7 MISSED",
		queue.BookingCheckedIn: "GI\xc0 UTILIZZATA \xb7 CHECKED IN",
	} {
		t.Run(string(state), func(t *testing.T) {
			data := bookingData(ticketpdf.PaperRoll)
			data.Booking.State = state
			d := render(t, booking(data))
			checkText(t, d, want)
			if text := shown(d); strings.Contains(text, "Ho una prenotazione") || strings.Contains(text, "annulli la prenotazione") {
				t.Error("a booking no longer booked tells how to check in or cancel")
			}
		})
	}
}

func TestBookingPDFIsDeterministic(t *testing.T) {
	for _, paper := range []ticketpdf.Paper{ticketpdf.PaperRoll, ticketpdf.PaperA4} {
		var a, b bytes.Buffer
		if err := ticketpdf.Booking(&a, bookingData(paper)); err != nil {
			t.Fatal(err)
		}
		if err := ticketpdf.Booking(&b, bookingData(paper)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("%s: two renderings differ", paper)
		}
		if !bytes.Contains(a.Bytes(), []byte("/CreationDate (D:20261124081200")) {
			t.Errorf("%s: the creation date is not the booking's", paper)
		}
	}
}

func TestBookingPDFLongSheetOnA4GoesOn(t *testing.T) {
	data := bookingData(ticketpdf.PaperA4)
	data.Info = strings.Repeat("- una voce lunga dell'elenco di ciò che serve portare allo sportello\n", 80)
	var buf bytes.Buffer
	if err := ticketpdf.Booking(&buf, data); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte("/Type /Page\n")); n < 2 {
		t.Fatalf("a long sheet fills %d page(s), want it to go on to a second", n)
	}
}

func TestDate(t *testing.T) {
	at := time.Date(2026, 3, 29, 23, 30, 0, 0, time.UTC) // Monday 30 March in Rome, after the change to summer time
	if got := ticketpdf.Date(at, rome, "it"); got != "lunedì 30 marzo 2026" {
		t.Errorf("got %q", got)
	}
	if got := ticketpdf.Date(at, rome, "en"); got != "Monday 30 March 2026" {
		t.Errorf("got %q", got)
	}
	if got := ticketpdf.Date(at, nil, "it"); got != "domenica 29 marzo 2026" {
		t.Errorf("no zone: got %q", got)
	}
}
