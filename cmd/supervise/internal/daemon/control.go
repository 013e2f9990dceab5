package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/cmd/supervise/internal/control"
	"github.com/arborgo/arbor/supervisor"
)

// controller carries out the commands that change the running tree, one
// at a time: a reload and a restart must not interleave. It keeps the
// index of the running tree's processes and supervisors, which a reload
// changes.
type controller struct {
	root  *supervisor.Supervisor
	file  *config.File // the file the tree runs now
	bopts assemble.Options
	log   *slog.Logger
	lock  chan struct{} // held while a command runs

	mu     sync.RWMutex
	procs  map[string]*assemble.Proc
	groups map[string]*supervisor.Supervisor
	// http is the HTTP server, which a reload may move; nil in tests
	// that make a controller of their own.
	http *httpSlot
	// caught are the signals arbor.RunWith catches, fixed as it began:
	// the defaults and the signals: of the file the run began with. What
	// a caught signal does follows the file last applied.
	caught map[syscall.Signal]bool
	// applied is the file whose root keys that are read as they are
	// needed (signals:, exit_codes:) apply: a reload swaps it.
	applied atomic.Pointer[config.File]
}

// signals are the signals: actions of the file last applied.
func (c *controller) signals() map[syscall.Signal]config.SignalAction {
	return c.applied.Load().Signals
}

// exitCodes is the exit_codes: map of the file last applied.
func (c *controller) exitCodes() map[int]int { return c.applied.Load().ExitCodes }

func newController(tree *assemble.Tree, file *config.File, bopts assemble.Options, log *slog.Logger) *controller {
	c := &controller{root: tree.Root, file: file, bopts: bopts, log: log, lock: make(chan struct{}, 1),
		procs: maps.Clone(tree.Procs), groups: maps.Clone(tree.Groups)}
	c.applied.Store(file)
	c.caught = caughtSignals(file)
	return c
}

// proc returns the engine of the process at path, or nil.
func (c *controller) proc(path string) *assemble.Proc {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.procs[path]
}

func (c *controller) group(path string) *supervisor.Supervisor {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.groups[path]
}

// do is control.Server.Control.
func (c *controller) do(ctx context.Context, req control.Request, uid int) control.Reply {
	select {
	case c.lock <- struct{}{}:
		defer func() { <-c.lock }()
	case <-ctx.Done():
		return control.Reply{Error: "another command is under way; try again"}
	}
	if req.Cmd == control.CmdReload {
		c.log.Info("control command", "event", "control", "cmd", req.Cmd, "path", c.file.Root.Path, "uid", uid, "dry_run", req.DryRun)
		return c.reload(ctx, req.DryRun)
	}
	var sig syscall.Signal
	if req.Cmd == control.CmdSignal {
		var err error
		if sig, err = config.ParseSignal(req.Signal); err != nil {
			return control.Reply{Error: err.Error()}
		}
	}
	// Every path is checked first: an unknown one fails the command
	// before anything is done.
	paths := make([]string, len(req.Paths))
	for i, p := range req.Paths {
		full, err := c.resolve(p)
		if err != nil {
			return control.Reply{Error: err.Error()}
		}
		paths[i] = full
	}
	for _, p := range paths {
		c.log.Info("control command", "event", "control", "cmd", req.Cmd, "path", p, "uid", uid)
		var err error
		if req.Cmd == control.CmdSignal {
			err = c.signal(p, sig)
		} else {
			err = c.admin(ctx, req.Cmd, p)
		}
		if err != nil {
			return control.Reply{Error: p + ": " + err.Error()}
		}
	}
	return control.Reply{}
}

// resolve returns the full path of a child named by p, which may leave
// out the root's name.
func (c *controller) resolve(p string) (string, error) {
	p = strings.Trim(p, "/")
	root := c.file.Root.Path
	for _, full := range []string{p, root + "/" + p} {
		if full == root {
			return "", fmt.Errorf("%s is the root supervisor; stop the whole tree with SIGTERM", p)
		}
		if c.proc(full) != nil || c.group(full) != nil {
			return full, nil
		}
	}
	return "", fmt.Errorf("%s: no such child in the tree", p)
}

// admin makes the admin calls of cmd on the child at p, through the
// supervisor that owns it.
func (c *controller) admin(ctx context.Context, cmd, p string) error {
	parent, name := c.group(path.Dir(p)), path.Base(p)
	if parent == nil {
		return errors.New("no supervisor owns it")
	}
	var err error
	switch cmd {
	case control.CmdStop:
		err = parent.TerminateChild(ctx, name)
	case control.CmdStart:
		err = parent.RestartChild(ctx, name)
		if errors.Is(err, supervisor.ErrNotStopped) {
			return errors.New("not stopped; use supervise restart to restart it")
		}
	case control.CmdRestart:
		// Not a failure: a stop and a start asked for by name, which the
		// supervisor counts neither toward intensity nor as a restart.
		if err = parent.TerminateChild(ctx, name); err == nil {
			err = parent.RestartChild(ctx, name)
		}
		if errors.Is(err, supervisor.ErrNotFound) {
			return errors.New("stopped and removed: a temporary child is not kept once stopped")
		}
	}
	return err
}

// signal sends sig to the process at p, or to every process below the
// group at p.
func (c *controller) signal(p string, sig syscall.Signal) error {
	procs := map[string]*assemble.Proc{}
	c.mu.RLock()
	if pr := c.procs[p]; pr != nil {
		procs[p] = pr
	} else {
		for q, pr := range c.procs {
			if strings.HasPrefix(q, p+"/") {
				procs[q] = pr
			}
		}
	}
	c.mu.RUnlock()
	sent := 0
	for _, pr := range procs {
		ok, err := pr.Signal(sig)
		if err != nil {
			return err
		}
		if ok {
			sent++
		}
	}
	if sent == 0 {
		return errors.New("not running; no signal sent")
	}
	return nil
}
