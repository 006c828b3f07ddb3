//go:build unix

package store

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Run as root (sudo, for a systemd DynamicUser's or a container's data),
// the restored database belongs to the data directory's owner, who runs
// the server.
func TestRestoreAsRootGivesTheDatabaseToTheDirectorysOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	from := backupOf(t, 5)
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	const uid, gid = 61234, 61235
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "turno.db")
	if _, err := Restore(from, path, restoredAt); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st := info.Sys().(*syscall.Stat_t); st.Uid != uid || st.Gid != gid || info.Mode().Perm() != 0o600 {
		t.Fatalf("the restored database: owner %d:%d, mode %v; want %d:%d, 0600", st.Uid, st.Gid, info.Mode().Perm(), uid, gid)
	}
}
