package core_test

import (
	"testing"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// Reconfigure changes the core's decision data in place: the next delay
// follows the new backoff (the failures already counted keep counting),
// the next stop carries the new shutdown, and nothing is started or
// stopped by the call itself.
func TestReconfigureInPlace(t *testing.T) {
	h := newHarness(t, oneForOne(100, time.Hour), spec("a", backoff(core.Backoff{Initial: s, Multiplier: 2}))).startAll()
	h.exit("a", core.ExitFailed)
	h.expect("arm a @" + s.String())
	h.at(s).fire("a")
	h.take()
	changed := spec("a", backoff(core.Backoff{Initial: 3 * s, Multiplier: 2}))
	changed.Shutdown = 7 * time.Second
	h.c.Reconfigure(core.Config{Intensity: 100, Period: time.Hour}, []core.ChildSpec{changed})
	h.expect()
	before := h.now
	h.exit("a", core.ExitFailed)
	if got := lastRestartDelay(h); got != 6*s {
		t.Errorf("delay after Reconfigure = %v; want 6s (the new 3s, doubled for the second failure)", got)
	}
	h.take()
	h.at(before.Add(6 * s).Sub(h.now)).fire("a")
	h.take()
	var stops []time.Duration
	for _, a := range h.c.Stop(h.now) {
		if a.Kind == core.StopChild {
			stops = append(stops, a.Timeout)
		}
	}
	if len(stops) != 1 || stops[0] != 7*time.Second {
		t.Errorf("stop timeouts = %v; want [7s], the new Shutdown", stops)
	}
	if got := h.c.Children()[0].Spec().Restart; got != core.Permanent {
		t.Errorf("restart type = %v; want it untouched", got)
	}
}
