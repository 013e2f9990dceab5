package bench

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// BenchmarkRestart measures one restart per op: the time from the start
// of one Run to the start of the next, after the first returned an error
// or panicked, with no backoff and an intensity that never gives up.
// mean-ns, p50-ns and p99-ns summarise the distribution of those
// latencies; allocs/op (with -benchmem) is allocations per restart.
func BenchmarkRestart(b *testing.B) {
	for _, mode := range []string{"error", "panic"} {
		for _, lib := range libs {
			b.Run(fmt.Sprintf("%s/lib=%s", mode, lib), func(b *testing.B) {
				b.ReportAllocs()
				f := newFlapper(b.N, mode == "panic")
				r := restartTree(lib, f)
				r.Start()
				<-f.Started()
				b.ResetTimer()
				f.Release()
				<-f.Done()
				b.StopTimer()
				mean, p50, p99 := stats(f.Latencies())
				b.ReportMetric(mean, "mean-ns")
				b.ReportMetric(p50, "p50-ns")
				b.ReportMetric(p99, "p99-ns")
				if err := r.Stop(); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}

// BenchmarkRestartFlood makes bursts of restarts, each op a fresh
// supervisor whose intensity window holds the whole burst (one hour,
// Intensity math.MaxInt), and reports the mean time per restart. The 100,000
// figure must stay within 1.5× of the 100 one: the cost of a restart must
// not grow with the number of restarts the window remembers.
func BenchmarkRestartFlood(b *testing.B) {
	for _, burst := range []int{100, 100_000} {
		for _, lib := range libs {
			b.Run(fmt.Sprintf("restarts=%d/lib=%s", burst, lib), func(b *testing.B) {
				var total time.Duration
				for range b.N {
					f := newFlapper(burst, false)
					r := restartTree(lib, f)
					r.Start()
					<-f.Started()
					f.Release()
					<-f.Done()
					total += time.Duration(f.Times[burst] - f.Times[0])
					if err := r.Stop(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(total)/float64(b.N*burst), "ns/restart")
			})
		}
	}
}

// treeSizes are the flat trees measured; the largest is skipped with
// -short.
var treeSizes = []int{1_000, 10_000, 100_000}

// BenchmarkTree starts and stops whole trees of idle children, one tree
// per op: flat trees of 1,000, 10,000 and 100,000 children, and a chain of
// 10 nested supervisors with 10 leaves each (100 leaves). start-ns/child
// is the time from Run until every leaf's Run has begun, divided by the
// leaves; stop-ns/child the time from cancelling the context until Run
// returned. arbor starts in order, each child once the previous one is
// ready, and stops in reverse order, each once the next one stopped;
// suture starts and stops all children at once.
func BenchmarkTree(b *testing.B) {
	type shape struct {
		name            string
		depth, perLevel int
	}
	var shapes []shape
	for _, n := range treeSizes {
		shapes = append(shapes, shape{fmt.Sprintf("flat=%d", n), 1, n})
	}
	shapes = append(shapes, shape{"chain=10x10", 10, 10})
	for _, sh := range shapes {
		leaves := sh.depth * sh.perLevel
		for _, lib := range libs {
			b.Run(fmt.Sprintf("%s/lib=%s", sh.name, lib), func(b *testing.B) {
				if testing.Short() && leaves >= 100_000 {
					b.Skip("-short")
				}
				names := names("c", leaves)
				// The timer runs throughout (ns/op includes building the
				// tree): stopping and starting it per op stops the world
				// each time, which made some runs crawl. The figures are
				// start-ns/child and stop-ns/child, timed here.
				once := func() (start, stop time.Duration) {
					c := newCounter(leaves)
					es := idleEngines(leaves, c)
					var r runner
					if sh.depth == 1 {
						r = flatTree(lib, names, es)
					} else {
						r = chainTree(lib, sh.depth, sh.perLevel, names, es)
					}
					runtime.GC()
					t0 := time.Now()
					r.Start()
					<-c.Done()
					t1 := time.Now()
					err := r.Stop()
					t2 := time.Now()
					if err != nil {
						b.Fatal(err)
					}
					return t1.Sub(t0), t2.Sub(t1)
				}
				// One untimed tree first: the figures are the steady
				// state, not the first growth of the heap and of the
				// stack pool, which would weigh on the largest trees
				// (measured once per run) and not on the small ones.
				once()
				b.ResetTimer()
				var start, stop time.Duration
				for range b.N {
					t1, t2 := once()
					start += t1
					stop += t2
				}
				per := float64(b.N * leaves)
				b.ReportMetric(float64(start)/per, "start-ns/child")
				b.ReportMetric(float64(stop)/per, "stop-ns/child")
			})
		}
	}
}

// idleSizes are the idle trees measured; the largest is skipped with
// -short.
var idleSizes = []int{10_000, 100_000}

// BenchmarkIdleChild runs idle children and reports, after a GC, the live
// heap, the goroutine stacks and the goroutines they add, per child,
// against the same process with the tree not yet started (engines and
// child names already made); mem-B/child is heap and stack together.
//
// Run one library per process (-bench 'IdleChild/children=100000/lib=arbor$',
// as the compare driver does): the runtime sizes new goroutines' stacks
// from the stacks it has seen, so a library measured after another in the
// same process inherits the other's starting stack size.
func BenchmarkIdleChild(b *testing.B) {
	for _, n := range idleSizes {
		for _, lib := range libs {
			b.Run(fmt.Sprintf("children=%d/lib=%s", n, lib), func(b *testing.B) {
				if testing.Short() && n >= 100_000 {
					b.Skip("-short")
				}
				idleChild(b, lib, n)
			})
		}
	}
}

func idleChild(b *testing.B, lib lib, n int) {
	names := names("c", n)
	var heap, stack, gor float64
	for range b.N {
		c := newCounter(n)
		es := idleEngines(n, c)
		before, g0 := memNow()
		r := flatTree(lib, names, es)
		r.Start()
		<-c.Done()
		after, g1 := memNow()
		heap += float64(after.HeapAlloc) - float64(before.HeapAlloc)
		stack += float64(after.StackInuse) - float64(before.StackInuse)
		gor += float64(g1 - g0)
		if err := r.Stop(); err != nil {
			b.Fatal(err)
		}
	}
	per := float64(b.N * n)
	b.ReportMetric(heap/per, "heap-B/child")
	b.ReportMetric(stack/per, "stack-B/child")
	b.ReportMetric((heap+stack)/per, "mem-B/child")
	b.ReportMetric(gor/per, "goroutines/child")
}

func memNow() (runtime.MemStats, int) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m, runtime.NumGoroutine()
}
