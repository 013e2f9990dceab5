package assemble

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/sdnotify"
	"github.com/arborgo/arbor/engine"
)

// notify is the sd_notify side of a process child with ready: {notify:
// true} or watchdog: a socket per run, named in the child's
// NOTIFY_SOCKET, that accepts messages only from the child's own process
// group.
type notify struct {
	addr  string // NOTIFY_SOCKET: an abstract name, so nothing is left on disk
	ready bool   // READY=1 makes the run ready
	log   *slog.Logger

	mu       sync.Mutex
	conn     *sdnotify.Conn // of the run under way
	ctx      context.Context
	status   string // the last STATUS=
	stopping bool   // STOPPING=1 since the run began
	readers  sync.WaitGroup
}

// newNotify returns the sd_notify side of the child at path, and the
// variables its process is given.
func newNotify(path string, ready bool, watchdog time.Duration, log *slog.Logger) (*notify, []string) {
	name := fmt.Sprintf("@supervise-%d-%s", os.Getpid(), path)
	if len(name) > 100 { // sun_path holds 108 bytes
		h := fnv.New64a()
		h.Write([]byte(path))
		name = fmt.Sprintf("@supervise-%d-%x", os.Getpid(), h.Sum64())
	}
	n := &notify{addr: name, ready: ready, log: log}
	env := []string{"NOTIFY_SOCKET=" + name}
	if watchdog > 0 {
		// No WATCHDOG_PID: the main PID is not known before the exec, and
		// sd_watchdog_enabled obeys WATCHDOG_USEC when it is unset.
		env = append(env, "WATCHDOG_USEC="+strconv.FormatInt(watchdog.Microseconds(), 10))
	}
	return n, env
}

// open binds the run's socket; ctx is the run's context.
func (n *notify) open(ctx context.Context) error {
	conn, err := sdnotify.Listen(n.addr)
	if err != nil {
		return fmt.Errorf("supervise: NOTIFY_SOCKET %s: %w", n.addr, err)
	}
	n.mu.Lock()
	n.conn, n.ctx, n.stopping = conn, ctx, false
	n.mu.Unlock()
	return nil
}

// started begins reading the run's messages, once its main process (the
// leader of its group) is known. Messages sent before are queued by the
// socket.
func (n *notify) started(pgid int) {
	n.mu.Lock()
	conn, ctx := n.conn, n.ctx
	n.mu.Unlock()
	if conn == nil {
		return
	}
	n.readers.Go(func() { n.read(ctx, conn, pgid) })
}

// close ends the run's socket and waits for its reader.
func (n *notify) close() {
	n.mu.Lock()
	conn := n.conn
	n.conn = nil
	n.mu.Unlock()
	if conn != nil {
		conn.Close()
	}
	n.readers.Wait()
}

func (n *notify) read(ctx context.Context, conn *sdnotify.Conn, pgid int) {
	for {
		cred, msg, err := conn.Read(ctx)
		if err != nil {
			return // closed, or the run is over
		}
		if !inGroup(cred.PID, pgid) {
			n.log.Debug("sd_notify message from outside the child's process group ignored",
				"event", "notify_ignored", "path", engine.Path(ctx), "sender", cred.PID)
			continue
		}
		n.handle(ctx, msg)
	}
}

func (n *notify) handle(ctx context.Context, msg sdnotify.Message) {
	if msg.HasStatus {
		n.mu.Lock()
		n.status = msg.Status
		n.mu.Unlock()
	}
	if msg.Stopping {
		n.mu.Lock()
		n.stopping = true
		n.mu.Unlock()
	}
	if msg.Ready && n.ready {
		engine.Ready(ctx)
	}
	if msg.Watchdog {
		engine.Alive(ctx)
	}
	if msg.ExtendTimeout > 0 {
		engine.ExtendStart(ctx, msg.ExtendTimeout)
	}
}

// Status returns the child's last STATUS= message.
func (n *notify) Status() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.status
}
