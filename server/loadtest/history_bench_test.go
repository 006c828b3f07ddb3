package loadtest

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"testing"

	"turno/server/store"
)

// BenchmarkIssueHistory issues tickets on a database holding a long history
// (1,000,000 past tickets: 50 days of 20,000 with random ids, their ids
// indexed as the server's housekeeping does once a day is over) and, in the
// same run, on an empty one: the server's CPU time and the bytes it writes
// to the disk per ticket, the throughput and the p99 (the server in a child
// process, 64 connections, -benchtime Nx tickets; TURNO_BENCH_HISTORY sets
// the history). cpu-x and written-x are the history's cost over the empty
// file's (the goal: at most 1.15).
func BenchmarkIssueHistory(b *testing.B) {
	history := 1000000
	if v, err := strconv.Atoi(os.Getenv("TURNO_BENCH_HISTORY")); err == nil {
		history = v
	}
	dir := b.TempDir()
	turno := build(b, "turno/server", dir)
	cfgPath, cfg := writeBigOffice(b, dir)
	past := fixture(b, fmt.Sprintf("history-%d", history), func(db *store.Store) { playHistory(b, cfg, db, history) })
	type cost struct{ cpu, written, rps, p99 float64 }
	run := func(fixture string) cost {
		data := b.TempDir()
		if fixture != "" {
			copyFixture(b, fixture, data)
		}
		srv := start(b, turno, "-addr", "127.0.0.1:0", "-data", data, "-config", cfgPath)
		defer srv.stop()
		api := apiClient{b: b, url: srv.url}
		api.post("load-test-kiosk-token", "/api/v1/tickets", `{"service":"anagrafe"}`) // the day begins
		// The day's start has the keeper fold yesterday's figures for the
		// reports, once a day: not the cost of a ticket.
		srv.waitIdle(b)
		cpu0, w0 := srv.cpuSeconds(b), srv.writtenBytes(b)
		rps, p99 := loadFigures(b, srv.url+"/api/v1/tickets", "load-test-kiosk-token", func(i int) []byte {
			return []byte(fmt.Sprintf(`{"service":%q}`, bigServices[i%len(bigServices)]))
		}, http.StatusCreated)
		return cost{cpu: (srv.cpuSeconds(b) - cpu0) / float64(b.N), written: (srv.writtenBytes(b) - w0) / float64(b.N), rps: rps, p99: p99}
	}
	empty := run("")
	long := run(past)
	b.ReportMetric(empty.cpu*1e6, "empty-cpu-us/ticket")
	b.ReportMetric(long.cpu*1e6, "cpu-us/ticket")
	b.ReportMetric(long.cpu/empty.cpu, "cpu-x")
	b.ReportMetric(empty.written/1024, "empty-written-KB/ticket")
	b.ReportMetric(long.written/1024, "written-KB/ticket")
	b.ReportMetric(long.written/empty.written, "written-x")
	b.ReportMetric(empty.rps, "empty-req/s")
	b.ReportMetric(long.rps, "req/s")
	b.ReportMetric(empty.p99, "empty-p99-ms")
	b.ReportMetric(long.p99, "p99-ms")
	b.ReportMetric(0, "ns/op")
}
