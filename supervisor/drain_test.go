package supervisor_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// TestDrainBeforeStop: a requested shutdown marks the snapshot Stopping
// at once, keeps every child running for the drain, then stops them in
// reverse start order; a cancelled ctx drains the same way.
func TestDrainBeforeStop(t *testing.T) {
	for _, how := range []string{"stop", "cancel"} {
		t.Run(how, func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				a, b := newFake(), newFake()
				rec := newRecorder()
				sup := supervisor.New("root", supervisor.Config{Drain: 3 * sec, OnEvent: rec.on},
					C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				start := time.Now()
				errc := sup.ServeBackground(ctx)
				synctest.Wait()
				if s := sup.Snapshot(); !s.Started || s.Stopping {
					t.Errorf("before: Started, Stopping = %v, %v; want true, false", s.Started, s.Stopping)
				}
				if how == "stop" {
					go sup.Stop(context.Background())
				} else {
					cancel()
				}
				synctest.Wait()
				s := sup.Snapshot()
				if s.Started || !s.Stopping {
					t.Errorf("draining: Started, Stopping = %v, %v; want false, true", s.Started, s.Stopping)
				}
				sameLines(t, "draining", states(sup), []string{"a=running", "b=running"})
				if err := <-errc; err != nil {
					t.Errorf("Run = %v; want nil", err)
				}
				if got, want := time.Since(start), 3*sec; got != want {
					t.Errorf("shutdown took %v; want %v", got, want)
				}
				sameLines(t, "stops", rec.lines(supervisor.EventStopping),
					[]string{"3s stopping root/b", "3s stopping root/a"})
			})
		})
	}
}

// TestZeroDrainStopsAtOnce: without a drain the children stop as soon as
// the shutdown is asked for.
func TestZeroDrainStopsAtOnce(t *testing.T) {
	bubble(t, func(t *testing.T) {
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: newFake()})
		wait := background(sup)
		synctest.Wait()
		if _, took := stopAndWait(t, sup, wait); took != 0 {
			t.Errorf("stop took %v; want 0s", took)
		}
		if s := sup.Snapshot(); s.Running || !s.Stopping {
			t.Errorf("after: Running, Stopping = %v, %v; want false, true", s.Running, s.Stopping)
		}
	})
}

// TestDrainCountsInParentShutdown: a child supervisor's default stop
// bound includes its drain, so that its parent does not abandon it while
// it drains.
func TestDrainCountsInParentShutdown(t *testing.T) {
	bubble(t, func(t *testing.T) {
		sub := supervisor.New("sub", supervisor.Config{Drain: 10 * sec}, C{Name: "a", Engine: newFake()})
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "sub", Engine: sub})
		wait := background(sup)
		synctest.Wait()
		err, took := stopAndWait(t, sup, wait)
		if err != nil || took != 10*sec {
			t.Errorf("stop = %v after %v; want nil after 10s", err, took)
		}
	})
}

// TestGiveUpSnapshotStopping: a supervisor that gave up reads Stopping
// while it stops its other children, though no one asked it to.
func TestGiveUpSnapshotStopping(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b := newFake(), slowExitStop(0)
		b.stop = func(context.Context, int) error { time.Sleep(2 * sec); return nil }
		sup := supervisor.New("root", supervisor.Config{Intensity: supervisor.Zero},
			C{Name: "b", Engine: b, Shutdown: 5 * sec}, C{Name: "a", Engine: a})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		synctest.Wait()
		if s := sup.Snapshot(); s.Started || !s.Stopping || !s.Running {
			t.Errorf("giving up: Started, Stopping, Running = %v, %v, %v; want false, true, true", s.Started, s.Stopping, s.Running)
		}
		if err, took := wait(); !isA[*supervisor.GaveUpError](err) || took != 2*sec {
			t.Errorf("Run = %v after %v; want a GaveUpError after 2s", err, took)
		}
	})
}
