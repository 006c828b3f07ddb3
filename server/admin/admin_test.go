package admin_test

import (
	"context"
	"errors"
	"testing"

	"turno/server/admin"
	"turno/server/config"
	"turno/server/officetest"
	"turno/server/queue"
	"turno/server/store"
)

func edited(t *testing.T, o *officetest.Office, edit func(c *config.Config) error) *config.Config {
	t.Helper()
	next, err := admin.Clone(o.Current.Load())
	if err != nil {
		t.Fatal(err)
	}
	if err := edit(next); err != nil {
		t.Fatal(err)
	}
	return next
}

func TestVersionsOfAChange(t *testing.T) {
	ctx := context.Background()
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	adm := o.Admin
	same := edited(t, o, func(*config.Config) error { return nil })
	if _, err := adm.Apply(ctx, same, admin.Request{By: "admin"}); !errors.Is(err, admin.ErrNoChange) {
		t.Fatalf("nothing changed: got %v", err)
	}
	if _, err := o.Store.LatestConfig(); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a change of nothing recorded a version: %v", err)
	}
	// The first change records the file as version 1, then itself.
	next := edited(t, o, func(c *config.Config) error { return admin.AddClosures(c, "2026-12-24", "") })
	in, err := adm.Apply(ctx, next, admin.Request{By: "admin", Reason: "vigilia", Base: 0})
	if err != nil {
		t.Fatal(err)
	}
	if in.Version != 2 || o.Current.Load() != in || !in.Office.Closures["2026-12-24"] {
		t.Fatalf("in force: version %d", in.Version)
	}
	v1, _ := o.Store.ConfigVersion(1)
	v2, _ := o.Store.ConfigVersion(2)
	if v1.By != "turno-server" || v2.By != "admin" || v2.Reason != "vigilia" {
		t.Fatalf("versions: %+v %+v", v1, v2)
	}
	// A change made on version 1 is stale now.
	stale := edited(t, o, func(c *config.Config) error { return admin.AddClosures(c, "2026-12-31", "") })
	var se *admin.StaleError
	if _, err := adm.Apply(ctx, stale, admin.Request{By: "admin", Base: 1}); !errors.As(err, &se) || se.InForce != 2 {
		t.Fatalf("stale: got %v", err)
	}
	// What the file's validation refuses names its field.
	bad := edited(t, o, func(c *config.Config) error { c.Office.Services[1].Prefix = "a"; return nil })
	var ie *admin.InvalidError
	if _, err := adm.Apply(ctx, bad, admin.Request{By: "admin"}); !errors.As(err, &ie) {
		t.Fatalf("invalid: got %v", err)
	}
	if f, p := ie.Field(); f != "services[1].prefix" || p != `"a" must be one capital letter A-Z` {
		t.Fatalf("got %q: %q", f, p)
	}
	if o.Current.Load().Version != 2 {
		t.Fatal("a refused change changed the version")
	}
}

func TestTheAccountsRules(t *testing.T) {
	ctx := context.Background()
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	var re *admin.RuleError
	noAdmin := edited(t, o, func(c *config.Config) error { return admin.DeleteUser(c, "admin") })
	if _, err := o.Admin.Apply(ctx, noAdmin, admin.Request{By: "turno-server"}); !errors.As(err, &re) || re.Field != "users" {
		t.Fatalf("no administrator left: got %v", err)
	}
	demoted := edited(t, o, func(c *config.Config) error {
		return admin.EditUser(c, "admin", admin.UserForm{FullName: "Amministratore", Role: "clerk"})
	})
	if _, err := o.Admin.Apply(ctx, demoted, admin.Request{By: "admin", Self: "admin"}); !errors.As(err, &re) {
		t.Fatalf("demoting oneself: got %v", err)
	}
	// Another administrator may do it, once there are two.
	two := edited(t, o, func(c *config.Config) error {
		return admin.AddUser(c, admin.UserForm{Name: "bruno", Role: "admin", Password: "password-lunga", Password2: "password-lunga"})
	})
	if _, err := o.Admin.Apply(ctx, two, admin.Request{By: "admin", Self: "admin"}); err != nil {
		t.Fatal(err)
	}
	demoted = edited(t, o, func(c *config.Config) error {
		return admin.EditUser(c, "admin", admin.UserForm{FullName: "Amministratore", Role: "clerk"})
	})
	if _, err := o.Admin.Apply(ctx, demoted, admin.Request{By: "bruno", Self: "bruno"}); err != nil {
		t.Fatalf("demoted by another: %v", err)
	}
}

func TestARefusedFirstChangeRecordsNothing(t *testing.T) {
	ctx := context.Background()
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	today := edited(t, o, func(c *config.Config) error { return admin.AddClosures(c, "2026-11-24", "") })
	var refusal *queue.ConfigRefusal
	if _, err := o.Admin.Apply(ctx, today, admin.Request{By: "admin"}); !errors.As(err, &refusal) || !refusal.Forcible() {
		t.Fatalf("today's closure: got %v", err)
	}
	if _, err := o.Store.LatestConfig(); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("recorded: %v", err)
	}
	if _, err := o.Admin.Apply(ctx, today, admin.Request{By: "admin", Force: true}); err != nil {
		t.Fatal(err)
	}
}

func TestInForce(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("09:00"))
	file := o.Config
	cfg, v, err := admin.InForce(o.Store, file)
	if err != nil || cfg != file || v != nil {
		t.Fatalf("no version: %v %v", v, err)
	}
	next := edited(t, o, func(c *config.Config) error { c.Office.Name = "Ufficio nuovo"; return nil })
	if _, err := o.Admin.Apply(context.Background(), next, admin.Request{By: "admin"}); err != nil {
		t.Fatal(err)
	}
	cfg, v, err = admin.InForce(o.Store, file)
	if err != nil || v == nil || v.Version != 2 || cfg.Office.Name != "Ufficio nuovo" || cfg.Version != 2 || !cfg.Demo {
		t.Fatalf("got %+v, %v (demo %v)", v, err, cfg.Demo)
	}
}
