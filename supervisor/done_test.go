package supervisor_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// TestTransientNormalExitIsDone: a transient child whose run ends on its
// own with nil is done, with no method of its engine to say so; a run
// that fails, a new run and a stop on request each leave it not done, a
// replaced spec (a reload) leaves it done, and a permanent child is never
// done.
func TestTransientNormalExitIsDone(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var fails atomic.Int32
		step := engine.FromFunc(func(ctx context.Context) error {
			if fails.Add(-1) >= 0 {
				return errors.New("boom")
			}
			return nil
		})
		block := engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
		sup := supervisor.New("root", supervisor.Config{Backoff: supervisor.Backoff{Initial: time.Second, Jitter: supervisor.Zero}},
			C{Name: "step", Engine: step, Restart: supervisor.Transient},
			C{Name: "server", Engine: block})
		wait := background(sup)
		synctest.Wait()
		done := func(when string, want bool) {
			t.Helper()
			c := sup.Snapshot().Children[0]
			if c.Done != want {
				t.Errorf("%s: Done = %v (state %v, last exit %v); want %v", when, c.Done, c.State, c.LastExit, want)
			}
			if c.Done && c.State != supervisor.StateStopped {
				t.Errorf("%s: done in state %v; want stopped", when, c.State)
			}
		}
		done("after its run returned nil", true)
		if sup.Snapshot().Children[1].Done {
			t.Error("a running permanent child is done")
		}
		if err := sup.TerminateChild(context.Background(), "step"); err != nil {
			t.Fatal(err)
		}
		done("terminated when already done", true)

		fails.Store(1)
		_ = sup.RestartChild(context.Background(), "step") // its run fails: a start failure of the restart, or an exit
		synctest.Wait()
		done("after a failed run", false)
		time.Sleep(time.Second)
		synctest.Wait()
		done("after the restart's run returned nil", true)

		block2 := engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
		if err := sup.ReplaceChild(context.Background(), C{Name: "step", Engine: block2, Restart: supervisor.Transient}); err != nil {
			t.Fatal(err)
		}
		done("replaced: the finished job stays done until the new spec runs", true)
		if err := sup.RestartChild(context.Background(), "step"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		done("running", false)
		if err := sup.TerminateChild(context.Background(), "step"); err != nil {
			t.Fatal(err)
		}
		done("stopped on request", false)
		stopAndWait(t, sup, wait)
	})
}
