// Command server runs Turno's server: the office's queues in bbolt, the HTTP
// API and, with no configuration file, an embedded demo office.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the office's zone must load on a machine without tzdata

	"turno/server/config"
	"turno/server/hub"
	"turno/server/live"
	"turno/server/outbox"
	"turno/server/queue"
	"turno/server/sim"
	"turno/server/store"
	"turno/server/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole server; main only gives it the process's context,
// arguments, environment and streams, so tests can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "simulate" {
		return simulate(ctx, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr(getenv, "TURNO_ADDR", "127.0.0.1:8080"), "listen address (env TURNO_ADDR)")
	dataDir := fs.String("data", envOr(getenv, "TURNO_DATA", "data"), "directory of the database file turno.db (env TURNO_DATA)")
	configPath := fs.String("config", getenv("TURNO_CONFIG"), "office configuration file, TOML; empty runs the embedded demo office (env TURNO_CONFIG)")
	publicURL := fs.String("public-url", getenv("TURNO_PUBLIC_URL"), "the server's address as citizens' phones reach it, for ticket QR codes; empty: the request's (env TURNO_PUBLIC_URL)")
	trustedProxy := fs.String("trusted-proxy", getenv("TURNO_TRUSTED_PROXY"), "reverse proxies in front of the server, addresses or prefixes separated by commas: their X-Forwarded-For names the client, for the per-address limits of the login and the booking page; empty: the connection's peer is the client (env TURNO_TRUSTED_PROXY)")
	outboxPath := fs.String("outbox", getenv("TURNO_OUTBOX"), "file the booking page's one-time codes are appended to, instead of sending them (agenda.verify_contact); empty: outbox.log in the data directory (env TURNO_OUTBOX)")
	hashPassword := fs.Bool("hash-password", false, "read a password from standard input, print its bcrypt hash for the configuration, and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	if *hashPassword {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			fmt.Fprintln(stderr, "server: read password:", err)
			return 1
		}
		hash, err := config.HashPassword(strings.TrimRight(line, "\r\n"))
		if err != nil {
			fmt.Fprintln(stderr, "server:", err)
			return 1
		}
		fmt.Fprintln(stdout, hash)
		return 0
	}

	proxies, err := web.ParseTrustedProxies(*trustedProxy)
	if err != nil {
		fmt.Fprintln(stderr, "server: -trusted-proxy:", err)
		return 2
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, "server: configuration:", err)
		return 1
	}
	if *outboxPath == "" {
		*outboxPath = filepath.Join(*dataDir, "outbox.log")
	}
	if err := serve(ctx, cfg, serveOptions{addr: *addr, dataDir: *dataDir, publicURL: *publicURL, trustedProxies: proxies, outbox: *outboxPath}, logger, stdout); err != nil {
		fmt.Fprintln(stderr, "server:", err)
		return 1
	}
	return 0
}

// simulate is `turno-server simulate`: the what-if simulator (server/sim)
// over the office's configuration and an arrival profile.
func simulate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: turno-server simulate [flags]\nPlays working days of the office through the real queue engine; docs/accuracy.md explains the figures.")
		fs.PrintDefaults()
	}
	days := fs.Int("days", sim.DefaultDays, "consecutive working days of the office's calendar to play")
	scenario := fs.String("scenario", "all", "a scenario of the profile (the default profile's: normal, peak, staffing), or all")
	seed := fs.Uint64("seed", sim.DefaultSeed, "random seed: the same seed gives the same figures")
	profilePath := fs.String("profile", "", "arrival and staffing profile, TOML; empty: the demo office's normal day")
	configPath := fs.String("config", "", "office configuration file, TOML; empty: the embedded demo office")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	start := fs.String("start", sim.DefaultStart, "first day, YYYY-MM-DD")
	noFloor := fs.Bool("no-floor", false, "play without the services' fixed cut-off margin before closing (cutoff_before_close)")
	keepPlan := fs.Bool("keep-plan", false, "keep the office's staffing plan in every scenario (default: each scenario's staffing is the plan, as an office that knows tomorrow's absences writes it)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "simulate: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, "simulate: configuration:", err)
		return 1
	}
	profile, err := sim.DefaultProfile()
	if *profilePath != "" {
		profile, err = sim.LoadProfile(*profilePath)
	}
	if err != nil {
		fmt.Fprintln(stderr, "simulate:", err)
		return 1
	}
	report, err := sim.Run(ctx, sim.Options{Office: &cfg.Office, Profile: profile, Scenario: *scenario, Days: *days, Start: *start, Seed: *seed, NoFloor: *noFloor, KeepPlan: *keepPlan, Oracle: sim.Oracle{}})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(report)
	} else {
		err = report.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "simulate:", err)
		return 1
	}
	return 0
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return config.Demo()
	}
	return config.Load(path)
}

// serveOptions are the flags serve needs.
type serveOptions struct {
	addr, dataDir, publicURL string
	trustedProxies           []netip.Prefix
	outbox                   string // the file the one-time codes go to
}

func serve(ctx context.Context, cfg *config.Config, opt serveOptions, logger *slog.Logger, stdout io.Writer) error {
	db, err := store.Open(filepath.Join(opt.dataDir, "turno.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	streams, err := openHub(cfg, db, logger)
	if err != nil {
		return err
	}
	office, err := live.Open(&cfg.Office, db, live.Options{Logger: logger, Publish: streams.Publish})
	if err != nil {
		return err
	}
	defer office.Close()
	streams.Start(office)
	defer streams.Close() // before the office closes: clients are told goodbye
	api, err := web.New(web.Options{Config: cfg, Office: office, Store: db, Logger: logger, Hub: streams, PublicURL: opt.publicURL,
		TrustedProxies: opt.trustedProxies, Sender: outbox.New(opt.outbox, nil)})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opt.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opt.addr, err)
	}
	srv := &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go housekeeping(ctx, &cfg.Office, office, db, logger)
	printBanner(stdout, cfg, "http://"+ln.Addr().String())
	if cfg.VerifyContact {
		fmt.Fprintf(stdout, "One-time codes for web bookings are written to %s\n", opt.outbox)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx) // hijacked websockets are not waited for...
	streams.Close()                 // ...the hub closes them
	return err
}

// openHub builds the stream's hub with the log's recent events, so clients
// connected before a restart resume without a fresh snapshot.
func openHub(cfg *config.Config, db *store.Store, logger *slog.Logger) (*hub.Hub, error) {
	last, err := db.LastSeq()
	if err != nil {
		return nil, fmt.Errorf("stream: %w", err)
	}
	history, err := db.EventsSince(last-min(last, hub.DefaultRingSize), 0)
	if err != nil {
		return nil, fmt.Errorf("stream: %w", err)
	}
	return hub.New(hub.Options{Config: &cfg.Office, Last: last, History: history, Logger: logger, Devices: cfg.DeviceList()}), nil
}

// housekeeping starts the new business day at midnight without waiting for
// a request, forgets expired login sessions, and erases the personal data
// of bookings past the office's retention.
func housekeeping(ctx context.Context, cfg *queue.Config, office *live.Office, db *store.Store, logger *slog.Logger) {
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	var lastSweep time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			if err := office.Tick(ctx); err != nil && !errors.Is(err, live.ErrClosed) {
				logger.Error("day change failed", "err", err)
			}
			if now.Sub(lastSweep) > time.Hour {
				lastSweep = now
				if _, err := db.DeleteExpiredSessions(now); err != nil {
					logger.Warn("cannot delete expired sessions", "err", err)
				}
				eraseOldBookings(cfg, db, now, logger)
			}
		}
	}
}

// eraseOldBookings erases the bookings whose day is older than the
// office's retention.
func eraseOldBookings(cfg *queue.Config, db *store.Store, now time.Time, logger *slog.Logger) {
	before := cfg.Day(now.Add(-cfg.Agenda.Retention))
	n, err := db.EraseBookings(before)
	if err != nil {
		logger.Error("cannot erase old bookings", "before", before, "err", err)
		return
	}
	if n > 0 {
		logger.Info("erased the personal data of old bookings", "bookings", n, "before", before)
	}
}

func printBanner(w io.Writer, cfg *config.Config, url string) {
	fmt.Fprintf(w, "Turno: %s (%s)\n", cfg.Office.Name, cfg.Source)
	fmt.Fprintf(w, "Listening on %s  (API under %s/api/v1, health %s/healthz)\n", url, url, url)
	fmt.Fprintf(w, "Citizens book appointments at %s/prenota\n", url)
	if creds := config.DemoCredentials(cfg); len(creds) > 0 {
		fmt.Fprintln(w, "Demo credentials:")
		for _, c := range creds {
			fmt.Fprintln(w, "  "+c)
		}
	}
}
