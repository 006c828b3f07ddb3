package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"turno/server/client"
	"turno/server/officetest"
)

// steps stands in for the stream's timer between reconnection attempts
// (Options.StreamWait): it hands each delay to the test and returns when
// the test says, so an outage of any length takes no time and the
// attempts are counted instead of timed.
type steps struct {
	delays chan time.Duration
	next   chan struct{}
}

func newSteps() *steps {
	return &steps{delays: make(chan time.Duration), next: make(chan struct{})}
}

func (s *steps) wait(ctx context.Context, d time.Duration) error {
	select {
	case s.delays <- d:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-s.next:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *steps) take(t *testing.T) time.Duration {
	t.Helper()
	select {
	case d := <-s.delays:
		return d
	case <-time.After(15 * time.Second):
		t.Fatal("the stream took no backoff step")
		return 0
	}
}

// The counter is live again one backoff step after its server comes back,
// however long the outage, and that step leaves it within 2 s of the
// server: it was 13-16 s, the client's 30 s backoff cap. Its session
// survives the restart: no new login.
func TestCounterBackWithinTwoSecondsOfTheServer(t *testing.T) {
	const step = 1500 * time.Millisecond // of 2 s: the rest is for connecting
	d := newDesk(t, officetest.Tuesday("09:00"))
	st := newSteps()
	c := d.console(Options{StreamWait: st.wait})
	c.logIn("mario", "1")
	c.openWith("anagrafe")
	c.waitFor("connected", func() bool { return c.status.State == client.Connected })

	d.o.Stop()
	var outage time.Duration
	for range 12 {
		outage += st.take(t)
		st.next <- struct{}{}
	}
	c.waitFor("the banner", func() bool { return c.desk.banner.Visible() })
	last := st.take(t) // the server comes back as this step starts: the worst moment
	d.o = d.o.Restart()
	d.issue("anagrafe", false)
	st.next <- struct{}{}

	deadline := time.Now().Add(15 * time.Second)
	for {
		var live bool
		c.d.do(func() {
			live = c.status.State == client.Connected && !c.desk.banner.Visible() && strings.Contains(c.desk.status.Text, "1 person waiting")
		})
		if live {
			break
		}
		select {
		case d := <-st.delays:
			t.Fatalf("the counter waited another %v after the server was back", d)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the counter is not live again")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if last > step {
		t.Fatalf("after an outage of %v the counter waited %v before the attempt that found the server, want at most %v", outage, last, step)
	}
	c.d.do(func() {
		if c.screen != screenDesk {
			t.Errorf("after the restart the clerk is on screen %d, want the desk (no new login)", c.screen)
		}
	})
	c.key(keyNext)
	if n := c.calledNumber(); n != "A001" {
		t.Fatalf("called %s after the restart, want A001", n)
	}
	t.Logf("outage of %v (12 steps): live again after one step of %v", outage, last)
}
