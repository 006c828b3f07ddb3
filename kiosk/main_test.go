package main

import (
	"io"
	"reflect"
	"testing"
)

func TestConfigFromFlagsAndEnvironment(t *testing.T) {
	env := map[string]string{
		"TURNO_SERVER": "http://10.0.0.5:8080", "TURNO_KIOSK_TOKEN": "tok", "TURNO_PRINTER": "thermal",
		"TURNO_LANG": "en", "TURNO_FULLSCREEN": "true", "TURNO_KIOSK_ID": "kiosk-2", "TURNO_TICKET_DIR": "/var/tickets",
		"TURNO_PRINT_OPTIONS": "media=Custom.80x200mm, fit-to-page", "TURNO_LARGE_TEXT": "true",
	}
	c, err := parseConfig(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := config{server: "http://10.0.0.5:8080", token: "tok", printer: "thermal", lang: "en", fullscreen: true,
		id: "kiosk-2", ticketDir: "/var/tickets", printOptions: []string{"media=Custom.80x200mm", "fit-to-page"}, width: 1080, height: 1920, large: true}
	if !reflect.DeepEqual(*c, want) {
		t.Errorf("got %+v\nwant %+v", *c, want)
	}
	// A flag wins over the environment.
	c, err = parseConfig([]string{"-lang", "es", "-fullscreen=false", "-size", "1920x1080", "-large-text=false"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.lang != "es" || c.fullscreen || c.width != 1920 || c.large {
		t.Errorf("flags did not win: %+v", *c)
	}
}

func TestConfigDefaultsToTheDemoOffice(t *testing.T) {
	c, err := parseConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.server != DefaultServer || c.token != DefaultToken || c.lang != "it" || c.printer != "" || c.ticketDir == "" {
		t.Errorf("got %+v", *c)
	}
}

func TestConfigRefusesNonsense(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"language":   {args: []string{"-lang", "de"}},
		"large text": {env: map[string]string{"TURNO_LARGE_TEXT": "very"}},
		"size":       {args: []string{"-size", "big"}},
		"fullscreen": {env: map[string]string{"TURNO_FULLSCREEN": "maybe"}},
		"arguments":  {args: []string{"extra"}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard); err == nil {
				t.Error("got no error")
			}
		})
	}
}
