package soak

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// A kind names one sort of violation. Kinds that the contract allows are
// notes: they are counted and reported, but fail nothing.
type kind struct {
	name string
	note bool
}

// The kinds the soak looks for.
var (
	runOverlap      = kind{name: "two Runs of one engine at once"}
	runWithoutStop  = kind{name: "Run began with no Stop since the previous Run began"}
	runNeverStopped = kind{name: "Run never followed by a Stop"}
	extraStop       = kind{name: "a second Stop for one Run"}
	stopNeverRun    = kind{name: "Stop for a run whose Run was never called"}
	notLIFO         = kind{name: "shutdown stopped a child out of reverse start order"}
	groupNotLIFO    = kind{name: "group restart stopped a child out of reverse start order"}
	twoStopping     = kind{name: "shutdown stopped two children at once"}
	slowSubStop     = kind{name: "child supervisor's stop outlasted its shutdown timeout"}
	slowRootStop    = kind{name: "root shutdown outlasted the sum of the shutdown timeouts"}
	rootStuck       = kind{name: "root Run did not return after the sum of the shutdown timeouts"}
	lostAbandoned   = kind{name: "an abandoned path is missing from the root's error"}
	unboundedHang   = kind{name: "engine calls still running after the longest hang"}
	leakedGoroutine = kind{name: "goroutines left after the hung ones ended"}
	slowSnapshot    = kind{name: "Snapshot slower than the bound"}
	slowTree        = kind{name: "Tree slower than the bound"}
	heapGrowth      = kind{name: "heap grew"}

	runDuringStop = kind{name: "Run began while the previous Stop had not returned", note: true}
	stopBeforeRun = kind{name: "Stop before the engine's first Run", note: true}
	// The supervisor has called Run, but Stop, on another goroutine, got
	// to the engine first: the contract lets Stop come at any time.
	stopRacedRun = kind{name: "the Stop of a run began before its Run did", note: true}
)

// ledger counts violations by kind and keeps the first example of each.
// It keeps nothing else, so that it stays small however long the soak.
type ledger struct {
	mu    sync.Mutex
	start time.Time
	seen  map[kind]*tally
}

type tally struct {
	count   int
	example string
}

func newLedger() *ledger { return &ledger{start: time.Now(), seen: map[kind]*tally{}} }

func (l *ledger) add(k kind, format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.seen[k]
	if t == nil {
		t = &tally{example: fmt.Sprintf("at %v: ", time.Since(l.start).Round(time.Millisecond)) + fmt.Sprintf(format, args...)}
		l.seen[k] = t
	}
	t.count++
}

// report returns one line per kind seen, violations first, and the
// violations alone.
func (l *ledger) report() (lines []string, failed []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	kinds := make([]kind, 0, len(l.seen))
	for k := range l.seen {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, b kind) int {
		if a.note != b.note {
			return map[bool]int{false: -1, true: 1}[a.note]
		}
		return l.seen[b].count - l.seen[a].count
	})
	for _, k := range kinds {
		t := l.seen[k]
		what := "VIOLATION"
		if k.note {
			what = "note"
		}
		line := fmt.Sprintf("%-9s %7d × %s; e.g. %s", what, t.count, k.name, t.example)
		lines = append(lines, line)
		if !k.note {
			failed = append(failed, line)
		}
	}
	return lines, failed
}

// inflight counts the engines' Run and Stop calls under way, so that the
// soak can wait, bounded, for the hung ones to end without sleeping.
type inflight struct {
	mu    sync.Mutex
	n     int
	quiet []chan struct{}
}

func (f *inflight) add(d int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n += d
	if f.n == 0 {
		for _, c := range f.quiet {
			close(c)
		}
		f.quiet = nil
	}
}

// wait reports whether no call is under way within d.
func (f *inflight) wait(d time.Duration) bool {
	f.mu.Lock()
	if f.n == 0 {
		f.mu.Unlock()
		return true
	}
	c := make(chan struct{})
	f.quiet = append(f.quiet, c)
	f.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-c:
		return true
	case <-t.C:
		return false
	}
}

func (f *inflight) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}
