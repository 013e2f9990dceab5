package supervisor_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// TestSnapshotCounters: a child's exits by kind, its stop timeouts, and
// the supervisor's intensity used and give-ups are in its snapshot.
func TestSnapshotCounters(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		sup := supervisor.New("root", supervisor.Config{Backoff: noBackoff, Intensity: 4, Period: 10 * sec},
			C{Name: "a", Engine: a})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		synctest.Wait()
		a.panicRun("oops")
		synctest.Wait()
		s := sup.Snapshot()
		c := s.Children[0]
		if got, want := c.Exits[supervisor.ExitFailed], 1; got != want {
			t.Errorf("error exits = %v; want %v", got, want)
		}
		if got, want := c.Exits[supervisor.ExitPanic], 1; got != want {
			t.Errorf("panic exits = %v; want %v", got, want)
		}
		if got, want := s.IntensityUsed, 0.5; got != want {
			t.Errorf("intensity used = %v; want %v", got, want)
		}
		time.Sleep(11 * sec)
		if got, want := sup.Snapshot().IntensityUsed, 0.0; got != want {
			t.Errorf("intensity used after the period = %v; want %v", got, want)
		}
		stopAndWait(t, sup, wait)
	})
}

// TestGaveUpCounted: each run that gives up adds one to GaveUp, kept
// across runs.
func TestGaveUpCounted(t *testing.T) {
	bubble(t, func(t *testing.T) {
		for run := 1; run <= 2; run++ {
			a := newFake()
			sup := supervisor.New("root", supervisor.Config{Intensity: supervisor.Zero}, C{Name: "a", Engine: a})
			wait := background(sup)
			synctest.Wait()
			a.crash(errBoom)
			wait()
			if got, want := sup.Snapshot().GaveUp, 1; got != want {
				t.Errorf("gave up = %v; want %v", got, want)
			}
		}
	})
}

// TestStopTimeoutCounted: a stop that times out is counted on the child.
func TestStopTimeoutCounted(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		release := make(chan struct{})
		a.stop = func(_ context.Context, _ int) error { <-release; return nil }
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a, Shutdown: sec})
		wait := background(sup)
		synctest.Wait()
		stopAndWait(t, sup, wait)
		if got, want := sup.Snapshot().Children[0].StopTimeouts, 1; got != want {
			t.Errorf("stop timeouts = %v; want %v", got, want)
		}
		close(release)
		synctest.Wait()
	})
}
