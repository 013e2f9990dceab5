package soak

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/arborgo/arbor/supervisor"
)

var (
	soakFor  = flag.Duration("soak", 0, "how long the soak churns the tree (default 16s, or $ARBOR_SOAK)")
	soakSeed = flag.Uint64("soak.seed", 0, "the soak's seed (default random, or $ARBOR_SOAK_SEED)")
)

// defaultChurn keeps the whole test, with its start, its shutdown and
// its checks, near 20 s under -race on two cores.
const defaultChurn = 16 * time.Second

// soak is one soak run: the tree, its engines and the ledger of what they
// saw.
type soak struct {
	mix      mix
	led      *ledger
	inflight inflight
	counts   counts
	sups     []*supervisor.Supervisor
	engines  []*chaos
	watches  map[string]*watch

	rootShutting atomic.Bool
	mu           sync.Mutex
	abandoned    map[string]bool // abandoned during a shutdown of the root
}

type counts struct {
	runs, stops, hangs, blockingStops, abandoned atomic.Int64
	lifoChecked, groupChecked, subStopsTimed     atomic.Int64
	events                                       [16]atomic.Int64
	gaveUp                                       [4]atomic.Int64 // by depth
}

func (c *counts) event(ev supervisor.Event) {
	if int(ev.Kind) < len(c.events) {
		c.events[ev.Kind].Add(1)
	}
	if ev.Kind == supervisor.EventGaveUp {
		c.gaveUp[min(strings.Count(ev.Path, "/"), len(c.gaveUp)-1)].Add(1)
	}
}

func (s *soak) abandonedInShutdown(path string) {
	if !s.rootShutting.Load() {
		return
	}
	s.mu.Lock()
	s.abandoned[path] = true
	s.mu.Unlock()
}

// TestSoak runs the tree under chaos and checks the supervisor's
// promises while it runs and after it stopped; see the package doc.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: skipped with -short")
	}
	churn, seed := settings(t)
	t.Logf("soak: seed %d, churning %v (repeat with -soak.seed %d or ARBOR_SOAK_SEED=%d)", seed, churn, seed, seed)
	leaks := goleak.IgnoreCurrent()
	s := &soak{mix: defaultMix, led: newLedger(), watches: map[string]*watch{}, abandoned: map[string]bool{}}
	rng := rand.New(rand.NewPCG(seed, 0x50a4))
	root, bound := s.build(rng)
	t.Logf("soak: %d engines under %d supervisors; root shutdown bound %v", len(s.engines), len(s.sups), bound)

	done := make(chan struct{})
	var wg sync.WaitGroup
	var snap, tree latency
	var heap []heapSample
	wg.Go(func() { snap, tree = s.probeSnapshots(done, rand.New(rand.NewPCG(seed, 1)), root) })
	wg.Go(func() { heap = sampleHeap(done, min(max(churn/20, 250*time.Millisecond), 10*time.Second)) })

	start := time.Now()
	r := s.churn(t, root, bound, start.Add(churn))
	close(done)
	wg.Wait()
	elapsed := time.Since(start)

	hungAtEnd, otherAtEnd := labelled()
	quiet := s.inflight.wait(s.mix.hangMax + 2*time.Second)
	if !quiet {
		s.led.add(unboundedHang, "%d calls still running", s.inflight.count())
	}
	for _, e := range s.engines {
		e.finalCheck()
	}
	if quiet {
		if err := goleak.Find(leaks); err != nil {
			s.led.add(leakedGoroutine, "%v", firstLines(err.Error(), 12))
		}
	}
	early, late := s.checkHeap(heap)

	t.Logf("soak: %v in all; %d Runs (%.0f/s), %d Stops; %d Runs hung past their Stop, %d Stops blocked past their ctx",
		elapsed.Round(time.Millisecond), s.counts.runs.Load(), float64(s.counts.runs.Load())/elapsed.Seconds(),
		s.counts.stops.Load(), s.counts.hangs.Load(), s.counts.blockingStops.Load())
	t.Logf("soak: events: %s", s.counts.eventLine())
	t.Logf("soak: checked the order of %d stops in shutdowns and %d in group restarts; timed %d stops of child supervisors; %d children abandoned",
		s.counts.lifoChecked.Load(), s.counts.groupChecked.Load(), s.counts.subStopsTimed.Load(), s.counts.abandoned.Load())
	t.Logf("soak: gave up by depth (root, g, h): %d %d %d; root runs %d (%d ended on their own: %s)",
		s.counts.gaveUp[0].Load(), s.counts.gaveUp[1].Load(), s.counts.gaveUp[2].Load(), r.runs, r.runs-1, r.endings)
	t.Logf("soak: final shutdown %v (bound %v), returned %s", r.shutdown.Round(time.Millisecond), bound, firstLines(fmt.Sprint(r.err), 1))
	t.Logf("soak: labelled goroutines as the root returned: %d inside a hung Run or Stop, %d others", hungAtEnd, otherAtEnd)
	t.Logf("soak: Snapshot %v (bound %v); Tree %v (bound %v)", snap, snapshotBound, tree, treeBound)
	t.Logf("soak: heap in use after GC: early max %.1f MiB, late max %.1f MiB, %s", mib(early), mib(late), heapLine(heap))
	lines, failed := s.led.report()
	for _, l := range lines {
		t.Log("soak: " + l)
	}
	if len(failed) > 0 {
		t.Errorf("soak (seed %d): %d kinds of violation:\n%s", seed, len(failed), strings.Join(failed, "\n"))
	}
}

// rootRuns sums up the root's runs: the soak restarts a root that gave up
// or failed to start, and shuts the last one down.
type rootRuns struct {
	runs     int
	endings  string
	err      error
	shutdown time.Duration
}

// churn runs the root until the deadline, restarting it when it ends on
// its own, then shuts it down and times the shutdown.
func (s *soak) churn(t *testing.T, root *supervisor.Supervisor, bound time.Duration, deadline time.Time) rootRuns {
	var out rootRuns
	endings := map[string]int{}
	for {
		out.runs++
		ctx, cancel := context.WithCancel(context.Background())
		s.rootShutting.Store(false)
		s.clearAbandoned()
		errc := root.ServeBackground(ctx)
		timer := time.NewTimer(time.Until(deadline))
		select {
		case err := <-errc:
			timer.Stop()
			cancel()
			s.checkRootError(err)
			endings[endingOf(err)]++
			// A new run of the root would start engines whose abandoned
			// Runs still run: wait for them, so that what the soak counts
			// is the supervisor's doing, not its own.
			if !s.inflight.wait(s.mix.hangMax + 2*time.Second) {
				s.led.add(unboundedHang, "%d calls still running after the root ended", s.inflight.count())
			}
			if time.Now().Before(deadline) {
				continue
			}
			out.err = err
		case <-timer.C:
			t0 := time.Now()
			cancel()
			limit := time.NewTimer(bound + slack(bound))
			select {
			case out.err = <-errc:
				out.shutdown = time.Since(t0)
				limit.Stop()
			case <-limit.C:
				s.led.add(rootStuck, "after %v", time.Since(t0).Round(time.Millisecond))
				t.Fatalf("soak: the root did not stop within %v", bound+slack(bound))
			}
			if out.shutdown > bound {
				s.led.add(slowRootStop, "%v; bound %v", out.shutdown.Round(time.Millisecond), bound)
			}
			s.checkRootError(out.err)
		}
		out.endings = fmt.Sprint(endings)
		return out
	}
}

// checkRootError checks that the root's error names every child
// abandoned during the shutdown, or an ancestor of it.
func (s *soak) checkRootError(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	for p := range s.abandoned {
		if !namesPathOrAncestor(msg, p) {
			s.led.add(lostAbandoned, "%s abandoned; root returned %s", p, firstLines(fmt.Sprint(err), 1))
		}
	}
}

func (s *soak) clearAbandoned() {
	s.mu.Lock()
	clear(s.abandoned)
	s.mu.Unlock()
}

func namesPathOrAncestor(msg, path string) bool {
	for p := path; strings.Contains(p, "/"); p = p[:strings.LastIndexByte(p, '/')] {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func endingOf(err error) string {
	switch {
	case err == nil:
		return "nil"
	case strings.Contains(err.Error(), "restart intensity"):
		return "gave up"
	case strings.Contains(err.Error(), "failed to start"):
		return "start failed"
	}
	return "other"
}

func settings(t *testing.T) (time.Duration, uint64) {
	churn := *soakFor
	if v := os.Getenv("ARBOR_SOAK"); churn == 0 && v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("ARBOR_SOAK=%q: %v", v, err)
		}
		churn = d
	}
	if churn == 0 {
		churn = defaultChurn
	}
	seed := *soakSeed
	if v := os.Getenv("ARBOR_SOAK_SEED"); seed == 0 && v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("ARBOR_SOAK_SEED=%q: %v", v, err)
		}
		seed = n
	}
	if seed == 0 {
		seed = rand.Uint64()
	}
	return churn, seed
}

func (c *counts) eventLine() string {
	var b strings.Builder
	for k := range c.events {
		if n := c.events[k].Load(); n > 0 {
			fmt.Fprintf(&b, "%s=%d ", supervisor.EventKind(k), n)
		}
	}
	return strings.TrimSpace(b.String())
}

func heapLine(h []heapSample) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d samples:", len(h))
	for _, x := range h {
		fmt.Fprintf(&b, " %.0f", mib(x.inuse))
	}
	maxG := 0
	for _, x := range h {
		maxG = max(maxG, x.goroutines)
	}
	fmt.Fprintf(&b, " MiB; goroutines at most %d", maxG)
	return b.String()
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
