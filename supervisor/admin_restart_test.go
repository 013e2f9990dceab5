package supervisor_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// TestRestartOnRequestIsNoFailure: a restart asked for by name
// (TerminateChild, then RestartChild, as `supervise restart` does) is not
// a failure: three of them under intensity 1 do not make the supervisor
// give up, add nothing to the restart count, and leave the backoff where
// the last failure left it (the next failure waits 2s, the second step,
// not the fifth).
func TestRestartOnRequestIsNoFailure(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b := newFake(), newFake()
		cfg := supervisor.Config{Intensity: 2, Period: time.Hour,
			Backoff: supervisor.Backoff{Initial: sec, Max: time.Minute, Multiplier: 2, Jitter: supervisor.Zero}}
		sup := supervisor.New("root", cfg, C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
		wait := background(sup)
		synctest.Wait()
		ctx := context.Background()
		a.crash(errBoom) // the one failure: restarted after 1s
		time.Sleep(sec)
		synctest.Wait()
		for i := range 3 {
			if err := sup.TerminateChild(ctx, "a"); err != nil {
				t.Fatalf("TerminateChild %d = %v; want nil", i+1, err)
			}
			if err := sup.RestartChild(ctx, "a"); err != nil {
				t.Fatalf("RestartChild %d = %v; want nil", i+1, err)
			}
		}
		// RestartChild returns once the child counts as ready, which for an
		// engine that does not report readiness is as its Run is called,
		// before the fake's Run has counted the run.
		synctest.Wait()
		if got := a.runCount(); got != 5 {
			t.Errorf("a runs = %d; want 5", got)
		}
		if got := restarts(sup, "a"); got != 1 {
			t.Errorf("restarts of a = %d; want 1 (the failure only)", got)
		}
		a.crash(errBoom) // the second failure: within intensity 2
		time.Sleep(2*sec - time.Nanosecond)
		synctest.Wait()
		if got := a.runCount(); got != 5 {
			t.Errorf("a runs just before 2s = %d; want 5 (the delay is 2s)", got)
		}
		time.Sleep(time.Nanosecond)
		synctest.Wait()
		if got := a.runCount(); got != 6 {
			t.Errorf("a runs at 2s = %d; want 6", got)
		}
		if got := restarts(sup, "a"); got != 2 {
			t.Errorf("restarts of a = %d; want 2", got)
		}
		if got := b.runCount(); got != 1 {
			t.Errorf("b runs = %d; want 1", got)
		}
		if err, _ := stopAndWait(t, sup, wait); err != nil {
			t.Errorf("Run = %v; want nil (it never gave up)", err)
		}
	})
}

func restarts(sup *supervisor.Supervisor, name string) int {
	for _, c := range sup.Snapshot().Children {
		if c.Name == name {
			return c.Restarts
		}
	}
	return -1
}
