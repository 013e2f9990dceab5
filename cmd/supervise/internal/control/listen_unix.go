//go:build unix

package control

import (
	"net"
	"syscall"
)

// listenPrivate binds with a umask of 077, so that the socket is never,
// even for an instant, connectable by other users. It runs before any
// child starts, so the process-wide umask change affects nobody else.
func listenPrivate(path string) (*net.UnixListener, error) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	return net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
}
