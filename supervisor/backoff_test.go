package supervisor_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// TestSnapshotBackingOffEveryStrategy: while a restart waits out its
// delay, the snapshot shows every child that will start then as backing
// off, with the time left, under every strategy.
func TestSnapshotBackingOffEveryStrategy(t *testing.T) {
	tests := []struct {
		strategy supervisor.Strategy
		want     []string
	}{
		{supervisor.OneForOne, []string{"a=running", "b=running", "c=backing_off 2s"}},
		{supervisor.RestForOne, []string{"a=running", "b=backing_off 2s", "c=backing_off 2s"}},
		{supervisor.OneForAll, []string{"a=backing_off 2s", "b=backing_off 2s", "c=backing_off 2s"}},
	}
	for _, tt := range tests {
		t.Run(tt.strategy.String(), func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				a, b, c := newFake(), newFake(), newFake()
				cfg := supervisor.Config{Strategy: tt.strategy, Backoff: supervisor.Backoff{Initial: 3 * sec, Multiplier: 1, Jitter: supervisor.Zero}}
				sup := supervisor.New("root", cfg, C{Name: "a", Engine: a}, C{Name: "b", Engine: b}, C{Name: "c", Engine: c})
				wait := background(sup)
				synctest.Wait()
				if tt.strategy == supervisor.RestForOne {
					b.crash(errBoom)
				} else {
					c.crash(errBoom)
				}
				time.Sleep(sec)
				synctest.Wait()
				var got []string
				for _, ch := range sup.Snapshot().Children {
					s := ch.Name + "=" + ch.State.String()
					if ch.State == supervisor.StateBackingOff {
						s += " " + ch.BackoffLeft.String()
					}
					got = append(got, s)
				}
				sameLines(t, "snapshot", got, tt.want)
				time.Sleep(3 * sec)
				synctest.Wait()
				sameLines(t, "after the delay", states(sup), []string{"a=running", "b=running", "c=running"})
				stopAndWait(t, sup, wait)
			})
		})
	}
}
