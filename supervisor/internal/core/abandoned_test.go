package core_test

import (
	"testing"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

func overlaps(s *core.ChildSpec) { s.Overlaps = true }

func (h *harness) abandonedReturned(name string) *harness {
	ch := h.child(name)
	return h.handle(core.Input{Kind: core.AbandonedReturned, Child: ch, Gen: ch.Gen()})
}

// TestAbandonedRunHoldsTheRestart: a child abandoned during a one_for_all
// restart is not started again until its Run has returned; the siblings
// after it wait in order, and it reads abandoned meanwhile.
func TestAbandonedRunHoldsTheRestart(t *testing.T) {
	h := newHarness(t, core.Config{Strategy: core.OneForAll, Intensity: 5, Period: 5 * s}, spec("a"), spec("b"), spec("c")).startAll()
	h.exit("a", core.ExitFailed)
	h.expect("stop c")
	h.stopped("c")
	h.expect("stop b")
	h.at(5 * s).stopTimedOut("b")
	h.expect("start a")
	h.ready("a")
	h.expect("arm b @10s") // the hold's bound: b's shutdown, as b has no start timeout
	if got := h.state("b"); got != core.StateAbandoned {
		t.Errorf("b state = %v; want abandoned", got)
	}
	if !h.c.Busy() {
		t.Errorf("the group start is over with b held; want it waiting")
	}
	h.at(7 * s).abandonedReturned("b")
	h.expect("start b")
	h.ready("b")
	h.expect("start c")
}

// TestAbandonedRunReturnedBeforeRestart: a Run that returns before the
// restart comes leaves the child stopped, and the restart goes on at once.
func TestAbandonedRunReturnedBeforeRestart(t *testing.T) {
	b := backoff(core.Backoff{Initial: s, Multiplier: 1})
	h := newHarness(t, core.Config{Strategy: core.OneForAll, Intensity: 5, Period: 5 * s}, spec("a", b), spec("b", b)).startAll()
	h.exit("a", core.ExitFailed)
	h.expect("stop b")
	h.stopTimedOut("b")
	h.expect("arm sup @1s")
	h.abandonedReturned("b")
	if got := h.state("b"); got != core.StateStopped {
		t.Errorf("b state = %v; want stopped", got)
	}
	h.fire("sup")
	if got := h.drive(); len(got) != 2 || got[0] != "start a" || got[1] != "start b" {
		t.Errorf("actions = %v; want start a, start b", got)
	}
}

// TestOverlappingRunsRestartAtOnce: a child whose runs each have an
// engine of their own is started again at once after an abandonment.
func TestOverlappingRunsRestartAtOnce(t *testing.T) {
	h := newHarness(t, core.Config{Strategy: core.OneForAll, Intensity: 5, Period: 5 * s}, spec("a"), spec("b", overlaps)).startAll()
	h.exit("a", core.ExitFailed)
	h.expect("stop b")
	h.stopTimedOut("b")
	h.expect("start a")
	h.ready("a")
	h.expect("start b")
}

// TestShutdownListsRunsStillOut: a child abandoned before the shutdown,
// whose Run is still out, is listed as abandoned by the shutdown.
func TestShutdownListsRunsStillOut(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b")).startAll()
	h.record(mustAct(h.c.TerminateChild(h.now, "b")))
	h.expect("stop b")
	h.stopTimedOut("b")
	h.stop()
	h.expect("stop a")
	h.stopped("a")
	h.expect("done requested")
	if got := h.outcome.Abandoned; len(got) != 1 || got[0].Name() != "b" {
		t.Errorf("abandoned = %v; want [b]", got)
	}
}

func mustAct(_ *core.Child, acts []core.Action, err error) []core.Action {
	if err != nil {
		panic(err)
	}
	return acts
}

// TestRunOutFromEarlierRunHoldsTheStart: a child whose engine still has a
// Run out that an earlier run of the supervisor abandoned reads abandoned
// from the start; the ordered start waits at it, and goes on once that Run
// has returned.
func TestRunOutFromEarlierRunHoldsTheStart(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b"), spec("c"))
	h.c.MarkRunOut(h.now, h.child("b"))
	if got := h.state("b"); got != core.StateAbandoned {
		t.Errorf("b state before start = %v; want abandoned", got)
	}
	h.start()
	h.expect("start a")
	h.ready("a")
	h.expect("arm b @5s")
	if got := h.state("b"); got != core.StateAbandoned {
		t.Errorf("b state = %v; want abandoned", got)
	}
	if h.c.Started() {
		t.Errorf("Started = true with b held; want the start waiting")
	}
	h.at(2 * s).abandonedReturned("b")
	h.expect("start b")
	h.ready("b")
	h.expect("start c")
	h.ready("c")
	if !h.c.Started() {
		t.Errorf("Started = false; want true once every child started")
	}
}

// TestRunOutFromEarlierRunAtShutdown: a supervisor stopped while a Run
// abandoned by its earlier run is still out lists that child as
// abandoned, and starts nothing after it.
func TestRunOutFromEarlierRunAtShutdown(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b"), spec("c"))
	h.c.MarkRunOut(h.now, h.child("b"))
	h.start()
	h.expect("start a")
	h.ready("a")
	h.stop()
	h.expect("arm b @5s", "stop a")
	h.stopped("a")
	h.expect("done requested")
	if got := h.outcome.Abandoned; len(got) != 1 || got[0].Name() != "b" {
		t.Errorf("abandoned = %v; want [b]", got)
	}
	h.abandonedReturned("b")
	h.expect()
}

// TestRunOutIgnoredForOverlappingRuns: a child whose runs each have an
// engine of their own starts at once, whatever an earlier run left out.
func TestRunOutIgnoredForOverlappingRuns(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a", overlaps))
	h.c.MarkRunOut(h.now, h.child("a"))
	h.start()
	h.expect("start a")
}
