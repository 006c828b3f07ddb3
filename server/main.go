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
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the office's zone must load on a machine without tzdata

	"turno/server/accesslog"
	"turno/server/admin"
	"turno/server/backup"
	"turno/server/certs"
	"turno/server/config"
	"turno/server/history"
	"turno/server/hub"
	"turno/server/live"
	"turno/server/metrics"
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
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(ctx, args[1:], getenv, stdout, stderr)
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
	logFormat := fs.String("log-format", envOr(getenv, "TURNO_LOG_FORMAT", "text"), "the log's format: text or json (env TURNO_LOG_FORMAT)")
	logLevel := fs.String("log-level", envOr(getenv, "TURNO_LOG_LEVEL", "info"), "the least important messages logged: debug, info, warn or error (env TURNO_LOG_LEVEL)")
	tlsCert := fs.String("tls-cert", getenv("TURNO_TLS_CERT"), "TLS certificate file, PEM (with its chain): serve HTTPS, the certificate loaded again when the file changes (env TURNO_TLS_CERT)")
	tlsKey := fs.String("tls-key", getenv("TURNO_TLS_KEY"), "the TLS certificate's private key file, PEM (env TURNO_TLS_KEY)")
	metricsAddr := fs.String("metrics-addr", getenv("TURNO_METRICS_ADDR"), "serve /metrics (Prometheus) on this address of its own, plain HTTP, and not on -addr; e.g. 127.0.0.1:9101 (env TURNO_METRICS_ADDR)")
	metricsToken := fs.String("metrics-token", getenv("TURNO_METRICS_TOKEN"), "scrapes of /metrics must carry Authorization: Bearer <token>; with no -metrics-addr, this serves /metrics on -addr (env TURNO_METRICS_TOKEN)")
	backupDir := fs.String("backup-dir", getenv("TURNO_BACKUP_DIR"), "write a daily backup of the database into this directory, turno-YYYY-MM-DD.db; empty: no daily backup (env TURNO_BACKUP_DIR)")
	backupKeep := fs.String("backup-keep", envOr(getenv, "TURNO_BACKUP_KEEP", strconv.Itoa(backup.DefaultKeep)), "how many daily backups to keep, the newest (env TURNO_BACKUP_KEEP)")
	backupAt := fs.String("backup-at", envOr(getenv, "TURNO_BACKUP_AT", backup.DefaultAt), "the daily backup's time, HH:MM in the office's time zone (env TURNO_BACKUP_AT)")
	restore := fs.String("restore", "", "put this backup in place of the database in -data (checked first; the previous one kept as turno.db.before-restore-<time>), then exit; the server must be stopped")
	exportCfg := fs.Bool("export-config", false, "print the configuration in force (the latest version stored in -data, or the file) as TOML, then exit; the server must be stopped (or download it from the console, /admin)")
	importCfg := fs.String("import-config", "", "record this configuration file as the next version in -data (every check of the console applies), then exit; the server must be stopped")
	importReason := fs.String("reason", "", "with -import-config: why, for the audit log (default: \"imported from file FILE\")")
	force := fs.Bool("force", false, "with -import-config: apply a change of today's opening range in progress (or of the time zone)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "server: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	logger, err := newLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		fmt.Fprintln(stderr, "server:", err)
		return 2
	}
	if *restore != "" {
		return restoreBackup(*restore, *dataDir, stdout, stderr)
	}

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
	opt := serveOptions{addr: *addr, dataDir: *dataDir, publicURL: *publicURL, trustedProxies: proxies,
		tlsCert: *tlsCert, tlsKey: *tlsKey, metricsAddr: *metricsAddr, metricsToken: *metricsToken,
		backupDir: *backupDir, backupAt: *backupAt}
	if err := opt.check(*backupKeep); err != nil {
		fmt.Fprintln(stderr, "server:", err)
		return 2
	}
	if opt.tlsCert != "" && strings.HasPrefix(opt.publicURL, "http:") {
		logger.Warn("the server speaks HTTPS but -public-url is http: the tickets' QR codes lead phones to plain HTTP", "public_url", opt.publicURL)
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, "server: configuration:", err)
		return 1
	}
	if *exportCfg {
		return exportConfig(cfg, *dataDir, stdout, stderr)
	}
	if *importCfg != "" {
		return importConfig(ctx, cfg, *importCfg, *dataDir, *importReason, *force, opt.now, logger, stdout, stderr)
	}
	if *outboxPath == "" {
		*outboxPath = filepath.Join(*dataDir, "outbox.log")
	}
	opt.outbox = *outboxPath
	if err := serve(ctx, cfg, opt, logger, stdout); err != nil {
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
	// tlsCert and tlsKey serve HTTPS (both or neither).
	tlsCert, tlsKey string
	// metricsAddr serves /metrics on a listener of its own; metricsToken
	// protects it (and, without metricsAddr, serves it on addr).
	metricsAddr, metricsToken string
	// backupDir turns the daily backup on.
	backupDir  string
	backupKeep int
	backupAt   string
	// outbox is the file the booking page's one-time codes go to.
	outbox string

	// Tests inject the office's clock, the backup's ticks, and learn the
	// addresses the server listens on.
	now         func() time.Time
	backupTicks <-chan time.Time
	started     func(url, metricsURL string)
}

// check validates the options that flags and environment set.
func (o *serveOptions) check(backupKeep string) error {
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return errors.New("-tls-cert and -tls-key go together: give both, or neither")
	}
	if o.publicURL != "" {
		u, err := url.Parse(o.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("-public-url %q: want an address such as https://turno.comune.example.it (http or https, a host, no query)", o.publicURL)
		}
	}
	keep, err := strconv.Atoi(backupKeep)
	if err != nil || keep < 1 {
		return fmt.Errorf("-backup-keep %q: want a number of backups, 1 or more", backupKeep)
	}
	o.backupKeep = keep
	if _, _, err := backup.ParseAt(o.backupAt); err != nil {
		return fmt.Errorf("-backup-at: %w", err)
	}
	return nil
}

func serve(ctx context.Context, file *config.Config, opt serveOptions, logger *slog.Logger, stdout io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := metrics.New(logger)
	dbPath := filepath.Join(opt.dataDir, "turno.db")
	db, err := store.Open(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	m.WatchFile(dbPath)
	// The configuration in force: the latest version the console stored,
	// or, on a new database, the file, which becomes version 1.
	cfg, version, err := admin.InForce(db, file)
	if err != nil {
		return err
	}
	if version != nil {
		logger.Info("configuration in force: a version stored in the database; the file was only the first version (change it in the console, /admin, or with -import-config)",
			"version", version.Version, "by", version.By, "at", version.At.In(cfg.Office.Location).Format(time.DateTime), "file", file.Source)
	}
	current := config.NewCurrent(cfg)
	streams, err := openHub(current, db, logger, opt.now)
	if err != nil {
		return err
	}
	office, err := live.Open(&cfg.Office, db, live.Options{Logger: logger, Publish: streams.Publish, Now: opt.now, Committed: m.Commit})
	if err != nil {
		return err
	}
	defer office.Close()
	adm := admin.New(office, current, func(c *config.Config) { streams.SetDevices(c.DeviceList()) })
	if err := adm.Record(ctx, "turno-server", firstReason(file)); err != nil {
		return fmt.Errorf("record the configuration as version 1: %w", err)
	}
	// The figures of each closed day, for the reports: stored within a
	// minute of the day's close, and at start for any day missing them.
	keeper := history.NewLiveKeeper(func() (*queue.Config, history.FoldOptions) {
		c := current.Load()
		return &c.Office, history.FoldOptions{PerClerk: c.ReportsPerClerk}
	}, db, logger)
	keeperCtx, stopKeeper := context.WithCancel(ctx)
	keeperDone := make(chan struct{})
	go func() { defer close(keeperDone); keeper.Run(keeperCtx, time.Minute) }()
	defer func() { stopKeeper(); <-keeperDone }() // before the store closes
	streams.Start(office)
	defer streams.Close() // before the office closes: clients are told goodbye
	m.WatchStreams(streams)
	m.WatchOffice(office)

	var daily *backup.Daily
	if opt.backupDir != "" {
		daily, err = backup.New(db, backup.Options{Dir: opt.backupDir, Keep: opt.backupKeep, At: opt.backupAt,
			Location: cfg.Office.Location, Now: opt.now, Logger: logger, Done: m.Backup})
		if err != nil {
			return err
		}
		_, last, size := daily.Newest()
		m.EnableBackups(last, size)
	}

	metricsHandler := m.Handler(opt.metricsToken)
	wopt := web.Options{Config: cfg, Current: current, Admin: adm, Office: office, Store: db, Logger: logger, Hub: streams, PublicURL: opt.publicURL, TrustedProxies: opt.trustedProxies, Now: opt.now,
		Sender: outbox.New(opt.outbox, nil)}
	if opt.metricsAddr == "" && opt.metricsToken != "" {
		wopt.Metrics = metricsHandler
	}
	api, err := web.New(wopt)
	if err != nil {
		return err
	}
	observe := func(r accesslog.Request) { m.Request(r.Route, r.Method, r.Status, r.Duration, r.Upgraded) }
	quiet := []string{"/healthz", "/metrics"} // probes and scrapes: logged at debug level
	srv := &http.Server{
		Handler:           accesslog.Handler(api, accesslog.Options{Logger: logger, Route: api.Route, Client: api.ClientAddr, Observe: observe, Quiet: quiet}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if opt.tlsCert != "" {
		reloader, err := certs.Load(opt.tlsCert, opt.tlsKey, logger)
		if err != nil {
			return err
		}
		srv.TLSConfig, scheme = reloader.Config(), "https"
	}
	ln, err := net.Listen("tcp", opt.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opt.addr, err)
	}
	servers := []*http.Server{srv}
	errc := make(chan error, 2)
	metricsURL := ""
	if opt.metricsAddr != "" {
		mln, err := net.Listen("tcp", opt.metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (metrics): %w", opt.metricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metricsHandler)
		route := func(r *http.Request) string {
			_, p := mux.Handler(r)
			return strings.TrimPrefix(p, "GET ")
		}
		msrv := &http.Server{
			Handler:           accesslog.Handler(mux, accesslog.Options{Logger: logger, Route: route, Client: api.ClientAddr, Observe: observe, Quiet: quiet}),
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		}
		servers = append(servers, msrv)
		metricsURL = "http://" + mln.Addr().String() + "/metrics"
		go func() { errc <- msrv.Serve(mln) }()
	}
	go housekeeping(ctx, office, db, logger)
	if daily != nil {
		ticks := opt.backupTicks
		if ticks == nil {
			t := time.NewTicker(backup.CheckEvery)
			defer t.Stop()
			ticks = t.C
		}
		done := make(chan struct{})
		go func() { defer close(done); daily.Run(ctx, ticks) }()
		defer func() { cancel(); <-done }() // a backup under way ends before the store closes
	}
	base := scheme + "://" + ln.Addr().String()
	printBanner(stdout, current.Load(), base)
	printOps(stdout, opt, base, metricsURL, cfg.Office.Location)
	if opt.started != nil {
		opt.started(base, metricsURL)
	}
	if cfg.VerifyContact {
		fmt.Fprintf(stdout, "One-time codes for web bookings are written to %s\n", opt.outbox)
	}

	go func() {
		if srv.TLSConfig != nil {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		for _, s := range servers {
			s.Close()
		}
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancelShutdown := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelShutdown()
	for _, s := range servers[1:] {
		_ = s.Shutdown(shutdownCtx)
	}
	err = srv.Shutdown(shutdownCtx) // hijacked websockets are not waited for...
	streams.Close()                 // ...the hub closes them
	return err
}

// printOps says where the metrics and the backups are.
func printOps(w io.Writer, opt serveOptions, base, metricsURL string, loc *time.Location) {
	switch {
	case metricsURL != "" && opt.metricsToken != "":
		fmt.Fprintf(w, "Metrics at %s (Bearer token)\n", metricsURL)
	case metricsURL != "":
		fmt.Fprintf(w, "Metrics at %s\n", metricsURL)
	case opt.metricsToken != "":
		fmt.Fprintf(w, "Metrics at %s/metrics (Bearer token)\n", base)
	}
	if opt.backupDir != "" {
		fmt.Fprintf(w, "Daily backup at %s (%s) into %s, keeping %d\n", opt.backupAt, loc, opt.backupDir, opt.backupKeep)
	}
}

// openHub builds the stream's hub with the log's recent events, so clients
// connected before a restart resume without a fresh snapshot.
func openHub(current *config.Current, db *store.Store, logger *slog.Logger, now func() time.Time) (*hub.Hub, error) {
	cfg := current.Load()
	last, err := db.LastSeq()
	if err != nil {
		return nil, fmt.Errorf("stream: %w", err)
	}
	history, err := db.EventsSince(last-min(last, hub.DefaultRingSize), 0)
	if err != nil {
		return nil, fmt.Errorf("stream: %w", err)
	}
	return hub.New(hub.Options{Config: &cfg.Office, Current: func() *queue.Config { return &current.Load().Office },
		Last: last, History: history, Logger: logger, Devices: cfg.DeviceList(), Now: now}), nil
}

// housekeeping starts the new business day at midnight without waiting for
// a request, forgets expired login sessions, erases the personal data of
// bookings past the office's retention, and indexes the ids of past days'
// tickets.
func housekeeping(ctx context.Context, office *live.Office, db *store.Store, logger *slog.Logger) {
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
				cfg := office.Config()
				eraseOldBookings(cfg, db, now, logger)
				if _, err := db.IndexTickets(cfg.Day(now)); err != nil {
					logger.Warn("cannot index past days' tickets", "err", err)
				}
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
	switch cfg.Version {
	case 0:
		fmt.Fprintf(w, "Turno: %s (%s)\n", cfg.Office.Name, cfg.Source)
	case 1:
		fmt.Fprintf(w, "Turno: %s (%s, configuration version 1)\n", cfg.Office.Name, cfg.Source)
	default:
		fmt.Fprintf(w, "Turno: %s (configuration version %d; version 1 from %s)\n", cfg.Office.Name, cfg.Version, cfg.Source)
	}
	fmt.Fprintf(w, "Listening on %s  (API under %s/api/v1, health %s/healthz, administration %s/admin)\n", url, url, url, url)
	fmt.Fprintf(w, "Citizens book appointments at %s/prenota\n", url)
	if creds := config.DemoCredentials(cfg); len(creds) > 0 {
		fmt.Fprintln(w, "Demo credentials:")
		for _, c := range creds {
			fmt.Fprintln(w, "  "+c)
		}
	}
}
