package client_test

import (
	"context"
	"testing"
	"time"

	"turno/server/client"
	"turno/server/officetest"
)

const (
	kioskToken   = officetest.KioskToken
	displayToken = officetest.DisplayToken
)

// tuesday is a working day of the demo office, with an afternoon opening.
func tuesday(t *testing.T, hhmm string) time.Time {
	t.Helper()
	return officetest.Tuesday(hhmm)
}

// office is a real server on a real bbolt file, over real HTTP.
type office struct {
	*officetest.Office
	t     *testing.T
	clock *officetest.Clock
}

func newOffice(t *testing.T, now time.Time) *office {
	t.Helper()
	o := officetest.Start(t, now)
	return &office{Office: o, t: t, clock: o.Clock}
}

// restart stops the server and starts a new one on the same file and the
// same address, as a restarted server would be found again.
func (o *office) restart() *office {
	o.t.Helper()
	return &office{Office: o.Office.Restart(), t: o.t, clock: o.clock}
}

func (o *office) stop() { o.Stop() }

// client returns a client of the office with a device token ("" for none).
func (o *office) client(token string, opts ...client.Option) *client.Client {
	o.t.Helper()
	c, err := client.New(o.URL, append([]client.Option{client.WithToken(token)}, opts...)...)
	if err != nil {
		o.t.Fatal(err)
	}
	return c
}

// login returns a client logged in as a demo user.
func (o *office) login(user string) *client.Client {
	o.t.Helper()
	c := o.client("")
	if _, err := c.Login(context.Background(), user, officetest.Password); err != nil {
		o.t.Fatalf("login %s: %v", user, err)
	}
	return c
}
