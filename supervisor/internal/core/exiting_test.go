package core_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

func (h *harness) exiting(name string, kind core.ExitKind) *harness {
	ch := h.child(name)
	return h.handle(core.Input{Kind: core.ChildExiting, Child: ch, Gen: ch.Gen(), Exit: kind, Err: errBoom})
}

func (h *harness) exitStopped(name string, timedOut bool) *harness {
	ch := h.child(name)
	return h.handle(core.Input{Kind: core.ChildExited, Child: ch, Gen: ch.Gen(), Exit: core.ExitFailed, Err: errBoom, TimedOut: timedOut})
}

func reportsAre(t *testing.T, h *harness, want ...string) {
	t.Helper()
	if got := h.takeReports(); !slices.Equal(got, want) {
		t.Errorf("reports = %v; want %v", got, want)
	}
}

// TestExitReportedBeforeItsStop: ChildExiting reports the end at once and
// holds the decision until ChildExited says the Stop after it is over.
func TestExitReportedBeforeItsStop(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a")).startAll()
	h.exiting("a", core.ExitFailed)
	reportsAre(t, h, "exited a")
	h.expect()
	if got := h.state("a"); got != core.StateStopping {
		t.Errorf("a state = %v; want stopping while its Stop runs", got)
	}
	h.at(2*s).exitStopped("a", false)
	reportsAre(t, h, "restarting a", "started a", "ready a")
	h.expect("start a")
}

// TestExitStopHungCountsAsError: a Stop after a normal end that outlasts
// the shutdown timeout makes the end abnormal, so a transient child is
// restarted.
func TestExitStopHungCountsAsError(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a", transient)).startAll()
	h.exiting("a", core.ExitNormal)
	reportsAre(t, h, "exited a")
	h.at(5*s).exitStopped("a", true)
	reportsAre(t, h, "restarting a", "started a", "ready a")
	if kind, _ := h.child("a").LastExit(); kind != core.ExitFailed {
		t.Errorf("last exit = %v; want error", kind)
	}
}

// TestExitStopHungDecidedByCore: the shell reports only that the Stop
// after a normal end hung, with Run's own result; the core makes the end
// abnormal and says why, so the simulator, which reports the same, makes
// the same decision.
func TestExitStopHungDecidedByCore(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a", transient)).startAll()
	h.exiting("a", core.ExitNormal)
	reportsAre(t, h, "exited a")
	ch := h.child("a")
	h.at(5 * s).handle(core.Input{Kind: core.ChildExited, Child: ch, Gen: ch.Gen(), Exit: core.ExitNormal, TimedOut: true})
	reportsAre(t, h, "restarting a", "started a", "ready a")
	if kind, err := ch.LastExit(); kind != core.ExitFailed || !errors.Is(err, core.ErrStopHung) {
		t.Errorf("last exit = %v, %v; want error, %v", kind, err, core.ErrStopHung)
	}
}

// TestStopMeetsExit: a stop asked for just before the shell reported the
// run's own end keeps the end's record, and the ChildExited after the
// Stop ends the stop.
func TestStopMeetsExit(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a")).startAll()
	h.stop()
	h.expect("stop a")
	h.exiting("a", core.ExitFailed)
	h.exitStopped("a", false)
	reportsAre(t, h, "shutdown sup", "stopping a", "exited a", "stopped a")
	h.expect("done requested")
}

// TestShutdownWaitsForExitStop: a shutdown that reaches a child whose
// Stop after its own end runs waits for it, without stopping it again.
func TestShutdownWaitsForExitStop(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b")).startAll()
	h.exiting("b", core.ExitFailed)
	h.stop()
	h.expect()
	h.exitStopped("b", false)
	h.expect("stop a")
	h.stopped("a")
	h.expect("done requested")
	reportsAre(t, h, "exited b", "shutdown sup", "stopping a", "stopped a")
}

// TestTerminateDuringExitStop: a child terminated while the Stop after
// its own end runs is not restarted when that Stop is over.
func TestTerminateDuringExitStop(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a")).startAll()
	h.exiting("a", core.ExitFailed)
	if _, acts, err := h.c.TerminateChild(h.now, "a"); err != nil || len(acts) != 0 {
		t.Fatalf("TerminateChild = %v, %v; want no action, nil", acts, err)
	}
	h.exitStopped("a", false)
	h.expect()
	if got := h.state("a"); got != core.StateStopped {
		t.Errorf("a state = %v; want stopped", got)
	}
}
