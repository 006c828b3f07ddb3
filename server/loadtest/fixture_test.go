package loadtest

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"turno/server/config"
	"turno/server/history"
	"turno/server/queue"
	"turno/server/store"
)

// The fixtures of the big-day benchmarks are databases written before the
// server starts on them, for today's date (the child server runs on the real
// clock): a day of many tickets played through the domain itself
// (queue.Office.Run), and a long history of finished days.

// bigOffice is open around the clock: three services, twenty counters that
// serve them all, a clerk, a kiosk and a display.
const bigOffice = `
[office]
name = "Big day office"
timezone = "Europe/Rome"
[office.hours]
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]
%s
%s
[[users]]
name = "clerk"
role = "floor"
password_hash = "%s"
[[devices]]
id = "kiosk-1"
role = "kiosk"
token = "load-test-kiosk-token"
[[devices]]
id = "display-1"
role = "display"
token = "load-test-display-token"
`

var bigServices = []string{"anagrafe", "tributi", "sociali"}

const bigCounters = 20

// writeBigOffice writes the configuration into dir and loads it.
func writeBigOffice(b *testing.B, dir string) (path string, cfg *config.Config) {
	b.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("load"), bcrypt.MinCost)
	if err != nil {
		b.Fatal(err)
	}
	var services, counters string
	for i, id := range bigServices {
		services += fmt.Sprintf("[[services]]\nid = %q\nname = { it = %q, en = %q }\nprefix = %q\ncutoff_before_close = \"1s\"\ncutoff_on_load = false\n",
			id, id, id, string(rune('A'+i)))
	}
	for i := 1; i <= bigCounters; i++ {
		counters += fmt.Sprintf("[[counters]]\nid = \"%d\"\nservices = [\"anagrafe\", \"tributi\", \"sociali\"]\n", i)
	}
	path = filepath.Join(dir, "office.toml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(bigOffice, services, counters, hash)), 0o600); err != nil {
		b.Fatal(err)
	}
	if cfg, err = config.Load(path); err != nil {
		b.Fatal(err)
	}
	return path, cfg
}

// randomIDs makes ticket ids as the office does (128 random bits in hex),
// from a seed, so fixtures are the same from run to run.
func randomIDs(seed uint64) func() string {
	r := rand.New(rand.NewPCG(seed, seed))
	return func() string {
		var b [16]byte
		for i := 0; i < 16; i += 8 {
			v := r.Uint64()
			for j := 0; j < 8; j++ {
				b[i+j] = byte(v >> (8 * j))
			}
		}
		return hex.EncodeToString(b[:])
	}
}

// appender writes events to the store in batches.
type appender struct {
	b     *testing.B
	db    *store.Store
	batch []queue.Event
}

func (a *appender) add(events ...queue.Event) {
	a.batch = append(a.batch, events...)
	if len(a.batch) >= 5000 {
		a.flush()
	}
}

func (a *appender) flush() {
	if len(a.batch) == 0 {
		return
	}
	if err := a.db.Append(a.batch); err != nil {
		a.b.Fatal(err)
	}
	a.batch = a.batch[:0]
}

// today is the office's current business day and the time to play it up
// to: the day's start, and a moment before now.
func today(cfg *config.Config) (start, end time.Time) {
	now := time.Now().In(cfg.Office.Location)
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, cfg.Office.Location), now.Add(-time.Second)
}

// playDay plays today through the domain into the store at path, after
// start..end: tickets issued, of which waiting are still waiting and one
// per counter is at its counter, the others served (one in twenty a
// no-show). Every event is the office's own (queue.Office.Run).
func playDay(b *testing.B, cfg *config.Config, db *store.Store, tickets, waiting int) {
	b.Helper()
	o := queue.NewOffice(&cfg.Office)
	o.NewID = randomIDs(uint64(tickets))
	a := &appender{b: b, db: db}
	start, end := today(cfg)
	step := end.Sub(start) / time.Duration(2*tickets+bigCounters+1)
	now := start
	run := func(cmd queue.Command) {
		now = now.Add(step)
		events, err := o.Run(now, cmd)
		if err != nil {
			b.Fatalf("fixture at %s: %v", now.Format("15:04:05"), err)
		}
		a.add(events...)
	}
	clerk := func(counter string) queue.Actor { return queue.Actor{Name: "clerk-" + counter} }
	for k := 1; k <= bigCounters; k++ {
		id := strconv.Itoa(k)
		run(func(now time.Time, o *queue.Office) ([]queue.Event, error) {
			return o.Open(now, id, bigServices, clerk(id))
		})
	}
	issue := func(i int) {
		run(func(now time.Time, o *queue.Office) ([]queue.Event, error) {
			events, _, err := o.Issue(now, queue.IssueRequest{Service: bigServices[i%len(bigServices)], Channel: "kiosk-1"}, queue.Actor{Name: "kiosk-1"})
			return events, err
		})
	}
	served := tickets - waiting - bigCounters
	for i := 0; i < served; i++ {
		issue(i)
		counter := strconv.Itoa(i%bigCounters + 1)
		run(func(now time.Time, o *queue.Office) ([]queue.Event, error) {
			events, _, err := o.Next(now, counter, clerk(counter))
			return events, err
		})
		run(func(now time.Time, o *queue.Office) ([]queue.Event, error) {
			if i%20 == 0 {
				events, _, err := o.NoShow(now, counter, clerk(counter))
				return events, err
			}
			events, _, err := o.Finish(now, counter, queue.FinishRequest{Outcome: queue.OutcomeResolved}, clerk(counter))
			return events, err
		})
	}
	for i := served; i < tickets; i++ {
		issue(i)
	}
	for k := 1; k <= bigCounters; k++ {
		counter := strconv.Itoa(k)
		run(func(now time.Time, o *queue.Office) ([]queue.Event, error) {
			events, _, err := o.Next(now, counter, clerk(counter))
			return events, err
		})
	}
	a.flush()
}

// playHistory writes days of finished tickets before today, perDay a day,
// with random ids: what years of an office leave in the store. It returns
// the last sequence.
func playHistory(b *testing.B, cfg *config.Config, db *store.Store, tickets int) uint64 {
	b.Helper()
	const perDay = 20000
	newID := randomIDs(1)
	a := &appender{b: b, db: db}
	var seq uint64
	add := func(ev queue.Event) {
		seq++
		ev.Seq = seq
		a.add(ev)
	}
	start, _ := today(cfg)
	for d := tickets / perDay; d > 0; d-- {
		date := start.AddDate(0, 0, -d).Add(8 * time.Hour)
		day := cfg.Office.Day(date)
		add(queue.Event{Type: queue.EventDayRollover, At: date, Day: day})
		for i := 0; i < perDay; i++ {
			svc := bigServices[i%len(bigServices)]
			num := i/len(bigServices) + 1
			at := date.Add(time.Duration(i) * time.Second)
			t := &queue.Ticket{ID: newID(), Number: fmt.Sprintf("%c%03d", 'A'+i%len(bigServices), num%1000), Seq: num, Service: svc, Day: day,
				Status: queue.StatusWaiting, Channel: "kiosk-1", IssuedAt: at, QueuedAt: at}
			add(queue.Event{Type: queue.EventTicketIssued, At: at, Day: day, Actor: "kiosk-1", Ticket: t})
			called := *t
			called.Status, called.CalledAt, called.Counter, called.Clerk, called.Calls = queue.StatusCalled, &at, "1", "clerk", 1
			add(queue.Event{Type: queue.EventTicketCalled, At: at, Day: day, Actor: "clerk", Ticket: &called})
			done := called
			done.Status, done.FinishedAt, done.Outcome = queue.StatusDone, &at, queue.OutcomeResolved
			add(queue.Event{Type: queue.EventTicketFinished, At: at, Day: day, Actor: "clerk", Ticket: &done})
		}
	}
	a.flush()
	// As the server's housekeeping does once those days are over, and its
	// reports' keeper: a server that ran them holds their figures.
	if _, err := db.IndexTickets(cfg.Office.Day(start)); err != nil {
		b.Fatal(err)
	}
	if _, err := history.NewKeeper(&cfg.Office, db, history.FoldOptions{}, nil).CatchUp(context.Background()); err != nil {
		b.Fatal(err)
	}
	return seq
}

// fixtures are built once per process and copied for each server, which
// writes to its copy.
var fixtures struct {
	mu    sync.Mutex
	dir   string
	built map[string]string
}

// fixture returns the path of a database built by fill (under name), for
// today's date.
func fixture(b *testing.B, name string, fill func(db *store.Store)) string {
	b.Helper()
	fixtures.mu.Lock()
	defer fixtures.mu.Unlock()
	start, _ := today(mustDemo(b))
	name += "-" + start.Format(queue.DayLayout)
	if p, ok := fixtures.built[name]; ok {
		return p
	}
	if fixtures.dir == "" {
		dir, err := os.MkdirTemp("", "turno-bench-")
		if err != nil {
			b.Fatal(err)
		}
		fixtures.dir, fixtures.built = dir, map[string]string{}
	}
	path := filepath.Join(fixtures.dir, name+".db")
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	fill(db)
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	if fi, err := os.Stat(path); err == nil {
		b.Logf("fixture %s: %d MB in %s", name, fi.Size()>>20, time.Since(t0).Round(time.Second))
	}
	fixtures.built[name] = path
	return path
}

// copyFixture copies a fixture into dir as the server's turno.db.
func copyFixture(b *testing.B, src, dir string) {
	b.Helper()
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(filepath.Join(dir, "turno.db"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	// On the disk and out of the page cache before the server starts, as
	// after a reboot: the copy's dirty pages would be written back while
	// the server runs and count as its writes, and its large page-cache
	// folios (one written sequentially) would make each of the server's
	// 4 KB page writes write a whole folio.
	if err := out.Sync(); err != nil {
		b.Fatal(err)
	}
	if _, _, errno := syscall.Syscall6(syscall.SYS_FADVISE64, out.Fd(), 0, 0, 4 /* POSIX_FADV_DONTNEED */, 0, 0); errno != 0 {
		b.Fatalf("fadvise: %v", errno)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

func mustDemo(b *testing.B) *config.Config {
	b.Helper()
	cfg, err := config.Demo()
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// TestMain removes the fixtures once every benchmark has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if fixtures.dir != "" {
		os.RemoveAll(fixtures.dir)
	}
	os.Exit(code)
}
