package supervisor_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// slowExitStop returns an engine whose Stop after a failed run takes d.
func slowExitStop(d time.Duration) *fake {
	f := newFake()
	f.stop = func(ctx context.Context, n int) error {
		if n == 1 {
			time.Sleep(d)
		}
		return nil
	}
	return f
}

// TestExitRecordedBeforeStop: the exit of a run, with its error, is
// recorded when Run returns, not when the Stop that follows it returns;
// the restart is decided once that Stop is over.
func TestExitRecordedBeforeStop(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := slowExitStop(2 * sec)
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Backoff: noBackoff, OnEvent: rec.on}, C{Name: "a", Engine: a, Shutdown: 5 * sec})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		synctest.Wait()
		for _, ev := range rec.events() {
			if ev.Kind == supervisor.EventExited && !errors.Is(ev.Err, errBoom) {
				t.Errorf("exited error = %v; want %v", ev.Err, errBoom)
			}
		}
		sameLines(t, "at the crash", rec.lines(supervisor.EventExited, supervisor.EventRestarting), []string{"0s exited root/a"})
		sameLines(t, "states during the Stop", states(sup), []string{"a=stopping"})
		time.Sleep(3 * sec)
		sameLines(t, "after the Stop", rec.lines(supervisor.EventExited, supervisor.EventRestarting, supervisor.EventStarted),
			[]string{"0s started root/a", "0s exited root/a", "2s restarting root/a", "2s started root/a"})
		stopAndWait(t, sup, wait)
		checkPaired(t, map[string]*fake{"a": a})
	})
}

// TestShutdownKeepsPendingExit: a shutdown that begins while the Stop
// after a crash runs neither loses the crash and its error nor stops the
// child a second time; it waits for that Stop in the child's turn.
func TestShutdownKeepsPendingExit(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b := newFake(), slowExitStop(2*sec)
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Backoff: noBackoff, OnEvent: rec.on},
			C{Name: "a", Engine: a}, C{Name: "b", Engine: b, Shutdown: 5 * sec})
		wait := background(sup)
		synctest.Wait()
		b.crash(errBoom)
		time.Sleep(sec)
		err, took := stopAndWait(t, sup, wait)
		if err != nil || took != sec {
			t.Errorf("Run = %v after %v; want nil after 1s (the rest of b's Stop)", err, took)
		}
		sameLines(t, "events", rec.lines(supervisor.EventExited, supervisor.EventShutdown, supervisor.EventStopping, supervisor.EventStopped),
			[]string{"0s exited root/b", "1s shutdown root", "2s stopping root/a", "2s stopped root/a"})
		exited := 0
		for _, ev := range rec.events() {
			if ev.Kind == supervisor.EventExited && errors.Is(ev.Err, errBoom) {
				exited++
			}
		}
		if exited != 1 {
			t.Errorf("exited records with the crash's error = %d; want 1", exited)
		}
		checkPaired(t, map[string]*fake{"a": a, "b": b})
	})
}

// TestAbandonedIsNotAlsoStopped: a child abandoned after its shutdown
// timeout is reported stop_timed_out, and not also stopped.
func TestAbandonedIsNotAlsoStopped(t *testing.T) {
	bubble(t, func(t *testing.T) {
		release := make(chan struct{})
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{OnEvent: rec.on}, C{Name: "a", Engine: hanging(release), Shutdown: sec})
		wait := background(sup)
		synctest.Wait()
		stopAndWait(t, sup, wait)
		sameLines(t, "events", rec.lines(supervisor.EventStopping, supervisor.EventStopped, supervisor.EventStopTimedOut),
			[]string{"0s stopping root/a", "1s stop_timed_out root/a"})
		close(release)
	})
}
