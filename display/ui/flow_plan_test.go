package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"turno/server/config"
	"turno/server/officetest"
	"turno/server/queue"
)

// planned lists the counters with a plan alert, in order.
func planned(fl *Flow) string {
	var ids []string
	for _, a := range fl.alerts {
		if a.Kind == AlertPlannedClosed {
			ids = append(ids, a.Counter)
		}
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

// The demo office plans counters 1, 2, 3 and 6 for the morning: a counter
// the plan has open that is closed is an alert after a grace of five
// minutes (after its planned start, or after it closed); a counter open
// beyond the plan is none; nothing is reported while the server is out of
// reach. The counters' tab shows the plan against reality.
func TestACounterThePlanHasOpenAndIsNotIsAnAlert(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("08:31"))
	ctx := context.Background()
	fl, u, _ := newFlow(t, o)
	eventually(t, u, "the plan, within the grace", func() (bool, string) {
		return len(fl.model.Plan) == 4 && planned(fl) == "", planned(fl)
	})

	mario := open(t, o, "mario", "1", "anagrafe", "tributi", "sociali")
	luca := open(t, o, "luca", "4", "tributi") // not in the plan: no alert for it, open or closed
	o.Clock.Set(officetest.Tuesday("08:36"))
	eventually(t, u, "2, 3 and 6 missing", func() (bool, string) { return planned(fl) == "2,3,6", planned(fl) })
	u.do(func() {
		for _, a := range fl.alerts {
			if a.Kind == AlertPlannedClosed && a.Counter == "3" {
				if got := fl.hall.alertText(a, o.Clock.Now()); got != "Sportello 3 should be open from 08:30 to 12:30 by the staffing plan, but it is closed" {
					t.Errorf("the alert says %q", got)
				}
				if a.Level != LevelWarning {
					t.Errorf("level %d with nobody waiting, want a warning", a.Level)
				}
			}
		}
	})

	// People waiting for a missing counter's services make it urgent.
	issue(t, o, "documenti")
	eventually(t, u, "urgent for 6", func() (bool, string) {
		for _, a := range fl.alerts {
			if a.Kind == AlertPlannedClosed && a.Counter == "6" {
				return a.Level == LevelUrgent && strings.HasSuffix(fl.hall.alertText(a, o.Clock.Now()), "(1 person waiting for its services)"), fl.hall.alertText(a, o.Clock.Now())
			}
		}
		return false, kinds(fl.alerts)
	})

	// The counters' tab: the plan beside each counter's state.
	u.do(func() { fl.show(1) })
	eventually(t, u, "plan against reality", func() (bool, string) {
		c1, c3, c4 := fl.desks.cards["1"], fl.desks.cards["3"], fl.desks.cards["4"]
		got := fmt.Sprintf("%q %q | %q %q %d | %q %q", c1.state.Text, c1.plan.Text, c3.state.Text, c3.plan.Text, c3.state.Importance, c4.state.Text, c4.plan.Text)
		return c1.state.Text == "Open" && c1.plan.Text == "Planned today: 08:30–12:30, 15:00–17:00" &&
			c3.state.Text == "Closed: planned open since 08:30" && c3.state.Importance == widget.DangerImportance && c3.plan.Text == "Planned today: 08:30–12:30" &&
			c4.state.Text == "Open" && c4.plan.Text == "Not in today's staffing plan", got
	})

	// Counters opening end their alerts; one that closes mid-plan has a
	// grace from its closing, then says when it closed.
	open(t, o, "giulia", "2", "anagrafe")
	open(t, o, "sara", "3", "anagrafe")
	if _, err := luca.Close(ctx, "4", false); err != nil {
		t.Fatal(err)
	}
	if _, err := luca.Open(ctx, "6", []string{"documenti"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, u, "all planned counters open", func() (bool, string) { return planned(fl) == "", planned(fl) })
	o.Clock.Set(officetest.Tuesday("10:00"))
	if _, err := mario.Close(ctx, "1", false); err != nil {
		t.Fatal(err)
	}
	o.Clock.Set(officetest.Tuesday("10:04"))
	eventually(t, u, "closed, within its grace", func() (bool, string) {
		return fl.model.Counter("1").ClosedAt != nil && planned(fl) == "", planned(fl)
	})
	o.Clock.Set(officetest.Tuesday("10:06"))
	eventually(t, u, "closed mid-plan", func() (bool, string) {
		for _, a := range fl.alerts {
			if a.Kind == AlertPlannedClosed && a.Counter == "1" {
				got := fl.hall.alertText(a, o.Clock.Now())
				return got == "Sportello 1 closed at 10:00, but the staffing plan has it open until 12:30", got
			}
		}
		return false, kinds(fl.alerts)
	})

	// The plan's morning ends at 12:30: the closed counter is no longer
	// expected, and counters 2, 3 and 6, open beyond it, are no alert.
	o.Clock.Set(officetest.Tuesday("12:31"))
	eventually(t, u, "the morning's plan over", func() (bool, string) { return planned(fl) == "", planned(fl) })

	// In the afternoon counter 1 is planned again, and missing; while the
	// server is out of reach its state is not known, and not reported.
	o.Clock.Set(officetest.Tuesday("15:10"))
	eventually(t, u, "missing in the afternoon", func() (bool, string) { return planned(fl) == "1", planned(fl) })
	o.Stop()
	eventually(t, u, "not during the outage", func() (bool, string) {
		return !fl.online() && planned(fl) == "", planned(fl)
	})
	o.Clock.Add(time.Minute)
	u.do(func() {
		fl.refresh(fl.model, fl.status)
		if planned(fl) != "" {
			t.Errorf("plan alerts %s while the server is out of reach", planned(fl))
		}
	})
}

// The Italian says the same.
func TestThePlanAlertInItalian(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("08:40"))
	fl, u, _ := newFlowIn(t, o, o.URL, "it", flowSize)
	eventually(t, u, "the alerts", func() (bool, string) { return planned(fl) == "1,2,3,6", planned(fl) })
	u.do(func() {
		for _, a := range fl.alerts {
			if a.Kind == AlertPlannedClosed && a.Counter == "2" {
				if got := fl.hall.alertText(a, o.Clock.Now()); got != "Sportello 2 dovrebbe essere aperto dalle 08:30 alle 12:30 secondo il piano del personale, ma è chiuso" {
					t.Errorf("the alert says %q", got)
				}
			}
		}
		if got := fl.hall.tab(); got != "Sala · 4 allarmi" {
			t.Errorf("the tab says %q", got)
		}
	})
}

// withoutPlan is the demo office without its staffing plan: no counter is
// expected anywhere, so no plan alert hides the ones a test looks for.
func withoutPlan(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Office.Staffing = queue.Staffing{}
	return cfg
}
