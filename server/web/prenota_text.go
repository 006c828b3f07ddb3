package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"turno/server/queue"
	"turno/server/ticketpdf"
)

// The booking page's words, in Italian (formal: the citizen is "Lei") and
// English. Templates call {{.T.S "key" args...}}; a test checks that every
// key they use exists in both languages.

// text is one sentence in both languages, a fmt format.
type text struct{ it, en string }

var texts = map[string]text{
	"site":        {"Prenotazione appuntamenti", "Book an appointment"},
	"skip":        {"Vai al contenuto", "Skip to content"},
	"lang.other":  {"English", "Italiano"},
	"lang.switch": {"Read this page in English", "Leggi questa pagina in italiano"},
	"step":        {"Passo %d di %d", "Step %d of %d"},
	"start.again": {"Torni all'inizio", "Start again"},
	"book.again":  {"Prenoti un altro appuntamento", "Book another appointment"},
	"back":        {"Indietro", "Back"},
	"change":      {"Modifica", "Change"},
	"optional":    {"(facoltativo)", "(optional)"},
	"footer":      {"Prenotazioni online di %s", "Online booking of %s"},

	"services.title":  {"Prenoti un appuntamento", "Book an appointment"},
	"services.intro":  {"Scelga il servizio. Il giorno dell'appuntamento La chiameremo all'orario prenotato, senza fare la coda.", "Choose the service. On the day we will call you at your booked time, without queuing."},
	"services.next":   {"Primo orario libero: %s alle %s", "First free time: %s at %s"},
	"services.none":   {"Nessun orario libero nei prossimi %d giorni", "No free time in the next %d days"},
	"services.choose": {"Scelga questo servizio", "Choose this service"},
	"services.empty":  {"Al momento nessun servizio si prenota online. Può prendere un numero al totem in ufficio.", "No service can be booked online at the moment. You can take a number at the kiosk in the office."},
	"info.show":       {"Cosa portare e informazioni", "What to bring and information"},
	"info.title":      {"Scheda informativa", "Information sheet"},

	"days.title": {"Scelga il giorno", "Choose the day"},
	"days.rules": {"Si prenota con almeno %s di anticipo e fino a %d giorni prima.", "You can book from %s ahead up to %d days ahead."},
	"days.free1": {"1 orario libero", "1 free time"},
	"days.free":  {"%d orari liberi", "%d free times"},
	"days.none":  {"Non ci sono orari liberi nei prossimi %d giorni. Può prendere un numero al totem in ufficio, oppure riprovare nei prossimi giorni: i posti annullati tornano liberi.", "There is no free time in the next %d days. You can take a number at the kiosk in the office, or try again in a few days: cancelled places become free again."},

	"slots.title":     {"Scelga l'orario", "Choose the time"},
	"slots.none":      {"Quel giorno non ci sono più orari liberi. Scelga un altro giorno.", "There is no free time left on that day. Please choose another day."},
	"slots.other_day": {"Scelga un altro giorno", "Choose another day"},
	"slots.legend":    {"Orari liberi di %s", "Free times on %s"},
	"slots.free":      {"Orari liberi", "Free times"},
	"slots.submit":    {"Prenoti l'orario scelto", "Book the chosen time"},
	"slot.label":      {"dalle %s alle %s", "from %s to %s"},

	"summary.service": {"Servizio", "Service"},
	"summary.day":     {"Giorno", "Day"},
	"summary.time":    {"Orario", "Time"},
	"summary.name":    {"A nome di", "Name"},
	"summary.state":   {"Stato", "State"},

	"details.title":        {"I Suoi dati", "Your details"},
	"field.name":           {"Nome e cognome", "Full name"},
	"field.name.hint":      {"Serve all'ufficio per accoglierLa.", "The office uses it to greet you."},
	"field.contact":        {"E-mail o numero di telefono", "E-mail or phone number"},
	"field.contact.hint":   {"Serve solo se l'ufficio deve contattarLa per questo appuntamento.", "Only used if the office needs to reach you about this appointment."},
	"field.contact.verify": {"Le invieremo un codice di 6 cifre per confermare la prenotazione.", "We will send you a 6-digit code to confirm the booking."},
	"field.note":           {"Note per l'ufficio", "Note for the office"},
	"field.note.hint":      {"Per esempio il motivo della visita, al massimo %d caratteri.", "For example the reason for your visit, at most %d characters."},
	"privacy":              {"L'ufficio usa questi dati solo per gestire l'appuntamento e li cancella %d giorni dopo.", "The office uses these details only to manage the appointment, and erases them %d days after it."},
	"details.submit":       {"Prenoti", "Book"},
	"details.send":         {"Mi invii il codice", "Send me the code"},
	"errors.title":         {"Controlli i dati", "Please check your details"},

	"err.name.required":    {"Scriva il Suo nome e cognome.", "Enter your full name."},
	"err.name.long":        {"Il nome può avere al massimo %d caratteri.", "The name can have at most %d characters."},
	"err.contact.invalid":  {"Scriva un indirizzo e-mail (nome@esempio.it) o un numero di telefono (da 6 a 15 cifre).", "Enter an e-mail address (name@example.com) or a phone number (6 to 15 digits)."},
	"err.contact.required": {"Scriva un indirizzo e-mail o un numero di telefono: Le invieremo il codice di conferma.", "Enter an e-mail address or a phone number: we will send the confirmation code to it."},
	"err.note.long":        {"La nota può avere al massimo %d caratteri.", "The note can have at most %d characters."},
	"err.text.invalid":     {"Il testo contiene caratteri non validi.", "The text contains characters that are not valid."},

	"verify.title":     {"Inserisca il codice", "Enter the code"},
	"verify.sent":      {"Abbiamo inviato un codice di 6 cifre a %s. Lo inserisca qui sotto entro le %s.", "We sent a 6-digit code to %s. Enter it below by %s."},
	"field.code":       {"Codice di verifica", "Verification code"},
	"verify.submit":    {"Confermi la prenotazione", "Confirm the booking"},
	"verify.resend":    {"Mi invii un nuovo codice", "Send me a new code"},
	"verify.other":     {"Non ha ricevuto il codice? Controlli l'indirizzo o il numero e ne chieda uno nuovo.", "No code? Check the address or number and ask for a new one."},
	"err.code.format":  {"Il codice è di 6 cifre.", "The code has 6 digits."},
	"err.code.wrong1":  {"Il codice non è corretto. Le resta 1 tentativo.", "The code is not right. You have 1 attempt left."},
	"err.code.wrong":   {"Il codice non è corretto. Le restano %d tentativi.", "The code is not right. You have %d attempts left."},
	"err.code.locked":  {"Il codice è stato sbagliato troppe volte. Chieda un nuovo codice.", "The code was entered wrongly too many times. Please ask for a new code."},
	"err.code.expired": {"Il codice è scaduto. Chieda un nuovo codice.", "The code has expired. Please ask for a new code."},
	"err.code.send":    {"Non è stato possibile inviare il codice. Riprovi tra qualche minuto.", "The code could not be sent. Please try again in a few minutes."},
	"code.subject":     {"Codice di verifica", "Verification code"},
	"code.body":        {"%s: il Suo codice per confermare la prenotazione è %s. Scade tra 10 minuti. Se non ha chiesto Lei una prenotazione, ignori questo messaggio.", "%s: your code to confirm the booking is %s. It expires in 10 minutes. If you did not ask for a booking, please ignore this message."},

	"limit.title":         {"Troppe richieste", "Too many requests"},
	"limit.bookings1":     {"Da questa connessione è già stata fatta una prenotazione nell'ultima ora, il massimo consentito. Riprovi dopo le %s, oppure chieda all'ufficio.", "A booking has already been made from this connection in the last hour, the most allowed. Please try again after %s, or ask the office."},
	"limit.bookings":      {"Da questa connessione sono state fatte %d prenotazioni nell'ultima ora, il massimo consentito. Riprovi dopo le %s, oppure chieda all'ufficio.", "%d bookings have been made from this connection in the last hour, the most allowed. Please try again after %s, or ask the office."},
	"limit.codes.contact": {"Per questo contatto sono già stati chiesti %d codici nell'ultima ora. Riprovi dopo le %s.", "%d codes have already been requested for this contact in the last hour. Please try again after %s."},
	"limit.codes.addr":    {"Da questa connessione sono stati chiesti troppi codici nell'ultima ora. Riprovi dopo le %s.", "Too many codes have been requested from this connection in the last hour. Please try again after %s."},

	"taken.title":        {"Orario non più disponibile", "Time no longer available"},
	"refused.title":      {"Prenotazione non possibile", "Booking not possible"},
	"err.slot_full":      {"L'orario delle %s è appena stato prenotato da un'altra persona. Scelga un altro orario.", "The %s time has just been booked by someone else. Please choose another time."},
	"err.slot_too_soon":  {"L'orario delle %s è troppo vicino: si prenota con almeno %s di anticipo. Scelga un orario più avanti.", "The %s time is too soon: bookings must be made at least %s ahead. Please choose a later time."},
	"err.slot_past":      {"L'orario delle %s è già passato. Scelga un altro orario.", "The %s time has already passed. Please choose another time."},
	"err.slot_too_far":   {"Si può prenotare al massimo %d giorni prima. Scelga un giorno più vicino.", "You can book at most %d days ahead. Please choose an earlier day."},
	"err.no_such_slot":   {"Quell'orario non è nell'agenda del servizio. Scelga uno degli orari proposti.", "That time is not in the service's agenda. Please choose one of the times offered."},
	"err.booking_limit1": {"Con questo contatto c'è già una prenotazione attiva per «%s». Per prenotare un altro orario, annulli prima quella dal link della conferma.", "This contact already holds an active booking for “%s”. To book another time, first cancel that one from the link in its confirmation."},
	"err.booking_limit":  {"Con questo contatto ci sono già %d prenotazioni attive per «%s», il massimo consentito. Per prenotarne un'altra, ne annulli prima una dal link della conferma.", "This contact already holds %d active bookings for “%s”, the most allowed. To book another, first cancel one from the link in its confirmation."},
	"err.idempotency":    {"Questo modulo è già stato usato per un'altra prenotazione. Ricominci dalla scelta dell'orario.", "This form was already used for another booking. Please start again from choosing the time."},
	"err.invalid":        {"I dati inviati non sono validi. Ricominci dalla scelta del servizio.", "The details sent are not valid. Please start again from choosing the service."},
	"err.unavailable":    {"Il servizio di prenotazione non è disponibile in questo momento. Riprovi tra qualche minuto.", "Booking is not available right now. Please try again in a few minutes."},
	"err.internal":       {"Si è verificato un errore e la richiesta non è stata registrata. Riprovi tra qualche minuto.", "Something went wrong and your request was not recorded. Please try again in a few minutes."},
	"err.form.expired":   {"Per sicurezza il modulo è stato rinnovato. Controlli i dati e prema di nuovo il pulsante.", "For your security the form has been renewed. Please check your details and press the button again."},
	"err.cookies":        {"Il Suo browser non ha rimandato il cookie di questa pagina. Abiliti i cookie per questo sito e riprovi: il cookie serve solo a proteggere il modulo.", "Your browser did not send back this page's cookie. Please enable cookies for this site and try again: the cookie only protects the form."},
	"err.cross_site":     {"La richiesta non proviene da questo sito ed è stata rifiutata.", "The request did not come from this site and was refused."},
	"error.title":        {"Richiesta non riuscita", "Request failed"},
	"unavailable.title":  {"Servizio non disponibile", "Service unavailable"},
	"notfound.title":     {"Pagina non trovata", "Page not found"},
	"notfound.booking":   {"Non esiste una prenotazione a questo indirizzo. Controlli il link ricevuto con la conferma.", "There is no booking at this address. Please check the link you received with the confirmation."},
	"notfound.page":      {"Questa pagina non esiste.", "This page does not exist."},
	"notfound.service":   {"Questo servizio non esiste o non si prenota online.", "This service does not exist or cannot be booked online."},
	"method.title":       {"Richiesta non valida", "Invalid request"},
	"err.form.damaged":   {"Il modulo inviato è incompleto. Ricominci dalla scelta del servizio.", "The form sent is incomplete. Please start again from choosing the service."},
	"err.cancel.begun":   {"L'appuntamento è già iniziato e non si può più annullare online: chieda all'ufficio.", "The appointment has already begun and can no longer be cancelled online: please ask the office."},
	"state.booked":       {"Confermata", "Confirmed"},
	"state.cancelled":    {"Annullata", "Cancelled"},
	"state.checkedin":    {"Arrivo registrato", "Checked in"},
	"state.missed":       {"Non utilizzata", "Missed"},

	"booking.title":          {"La Sua prenotazione", "Your booking"},
	"booking.new":            {"Prenotazione confermata. Conservi il codice o questa pagina: serviranno al Suo arrivo.", "Booking confirmed. Keep the code or this page: you will need it when you arrive."},
	"booking.cancelled_now":  {"La prenotazione è stata annullata e il posto è di nuovo libero. Grazie.", "The booking has been cancelled and the place is free again. Thank you."},
	"code.label":             {"Codice di prenotazione", "Booking code"},
	"cancelled.citizen":      {"Questa prenotazione è stata annullata da Lei %s alle %s.", "This booking was cancelled by you on %s at %s."},
	"cancelled.office":       {"Questa prenotazione è stata annullata dall'ufficio %s alle %s.", "This booking was cancelled by the office on %s at %s."},
	"checkedin.text":         {"Arrivo registrato alle %s: il Suo numero è %s.", "Checked in at %s: your number is %s."},
	"missed.text":            {"L'arrivo non è stato registrato entro l'orario previsto: la prenotazione non è più valida. Può prenotare di nuovo.", "Nobody checked in within the time allowed: the booking is no longer valid. You can book again."},
	"begun.text":             {"L'appuntamento è iniziato alle %s. Se è in ufficio, registri subito l'arrivo al totem, entro le %s.", "The appointment started at %s. If you are in the office, check in at the kiosk now, by %s."},
	"over.text":              {"L'orario per registrare l'arrivo è passato.", "The time to check in has passed."},
	"checkin.title":          {"Al Suo arrivo", "When you arrive"},
	"checkin.text":           {"Dalle %s alle %s, al totem scelga «Ho una prenotazione» e digiti il codice, oppure avvicini il codice QR al lettore. Riceverà un numero, che sarà chiamato all'orario prenotato.", "From %s to %s, at the kiosk choose “I have an appointment” and type the code, or hold the QR code to the reader. You get a number, called at your booked time."},
	"checkin.walkin":         {"Se arriva più tardi, La serviremo come chi non ha prenotato.", "If you arrive later, you will be served like anyone without a booking."},
	"checkin.rebook":         {"Se arriva più tardi, dovrà prenotare di nuovo.", "If you arrive later, you will need to book again."},
	"qr.alt":                 {"Codice QR della prenotazione %s", "QR code of booking %s"},
	"save.title":             {"Salvi la prenotazione", "Keep your booking"},
	"save.pdf_a4":            {"Conferma in PDF, foglio A4", "Confirmation as PDF, A4 sheet"},
	"save.pdf_roll":          {"Conferma in PDF, scontrino 80 mm", "Confirmation as PDF, 80 mm receipt"},
	"save.ics":               {"Aggiunga al calendario (.ics)", "Add to your calendar (.ics)"},
	"link.title":             {"Il Suo link personale", "Your personal link"},
	"link.text":              {"Con questo link può rivedere o annullare la prenotazione. Non lo condivida: chi lo ha può annullarla.", "With this link you can see or cancel the booking. Do not share it: anyone who has it can cancel the booking."},
	"link.label":             {"Link personale della prenotazione", "Personal link of the booking"},
	"link.copy":              {"Copi il link", "Copy the link"},
	"link.copied":            {"Link copiato", "Link copied"},
	"cancel.title":           {"Non può venire?", "Can't come?"},
	"cancel.text":            {"Annulli la prenotazione: il posto tornerà libero per un'altra persona.", "Cancel the booking: the place becomes free for someone else."},
	"cancel.button":          {"Annulli la prenotazione", "Cancel the booking"},
	"cancel.confirm.title":   {"Vuole annullare la prenotazione?", "Do you want to cancel the booking?"},
	"cancel.confirm.text":    {"L'appuntamento di %s alle %s per «%s» sarà annullato e il posto tornerà libero. Non si potrà tornare indietro.", "The appointment on %s at %s for “%s” will be cancelled and the place freed. This cannot be undone."},
	"cancel.yes":             {"Sì, annulli la prenotazione", "Yes, cancel the booking"},
	"cancel.no":              {"No, torni alla prenotazione", "No, go back to the booking"},
	"ics.summary":            {"Appuntamento: %s", "Appointment: %s"},
	"ics.code":               {"Codice di prenotazione: %s", "Booking code: %s"},
	"ics.checkin":            {"Al totem scelga «Ho una prenotazione» e digiti il codice, dalle %s alle %s.", "At the kiosk choose “I have an appointment” and type the code, from %s to %s."},
	"ics.link":               {"Per vedere o annullare la prenotazione: %s", "To see or cancel the booking: %s"},
	"ics.reminder":           {"Appuntamento tra un'ora: %s", "Appointment in one hour: %s"},
	"today":                  {"oggi, %s", "today, %s"},
	"tomorrow":               {"domani, %s", "tomorrow, %s"},
	"duration.day1":          {"1 giorno", "1 day"},
	"duration.days":          {"%d giorni", "%d days"},
	"duration.hour1":         {"1 ora", "1 hour"},
	"duration.hours":         {"%d ore", "%d hours"},
	"duration.minute1":       {"1 minuto", "1 minute"},
	"duration.minutes":       {"%d minuti", "%d minutes"},
	"duration.and":           {" e ", " "},
	"notfound.booking.title": {"Prenotazione non trovata", "Booking not found"},
}

// tr is the page's language, "it" or "en", with its words.
type tr string

// S returns the sentence key in the language, formatted with args.
func (l tr) S(key string, args ...any) string {
	t, ok := texts[key]
	if !ok {
		return key // a test keeps this from happening
	}
	s := t.it
	if l == "en" {
		s = t.en
	}
	if len(args) > 0 {
		s = fmt.Sprintf(s, args...)
	}
	return s
}

// Date is a civil date in full: "martedì 2 dicembre 2026".
func (l tr) Date(t time.Time, loc *time.Location) string {
	return ticketpdf.Date(t, loc, string(l))
}

// Day is a date in a list: today and tomorrow named, without the year.
func (l tr) Day(t, now time.Time, loc *time.Location) string {
	d := t.In(loc)
	s := ticketpdf.Date(d, loc, string(l))
	s = s[:strings.LastIndexByte(s, ' ')] // the year: the weekday says which
	y, m, day := now.In(loc).Date()
	switch d.Format(queue.DayLayout) {
	case time.Date(y, m, day, 12, 0, 0, 0, loc).Format(queue.DayLayout):
		return l.S("today", s)
	case time.Date(y, m, day+1, 12, 0, 0, 0, loc).Format(queue.DayLayout):
		return l.S("tomorrow", s)
	}
	return s
}

// Duration says d in whole days, hours and minutes: "2 ore", "1 hour 30 minutes".
func (l tr) Duration(d time.Duration) string {
	if d%(24*time.Hour) == 0 && d > 0 {
		if n := int(d / (24 * time.Hour)); n != 1 {
			return l.S("duration.days", n)
		}
		return l.S("duration.day1")
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	switch {
	case h == 1:
		parts = append(parts, l.S("duration.hour1"))
	case h > 1:
		parts = append(parts, l.S("duration.hours", h))
	}
	switch {
	case m == 1:
		parts = append(parts, l.S("duration.minute1"))
	case m > 1 || h == 0:
		parts = append(parts, l.S("duration.minutes", m))
	}
	return strings.Join(parts, l.S("duration.and"))
}

// pickLang chooses the page's language: the lang parameter (the visible
// switch, carried by every link and form), else the browser's
// Accept-Language, else Italian.
func pickLang(r *http.Request) tr {
	v := r.URL.Query().Get("lang")
	if r.Method == http.MethodPost {
		v = r.PostFormValue("lang")
	}
	switch v {
	case "it", "en":
		return tr(v)
	}
	return acceptLanguage(r.Header.Get("Accept-Language"))
}

// acceptLanguage returns the preferred of Italian and English in an
// Accept-Language header (RFC 9110: tags with optional q weights).
func acceptLanguage(h string) tr {
	best, bestQ := tr("it"), 0.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if (primary == "it" || primary == "en") && q > bestQ {
			best, bestQ = tr(primary), q
		}
	}
	return best
}
