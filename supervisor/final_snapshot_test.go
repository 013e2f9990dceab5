package supervisor_test

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// The snapshot of a finished run, built on first read, is the run as it
// was at its end: read an hour later it says the end's time and states,
// and readers on several goroutines at once get the one same snapshot.
func TestFinalSnapshotIsTheEnd(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b := newFake(), newFake()
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
		wait := background(sup)
		synctest.Wait()
		stopAndWait(t, sup, wait)
		end := time.Now()
		time.Sleep(time.Hour)
		snaps := make([]*supervisor.Snapshot, 4)
		var wg sync.WaitGroup
		for i := range snaps {
			wg.Go(func() { snaps[i] = sup.Snapshot() })
		}
		wg.Wait()
		for i, s := range snaps {
			if s != snaps[0] {
				t.Errorf("snapshot %d = %p; want the same as the first, %p", i, s, snaps[0])
			}
		}
		s := snaps[0]
		if s == nil {
			t.Fatal("Snapshot() = nil; want the finished run's")
		}
		if !s.Time.Equal(end) || s.Running {
			t.Errorf("Time, Running = %v, %v; want %v, false", s.Time, s.Running, end)
		}
		sameLines(t, "states", states(sup), []string{"a=stopped", "b=stopped"})
	})
}
