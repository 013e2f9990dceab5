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
	"github.com/arborgo/arbor/supervisor/health"
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

		_ = sup.ReplaceChild(context.Background(), C{Name: "step", Engine: step, Restart: supervisor.Transient})
		_ = sup.RestartChild(context.Background(), "step")
		synctest.Wait()
		done("done again", true)
		if err := sup.ReplaceChild(context.Background(), C{Name: "step", Engine: block2}); err != nil {
			t.Fatal(err)
		}
		done("replaced by a permanent spec, which has no job to finish", false)
		stopAndWait(t, sup, wait)
	})
}

// TestDoneNeedsANilEnd: a child supervisor that shut down because its
// significant child failed ended normally, as OTP's shutdown does, but
// finished nothing: it is not done. One whose significant step returned
// nil is done, and readiness counts its whole tree as ready.
func TestDoneNeedsANilEnd(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{{"the step failed", errors.New("migration failed"), false}, {"the step finished", nil, true}} {
		t.Run(tt.name, func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				migrate := engine.FromFunc(func(context.Context) error { return tt.err })
				db := supervisor.New("db", supervisor.Config{AutoShutdown: supervisor.AnySignificant},
					C{Name: "migrate", Engine: migrate, Restart: supervisor.Temporary, Significant: true})
				block := engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
				sup := supervisor.New("root", supervisor.Config{},
					C{Name: "db", Engine: db, Restart: supervisor.Transient}, C{Name: "server", Engine: block})
				wait := background(sup)
				synctest.Wait()
				c := sup.Snapshot().Children[0]
				if c.Done != tt.want || c.State != supervisor.StateStopped {
					t.Errorf("db: Done = %v in %v (last exit %v, %v); want %v, stopped", c.Done, c.State, c.LastExit, c.LastErr, tt.want)
				}
				if rep := health.Check(sup.Tree(context.Background())); rep.Ready != tt.want {
					t.Errorf("readiness = %+v; want ready %v", rep, tt.want)
				}
				stopAndWait(t, sup, wait)
			})
		})
	}
}
