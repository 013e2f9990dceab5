package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/cmd/supervise/internal/control"
	"github.com/arborgo/arbor/supervisor"
)

// reload reads the file again and applies the difference (see plan); an
// invalid file changes nothing. The caller holds c.lock.
func (c *controller) reload(ctx context.Context, dryRun bool) control.Reply {
	nf, err := config.Load(c.file.Name)
	if err != nil {
		var b bytes.Buffer
		PrintLoadError(&b, err)
		return control.Reply{Invalid: true, Error: strings.TrimRight(b.String(), "\n")}
	}
	steps := withRootKeys(rootPlan(c.file.Root, nf.Root), nf.Root.Path, rootKeys(c.file, nf))
	var lines []string
	for _, s := range steps {
		line := s.String() + c.unapplied(s, nf)
		if s.op == opRestart && s.parent != "" && c.isStopped(s.path) {
			line += ": stopped, so it takes the new spec and stays stopped"
		}
		lines = append(lines, line)
	}
	if dryRun {
		return control.Reply{Lines: lines}
	}
	for _, s := range steps {
		if err := c.apply(ctx, s, nf); err != nil {
			return control.Reply{Lines: lines, Error: fmt.Sprintf("%s: %v (the steps before it were applied)", s.path, err)}
		}
		c.log.Info("reconfigured", "event", "reconfigured", "op", s.op, "path", s.path)
	}
	if err := c.rebound(ctx, steps, nf); err != nil {
		return control.Reply{Lines: lines, Error: err.Error()}
	}
	c.file = nf
	c.applied.Store(nf) // signals: and exit_codes: are read from it as needed
	return control.Reply{Lines: lines}
}

// unapplied says which keys of a step are not applied, or "".
func (c *controller) unapplied(s step, nf *config.File) string {
	var keys []string
	for _, k := range s.changed {
		if s.op != opUpdate {
			continue
		}
		switch {
		case k == "http" && (c.http == nil || c.http.flag):
			keys = append(keys, "http (the --http flag sets the address)")
		case k == "signals":
			for _, sig := range slices.Sorted(maps.Keys(nf.Signals)) {
				if !c.caught[sig] {
					keys = append(keys, fmt.Sprintf("signals (%s, which this run does not catch)", signalName(sig)))
				}
			}
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return ": " + strings.Join(keys, ", ") + " not applied in place by this version; takes effect when supervise restarts"
}

// caughtSignals are the signals arbor.RunWith catches for a run of f: it
// subscribes to them as it begins, and keeps them. What each does, stop
// included, is asked at each arrival, so a reload can change that.
func caughtSignals(f *config.File) map[syscall.Signal]bool {
	m := map[syscall.Signal]bool{}
	for _, sig := range Signals() {
		m[toSyscall(sig)] = true
	}
	for sig := range f.Signals {
		m[sig] = true
	}
	return m
}

// policyKeys are the keys of an update that supervisor.Reconfigure
// applies.
var policyKeys = []string{"strategy", "auto_shutdown", "intensity", "period", "backoff", "shutdown", "drain"}

// apply carries out one step through the supervisor that owns its child.
func (c *controller) apply(ctx context.Context, s step, nf *config.File) error {
	if s.op == opUpdate {
		sup, g := c.group(s.path), findGroup(nf.Root, s.path)
		if sup == nil || g == nil {
			return fmt.Errorf("no running supervisor %s", s.path)
		}
		if slices.Contains(s.changed, "http") && c.http != nil && !c.http.flag {
			if err := c.http.move(nf.HTTP); err != nil {
				return err
			}
		}
		if !slices.ContainsFunc(s.changed, func(k string) bool { return slices.Contains(policyKeys, k) }) {
			return nil // signals: and exit_codes: apply with the file
		}
		if err := sup.Reconfigure(ctx, assemble.Policy(g, nf.Drain)); err != nil {
			return err
		}
		c.shutdownInPlace(findGroup(c.file.Root, s.path), g)
		return nil
	}
	if s.op == opRestart && s.parent == "" {
		return c.restartRoot(ctx, nf)
	}
	parent, name := c.group(s.parent), path.Base(s.path)
	if parent == nil {
		return fmt.Errorf("no running supervisor %s", s.parent)
	}
	switch s.op {
	case opRemove:
		if err := parent.TerminateChild(ctx, name); err != nil {
			return err
		}
		c.forget(s.path)
		return parent.DeleteChild(ctx, name)
	case opAdd:
		ch, built := c.build(s.child, findGroup(nf.Root, s.parent))
		if err := parent.InsertChild(ctx, s.before, ch); err != nil {
			return err
		}
		c.learn(built)
	case opRestart:
		stopped := c.isStopped(s.path)
		ch, built := c.build(s.child, findGroup(nf.Root, s.parent))
		if err := parent.TerminateChild(ctx, name); err != nil {
			return err
		}
		if err := parent.ReplaceChild(ctx, ch); err != nil {
			return err
		}
		c.forget(s.path)
		c.learn(built)
		if stopped {
			return nil // it was stopped (supervise stop, a finished step): so it stays
		}
		return parent.RestartChild(ctx, name)
	}
	return nil
}

// isStopped reports whether the child at path is stopped now: stopped by
// `supervise stop`, or a one-shot step or transient child that ended and
// is not to run again. A reload gives such a child its new spec and
// leaves it stopped, as the operator or its policy left it.
func (c *controller) isStopped(p string) bool {
	parent := c.group(path.Dir(p))
	if parent == nil {
		return false
	}
	snap := parent.Snapshot()
	if snap == nil {
		return false
	}
	for _, ch := range snap.Children {
		if ch.Path == p {
			return ch.State == supervisor.StateStopped
		}
	}
	return false
}

// restartRoot stops every child of the root in reverse start order,
// deletes them, and adds the children of the new file in its order, each
// started once the one before it is ready: the root restarted in place,
// with supervise's process, socket and HTTP server.
func (c *controller) restartRoot(ctx context.Context, nf *config.File) error {
	old := c.file.Root.Children
	for _, ch := range slices.Backward(old) {
		if err := c.root.TerminateChild(ctx, childName(ch)); err != nil && !errors.Is(err, supervisor.ErrNotFound) {
			return err
		}
	}
	for _, ch := range old {
		c.forget(childPath(ch))
		if err := c.root.DeleteChild(ctx, childName(ch)); err != nil && !errors.Is(err, supervisor.ErrNotFound) {
			return err // a temporary child's spec went with its stop
		}
	}
	for _, ch := range nf.Root.Children {
		sc, built := c.build(ch, nf.Root)
		if err := c.root.AddChild(ctx, sc); err != nil {
			return fmt.Errorf("%s: %w", childPath(ch), err)
		}
		c.learn(built)
	}
	return nil
}

// shutdownInPlace gives the processes of the group, old in the file that
// runs and new in the one applied, that take its shutdown both times the
// new one: their bound in the supervisor follows by Reconfigure, their
// stop timeout here.
func (c *controller) shutdownInPlace(old, new *config.Group) {
	if old == nil || old.Shutdown == new.Shutdown {
		return
	}
	for _, ch := range new.Children {
		p, ok := ch.(*config.Process)
		o, _ := findChild(old, childName(ch)).(*config.Process)
		if !ok || o == nil || !assemble.InheritsShutdown(o, old) || !assemble.InheritsShutdown(p, new) {
			continue
		}
		if proc := c.proc(p.Path); proc != nil && assemble.ShutdownInPlace(o.Shutdown, p.Shutdown) {
			proc.SetShutdown(p.Shutdown)
		}
	}
}

// rebound has the ancestors of every supervisor that a step changed
// resolve their children again (Reconfigure with the policy they run):
// a child supervisor's stop bound is the sum of its children's, which
// the steps may have changed.
func (c *controller) rebound(ctx context.Context, steps []step, nf *config.File) error {
	seen := map[string]bool{}
	for _, s := range steps {
		p := s.parent
		if s.op == opUpdate {
			p = s.path
		}
		for p != nf.Root.Path && strings.Contains(p, "/") {
			p = path.Dir(p)
			if seen[p] {
				break
			}
			seen[p] = true
			sup, g := c.group(p), findGroup(nf.Root, p)
			if sup == nil || g == nil {
				continue
			}
			if err := sup.Reconfigure(ctx, assemble.Policy(g, nf.Drain)); err != nil {
				return fmt.Errorf("%s: %v (the steps were applied)", p, err)
			}
		}
	}
	return nil
}

// build makes the child of the new file, its processes and supervisors
// indexed in a tree of its own.
func (c *controller) build(ch config.Child, parent *config.Group) (supervisor.Child, *assemble.Tree) {
	t := &assemble.Tree{Procs: map[string]*assemble.Proc{}, Groups: map[string]*supervisor.Supervisor{}}
	return t.Child(ch, parent, c.bopts), t
}

// learn adds the processes and supervisors of t to the index.
func (c *controller) learn(t *assemble.Tree) {
	c.mu.Lock()
	defer c.mu.Unlock()
	maps.Copy(c.procs, t.Procs)
	maps.Copy(c.groups, t.Groups)
}

// forget drops the child at p, and all below it, from the index.
func (c *controller) forget(p string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.procs, p)
	delete(c.groups, p)
	for k := range c.procs {
		if strings.HasPrefix(k, p+"/") {
			delete(c.procs, k)
		}
	}
	for k := range c.groups {
		if strings.HasPrefix(k, p+"/") {
			delete(c.groups, k)
		}
	}
}

// sighupTimeout bounds a reload on SIGHUP, as the socket bounds one asked
// for by command.
const sighupTimeout = 5 * time.Minute

// sighup reloads on SIGHUP: a bad file is logged with its errors and the
// tree runs on as it was.
func (c *controller) sighup() {
	ctx, cancel := context.WithTimeout(context.Background(), sighupTimeout)
	defer cancel()
	rep := c.do(ctx, control.Request{Cmd: control.CmdReload}, -1)
	switch {
	case rep.Invalid:
		c.log.Error("reload on SIGHUP: the file is invalid; nothing applied, the tree runs on as it was", "event", "reload_failed", "error", rep.Error)
	case rep.Error != "":
		c.log.Error("reload on SIGHUP failed", "event", "reload_failed", "error", rep.Error)
	}
}

// findGroup is the group at p in g, or nil.
func findGroup(g *config.Group, p string) *config.Group {
	if g.Path == p {
		return g
	}
	for _, c := range g.Children {
		if sub, ok := c.(*config.Group); ok {
			if f := findGroup(sub, p); f != nil {
				return f
			}
		}
	}
	return nil
}
