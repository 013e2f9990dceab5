package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/sdnotify"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// statusEvery bounds how often supervise tells systemd its STATUS: a tree
// that restarts in a loop must not flood the manager.
const statusEvery = time.Second

// systemdNotifier reads the environment systemd gave the service, for
// Options.Systemd, and removes it, so that the children supervise starts do
// not take supervise's socket and watchdog for theirs. Under the parent
// guard, systemd's main process is the guard, our parent: the watchdog it
// announces for that PID is ours to keep.
func systemdNotifier(log *slog.Logger) *sdnotify.Notifier {
	mainPID := os.Getpid()
	if parentGuarded {
		mainPID = os.Getppid()
	}
	n, err := sdnotify.FromEnv(mainPID)
	if err != nil {
		log.Warn("NOTIFY_SOCKET ignored; systemd will not hear from supervise", "event", "notify_failed", "error", err.Error())
	}
	return n
}

// systemd tells the service manager where supervise is: READY=1 once the
// root supervisor reported ready (its ordered start completed), STATUS=
// when the counts of children by state change, STOPPING=1 when a shutdown
// begins, and WATCHDOG=1 while the root supervisor's loop answers. A nil
// *systemd does nothing: supervise was not started by a service manager.
type systemd struct {
	n    *sdnotify.Notifier
	root *supervisor.Supervisor
	log  *slog.Logger

	readyOnce, stopOnce, warnOnce sync.Once
	ready, stop                   chan struct{}
	status                        chan string // the latest summary, not yet sent

	cancel  context.CancelFunc
	sent    chan struct{} // closed when the sender has ended
	polled  chan struct{} // closed when the status poller has ended
	watched chan struct{} // closed when the watchdog has ended
}

// startSystemd starts telling n about root, or returns nil for a nil n.
func startSystemd(n *sdnotify.Notifier, root *supervisor.Supervisor, log *slog.Logger) *systemd {
	if n == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &systemd{n: n, root: root, log: log, ready: make(chan struct{}), stop: make(chan struct{}),
		status: make(chan string, 1), cancel: cancel, sent: make(chan struct{}), polled: make(chan struct{}),
		watched: make(chan struct{})}
	go s.send(ctx)
	go s.poll(ctx)
	if d := n.WatchdogInterval(); d > 0 {
		log.Info("pinging systemd's watchdog", "event", "watchdog", "interval", d)
		w := sdnotify.Watchdog{Interval: d, Answer: func() { root.Snapshot() },
			Ping: func() { s.notify("WATCHDOG=1") },
			Missed: func() {
				log.Error("the root supervisor did not answer; not pinging systemd's watchdog", "event", "watchdog_missed")
			}}
		go func() { defer close(s.watched); w.Run(ctx) }()
	} else {
		close(s.watched)
	}
	return s
}

// withReady returns ctx for the root supervisor's run: its engine.Ready,
// which a supervisor calls once all its children started in order, reaches
// s; and the end of ctx, a shutdown, is announced. It returns ctx itself
// for a nil s.
func (s *systemd) withReady(ctx context.Context) context.Context {
	if s == nil {
		return ctx
	}
	context.AfterFunc(ctx, s.stopping)
	return engine.WithReady(ctx, s.signalReady)
}

// onSignal wraps the signal hook of arbor.RunWith: a stop signal announces
// the shutdown it begins.
func (s *systemd) onSignal(next func(os.Signal, bool)) func(os.Signal, bool) {
	if s == nil {
		return next
	}
	return func(sig os.Signal, stop bool) {
		if stop {
			s.stopping()
		}
		next(sig, stop)
	}
}

// signalReady is the root supervisor's engine.Ready. It runs on the
// supervisor's goroutine, so it only hands the news on.
func (s *systemd) signalReady() { s.readyOnce.Do(func() { close(s.ready) }) }

// stopping says that a shutdown began. It is safe on a nil s and more than
// once, and returns at once.
func (s *systemd) stopping() {
	if s != nil {
		s.stopOnce.Do(func() { close(s.stop) })
	}
}

// close sends STOPPING=1 if no shutdown was announced yet (the tree ended
// on its own), and ends the loops. The status poller, which may wait on a
// supervisor that hangs, is waited for only briefly; so is the watchdog's
// question in flight, which is not waited for at all.
func (s *systemd) close() {
	if s == nil {
		return
	}
	s.stopping()
	<-s.sent
	s.cancel()
	<-s.watched // it waits on nothing once ctx ended
	select {
	case <-s.polled:
	case <-time.After(statusEvery):
	}
}

// send sends READY=1, STATUS= and STOPPING=1, in the order they happened,
// until STOPPING=1 is sent or ctx ends.
func (s *systemd) send(ctx context.Context) {
	defer close(s.sent)
	ready := s.ready
	for {
		select {
		case <-ready:
			ready = nil
			s.notify("READY=1")
		case st := <-s.status:
			s.notify("STATUS=" + st)
		case <-s.stop:
			select { // ready, then stopped at once: both are news
			case <-ready:
				s.notify("READY=1")
			default:
			}
			s.notify("STOPPING=1\nSTATUS=stopping")
			return
		case <-ctx.Done():
			return
		}
	}
}

// poll offers the sender a summary of the tree whenever it changed, at
// most once every statusEvery.
func (s *systemd) poll(ctx context.Context) {
	defer close(s.polled)
	t := time.NewTicker(statusEvery)
	defer t.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		sum := summary(s.root.Tree(ctx))
		if sum == last {
			continue
		}
		last = sum
		select { // the newest replaces one the sender has not taken
		case <-s.status:
		default:
		}
		s.status <- sum
	}
}

// notify sends state; the first failure is logged, the rest are not: a
// manager that went away would otherwise fill the log.
func (s *systemd) notify(state string) {
	if err := s.n.Notify(state); err != nil {
		s.warnOnce.Do(func() {
			s.log.Warn("cannot notify systemd; further failures are not logged", "event", "notify_failed", "error", err.Error())
		})
	}
}

// stateWords are the states of a summary, in its order.
var stateWords = []struct {
	state supervisor.State
	word  string
}{
	{supervisor.StateRunning, "running"}, {supervisor.StateStarting, "starting"},
	{supervisor.StateBackingOff, "backing off"}, {supervisor.StateStopping, "stopping"},
	{supervisor.StateStopped, "stopped"}, {supervisor.StateAbandoned, "abandoned"},
}

// summary counts the tree's processes (its leaves) by state, such as
// "12 running, 1 backing off".
func summary(snap *supervisor.Snapshot) string {
	counts := map[supervisor.State]int{}
	var walk func(*supervisor.Snapshot)
	walk = func(s *supervisor.Snapshot) {
		if s == nil {
			return
		}
		for _, c := range s.Children {
			if _, group := c.Engine.(*supervisor.Supervisor); group {
				walk(c.Sub)
			} else {
				counts[c.State]++
			}
		}
	}
	walk(snap)
	var parts []string
	for _, sw := range stateWords {
		if n := counts[sw.state]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sw.word))
		}
	}
	if len(parts) == 0 {
		return "no processes"
	}
	return strings.Join(parts, ", ")
}
