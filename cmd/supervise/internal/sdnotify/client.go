package sdnotify

import (
	"errors"
	"net"
	"os"
	"strconv"
	"time"
)

// The variables a service manager sets for its service.
const (
	envSocket        = "NOTIFY_SOCKET"
	envWatchdogUsec  = "WATCHDOG_USEC"
	envWatchdogPID   = "WATCHDOG_PID"
	sendTimeout      = time.Second // a manager that does not read is not waited for
	maxSocketPathLen = 107         // sun_path less its terminating NUL
)

// ErrBadSocket says that $NOTIFY_SOCKET names no socket this package can
// reach: not an absolute path nor an abstract '@' name, or too long.
var ErrBadSocket = errors.New("sdnotify: NOTIFY_SOCKET is neither an absolute path nor an @abstract name")

// Notifier sends messages to the service manager that started the process.
// The nil *Notifier is valid: it sends nothing and reports no watchdog.
type Notifier struct {
	addr     *net.UnixAddr
	watchdog time.Duration
}

// FromEnv reads $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID and
// removes them from the environment, so that the processes supervise starts
// do not talk to its manager as if they were supervise. It returns nil when
// NOTIFY_SOCKET is unset or empty.
//
// mainPID is the process that the manager knows as the service's main
// process, whose watchdog WATCHDOG_PID announces: os.Getpid(), or the PID of
// a parent that started this process on its behalf (supervise's guard). A
// watchdog for any other PID is not ours and is ignored, as sd_watchdog_enabled
// ignores it.
func FromEnv(mainPID int) (*Notifier, error) {
	socket := os.Getenv(envSocket)
	usec, pid := os.Getenv(envWatchdogUsec), os.Getenv(envWatchdogPID)
	for _, k := range []string{envSocket, envWatchdogUsec, envWatchdogPID} {
		os.Unsetenv(k)
	}
	if socket == "" {
		return nil, nil
	}
	addr, err := socketAddr(socket)
	if err != nil {
		return nil, err
	}
	return &Notifier{addr: addr, watchdog: watchdogInterval(usec, pid, mainPID)}, nil
}

// socketAddr is the address of a NOTIFY_SOCKET value. Go's net package
// turns a leading '@' into the NUL byte of an abstract name.
func socketAddr(s string) (*net.UnixAddr, error) {
	if (s[0] != '/' && s[0] != '@') || len(s) > maxSocketPathLen || (s[0] == '@' && len(s) == 1) {
		return nil, ErrBadSocket
	}
	return &net.UnixAddr{Name: s, Net: "unixgram"}, nil
}

// watchdogInterval is the watchdog timeout that the variables ask mainPID
// to honour, or 0 when there is none or it is another process's.
func watchdogInterval(usec, pid string, mainPID int) time.Duration {
	if usec == "" {
		return 0
	}
	if pid != "" {
		p, err := strconv.Atoi(pid)
		if err != nil || p != mainPID {
			return 0
		}
	}
	d, ok := parseUsec(usec)
	if !ok {
		return 0
	}
	return d
}

// WatchdogInterval is the manager's watchdog timeout (WatchdogSec=), or 0
// when it set none for us: while it is positive, the process must send
// WATCHDOG=1 more often than that, by convention every half of it.
func (n *Notifier) WatchdogInterval() time.Duration {
	if n == nil {
		return 0
	}
	return n.watchdog
}

// Notify sends state, newline-separated KEY=VALUE lines such as "READY=1",
// in one datagram. It sends nothing and returns nil on a nil Notifier. It
// never blocks for longer than a second: a manager that does not read its
// socket is not waited for.
func (n *Notifier) Notify(state string) error {
	if n == nil {
		return nil
	}
	// A socket per message, as sd_notify does: a manager that re-executed
	// has a new socket at the same address, which a connected socket
	// would not reach.
	c, err := net.DialUnix("unixgram", nil, n.addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SetWriteDeadline(time.Now().Add(sendTimeout)); err != nil {
		return err
	}
	_, err = c.Write([]byte(state))
	return err
}
