package assemble

import (
	"log/slog"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/engine/process"
	"github.com/arborgo/arbor/supervisor"
)

// Options are what a tree needs besides its file.
type Options struct {
	// Logger receives the tree's events and the processes' output; nil
	// discards them.
	Logger *slog.Logger
	// Set is the registry every process group joins, so that the daemon
	// can kill them all at once.
	Set *process.Set
	// OnGroup, if set, is told of every process group that a process
	// child starts (alive) and that ends (not alive); the group ID is the
	// PID of the child's main process. It must not block.
	OnGroup func(pgid int, alive bool)
}

// Tree is a built, not yet started, supervision tree.
type Tree struct {
	// Root is the root supervisor; run it to start the tree.
	Root *supervisor.Supervisor
	// Procs holds the engine of every process child, by path.
	Procs map[string]*Proc

	drain time.Duration // the root's, from the file's drain:
	// Groups holds every supervisor, the root included, by path.
	Groups map[string]*supervisor.Supervisor
}

// Build builds the tree of f. It starts nothing.
func Build(f *config.File, opts Options) *Tree {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &Tree{Procs: make(map[string]*Proc), Groups: make(map[string]*supervisor.Supervisor), drain: f.Drain}
	t.Root = t.group(f.Root, log, opts)
	return t
}

func (t *Tree) group(g *config.Group, log *slog.Logger, opts Options) *supervisor.Supervisor {
	cfg := Policy(g, t.drain)
	cfg.Logger = log
	children := make([]supervisor.Child, 0, len(g.Children))
	for _, c := range g.Children {
		children = append(children, t.child(c, g, log, opts))
	}
	s := supervisor.New(g.Name, cfg, children...)
	t.Groups[g.Path] = s
	return s
}

// Policy is the part of g's supervisor config that
// supervisor.Reconfigure applies in place; drain is the file's, which
// only the root takes.
func Policy(g *config.Group, drain time.Duration) supervisor.Config {
	cfg := supervisor.Config{
		Strategy:     strategyOf(g.Strategy),
		AutoShutdown: g.AutoShutdown.Policy(),
		Intensity:    literal(g.Intensity),
		Period:       literal(g.Period),
		Backoff:      backoff(g.Backoff),
	}
	if g.Path == g.Name { // the root: only its path is its name
		cfg.Drain = drain
	}
	if !hasGroups(g) {
		cfg.Shutdown = g.Shutdown + KillGrace
	}
	return cfg
}

// InheritsShutdown reports whether the process p takes its stop bound
// from its supervisor g, so that a change of g's shutdown reaches it in
// place: when it equals g's, and g has no child supervisors, whose bound
// must stay the library's (the sum of their children's, which a
// supervisor's Shutdown would replace).
func InheritsShutdown(p *config.Process, g *config.Group) bool {
	return p.Shutdown == g.Shutdown && !hasGroups(g)
}

// ShutdownInPlace reports whether a process's stop timeout may change
// from old to new in place (Proc.SetShutdown): a zero one is a SIGKILL at
// once, built into the engine.
func ShutdownInPlace(old, new time.Duration) bool { return (old > 0) == (new > 0) }

func hasGroups(g *config.Group) bool {
	for _, c := range g.Children {
		if _, ok := c.(*config.Group); ok {
			return true
		}
	}
	return false
}

// InheritsBackoff reports whether the process p takes its backoff from
// its supervisor g: one equal to g's is left to the supervisor, so that a
// change of g's backoff reaches p in place (supervisor.Reconfigure).
func InheritsBackoff(p *config.Process, g *config.Group) bool { return p.Backoff == g.Backoff }

// processConfig maps a process child onto the engine's configuration.
func processConfig(c *config.Process, set *process.Set) process.Config {
	pc := process.Config{
		Argv:       c.Command,
		Dir:        c.Dir,
		StopSignal: c.StopSignal,
		Set:        set,
		EnvFiles:   c.EnvFiles,
		Expand:     !c.Verbatim, // $$ is a literal $, whether or not a file has ${VAR}

		InheritOutput: c.InheritOutput,
	}
	for _, k := range slices.Sorted(maps.Keys(c.Env)) {
		pc.Env = append(pc.Env, k+"="+c.Env[k])
	}
	pc.Identity = identity(c.Identity)
	if r := c.Ready; r != nil {
		pc.Ready = process.ReadyCheck{TCP: r.TCP, Log: r.Log, Exec: r.Exec, Exit: r.Exit}
	}
	return pc
}

// identity maps user, umask and limits; the limits and umask go through
// this binary's hidden spawn mode, which sets them before the exec.
func identity(id config.Identity) process.Identity {
	var out process.Identity
	if id.User != "" {
		c := &process.Credential{Uid: uint32(id.Uid), Gid: uint32(id.Gid)}
		for _, g := range id.Groups {
			c.Groups = append(c.Groups, uint32(g))
		}
		out.Credential = c
	}
	out.Umask = id.Umask
	for _, r := range id.Rlimits {
		out.Rlimits = append(out.Rlimits, process.Rlimit{Resource: r.Resource, Soft: r.Soft, Hard: r.Hard})
	}
	if out.Umask != nil || len(out.Rlimits) > 0 {
		if self, err := os.Executable(); err == nil {
			out.Helper = []string{self, "spawn"}
		}
	}
	return out
}

// backoff maps a resolved backoff; its zeros are literal.
func backoff(b config.Backoff) supervisor.Backoff {
	out := supervisor.Backoff{
		Initial:    literal(b.Initial),
		Max:        literal(b.Max),
		Multiplier: b.Multiplier,
		Jitter:     b.Jitter,
		ResetAfter: literal(b.ResetAfter),
	}
	if b.Jitter == 0 {
		out.Jitter = supervisor.Zero
	}
	if out.Multiplier < 1 {
		out.Multiplier = 1
	}
	return out
}

// literal turns a resolved zero into supervisor.Zero, the library's
// literal zero; every other value passes unchanged.
func literal[T int | time.Duration](v T) T {
	if v == 0 {
		return supervisor.Zero
	}
	return v
}

// strategyOf maps a validated strategy; the config package rejects others.
func strategyOf(s config.Strategy) supervisor.Strategy {
	c, _ := s.Policy()
	return c
}

// Child builds the child c of the supervisor parent of a running tree,
// as Build would have, and adds its processes and supervisors to t.
func (t *Tree) Child(c config.Child, parent *config.Group, opts Options) supervisor.Child {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return t.child(c, parent, log, opts)
}

func (t *Tree) child(c config.Child, parent *config.Group, log *slog.Logger, opts Options) supervisor.Child {
	switch c := c.(type) {
	case *config.Group:
		return supervisor.Child{
			Name:        c.Name,
			Engine:      t.group(c, log, opts),
			Restart:     c.Restart.Policy(),
			Significant: c.Significant,
			// Shutdown stays zero: the library gives a child
			// supervisor the sum of its children's timeouts plus
			// a second, so no process is abandoned unkilled.
		}
	case *config.Process:
		pc := processConfig(c, opts.Set)
		var n *notify
		if notifies(c) {
			var env []string
			n, env = newNotify(c.Path, c.Ready != nil && c.Ready.Notify, c.Watchdog, log)
			pc.Env = append(pc.Env, env...)
		}
		p := newProc(c.Path, pc, c.Shutdown, log, opts.OnGroup, n)
		t.Procs[c.Path] = p
		ch := supervisor.Child{
			Name:         c.Name,
			Engine:       p,
			Restart:      c.Restart.Policy(),
			Significant:  c.Significant,
			Shutdown:     c.Shutdown + KillGrace,
			StartTimeout: c.StartTimeout,
			Liveness:     liveness(c, p),
		}
		if !InheritsBackoff(c, parent) {
			ch.Backoff = backoff(c.Backoff)
		}
		if InheritsShutdown(c, parent) {
			ch.Shutdown = 0
		}
		return ch
	}
	return supervisor.Child{}
}
