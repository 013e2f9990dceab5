//go:build linux || darwin || freebsd

package control

import (
	"errors"
	"net"
)

// peerUID is the uid of the process at the other end of c, as the kernel
// recorded it at connect (see fdPeerUID), not what the peer says.
func peerUID(c net.Conn) (int, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return 0, errors.New("not a unix socket")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return 0, err
	}
	var uid int
	var serr error
	if err := raw.Control(func(fd uintptr) { uid, serr = fdPeerUID(int(fd)) }); err != nil {
		return 0, err
	}
	return uid, serr
}
