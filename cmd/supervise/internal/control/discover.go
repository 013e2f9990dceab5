package control

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strings"
	"syscall"
	"time"
)

// discover returns the default sockets that a supervise answers on, for
// command name run without --socket. It tells stderr of the sockets it
// skips: those it does not trust, and the stale ones that a supervise
// which died (SIGKILL) left behind, so that they neither shadow the one
// running supervise nor count as a second.
func discover(name string, stderr io.Writer) []string {
	socks, skip := DefaultSockets()
	for _, s := range skip {
		fmt.Fprintf(stderr, "supervise %s: skipping %s: %s\n", name, escape(s.path), s.why)
	}
	var live []string
	for _, s := range socks {
		c, err := net.DialTimeout("unix", s, time.Second)
		if err != nil {
			fmt.Fprintf(stderr, "supervise %s: skipping %s: %s\n", name, escape(s), notAnswering(err))
			continue
		}
		c.Close()
		live = append(live, s)
	}
	return live
}

// notAnswering says in words why no supervise answered on a socket.
func notAnswering(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "no supervise answers on it (a stale socket of one that died)"
	case errors.Is(err, fs.ErrNotExist):
		return "no such socket"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return strings.TrimPrefix(err.Error(), "dial unix ")
}

// noneFound is the message when discover found no supervise.
func noneFound(name string) string {
	return fmt.Sprintf("supervise %s: no running supervise found in %s; pass --socket PATH", name, escape(Dir()))
}
