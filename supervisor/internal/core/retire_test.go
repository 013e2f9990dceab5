package core_test

import (
	"slices"
	"testing"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// retiredAre checks the Retire actions since the last call.
func retiredAre(t *testing.T, h *harness, want ...string) {
	t.Helper()
	if got := h.retired; !slices.Equal(got, want) {
		t.Errorf("retired = %v; want %v", got, want)
	}
	h.retired = nil
}

// TestRetireWhenStoppedForNow: the core, not the shell, says when a child
// has stopped with nothing planned for it, so that the shell lets its
// worker go; a child that is restarted or backs off keeps it.
func TestRetireWhenStoppedForNow(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b", transient), spec("c", withRestart(core.Permanent),
		backoff(core.Backoff{Initial: s, Max: s, Multiplier: 1}))).startAll()
	retiredAre(t, h)
	h.exit("a", core.ExitFailed) // restarted at once
	retiredAre(t, h)
	h.exit("c", core.ExitFailed) // backs off
	retiredAre(t, h)
	h.exit("b", core.ExitNormal) // a transient child's normal end: not restarted
	retiredAre(t, h, "b")
	h.record(mustAct(h.c.TerminateChild(h.now, "a")))
	retiredAre(t, h)
	h.stopped("a")
	retiredAre(t, h, "a")
	h.record(mustAct(h.c.TerminateChild(h.now, "c"))) // backing off: stopped at once
	retiredAre(t, h, "c")
}

// TestRetireRightAfterItsReport: during the shutdown, a stopped child's
// Retire comes right after its report, before the stop of the next one,
// so that its worker is let go first.
func TestRetireRightAfterItsReport(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b")).startAll()
	h.stop()
	h.take()
	n := len(h.all)
	h.stopped("b")
	var got []string
	for _, a := range h.all[n:] {
		got = append(got, describe(a))
	}
	if want := []string{"stopped b", "retire b", "stopping a", "stop a"}; !slices.Equal(got, want) {
		t.Errorf("actions = %v; want %v", got, want)
	}
}
