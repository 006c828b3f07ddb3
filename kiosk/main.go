// Command kiosk is Turno's ticket kiosk (totem eliminacode): a full-screen
// Fyne app on a touch monitor that shows the office's services with their
// live state and issues, shows and prints tickets.
//
// Configuration comes from flags, or from the environment when a flag is
// not given (see -help):
//
//	kiosk -server http://10.0.0.5:8080 -token … -printer kiosk1 -fullscreen
package main

//go:generate go run icon_gen.go

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the office's zone, whatever the machine has installed

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"turno/kiosk/printer"
	"turno/kiosk/ui"
	"turno/server/client"
)

// Defaults: the demo office on this machine.
const (
	DefaultServer = "http://127.0.0.1:8080"
	DefaultToken  = "demo-kiosk-token"
	DefaultID     = "kiosk-1"
	appID         = "it.turno.kiosk"
)

func main() { os.Exit(run(os.Args[1:], os.Getenv, os.Stderr)) }

// config is the kiosk's configuration.
type config struct {
	server, token, publicURL string
	printer                  string
	printOptions             []string
	ticketDir                string
	lang                     string
	fullscreen, contrast     bool
	large                    bool
	id                       string
	width, height            float32
	debug                    bool
}

// parseConfig reads flags, with the environment as their defaults.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	envBool := func(name string) (bool, error) {
		v := getenv(name)
		if v == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("%s=%q: want true or false", name, v)
		}
		return b, nil
	}
	fullscreen, err := envBool("TURNO_FULLSCREEN")
	if err != nil {
		return nil, err
	}
	contrast, err := envBool("TURNO_CONTRAST")
	if err != nil {
		return nil, err
	}
	large, err := envBool("TURNO_LARGE_TEXT")
	if err != nil {
		return nil, err
	}
	c := &config{}
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.server, "server", env("TURNO_SERVER", DefaultServer), "the Turno server's address (env TURNO_SERVER)")
	fs.StringVar(&c.token, "token", env("TURNO_KIOSK_TOKEN", DefaultToken), "this kiosk's device token (env TURNO_KIOSK_TOKEN)")
	fs.StringVar(&c.id, "id", env("TURNO_KIOSK_ID", DefaultID), "this kiosk's name in logs and request keys (env TURNO_KIOSK_ID)")
	fs.StringVar(&c.publicURL, "public-url", env("TURNO_PUBLIC_URL", ""), "the server's address as citizens' phones reach it, for the QR code; default -server (env TURNO_PUBLIC_URL)")
	fs.StringVar(&c.printer, "printer", env("TURNO_PRINTER", ""), "CUPS printer for the tickets (lp -d); empty: save them in -ticket-dir (env TURNO_PRINTER)")
	printOpts := fs.String("print-options", env("TURNO_PRINT_OPTIONS", ""), "lp -o options, comma-separated, e.g. media=Custom.80x200mm (env TURNO_PRINT_OPTIONS)")
	fs.StringVar(&c.ticketDir, "ticket-dir", env("TURNO_TICKET_DIR", ""), "folder for the tickets with no printer, and for those the printer refused (env TURNO_TICKET_DIR; default in the user's cache)")
	fs.StringVar(&c.lang, "lang", env("TURNO_LANG", ui.DefaultLanguage), "the language each citizen starts in: "+strings.Join(ui.Languages(), ", ")+" (env TURNO_LANG)")
	fs.BoolVar(&c.fullscreen, "fullscreen", fullscreen, "full screen, as on the kiosk (env TURNO_FULLSCREEN)")
	fs.BoolVar(&c.contrast, "contrast", contrast, "each citizen starts in high contrast (env TURNO_CONTRAST)")
	fs.BoolVar(&c.large, "large-text", large, "each citizen starts in large text (env TURNO_LARGE_TEXT)")
	size := fs.String("size", "1080x1920", "window size when not full screen, WIDTHxHEIGHT")
	fs.BoolVar(&c.debug, "debug", false, "log the client's calls")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if _, err := fmt.Sscanf(*size, "%fx%f", &c.width, &c.height); err != nil || c.width <= 0 || c.height <= 0 {
		return nil, fmt.Errorf("-size %q: want WIDTHxHEIGHT, e.g. 1080x1920", *size)
	}
	if !slices.Contains(ui.Languages(), c.lang) {
		return nil, fmt.Errorf("-lang %q: want one of %s", c.lang, strings.Join(ui.Languages(), ", "))
	}
	for _, o := range strings.Split(*printOpts, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.printOptions = append(c.printOptions, o)
		}
	}
	if c.ticketDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		c.ticketDir = filepath.Join(dir, "turno-kiosk", "tickets")
	}
	return c, nil
}

func run(args []string, getenv func(string) string, stderr io.Writer) int {
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "kiosk:", err)
		return 2
	}
	level := slog.LevelInfo
	if cfg.debug {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})).With("kiosk", cfg.id)

	c, err := client.New(cfg.server, client.WithToken(cfg.token), client.WithLogger(logger),
		client.WithTimeout(8*time.Second)) // a citizen waits at the screen
	if err != nil {
		fmt.Fprintln(stderr, "kiosk:", err)
		return 2
	}
	var out ui.Printer = printer.Folder{Dir: cfg.ticketDir}
	if cfg.printer != "" {
		out = printer.Fallback{Primary: printer.LP{Printer: cfg.printer, Options: cfg.printOptions}, Spare: printer.Folder{Dir: cfg.ticketDir}}
		logger.Info("printing", "printer", cfg.printer, "spare folder", cfg.ticketDir)
	} else {
		logger.Info("no printer: tickets are saved", "folder", cfg.ticketDir)
	}

	a := app.NewWithID(appID)
	// Fyne's own strings follow the system's language; the kiosk's, which
	// change at a tap, are selected by ui.Translator from the same files.
	if err := lang.AddTranslationsFS(ui.Translations, ui.TranslationsDir); err != nil {
		logger.Warn("translations for Fyne", "err", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	k, err := ui.New(ctx, ui.Options{
		App: a, Client: c, PDFs: c, Printer: out, KioskID: cfg.id, Language: cfg.lang,
		Contrast: cfg.contrast, LargeText: cfg.large, PublicURL: cfg.publicURL, Logger: logger,
	})
	if err != nil {
		fmt.Fprintln(stderr, "kiosk:", err)
		return 1
	}
	w := a.NewWindow("Turno")
	if icon := a.Metadata().Icon; icon != nil {
		w.SetIcon(icon)
	}
	w.SetContent(k.Content())
	w.SetPadded(false)
	k.Attach(w.Canvas()) // a USB barcode reader types the confirmation's QR code
	if cfg.fullscreen {
		w.SetFullScreen(true)
	} else {
		w.Resize(fyne.NewSize(cfg.width, cfg.height))
	}
	context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	logger.Info("kiosk started", "server", cfg.server, "lang", cfg.lang, "fullscreen", cfg.fullscreen)
	w.ShowAndRun()
	k.Close()
	return 0
}
