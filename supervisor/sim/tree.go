package sim

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/arborgo/arbor/supervisor/core"
)

// Group is a supervisor of the simulated tree.
type Group struct {
	// Name is the supervisor's name; the root's is the first element of
	// every path.
	Name string
	// Config is the supervisor's policy, every value literal, with the
	// jitter Seed that the live supervisor would use.
	Config core.Config
	// Children are in start order.
	Children []Child
}

// Child is one child of a Group: a leaf modelled by Faults, or, when Group
// is set, a nested supervisor.
type Child struct {
	// Spec is the child's spec as the core sees it. For a nested
	// supervisor, Name must equal Group.Name, and ReportsReady is set by
	// the simulator to what the live supervisor does.
	Spec core.ChildSpec
	// Group, if set, makes the child a nested supervisor.
	Group *Group
	// Faults is how a leaf behaves.
	Faults Faults
}

// Faults is how a leaf child behaves, in virtual time. The zero value is a
// child that starts, becomes ready and stops at once and never fails.
type Faults struct {
	Start time.Duration // from launch until running
	Ready time.Duration // from running until ready
	Stop  time.Duration // from being asked to stop until stopped
	// ExitStop is how long the Stop that follows a run's own end (a
	// failure) takes; past the child's shutdown timeout it hangs, and the
	// end counts as an error.
	ExitStop time.Duration
	// NeverStops: it ignores requests to stop and is abandoned after its
	// shutdown timeout.
	NeverStops bool
	// FailAt lists scripted failures, in virtual time since the start of
	// the simulation, ascending. Each one ends the run current at that
	// time; one that falls while the child is down is skipped.
	FailAt []time.Duration
	// MTBF is the mean up time between random failures (exponential);
	// zero means none.
	MTBF time.Duration
	// CrashOnStart is the probability, 0 to 1, that a start fails.
	CrashOnStart float64
	// Outages are windows in which every start fails.
	Outages []Outage
}

// Outage is a window [From, To) of virtual time in which every start of a
// child fails: a dependency is down.
type Outage struct {
	From, To time.Duration // virtual time since the start of the simulation
}

// Errors a leaf fails with, by cause.
var (
	ErrScripted = errors.New("sim: scripted failure")              // a time of Faults.FailAt
	ErrRandom   = errors.New("sim: random failure (mtbf)")         // a draw of Faults.MTBF
	ErrCrash    = errors.New("sim: crashed on start")              // a draw of Faults.CrashOnStart
	ErrOutage   = errors.New("sim: start failed during an outage") // a start within Faults.Outages
)

// validate checks g and the tree below it.
func (g *Group) validate(path string, problems *[]string) {
	add := func(format string, args ...any) {
		*problems = append(*problems, path+": "+fmt.Sprintf(format, args...))
	}
	if len(g.Children) == 0 {
		add("no children")
	}
	if g.Config.Intensity < 0 {
		add("intensity %d is negative", g.Config.Intensity)
	}
	names := make(map[string]bool, len(g.Children))
	for i := range g.Children {
		ch := &g.Children[i]
		name := ch.Spec.Name
		switch {
		case name == "":
			add("children[%d]: empty name", i)
			continue
		case strings.Contains(name, "/"):
			add("%s: name contains \"/\"", name)
		case names[name]:
			add("%s: duplicate name", name)
		}
		names[name] = true
		if ch.Group != nil {
			if ch.Group.Name != name {
				add("%s: the nested group is named %q", name, ch.Group.Name)
			}
			ch.Group.validate(path+"/"+name, problems)
			continue
		}
		f := &ch.Faults
		if f.Start < 0 || f.Ready < 0 || f.Stop < 0 || f.ExitStop < 0 || f.MTBF < 0 {
			add("%s: negative duration in the fault model", name)
		}
		if !(f.CrashOnStart >= 0 && f.CrashOnStart <= 1) {
			add("%s: crash probability %g is not within 0 to 1", name, f.CrashOnStart)
		}
		for j := 1; j < len(f.FailAt); j++ {
			if f.FailAt[j] < f.FailAt[j-1] {
				add("%s: FailAt is not ascending", name)
				break
			}
		}
		for _, o := range f.Outages {
			if o.From >= o.To {
				add("%s: outage from %v is not before %v", name, o.From, o.To)
			}
		}
	}
}
