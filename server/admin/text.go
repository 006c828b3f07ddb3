package admin

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"turno/server/config"
	"turno/server/queue"
)

// The console's words, in Italian and English. A key missing from the
// table shows as ⟦key⟧, which the tests look for.
var words = map[string][2]string{
	"admin":             {"Amministrazione", "Administration"},
	"login":             {"Accesso alla console", "Sign in to the console"},
	"login_note":        {"Amministratori e back office, con le credenziali di Turno.", "Administrators and back office, with your Turno credentials."},
	"user":              {"Utente", "User"},
	"password":          {"Password", "Password"},
	"enter":             {"Entra", "Sign in"},
	"logout":            {"Esci", "Sign out"},
	"version":           {"Versione", "Version"},
	"version_in_force":  {"Configurazione in vigore", "Configuration in force"},
	"by":                {"di", "by"},
	"not_recorded":      {"non ancora registrata: la prima modifica registra il file come versione 1", "not recorded yet: the first change records the file as version 1"},
	"home":              {"Inizio", "Home"},
	"office":            {"Ufficio", "Office"},
	"services":          {"Servizi", "Services"},
	"counters":          {"Sportelli", "Counters"},
	"staffing":          {"Piano del personale", "Staffing plan"},
	"users":             {"Utenti", "Users"},
	"devices":           {"Dispositivi", "Devices"},
	"sheets":            {"Schede informative", "Information sheets"},
	"history":           {"Storico delle modifiche", "Change history"},
	"save":              {"Salva", "Save"},
	"add":               {"Aggiungi", "Add"},
	"edit":              {"Modifica", "Edit"},
	"delete":            {"Elimina", "Delete"},
	"remove":            {"Togli", "Remove"},
	"cancel":            {"Annulla", "Cancel"},
	"back":              {"Torna all'elenco", "Back to the list"},
	"reason":            {"Motivo della modifica (per lo storico)", "Reason for the change (for the history)"},
	"reason_ph":         {"es. delibera di giunta n. 12", "e.g. council decision no. 12"},
	"force":             {"Applica comunque", "Apply all the same"},
	"force_note":        {"Chioschi, sportelli e tabelloni seguono il cambio entro un secondo: chi è già in attesa resta in coda e viene chiamato.", "Kiosks, counters and displays follow the change within a second: who is already waiting stays in the queue and is called."},
	"problems":          {"La modifica non è stata applicata:", "The change was not applied:"},
	"done_saved":        {"Salvato: la nuova versione è in vigore, chioschi, sportelli e tabelloni la seguono già.", "Saved: the new version is in force; kiosks, counters and displays already follow it."},
	"done_deleted":      {"Eliminato: la nuova versione è in vigore.", "Deleted: the new version is in force."},
	"done_nothing":      {"Nessuna modifica: la configurazione era già così.", "Nothing changed: the configuration was already like that."},
	"done_revoked":      {"Revocato: il dispositivo non può più collegarsi.", "Revoked: the device can no longer connect."},
	"stale":             {"Nel frattempo qualcun altro ha cambiato la configurazione (ora è in vigore la versione %d): la pagina mostra quella; ripeti la modifica.", "Someone else changed the configuration meanwhile (version %d is now in force): the page shows it; make your change again."},
	"internal":          {"Errore interno: la modifica non è stata applicata. Riprova; se ricapita, guarda il registro del server.", "Internal error: the change was not applied. Try again; if it happens again, look at the server's log."},
	"forbidden":         {"Accesso negato", "Access denied"},
	"forbidden_role":    {"Il ruolo %s non può usare la console di amministrazione: servono amministratore o back office.", "The %s role may not use the administration console: administrator or back office only."},
	"forbidden_section": {"Questa sezione è riservata agli amministratori.", "This section is for administrators only."},
	"forbidden_sheet":   {"Puoi modificare solo le schede dei tuoi servizi.", "You may edit only the sheets of your services."},
	"other_user":        {"Accedi con un altro utente", "Sign in as another user"},
	"session_over":      {"La sessione è scaduta o non è valida: accedi di nuovo.", "The session has expired or is not valid: sign in again."},
	"bad_login":         {"Utente sconosciuto o password errata.", "Unknown user or wrong password."},
	"too_many":          {"Troppe password errate: riprova tra un minuto.", "Too many wrong passwords: try again in a minute."},
	"not_found":         {"Pagina non trovata.", "Page not found."},
	"home_intro":        {"Ogni modifica fatta qui vale subito, senza riavviare il server: chioschi, sportelli e tabelloni la seguono entro un secondo, e ogni versione resta nello storico con chi l'ha fatta, quando e perché.", "Every change made here applies at once, with no restart: kiosks, counters and displays follow it within a second, and every version stays in the history with who made it, when and why."},
	"recent":            {"Ultime modifiche", "Recent changes"},
	"all_history":       {"Tutto lo storico", "The whole history"},
	"older_versions":    {"Mostra anche le %d versioni più vecchie", "Show the %d older versions too"},
	"closed_day":        {"chiuso", "closed"},
	"desc_office":       {"Nome, orari, chiusure, calendario", "Name, hours, closures, calendar"},
	"desc_services":     {"Lettere, orari, stop, attese, appuntamenti", "Letters, hours, cut-off, waits, appointments"},
	"desc_counters":     {"Sportelli e servizi che possono servire", "Counters and the services each may serve"},
	"desc_staffing":     {"Turni settimanali ed eccezioni", "Weekly shifts and exceptions"},
	"desc_users":        {"Accessi, ruoli, password", "Logins, roles, passwords"},
	"desc_devices":      {"Chioschi e tabelloni: token e revoca", "Kiosks and displays: tokens and revocation"},
	"desc_sheets":       {"Cosa portare, quale modulo: per il back office", "What to bring, which form: for the back office"},
	"desc_history":      {"Ogni versione: chi, quando, perché, cosa", "Every version: who, when, why, what"},

	"name":             {"Nome", "Name"},
	"office_name":      {"Nome dell'ufficio", "Office name"},
	"hours":            {"Orari di apertura", "Opening hours"},
	"hours_note":       {"Una o più fasce per giorno, separate da virgole, es. 08:30-12:30, 15:00-17:00; vuoto: chiuso.", "One or more ranges a day, separated by commas, e.g. 08:30-12:30, 15:00-17:00; empty: closed."},
	"session_hours":    {"Durata di un accesso (ore)", "Length of a login (hours)"},
	"calendar":         {"Calendario", "Calendar"},
	"holidays_on":      {"Chiuso nelle festività nazionali (Pasqua calcolata)", "Closed on the national holidays (Easter computed)"},
	"patron":           {"Santo patrono (MM-GG)", "Patron saint's day (MM-DD)"},
	"patron_name":      {"Nome del patrono", "Patron saint's name"},
	"closures":         {"Chiusure straordinarie", "Closures"},
	"closures_note":    {"Giorni di chiusura oltre alle festività: un giorno, o dal… al… .", "Days the office is closed besides the holidays: one day, or from… to… ."},
	"closure_from":     {"Dal (o il giorno)", "From (or the day)"},
	"closure_to":       {"Al (facoltativo)", "To (optional)"},
	"no_closures":      {"Nessuna chiusura in programma.", "No closure planned."},
	"past":             {"passata", "past"},
	"today":            {"oggi", "today"},
	"mon":              {"Lunedì", "Monday"},
	"tue":              {"Martedì", "Tuesday"},
	"wed":              {"Mercoledì", "Wednesday"},
	"thu":              {"Giovedì", "Thursday"},
	"fri":              {"Venerdì", "Friday"},
	"sat":              {"Sabato", "Saturday"},
	"sun":              {"Domenica", "Sunday"},
	"letter":           {"Lettera", "Letter"},
	"lane":             {"Corsia", "Lane"},
	"lane_standard":    {"ordinaria", "standard"},
	"lane_fasttrack":   {"consegna rapida", "fast-track"},
	"waiting_now":      {"In attesa ora", "Waiting now"},
	"office_hours":     {"orari dell'ufficio", "the office's hours"},
	"new_service":      {"Nuovo servizio", "New service"},
	"service":          {"Servizio", "Service"},
	"id":               {"Codice (lettere, cifre, - o _; non cambia più)", "Code (letters, digits, - or _; never changes)"},
	"id_short":         {"Codice", "Code"},
	"name_it":          {"Nome in italiano", "Name in Italian"},
	"name_en":          {"Nome in inglese", "Name in English"},
	"own_hours":        {"Orari propri (altrimenti quelli dell'ufficio)", "Hours of its own (otherwise the office's)"},
	"cutoff_legend":    {"Numeratore e attese", "Numerator and waits"},
	"cutoff_floor":     {"Stop del numeratore prima della chiusura (minuti)", "Numerator stops before closing (minutes)"},
	"cutoff_on_load":   {"E prima, se chi è già in attesa riempie il resto della giornata", "And earlier, when those already waiting fill the rest of the day"},
	"daily_cap":        {"Limite di biglietti al giorno (vuoto: nessuno)", "Tickets a day at most (empty: no limit)"},
	"target_wait":      {"Attesa obiettivo (minuti)", "Target wait (minutes)"},
	"service_time":     {"Durata prevista di un servizio (minuti)", "Expected service time (minutes)"},
	"weight":           {"Peso nella chiamata (1 = normale)", "Weight in the call order (1 = normal)"},
	"bookable":         {"Prenotabile (agenda appuntamenti)", "Bookable (appointment agenda)"},
	"slot":             {"Durata di uno slot (minuti)", "Slot length (minutes)"},
	"per_slot":         {"Persone per slot", "People per slot"},
	"horizon_days":     {"Prenotabile fino a (giorni)", "Bookable up to (days ahead)"},
	"min_notice":       {"Preavviso minimo (minuti)", "Minimum notice (minutes)"},
	"check_in_early":   {"Check-in in anticipo fino a (minuti)", "Check-in early by up to (minutes)"},
	"check_in_late":    {"Check-in in ritardo fino a (minuti)", "Check-in late by up to (minutes)"},
	"late":             {"Chi arriva oltre il ritardo", "Who comes later than that"},
	"late_walkin":      {"è servito come senza appuntamento", "is served as a walk-in"},
	"late_rebook":      {"deve prenotare di nuovo", "must book again"},
	"max_per_contact":  {"Prenotazioni attive per contatto", "Active bookings per contact"},
	"own_agenda_hours": {"Orari degli appuntamenti propri (altrimenti quelli del servizio)", "Appointment hours of its own (otherwise the service's)"},
	"agenda_hours":     {"Orari degli appuntamenti", "Appointment hours"},
	"served_at":        {"Servito agli sportelli", "Served at the counters"},
	"danger":           {"Eliminazione", "Deletion"},
	"delete_service":   {"Un servizio con persone in attesa o appuntamenti in programma non si può eliminare: chiudilo (togli i suoi orari) e eliminalo a fine giornata.", "A service with people waiting or appointments to come cannot be deleted: close it (remove its hours) and delete it after closing."},
	"confirm_delete":   {"Sì, elimina", "Yes, delete"},
	"sheet_link":       {"Scheda informativa", "Information sheet"},
	"new_counter":      {"Nuovo sportello", "New counter"},
	"counter":          {"Sportello", "Counter"},
	"counter_id":       {"Numero o codice dello sportello", "Counter number or code"},
	"may_serve":        {"Servizi che può servire", "Services it may serve"},
	"state":            {"Stato ora", "State now"},
	"open":             {"aperto", "open"},
	"paused":           {"in pausa", "paused"},
	"closed":           {"chiuso", "closed"},
	"delete_counter":   {"Uno sportello aperto non si può eliminare. Con lo sportello se ne vanno i suoi turni nel piano del personale.", "An open counter cannot be deleted. Its shifts in the staffing plan go with it."},
	"shifts":           {"Turni settimanali", "Weekly shifts"},
	"shifts_note":      {"Chi è atteso a quale sportello e quando: le previsioni di attesa e il taglio dei numeratori lo usano finché gli sportelli non aprono davvero.", "Who is expected at which counter and when: the wait forecast and the numerators' cut-off use it until the counters really open."},
	"new_shift":        {"Nuovo turno", "New shift"},
	"shift":            {"Turno", "Shift"},
	"shift_services":   {"Servizi del turno (nessuno: tutti quelli dello sportello)", "The shift's services (none: all the counter's)"},
	"all_services":     {"tutti i suoi servizi", "all its services"},
	"exceptions":       {"Eccezioni al piano", "Exceptions to the plan"},
	"exceptions_note":  {"Un giorno diverso dal piano, es. un'assenza: orari vuoti = sportello non presidiato.", "A day that differs from the plan, e.g. an absence: empty hours = the counter is not staffed."},
	"date":             {"Data", "Date"},
	"not_staffed":      {"non presidiato", "not staffed"},
	"choose":           {"— scegli —", "— choose —"},
	"full_name":        {"Nome e cognome", "Full name"},
	"role":             {"Ruolo", "Role"},
	"role_clerk":       {"operatore di sportello", "counter clerk"},
	"role_floor":       {"addetto alla sala", "floor assistant"},
	"role_backoffice":  {"back office", "back office"},
	"role_admin":       {"amministratore", "administrator"},
	"role_kiosk":       {"chiosco", "kiosk"},
	"role_display":     {"tabellone", "display"},
	"user_sheets":      {"Schede che può modificare (back office; nessuna: tutte)", "Sheets they may edit (back office; none: all)"},
	"all_sheets":       {"tutte", "all"},
	"new_user":         {"Nuovo utente", "New user"},
	"username":         {"Nome utente (per l'accesso)", "User name (to sign in)"},
	"password2":        {"Ripeti la password", "Repeat the password"},
	"password_note":    {"Almeno 8 caratteri. La console la conserva solo come hash bcrypt e non la mostra mai.", "At least 8 characters. The console keeps only its bcrypt hash and never shows it."},
	"reset_password":   {"Nuova password", "Reset the password"},
	"reset_note":       {"Gli accessi aperti con la vecchia password terminano subito.", "Logins opened with the old password end at once."},
	"delete_user":      {"Gli accessi aperti dall'utente terminano subito. Non puoi eliminare te stesso.", "The user's open logins end at once. You cannot delete yourself."},
	"you":              {"(tu)", "(you)"},
	"new_device":       {"Nuovo dispositivo", "New device"},
	"device":           {"Dispositivo", "Device"},
	"device_id":        {"Nome del dispositivo (es. chiosco-ingresso)", "Device name (e.g. kiosk-entrance)"},
	"rating_pad":       {"Tastierino di valutazione dello sportello (solo tabelloni)", "Rating pad of the counter (displays only)"},
	"none":             {"nessuno", "none"},
	"connected":        {"Collegato", "Connected"},
	"online":           {"collegato", "connected"},
	"offline":          {"non collegato", "not connected"},
	"since":            {"dalle", "since"},
	"reissue":          {"Nuovo token", "New token"},
	"revoke":           {"Revoca", "Revoke"},
	"revoke_note":      {"Il dispositivo viene scollegato subito e il suo token non funziona più.", "The device is disconnected at once and its token stops working."},
	"confirm_revoke":   {"Revoca il dispositivo", "Revoke the device"},
	"reissue_note":     {"Il token attuale smette di funzionare: il dispositivo va riconfigurato con quello nuovo.", "The current token stops working: the device must be set up with the new one."},
	"confirm_reissue":  {"Crea un nuovo token", "Make a new token"},
	"appointments":     {"Appuntamenti", "Appointments"},
	"hours_short":      {"Orari", "Hours"},
	"token_title":      {"Token del dispositivo", "The device's token"},
	"token_once":       {"Copialo ora nella configurazione del dispositivo (-token o TURNO_TOKEN): la console non lo mostrerà più.", "Copy it now into the device's settings (-token or TURNO_TOKEN): the console will not show it again."},
	"token_reissued":   {"Il vecchio token non funziona più: il dispositivo va riconfigurato.", "The old token no longer works: the device must be set up again."},
	"sheet":            {"Scheda", "Sheet"},
	"sheet_note":       {"Markdown semplice: righe, elenchi con «- », titoli con «#», **grassetto**. Ogni riga resta una riga, come la scrive il back office (italiano, poi inglese).", "Simple Markdown: lines, lists with \"- \", headings with \"#\", **bold**. Each line stays a line, as the back office writes it (Italian, then English)."},
	"preview":          {"Anteprima", "Preview"},
	"as_kiosk":         {"Come la mostra il chiosco", "As the kiosk shows it"},
	"as_counter":       {"Come la mostra lo sportello", "As the counter shows it"},
	"no_sheet":         {"(nessuna scheda)", "(no sheet)"},
	"sheet_empty":      {"Il back office non ha ancora scritto una scheda per questo servizio.", "The back office has not written a sheet for this service yet."},
	"updated":          {"Ultima modifica", "Last change"},
	"preview_only":     {"Anteprima: la scheda non è ancora salvata.", "Preview: the sheet is not saved yet."},
	"when":             {"Quando", "When"},
	"who":              {"Chi", "Who"},
	"why":              {"Perché", "Why"},
	"what":             {"Cosa è cambiato", "What changed"},
	"changes_n":        {"%d campi", "%d fields"},
	"first_version":    {"prima versione", "first version"},
	"before":           {"Prima", "Before"},
	"after":            {"Dopo", "After"},
	"field":            {"Campo", "Field"},
	"added":            {"aggiunto", "added"},
	"removed":          {"tolto", "removed"},
	"changed":          {"cambiato", "changed"},
	"secret_changed":   {"(cambiato; non mostrato)", "(changed; not shown)"},
	"secret_set":       {"(impostato; non mostrato)", "(set; not shown)"},
	"download_toml":    {"Scarica questa versione (TOML)", "Download this version (TOML)"},
	"download_note":    {"Il file contiene gli hash delle password e i token dei dispositivi: conservalo come un backup.", "The file holds the password hashes and the device tokens: keep it like a backup."},
	"version_n":        {"Versione %d", "Version %d"},
	"no_reason":        {"—", "—"},
	"details":          {"Dettagli", "Details"},
	"yes":              {"sì", "yes"},
	"no":               {"no", "no"},
	"minutes_short":    {"min", "min"},
	"go":               {"Vai", "Go"},
}

// Text returns a word of the console in lang ("it" or "en").
func Text(lang, key string) string {
	w, ok := words[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	if lang == "en" {
		return w[1]
	}
	return w[0]
}

// Textf formats a word of the console.
func Textf(lang, key string, args ...any) string { return fmt.Sprintf(Text(lang, key), args...) }

func pick(lang, it, en string) string {
	if lang == "en" {
		return en
	}
	return it
}

// fieldWords name the fields of the file for a person.
var fieldWords = map[string][2]string{
	"name":                  {"nome", "name"},
	"timezone":              {"fuso orario", "time zone"},
	"session_ttl":           {"durata di un accesso", "length of a login"},
	"closures":              {"chiusure", "closures"},
	"hours":                 {"orari", "hours"},
	"id":                    {"codice", "code"},
	"prefix":                {"lettera", "letter"},
	"lane":                  {"corsia", "lane"},
	"cutoff_before_close":   {"stop prima della chiusura", "stop before closing"},
	"cutoff_on_load":        {"stop secondo il carico", "stop on load"},
	"daily_cap":             {"limite giornaliero", "daily cap"},
	"target_wait":           {"attesa obiettivo", "target wait"},
	"service_time":          {"durata prevista", "service time"},
	"weight":                {"peso", "weight"},
	"appointments":          {"appuntamenti", "appointments"},
	"slot":                  {"durata dello slot", "slot length"},
	"per_slot":              {"persone per slot", "people per slot"},
	"horizon":               {"orizzonte di prenotazione", "booking horizon"},
	"horizon_days":          {"orizzonte di prenotazione", "booking horizon"},
	"min_notice":            {"preavviso minimo", "minimum notice"},
	"check_in_early":        {"anticipo del check-in", "early check-in"},
	"check_in_late":         {"ritardo del check-in", "late check-in"},
	"late":                  {"chi arriva tardi", "late comers"},
	"max_per_contact":       {"prenotazioni per contatto", "bookings per contact"},
	"info":                  {"scheda informativa", "information sheet"},
	"services":              {"servizi", "services"},
	"counter":               {"sportello", "counter"},
	"date":                  {"data", "date"},
	"full_name":             {"nome e cognome", "full name"},
	"role":                  {"ruolo", "role"},
	"password_hash":         {"password", "password"},
	"demo_password":         {"password dimostrativa", "demo password"},
	"token":                 {"token", "token"},
	"holidays":              {"festività", "holidays"},
	"patron":                {"santo patrono", "patron saint"},
	"patron_name":           {"nome del patrono", "patron saint's name"},
	"open_on":               {"aperture nei festivi", "open on holidays"},
	"from":                  {"dal", "from"},
	"to":                    {"al", "to"},
	"factor":                {"fattore", "factor"},
	"mon":                   {"lunedì", "Monday"},
	"tue":                   {"martedì", "Tuesday"},
	"wed":                   {"mercoledì", "Wednesday"},
	"thu":                   {"giovedì", "Thursday"},
	"fri":                   {"venerdì", "Friday"},
	"sat":                   {"sabato", "Saturday"},
	"sun":                   {"domenica", "Sunday"},
	"retention_days":        {"conservazione dei dati (giorni)", "data retention (days)"},
	"verify_contact":        {"verifica del contatto", "contact verification"},
	"web_bookings_per_hour": {"prenotazioni web all'ora", "web bookings an hour"},
	"priority_max_in_row":   {"prioritari di fila", "priority in a row"},
	"max_recalls":           {"richiami", "recalls"},
	"reactivate_window":     {"finestra di riattivazione", "reactivation window"},
	"cutoff_confidence":     {"confidenza dello stop", "cut-off confidence"},
	"overtime_confidence":   {"confidenza dello straordinario", "overtime confidence"},
	"overtime_tolerance":    {"tolleranza dello straordinario", "overtime tolerance"},
	"ratings_per_clerk":     {"valutazioni per operatore", "ratings per clerk"},
	"weeks":                 {"settimane", "weeks"},
	"service_level":         {"livello di servizio", "service level"},
	"per_clerk":             {"rapporti per operatore", "reports per clerk"},
}

var (
	indexed = regexp.MustCompile(`^([a-z_]+)\[([^\]]*)\]$`)
)

// Label names a field of the file as errors name it, lists by index
// ("services[2].target_wait"), for a person, with the service's, counter's
// or user's own name read from cfg.
func Label(lang string, cfg *config.Config, field string) string {
	return label(lang, cfg, field, true)
}

// ChangeLabel names a field of a change, lists by id
// ("services[anagrafe]", "target_wait").
func ChangeLabel(lang string, cfg *config.Config, section, field string) string {
	if field == "" {
		return label(lang, cfg, section, false)
	}
	return label(lang, cfg, section+"."+field, false)
}

func label(lang string, cfg *config.Config, field string, byIndex bool) string {
	if field == "" {
		return ""
	}
	head, rest, _ := strings.Cut(field, "].")
	var parts []string
	if rest != "" {
		head += "]"
		parts = strings.Split(rest, ".")
	} else if !strings.HasSuffix(field, "]") || strings.Index(field, ".") < strings.Index(field, "[") {
		all := strings.Split(field, ".")
		head, parts = all[0], all[1:]
	}
	var out []string
	if m := indexed.FindStringSubmatch(head); m != nil {
		out = append(out, entity(lang, cfg, m[1], m[2], byIndex))
	} else {
		out = append(out, sectionWord(lang, head))
	}
	for _, p := range parts {
		if m := indexed.FindStringSubmatch(p); m != nil {
			p = m[1]
		}
		if w, ok := fieldWords[p]; ok {
			out = append(out, pick(lang, w[0], w[1]))
		} else {
			out = append(out, p)
		}
	}
	return strings.Join(out, " › ")
}

func sectionWord(lang, s string) string {
	switch s {
	case "office":
		return Text(lang, "office")
	case "services":
		return Text(lang, "services")
	case "counters":
		return Text(lang, "counters")
	case "users":
		return Text(lang, "users")
	case "devices":
		return Text(lang, "devices")
	case "staffing":
		return Text(lang, "staffing")
	case "staffing_exceptions":
		return Text(lang, "exceptions")
	case "calendar":
		return Text(lang, "calendar")
	case "agenda":
		return pick(lang, "Appuntamenti", "Appointments")
	case "rules":
		return pick(lang, "Regole", "Rules")
	case "forecast":
		return pick(lang, "Previsioni", "Forecast")
	case "reports":
		return pick(lang, "Rapporti", "Reports")
	case "peaks":
		return pick(lang, "Picchi", "Peaks")
	}
	return s
}

// entity names one table of a list: by index (errors) or by id (changes).
func entity(lang string, cfg *config.Config, list, key string, byIndex bool) string {
	i := -1
	if byIndex {
		n, err := strconv.Atoi(key)
		if err != nil {
			byIndex = false
		}
		i = n
	}
	switch list {
	case "services":
		name := key
		if cfg != nil {
			if byIndex && i >= 0 && i < len(cfg.Office.Services) {
				s := &cfg.Office.Services[i]
				name = s.Name(lang)
				if name == "" {
					name = s.ID
				}
			} else if s := cfg.Office.Service(key); s != nil {
				name = s.Name(lang)
			}
		}
		return pick(lang, "Servizio «", "Service \u201c") + name + pick(lang, "»", "\u201d")
	case "counters":
		name := key
		if cfg != nil {
			if byIndex && i >= 0 && i < len(cfg.Office.Counters) {
				name = cfg.Office.Counters[i].Name
				if name == "" {
					name = cfg.Office.Counters[i].ID
				}
			} else if k := cfg.Office.Counter(key); k != nil {
				name = k.Name
			}
		}
		return pick(lang, "Sportello «", "Counter \u201c") + name + pick(lang, "»", "\u201d")
	case "users":
		name := key
		if cfg != nil && byIndex && i >= 0 && i < len(cfg.Users) {
			name = cfg.Users[i].Name
		}
		return pick(lang, "Utente «", "User \u201c") + name + pick(lang, "»", "\u201d")
	case "devices":
		name := key
		if cfg != nil && byIndex && i >= 0 && i < len(cfg.Devices) {
			name = cfg.Devices[i].ID
		}
		return pick(lang, "Dispositivo «", "Device \u201c") + name + pick(lang, "»", "\u201d")
	case "staffing":
		if byIndex {
			return pick(lang, "Turno n. ", "Shift no. ") + strconv.Itoa(i+1)
		}
		counter, n, _ := strings.Cut(key, "#")
		return pick(lang, "Turno "+n+" dello sportello «"+counterName(cfg, counter)+"»", "Shift "+n+" of counter \u201c"+counterName(cfg, counter)+"\u201d")
	case "staffing_exceptions":
		if byIndex {
			return Text(lang, "exceptions") + " n. " + strconv.Itoa(i+1)
		}
		date, counter, _ := strings.Cut(key, " ")
		return pick(lang, "Eccezione del "+date+", sportello «"+counterName(cfg, counter)+"»", "Exception on "+date+", counter \u201c"+counterName(cfg, counter)+"\u201d")
	case "peaks":
		return pick(lang, "Picco n. ", "Peak no. ") + key
	}
	return list + "[" + key + "]"
}

func counterName(cfg *config.Config, id string) string {
	if cfg != nil {
		if k := cfg.Office.Counter(id); k != nil && k.Name != "" {
			return k.Name
		}
	}
	return id
}

// translations turn the file's English problems into Italian; an unknown
// one is shown as written.
var translations = []struct {
	re *regexp.Regexp
	it string
}{
	{regexp.MustCompile(`^"(.*)" must be one capital letter A-Z$`), `«$1» deve essere una sola lettera maiuscola A-Z`},
	{regexp.MustCompile(`^"(.*)" is already the prefix of "(.*)"$`), `«$1» è già la lettera di «$2»`},
	{regexp.MustCompile(`^"(.*)" is the appointments' letter \(agenda\.prefix\)$`), `«$1» è la lettera degli appuntamenti`},
	{regexp.MustCompile(`^"(.*)" must be 1-32 letters, digits, '-' or '_'$`), `«$1» deve avere da 1 a 32 lettere, cifre, '-' o '_'`},
	{regexp.MustCompile(`^"(.*)" is used twice$`), `«$1» è usato due volte`},
	{regexp.MustCompile(`^"(.*)" is listed twice$`), `«$1» compare due volte`},
	{regexp.MustCompile(`^service "(.*)" has no name$`), `il servizio «$1» non ha un nome`},
	{regexp.MustCompile(`^unknown service "(.*)"$`), `servizio sconosciuto «$1»`},
	{regexp.MustCompile(`^unknown counter "(.*)"$`), `sportello sconosciuto «$1»`},
	{regexp.MustCompile(`^no counter serves (.*)$`), `nessuno sportello serve $1: sceglilo tra gli sportelli che lo servono`},
	{regexp.MustCompile(`^counter "(.*)" serves no service$`), `lo sportello «$1» non serve alcun servizio`},
	{regexp.MustCompile(`^"(.*)" is a fast-track service and counter "(.*)" is not in the fast-track lane$`), `«$1» è un servizio di consegna rapida e lo sportello «$2» non è nella corsia rapida`},
	{regexp.MustCompile(`^counter "(.*)" may not serve "(.*)"$`), `lo sportello «$1» non può servire «$2»`},
	{regexp.MustCompile(`^counter "(.*)" is already planned at those hours$`), `lo sportello «$1» ha già un turno in quegli orari`},
	{regexp.MustCompile(`^"(.*)" must be "standard" or "fasttrack"$`), `«$1» deve essere ordinaria o rapida`},
	{regexp.MustCompile(`^(.*) must be whole minutes from 5m to 4h$`), `$1 deve essere un numero intero di minuti da 5 a 240`},
	{regexp.MustCompile(`^(\d+) must be 1 to 50$`), `$1 deve essere da 1 a 50`},
	{regexp.MustCompile(`^(\d+) days must be 1 to 366$`), `$1 giorni: deve essere da 1 a 366`},
	{regexp.MustCompile(`^(\d+) days must be shorter than agenda\.retention.*$`), `$1 giorni: deve essere meno della conservazione dei dati delle prenotazioni`},
	{regexp.MustCompile(`^must not be negative$`), `non può essere negativo`},
	{regexp.MustCompile(`^is empty$`), `è vuoto`},
	{regexp.MustCompile(`^the office has no service$`), `l'ufficio non ha servizi`},
	{regexp.MustCompile(`^the office has no counter$`), `l'ufficio non ha sportelli`},
	{regexp.MustCompile(`^the office never opens$`), `l'ufficio non apre mai`},
	{regexp.MustCompile(`^must be 1 to (\d+) characters$`), `deve avere da 1 a $1 caratteri`},
	{regexp.MustCompile(`^"(.*)" must be clerk, floor, backoffice or admin.*$`), `«$1» deve essere operatore, sala, back office o amministratore`},
	{regexp.MustCompile(`^"(.*)" must be kiosk or display$`), `«$1» deve essere chiosco o tabellone`},
	{regexp.MustCompile(`^"(.*)" is empty or used twice$`), `«$1» è vuoto o già usato`},
	{regexp.MustCompile(`^only a display can be a counter's rating pad$`), `solo un tabellone può fare da tastierino di valutazione`},
	{regexp.MustCompile(`^only a backoffice user's sheets are limited to services$`), `solo per il back office si limitano le schede ai servizi`},
	{regexp.MustCompile(`^nobody can log in; add at least an admin$`), `nessuno può accedere: serve almeno un amministratore`},
	{regexp.MustCompile(`^(.*): ranges (.*) and (.*) overlap or are out of order$`), `$1: le fasce $2 e $3 si sovrappongono o non sono in ordine`},
	{regexp.MustCompile(`^must be at least 1m$`), `deve essere almeno 1 minuto`},
}

// Translate returns a problem of the file in lang.
func Translate(lang, problem string) string {
	if lang == "en" {
		return problem
	}
	for _, t := range translations {
		if t.re.MatchString(problem) {
			return t.re.ReplaceAllString(problem, t.it)
		}
	}
	return problem
}

// Problem is one reason a change was refused, for a person.
type Problem struct {
	Field string // the field, named for a person
	Text  string
}

// Explain turns an error of a change into what the console says: the
// problems (each with its field), whether force would accept them, and the
// HTTP status of the answer. cur names the entities of the configuration
// in force, next those of the refused one (whose indexes errors use).
func Explain(lang string, cur, next *config.Config, err error) (problems []Problem, forcible bool, status int) {
	var (
		fe      *FieldError
		re      *RuleError
		ie      *InvalidError
		refusal *queue.ConfigRefusal
		stale   *StaleError
	)
	switch {
	case errors.As(err, &fe):
		return []Problem{{Label(lang, next, fe.Field), pick(lang, fe.IT, fe.EN)}}, false, http.StatusUnprocessableEntity
	case errors.As(err, &re):
		return []Problem{{Label(lang, next, re.Field), pick(lang, re.IT, re.EN)}}, false, http.StatusConflict
	case errors.As(err, &ie):
		f, p := ie.Field()
		return []Problem{{Label(lang, next, f), Translate(lang, p)}}, false, http.StatusUnprocessableEntity
	case errors.As(err, &refusal):
		for _, p := range refusal.Problems {
			problems = append(problems, Problem{Label(lang, next, p.Field), problemText(lang, cur, p)})
		}
		return problems, refusal.Forcible(), http.StatusConflict
	case errors.As(err, &stale):
		return []Problem{{"", Textf(lang, "stale", stale.InForce)}}, false, http.StatusConflict
	}
	return []Problem{{"", Text(lang, "internal")}}, false, http.StatusInternalServerError
}

// problemText words a rule that protects the day.
func problemText(lang string, cur *config.Config, p queue.ConfigProblem) string {
	svc := p.Service
	if s := cur.Office.Service(p.Service); s != nil {
		svc = s.Name(lang)
	}
	counter := counterName(cur, p.Counter)
	span := func(s *queue.Span) string {
		if s == nil {
			return pick(lang, "chiusa", "closed")
		}
		loc := cur.Office.Location
		return s.Open.In(loc).Format("15:04") + "-" + s.Close.In(loc).Format("15:04")
	}
	switch p.Code {
	case queue.ProblemServiceBusy:
		return pick(lang,
			fmt.Sprintf("«%s» ha %d persone in attesa o allo sportello: non si può eliminare, solo chiudere (togli i suoi orari, o blocca il numeratore dalla vista di sala) ed eliminarlo a fine giornata", svc, p.Count),
			fmt.Sprintf("\u201c%s\u201d has %d people waiting or at a counter: it cannot be deleted, only closed (remove its hours, or lock its numerator from the flow view), and deleted after closing", svc, p.Count))
	case queue.ProblemServiceBooked:
		return pick(lang,
			fmt.Sprintf("«%s» ha %d appuntamenti in programma: spostali o annullali prima", svc, p.Count),
			fmt.Sprintf("\u201c%s\u201d has %d appointments to come: move or cancel them first", svc, p.Count))
	case queue.ProblemCounterOpen:
		return pick(lang,
			fmt.Sprintf("lo sportello «%s» è aperto: si potrà eliminare quando l'operatore lo chiude", counter),
			fmt.Sprintf("counter \u201c%s\u201d is open: it can be deleted once its clerk closes it", counter))
	case queue.ProblemCounterServing:
		return pick(lang,
			fmt.Sprintf("lo sportello «%s» è aperto e sta servendo «%s»: lo mantiene finché l'operatore non lo chiude", counter, svc),
			fmt.Sprintf("counter \u201c%s\u201d is open and serving \u201c%s\u201d: it keeps it until its clerk closes it", counter, svc))
	case queue.ProblemHoursInProgress:
		return pick(lang,
			fmt.Sprintf("«%s»: l'apertura in corso oggi (%s) diventerebbe %s. I cambi delle fasce successive e degli altri giorni valgono subito; questo solo se scegli «Applica comunque»", svc, span(p.Now), span(p.Next)),
			fmt.Sprintf("\u201c%s\u201d: today's opening in progress (%s) would become %s. Changes of later ranges and other days apply at once; this one only if you choose \u201cApply all the same\u201d", svc, span(p.Now), span(p.Next)))
	case queue.ProblemLetterInUse:
		return pick(lang,
			fmt.Sprintf("i biglietti di oggi hanno già la lettera %s per un altro numeratore: i numeri della giornata devono restare unici, si potrà usare da domani", p.Letter),
			fmt.Sprintf("today's tickets already carry the letter %s for another numerator: the day's numbers must stay unique; it can be used from tomorrow", p.Letter))
	case queue.ProblemTimezone:
		return pick(lang, "cambiare il fuso orario sposta il confine della giornata: solo con «Applica comunque», a sportelli chiusi",
			"changing the time zone moves the business day's boundary: only with \u201cApply all the same\u201d, after closing")
	}
	return p.Message
}

// When formats an instant in the office's zone for the console.
func When(lang string, t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("02/01/2006 15:04")
}
