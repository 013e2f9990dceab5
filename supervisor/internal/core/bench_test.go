package core_test

import (
	"testing"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// BenchmarkCoreRestart measures one one_for_one restart with no backoff:
// an exit in, a start out. It must not allocate.
func BenchmarkCoreRestart(b *testing.B) {
	c := core.New(core.Config{Strategy: core.OneForOne, Intensity: 1, Period: time.Millisecond},
		[]core.ChildSpec{{Name: "a", Restart: core.Permanent, Shutdown: time.Second}})
	now := t0
	c.Start(now)
	ch := c.Children()[0]
	c.Handle(now, core.Input{Kind: core.ChildReady, Child: ch, Gen: ch.Gen()}) // the ordered start's confirmation
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Second) // outside the window: never gives up
		acts := c.Handle(now, core.Input{Kind: core.ChildExited, Child: ch, Gen: ch.Gen(), Exit: core.ExitFailed, Err: errBoom})
		if len(acts) == 0 || c.Finished() {
			b.Fatalf("no restart: %v", acts)
		}
	}
}

// TestCoreRestartDoesNotAllocate keeps the benchmark's promise in the
// ordinary test run.
func TestCoreRestartDoesNotAllocate(t *testing.T) {
	c := core.New(core.Config{Strategy: core.OneForOne, Intensity: 3, Period: time.Millisecond},
		[]core.ChildSpec{{Name: "a", Restart: core.Permanent, Shutdown: time.Second}})
	now := t0
	c.Start(now)
	ch := c.Children()[0]
	c.Handle(now, core.Input{Kind: core.ChildReady, Child: ch, Gen: ch.Gen()}) // the ordered start's confirmation
	allocs := testing.AllocsPerRun(1000, func() {
		now = now.Add(time.Second)
		c.Handle(now, core.Input{Kind: core.ChildExited, Child: ch, Gen: ch.Gen(), Exit: core.ExitFailed, Err: errBoom})
	})
	if allocs != 0 {
		t.Errorf("allocs per restart = %v; want 0", allocs)
	}
}
