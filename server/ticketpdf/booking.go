package ticketpdf

import (
	"fmt"
	"io"
	"strings"
	"time"

	"turno/server/queue"
)

// Paper is the sheet a document is printed on.
type Paper string

// Papers of the booking confirmation: the citizen prints it at home on A4,
// or the office on its ticket roll.
const (
	PaperRoll Paper = "80mm"
	PaperA4   Paper = "a4"
)

// a4 is a portrait A4 sheet: wide margins, and the roll's layout a third
// larger.
var a4 = paper{pageWidth: 210, left: 25, width: 160, qrSize: 50, scale: 1.35}

const (
	a4Height      = 297.0
	a4BottomSpace = 18.0
)

// BookingData is what a booking confirmation shows.
type BookingData struct {
	Office   string
	Location *time.Location // the office's zone; nil means UTC
	// Booking is the booking; Code, Slot, SlotEnd, Name and State are
	// printed.
	Booking   queue.Booking
	ServiceIT string
	ServiceEN string
	// Info is the service's information sheet in Markdown, printed whole:
	// what to bring.
	Info string
	// CheckInEarly and CheckInLate bound the check-in window around the
	// slot, as the service's agenda says.
	CheckInEarly, CheckInLate time.Duration
	// URL is the booking's own page (see and cancel it), printed as a QR
	// code, which the kiosk's reader also accepts, and spelled out.
	URL   string
	Paper Paper
}

// Booking writes the confirmation of a booking as a PDF to w: on an 80 mm
// roll as long as its content, or on an A4 sheet. Like the ticket it
// speaks Italian first and English after.
func Booking(w io.Writer, d BookingData) error {
	png, err := qrPNG(d.URL)
	if err != nil {
		return err
	}
	b := d.Booking
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	code := queue.FormatCode(b.Code)
	draw := func(p *page) {
		p.text("B", 10, "C", d.Office)
		p.rule()
		p.text("B", 13, "C", "Conferma di prenotazione")
		p.text("I", 9, "C", "Booking confirmation")
		p.gap(2)
		switch b.State {
		case queue.BookingCancelled:
			p.banner(11, "ANNULLATA · CANCELLED")
			p.gap(1)
		case queue.BookingMissed:
			p.banner(11, "NON UTILIZZATA · MISSED")
			p.gap(1)
		case queue.BookingCheckedIn:
			p.banner(11, "GIÀ UTILIZZATA · CHECKED IN")
			p.gap(1)
		}
		p.text("", 8, "C", "Codice di prenotazione · Booking code")
		p.gap(2)
		p.big("B", 48, code)
		p.gap(2)
		p.text("B", 12, "C", d.ServiceIT)
		if d.ServiceEN != "" && d.ServiceEN != d.ServiceIT {
			p.text("I", 9, "C", d.ServiceEN)
		}
		p.rule()
		p.text("B", 11, "C", Date(b.Slot, loc, "it"))
		p.text("B", 16, "C", "ore "+b.Slot.In(loc).Format("15:04")+" – "+b.SlotEnd.In(loc).Format("15:04"))
		p.text("I", 8, "C", Date(b.Slot, loc, "en")+", "+b.Slot.In(loc).Format("15:04")+" – "+b.SlotEnd.In(loc).Format("15:04"))
		if b.Name != "" {
			p.gap(1.5)
			p.text("", 9, "C", "A nome di · Name: "+b.Name)
		}
		if png != nil {
			p.qr("qr", png)
		}
		if b.State == queue.BookingBooked {
			from := b.Slot.Add(-d.CheckInEarly).In(loc).Format("15:04")
			to := b.Slot.Add(d.CheckInLate).In(loc).Format("15:04")
			p.text("", 8, "L", fmt.Sprintf("All'arrivo, dalle %s alle %s: al totem scelga \"Ho una prenotazione\" e digiti il codice, oppure avvicini questo QR al lettore. Riceverà un numero che sarà chiamato all'orario prenotato.", from, to))
			p.gap(0.5)
			p.text("I", 7, "L", fmt.Sprintf("On arrival, from %s to %s: at the kiosk choose \"I have an appointment\" and type the code, or hold this QR code to the reader. You get a number, called at your time.", from, to))
		}
		if lines := infoLines(d.Info); len(lines) > 0 {
			p.rule()
			for _, l := range lines {
				switch {
				case l.title:
					p.text("B", 8, "L", l.text)
				case l.item:
					p.item(8, l.text)
				default:
					p.text("", 8, "L", l.text)
				}
			}
		}
		p.rule()
		if b.State == queue.BookingBooked {
			p.text("", 8, "L", "Se non può venire, annulli la prenotazione: il posto tornerà libero per altri. Apra il link qui sotto (o inquadri il QR) e scelga \"Annulli la prenotazione\".")
			p.gap(0.5)
			p.text("I", 7, "L", "If you cannot come, please cancel: the place is freed for someone else. Open the link below (or scan the QR code) and choose \"Cancel the booking\".")
			p.gap(1)
		}
		p.text("", 6, "C", d.URL)
	}
	title := "Prenotazione " + code
	created := b.CreatedAt
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	if d.Paper != PaperA4 {
		return render(w, title, d.Office, created, draw)
	}
	p := newPage(a4, a4Height, title, d.Office, created)
	p.pdf.SetAutoPageBreak(true, a4BottomSpace) // a long information sheet goes on
	p.gap(10)
	draw(p)
	if err := p.pdf.Output(w); err != nil {
		return fmt.Errorf("ticketpdf: %w", err)
	}
	return nil
}

// infoLine is a line of an information sheet as printed.
type infoLine struct {
	title, item bool
	text        string
}

// infoLines returns a Markdown information sheet as plain lines: titles
// (a heading, a wholly bold line) marked, list items with a bullet.
func infoLines(md string) []infoLine {
	var out []infoLine
	for _, l := range strings.Split(md, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		item := strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "* ") || strings.HasPrefix(l, "+ ")
		text := plainMarkdown(l)
		if text == "" {
			continue
		}
		out = append(out, infoLine{title: isTitle(l), item: item, text: text})
	}
	return out
}

var (
	weekdaysIT = [...]string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"}
	monthsIT   = [...]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}
)

// Date writes the civil date of t in loc in full, in lang ("it" or "en"):
// "martedì 2 dicembre 2026", "Tuesday 2 December 2026".
func Date(t time.Time, loc *time.Location, lang string) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	if lang == "en" {
		return t.Format("Monday 2 January 2006")
	}
	return fmt.Sprintf("%s %d %s %d", weekdaysIT[t.Weekday()], t.Day(), monthsIT[t.Month()-1], t.Year())
}
