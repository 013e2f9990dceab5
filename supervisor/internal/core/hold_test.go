package core_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

const ms = time.Millisecond

// hangCrashAfter is the shape a user found stalling a supervisor: hang
// ignores its context, crash fails, after stops when asked; one_for_all,
// shutdown 500 ms, start timeout 1 s, a 100 ms backoff doubling, no
// jitter.
func hangCrashAfter(t *testing.T, intensity int) *harness {
	opts := []func(*core.ChildSpec){
		func(sp *core.ChildSpec) { sp.Shutdown = 500 * ms },
		startTimeout(s),
		backoff(core.Backoff{Initial: 100 * ms, Multiplier: 2}),
	}
	cfg := core.Config{Strategy: core.OneForAll, Intensity: intensity, Period: time.Minute}
	return newHarness(t, cfg, spec("hang", opts...), spec("crash", opts...), spec("after", opts...))
}

// TestHeldStartFailsAtItsStartTimeout: a start held for an abandoned Run
// that never returns fails at exactly the start timeout after the hold
// began, is reported start_failed with ErrRunOut, and the restart policy
// applies as for any start failure: backoff, then the next hold, then
// gave_up at the intensity. The child reads abandoned throughout, and its
// abandoned run's last exit is a failure, not normal.
func TestHeldStartFailsAtItsStartTimeout(t *testing.T) {
	h := hangCrashAfter(t, 2)
	h.startAll()
	h.at(300*ms).exit("crash", core.ExitFailed)
	h.expect("stop after")
	h.stopped("after")
	h.expect("stop hang")
	h.at(800 * ms).stopTimedOut("hang")
	h.expect("arm sup @900ms")
	if kind, err := h.child("hang").LastExit(); kind != core.ExitFailed || !errors.Is(err, core.ErrAbandoned) {
		t.Errorf("hang last exit = %v, %v; want error, %v", kind, err, core.ErrAbandoned)
	}
	h.takeReports()

	h.fire("sup")
	h.expect("arm hang @1.9s")
	if got := h.state("hang"); got != core.StateAbandoned {
		t.Errorf("hang state while held = %v; want abandoned", got)
	}
	h.at(1899 * ms)
	if got := h.takeReports(); len(got) != 0 {
		t.Errorf("reports before the bound = %v; want none", got)
	}
	h.fire("hang")
	if got := h.now.Sub(t0); got != 1900*ms {
		t.Errorf("held start failed at %v; want 1.9s", got)
	}
	h.expect("arm sup @2s")
	if got, want := h.takeReports(), []string{"start_failed hang", "restarting hang"}; !slices.Equal(got, want) {
		t.Errorf("reports = %v; want %v", got, want)
	}
	if kind, err := h.child("hang").LastExit(); kind != core.ExitStartFailed || !errors.Is(err, core.ErrRunOut) {
		t.Errorf("hang last exit = %v, %v; want start_failed, %v", kind, err, core.ErrRunOut)
	}
	if got := h.state("hang"); got != core.StateAbandoned {
		t.Errorf("hang state after the failed start = %v; want abandoned", got)
	}
	var restarting core.Action
	for _, a := range h.all {
		if a.Kind == core.Report && a.Report == core.EventRestarting && a.Child.Name() == "hang" {
			restarting = a
		}
	}
	if restarting.Exit != core.ExitStartFailed || restarting.Err != core.ErrRunOut || restarting.Delay != 100*ms {
		t.Errorf("restarting = %v, %v, %v; want start_failed, %v, 100ms", restarting.Exit, restarting.Err, restarting.Delay, core.ErrRunOut)
	}

	// The next attempt holds again, bounded again; the third restart
	// would exceed the intensity of 2.
	h.fire("sup")
	h.expect("arm hang @3s")
	h.fire("hang")
	h.expect("done gave_up")
	if got, want := h.takeReports(), []string{"start_failed hang", "gave_up hang", "shutdown hang"}; !slices.Equal(got, want) {
		t.Errorf("reports = %v; want %v", got, want)
	}
	if got := h.outcome.Abandoned; len(got) != 1 || got[0].Name() != "hang" {
		t.Errorf("abandoned = %v; want [hang]", got)
	}
	if h.outcome.Err != core.ErrRunOut {
		t.Errorf("outcome err = %v; want %v", h.outcome.Err, core.ErrRunOut)
	}
}

// TestHeldStartGoesOnWhenTheRunReturns: a Run that returns within the
// bound releases the start at once, and the bound's timer, firing later,
// fails nothing.
func TestHeldStartGoesOnWhenTheRunReturns(t *testing.T) {
	h := hangCrashAfter(t, 2)
	h.startAll()
	h.at(300*ms).exit("crash", core.ExitFailed)
	h.stopped("after")
	h.at(800 * ms).stopTimedOut("hang")
	h.fire("sup")
	h.expect("stop after", "stop hang", "arm sup @900ms", "arm hang @1.9s")
	h.at(1500 * ms).abandonedReturned("hang")
	h.expect("start hang")
	h.ready("hang")
	h.expect("start crash")
	h.ready("crash")
	h.expect("start after")
	h.ready("after")
	h.takeReports()
	h.fire("hang")
	h.expect()
	if got := h.takeReports(); len(got) != 0 {
		t.Errorf("reports after the stale bound = %v; want none", got)
	}
	if got := h.state("hang"); got != core.StateRunning {
		t.Errorf("hang state = %v; want running", got)
	}
}

// TestHeldInitialStartFailsTheStart: a start held, at the supervisor's
// own start, for a Run that an earlier run abandoned fails at its bound
// (the shutdown, for a child without a start timeout, as a nested
// supervisor is), and so does the supervisor's start.
func TestHeldInitialStartFailsTheStart(t *testing.T) {
	h := newHarness(t, oneForOne(5, time.Minute), spec("a"), spec("b"), spec("c"))
	h.c.MarkRunOut(h.now, h.child("b"))
	h.start()
	h.expect("start a")
	h.ready("a")
	h.expect("arm b @5s")
	h.takeReports()
	h.fire("b")
	h.expect("stop a")
	h.stopped("a")
	h.expect("done start_failed")
	if got, want := h.takeReports(), []string{"start_failed b", "shutdown b", "stopping a", "stopped a"}; !slices.Equal(got, want) {
		t.Errorf("reports = %v; want %v", got, want)
	}
	if h.outcome.Child != h.child("b") || h.outcome.Err != core.ErrRunOut {
		t.Errorf("outcome = %v, %v; want b, %v", nameOf(h.outcome.Child), h.outcome.Err, core.ErrRunOut)
	}
	if got := h.outcome.Abandoned; len(got) != 1 || got[0].Name() != "b" {
		t.Errorf("abandoned = %v; want [b]", got)
	}
}
