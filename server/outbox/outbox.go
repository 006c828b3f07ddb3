// Package outbox is the demo office's way of sending messages to citizens:
// each message is appended to a text file instead of going out by e-mail
// or SMS. The booking page's one-time codes are written there (web.Sender),
// so a demo, a test or an office that forwards the file by other means can
// read them. The file holds contacts and codes: it is created readable by
// its owner only.
package outbox

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// File appends messages to a file.
type File struct {
	path string
	now  func() time.Time
	mu   sync.Mutex // one message at a time, whole
}

// New returns a sender that appends to the file at path, creating it when
// missing; now dates the messages (nil: the clock).
func New(path string, now func() time.Time) *File {
	if now == nil {
		now = time.Now
	}
	return &File{path: path, now: now}
}

// Path is the file's path.
func (f *File) Path() string { return f.path }

// Send appends one message: a line with the time, the recipient and the
// subject, the body, and a blank line.
func (f *File) Send(ctx context.Context, to, subject, body string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	oneLine := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	msg := fmt.Sprintf("%s to=%s subject=%q\n%s\n\n", f.now().Format(time.RFC3339), oneLine(to), oneLine(subject), strings.TrimRight(body, "\n"))
	f.mu.Lock()
	defer f.mu.Unlock()
	file, err := os.OpenFile(f.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if _, err := file.WriteString(msg); err != nil {
		file.Close()
		return fmt.Errorf("outbox: %s: %w", f.path, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("outbox: %s: %w", f.path, err)
	}
	return nil
}
