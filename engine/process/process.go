package process

import (
	"context"
	"errors"
	"log/slog"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/arborgo/arbor/engine"
)

// Config configures a [Process].
type Config struct {
	// Argv is the command and its arguments, run without a shell. Argv[0]
	// is looked up in the supervisor's $PATH unless it contains a slash.
	Argv []string
	// Dir is the working directory; "" means the supervisor's.
	Dir string
	// Env holds "KEY=value" entries added to the supervisor's environment,
	// overriding variables of the same name. The child always inherits the
	// rest of the supervisor's environment.
	Env []string
	// EnvFiles are environment files (see [ReadEnvFile]) read at every
	// start, in order, between the supervisor's environment and Env: a
	// later file overrides an earlier one, and Env overrides them all. A
	// path starting with "-" is optional; a missing required file, or a
	// malformed one, fails the start with an error naming it.
	EnvFiles []string
	// Identity is the user, umask and resource limits the process runs
	// with; the zero value is the supervisor's own.
	Identity Identity
	// Expand makes every start expand ${NAME} (see [ExpandEnv]) in Argv,
	// Dir, the values of Env and the Ready check's TCP and Exec (and
	// ProbeExec's argv at each probe), from the supervisor's environment
	// and EnvFiles, the files winning. A variable that is unset then fails
	// the start with an error naming it.
	Expand bool
	// StopSignal is sent to the process group to stop it; 0 means SIGTERM.
	StopSignal syscall.Signal
	// CancelGrace is how long Run waits, after its context ended without
	// Stop having been called, between sending StopSignal and SIGKILLing
	// the group. 0 means 1s; a negative value means SIGKILL at once.
	CancelGrace time.Duration
	// Logger receives the process's output, one record per line (unless
	// InheritOutput), and its starts and exits; nil discards them.
	Logger *slog.Logger
	// InheritOutput gives the process the supervisor's own standard
	// output and standard error, as a shell gives its commands, instead
	// of logging its lines: nothing is read, split or re-encoded, and
	// nothing can be held up by a slow logger. A container's one program
	// (supervise exec) runs so, as under tini. Ready.Log, which reads the
	// lines, cannot be used with it.
	InheritOutput bool
	// Ready is the readiness check; the zero value means none.
	Ready ReadyCheck
	// Set, when not nil, is the registry the process group joins while it
	// is alive.
	Set *Set
	// OnStart, when set, is called on Run's goroutine with the main
	// process's PID (also its process group ID) as soon as it started,
	// before any readiness check. It must not block.
	OnStart func(pid int)
	// OnExit, when set, is called on Run's goroutine once the main process
	// and its group are gone and its output is drained, with the PID and
	// what Run is about to return. It must not block.
	OnExit func(pid int, err error)
}

// Validate reports the mistakes in c that Run refuses before starting
// anything (an empty Argv, an invalid [ReadyCheck]), so that a program that
// builds processes from its own configuration can reject them when it loads
// it rather than at the first start. A missing binary or directory is not
// among them: Run finds it when it starts the process.
func (c Config) Validate() error {
	if len(c.Argv) == 0 || c.Argv[0] == "" {
		return errors.New("process: Config: empty Argv")
	}
	if err := c.Identity.validate(); err != nil {
		return err
	}
	if c.InheritOutput && c.Ready.Log != nil {
		return errors.New("process: Config: Ready.Log reads the output, which InheritOutput leaves to the supervisor's own stdout and stderr")
	}
	return c.Ready.validate()
}

// Process is an [engine.Engine] that runs an OS process. Each Run starts the
// command afresh, in a process group of its own, and returns when the main
// process exits: nil for exit code 0, a [*ExitError] otherwise, or the
// start error (which wraps the OS error, so errors.Is(err, fs.ErrNotExist)
// and errors.Is(err, fs.ErrPermission) work). When Run returns, the whole
// group is dead: whatever the main process left behind is SIGKILLed, so
// that a restart finds its ports free. On Linux the process also gets
// SIGKILL if the supervisor dies (a parent-death signal).
//
// Stop sends the stop signal to the group and waits for the main process
// to exit; when Stop's context ends first, it SIGKILLs the group. An end of
// Run's context without Stop does the same, with [Config.CancelGrace]
// as the bound.
//
// Every line the process writes to stdout or stderr becomes a record of
// the configured logger (unless [Config.InheritOutput] gives the process
// the supervisor's own), with the line as message and the attributes
// "path" ([engine.Path] of Run's context) and "stream" ("stdout" or "stderr").
// Both streams are logged at level Info: many programs, Go's log package
// among them, write their ordinary diagnostics to stderr, and a warning
// level would cry wolf for them; filter on "stream" instead. Lines longer
// than 64 KiB are logged in pieces; a last line without newline is logged
// too, and Run returns only once all output was logged. The pipes are read
// without pause for the whole run, so a child is only ever slowed down by a
// logger slower than its output, never stopped. A process that left the
// group (setsid) and still holds a pipe open is the one exception to "all
// output": Run reads for two more seconds, then drains what is buffered,
// logs a warning and returns.
//
// A Process runs one process at a time; build one per supervised child.
type Process struct {
	cfg Config
	log *slog.Logger

	mu  sync.Mutex
	cur *procRun // the current or last run
}

// New returns a Process for cfg. It does not start anything and does
// not validate cfg: Run does, and returns the error.
func New(cfg Config) *Process {
	cfg.Argv = append([]string(nil), cfg.Argv...)
	cfg.Env = append([]string(nil), cfg.Env...)
	if cfg.StopSignal == 0 {
		cfg.StopSignal = syscall.SIGTERM
	}
	if cfg.CancelGrace == 0 {
		cfg.CancelGrace = time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Process{cfg: cfg, log: log}
}

// ReportsReady reports true: Run calls [engine.Ready] once the readiness check
// passed or, without a check, as soon as the exec succeeded. So a command
// that cannot be executed (a missing binary) is a failure to start, not a
// run that ended at once.
func (p *Process) ReportsReady() bool { return true }

// Stop stops the current run's process group, see [Process]. It returns
// nil once the main process exited, or an error wrapping Stop's context
// error when the group had to be SIGKILLed. Before Run, or after Run
// returned, it does nothing.
func (p *Process) Stop(ctx context.Context) error {
	p.mu.Lock()
	r := p.cur
	p.mu.Unlock()
	if r == nil {
		return nil
	}
	return r.stop(ctx)
}

// prepare sets what the main process and the readiness probes share.
func (l *launch) prepare(cmd *exec.Cmd) {
	cmd.Dir = l.dir
	cmd.Env = l.env
}

// Run starts the process and waits for it, see [Process]. With a context
// that is already done it starts nothing and returns the context's error.
func (p *Process) Run(ctx context.Context) error {
	if err := p.cfg.Validate(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		// Starting only to stop at once would be a pointless SIGTERM.
		return err
	}
	l, err := p.resolve()
	if err != nil {
		return err
	}
	r := newProcRun(p.cfg.StopSignal)
	r.launch = l
	p.mu.Lock()
	if prev := p.cur; prev != nil && !prev.hasExited() {
		p.mu.Unlock()
		return errors.New("process: Process.Run called while it is running")
	}
	p.cur = r
	p.mu.Unlock()

	out, err := p.openStreams()
	if err != nil {
		r.markExited()
		return err
	}
	argv := p.cfg.Identity.wrap(l.argv)
	cmd := exec.Command(argv[0], argv[1:]...)
	l.prepare(cmd)
	cmd.Stdout, cmd.Stderr = out.w[0], out.w[1]
	// A helper sets the credentials itself, after the limits that only
	// root may raise.
	var cred *Credential
	if !p.cfg.Identity.needsHelper() {
		cred = p.cfg.Identity.Credential
	}
	c, err := startChild(cmd, p.cfg.Set, cred)
	out.closeWrite()
	if err != nil {
		out.closeRead()
		r.markExited()
		return err
	}
	r.attach(c)

	path := engine.Path(ctx)
	log := p.log.With(slog.String("path", path))
	log.LogAttrs(ctx, slog.LevelInfo, "process started", slog.Int("pid", c.pid))
	if p.cfg.OnStart != nil {
		p.cfg.OnStart(c.pid)
	}

	// alive ends when the main process exited: checks stop then.
	alive, endAlive := context.WithCancel(ctx)
	defer endAlive()
	var ready sync.Once
	signalReady := func() {
		if alive.Err() == nil {
			ready.Do(func() { engine.Ready(ctx) })
		}
	}

	emit := [2]func([]byte){
		p.lineEmitter(ctx, log, streamNames[0], signalReady),
		p.lineEmitter(ctx, log, streamNames[1], signalReady),
	}
	pumps := out.pump(p, emit)

	var helpers sync.WaitGroup
	if c := p.cfg.Ready; c.TCP != "" || c.Exec != nil {
		helpers.Go(func() {
			if p.poll(alive, log, l) {
				signalReady()
			}
		})
	}
	// No goroutine waits for the end of ctx: an idle child costs less.
	cancelled := make(chan struct{})
	stopAfter := context.AfterFunc(ctx, func() {
		defer close(cancelled)
		p.stopOnCancel(ctx, r)
	})
	if p.cfg.Ready.isZero() {
		signalReady()
	}

	ws, waitErr := c.wait()
	r.markExited()
	endAlive()

	drainTimer := time.AfterFunc(drainGrace, pumps.stopWaiting)
	if err := pumps.wait(); err != nil {
		log.LogAttrs(ctx, slog.LevelWarn, "process output", slog.Any("error", err))
	}
	drainTimer.Stop()
	out.closeRead()
	helpers.Wait()
	if !stopAfter() {
		<-cancelled
	}

	if waitErr != nil {
		p.exited(c.pid, waitErr)
		return waitErr
	}
	res := exitResult(c.pid, ws, r.stopRequested())
	log.LogAttrs(ctx, slog.LevelInfo, "process exited", slog.Int("pid", c.pid), slog.Any("result", res))
	p.exited(c.pid, res)
	if res == nil && p.cfg.Ready.Exit {
		engine.Ready(ctx) // a one-shot step is ready once done
	}
	return res
}

func (p *Process) exited(pid int, res error) {
	if p.cfg.OnExit != nil {
		p.cfg.OnExit(pid, res)
	}
}

// stopOnCancel stops the run when Run's context ends before the process
// exited, because an abandoned process group would outlive its engine.
func (p *Process) stopOnCancel(ctx context.Context, r *procRun) {
	select {
	case <-r.exited:
		return
	case <-ctx.Done():
	}
	if p.cfg.CancelGrace < 0 {
		r.request(syscall.SIGKILL)
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.cfg.CancelGrace)
	defer cancel()
	_ = r.stop(sctx)
}
