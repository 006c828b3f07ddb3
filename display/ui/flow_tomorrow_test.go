package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"turno/server/client"
	"turno/server/history"
	"turno/server/officetest"
	"turno/server/queue"
)

// threeWednesdays plays three Wednesdays of November through the office's
// API: each day 30 citizens ask the kiosk for a registry ticket between
// 09:00 and 10:00 and 6 for local taxes between 10:00 and 11:00 (nobody
// serves them, so the numerators soon turn citizens away by load: a
// citizen turned away came all the same, and the forecast counts them).
// The office then moves to Tuesday 24 November, and the history's keeper
// folds the closed days, as the server's does every minute.
func threeWednesdays(t *testing.T, o *officetest.Office) {
	t.Helper()
	kiosk := connect(t, o, officetest.KioskToken)
	issue := func(t *testing.T, _ *officetest.Office, service string) {
		t.Helper()
		if _, _, err := kiosk.Issue(context.Background(), service, false, ""); err != nil && !client.IsCode(err, "cutoff_load", "cutoff_time") {
			t.Fatalf("issue %s: %v", service, err)
		}
	}
	for _, day := range []string{"2026-11-04", "2026-11-11", "2026-11-18"} {
		nine, err := time.ParseInLocation("2006-01-02 15:04", day+" 09:00", officetest.Rome)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 30 {
			o.Clock.Set(nine.Add(time.Duration(2*i) * time.Minute))
			issue(t, o, "anagrafe")
		}
		for i := range 6 {
			o.Clock.Set(nine.Add(time.Hour + time.Duration(10*i)*time.Minute))
			issue(t, o, "tributi")
		}
	}
	o.Clock.Set(officetest.Tuesday("09:00"))
	if err := o.Live.Tick(context.Background()); err != nil { // the day changes
		t.Fatal(err)
	}
	n, err := history.NewKeeper(&o.Config.Office, o.Store, history.FoldOptions{PerClerk: o.Config.ReportsPerClerk}, nil).CatchUp(context.Background())
	if err != nil || n != 3 {
		t.Fatalf("the keeper folded %d days (%v), want the 3 Wednesdays", n, err)
	}
	o.Clock.Set(officetest.Tuesday("10:00"))
}

func tomorrowTab(fl *Flow) int {
	for i, p := range fl.panels {
		if p == flowPanel(fl.tomorrow) {
			return i
		}
	}
	return -1
}

// hourRow returns the cells' texts of an hour of the shown day, and the
// row's ground.
func hourRow(p *tomorrowPanel, hour string) ([]string, *widget.Label, *canvas.Rectangle) {
	for _, o := range p.table.Objects {
		stack := o.(*fyne.Container)
		cells := stack.Objects[1].(*fyne.Container).Objects
		if cells[0].(*widget.Label).Text != hour {
			continue
		}
		var out []string
		for _, c := range cells {
			out = append(out, c.(*widget.Label).Text)
		}
		return out, cells[len(cells)-1].(*widget.Label), stack.Objects[0].(*canvas.Rectangle)
	}
	return nil, nil, nil
}

// Tomorrow, from the office's own history: per hour the citizens expected
// per service (the same weekday's average: 30 at 09:00 for the registry
// office, 6 at 10:00 for local taxes), the counters needed (Erlang C: 30
// citizens of 10 minutes with a 20-minute target need 6) against the 4 the
// plan has (3 of them for the standard lane), the hour marked short; the
// day picker reaches a holiday, closed with its name, and a Saturday.
func TestTomorrowFromTheOfficesHistory(t *testing.T) {
	o := officetest.Start(t, time.Date(2026, 11, 4, 8, 0, 0, 0, officetest.Rome))
	threeWednesdays(t, o)
	fc, err := login(t, o, "anna").Forecast(context.Background(), "", forecastDays)
	if err != nil {
		t.Fatal(err)
	}
	fl, u, _ := newFlowIn(t, o, o.URL, "it", flowSize)
	p := fl.tomorrow
	if d := fc.Days[0]; d.Short != 1 || d.Date != "2026-11-25" {
		t.Fatalf("the server's forecast of %s: %d hours short, want 1 (09:00)", d.Date, d.Short)
	}
	eventually(t, u, "the forecast on the tab", func() (bool, string) {
		return p.fc != nil && fl.tabs[tomorrowTab(fl)].Text == "Domani · 1 ora scoperta", fl.tabs[tomorrowTab(fl)].Text
	})
	u.do(func() { fl.show(tomorrowTab(fl)) })
	u.do(func() {
		if p.title.Text != "Domani, mercoledì 25/11/2026" {
			t.Errorf("the title: %q", p.title.Text)
		}
		if !strings.HasPrefix(p.summary.Text, "Attesi: circa 36 cittadini senza appuntamento e 0 con appuntamento.") {
			t.Errorf("the summary: %q", p.summary.Text)
		}
		if p.plan.Text != "Il piano del personale è scoperto in 1 ora: servono fino a 6 sportelli, il piano ne prevede al massimo 4." || p.plan.Importance != widget.DangerImportance {
			t.Errorf("the plan: %q", p.plan.Text)
		}
		// Columns: hour, A (anagrafe), T, S, D, needed, planned, against the plan.
		nine, mark, ground := hourRow(p, "09:00")
		if want := []string{"09:00", "30", "0", "0", "0", "6", "4", "Mancano 3 sportelli"}; fmt.Sprint(nine) != fmt.Sprint(want) {
			t.Errorf("09:00: got %q, want %q", nine, want)
		} else if mark.Importance != widget.DangerImportance || ground.FillColor != flowShortRow {
			t.Errorf("09:00 is short and not marked so: %v, %v", mark.Importance, ground.FillColor)
		}
		ten, mark, ground := hourRow(p, "10:00")
		if want := []string{"10:00", "0", "6", "0", "0", "2", "4", "Coperto"}; fmt.Sprint(ten) != fmt.Sprint(want) {
			t.Errorf("10:00: got %q, want %q", ten, want)
		} else if mark.Importance != widget.SuccessImportance || ground.FillColor == flowShortRow {
			t.Errorf("10:00 is covered and marked short")
		}
		for _, h := range fc.Days[0].Hours {
			row, _, _ := hourRow(p, fmt.Sprintf("%02d:00", h.Hour))
			if row == nil || row[5] != fmt.Sprint(h.Needed) || row[6] != p.number(h.Planned) {
				t.Errorf("%02d:00: got %q, the server says %d needed, %.1f planned", h.Hour, row, h.Needed, h.Planned)
			}
		}
	})
	assertTomorrowFits(t, u, fl, "it, tomorrow")

	// Saturday, then the Immaculate Conception, the picker's last day.
	u.do(func() {
		test.Tap(p.dayTiles[3].button)
		if !strings.HasPrefix(p.title.Text, "Sabato 28/11") || p.summary.Text != "L'ufficio è chiuso: sabato non è un giorno di apertura." || len(p.table.Objects) != 0 {
			t.Errorf("Saturday: %q %q, %d rows", p.title.Text, p.summary.Text, len(p.table.Objects))
		}
		if p.dayTiles[3].label.Text != "Sabato · 28/11\nchiuso" {
			t.Errorf("Saturday's tile: %q", p.dayTiles[3].label.Text)
		}
		test.Tap(p.dayNext)
		test.Tap(p.dayNext)
		last := p.dayTiles[daysShown-1]
		if !strings.HasPrefix(last.label.Text, "Martedì · 08/12") {
			t.Errorf("the last day's tile: %q", last.label.Text)
		}
		test.Tap(last.button)
		if p.summary.Text != "L'ufficio è chiuso: Immacolata Concezione." {
			t.Errorf("8 December: %q", p.summary.Text)
		}
	})
	// One view at a time: Fyne's caches are the UI goroutine's, and each
	// view here has its own lock.
	fl.Close()
	fl2, u2, _ := newFlowIn(t, o, o.URL, "en", flowSize)
	eventually(t, u2, "the forecast", func() (bool, string) { return fl2.tomorrow.fc != nil, fl2.tabs[tomorrowTab(fl2)].Text })
	u2.do(func() { fl2.show(tomorrowTab(fl2)) })
	u2.do(func() {
		if row, _, _ := hourRow(fl2.tomorrow, "09:00"); len(row) == 0 || row[len(row)-1] != "3 counters missing" {
			t.Errorf("in English: %q", row)
		}
	})
	assertTomorrowFits(t, u2, fl2, "en, tomorrow")
	u2.do(func() {
		test.Tap(fl2.tomorrow.dayNext)
		test.Tap(fl2.tomorrow.dayNext)
		test.Tap(fl2.tomorrow.dayTiles[daysShown-1].button)
	})
	u2.do(func() {
		if got := fl2.tomorrow.summary.Text; got != "The office is closed: Immaculate Conception." {
			t.Errorf("8 December in English: %q", got)
		}
	})
	assertTomorrowFits(t, u2, fl2, "en, a holiday")
}

// A new office has no history: the tab says so plainly, and counts only
// the appointments booked.
func TestTomorrowWithoutHistory(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	book(t, o, "anagrafe", time.Date(2026, 11, 25, 9, 30, 0, 0, officetest.Rome), "Lucia Esposito")
	fl, u, _ := newFlowIn(t, o, o.URL, "it", flowSize)
	p := fl.tomorrow
	u.do(func() { fl.show(tomorrowTab(fl)) })
	eventually(t, u, "the forecast", func() (bool, string) { return p.fc != nil && len(p.table.Objects) > 1, p.msg.Text })
	u.do(func() {
		if want := "Nessuno storico: l'ufficio non ha ancora giorni passati da cui imparare, quindi sono contati solo gli appuntamenti già prenotati. Attesi: circa 0 cittadini senza appuntamento e 1 con appuntamento."; p.summary.Text != want {
			t.Errorf("the summary: got %q, want %q", p.summary.Text, want)
		}
		if fl.tabs[tomorrowTab(fl)].Text != "Domani" {
			t.Errorf("the tab: %q", fl.tabs[tomorrowTab(fl)].Text)
		}
		if row, _, _ := hourRow(p, "09:00"); len(row) == 0 || row[1] != "1" || row[len(row)-1] != "Coperto" {
			t.Errorf("09:00: %q", row)
		}
	})
	assertTomorrowFits(t, u, fl, "no history")
}

// assertTomorrowFits holds the tab to the flow view's rules on the
// floor assistant's 1280x800 tablet.
func assertTomorrowFits(t *testing.T, u *ui, fl *Flow, what string) {
	t.Helper()
	w := fl.opt.Window
	u.do(func() { w.Canvas().Content().Refresh() })
	r := assertFits(t, u, w, what)
	if r.smallestText < flowText {
		t.Errorf("%s: %q is %.0f units, want at least %.0f", what, r.smallestWhat, r.smallestText, flowText)
	}
	for _, tg := range r.targets {
		if tg.size.Width < touchMin-slack || tg.size.Height < touchMin-slack {
			t.Errorf("%s: %s is %v, want at least %.0f both ways", what, tg.what, tg.size, touchMin)
		}
	}
}

// TestScreenshotsOfTomorrow renders the flow view's tomorrow, after three
// Wednesdays of history, to TURNO_SCREENSHOTS (make screenshots).
func TestScreenshotsOfTomorrow(t *testing.T) {
	dir := os.Getenv("TURNO_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TURNO_SCREENSHOTS to a directory to render the screenshots")
	}
	o := officetest.Start(t, time.Date(2026, 11, 4, 8, 0, 0, 0, officetest.Rome))
	threeWednesdays(t, o)
	book(t, o, "sociali", time.Date(2026, 11, 25, 11, 0, 0, 0, officetest.Rome), "Roberto Conti")
	book(t, o, "anagrafe", time.Date(2026, 11, 25, 9, 15, 0, 0, officetest.Rome), "Chiara Colombo")
	fl, u, _ := newFlowIn(t, o, o.URL, "it", flowSize)
	w := fl.opt.Window
	eventually(t, u, "the forecast", func() (bool, string) { return fl.tomorrow.fc != nil, fl.tomorrow.msg.Text })
	u.do(func() { fl.show(tomorrowTab(fl)) })
	assertTomorrowFits(t, u, fl, "the screenshot")
	capture(t, u, w, filepath.Join(dir, "display-flow-tomorrow.png"))
}

// An hour short in both lanes says by how many counters each: the
// standard lane's shortfall rounded up (a counter planned for half the
// hour is half a counter), the fast-track lane by name.
func TestTheShortfallOfEachLane(t *testing.T) {
	for _, c := range []struct {
		lang string
		h    queue.DemandHour
		want string
	}{
		{"it", queue.DemandHour{Lanes: []queue.DemandLaneHour{{Lane: queue.LaneStandard, Needed: 4, Planned: 2.5, Short: true}, {Lane: queue.LaneFastTrack, Needed: 1, Planned: 1}}}, "Mancano 2 sportelli"},
		{"it", queue.DemandHour{Lanes: []queue.DemandLaneHour{{Lane: queue.LaneStandard, Needed: 3, Planned: 2, Short: true}, {Lane: queue.LaneFastTrack, Needed: 2, Planned: 0.5, Short: true}}}, "Manca 1 sportello; Mancano 2 sportelli di consegna rapida"},
		{"en", queue.DemandHour{Lanes: []queue.DemandLaneHour{{Lane: queue.LaneFastTrack, Needed: 1, Planned: 0, Short: true}}}, "1 fast-track counter missing"},
	} {
		p := &tomorrowPanel{fl: &Flow{words: loadCatalog(), opt: FlowOptions{Lang: c.lang}}}
		if got := p.shortText(c.h); got != c.want {
			t.Errorf("%s %+v: got %q, want %q", c.lang, c.h.Lanes, got, c.want)
		}
	}
	p := &tomorrowPanel{fl: &Flow{opt: FlowOptions{Lang: "it"}}}
	if got := p.number(2.5); got != "2,5" {
		t.Errorf("2.5 in Italian: %q", got)
	}
}
