package store

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"turno/server/queue"
)

// writeBytes is what this process has had written to storage so far.
func writeBytes(t testing.TB) int64 {
	t.Helper()
	data, _ := os.ReadFile("/proc/self/io")
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "write_bytes: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// BenchmarkIssueWrites measures the bytes written to storage per ticket
// issued, 20,000 tickets in commits of ten (the office's group commit at a
// busy morning's pace): each commit rewrites the pages it touches, so what
// matters is how many distinct pages a ticket dirties.
func BenchmarkIssueWrites(b *testing.B) {
	s, _ := open(b)
	day := "2026-12-02"
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	seq := uint64(1)
	const batch = 10
	n := 20000 * b.N
	b.ResetTimer()
	w0 := writeBytes(b)
	for i := 0; i < n; i += batch {
		var evs []queue.Event
		for j := 0; j < batch; j++ {
			var rb [16]byte
			_, _ = rand.Read(rb[:])
			id := hex.EncodeToString(rb[:])
			tk := &queue.Ticket{ID: id, Number: "A" + strconv.Itoa(i+j), Service: "anagrafe", Day: day, Status: queue.StatusWaiting, IssuedAt: at, QueuedAt: at}
			evs = append(evs, queue.Event{Seq: seq, Type: queue.EventTicketIssued, Day: day, At: at, Ticket: tk})
			seq++
		}
		if err := s.Append(evs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(writeBytes(b)-w0)/float64(n)/1024, "KB/ticket")
}
