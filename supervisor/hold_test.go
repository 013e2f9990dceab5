package supervisor_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// TestHeldStartIsBoundedByStartTimeout: one engine whose Run ignores its
// context does not stall a one_for_all supervisor. Its start, held while
// that Run is out, fails start_failed (an error matching ErrAbandoned) at exactly the
// start timeout after the hold began; the restart policy backs off, holds
// again, and gives up at the intensity, listing the child as abandoned.
func TestHeldStartIsBoundedByStartTimeout(t *testing.T) {
	bubble(t, func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		hang := engine.FromFunc(func(context.Context) error { <-release; return nil })
		crash := engine.FromFunc(func(context.Context) error {
			time.Sleep(300 * time.Millisecond)
			return errBoom
		})
		after := engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
		rec := newRecorder()
		var startFailed []error
		on := func(ev supervisor.Event) {
			if ev.Kind == supervisor.EventStartFailed {
				startFailed = append(startFailed, ev.Err)
			}
			rec.on(ev)
		}
		sup := supervisor.New("root", supervisor.Config{Strategy: supervisor.OneForAll, Shutdown: 500 * time.Millisecond,
			StartTimeout: sec, Intensity: 2, Period: time.Minute, OnEvent: on,
			Backoff: supervisor.Backoff{Initial: 100 * time.Millisecond, Multiplier: 2, Jitter: supervisor.Zero}},
			C{Name: "hang", Engine: hang}, C{Name: "crash", Engine: crash}, C{Name: "after", Engine: after})
		wait := background(sup)
		time.Sleep(850 * time.Millisecond)
		synctest.Wait()
		hs := sup.Snapshot().Children[0]
		if hs.State != supervisor.StateAbandoned || hs.LastExit != supervisor.ExitFailed || !errors.Is(hs.LastErr, supervisor.ErrAbandoned) {
			t.Errorf("hang after its stop timed out = %v, %v, %v; want abandoned, error, %v", hs.State, hs.LastExit, hs.LastErr, supervisor.ErrAbandoned)
		}
		time.Sleep(sec) // 1.85 s: held since 0.9 s
		synctest.Wait()
		sameLines(t, "while held", states(sup), []string{"hang=abandoned", "crash=stopped", "after=stopped"})
		err, took := wait()
		sameLines(t, "events", rec.lines(supervisor.EventExited, supervisor.EventStopTimedOut, supervisor.EventStartFailed,
			supervisor.EventRestarting, supervisor.EventGaveUp), []string{
			"300ms exited root/crash",
			"300ms restarting root/crash",
			"800ms stop_timed_out root/hang",
			"1.9s start_failed root/hang",
			"1.9s restarting root/hang",
			"3s start_failed root/hang",
			"3s gave_up root",
		})
		if took != 3*sec {
			t.Errorf("Run took %v; want 3s", took)
		}
		for i, e := range startFailed {
			if !errors.Is(e, supervisor.ErrAbandoned) || !strings.Contains(e.Error(), "has not returned") {
				t.Errorf("start_failed %d err = %v; want one matching %v, saying the Run has not returned", i, e, supervisor.ErrAbandoned)
			}
		}
		gu, ok := errors.AsType[*supervisor.GaveUpError](err)
		if !ok || gu.Child != "root/hang" || !errors.Is(err, supervisor.ErrAbandoned) || len(gu.Abandoned) != 1 || gu.Abandoned[0] != "root/hang" {
			t.Errorf("Run = %v; want gave up by root/hang, %v, abandoned [root/hang]", err, supervisor.ErrAbandoned)
		}
	})
}
