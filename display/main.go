// Command display is Turno's hall display, in one of three modes:
//
//   - the hall board (-mode board, the default): full screen in the hall,
//     with a display's device token; the calls, the queues and the
//     services' states, and on every call a chime and the call spoken
//     ("Numero A 12, sportello 3");
//   - the flow view (-mode flow): the hall floor assistant's screen, after a
//     login; queues against their targets, counters against the staffing
//     plan, alerts, actions, and today's appointments (booking for a
//     citizen by phone or at the desk, check-in, moves, cancellations),
//     and tomorrow's forecast against the staffing plan;
//   - the rating pad (-mode rating -counter 3): a small screen facing the
//     citizen at a counter, with the token of a display configured with
//     that counter; dark until the clerk finishes a ticket, then five faces,
//     one tap, thanks, dark again.
//
// Configuration comes from flags, or from the environment when a flag is not
// given (see -help):
//
//	display -server http://10.0.0.5:8080 -token … -fullscreen
//	display -mode flow -user anna
//	display -mode rating -counter 3 -token … -fullscreen
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the office's zone on machines without a zone database

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"turno/assets"
	"turno/display/chime"
	"turno/display/ui"
	"turno/display/voice"
	"turno/server/client"
)

// Defaults: the demo office on this machine.
const (
	DefaultServer = "http://127.0.0.1:8080"
	DefaultToken  = "demo-display-token"
	// DefaultPadToken is the demo's rating pad, at counter 3.
	DefaultPadToken = "demo-pad-3-token"
	DefaultZone     = "Europe/Rome"
	appID           = "it.turno.display"
)

func main() { os.Exit(run(os.Args[1:], os.Getenv, os.Stderr)) }

// config is the display's configuration.
type config struct {
	mode, server, token, user, password string
	counter                             string        // rating: the counter the pad faces
	padTimeout                          time.Duration // rating: how long it waits for a tap
	zone                                string
	langs                               []string
	voices                              []string // the languages the board speaks a call in
	mute, fullscreen, debug             bool
	width, height                       float32
	rules                               ui.AlertRules
}

// parseConfig reads flags, with the environment as their defaults.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	envBool := func(name string) bool {
		b, _ := strconv.ParseBool(getenv(name))
		return b
	}
	c := &config{}
	def := ui.DefaultAlertRules()
	fs := flag.NewFlagSet("display", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.mode, "mode", env("TURNO_DISPLAY_MODE", "board"), "board (the hall board), flow (the floor assistant's view) or rating (a counter's rating pad) (env TURNO_DISPLAY_MODE)")
	fs.StringVar(&c.server, "server", env("TURNO_SERVER", DefaultServer), "the Turno server's address (env TURNO_SERVER)")
	fs.StringVar(&c.token, "token", getenv("TURNO_DISPLAY_TOKEN"), "board and rating: the display's device token (env TURNO_DISPLAY_TOKEN; default the demo's board, or the demo's rating pad of counter 3)")
	fs.StringVar(&c.counter, "counter", env("TURNO_COUNTER", ""), "rating: the counter the pad faces, as its [[devices]] entry says (env TURNO_COUNTER)")
	fs.DurationVar(&c.padTimeout, "pad-timeout", ui.DefaultPadTimeout, "rating: how long the pad waits for a tap before it goes dark")
	fs.StringVar(&c.user, "user", env("TURNO_USER", ""), "flow view: the floor assistant's user name, prefilled at the login (env TURNO_USER)")
	lang := fs.String("lang", env("TURNO_LANG", ""), "board: it, en or it+en (default it+en: headings in both, services alternating); flow: the view's language, it or en (default it); rating: the language it asks in first, it or en (default it; the citizen switches) (env TURNO_LANG)")
	fs.StringVar(&c.zone, "tz", env("TURNO_TZ", DefaultZone), "the time zone shown until the server names the office's own (a server older than the timezone field) (env TURNO_TZ)")
	fs.BoolVar(&c.mute, "mute", envBool("TURNO_MUTE"), "board: no sound at all, neither chime nor voice (a machine without speakers) (env TURNO_MUTE)")
	voices := fs.String("voice", env("TURNO_VOICE", "it"), "board: the call spoken after the chime: it, en, it+en (Italian then English) or off (the chime alone) (env TURNO_VOICE)")
	fs.BoolVar(&c.fullscreen, "fullscreen", envBool("TURNO_FULLSCREEN"), "full screen, as on the hall's screen (env TURNO_FULLSCREEN)")
	size := fs.String("size", "", "window size when not full screen, WIDTHxHEIGHT (default 1920x1080; rating 800x480)")
	fs.DurationVar(&c.rules.IdleGrace, "idle-grace", def.IdleGrace, "flow: how long a free counter may stay idle while people wait")
	fs.DurationVar(&c.rules.PauseLimit, "pause-limit", def.PauseLimit, "flow: how long a counter may stay paused")
	fs.DurationVar(&c.rules.CutoffWarn, "cutoff-warn", def.CutoffWarn, "flow: how long before a numerator's cut-off to warn")
	fs.DurationVar(&c.rules.PlanGrace, "plan-grace", def.PlanGrace, "flow: how long a counter the staffing plan has open may stay closed (after its planned start, or after it closed)")
	fs.BoolVar(&c.debug, "debug", false, "log the client's calls")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	switch c.mode {
	case "board", "flow":
	case "rating":
		if c.counter == "" {
			return nil, errors.New("-mode rating needs -counter: the counter the pad faces, e.g. -counter 3")
		}
		if c.padTimeout < 5*time.Second {
			return nil, fmt.Errorf("-pad-timeout %v: want 5s or more, time for a citizen to tap", c.padTimeout)
		}
	default:
		return nil, fmt.Errorf("-mode %q: want board, flow or rating", c.mode)
	}
	if c.token == "" {
		c.token = DefaultToken
		if c.mode == "rating" {
			c.token = DefaultPadToken
		}
	}
	if *size == "" {
		*size = "1920x1080"
		if c.mode == "rating" {
			*size = "800x480"
		}
	}
	if _, err := fmt.Sscanf(*size, "%fx%f", &c.width, &c.height); err != nil || c.width <= 0 || c.height <= 0 {
		return nil, fmt.Errorf("-size %q: want WIDTHxHEIGHT, e.g. 1920x1080", *size)
	}
	switch *lang {
	case "", "it+en":
		c.langs = []string{"it", "en"}
	case "en+it":
		c.langs = []string{"en", "it"}
	case "it", "en":
		c.langs = []string{*lang}
	default:
		return nil, fmt.Errorf("-lang %q: want it, en or it+en", *lang)
	}
	switch *voices {
	case "off":
	case "it", "en", "it+en", "en+it":
		c.voices = strings.Split(*voices, "+")
	default:
		return nil, fmt.Errorf("-voice %q: want it, en, it+en or off", *voices)
	}
	// The password is never a flag (it would show in the process list); an
	// unattended demo may pass it in the environment.
	c.password = getenv("TURNO_PASSWORD")
	return c, nil
}

func run(args []string, getenv func(string) string, stderr io.Writer) int {
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "display:", err)
		return 2
	}
	level := slog.LevelInfo
	if cfg.debug {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})).With("display", cfg.mode)
	loc, err := time.LoadLocation(cfg.zone)
	if err != nil {
		fmt.Fprintf(stderr, "display: -tz %q: %v\n", cfg.zone, err)
		return 2
	}
	var opts []client.Option
	opts = append(opts, client.WithLogger(logger))
	if cfg.mode == "board" || cfg.mode == "rating" {
		opts = append(opts, client.WithToken(cfg.token))
	}
	c, err := client.New(cfg.server, opts...)
	if err != nil {
		fmt.Fprintln(stderr, "display:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	a := app.NewWithID(appID)
	w := a.NewWindow("Turno")
	w.Resize(fyne.NewSize(cfg.width, cfg.height))
	w.SetFullScreen(cfg.fullscreen)
	base := ui.Options{Client: c, Location: loc, Logger: logger}

	var closeScreen func()
	switch cfg.mode {
	case "board":
		a.Settings().SetTheme(ui.NewBoardTheme())
		w.SetTitle("Turno — " + "Tabellone")
		player := newPlayer(cfg.mute, cfg.voices, logger)
		q := chime.NewQueue(player, chime.Options{Logger: logger})
		defer q.Close()
		b := ui.NewBoard(ctx, ui.BoardOptions{Options: base, Chime: q, Langs: cfg.langs})
		w.SetContent(b.Content())
		closeScreen = b.Close
	case "flow":
		a.Settings().SetTheme(ui.NewFlowTheme())
		w.SetTitle("Turno — " + "Flusso sala")
		if cfg.user != "" && cfg.password != "" {
			lctx, cancel := context.WithTimeout(ctx, client.DefaultTimeout)
			if _, err := c.Login(lctx, cfg.user, cfg.password); err != nil {
				logger.Warn("login from the environment refused: log in on screen", "user", cfg.user, "err", err)
			}
			cancel()
		}
		fl := ui.NewFlow(ctx, ui.FlowOptions{Options: base, Window: w, User: cfg.user, Lang: cfg.langs[0], Rules: cfg.rules})
		w.SetContent(fl.Content())
		closeScreen = fl.Close
	case "rating":
		a.Settings().SetTheme(ui.NewPadTheme())
		w.SetTitle("Turno — " + "Valutazione")
		p := ui.NewPad(ctx, ui.PadOptions{Options: base, Counter: cfg.counter, Lang: cfg.langs[0], Timeout: cfg.padTimeout})
		w.SetContent(p.Content())
		closeScreen = p.Close
	}
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
	stop()
	closeScreen()
	return 0
}

// newPlayer opens the sound device and the voices, or says clearly why the
// board is silent (or chimes without words) and goes on: a board that shows
// calls is better than none.
func newPlayer(mute bool, langs []string, logger *slog.Logger) chime.Player {
	if mute {
		logger.Info("sound off (-mute): calls are shown, not heard")
		return chime.Muted{}
	}
	sound, err := chime.ParseWAV(assets.Chime)
	if err != nil {
		logger.Error("chime sound unreadable: running muted", "err", err)
		return chime.Muted{}
	}
	var speakers []chime.Speaker
	for _, l := range langs {
		v, err := voice.New(l, logger)
		if err != nil {
			logger.Error("voice unreadable: calls are chimed, not spoken, in this language", "lang", l, "err", err)
			continue
		}
		speakers = append(speakers, v)
	}
	device, err := chime.NewOto(sound.Rate, sound.Channels)
	if err != nil {
		logger.Warn("no audio device: running muted (pass -mute to silence this)", "err", err)
		return chime.Muted{}
	}
	logger.Info("sound ready", "chime", sound.Duration().String(), "voice", strings.Join(langs, "+"))
	return chime.NewCaller(device, sound, speakers, chime.DefaultPause, nil)
}
