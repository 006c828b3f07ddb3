package history

// The indicators' names in Italian and English, one table for the PDF
// report and the back-office page.
var labels = map[string][2]string{
	"report":             {"Rapporto sugli indicatori", "Indicators report"},
	"period":             {"Periodo", "Period"},
	"generated":          {"Generato il", "Generated on"},
	"days_with_data":     {"giorni con dati", "days with figures"},
	"open_days":          {"giorni di apertura", "opening days"},
	"pending":            {"giorni in elaborazione", "days still being folded"},
	"issued":             {"Biglietti emessi", "Tickets issued"},
	"served":             {"Serviti", "Served"},
	"resolved":           {"Risolti allo sportello", "Resolved at the desk"},
	"forwarded":          {"Inoltrati al back office", "Forwarded to the back office"},
	"filter":             {"Filtro dello sportello", "The desk as a filter"},
	"filter_sub":         {"risolti sul totale serviti", "resolved of all served"},
	"noshows":            {"Assenti alla chiamata", "No-shows"},
	"transferred":        {"Trasferiti", "Transferred"},
	"expired":            {"Non serviti a fine giornata", "Left unserved at closing"},
	"turnaways":          {"Biglietti rifiutati", "Turned away"},
	"contacts":           {"Contatti informativi", "Information contacts"},
	"appointments":       {"Appuntamenti", "Appointments"},
	"booked":             {"prenotati", "booked"},
	"kept":               {"presentati", "kept"},
	"late":               {"in ritardo", "late"},
	"missed":             {"mancati", "missed"},
	"wait":               {"Attesa", "Wait"},
	"wait_mean":          {"Attesa media", "Mean wait"},
	"wait_median":        {"Attesa mediana", "Median wait"},
	"median":             {"mediana", "median"},
	"wait_p90":           {"Attesa, 90° percentile", "Wait, 90th percentile"},
	"within_target":      {"Entro l'attesa obiettivo", "Within the target wait"},
	"service_time":       {"Tempo allo sportello", "Time at the counter"},
	"satisfaction":       {"Soddisfazione", "Satisfaction"},
	"ratings":            {"valutazioni", "ratings"},
	"promise":            {"Stima dell'attesa", "Wait estimate"},
	"promise_mae":        {"errore medio", "mean error"},
	"promise_late":       {"chiamati oltre il 50% dopo", "called over 50% later"},
	"promise_late_short": {"oltre +50%", "over +50%"},
	"per_service":        {"Per servizio", "By service"},
	"per_counter":        {"Per sportello", "By counter"},
	"per_clerk":          {"Per operatore", "By clerk"},
	"per_hour":           {"Per ora del giorno", "By hour of day"},
	"trend_day":          {"per giorno", "by day"},
	"trend_week":         {"per settimana", "by week"},
	"trend_month":        {"per mese", "by month"},
	"issued_served":      {"Biglietti emessi e serviti", "Tickets issued and served"},
	"median_p90":         {"Attesa: mediana e 90° percentile (min)", "Wait: median and 90th percentile (min)"},
	"filter_trend":       {"Filtro dello sportello (%)", "The desk as a filter (%)"},
	"ratings_dist":       {"Valutazioni dei cittadini", "Citizens' ratings"},
	"turnaways_by_rule":  {"Biglietti rifiutati per regola", "Tickets turned away by rule"},
	"rule_closed":        {"servizio chiuso", "closed"},
	"rule_locked":        {"numeratore bloccato", "locked"},
	"rule_daily_cap":     {"tetto giornaliero", "daily cap"},
	"rule_cutoff_time":   {"chiusura (orario)", "cut-off (time)"},
	"rule_cutoff_load":   {"chiusura (carico)", "cut-off (load)"},
	"forecast":           {"Previsione", "Forecast"},
	"forecast_days":      {"Le prossime settimane", "The coming weeks"},
	"tomorrow":           {"Domani", "Tomorrow"},
	"arrivals":           {"Arrivi previsti", "Arrivals expected"},
	"needed":             {"Sportelli necessari", "Counters needed"},
	"planned":            {"Sportelli pianificati", "Counters planned"},
	"short":              {"ore scoperte", "hours short"},
	"closed":             {"chiuso", "closed"},
	"no_history":         {"storico insufficiente", "not enough history"},
	"no_plan":            {"nessun piano del personale", "no staffing plan"},
	"date":               {"Data", "Date"},
	"name":               {"Nome", "Name"},
	"min":                {"min", "min"},
	"none":               {"nessun dato nel periodo", "no figures in the period"},
	"page":               {"Pagina", "Page"},
	"of":                 {"di", "of"},
	"service":            {"Servizio", "Service"},
	"counter":            {"Sportello", "Counter"},
	"clerk":              {"Operatore", "Clerk"},
	"hour":               {"Ora", "Hour"},
	"forecast_note": {"Arrivi: la media dello stesso giorno della settimana e della stessa ora nelle ultime %d settimane, per i fattori dello scadenziario, più gli appuntamenti già prenotati. Sportelli: i meno che chiamano entro l'attesa obiettivo il %.0f%% dei cittadini (Erlang C, con i tempi allo sportello misurati).",
		"Arrivals: the mean of the same weekday and hour over the last %d weeks, times the peak calendar's factors, plus the appointments already booked. Counters: the fewest that call %.0f%% of citizens within the target wait (Erlang C, with the measured times at the counter)."},
	"next_open":      {"Prossimo giorno di apertura", "Next opening day"},
	"arrivals_short": {"Arrivi", "Arrivals"},
	"booked_short":   {"Prenotati", "Booked"},
	"needed_short":   {"Necessari", "Needed"},
	"planned_short":  {"Pianificati", "Planned"},
	"short_hours":    {"Ore scoperte", "Hours short"},
}

// Label is an indicator's name in lang ("it" or "en"); an unknown key is
// itself.
func Label(key, lang string) string {
	l, ok := labels[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}
