package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/arborgo/arbor/cmd/supervise/internal/build"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/cmd/supervise/internal/control"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// Exit codes of `supervise run`.
const (
	ExitOK          = 0   // shut down by a signal, or the tree ended on its own
	ExitGaveUp      = 1   // the root supervisor gave up, or failed to start
	ExitInvalid     = 2   // bad command line or file; nothing was started
	ExitInterrupted = 130 // a second signal cut the shutdown short
)

// Options is what Run needs.
type Options struct {
	File   *config.File // the loaded file, whose tree Run runs
	Socket string       // "" means control.DefaultSocket(File.Root.Name)
	// Logger receives every record of the tree and of supervise.
	Logger *slog.Logger
	// Stderr gets the few messages that are not log records, such as why
	// the run failed, in human form. When Logger writes JSON (its handler
	// is a *slog.JSONHandler), nothing is written to Stderr: the reason
	// is the "error" attribute of the supervise_exiting record instead,
	// so that the log stays one JSON object per line.
	Stderr io.Writer
	Notify Notify // nil means OSSignals
	// Reap makes supervise reap zombies (as PID 1 or a child subreaper),
	// kill the orphans it inherited when the tree has stopped, and start
	// the guard that kills every process group if supervise is killed.
	Reap bool
}

// errInterrupted ends the run when a second signal came during shutdown.
var errInterrupted = errors.New("second signal during shutdown: killed every process group")

// killWait is how long Run waits for the tree after a second signal
// SIGKILLed every process group.
const killWait = 3 * time.Second

// Run runs the tree of opts.File in the foreground until it ends on its
// own or SIGTERM or SIGINT arrives, then stops it in reverse start order,
// and returns the exit code. The tree, the signal handler and the status
// server run in one errgroup, so that they end together.
func Run(ctx context.Context, opts Options) int {
	code, err := run(ctx, opts)
	attrs := []any{"event", "supervise_exiting", "code", code}
	if err != nil {
		if !isJSON(opts.Logger) {
			fmt.Fprintf(opts.Stderr, "supervise: %v\n", err)
		}
		attrs = append(attrs, "error", err.Error())
	}
	opts.Logger.Info("supervise exiting", attrs...)
	return code
}

// isJSON reports whether log writes JSON lines.
func isJSON(log *slog.Logger) bool {
	_, ok := log.Handler().(*slog.JSONHandler)
	return ok
}

// run is Run up to its last log record: its deferred cleanups (reaper,
// orphans, socket, guard) are done when it returns. It returns the exit
// code and, when the code is not ExitOK, why.
func run(ctx context.Context, opts Options) (int, error) {
	log := opts.Logger
	socket := opts.Socket
	if socket == "" {
		socket = control.DefaultSocket(opts.File.Root.Name)
	}
	// The guard learns of groups through bopts.OnGroup, set once it runs.
	var set engine.ProcessSet
	var g *guard
	bopts := build.Options{Logger: log, Set: &set}
	sw := newSweeper()
	bopts.OnGroup = func(pgid int, alive bool) {
		if g != nil {
			g.group(pgid, alive)
		}
		if !alive {
			sw.nudge() // its orphans may be left
		}
	}
	tree := build.Build(opts.File, bopts)
	if err := tree.Root.Validate(); err != nil {
		return ExitInvalid, fmt.Errorf("%s: %w", opts.File.Name, err)
	}
	l, err := control.Listen(socket)
	if err != nil {
		if errors.Is(err, control.ErrInUse) {
			return ExitInvalid, fmt.Errorf("%w: another 'supervise run' answers there; stop it first or pass --socket", err)
		}
		return ExitInvalid, fmt.Errorf("status socket: %w", err)
	}
	defer removeSocket(socket, l)
	if opts.Reap {
		// The guard first: the reaper would reap it, and it is started
		// with os/exec, before the reaper owns all waiting.
		if g, err = startGuard(); err != nil {
			log.Warn("cannot start the guard; a kill -9 of supervise may leave grandchildren behind", "error", err.Error())
		} else {
			defer g.close()
		}
		stopReaper := startReaper(log)
		defer stopReaper()
		defer sw.start(log, tree.Procs, g.pidOrZero())()
		defer func() {
			if n := killOrphans(g.pidOrZero()); n > 0 {
				log.Warn("killed orphaned descendants left after the tree stopped", "event", "orphans_killed", "count", n)
			}
		}()
	}
	notify := opts.Notify
	if notify == nil {
		notify = OSSignals
	}

	started := time.Now()
	log.Info("supervise started", "event", "supervise_started", "pid", os.Getpid(), "file", opts.File.Name, "socket", socket)
	r := &runner{tree: tree, set: &set, log: log}
	err = r.run(ctx, l, notify, func(ctx context.Context) control.Status {
		snap := tree.Root.Tree(ctx)
		now := time.Now()
		return control.Status{Name: opts.File.Root.Name, PID: os.Getpid(), Socket: socket,
			Started: started, Time: now, Rows: control.Rows(snap, now)}
	})
	code := exitCode(err)
	if code == ExitOK {
		err = nil
	}
	return code, err
}

// runner is one run of a tree.
type runner struct {
	tree *build.Tree
	set  *engine.ProcessSet
	log  *slog.Logger
}

// run runs the tree, the signal handler and the status server until the
// tree has stopped. It returns the tree's error, or errInterrupted.
func (r *runner) run(ctx context.Context, l net.Listener, notify Notify, status func(context.Context) control.Status) error {
	sigs := make(chan os.Signal, 2)
	stopSignals := notify(sigs)
	defer stopSignals()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	treeCtx, stopTree := context.WithCancel(gctx)
	defer stopTree()
	treeDone := make(chan struct{})
	interrupted := make(chan struct{})
	var treeErr error
	g.Go(func() error {
		defer cancel() // the tree has stopped: so does everything else
		defer close(treeDone)
		treeErr = r.tree.Root.Run(treeCtx)
		return nil
	})
	g.Go(func() error {
		select {
		case <-gctx.Done():
			return nil
		case sig := <-sigs:
			r.log.Info("signal received; stopping the tree in reverse start order", "event", "signal", "signal", sig.String())
		}
		stopTree()
		select {
		case <-treeDone:
			return nil
		case sig := <-sigs:
			r.log.Warn("second signal; killing every process group", "event", "kill_all", "signal", sig.String(), "groups", r.set.Len())
			_ = r.set.Kill()
			close(interrupted)
			return errInterrupted
		}
	})
	g.Go(func() error {
		return control.Serve(gctx, l, status)
	})
	errc := make(chan error, 1)
	go func() { errc <- g.Wait() }()
	select {
	case err := <-errc:
		if err != nil && !errors.Is(err, errInterrupted) {
			return fmt.Errorf("status server: %w", err)
		}
		if err != nil {
			return err
		}
		return treeErr
	case <-interrupted:
		// Every group got SIGKILL, so the tree ends at once; but wait for
		// it only briefly: the second signal says "stop waiting".
		select {
		case <-errc:
		case <-time.After(killWait):
		}
		return errInterrupted
	}
}

// exitCode maps the end of a run to the exit code of `supervise run`.
func exitCode(err error) int {
	var ce *supervisor.ConfigError
	switch {
	case errors.Is(err, errInterrupted):
		return ExitInterrupted
	case errors.As(err, &ce):
		return ExitInvalid
	case err != nil:
		return ExitGaveUp
	}
	return ExitOK // after a signal, or when the tree ended on its own
}

// removeSocket closes l and removes the socket file. No other run can have
// taken the path meanwhile: a run refuses a socket that answers.
func removeSocket(path string, l *net.UnixListener) {
	l.Close()
	_ = os.Remove(path)
}
