package sdnotify

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// ServerSupported reports whether Listen works on this platform.
const ServerSupported = true

// maxFDs is how many descriptors a message may carry that Conn still
// receives, to close them: the kernel discards those that do not fit.
const maxFDs = 16

// Conn receives sd_notify messages on a datagram socket. Its methods may
// be called from any goroutine; Reads take turns.
type Conn struct {
	c    *net.UnixConn
	path string // "" for an abstract name: nothing to remove

	mu  sync.Mutex // one Read at a time: they share the buffers
	buf []byte
	oob []byte

	oversize, anonymous atomic.Uint64
}

// Listen binds a datagram socket at path (a file path, or an abstract name
// written "@name") that asks the kernel for each sender's credentials. The
// path must not exist. Close removes it.
func Listen(path string) (*Conn, error) {
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		// Before bind, so that no datagram arrives without credentials.
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_PASSCRED, 1)
		}); err != nil {
			return err
		}
		return serr
	}}
	pc, err := lc.ListenPacket(context.Background(), "unixgram", path)
	if err != nil {
		return nil, err
	}
	c := &Conn{c: pc.(*net.UnixConn), buf: make([]byte, MaxDatagram),
		oob: make([]byte, unix.CmsgSpace(unix.SizeofUcred)+unix.CmsgSpace(4*maxFDs))}
	if path != "" && path[0] != '@' {
		c.path = path
	}
	return c, nil
}

// Read returns the next message and who sent it. It drops, counts (see
// Dropped) and reads past the datagrams it cannot use, and closes any
// descriptors a message carried. It returns ctx.Err() once ctx ends, and
// net.ErrClosed after Close.
func (c *Conn) Read(ctx context.Context) (Cred, Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	deadline, _ := ctx.Deadline() // zero: none
	if err := c.c.SetReadDeadline(deadline); err != nil {
		return Cred{}, Message{}, err
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(fired)
		_ = c.c.SetReadDeadline(time.Unix(1, 0))
	})
	defer func() {
		if !stop() {
			<-fired // its deadline must not land on the next Read
		}
	}()
	for {
		n, oobn, flags, _, err := c.c.ReadMsgUnix(c.buf, c.oob)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				if ctx.Err() != nil {
					return Cred{}, Message{}, ctx.Err()
				}
				// The socket's clock can run out before ctx's timer fires.
				if !deadline.IsZero() && !time.Now().Before(deadline) {
					return Cred{}, Message{}, context.DeadlineExceeded
				}
			}
			return Cred{}, Message{}, err
		}
		cred, ok := controlCred(c.oob[:oobn])
		switch {
		case flags&unix.MSG_TRUNC != 0:
			c.oversize.Add(1)
		case !ok || cred.PID <= 0:
			c.anonymous.Add(1)
		default:
			return cred, Parse(c.buf[:n]), nil
		}
	}
}

// controlCred finds the sender's credentials in a message's control data,
// and closes the descriptors it carried.
func controlCred(oob []byte) (Cred, bool) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return Cred{}, false
	}
	var cred Cred
	found := false
	for _, m := range msgs {
		if m.Header.Level != unix.SOL_SOCKET {
			continue
		}
		switch m.Header.Type {
		case unix.SCM_CREDENTIALS:
			if u, err := unix.ParseUnixCredentials(&m); err == nil {
				cred, found = Cred{PID: int(u.Pid), UID: int(u.Uid), GID: int(u.Gid)}, true
			}
		case unix.SCM_RIGHTS:
			fds, _ := unix.ParseUnixRights(&m)
			for _, fd := range fds {
				unix.Close(fd)
			}
		}
	}
	return cred, found
}

// Dropped returns what Read has thrown away so far.
func (c *Conn) Dropped() Dropped {
	return Dropped{Oversize: c.oversize.Load(), Anonymous: c.anonymous.Load()}
}

// LocalAddr is the socket's address, the value to give a child as
// NOTIFY_SOCKET.
func (c *Conn) LocalAddr() string { return c.c.LocalAddr().String() }

// Close closes the socket and removes its file; a Read in progress returns
// net.ErrClosed.
func (c *Conn) Close() error {
	err := c.c.Close()
	if c.path != "" {
		if rerr := os.Remove(c.path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
			err = rerr
		}
	}
	return err
}
