package sim

import (
	"testing"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// TestGroupBackoffLanes: while a group restart waits out its delay, the
// lanes of every child it will start read backing_off, under each group
// strategy, as the live snapshots do.
func TestGroupBackoffLanes(t *testing.T) {
	s := time.Second
	b := func(sp *core.ChildSpec) { sp.Backoff = core.Backoff{Initial: 3 * s, Multiplier: 1} }
	tests := []struct {
		strategy core.Strategy
		waiting  map[string]bool
	}{
		{core.OneForOne, map[string]bool{"r/c": true}},
		{core.RestForOne, map[string]bool{"r/b": true, "r/c": true}},
		{core.OneForAll, map[string]bool{"r/a": true, "r/b": true, "r/c": true}},
	}
	for _, tt := range tests {
		t.Run(tt.strategy.String(), func(t *testing.T) {
			fail := func(name string) Faults {
				if name == "c" && tt.strategy != core.RestForOne || name == "b" && tt.strategy == core.RestForOne {
					return Faults{FailAt: at(10 * s)}
				}
				return Faults{}
			}
			g := &tGroup{Name: "r", Config: core.Config{Strategy: tt.strategy, Intensity: 5, Period: time.Minute, Seed: 1},
				Children: []tChild{leaf("a", fail("a"), b), leaf("b", fail("b"), b), leaf("c", fail("c"), b)}}
			res, err := simulate(g, Options{Duration: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range res.Lanes[1:] {
				var backingOff time.Duration
				for _, sp := range l.Spans {
					if sp.State == stateBackingOff {
						backingOff += sp.To - sp.From
						if sp.From != 10*s {
							t.Errorf("%s backs off from %v; want from 10s", l.Path, sp.From)
						}
					}
				}
				want := time.Duration(0)
				if tt.waiting[l.Path] {
					want = 3 * s
				}
				// The jitter of leaf's backoff spreads the delay by a
				// quarter at most.
				if want == 0 && backingOff != 0 || want != 0 && (backingOff < want*3/4 || backingOff > want*5/4) {
					t.Errorf("%s backs off for %v; want %v ± 25%%", l.Path, backingOff, want)
				}
			}
		})
	}
}
