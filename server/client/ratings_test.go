package client_test

import (
	"context"
	"testing"

	"turno/server/client"
	"turno/server/queue"
)

func TestRate(t *testing.T) {
	o := newOffice(t, tuesday(t, "09:00"))
	ctx := context.Background()
	newClient := func() *client.Client {
		c, err := client.New(o.URL)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	kiosk := newClient()
	kiosk.SetToken(kioskToken)
	tk, _, err := kiosk.Issue(ctx, "anagrafe", false, "")
	if err != nil {
		t.Fatal(err)
	}
	mario := newClient()
	if _, err := mario.Login(ctx, "mario", "demo"); err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { _, err := mario.Open(ctx, "1", []string{"anagrafe"}); return err },
		func() error { _, err := mario.Next(ctx, "1"); return err },
		func() error { _, err := mario.Finish(ctx, "1", queue.OutcomeResolved, "", ""); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	phone := newClient() // no token: the ticket's page
	pub, err := phone.Rate(ctx, tk.ID, 5)
	if err != nil || !pub.Rated {
		t.Fatalf("got %+v %v", pub, err)
	}
	if _, err := phone.Rate(ctx, tk.ID, 5); !client.IsCode(err, "already_rated") {
		t.Fatalf("a second rating: got %v", err)
	}
}
