package supervisor_test

import (
	"context"
	"fmt"
	"runtime/pprof"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/internal/goroutines"
)

// spawner is an engine whose Run starts n goroutines that live until it
// returns.
func spawner(n int) engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error {
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() { <-ctx.Done() })
		}
		<-ctx.Done()
		wg.Wait()
		return nil
	})
}

// TestWithGoroutines: each child's count is its engine's goroutines (its
// Run's included), a child supervisor's is the sum below it, and the
// supervisor's own idle workers are not counted.
func TestWithGoroutines(t *testing.T) {
	bubble(t, func(t *testing.T) {
		sub := supervisor.New("sub", supervisor.Config{}, C{Name: "c", Engine: spawner(2)})
		sup := supervisor.New("root", supervisor.Config{},
			C{Name: "a", Engine: spawner(3)}, C{Name: "b", Engine: spawner(0)}, C{Name: "sub", Engine: sub})
		wait := background(sup)
		synctest.Wait()
		snap := sup.Tree(context.Background())
		if got := snap.Children[0].Goroutines; got != -1 {
			t.Errorf("without WithGoroutines: %v; want -1", got)
		}
		snap = snap.WithGoroutines()
		got := map[string]int{}
		for _, c := range snap.Children {
			got[c.Path] = c.Goroutines
		}
		got["root/sub/c"] = snap.Children[2].Sub.Children[0].Goroutines
		// Run's own goroutine is the worker inside callRun: one more.
		want := map[string]int{"root/a": 4, "root/b": 1, "root/sub": 4, "root/sub/c": 3}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("goroutines = %v; want %v", got, want)
		}
		stopAndWait(t, sup, wait)
	})
}

// BenchmarkGoroutinesByPath measures one count with 100,000 labelled
// goroutines parked in 1,000 children's paths.
func BenchmarkGoroutinesByPath(b *testing.B) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 100_000 {
		labels := pprof.Labels(goroutines.LabelKey, fmt.Sprintf("root/c%d", i%1000))
		wg.Add(1)
		go pprof.Do(context.Background(), labels, func(context.Context) { defer wg.Done(); <-stop })
	}
	b.ResetTimer()
	for b.Loop() {
		if n := goroutines.ByPath()["root"]; n != 100_000 {
			b.Fatalf("root count = %v; want 100000", n)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
}
