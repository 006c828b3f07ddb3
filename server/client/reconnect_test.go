package client_test

import (
	"context"
	"testing"
	"time"

	"turno/server/client"
)

// backBudget is how long after the server's return an app may take to be
// live again; reconnectStep is the part of it a backoff step may use, the
// rest being the connection itself.
const (
	backBudget    = 2 * time.Second
	reconnectStep = 1500 * time.Millisecond
)

// steps stands in for the stream's timer between attempts
// (StreamOptions.Wait): it hands each delay to the test and returns when the
// test says, so a long outage takes no time and the attempts are counted.
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

// take returns the delay of the stream's next step, failing the test if the
// stream takes none.
func (s *steps) take(t *testing.T, what string) time.Duration {
	t.Helper()
	select {
	case d := <-s.delays:
		return d
	case <-time.After(10 * time.Second):
		t.Fatalf("no backoff step %s", what)
		return 0
	}
}

// Every app's stream, with the client's defaults, is back one backoff step
// after the server, however long the outage was, and that step is short
// enough to be back within 2 s. The server comes back at the worst moment:
// just as the stream starts waiting after a failed attempt.
func TestStreamBackWithinTwoSecondsOfTheServer(t *testing.T) {
	if reconnectStep >= backBudget {
		t.Fatal("the budget leaves no time to connect")
	}
	for _, tc := range []struct {
		name string
		open func(o *office) (*client.Client, client.StreamOptions)
	}{
		{"kiosk", func(o *office) (*client.Client, client.StreamOptions) {
			return o.client(kioskToken), client.StreamOptions{}
		}},
		{"display", func(o *office) (*client.Client, client.StreamOptions) {
			return o.client(displayToken), client.StreamOptions{}
		}},
		{"counter", func(o *office) (*client.Client, client.StreamOptions) {
			mario := o.login("mario")
			if _, err := mario.Open(context.Background(), "1", []string{"anagrafe"}); err != nil {
				o.t.Fatal(err)
			}
			return mario, client.StreamOptions{Counter: "1"}
		}},
		{"floor", func(o *office) (*client.Client, client.StreamOptions) {
			return o.login("anna"), client.StreamOptions{}
		}},
		{"phone", func(o *office) (*client.Client, client.StreamOptions) {
			tk, _, err := o.client(kioskToken).Issue(context.Background(), "anagrafe", false, "")
			if err != nil {
				o.t.Fatal(err)
			}
			return o.client(""), client.StreamOptions{Ticket: tk.ID}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOffice(t, tuesday(t, "09:00"))
			c, opt := tc.open(o)
			st := newSteps()
			opt.Wait = st.wait
			s := openStream(t, c, opt)
			waitState(t, s, client.Connected)

			o.stop()
			// A long outage: a dozen failed attempts, each after its step.
			var outage time.Duration
			for i := range 12 {
				d := st.take(t, "while the server is down")
				if got := s.Status().Retries; got != i+1 {
					t.Fatalf("step %d: status counts %d retries", i+1, got)
				}
				outage += d
				st.next <- struct{}{}
			}
			last := st.take(t, "after the outage")
			o.restart()
			st.next <- struct{}{}

			// Back on the very next attempt: no further step.
			deadline := time.Now().Add(10 * time.Second)
			for s.Status().State != client.Connected {
				select {
				case d := <-st.delays:
					t.Fatalf("the stream waited another %v after the server was back (status %+v)", d, s.Status())
				default:
				}
				if time.Now().After(deadline) {
					t.Fatalf("not connected: %+v", s.Status())
				}
				time.Sleep(5 * time.Millisecond)
			}
			if last > reconnectStep {
				t.Fatalf("after an outage of %v the stream waited %v before the attempt that found the server back, want at most %v (back within %v)",
					outage, last, reconnectStep, backBudget)
			}
			t.Logf("outage of %v (12 steps): back after one step of %v", outage, last)
		})
	}
}
