package control

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"
	"time"
)

// ErrInUse is returned by Listen when a live supervise answers on the
// socket already.
var ErrInUse = errors.New("socket in use by a running supervise")

// Listen creates the Unix socket at path with mode 0600. A live socket,
// one that accepts a connection, is never taken over: Listen returns an
// error wrapping ErrInUse. A stale one, left by a supervise that died, is
// removed first. A path that exists and is not a socket is left alone and
// is an error.
func Listen(path string) (*net.UnixListener, error) {
	fi, err := os.Lstat(path)
	switch {
	case err == nil && fi.Mode().Type() != fs.ModeSocket:
		return nil, fmt.Errorf("%s exists and is not a socket", path)
	case err == nil:
		c, derr := net.DialTimeout("unix", path, time.Second)
		if derr == nil {
			c.Close()
			return nil, fmt.Errorf("%s: %w", path, ErrInUse)
		}
		if !errors.Is(derr, syscall.ECONNREFUSED) && !errors.Is(derr, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: cannot tell whether it is in use: %w", path, derr)
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove stale socket: %w", err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	l, err := listenPrivate(path)
	if err != nil {
		return nil, err
	}
	// The socket file is ours to remove, not the listener's: a Close
	// must not delete a socket that another run has taken since.
	l.SetUnlinkOnClose(false)
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}
