// Package ticketpdf prints what a citizen takes home, as PDF for an 80 mm
// thermal roll: the queue ticket from the kiosk, the receipt of a
// document registered at the fast-track counter, and the confirmation of
// an appointment booked on the web page (also on A4, for a home printer).
// Each roll page is as long as its content, so the printer cuts the paper
// where the document ends.
//
// Text uses the PDF core fonts, which need no font file and print on every
// thermal driver; their code page is cp1252, which covers Italian, and what
// it lacks is replaced (see encoder). The output depends only on the data
// given, so the same ticket always yields the same bytes.
package ticketpdf

import (
	"fmt"
	"io"
	"time"

	"turno/server/queue"
)

// TicketData is what a printed ticket shows.
type TicketData struct {
	Office   string         // the office's name
	Location *time.Location // the office's time zone; nil means UTC
	// Ticket is the ticket as its holder sees it; Ahead and EstimatedWait
	// are printed when set (a waiting ticket of today), CounterName when it
	// has been called.
	Ticket queue.PublicTicket
	// Info is the service's information sheet in Markdown; its first line
	// is printed (see InfoLine).
	Info string
	// URL is the ticket's phone page, printed as a QR code; empty prints
	// none.
	URL string
}

// ReceiptData is what a protocol receipt shows.
type ReceiptData struct {
	Office   string
	Location *time.Location // nil means UTC
	Protocol string         // the registration number, e.g. 2026/000123
	Document string         // the clerk's description of the document
	// At is when the document was registered.
	At      time.Time
	Number  string // the ticket's number, e.g. D004
	Counter string // the name of the counter that registered it
	URL     string // the ticket's phone page; empty prints no QR code
}

// dateTime formats t in the Italian way, which English readers also read.
func dateTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("02/01/2006  15:04")
}

// Ticket writes the printed ticket of d as a PDF to w.
func Ticket(w io.Writer, d TicketData) error {
	t := d.Ticket
	png, err := qrPNG(d.URL)
	if err != nil {
		return err
	}
	return render(w, "Biglietto "+t.Number, d.Office, t.IssuedAt, func(p *page) {
		p.text("B", 10, "C", d.Office)
		p.rule()
		if t.Priority {
			p.banner(11, "PRIORITARIO · PRIORITY")
			p.gap(1)
		}
		p.text("", 8, "C", "Il suo numero · Your number")
		p.gap(2)
		p.big("B", 110, t.Number)
		p.gap(2)
		p.text("B", 12, "C", t.ServiceNameIT)
		if t.ServiceNameEN != t.ServiceNameIT {
			p.text("I", 9, "C", t.ServiceNameEN)
		}
		p.rule()
		switch {
		case t.Ahead != nil && t.Wait != nil:
			wait := *t.Wait
			// Two Italian lines: as one they wrap in the middle of a phrase.
			p.text("B", 10, "C", fmt.Sprintf("Persone in attesa prima di lei: %d", *t.Ahead))
			p.text("B", 10, "C", "Attesa stimata: "+waitText(wait, "it"))
			p.text("I", 8, "C", fmt.Sprintf("Ahead of you: %d · Wait: %s", *t.Ahead, waitText(wait, "en")))
			p.gap(1)
		case t.CounterName != "":
			p.text("B", 10, "C", "Si rechi a: "+t.CounterName)
			p.text("I", 8, "C", "Please go to: "+t.CounterName)
			p.gap(1)
		}
		p.text("", 9, "C", dateTime(t.IssuedAt, d.Location))
		if png != nil {
			p.qr("qr", png)
			p.text("", 8, "C", "Segua il suo turno sul telefono: inquadri il codice")
			p.text("I", 7, "C", "Follow your turn on your phone: scan the code")
			p.text("", 6, "C", d.URL)
		}
		if info := InfoLine(d.Info); info != "" {
			p.rule()
			p.text("", 8, "L", info)
		}
	})
}

// Receipt writes the protocol receipt of d as a PDF to w.
func Receipt(w io.Writer, d ReceiptData) error {
	png, err := qrPNG(d.URL)
	if err != nil {
		return err
	}
	return render(w, "Ricevuta di protocollo "+d.Protocol, d.Office, d.At, func(p *page) {
		p.text("B", 10, "C", d.Office)
		p.rule()
		p.text("B", 13, "C", "Ricevuta di protocollo")
		p.text("I", 9, "C", "Registration receipt")
		p.gap(3)
		p.text("", 8, "C", "Numero di protocollo · Protocol number")
		p.gap(2)
		p.big("B", 40, d.Protocol)
		p.gap(2)
		p.text("", 9, "C", dateTime(d.At, d.Location))
		p.rule()
		p.text("", 8, "L", "Documento · Document")
		p.text("B", 10, "L", d.Document)
		p.gap(2)
		p.text("", 8, "L", "Biglietto · Ticket")
		p.text("B", 10, "L", d.Number)
		if d.Counter != "" {
			p.gap(2)
			p.text("", 8, "L", "Sportello · Counter")
			p.text("B", 10, "L", d.Counter)
		}
		if png != nil {
			p.rule()
			p.qr("qr", png)
			p.text("", 8, "C", "La pagina del suo biglietto: inquadri il codice")
			p.text("I", 7, "C", "Your ticket's page: scan the code")
			p.text("", 6, "C", d.URL)
		}
		p.rule()
		p.text("I", 8, "C", "Conservi questa ricevuta · Please keep this receipt")
	})
}
