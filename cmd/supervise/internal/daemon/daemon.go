package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/cmd/supervise/internal/control"
	"github.com/arborgo/arbor/cmd/supervise/internal/logging"
	"github.com/arborgo/arbor/cmd/supervise/internal/sdnotify"
	"github.com/arborgo/arbor/engine/process"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/health"
)

// Exit codes of `supervise run`. A tree that ended because its
// significant child ended exits with that child's code instead (0 after
// exit 0, N after exit N, 128+N after signal N).
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
	// HTTP is the address of the read-only HTTP server; "" means the
	// file's http:, and none when that is unset too.
	HTTP string
	// Logger receives every record of the tree and of supervise.
	Logger *slog.Logger
	// Stderr gets the few messages that are not log records, such as why
	// the run failed, in human form. When Logger writes JSON (its handler
	// is a *slog.JSONHandler), nothing is written to Stderr: the reason
	// is the "error" attribute of the supervise_exiting record instead,
	// so that the log stays one JSON object per line.
	Stderr io.Writer
	Notify Notify // nil means os/signal's Notify
	// Reap makes supervise reap zombies (as PID 1 or a child subreaper),
	// kill the orphans it inherited when the tree has stopped, and start
	// the guard that kills every process group if supervise is killed.
	Reap bool
	// Systemd is the service manager to tell of readiness, status,
	// shutdown and liveness; nil tells none.
	Systemd *sdnotify.Notifier
}

// httpAddr is where the HTTP server listens: the flag's address, else
// the file's; "" for none.
func (o *Options) httpAddr() string {
	if o.HTTP != "" {
		return o.HTTP
	}
	return o.File.HTTP
}

// errInterrupted ends the run when a second signal came during shutdown.
var errInterrupted = errors.New("second signal during shutdown: killed every process group")

// killWait is how long Run waits for the tree after a second signal
// SIGKILLed every process group.
const killWait = 3 * time.Second

// Run runs the tree of opts.File in the foreground until it ends on its
// own or SIGTERM, SIGINT or SIGQUIT arrives, then stops it in reverse
// start order, and returns the exit code. Other signals are logged and
// ignored (see Signals) or do what the file's signals: key says; nothing
// the status server meets stops the tree.
func Run(ctx context.Context, opts Options) int {
	code, err := run(ctx, opts)
	attrs := []any{"event", "supervise_exiting", "code", code}
	lvl := slog.LevelInfo
	if err != nil {
		attrs = append(attrs, "error", err.Error())
		// A tree that ended with its main job ended as it should; any
		// other error is a failure, which a quiet log still shows, and
		// which a person at a terminal gets as a last plain line too.
		var ae *supervisor.AutoShutdownError
		if !errors.As(err, &ae) {
			lvl = slog.LevelError
			if !logging.IsJSON(opts.Logger) {
				fmt.Fprintf(opts.Stderr, "supervise: %v\n", err)
			}
		}
	}
	opts.Logger.Log(context.Background(), lvl, "supervise exiting", attrs...)
	return code
}

// run is Run up to its last log record: its deferred cleanups (reaper,
// orphans, socket, guard) are done when it returns. It returns the exit
// code and, when the code is not ExitOK, why.
func run(ctx context.Context, opts Options) (int, error) {
	log := opts.Logger
	// The guard learns of groups through bopts.OnGroup, set once it runs.
	var set process.Set
	var g *guard
	bopts := assemble.Options{Logger: log, Set: &set}
	sw := newSweeper()
	bopts.OnGroup = func(pgid int, alive bool) {
		if g != nil {
			g.group(pgid, alive)
		}
		if !alive {
			sw.nudge() // its orphans may be left
		}
	}
	tree := assemble.Build(opts.File, bopts)
	if err := tree.Root.Validate(); err != nil {
		return ExitInvalid, fmt.Errorf("%s: %w", opts.File.Name, err)
	}
	ctl := newController(tree, opts.File, bopts, log)
	socket := opts.Socket
	if socket == "" {
		if err := control.EnsureDir(); err != nil {
			return ExitInvalid, err
		}
		socket = control.DefaultSocket(opts.File.Root.Name)
	}
	l, err := control.Listen(socket)
	if err != nil {
		if errors.Is(err, control.ErrInUse) {
			return ExitInvalid, fmt.Errorf("%w: another 'supervise run' answers there; stop it first or pass --socket", err)
		}
		return ExitInvalid, fmt.Errorf("status socket: %w", err)
	}
	defer removeSocket(socket, l)
	var hl net.Listener
	if httpAddr := opts.httpAddr(); httpAddr != "" {
		if hl, err = listenHTTP(httpAddr); err != nil {
			return ExitInvalid, fmt.Errorf("http: %w", err)
		}
		defer hl.Close() // served below, which closes it first
	}
	if opts.Reap {
		// The guard first: the reaper would reap it, and it is started
		// with os/exec, before the reaper owns all waiting.
		// As PID 1 no guard is needed: the kernel kills the whole PID
		// namespace when PID 1 dies.
		if os.Getpid() != 1 {
			if g, err = startGuard(); err != nil {
				log.Warn("cannot start the guard; a kill -9 of supervise may leave grandchildren behind", "error", err.Error())
			} else {
				defer g.close()
			}
		}
		stopReaper := startReaper(log)
		defer stopReaper()
		defer sw.start(log, ctl.proc, g.pidOrZero())()
		defer func() {
			if n := killOrphans(g.pidOrZero()); n > 0 {
				log.Warn("killed orphaned descendants left after the tree stopped", "event", "orphans_killed", "count", n)
			}
		}()
	}
	started := time.Now()
	attrs := []any{"event", "supervise_started", "pid", os.Getpid(), "file", opts.File.Name, "socket", socket}
	if hl != nil {
		attrs = append(attrs, "http", hl.Addr().String())
	}
	log.Info("supervise started", attrs...)
	r := &runner{tree: tree, set: &set, log: log, sd: startSystemd(opts.Systemd, tree.Root, log)}
	defer r.sd.close()
	r.ctl = ctl
	status := func(ctx context.Context) control.Status {
		snap := tree.Root.Tree(ctx)
		now := time.Now()
		ready := health.Check(snap)
		return control.Status{Name: opts.File.Root.Name, PID: os.Getpid(), Socket: socket,
			Started: started, Time: now, Rows: control.Rows(snap, now), Ready: &ready}
	}
	hs := &httpSlot{handler: func() http.Handler { return httpHandler(tree.Root, status, log) }, log: log, flag: opts.HTTP != ""}
	if hl != nil {
		hs.serve(hl)
	}
	defer hs.close()
	ctl.http = hs
	err = r.run(ctx, l, opts.Notify, status)
	code := exitCode(err, ctl.exitCodes())
	if code == ExitOK {
		err = nil
	}
	return code, err
}

// runner is one run of a tree.
type runner struct {
	tree *assemble.Tree
	set  *process.Set
	log  *slog.Logger
	sd   *systemd    // nil without a service manager
	ctl  *controller // the commands that change the tree, and the file's signals: and exit_codes:
}

// run runs the tree with arbor's signal runtime, and the status server
// beside it, until the tree has stopped. The server is not part of the
// tree: whatever happens to it is logged and the tree runs on. run
// returns the tree's error, or errInterrupted.
func (r *runner) run(ctx context.Context, l net.Listener, notify Notify, status func(context.Context) control.Status) error {
	srvCtx, stopServer := context.WithCancel(context.WithoutCancel(ctx))
	srvDone := make(chan struct{})
	go func() {
		defer close(srvDone)
		srv := control.Server{Status: status, Log: r.log, Control: r.ctl.do}
		if err := srv.Serve(srvCtx, l); err != nil {
			r.log.Error("status server failed; the tree runs on without it", "event", "control_failed", "error", err.Error())
		}
	}()
	defer func() {
		stopServer()
		<-srvDone
	}()

	sl := &signalLog{log: r.log, actions: r.ctl.signals, procs: r.ctl.proc, reload: r.ctl.sighup}
	err := arbor.RunWith(r.sd.withReady(ctx), r.tree.Root, arbor.Options{
		Signals:  sl.signals(),
		Stops:    sl.stops,
		OnSignal: r.sd.onSignal(sl.onSignal),
		Notify:   notify,
		OnInterrupt: func(sig os.Signal) {
			r.log.Warn("second signal; killing every process group", "event", "kill_all", "signal", signalName(sig), "groups", r.set.Len())
			_ = r.set.Signal(syscall.SIGKILL)
		},
		// Every group got SIGKILL, so the tree ends at once; but wait
		// for it only briefly: the second signal says "stop waiting".
		InterruptWait: killWait,
		// Under systemd's default KillMode=control-group both the guard
		// (which forwards) and supervise get the unit's SIGTERM: one
		// request, which must not read as the second signal that kills.
		SameStopWithin: sameStopWithin,
	})
	if errors.Is(err, arbor.ErrInterrupted) {
		return errInterrupted
	}
	return err
}

// exitCode maps the end of a run to the exit code of `supervise run`.
// sameStopWithin is how soon after a stop signal another one still counts
// as the same request: longer than a forwarded copy takes to arrive,
// shorter than a person takes to press Ctrl-C again.
const sameStopWithin = 300 * time.Millisecond

// A tree that ended because its significant child ended exits with the
// code the child's end carries (its exit code, or 128+N after signal N;
// see supervisor.AutoShutdownError), mapped by the file's exit_codes.
func exitCode(err error, mapped map[int]int) int {
	var (
		ce    *supervisor.ConfigError
		coder interface{ ExitCode() int }
	)
	switch {
	case errors.Is(err, errInterrupted):
		return ExitInterrupted
	case errors.As(err, &ce):
		return ExitInvalid
	case err == nil:
		// After a signal, or when the tree ended on its own: the
		// significant child exited 0.
		return ExitOK
	case errors.As(err, &coder):
		return mapCode(coder.ExitCode(), mapped)
	}
	return ExitGaveUp
}

// mapCode applies exit_codes to a code that the significant child's end
// gave.
func mapCode(code int, mapped map[int]int) int {
	if to, ok := mapped[code]; ok {
		return to
	}
	return code
}

// removeSocket closes l and removes the socket file. No other run can have
// taken the path meanwhile: a run refuses a socket that answers.
func removeSocket(path string, l *net.UnixListener) {
	l.Close()
	_ = os.Remove(path)
}
