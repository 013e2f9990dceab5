package core_test

import (
	"strings"
	"testing"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// TestDrain: a requested stop with a Drain reports draining, keeps the
// children running and restarting for the drain, then shuts down; a
// second request changes nothing.
func TestDrain(t *testing.T) {
	h := draining(t, 5)
	h.stop()
	h.expect("arm sup @5s")
	if got, want := strings.Join(h.takeReports(), ", "), "draining sup"; got != want {
		t.Errorf("reports = %v; want %v", got, want)
	}
	h.stop() // a second request
	h.expect()
	h.at(2 * s)
	h.exit("a", core.ExitFailed)
	h.answerStops()
	h.expect("start a")
	h.ready("a")
	h.take()
	h.fire("sup")
	if got, want := strings.Join(h.answerStops(), " "), "b a"; got != want {
		t.Errorf("stopped %v; want %v, in reverse start order", got, want)
	}
	h.expect("done requested")
	if got, want := h.now.Sub(t0), 5*s; got != want {
		t.Errorf("shut down at %v; want %v, the end of the drain", got, want)
	}
}

// TestDrainAndGroupBackoffShareTheTimer: the supervisor's one timer serves
// a group restart's backoff and the drain, whichever ends first: a
// backoff shorter than the drain restarts the group within it, and a
// drain shorter than the backoff shuts down with the group never
// restarted.
func TestDrainAndGroupBackoffShareTheTimer(t *testing.T) {
	b := backoff(core.Backoff{Initial: 3 * s, Multiplier: 1})
	tests := []struct {
		name   string
		drain  time.Duration
		readyA bool     // answer a's start, so that b starts too
		want   []string // the actions from the first timer on
	}{
		{"backoff first", 10 * s, true, []string{"start a", "arm sup @11s", "start b"}},
		{"drain first", 2 * s, false, []string{"done requested"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, core.Config{Strategy: core.OneForAll, Intensity: 5, Period: time.Minute, Drain: tt.drain},
				spec("a", b), spec("b", b)).startAll()
			h.at(s)
			h.exit("a", core.ExitFailed)
			h.answerStops() // the group waits until 4s
			h.take()
			h.stop()
			h.take()
			h.fire("sup")
			got := h.take()
			if tt.readyA {
				h.ready("a")
				got = append(got, h.take()...)
			}
			if got, want := strings.Join(got, ", "), strings.Join(tt.want, ", "); got != want {
				t.Errorf("actions = %v; want %v", got, want)
			}
		})
	}
}

// TestGiveUpEndsTheDrain: a failure beyond the intensity during a drain
// shuts down at once, as without one; the drain's end then does nothing.
func TestGiveUpEndsTheDrain(t *testing.T) {
	h := draining(t, 0)
	h.stop()
	h.take()
	h.takeReports()
	h.at(s)
	h.exit("a", core.ExitFailed)
	h.expect("stop b") // the give-up's shutdown, at once
	h.takeReports()
	h.fire("sup") // the drain's end, while that shutdown is under way
	if got := h.take(); len(got) != 0 {
		t.Errorf("actions at the drain's end = %v; want none", got)
	}
	if got := h.takeReports(); len(got) != 0 {
		t.Errorf("reports at the drain's end = %v; want none (no second shutdown)", got)
	}
	h.stopped("b")
	h.expect("done gave_up")
}

// draining returns a one_for_one supervisor of a and b, started, with a
// 5s drain and the given intensity, its start's actions and reports taken.
func draining(t *testing.T, intensity int) *harness {
	h := newHarness(t, core.Config{Strategy: core.OneForOne, Intensity: intensity, Period: time.Minute, Drain: 5 * s},
		spec("a", backoff(core.Backoff{})), spec("b", backoff(core.Backoff{}))).startAll()
	h.take()
	h.takeReports()
	return h
}
