package process

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"regexp"
	"syscall"
	"time"
)

// ReadyCheck says how a [Process] finds out that its process is ready to
// serve. At most one of TCP, Log, Exec and Exit may be set; the zero
// ReadyCheck means no check, and the process is ready as soon as it
// started.
//
// A check runs from the start of the process until it passes, Run's
// context ends or the process exits, whichever comes first. It does not
// time out by itself: the supervisor bounds the start.
type ReadyCheck struct {
	// TCP is an address ("host:port") that accepts a TCP connection once
	// the process is ready. It is dialled every Interval.
	TCP string
	// Log matches an output line, of stdout or stderr, that the process
	// writes once it is ready.
	Log *regexp.Regexp
	// Exec is a probe command (argv, no shell) run every Interval, in the
	// process's directory and environment, until it exits 0. Its output is
	// discarded; it runs in a process group of its own, killed when an
	// attempt takes longer than Timeout.
	Exec []string
	// Exit makes the process a one-shot step, such as a migration: it is
	// ready once it has exited 0, just before Run returns nil, so that a
	// supervisor starts the next sibling only then and counts any other
	// exit as a failure to start (an s6-rc oneshot, a Kubernetes init
	// container).
	Exit bool
	// Interval is the pause between two attempts of a TCP or Exec check;
	// 0 means 100ms.
	Interval time.Duration
	// Timeout bounds one attempt of a TCP or Exec check; 0 means 1s.
	Timeout time.Duration
}

func (c ReadyCheck) isZero() bool { return c.TCP == "" && c.Log == nil && c.Exec == nil && !c.Exit }

func (c ReadyCheck) validate() error {
	n := 0
	for _, set := range []bool{c.TCP != "", c.Log != nil, c.Exec != nil, c.Exit} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return errors.New("process: ReadyCheck: set only one of TCP, Log, Exec and Exit")
	case c.Exec != nil && len(c.Exec) == 0:
		return errors.New("process: ReadyCheck: Exec is empty")
	case c.Interval < 0 || c.Timeout < 0:
		return errors.New("process: ReadyCheck: negative Interval or Timeout")
	}
	return nil
}

func (c ReadyCheck) interval() time.Duration {
	if c.Interval == 0 {
		return 100 * time.Millisecond
	}
	return c.Interval
}

func (c ReadyCheck) timeout() time.Duration {
	if c.Timeout == 0 {
		return time.Second
	}
	return c.Timeout
}

// poll runs one TCP or Exec check until it passes, or ctx ends. It reports
// whether the check passed; a probe that cannot even start is a
// configuration error that no retry fixes, so poll logs it and gives up.
func (p *Process) poll(ctx context.Context, log *slog.Logger, l *launch) bool {
	c := p.cfg.Ready
	var last error // of the last attempt that ran to its own end
	for {
		actx, cancel := context.WithTimeout(ctx, c.timeout())
		var err error
		if l.tcp != "" {
			err = dialOnce(actx, l.tcp)
		} else {
			err = p.probeOnce(actx, l)
		}
		cancel()
		if err == nil {
			return true
		}
		if ctx.Err() == nil {
			last = err
		}
		var startErr *probeStartError
		if errors.As(err, &startErr) {
			log.LogAttrs(ctx, slog.LevelError, "readiness probe cannot start; giving up",
				slog.Any("error", startErr.err))
			return false
		}
		t := time.NewTimer(c.interval())
		select {
		case <-ctx.Done():
			t.Stop()
			// The start timed out or the process ended: say what the
			// check last saw, which the supervisor's "not ready within
			// its start timeout" cannot.
			if last != nil {
				log.LogAttrs(context.WithoutCancel(ctx), slog.LevelWarn, "ready check never passed",
					slog.String("check", l.checkName()), slog.String("error", last.Error()))
			}
			return false
		case <-t.C:
		}
	}
}

func dialOnce(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return conn.Close()
}

type probeStartError struct{ err error }

func (e *probeStartError) Error() string { return e.err.Error() }

// errNotRunning is a liveness probe's error when no run is under way.
var errNotRunning = errors.New("process: the process is not running")

// ProbeExec returns a liveness probe (for supervisor.Liveness.Probe) that
// runs argv once, as a ready check's Exec does: no shell, in the
// directory and environment of the run under way, in a process group of
// its own that is killed when ctx ends, with ${NAME} expanded as the run's
// Argv was when Config.Expand is set. It passes when argv exits 0.
func (p *Process) ProbeExec(argv []string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		p.mu.Lock()
		r := p.cur
		p.mu.Unlock()
		if r == nil || r.hasExited() {
			return errNotRunning
		}
		args, err := r.launch.expand(argv)
		if err != nil {
			return fmt.Errorf("process: probe: %w", err)
		}
		err = p.runProbe(ctx, r.launch, args)
		var startErr *probeStartError
		if errors.As(err, &startErr) {
			return startErr.err
		}
		return err
	}
}

// probeOnce runs the Exec probe once, killing its group when ctx ends.
func (p *Process) probeOnce(ctx context.Context, l *launch) error {
	return p.runProbe(ctx, l, l.exec)
}

func (p *Process) runProbe(ctx context.Context, l *launch, argv []string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	l.prepare(cmd)
	c, err := startChild(cmd, p.cfg.Set, nil)
	if err != nil {
		return &probeStartError{err}
	}
	stop := context.AfterFunc(ctx, func() { _ = c.signal(syscall.SIGKILL) })
	ws, err := c.wait()
	stop()
	if err != nil {
		return err
	}
	if !ws.Exited() || ws.ExitStatus() != 0 {
		return exitResult(c.pid, ws, false)
	}
	return nil
}
