package core_test

import (
	"slices"
	"testing"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// TestBackingOffEveryStrategy: a child waiting out its restart delay reads
// backing_off with the time the wait ends, whatever the strategy: under a
// group strategy every child the group restart will start waits with the
// one that failed.
func TestBackingOffEveryStrategy(t *testing.T) {
	b := backoff(core.Backoff{Initial: 3 * s, Multiplier: 1})
	tests := []struct {
		strategy core.Strategy
		waiting  []string // backing off after c fails at 1s
		running  []string
	}{
		{core.OneForOne, []string{"c"}, []string{"a", "b"}},
		{core.RestForOne, []string{"b", "c"}, []string{"a"}},
		{core.OneForAll, []string{"a", "b", "c"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.strategy.String(), func(t *testing.T) {
			h := newHarness(t, core.Config{Strategy: tt.strategy, Intensity: 5, Period: 5 * s},
				spec("a", b), spec("b", b), spec("c", b)).startAll()
			h.at(s)
			// b fails under rest_for_one, so that a is before the group;
			// c fails otherwise.
			failed := "c"
			if tt.strategy == core.RestForOne {
				failed = "b"
			}
			h.exit(failed, core.ExitFailed)
			h.answerStops()
			h.at(2 * s)
			for _, name := range tt.waiting {
				ch := h.child(name)
				if got := ch.State(); got != core.StateBackingOff {
					t.Errorf("%s state = %v; want backing_off", name, got)
				}
				if got, want := ch.BackoffUntil(), t0.Add(4*s); !got.Equal(want) {
					t.Errorf("%s backoff until %v; want %v", name, got.Sub(t0), want.Sub(t0))
				}
			}
			for _, name := range tt.running {
				if got := h.state(name); got != core.StateRunning {
					t.Errorf("%s state = %v; want running", name, got)
				}
			}
			// The wait ends with the restart: nothing reads backing_off
			// once it began.
			if tt.strategy == core.OneForOne {
				h.fire("c")
			} else {
				h.fire("sup")
			}
			h.drive()
			for _, ch := range h.c.Children() {
				if got := ch.State(); got != core.StateRunning || !ch.BackoffUntil().IsZero() {
					t.Errorf("after the restart %s = %v, backoff until %v; want running, none", ch.Name(), got, ch.BackoffUntil())
				}
			}
		})
	}
}

// TestGroupWaitEndsWithoutReports: a group waiting out its delay neither
// reports its children stopped a second time when the supervisor shuts
// down, nor leaves them backing off.
func TestGroupWaitEndsWithoutReports(t *testing.T) {
	b := backoff(core.Backoff{Initial: time.Hour, Multiplier: 1})
	h := newHarness(t, core.Config{Strategy: core.OneForAll, Intensity: 5, Period: 5 * s}, spec("a", b), spec("b", b)).startAll()
	h.exit("a", core.ExitFailed)
	h.answerStops()
	h.takeReports()
	h.stop()
	h.expect("arm sup @1h0m0s", "done requested")
	if got, want := h.takeReports(), []string{"shutdown sup"}; !slices.Equal(got, want) {
		t.Errorf("reports = %v; want %v", got, want)
	}
	for _, name := range []string{"a", "b"} {
		if got := h.state(name); got != core.StateStopped {
			t.Errorf("%s state = %v; want stopped", name, got)
		}
	}
}

// TestGroupWaitIgnoresStaleStartDeadline: a child's start deadline timer
// that fires while its group waits out the delay does not start it early.
func TestGroupWaitIgnoresStaleStartDeadline(t *testing.T) {
	b := backoff(core.Backoff{Initial: time.Hour, Multiplier: 1})
	h := newHarness(t, core.Config{Strategy: core.OneForAll, Intensity: 5, Period: 5 * s},
		spec("a", b), spec("b", b, readies, startTimeout(s))).startAll()
	h.exit("a", core.ExitFailed)
	h.answerStops()
	h.take()
	h.fire("b")
	h.expect()
	if got := h.state("b"); got != core.StateBackingOff {
		t.Errorf("b state = %v; want backing_off", got)
	}
}
