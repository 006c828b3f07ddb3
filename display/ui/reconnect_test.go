package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

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

// The board and the flow view are live again one backoff step after their
// server comes back, however long the outage, and that step keeps them
// within 2 s of the server: the client's default backoff, not a 10 s cap
// of the display's own.
func TestTheScreensComeBackWithinTwoSecondsOfTheServer(t *testing.T) {
	for _, screen := range []string{"board", "flow"} {
		t.Run(screen, func(t *testing.T) {
			o := officetest.Start(t, officetest.Tuesday("09:00"))
			test.NewTempApp(t)
			u, st := &ui{}, newSteps()
			var connected, banner func() bool
			switch screen {
			case "board":
				opt := options(o, connect(t, o, officetest.DisplayToken), u)
				opt.MinBackoff, opt.MaxBackoff, opt.StreamWait = 0, 0, st.wait // the defaults, as in the app
				b := NewBoard(context.Background(), BoardOptions{Options: opt})
				t.Cleanup(b.Close)
				connected = func() bool { return b.status.State == client.Connected }
				banner = func() bool { return b.banner.Visible() }
			case "flow":
				opt := options(o, login(t, o, "anna"), u)
				opt.MinBackoff, opt.MaxBackoff, opt.StreamWait = 0, 0, st.wait
				w := test.NewTempWindow(t, nil)
				var fl *Flow
				u.do(func() {
					fl = NewFlow(context.Background(), FlowOptions{Options: opt, Window: w, Lang: "en"})
					w.SetContent(fl.Content())
				})
				t.Cleanup(fl.Close)
				connected = func() bool { return fl.status.State == client.Connected }
				banner = func() bool { return fl.banner.Visible() }
			}
			eventually(t, u, "connected", func() (bool, string) { return connected(), "" })

			o.Stop()
			var outage time.Duration
			for range 12 {
				d := st.take(t)
				if d > client.DefaultMaxBackoff {
					t.Fatalf("a step of %v during the outage, want at most %v", d, client.DefaultMaxBackoff)
				}
				outage += d
				st.next <- struct{}{}
			}
			eventually(t, u, "the banner", func() (bool, string) { return banner(), "" })
			last := st.take(t) // the server comes back as this step starts: the worst moment
			o.Restart()
			st.next <- struct{}{}
			deadline := time.Now().Add(15 * time.Second)
			for {
				var live bool
				u.do(func() { live = connected() && !banner() })
				if live {
					break
				}
				select {
				case d := <-st.delays:
					t.Fatalf("the %s waited another %v after the server was back", screen, d)
				default:
				}
				if time.Now().After(deadline) {
					t.Fatalf("the %s is not live again", screen)
				}
				time.Sleep(5 * time.Millisecond)
			}
			const step = 1500 * time.Millisecond // of 2 s: the rest is for connecting
			if last > step {
				t.Fatalf("after an outage of %v the %s waited %v before the attempt that found the server, want at most %v", outage, screen, last, step)
			}
			t.Logf("%s: outage of %v (12 steps), live again after one step of %v", screen, outage, last)
		})
	}
}
