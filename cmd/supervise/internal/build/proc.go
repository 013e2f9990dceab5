package build

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/arborgo/arbor/engine"
)

// Proc is the engine of one process child: an *engine.Process, plus how
// its last run ended (Run's result, for status output), its PID and the
// start and end of each process group (for status and the guard, from the
// engine's OnStart and OnExit hooks), and the child's own stop timeout. The supervisor's
// shutdown bound for the child is longer by [KillGrace], so that after the
// stop timeout the process group is SIGKILLed and reaped rather than
// abandoned.
type Proc struct {
	inner   *engine.Process
	path    string
	timeout time.Duration // stop signal → SIGKILL; 0 means SIGKILL at once
	onGroup func(pgid int, alive bool)

	pid atomic.Int64

	mu      sync.Mutex
	lastErr error // of the last run that ended
	ended   bool  // some run has ended
	running bool  // a run is under way and its main process has not exited
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

// Path returns the child's supervision path, such as "shop/db".
func (p *Proc) Path() string { return p.path }

// PID returns the PID of the running process, or 0 when none runs.
func (p *Proc) PID() int { return p.inner.PID() }

// LastExit returns the error of the last run that ended (nil for exit
// code 0), and false when no run has ended yet.
func (p *Proc) LastExit() (error, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastErr, p.ended
}

// ReportsReady forwards the engine's answer: a process is ready when its
// readiness check passes or, without one, as soon as its exec succeeded,
// so a missing binary is a start failure of the child.
func (p *Proc) ReportsReady() bool { return p.inner.ReportsReady() }

// Run runs the process once and records how it ended.
func (p *Proc) Run(ctx context.Context) error {
	p.mu.Lock()
	p.running = true
	p.mu.Unlock()
	err := p.inner.Run(ctx)
	if pid := p.pid.Swap(0); pid != 0 && p.onGroup != nil {
		p.onGroup(int(pid), false) // a run whose OnExit did not come
	}
	p.mu.Lock()
	p.lastErr, p.ended, p.running = err, true, false
	p.mu.Unlock()
	return err
}

// Stop sends the stop signal to the process group and SIGKILLs the group
// once the child's own stop timeout has passed, or ctx ended.
func (p *Proc) Stop(ctx context.Context) error {
	bound := p.timeout
	if bound <= 0 {
		bound = KillGrace // the stop signal is SIGKILL already
	}
	ctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	return p.inner.Stop(ctx)
}

// newProc builds the engine of a process child.
func newProc(path string, cfg engine.ProcessConfig, timeout time.Duration, log *slog.Logger, onGroup func(int, bool)) *Proc {
	p := &Proc{path: path, timeout: timeout, onGroup: onGroup}
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
	p.inner = engine.NewProcess(cfg)
	return p
}
