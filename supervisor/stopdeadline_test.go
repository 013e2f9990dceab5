package supervisor_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// A Stop that returns only because its context expired at the shutdown
// timeout, and a Run that returns only because the expiry cancelled it,
// are a stop that timed out: the child is reported stop_timed_out at
// the deadline, never stopped, whichever goroutine the runtime runs
// first at that instant. The simulator decides the same; the agreement
// test once saw the live tree say "stopped" there.
func TestStopThatReturnsAtItsDeadlineTimedOut(t *testing.T) {
	for i := range 20 {
		bubble(t, func(t *testing.T) {
			rec := newRecorder()
			a := newFake()
			a.run = func(ctx context.Context, n int) error { <-ctx.Done(); return nil }
			a.stop = func(ctx context.Context, n int) error { <-ctx.Done(); return ctx.Err() }
			sup := supervisor.New("root", supervisor.Config{OnEvent: rec.on}, C{Name: "a", Engine: a, Shutdown: time.Second})
			wait := background(sup)
			synctest.Wait()
			if err := sup.TerminateChild(context.Background(), "a"); err != nil {
				t.Logf("TerminateChild = %v", err)
			}
			synctest.Wait()
			var kinds []string
			for _, ev := range rec.events() {
				if ev.Path == "root/a" && (ev.Kind == supervisor.EventStopped || ev.Kind == supervisor.EventStopTimedOut) {
					kinds = append(kinds, ev.Kind.String())
				}
			}
			if len(kinds) != 1 || kinds[0] != supervisor.EventStopTimedOut.String() {
				t.Errorf("round %d: stop reported as %v; want [stop_timed_out]", i, kinds)
			}
			stopAndWait(t, sup, wait)
		})
	}
}
