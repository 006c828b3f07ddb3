//go:build unix

package store

import (
	"os"
	"syscall"
)

// takeOwner gives path the owner of dir when root writes it: a restore run
// with sudo leaves a database that the server's own user (a systemd
// DynamicUser, a container's user) can open.
func takeOwner(path, dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	return os.Chown(path, int(st.Uid), int(st.Gid))
}
