package ui

import (
	"context"
	"maps"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"turno/server/client"
	"turno/server/officetest"
	"turno/server/queue"
)

func TestLogin(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	c := d.console(Options{Counter: "1"})

	c.typeIn(c.login.user, "mario")
	c.typeIn(c.login.password, "wrong")
	c.tap(c.login.submit)
	c.waitFor("the refusal in words", func() bool { return c.message() == "Wrong user name or password." })

	c.logIn("mario", "1")
	var names []string
	c.d.do(func() {
		names = slices.Sorted(func(yield func(string) bool) {
			for id := range c.open.checks {
				if !yield(id) {
					return
				}
			}
		})
	})
	// Counter 1 is a standard counter: the fast-track lane is not offered.
	if want := []string{"anagrafe", "sociali", "tributi"}; !slices.Equal(names, want) {
		t.Fatalf("services offered: got %v, want %v", names, want)
	}
}

func TestOpenWithTwoServices(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe", "tributi")

	snap, err := d.as("anna").Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	k := snap.Counters[0]
	if k.ID != "1" || k.State != queue.CounterOpen || k.Clerk != "mario" || !slices.Equal(k.Services, []string{"anagrafe", "tributi"}) {
		t.Fatalf("counter on the server: got %+v, want open by mario for anagrafe and tributi", k)
	}
	// A refusal leaves the console usable: nobody waits yet.
	c.tap(c.desk.next)
	c.waitFor("queue empty in words", func() bool { return c.message() == "Nobody is waiting for your services." })
	d.issue("tributi", false)
	c.waitFor("the queue to show the ticket", func() bool { return strings.Contains(c.desk.status.Text, "1 person waiting") })
	c.tap(c.desk.next)
	if got := c.calledNumber(); got != "T001" {
		t.Fatalf("called %s, want T001", got)
	}
}

func TestCallNextGetsTheRightTicket(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false) // A001, 09:00
	d.o.Clock.Add(2 * time.Minute)
	d.issue("tributi", false) // T001, 09:02
	d.issue("sociali", false) // S001: not served here
	d.o.Clock.Add(time.Minute)
	d.issue("anagrafe", true) // A002, priority

	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe", "tributi")
	c.waitFor("the queues", func() bool { return strings.Contains(c.desk.status.Text, "3 people waiting") })

	var got []string
	for range 3 {
		c.tap(c.desk.next)
		got = append(got, c.calledNumber())
		if len(got) == 1 {
			c.d.do(func() {
				if !c.desk.priority.Visible() {
					t.Errorf("A002 is a priority ticket; the flag is hidden")
				}
			})
			// The serving timer follows the office's clock.
			c.tap(c.desk.start)
			c.waitFor("serving", func() bool { return c.desk.status.Text == "At the desk" })
			d.o.Clock.Add(3*time.Minute + 7*time.Second)
			c.waitFor("the serving timer", func() bool { return c.desk.timer.Text == "Serving 3:07" })
			c.d.do(func() {
				if want := "Waited less than a minute"; !strings.HasPrefix(c.desk.waited.Text, want) {
					t.Errorf("waited: got %q, want %q…", c.desk.waited.Text, want)
				}
			})
		}
		c.tap(c.desk.finish)
		c.waitIdle()
	}
	// Priority first; then the longest wait across the two services.
	if want := []string{"A002", "A001", "T001"}; !slices.Equal(got, want) {
		t.Fatalf("call order: got %v, want %v", got, want)
	}
	if tk := d.ticket("S001"); tk.Status != queue.StatusWaiting {
		t.Fatalf("S001 is %s: a service not served here was called", tk.Status)
	}
}

func TestRecallToNoShowAndReactivate(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.tap(c.desk.next)
	if n := c.calledNumber(); n != "A001" {
		t.Fatalf("called %s", n)
	}
	// max_recalls is 2: the third recall makes it a no-show.
	for i := 1; i <= 2; i++ {
		c.tap(c.desk.recall)
		c.waitFor("the recall", func() bool { return !c.busy && strings.Contains(c.desk.status.Text, "Called again") })
	}
	c.tap(c.desk.recall)
	c.waitFor("the no-show", func() bool {
		return strings.Contains(c.message(), "A001 was called too many times") && c.desk.reactivate["A001"] != nil
	})
	if tk := d.ticket("A001"); tk.Status != queue.StatusNoShow {
		t.Fatalf("A001 on the server: %s, want noshow", tk.Status)
	}

	c.tap(c.desk.reactivate["A001"])
	c.waitFor("the reactivation", func() bool {
		return c.desk.reactivate["A001"] == nil && strings.Contains(c.message(), "A001 is back in its queue")
	})
	c.tap(c.desk.next)
	if n := c.calledNumber(); n != "A001" {
		t.Fatalf("after reactivation called %s, want A001", n)
	}

	// The explicit no-show button, too.
	c.tap(c.desk.noShow)
	c.waitFor("the no-show list", func() bool { return c.desk.reactivate["A001"] != nil && c.counter.Current == "" })
}

func TestForwardWithNote(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.tap(c.desk.next)
	c.calledNumber()
	c.tap(c.desk.start)
	c.waitFor("serving", func() bool { return c.desk.status.Text == "At the desk" })

	c.tap(c.desk.forward)
	c.waitFor("the forward dialog", func() bool { return c.modal != nil })
	// F1 while the dialog is open calls nobody.
	c.key(fyne.KeyF1)
	c.tap(c.dlg.forward.confirm)
	c.waitFor("the case reference is required", func() bool {
		return c.dlg.forward.msg.Visible() && strings.Contains(c.dlg.forward.msg.Text, "case reference")
	})
	c.typeIn(c.dlg.forward.caseRef, "ANA-2026-118")
	c.typeIn(c.dlg.forward.note, "Residence change: landlord's consent missing")
	c.tap(c.dlg.forward.confirm)
	c.waitIdle()
	c.waitFor("the confirmation", func() bool { return strings.Contains(c.message(), "forwarded to the back office (ANA-2026-118)") })

	tk := d.ticket("A001")
	if tk.Status != queue.StatusDone || tk.Outcome != queue.OutcomeForwarded || tk.CaseRef != "ANA-2026-118" || tk.Note != "Residence change: landlord's consent missing" {
		t.Fatalf("A001 on the server: status %s outcome %s case %q note %q", tk.Status, tk.Outcome, tk.CaseRef, tk.Note)
	}
}

func TestTransfer(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.tap(c.desk.next)
	c.calledNumber()

	c.tap(c.desk.transfer)
	c.waitFor("the transfer dialog", func() bool { return c.modal != nil })
	c.d.do(func() {
		i := slices.Index(c.dlg.transfer.ids, "tributi")
		if i < 0 {
			t.Fatalf("tributi not offered: %v", c.dlg.transfer.ids)
		}
		if slices.Contains(c.dlg.transfer.ids, "anagrafe") {
			t.Errorf("the ticket's own service is offered")
		}
		c.dlg.transfer.list.choose(i)
	})
	c.tap(c.dlg.transfer.confirm)
	c.waitIdle()
	c.waitFor("the confirmation", func() bool { return strings.Contains(c.message(), "A001 transferred to") })
	tk := d.ticket("A001")
	if tk.Status != queue.StatusWaiting || tk.Service != "tributi" {
		t.Fatalf("A001 on the server: %s in %s, want waiting in tributi", tk.Status, tk.Service)
	}
}

func TestRegisterAtFastTrack(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("documenti", false)
	c := d.console(Options{})
	c.logIn("luca", "6")
	c.d.do(func() {
		if len(c.open.checks) != 1 || c.open.checks["documenti"] == nil {
			t.Errorf("the fast-track counter offers %v, want only documenti", c.open.checks)
		}
	})
	c.openWith("documenti")
	c.d.do(func() {
		if !c.desk.register.Visible() {
			t.Fatal("no register button at the fast-track counter")
		}
	})
	c.tap(c.desk.next)
	if n := c.calledNumber(); n != "D001" {
		t.Fatalf("called %s", n)
	}
	c.key(keyRegister)
	c.waitFor("the register dialog", func() bool { return c.modal != nil })
	c.typeIn(c.dlg.register.document, "Istanza cambio di residenza")
	c.tap(c.dlg.register.confirm)
	c.waitFor("the protocol number", func() bool {
		return c.desk.protocol.Visible() && strings.Contains(c.desk.protocol.Text, "2026/000001")
	})
	c.d.do(func() {
		if !c.desk.register.Disabled() {
			t.Error("a registered document can be registered again")
		}
	})
	tk := d.ticket("D001")
	if tk.Protocol != "2026/000001" || tk.Document != "Istanza cambio di residenza" {
		t.Fatalf("D001 on the server: protocol %q document %q", tk.Protocol, tk.Document)
	}
	c.tap(c.desk.finish)
	c.waitIdle()
}

func TestRegisterOnlyAtFastTrack(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.d.do(func() {
		if c.desk.register.Visible() {
			t.Error("a standard counter shows the register button")
		}
	})
}

// Two clerks with the same services calling as fast as they can never see
// the same ticket, and together they call every ticket once.
func TestTwoConsolesNeverShowTheSameTicket(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	const n = 30
	for i := range n {
		d.issue([]string{"anagrafe", "tributi"}[i%2], false)
	}
	a := d.console(Options{})
	b := d.console(Options{})
	a.logIn("mario", "1")
	b.logIn("giulia", "2")
	a.openWith("anagrafe", "tributi")
	b.openWith("anagrafe", "tributi")

	var (
		wg   sync.WaitGroup
		seen [2][]string
	)
	for i, c := range []*console{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				empty := false
				var num string
				c.d.do(func() { c.doNext() })
				c.waitFor("a ticket or an empty queue", func() bool {
					if c.busy {
						return false
					}
					if cur := c.current(); cur != nil {
						num = cur.Number
						return true
					}
					empty = c.message() == "Nobody is waiting for your services."
					return empty
				})
				if empty {
					return
				}
				seen[i] = append(seen[i], num)
				c.d.do(func() { c.doFinish() })
				c.waitFor("idle", func() bool { return !c.busy && c.counter.Current == "" })
			}
		}()
	}
	wg.Wait()
	all := append(slices.Clone(seen[0]), seen[1]...)
	slices.Sort(all)
	if len(all) != n || len(slices.Compact(slices.Clone(all))) != n {
		t.Fatalf("called %d tickets (%d distinct), want %d once each: %v / %v", len(all), len(slices.Compact(slices.Clone(all))), n, seen[0], seen[1])
	}
	if len(seen[0]) == 0 || len(seen[1]) == 0 {
		t.Logf("one console got every ticket: %v / %v", seen[0], seen[1])
	}
}

func TestShortcutCallsNext(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.waitFor("the queue", func() bool { return strings.Contains(c.desk.status.Text, "2 people waiting") })
	c.key(keyNext)
	if n := c.calledNumber(); n != "A001" {
		t.Fatalf("F1 called %s, want A001", n)
	}
	c.key(keyStart)
	c.waitFor("serving", func() bool { return c.desk.status.Text == "At the desk" })
	c.key(keyNext) // busy: does nothing
	c.key(keyFinish)
	c.waitIdle()
	c.key(keyNext)
	if n := c.calledNumber(); n != "A002" {
		t.Fatalf("F1 called %s, want A002", n)
	}
	c.d.do(func() {
		if !strings.Contains(c.desk.next.Text, "F1") {
			t.Errorf("the call button does not show its key: %q", c.desk.next.Text)
		}
	})
}

func TestPauseAndResume(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.key(keyPause)
	c.waitFor("paused", func() bool { return c.counter.State == queue.CounterPaused && c.desk.next.Disabled() })
	c.key(keyPause)
	c.waitFor("resumed", func() bool { return c.counter.State == queue.CounterOpen && !c.desk.next.Disabled() })
	c.tap(c.desk.closeBtn)
	c.waitFor("closed", func() bool { return c.screen == screenOpen && strings.Contains(c.message(), "The counter is closed") })
}

// The floor assistant closing the counter is told in words, and the clerk
// opens it again from the same window.
func TestCounterClosedByOthers(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.waitFor("the live queue", func() bool { return strings.Contains(c.desk.status.Text, "1 person waiting") })
	if _, err := d.as("anna").Close(context.Background(), "1", true); err != nil {
		t.Fatal(err)
	}
	c.waitFor("the closure in words", func() bool {
		return c.screen == screenOpen && c.message() == "The counter was closed by anna. Choose the services and open it again."
	})
	c.openWith("anagrafe")
	c.tap(c.desk.next)
	c.calledNumber()
}

func TestSessionExpired(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	d.o.Clock.Add(12*time.Hour + time.Minute) // the demo's session_ttl is 12h
	c.tap(c.desk.next)
	c.waitFor("the login", func() bool {
		return c.screen == screenLogin && c.message() == "Your session has expired: log in again."
	})
}

func TestLostConnectionRecovers(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.waitFor("connected", func() bool { return c.status.State == client.Connected })

	// Watch for the banner while the server restarts.
	stop := make(chan struct{})
	sawBanner := make(chan bool, 1)
	go func() {
		saw := false
		defer func() { sawBanner <- saw }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			c.d.do(func() {
				saw = saw || c.desk.banner.Visible() && strings.Contains(c.desk.bannerText.Text, "Connection to the server lost")
			})
			time.Sleep(2 * time.Millisecond)
		}
	}()
	d.o = d.o.Restart()
	d.issue("anagrafe", false)
	c.waitFor("the stream back, with the new ticket", func() bool {
		return c.status.State == client.Connected && !c.desk.banner.Visible() && strings.Contains(c.desk.status.Text, "1 person waiting")
	})
	close(stop)
	if !<-sawBanner {
		t.Error("the banner never said the connection was lost")
	}
	c.tap(c.desk.next)
	if n := c.calledNumber(); n != "A001" {
		t.Fatalf("called %s", n)
	}
}

// A clerk whose app restarts finds the counter and the ticket as they were.
func TestBackAtAnOpenCounter(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.tap(c.desk.next)
	c.calledNumber()

	again := d.console(Options{})
	again.typeIn(again.login.user, "mario")
	again.typeIn(again.login.password, officetest.Password)
	again.typeIn(again.login.counter, "1")
	again.tap(again.login.submit)
	again.waitFor("the desk with A001", func() bool { return again.screen == screenDesk && again.desk.number.Text == "A001" })
}

// The function keys work after the clerk picked an information sheet (the
// select keeps the focus) and after Tab moved the focus to a button: Fyne
// gives the window's key handler only the keys typed while nothing has
// focus.
func TestFunctionKeysWhereverTheFocusIs(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe", "tributi")
	c.waitFor("the queue", func() bool { return strings.Contains(c.desk.status.Text, "2 people waiting") })

	// The clerk clicks the sheet selector and picks the second sheet with
	// the arrow keys.
	c.d.do(func() { test.Tap(c.desk.sheetFor) })
	c.d.do(func() {
		c.press(fyne.KeyDown)
		c.press(fyne.KeyDown)
		c.press(fyne.KeyReturn)
	})
	c.waitFor("the second sheet, the select focused", func() bool {
		return c.desk.sheetFor.SelectedIndex() == 1 && c.w.Canvas().Focused() == c.desk.sheetFor
	})
	c.key(keyNext)
	if n := c.calledNumber(); n != "A001" {
		t.Fatalf("F1 with the select focused called %s, want A001", n)
	}
	c.key(keyFinish)
	c.waitIdle()

	// Tab from the select to the next widget: a button.
	c.d.do(func() { test.FocusNext(c.w.Canvas()) })
	c.d.do(func() {
		if _, ok := c.w.Canvas().Focused().(*keyButton); !ok {
			t.Fatalf("Tab focused %T, want a desk button", c.w.Canvas().Focused())
		}
	})
	c.key(keyNext)
	if n := c.calledNumber(); n != "A002" {
		t.Fatalf("F1 with a button focused called %s, want A002", n)
	}
	c.key(keyPause) // busy with a ticket: pausing is not allowed, nothing happens
	c.key(keyFinish)
	c.waitIdle()
	c.key(keyPause)
	c.waitFor("paused by F9", func() bool { return c.counter.State == queue.CounterPaused })
}

// The choice offers exactly the services the configuration lets the counter
// serve: counter 4 is a standard counter that serves only local taxes.
func TestOpenOffersWhatTheCounterMayServe(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	c := d.console(Options{Lang: "en"})
	c.logIn("giulia", "4")
	c.d.do(func() {
		if len(c.open.checks) != 1 || c.open.checks["tributi"] == nil {
			t.Errorf("counter 4 offers %v, want only tributi", slices.Collect(maps.Keys(c.open.checks)))
		}
	})
	c.openWith("tributi")
	c.d.do(func() {
		if !slices.Equal(c.counter.Services, []string{"tributi"}) {
			t.Errorf("counter 4 opened for %v, want tributi", c.counter.Services)
		}
	})

	// Counter 5 may serve social services and local taxes, in that order.
	c.tap(c.desk.services)
	c.waitFor("the choice of services", func() bool { return c.screen == screenOpen })
	c.d.do(func() { c.open.counter.SetSelected("Sportello 5") })
	c.d.do(func() {
		var got []string
		for _, o := range c.open.list.Objects {
			for _, ch := range c.open.checks {
				if ch.row == o {
					got = append(got, ch.label.Text)
				}
			}
		}
		if want := []string{"Social services", "Local taxes"}; !slices.Equal(got, want) {
			t.Errorf("counter 5 offers %q, want %q", got, want)
		}
	})
}

// slowReceipts answers a receipt when the test releases it, and counts the
// requests.
type slowReceipts struct {
	calls   atomic.Int32
	release chan struct{}
}

func (r *slowReceipts) ReceiptPDF(ctx context.Context, id string) ([]byte, error) {
	r.calls.Add(1)
	select {
	case <-r.release:
		return []byte("%PDF-1.4 receipt " + id), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// A double click on Save (or Save then Print) while the receipt is on its
// way fetches and saves one receipt.
func TestReceiptOnceOnDoubleClick(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("documenti", false)
	r := &slowReceipts{release: make(chan struct{})}
	c := d.console(Options{Receipts: r})
	c.logIn("luca", "6")
	c.openWith("documenti")
	c.tap(c.desk.next)
	c.calledNumber()
	c.key(keyRegister)
	c.waitFor("the register dialog", func() bool { return c.modal != nil })
	c.typeIn(c.dlg.register.document, "Istanza cambio di residenza")
	c.tap(c.dlg.register.confirm)
	c.waitFor("the receipt buttons", func() bool {
		return !c.busy && c.desk.save.Visible() && c.desk.print.Visible() && !c.desk.save.Disabled()
	})

	c.d.do(func() {
		test.Tap(c.desk.save)
		test.Tap(c.desk.save)
		test.Tap(c.desk.print)
	})
	c.d.do(func() {
		if !c.desk.save.Disabled() || !c.desk.print.Disabled() {
			t.Error("Save and Print stay enabled while a receipt is on its way")
		}
	})
	close(r.release)
	c.waitFor("the receipt saved", func() bool { return strings.HasPrefix(c.message(), "Receipt 2026/000001 saved as") })
	c.waitFor("the buttons back", func() bool { return !c.desk.save.Disabled() && !c.desk.print.Disabled() })
	if n := r.calls.Load(); n != 1 {
		t.Fatalf("%d receipts fetched for a double click, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(c.opt.ReceiptDir, "ricevuta-protocollo-2026-000001.pdf")); err != nil {
		t.Fatal(err)
	}
}

// A close that failed (the server was down) leaves the clerk at the desk,
// and the floor assistant closing the counter later is still told in words.
func TestCloseFailsThenClosedByOthers(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.waitFor("connected", func() bool { return c.status.State == client.Connected })

	d.o.Stop()
	c.tap(c.desk.closeBtn)
	c.waitFor("the failure in words", func() bool {
		return !c.busy && c.message() == "The server does not answer. Nothing was changed; try again in a moment."
	})
	c.d.do(func() {
		if c.screen != screenDesk || c.desk.closeBtn.Disabled() {
			t.Errorf("after a failed close: screen %d, close button disabled %v", c.screen, c.desk.closeBtn.Disabled())
		}
	})

	d.o = d.o.Restart()
	c.waitFor("connected again", func() bool { return c.status.State == client.Connected })
	if _, err := d.as("anna").Close(context.Background(), "1", true); err != nil {
		t.Fatal(err)
	}
	c.waitFor("the closure in words", func() bool {
		return c.screen == screenOpen && c.message() == "The counter was closed by anna. Choose the services and open it again."
	})
}

// relay stands between a console and an office and can be pointed at
// another office: the console's client keeps its address.
type relay struct {
	srv    *httptest.Server
	target atomic.Pointer[url.URL]
}

func newRelay(t *testing.T, to string) *relay {
	t.Helper()
	r := &relay{}
	r.point(t, to)
	r.srv = httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(r.target.Load())
	}})
	t.Cleanup(r.srv.Close)
	return r
}

func (r *relay) point(t *testing.T, to string) {
	t.Helper()
	u, err := url.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	r.target.Store(u)
}

// A reconnection that brings a fresh snapshot, with the counter meanwhile
// open for another clerk, takes the clerk back to choosing services instead
// of showing the other clerk's ticket with the buttons enabled. Here the
// office is restored on another server whose history is shorter than the
// console's: the stream cannot resume and starts again from a snapshot.
func TestSnapshotShowsTheCounterTaken(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	r := newRelay(t, d.o.URL)
	served := d.o
	c := d.consoleAt(r.srv.URL, Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	for range 4 {
		d.issue("anagrafe", false)
	}
	c.waitFor("the live queue", func() bool { return strings.Contains(c.desk.status.Text, "4 people waiting") })

	// The other server: giulia has counter 1 and a citizen at it.
	other := officetest.Start(t, officetest.Tuesday("09:00"))
	d.o = other
	d.issue("anagrafe", false)
	giulia := d.as("giulia")
	if _, err := giulia.Open(context.Background(), "1", []string{"anagrafe"}); err != nil {
		t.Fatal(err)
	}
	if _, err := giulia.Next(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	// mario's session on the other server, as a restored database holds it.
	c.cl.SetToken(d.as("mario").Token())

	r.point(t, other.URL)
	served.Stop()
	c.waitFor("the choice of services, with the reason", func() bool {
		return c.screen == screenOpen && c.message() == "This counter is now open for giulia."
	})
}

// The no-show list offers only the no-shows the server would still put
// back in the queue: the demo office's window is 15 minutes.
func TestNoShowListFollowsTheReactivateWindow(t *testing.T) {
	d := newDesk(t, officetest.Tuesday("09:00"))
	d.issue("anagrafe", false)
	d.issue("anagrafe", false)
	c := d.console(Options{})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.tap(c.desk.next)
	if n := c.calledNumber(); n != "A001" {
		t.Fatalf("called %s", n)
	}
	c.tap(c.desk.noShow) // A001, no-show at 09:00
	c.waitIdle()
	d.o.Clock.Set(officetest.Tuesday("09:10"))
	c.tap(c.desk.next)
	if n := c.calledNumber(); n != "A002" {
		t.Fatalf("called %s", n)
	}
	c.tap(c.desk.noShow) // A002, no-show at 09:10
	c.waitFor("both no-shows listed", func() bool {
		return !c.busy && c.desk.reactivate["A001"] != nil && c.desk.reactivate["A002"] != nil
	})

	d.o.Clock.Set(officetest.Tuesday("09:16"))
	c.waitFor("A001 out of the list", func() bool {
		return c.desk.reactivate["A001"] == nil && c.desk.reactivate["A002"] != nil
	})
	c.tap(c.desk.reactivate["A002"])
	c.waitFor("A002 back in its queue", func() bool { return strings.Contains(c.message(), "A002 is back in its queue") })
	c.d.do(func() {
		if len(c.desk.reactivate) != 0 {
			t.Errorf("no-shows still offered: %v", slices.Collect(maps.Keys(c.desk.reactivate)))
		}
	})
}
