package ui

import (
	"encoding/json"
	"path"
	"sort"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"

	"turno/server/queue"
)

// The files are Fyne's format: its loader takes them.
func TestTranslationsLoadInFyne(t *testing.T) {
	if err := lang.AddTranslationsFS(Translations, TranslationsDir); err != nil {
		t.Fatal(err)
	}
}

// Every language has every string.
func TestTranslationsHaveTheSameKeys(t *testing.T) {
	keys := map[string][]string{}
	for _, l := range languages {
		data, err := Translations.ReadFile(path.Join(TranslationsDir, l+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		for k := range m {
			keys[l] = append(keys[l], k)
		}
		sort.Strings(keys[l])
	}
	it, en := map[string]bool{}, map[string]bool{}
	for _, k := range keys["it"] {
		it[k] = true
	}
	for _, k := range keys["en"] {
		en[k] = true
		if !it[k] {
			t.Errorf("%s: in en, not in it", k)
		}
	}
	for k := range it {
		if !en[k] {
			t.Errorf("%s: in it, not in en", k)
		}
	}
}

func TestWords(t *testing.T) {
	tr, err := NewTranslator("it")
	if err != nil {
		t.Fatal(err)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	now := time.Date(2026, 11, 24, 12, 10, 0, 0, rome)
	w := words{tr: tr, now: func() time.Time { return now }}
	at := func(d, h, m int) *time.Time { t := time.Date(2026, 11, d, h, m, 0, 0, rome); return &t }
	for _, tc := range []struct {
		lang string
		got  func() string
		want string
	}{
		{"it", func() string { return w.waitText(0) }, "nessuna attesa"},
		{"it", func() string { return w.waitText(queue.Seconds(61 * time.Second)) }, "circa 2 minuti"},
		{"it", func() string { return w.waitText(queue.Seconds(60 * time.Second)) }, "circa 1 minuto"},
		{"it", func() string { return w.waitText(queue.Seconds(22 * time.Minute)) }, "circa 25 minuti"},
		{"it", func() string { return w.waitText(queue.Seconds(95 * time.Minute)) }, "circa 1 h 35 min"},
		{"en", func() string { return w.waitText(queue.Seconds(2 * time.Hour)) }, "about 2 hours"},
		{"it", func() string { return w.waitingText(1) }, "1 persona in attesa"},
		{"en", func() string { return w.aheadText(3) }, "3 people ahead of you"},
		{"it", func() string { return w.when(*at(24, 15, 0)) }, "oggi alle 15:00"},
		{"en", func() string { return w.when(*at(25, 8, 30)) }, "tomorrow at 08:30"},
		{"it", func() string { return w.when(*at(30, 8, 30)) }, "lunedì 30 novembre alle 08:30"},
		{"it", func() string {
			s, todo := w.reason(&queue.ServiceView{Appointments: true, ServiceStatus: queue.ServiceStatus{Status: queue.ServiceCutoff, ClosesAt: at(24, 12, 30),
				Refusal: &queue.Refusal{Rule: queue.RuleCutoffTime, ReopensAt: at(24, 15, 0), Appointment: true}}})
			return s + " " + todo
		}, "Biglietti terminati: lo sportello chiude alle 12:30. Riapre oggi alle 15:00, oppure può prenotare un appuntamento."},
		{"en", func() string {
			s, todo := w.reason(&queue.ServiceView{ServiceStatus: queue.ServiceStatus{Status: queue.ServiceLocked, Lock: &queue.Lock{Reason: "staff meeting"},
				Refusal: &queue.Refusal{Rule: queue.RuleLocked}}})
			return s + " " + todo
		}, "Tickets suspended: staff meeting. Please ask the staff in the hall."},
		{"en", func() string {
			s, todo := w.reason(&queue.ServiceView{ServiceStatus: queue.ServiceStatus{Status: queue.ServiceCutoff,
				Refusal: &queue.Refusal{Rule: queue.RuleDailyCap, ReopensAt: at(25, 8, 30)}}})
			return s + " " + todo
		}, "All of today's tickets have been issued. It reopens tomorrow at 08:30."},
		{"xx", func() string { return tr.L("start.title") }, "Prenda il suo numero"}, // unknown: the default
		{"en", func() string { return tr.L("no.such.key") }, "no.such.key"},
	} {
		tr.SetLanguage(tc.lang)
		if got := tc.got(); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.lang, got, tc.want)
		}
	}
}
