package soak

import (
	"bytes"
	"context"
	"math/rand/v2"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// snapshotBound is the most a Snapshot may take while the tree churns,
// and treeBound the most a Tree of all 111 supervisors may take. Both are
// generous: the figures reported are the point.
const (
	snapshotBound = 250 * time.Millisecond
	treeBound     = 2 * time.Second
)

// latency keeps the count, sum and maximum of a series of durations.
type latency struct {
	n        int
	sum, max time.Duration
}

func (l *latency) add(d time.Duration) {
	l.n++
	l.sum += d
	l.max = max(l.max, d)
}

func (l latency) String() string {
	if l.n == 0 {
		return "none"
	}
	return "n=" + strconv.Itoa(l.n) + " mean=" + (l.sum / time.Duration(l.n)).Round(time.Microsecond).String() +
		" max=" + l.max.Round(time.Microsecond).String()
}

// probeSnapshots asks random supervisors for their Snapshot, and the
// root now and then for its Tree, every few milliseconds until done
// closes, as a status command or a metrics scrape would while the tree
// churns.
func (s *soak) probeSnapshots(done <-chan struct{}, rng *rand.Rand, root *supervisor.Supervisor) (snap, tree latency) {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-done:
			return snap, tree
		case <-tick.C:
		}
		sup := s.sups[rng.IntN(len(s.sups))]
		t0 := time.Now()
		sup.Snapshot()
		d := time.Since(t0)
		snap.add(d)
		if d > snapshotBound {
			s.led.add(slowSnapshot, "%s answered in %v", sup.Name(), d.Round(time.Millisecond))
		}
		if i%20 == 0 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*treeBound)
			t0 = time.Now()
			root.Tree(ctx)
			d = time.Since(t0)
			cancel()
			tree.add(d)
			if d > treeBound {
				s.led.add(slowTree, "Tree answered in %v", d.Round(time.Millisecond))
			}
		}
	}
}

// heapSample is the heap in use after a GC, and the goroutines, at one
// moment.
type heapSample struct {
	at         time.Duration
	inuse      uint64
	goroutines int
}

// sampleHeap samples the heap every period until done closes.
func sampleHeap(done <-chan struct{}, period time.Duration) []heapSample {
	start := time.Now()
	tick := time.NewTicker(period)
	defer tick.Stop()
	var out []heapSample
	for {
		select {
		case <-done:
			return out
		case <-tick.C:
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		out = append(out, heapSample{at: time.Since(start), inuse: ms.HeapInuse, goroutines: runtime.NumGoroutine()})
	}
}

// checkHeap compares the highest heap of the last third of the samples
// with the highest of the first third (the very first left out: the tree
// was still starting). The heap is flat when the late one is within
// twice the early one, plus 16 MiB; a leak of a few hundred bytes a run
// over hundreds of thousands of runs crosses that.
func (s *soak) checkHeap(samples []heapSample) (early, late uint64) {
	if len(samples) < 4 {
		return 0, 0
	}
	third := len(samples) / 3
	for _, h := range samples[1 : 1+third] {
		early = max(early, h.inuse)
	}
	for _, h := range samples[len(samples)-third:] {
		late = max(late, h.inuse)
	}
	if late > 2*early+16<<20 {
		s.led.add(heapGrowth, "heap in use %d MiB late, %d MiB early", late>>20, early>>20)
	}
	return early, late
}

// labelled counts the goroutines that carry the arbor.path label: those
// inside an engine's Run or Stop (hung), and the others.
func labelled() (inEngine, other int) {
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
		return -1, -1
	}
	for block := range strings.SplitSeq(buf.String(), "\n\n") {
		if !strings.Contains(block, `"arbor.path":`) {
			continue
		}
		n, _ := strconv.Atoi(block[:max(strings.IndexByte(block, ' '), 0)])
		if strings.Contains(block, "soak.(*chaos).Run") || strings.Contains(block, "soak.(*chaos).Stop") {
			inEngine += n
		} else {
			other += n
		}
	}
	return inEngine, other
}
