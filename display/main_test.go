package main

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"turno/display/ui"
)

func TestFlags(t *testing.T) {
	none := func(string) string { return "" }
	for _, c := range []struct {
		args   []string
		env    map[string]string
		voices []string
		mute   bool
		err    string
	}{
		{args: nil, voices: []string{"it"}},
		{args: []string{"-voice", "it+en"}, voices: []string{"it", "en"}},
		{args: []string{"-voice", "en"}, voices: []string{"en"}},
		{args: []string{"-voice", "off"}, voices: nil},
		{env: map[string]string{"TURNO_VOICE": "en+it"}, voices: []string{"en", "it"}},
		{args: []string{"-mute"}, voices: []string{"it"}, mute: true},
		{args: []string{"-voice", "fr"}, err: `-voice "fr"`},
		{args: []string{"-lang", "de"}, err: `-lang "de"`},
		{args: []string{"-mode", "tv"}, err: `-mode "tv"`},
		{args: []string{"-size", "big"}, err: `-size "big"`},
	} {
		getenv := none
		if c.env != nil {
			getenv = func(k string) string { return c.env[k] }
		}
		cfg, err := parseConfig(c.args, getenv, io.Discard)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v: got %v, want an error about %s", c.args, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		if !slices.Equal(cfg.voices, c.voices) || cfg.mute != c.mute {
			t.Errorf("%v %v: voices %v mute %v, want %v %v", c.args, c.env, cfg.voices, cfg.mute, c.voices, c.mute)
		}
	}
}

// -mute is no sound at all: no device is opened, nothing is played.
func TestMuteOpensNoDevice(t *testing.T) {
	p := newPlayer(true, []string{"it"}, discard())
	if got := strings.TrimPrefix(typeName(p), "chime."); got != "Muted" {
		t.Fatalf("-mute made a %s player, want chime.Muted", got)
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

func typeName(v any) string { return fmt.Sprintf("%T", v) }

// The rating pad's flags: the counter is required, the demo's pad and a
// 7" panel are the defaults, the timeout leaves time to tap.
func TestRatingFlags(t *testing.T) {
	none := func(string) string { return "" }
	cfg, err := parseConfig([]string{"-mode", "rating", "-counter", "3"}, none, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.token != DefaultPadToken || cfg.counter != "3" || cfg.width != 800 || cfg.height != 480 || cfg.padTimeout != ui.DefaultPadTimeout || cfg.langs[0] != "it" {
		t.Fatalf("defaults: got %+v", cfg)
	}
	env := map[string]string{"TURNO_DISPLAY_MODE": "rating", "TURNO_COUNTER": "5", "TURNO_DISPLAY_TOKEN": "pad-5-token-long-enough"}
	cfg, err = parseConfig([]string{"-lang", "en", "-size", "1024x600", "-pad-timeout", "90s"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.token != env["TURNO_DISPLAY_TOKEN"] || cfg.counter != "5" || cfg.width != 1024 || cfg.padTimeout != 90*time.Second || cfg.langs[0] != "en" {
		t.Fatalf("from the environment: got %+v", cfg)
	}
	if cfg, err := parseConfig(nil, none, io.Discard); err != nil || cfg.token != DefaultToken || cfg.width != 1920 {
		t.Fatalf("the board's defaults: got %+v, %v", cfg, err)
	}
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"-mode", "rating"}, "needs -counter"},
		{[]string{"-mode", "rating", "-counter", "3", "-pad-timeout", "1s"}, "-pad-timeout"},
	} {
		if _, err := parseConfig(c.args, none, io.Discard); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%v: got %v, want an error about %s", c.args, err, c.err)
		}
	}
}
