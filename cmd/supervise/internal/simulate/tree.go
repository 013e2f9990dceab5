package simulate

import (
	"hash/fnv"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/supervisor/core"
	"github.com/arborgo/arbor/supervisor/sim"
)

// simTree maps a loaded file onto the simulator's tree, with the values
// supervise run gives the live supervisor:
//
//   - a process is stopped with its stop signal and killed after its
//     shutdown, so a stop takes at most shutdown; the supervisor's own
//     bound is shutdown plus the kill grace, so it never abandons one;
//   - a nested supervisor's restart delay is its parent's backoff, and its
//     shutdown bound is the library's budget: its children's bounds plus a
//     second; it has no start timeout of its own;
//   - every supervisor's jitter seed is derived from seed and its path.
func simTree(f *config.File, seed uint64) *sim.Group {
	return simGroup(f.Root, seed)
}

func simGroup(g *config.Group, seed uint64) *sim.Group {
	out := &sim.Group{Name: g.Name, Config: core.Config{
		Strategy:     strategyOf(g.Strategy),
		Intensity:    g.Intensity,
		Period:       g.Period,
		AutoShutdown: g.AutoShutdown.Core(),
		Seed:         groupSeed(seed, g.Path),
	}}
	for _, c := range g.Children {
		switch c := c.(type) {
		case *config.Group:
			out.Children = append(out.Children, sim.Child{
				Spec: core.ChildSpec{Name: c.Name, Restart: c.Restart.Core(), Significant: c.Significant,
					Shutdown: budget(c), Backoff: coreBackoff(g.Backoff)},
				Group: simGroup(c, seed),
			})
		case *config.Process:
			out.Children = append(out.Children, sim.Child{Spec: processSpec(c), Faults: processFaults(c)})
		}
	}
	return out
}

func processSpec(p *config.Process) core.ChildSpec {
	return core.ChildSpec{
		Name:         p.Name,
		Restart:      p.Restart.Core(),
		Shutdown:     p.Shutdown + assemble.KillGrace,
		StartTimeout: p.StartTimeout,
		Backoff:      coreBackoff(p.Backoff),
		Significant:  p.Significant,
		ReportsReady: p.Ready != nil || p.Faults != nil && p.Faults.Ready > 0,
	}
}

// processFaults is the fault model of p as the simulator takes it. A
// process that does not stop when asked is killed after its shutdown.
func processFaults(p *config.Process) sim.Faults {
	m := p.Faults
	if m == nil {
		return sim.Faults{}
	}
	f := sim.Faults{Start: m.Start, Ready: m.Ready, Stop: m.Stop, FailAt: m.FailAt, MTBF: m.MTBF, CrashOnStart: m.CrashOnStart}
	if m.NeverStops || f.Stop > p.Shutdown {
		f.Stop = p.Shutdown
	}
	for _, o := range m.Outages {
		f.Outages = append(f.Outages, sim.Outage{From: o.From, To: o.To})
	}
	return f
}

// budget is the live library's shutdown bound of a nested supervisor that
// sets none: a second plus its children's bounds.
func budget(g *config.Group) time.Duration {
	t := time.Second
	for _, c := range g.Children {
		switch c := c.(type) {
		case *config.Group:
			t += budget(c)
		case *config.Process:
			t += c.Shutdown + assemble.KillGrace
		}
	}
	return t
}

func coreBackoff(b config.Backoff) core.Backoff {
	return core.Backoff{Initial: b.Initial, Max: b.Max, Multiplier: max(b.Multiplier, 1), Jitter: b.Jitter, ResetAfter: b.ResetAfter}
}

// groupSeed derives a supervisor's jitter seed from the run's seed and
// its path, so that supervisors do not share a sequence.
func groupSeed(seed uint64, path string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(path))
	s := h.Sum64() ^ (seed * 0x9e3779b97f4a7c15)
	if s == 0 {
		s = 1
	}
	return s
}

// walk calls fn for every group and process of g, parents first.
func walk(g *config.Group, fn func(c config.Child)) {
	fn(g)
	for _, c := range g.Children {
		if sub, ok := c.(*config.Group); ok {
			walk(sub, fn)
		} else {
			fn(c)
		}
	}
}

// strategyOf maps a validated strategy; the config package rejects others.
func strategyOf(s config.Strategy) core.Strategy {
	c, _ := s.Core()
	return c
}
