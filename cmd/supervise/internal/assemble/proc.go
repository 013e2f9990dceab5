package assemble

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/engine/process"
)

// Proc is the engine of one process child: an *process.Process, plus how
// its last run ended (Run's result, for status output), its PID and the
// start and end of each process group (for status and the guard, from the
// engine's OnStart and OnExit hooks), and the child's own stop timeout. The supervisor's
// shutdown bound for the child is longer by [KillGrace], so that after the
// stop timeout the process group is SIGKILLed and reaped rather than
// abandoned.
type Proc struct {
	inner *process.Process
	path  string
	// timeout is the stop signal → SIGKILL time, in nanoseconds; 0 means
	// SIGKILL at once. A reload changes it in place (SetShutdown).
	timeout atomic.Int64
	onGroup func(pgid int, alive bool)
	notify  *notify // nil unless ready: {notify: true} or watchdog:

	pid atomic.Int64

	mu      sync.Mutex
	last    Exit // of the last run that ended
	ended   bool // some run has ended
	running bool // a run is under way and its main process has not exited
	asked   bool // Stop was called during the run under way
}

// Exit is how a run of a process child ended.
type Exit struct {
	// Err is Run's result: nil for exit code 0, an *process.ExitError for
	// another exit, or the start error.
	Err error
	// Stopped reports that the run ended after supervise asked it to stop
	// (a group restart, a shutdown), whatever its exit status: a program
	// that exits 0 on SIGTERM was stopped all the same.
	Stopped bool
}

// EnvPath is the environment variable that every process child is given,
// holding its path. Its descendants inherit it, so that an orphan
// re-parented to supervise can be traced back to the child it came from.
const EnvPath = "SUPERVISE_PATH"

// Current returns the PID of the main process of the run under way (0
// while it is being started) and true, or false when no process runs.
func (p *Proc) Current() (pid int, running bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return int(p.pid.Load()), p.running
}

// KillGrace is how long a process child is given, after the SIGKILL that
// ends its stop timeout, for its group to die and its output to drain.
const KillGrace = 2 * time.Second

// PID returns the PID of the running process, or 0 when none runs.
func (p *Proc) PID() int { return p.inner.PID() }

// LastExit returns how the last run ended, and false when no run has
// ended yet.
func (p *Proc) LastExit() (Exit, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last, p.ended
}

// ReportsReady forwards the engine's answer: a process is ready when its
// readiness check passes or, without one, as soon as its exec succeeded,
// so a missing binary is a start failure of the child.
func (p *Proc) ReportsReady() bool { return p.inner.ReportsReady() }

// Run runs the process once and records how it ended.
func (p *Proc) Run(ctx context.Context) error {
	inner := ctx
	if n := p.notify; n != nil {
		if err := n.open(ctx); err != nil {
			return err
		}
		defer n.close()
		if n.ready {
			// READY=1 makes the run ready, not the start of the process.
			inner = engine.WithReady(ctx, func() {})
		}
	}
	p.mu.Lock()
	p.running, p.asked = true, false
	p.mu.Unlock()
	err := p.inner.Run(inner)
	if pid := p.pid.Swap(0); pid != 0 && p.onGroup != nil {
		p.onGroup(int(pid), false) // a run whose OnExit did not come
	}
	p.mu.Lock()
	// The engine marks a stopped exit only when it is not 0, and a stop
	// is asked by Stop or by the end of Run's context.
	stopped := p.asked || ctx.Err() != nil || errors.Is(err, process.ErrStopped)
	p.last, p.ended, p.running = Exit{Err: err, Stopped: stopped}, true, false
	p.mu.Unlock()
	return err
}

// Stop sends the stop signal to the process group and SIGKILLs the group
// once the child's own stop timeout has passed, or ctx ended.
func (p *Proc) Stop(ctx context.Context) error {
	p.mu.Lock()
	// The supervisor also calls Stop after a run that ended on its own;
	// only a Stop during the run is a request.
	p.asked = p.asked || p.running
	p.mu.Unlock()
	bound := time.Duration(p.timeout.Load())
	if bound <= 0 {
		bound = KillGrace // the stop signal is SIGKILL already
	}
	ctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	return p.inner.Stop(ctx)
}

// SetShutdown changes the child's stop timeout in place, for the stops
// that begin after it: only between two positive values, since a zero
// one stops with SIGKILL instead of the stop signal, a choice made as the
// engine is built (see ShutdownInPlace).
func (p *Proc) SetShutdown(d time.Duration) {
	if d > 0 && p.timeout.Load() > 0 {
		p.timeout.Store(int64(d))
	}
}

// NotifyStatus returns the last STATUS= that the child sent over its
// NOTIFY_SOCKET, or "".
func (p *Proc) NotifyStatus() string {
	if p.notify == nil {
		return ""
	}
	return p.notify.Status()
}

// newProc builds the engine of a process child; n, if not nil, is its
// sd_notify side, whose variables cfg.Env has already.
func newProc(path string, cfg process.Config, timeout time.Duration, log *slog.Logger, onGroup func(int, bool), n *notify) *Proc {
	p := &Proc{path: path, onGroup: onGroup, notify: n}
	p.timeout.Store(int64(timeout))
	if timeout <= 0 {
		// shutdown: 0s kills at once, without a stop signal first.
		cfg.StopSignal = syscall.SIGKILL
		cfg.CancelGrace = -1
	} else {
		cfg.CancelGrace = timeout
	}
	cfg.Logger = log
	cfg.OnStart = func(pid int) {
		p.pid.Store(int64(pid))
		if p.notify != nil {
			p.notify.started(pid)
		}
		if onGroup != nil {
			onGroup(pid, true)
		}
	}
	cfg.OnExit = func(pid int, _ error) {
		p.mu.Lock()
		p.running = false // before onGroup, which may look for orphans
		p.mu.Unlock()
		if p.pid.CompareAndSwap(int64(pid), 0) && onGroup != nil {
			onGroup(pid, false)
		}
	}
	// Last, so that the child's own env cannot hide where it came from.
	cfg.Env = append(cfg.Env, EnvPath+"="+path)
	p.inner = process.New(cfg)
	return p
}

// Signal sends sig to the process group of the run under way and reports
// whether one was under way; see process.Process.Signal.
func (p *Proc) Signal(sig syscall.Signal) (bool, error) { return p.inner.Signal(sig) }
