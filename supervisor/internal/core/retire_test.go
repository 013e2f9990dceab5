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
	h.exit("a", core.ExitError) // restarted at once
	retiredAre(t, h)
	h.exit("c", core.ExitError) // backs off
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
