package supervisor_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// TestEventRestartsAsTheyWere: an event carries the child's restart count
// as it was when the event happened: the exited that a restart follows
// does not count that restart yet; the restarting and the start after it
// do.
func TestEventRestartsAsTheyWere(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var runs atomic.Int32
		flaky := engine.FromFunc(func(ctx context.Context) error {
			if runs.Add(1) == 1 {
				return errors.New("boom")
			}
			<-ctx.Done()
			return nil
		})
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Backoff: noBackoff, OnEvent: rec.on}, C{Name: "a", Engine: flaky})
		wait := background(sup)
		synctest.Wait()
		var got []string
		for _, ev := range rec.events() {
			if ev.Path == "root/a" {
				got = append(got, fmt.Sprintf("%v restarts=%d", ev.Kind, ev.Restarts))
			}
		}
		want := []string{"started restarts=0", "ready restarts=0", "exited restarts=0", "restarting restarts=1", "started restarts=1", "ready restarts=1"}
		if !slices.Equal(got, want) {
			t.Errorf("events of root/a = %q; want %q", got, want)
		}
		stopAndWait(t, sup, wait)
	})
}
