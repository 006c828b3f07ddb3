package loadtest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"turno/server/store"
)

// A big day: the same live queue (300 waiting, one ticket at each of 20
// counters) at the end of a 1,000-ticket day and of a 50,000-ticket one,
// the server in a child process on the real binary. What the issue asks of
// it: a snapshot costs what it shows, not the day; kiosks are not held up
// while a hundred displays subscribe afresh; those displays do not blow up
// the server's memory.
const (
	bigDay    = 50000
	smallDay  = 1000
	bigQueue  = 300 // waiting at the end of either day
	displays  = 100 // subscribing at once
	snapshots = 200 // read one after the other
	// Kiosks issue at a steady pace, ten times what they can print (a
	// ticket takes a citizen seconds): 16 kiosks, 8 tickets a second each;
	// a wave of displays subscribes every waveEvery (two seconds: the
	// server paces a wave over half a second, and the issues between
	// waves, farther than waveGuard from either, must be many enough for
	// their p99).
	kiosks     = 16
	kioskEvery = 125 * time.Millisecond
	issueFor   = 30 * time.Second
	waveEvery  = 2 * time.Second
	// waveGuard keeps the issues just before and after a wave out of
	// the quiet ones: their requests overlapped it.
	waveGuard = 300 * time.Millisecond
)

// BenchmarkBigDay measures, in one run each, at 1,000 and 50,000 tickets:
// the display's snapshot (server CPU and bytes per GET /api/v1/snapshot,
// and the time to a display's first stream frame); at 50,000, the kiosks'
// issue latency while 100 displays subscribe at once against between such
// waves, and the server's peak memory when 100 displays subscribe at once
// against its idle memory. Run with -benchtime 1x; each figure sits beside
// its baseline as a ratio (the -x metrics).
func BenchmarkBigDay(b *testing.B) {
	dir := b.TempDir()
	turno := build(b, "turno/server", dir)
	cfgPath, cfg := writeBigOffice(b, dir)
	days := map[int]string{}
	for _, n := range []int{smallDay, bigDay} {
		days[n] = fixture(b, fmt.Sprintf("day-%d", n), func(db *store.Store) { playDay(b, cfg, db, n, bigQueue) })
	}
	serve := func(b *testing.B, n int) *child {
		data := b.TempDir()
		copyFixture(b, days[n], data)
		return start(b, turno, "-addr", "127.0.0.1:0", "-data", data, "-config", cfgPath)
	}
	for i := 0; i < b.N; i++ {
		// The snapshot at each size.
		snap := map[int]snapshotCost{}
		for _, n := range []int{smallDay, bigDay} {
			srv := serve(b, n)
			snap[n] = measureSnapshot(b, srv)
			srv.stop()
		}
		small, big := snap[smallDay], snap[bigDay]
		b.ReportMetric(small.cpuMS, "snap-1k-cpu-ms")
		b.ReportMetric(big.cpuMS, "snap-50k-cpu-ms")
		b.ReportMetric(big.cpuMS/small.cpuMS, "snap-cpu-x")
		b.ReportMetric(big.kb, "snap-50k-KB")
		b.ReportMetric(big.kb/small.kb, "snap-bytes-x")
		b.ReportMetric(big.firstFrameMS/small.firstFrameMS, "first-frame-x")
		b.ReportMetric(big.firstFrameMS, "first-frame-50k-ms")

		// Memory: idle, then a hundred displays subscribing at once.
		srv := serve(b, bigDay)
		idle, peak := displaysMemory(b, srv)
		srv.stop()
		b.ReportMetric(idle, "idle-rss-MB")
		b.ReportMetric(peak, "peak-rss-100-displays-MB")
		b.ReportMetric(peak/idle, "rss-x")

		// Kiosks issue at a steady pace while, every two seconds, a hundred
		// displays subscribe at once: the p99 of the issues sent while a
		// wave was subscribing, against the p99 of those sent between waves
		// (and not just after one). Both halves share the same server,
		// queue and machine, second by second. The displays run in a
		// process of their own at the lowest priority (nice 19): on this
		// two-core machine they stand for screens on other machines, and
		// must not take the server's processor.
		srv = serve(b, bigDay)
		waves := startWaves(b, srv)
		all := issueLoad(b, srv)
		windows := waves.stop(b)
		srv.stop()
		quiet := outside(all, windows, waveGuard)
		var wave time.Duration
		for _, w := range windows {
			wave += w.to.Sub(w.from)
		}
		alone, nAlone := p99(quiet, nil)
		crowded, nCrowded := p99(all, windows)
		alone50, _ := pct(quiet, nil, 0.5)
		crowded50, _ := pct(all, windows, 0.5)
		b.ReportMetric(alone50, "issue-p50-ms")
		b.ReportMetric(crowded50, "issue-p50-subscribing-ms")
		b.ReportMetric(alone, "issue-p99-ms")
		b.ReportMetric(crowded, "issue-p99-subscribing-ms")
		b.ReportMetric(crowded/alone, "issue-p99-x")
		// The same, as the server measured them (its access log): what
		// the kiosks' own machine and the loopback add is left out.
		served := servedIssues(b, srv)
		sAlone, _ := p99(outside(served, windows, waveGuard), nil)
		sCrowded, _ := p99(served, windows)
		b.ReportMetric(sAlone, "server-p99-ms")
		b.ReportMetric(sCrowded, "server-p99-subscribing-ms")
		b.ReportMetric(sCrowded/sAlone, "server-p99-x")
		b.ReportMetric(float64(nAlone), "issues-between")
		b.ReportMetric(float64(nCrowded), "issues-in-waves")
		b.ReportMetric(float64(wave.Milliseconds())/float64(len(windows)), "wave-ms")
	}
	b.ReportMetric(0, "ns/op")
}

type snapshotCost struct {
	cpuMS, kb, firstFrameMS float64
}

// measureSnapshot reads the display's snapshot one request after the
// other, and subscribes one display after the other: server CPU per
// snapshot, its size, and the median time to a display's first frame.
func measureSnapshot(b *testing.B, srv *child) snapshotCost {
	b.Helper()
	get := func() int {
		req, _ := http.NewRequest("GET", srv.url+"/api/v1/snapshot", nil)
		req.Header.Set("Authorization", "Bearer load-test-display-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		n, _ := io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("snapshot: %d", resp.StatusCode)
		}
		return int(n)
	}
	size := get() // warm: the first read builds the forecast
	cpu0 := srv.cpuSeconds(b)
	for i := 0; i < snapshots; i++ {
		size = get()
	}
	cpu := (srv.cpuSeconds(b) - cpu0) / snapshots
	var frames []time.Duration
	for i := 0; i < 20; i++ {
		t0 := time.Now()
		if err := subscribeWave(srv, 1, false); err != nil {
			b.Fatal(err)
		}
		frames = append(frames, time.Since(t0))
	}
	sort.Slice(frames, func(i, j int) bool { return frames[i] < frames[j] })
	return snapshotCost{cpuMS: cpu * 1000, kb: float64(size) / 1024, firstFrameMS: float64(frames[len(frames)/2]) / float64(time.Millisecond)}
}

// subscribeWave connects n displays at once, each reading its snapshot; if
// hold, they stay connected (without reading further) until the benchmark
// ends, else they close.
func subscribeWave(srv *child, n int, hold bool) error {
	url := "ws" + strings.TrimPrefix(srv.url, "http") + "/api/v1/stream"
	header := http.Header{"Authorization": {"Bearer load-test-display-token"}}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, _, err := websocket.DefaultDialer.Dial(url, header)
			if err != nil {
				errs <- err
				return
			}
			if err := conn.WriteMessage(websocket.TextMessage, []byte(`{}`)); err != nil {
				errs <- err
				conn.Close()
				return
			}
			_ = conn.SetReadDeadline(time.Now().Add(60 * time.Second))
			err = readSnapshot(conn)
			if err != nil {
				errs <- err
				conn.Close()
				return
			}
			if hold {
				held.Lock()
				held.conns = append(held.conns, conn)
				held.Unlock()
				return
			}
			conn.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return fmt.Errorf("display: %w", err)
	}
	return nil
}

// readSnapshot reads the first frame, which must be a snapshot, without
// keeping it: the displays share the machine with the server, and should
// cost it as little as screens elsewhere would.
func readSnapshot(conn *websocket.Conn) error {
	_, r, err := conn.NextReader()
	if err != nil {
		return err
	}
	head := make([]byte, len(`{"type":"snapshot"`))
	if _, err := io.ReadFull(r, head); err != nil {
		return err
	}
	if !bytes.Equal(head, []byte(`{"type":"snapshot"`)) {
		return fmt.Errorf("first frame: %s...", head)
	}
	_, err = io.Copy(io.Discard, r)
	return err
}

// held are the displays that stay connected, closed by closeHeld.
var held struct {
	sync.Mutex
	conns []*websocket.Conn
}

func closeHeld() {
	held.Lock()
	defer held.Unlock()
	for _, c := range held.conns {
		c.Close()
	}
	held.conns = nil
}

// displaysMemory returns the server's resident memory once idle, and its
// peak while 100 displays subscribe at once and stay connected.
func displaysMemory(b *testing.B, srv *child) (idle, peak float64) {
	b.Helper()
	defer closeHeld()
	if err := subscribeWave(srv, 1, false); err != nil { // the stream's first use, as any office's morning
		b.Fatal(err)
	}
	time.Sleep(time.Second)
	_, idle = srv.rssMB(b)
	srv.resetPeak(b)
	if err := subscribeWave(srv, displays, true); err != nil {
		b.Fatal(err)
	}
	peak, _ = srv.rssMB(b)
	return idle, peak
}

// waves is the process that has displays subscribe in waves.
type waves struct {
	cmd     *exec.Cmd
	stdin   io.Closer
	windows chan []window
}

// startWaves starts the displays' process (TestDisplayWaves, this test
// binary run again, at nice 19) against srv.
func startWaves(b *testing.B, srv *child) *waves {
	b.Helper()
	cmd := exec.Command("nice", "-n", "19", os.Args[0], "-test.run=^TestDisplayWaves$", "-test.count=1")
	cmd.Env = append(os.Environ(), "TURNO_WAVES_URL="+srv.url)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := &waves{cmd: cmd, stdin: stdin, windows: make(chan []window, 1)}
	go func() {
		var out []window
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var from, to int64
			if _, err := fmt.Sscanf(sc.Text(), "wave %d %d", &from, &to); err == nil {
				out = append(out, window{time.Unix(0, from), time.Unix(0, to)})
			}
		}
		w.windows <- out
	}()
	return w
}

// stop ends the waves and returns when they were.
func (w *waves) stop(b *testing.B) []window {
	b.Helper()
	w.stdin.Close()
	windows := <-w.windows
	if err := w.cmd.Wait(); err != nil {
		b.Fatalf("the displays' process: %v", err)
	}
	if len(windows) == 0 {
		b.Fatal("no wave of displays")
	}
	return windows
}

// TestDisplayWaves is the displays' process of BenchmarkBigDay (it runs
// only when TURNO_WAVES_URL names a server): every waveEvery, displays
// subscribe at once, and a line "wave FROM TO" (Unix nanoseconds) says
// when, until its standard input closes.
func TestDisplayWaves(t *testing.T) {
	url := os.Getenv("TURNO_WAVES_URL")
	if url == "" {
		t.Skip("the displays' process of BenchmarkBigDay")
	}
	done := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); close(done) }()
	srv := &child{url: url}
	tick := time.NewTicker(waveEvery)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		from := time.Now()
		if err := subscribeWave(srv, displays, false); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("wave %d %d\n", from.UnixNano(), time.Now().UnixNano())
	}
}

// issueLoad has kiosks issue tickets at a steady pace (one every
// kioskEvery each) for issueFor; it returns the issues' latencies, each
// with the time it was sent.
func issueLoad(b *testing.B, srv *child) []issued {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: kiosks, MaxConnsPerHost: kiosks}}
	defer client.CloseIdleConnections()
	var mu sync.Mutex
	var out []issued
	var wg sync.WaitGroup
	var failed atomic.Value
	t0 := time.Now()
	for k := 0; k < kiosks; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Kiosks start spread over one period, as they would.
			for i := 0; ; i++ {
				at := t0.Add(time.Duration(k)*kioskEvery/kiosks + time.Duration(i)*kioskEvery)
				if at.Sub(t0) >= issueFor {
					return
				}
				time.Sleep(time.Until(at))
				body := fmt.Sprintf(`{"service":%q}`, bigServices[(i+k)%len(bigServices)])
				req, _ := http.NewRequest("POST", srv.url+"/api/v1/tickets", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer load-test-kiosk-token")
				sent := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						err = fmt.Errorf("issue: %d", resp.StatusCode)
					}
				}
				if err != nil {
					failed.Store(err)
					return
				}
				mu.Lock()
				out = append(out, issued{sent: sent, took: time.Since(sent)})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return out
}

// issued is one ticket's request: when it was sent and how long it took.
// servedIssues reads the issues from a stopped server's access log: when
// each began and how long the server took over it.
func servedIssues(b *testing.B, srv *child) []issued {
	b.Helper()
	line := regexp.MustCompile(`^time=(\S+) .*route=/api/v1/tickets status=201 duration_ms=([0-9.]+)`)
	var out []issued
	for _, l := range strings.Split(srv.stderr.String(), "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		end, err := time.Parse(time.RFC3339Nano, m[1])
		ms, err2 := strconv.ParseFloat(m[2], 64)
		if err != nil || err2 != nil {
			continue
		}
		took := time.Duration(ms * float64(time.Millisecond))
		out = append(out, issued{sent: end.Add(-took), took: took})
	}
	if len(out) == 0 {
		b.Fatal("no issue in the server's access log")
	}
	return out
}

// outside are the issues sent farther than guard from every window.
func outside(all []issued, windows []window, guard time.Duration) []issued {
	var out []issued
	for _, is := range all {
		near := false
		for _, w := range windows {
			near = near || (!is.sent.Before(w.from.Add(-guard)) && is.sent.Before(w.to.Add(guard)))
		}
		if !near {
			out = append(out, is)
		}
	}
	return out
}

type issued struct {
	sent time.Time
	took time.Duration
}

// window is a span of time: a wave of displays subscribing.
type window struct{ from, to time.Time }

// p99 is the 99th percentile of the latencies of the issues sent within
// one of windows (all of them when windows is nil), in ms, and their count.
func p99(all []issued, windows []window) (float64, int) { return pct(all, windows, 0.99) }

// pct is the p-th percentile of p99's latencies, and their count.
func pct(all []issued, windows []window, p float64) (float64, int) {
	var lat []time.Duration
	for _, is := range all {
		in := windows == nil
		for _, w := range windows {
			in = in || (!is.sent.Before(w.from) && is.sent.Before(w.to))
		}
		if in {
			lat = append(lat, is.took)
		}
	}
	if len(lat) == 0 {
		return 0, 0
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return float64(lat[int(float64(len(lat))*p)]) / float64(time.Millisecond), len(lat)
}
