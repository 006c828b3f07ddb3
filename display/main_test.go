package main

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
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
