//go:build darwin || freebsd

package control

import "golang.org/x/sys/unix"

// fdPeerUID reads the peer's uid with LOCAL_PEERCRED, macOS's and
// FreeBSD's SO_PEERCRED.
func fdPeerUID(fd int) (int, error) {
	cred, err := unix.GetsockoptXucred(fd, unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	if err != nil {
		return 0, err
	}
	return int(cred.Uid), nil
}
