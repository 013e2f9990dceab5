package simulate

import (
	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/sim"
)

// simTree builds the tree of f exactly as supervise run builds it (its
// processes are never started: the simulator reads the tree's policy and
// the readiness of its engines), and the fault model of each process, by
// path.
func simTree(f *config.File) (*supervisor.Supervisor, func(path string) sim.Faults) {
	models := map[string]sim.Faults{}
	walk(f.Root, func(c config.Child) {
		if p, ok := c.(*config.Process); ok {
			models[p.Path] = processFaults(p)
		}
	})
	return assemble.Build(f, assemble.Options{}).Root, func(path string) sim.Faults { return models[path] }
}

// processFaults is the fault model of p as the simulator takes it. A
// process that does not stop when asked is killed after its shutdown. A
// one-shot step (ready: {exit: 0}) ends normally once it is ready.
func processFaults(p *config.Process) sim.Faults {
	oneShot := p.Ready != nil && p.Ready.Exit
	m := p.Faults
	if m == nil {
		return sim.Faults{OneShot: oneShot}
	}
	f := sim.Faults{Start: m.Start, Ready: m.Ready, Stop: m.Stop, FailAt: m.FailAt, MTBF: m.MTBF, CrashOnStart: m.CrashOnStart,
		OneShot: oneShot, Hang: sim.Hang{MTBF: m.HangMTBF, Duration: m.HangDuration}}
	if m.NeverStops || f.Stop > p.Shutdown {
		f.Stop = p.Shutdown
	}
	for _, o := range m.Outages {
		f.Outages = append(f.Outages, sim.Outage{From: o.From, To: o.To})
	}
	return f
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
