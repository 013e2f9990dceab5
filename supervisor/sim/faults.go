package sim

import (
	"errors"
	"fmt"
	"time"
)

// Faults is how a leaf child behaves, in virtual time. The zero value is a
// child that starts, becomes ready and stops at once and never fails.
type Faults struct {
	Start time.Duration // from launch until running
	// Ready is from running until ready; it matters only for a child whose
	// engine reports readiness (a child whose engine does not is ready as
	// soon as it is launched).
	Ready time.Duration
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
	// OneShot: the run ends on its own, normally, the moment it is ready
	// (Start + Ready after its launch), as a step that exits 0 does; a
	// failure planned for earlier ends it with an error instead.
	OneShot bool
	// Hang makes runs stay up but stop working: they heartbeat no more
	// and fail their probes, and the child's Liveness finds them.
	Hang Hang
}

// Hang is when a leaf's runs hang, and how it heartbeats otherwise.
type Hang struct {
	// MTBF is the mean time from ready to a hang (exponential, at most
	// one per run); zero means none.
	MTBF time.Duration
	// Duration is how long a hang lasts; zero means until the run ends.
	Duration time.Duration
	// Beat is the interval of the leaf's heartbeats while it is not hung,
	// from the start of its run; zero means it beats continuously (every
	// check finds a fresh beat).
	Beat time.Duration
}

// Outage is a window [From, To) of virtual time in which every start of a
// child fails: a dependency is down.
type Outage struct {
	From, To time.Duration // virtual time since the start of the simulation
}

// The errors a leaf fails with, by cause.
var (
	errScripted = errors.New("sim: scripted failure")              // a time of Faults.FailAt
	errRandom   = errors.New("sim: random failure (mtbf)")         // a draw of Faults.MTBF
	errCrash    = errors.New("sim: crashed on start")              // a draw of Faults.CrashOnStart
	errOutage   = errors.New("sim: start failed during an outage") // a start within Faults.Outages
	errHung     = errors.New("sim: hung")                          // a probe during a hang of Faults.Hang
)

// validate checks the fault model of the leaf at path.
func (f *Faults) validate(path string, problems *[]string) {
	add := func(format string, args ...any) {
		*problems = append(*problems, path+": "+fmt.Sprintf(format, args...))
	}
	if f.Start < 0 || f.Ready < 0 || f.Stop < 0 || f.ExitStop < 0 || f.MTBF < 0 ||
		f.Hang.MTBF < 0 || f.Hang.Duration < 0 || f.Hang.Beat < 0 {
		add("negative duration in the fault model")
	}
	if !(f.CrashOnStart >= 0 && f.CrashOnStart <= 1) {
		add("crash probability %g is not within 0 to 1", f.CrashOnStart)
	}
	for j := 1; j < len(f.FailAt); j++ {
		if f.FailAt[j] < f.FailAt[j-1] {
			add("FailAt is not ascending")
			break
		}
	}
	for _, o := range f.Outages {
		if o.From >= o.To {
			add("outage from %v is not before %v", o.From, o.To)
		}
	}
}
