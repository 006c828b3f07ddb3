// Command turno-counter is the clerk's console: log in, choose the services
// served today, call and serve the citizens. It speaks to the Turno server
// through server/client only.
//
//	turno-counter -server http://10.0.0.5:8080 -counter 6 -user luca
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	_ "time/tzdata" // the office's zone on machines without a zone database

	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"turno/counter/ui"
	"turno/server/client"
)

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

// run reads the flags (with the environment as defaults), builds the window
// and runs it until the clerk closes it.
func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("turno-counter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", env("TURNO_SERVER", "http://127.0.0.1:8080"), "the Turno server's address (TURNO_SERVER)")
	counter := fs.String("counter", env("TURNO_COUNTER", ""), "the counter's id, prefilled at login (TURNO_COUNTER)")
	user := fs.String("user", env("TURNO_USER", ""), "the clerk's user name, prefilled at login (TURNO_USER)")
	printer := fs.String("printer", env("TURNO_PRINTER", ""), "the CUPS printer for receipts; empty: the default printer (TURNO_PRINTER)")
	receipts := fs.String("receipts", env("TURNO_RECEIPT_DIR", ""), "the folder for saved receipts, and for those the printer could not take; empty: the home folder (TURNO_RECEIPT_DIR)")
	language := fs.String("lang", env("TURNO_LANG", ""), "it or en; empty: the system's language (TURNO_LANG)")
	verbose := fs.Bool("v", false, "log every call")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	l, err := chooseLanguage(*language)
	if err != nil {
		fmt.Fprintln(stderr, "turno-counter:", err)
		return 2
	}
	if err := ui.LoadTranslations(); err != nil {
		logger.Warn("translations", "err", err) // English still works
	}
	cl, err := client.New(*server, client.WithLogger(logger))
	if err != nil {
		fmt.Fprintln(stderr, "turno-counter:", err)
		return 2
	}

	a := app.NewWithID("it.turno.counter")
	a.Settings().SetTheme(ui.Theme())
	w := a.NewWindow("Turno — " + lang.L("Counter console"))
	w.Resize(ui.WindowSize)
	opt := ui.Options{
		Client: cl, Window: w, User: *user, Counter: *counter, Lang: l,
		Printer: *printer, ReceiptDir: *receipts, Logger: logger,
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	console := ui.New(ctx, opt)
	w.SetMaster()
	w.ShowAndRun()
	cancel()
	console.Close()
	return 0
}

// chooseLanguage returns "it" or "en" and makes Fyne's translations use it:
// Fyne reads the language from the environment, so a flag sets LANGUAGE.
func chooseLanguage(flagValue string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(flagValue))
	switch {
	case l == "":
		if strings.HasPrefix(strings.ToLower(lang.SystemLocale().LanguageString()), "it") {
			return "it", nil
		}
		return "en", nil
	case strings.HasPrefix(l, "it"):
		l = "it"
	case strings.HasPrefix(l, "en"):
		l = "en"
	default:
		return "", fmt.Errorf("language %q: want it or en", flagValue)
	}
	if err := os.Setenv("LANGUAGE", l); err != nil {
		return "", fmt.Errorf("set the language: %w", err)
	}
	if lc := os.Getenv("LC_ALL"); lc == "C" || lc == "POSIX" {
		_ = os.Unsetenv("LC_ALL")
	}
	return l, nil
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
