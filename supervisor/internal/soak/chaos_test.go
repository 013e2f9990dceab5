package soak

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/arborgo/arbor/engine"
)

var (
	errBoom  = errors.New("soak: boom")
	errStop  = errors.New("soak: stop failed")
	errEarly = errors.New("soak: failed before ready")
)

// chaos is a leaf engine that misbehaves by a script drawn, per Run and
// per Stop, from its own PRNG. It checks, as it is called, that the
// supervisor keeps the engine contract: one Run at a time, each followed
// by one Stop before the next.
type chaos struct {
	path    string
	readies bool
	s       *soak

	mu            sync.Mutex
	rng           *rand.Rand
	runs          int
	running       int // Runs under way: more than one is a violation
	stopping      int // Stops under way
	stopsSinceRun int // -1 before the first Run
	cur           *runCtl
	// curID names the run of the last Run begun (see runID); early and
	// earlyStops are the run and the count of Stops that began before
	// that run's Run did.
	curID, early any
	earlyStops   int
}

// runID names the run that a Run or Stop belongs to: the value that the
// supervisor's context of that run gives engine.Ready, which its Stop's
// context gives too. It tells the Stop of a run whose Run the supervisor
// has called, but whose first line has not run yet (Stop may race with
// Run's start), from a second Stop for the run before.
func runID(ctx context.Context) any { return ctx.Value(runKey{}) }

// runKey asks a supervisor's run context for its run as engine.Ready's own
// key does: by the marker method that the supervisor recognises.
type runKey struct{}

func (runKey) EngineReadyKey() {}

// runCtl is how a Stop asks the Run it belongs to to end.
type runCtl struct {
	once sync.Once
	stop chan struct{}
}

func (c *runCtl) signal() {
	if c != nil {
		c.once.Do(func() { close(c.stop) })
	}
}

func (e *chaos) ReportsReady() bool { return e.readies }

func (e *chaos) Run(ctx context.Context) error {
	ctl, p := e.enterRun(runID(ctx))
	defer e.exitRun()
	if e.readies {
		if p.failEarly {
			return errEarly
		}
		if !wait(ctx, ctl, p.readyDelay) {
			return asked(p)
		}
		engine.Ready(ctx)
	}
	if p.end == endWhenAsked {
		wait(ctx, ctl, -1)
		return asked(p)
	}
	if !wait(ctx, ctl, p.life) {
		return asked(p)
	}
	switch p.end {
	case endError:
		return errBoom
	case endPanic:
		panic(errBoom)
	}
	return nil
}

// asked ends a Run that its Stop or its context asked to end, after
// ignoring both for a while if the script says it hangs.
func asked(p runPlan) error {
	if p.hang > 0 {
		block(p.hang)
	}
	return nil
}

func (e *chaos) Stop(ctx context.Context) error {
	ctl, p := e.enterStop(runID(ctx))
	defer e.exitStop()
	switch p.how {
	case stopSlow:
		t := time.NewTimer(p.d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	case stopBlocking:
		block(p.d)
	}
	ctl.signal()
	switch p.how {
	case stopError:
		return errStop
	case stopPanic:
		panic(errStop)
	}
	return nil
}

func (e *chaos) enterRun(id any) (*runCtl, runPlan) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.runs++
	if e.running > 0 {
		e.s.led.add(runOverlap, "%s: Run %d began while Run %d had not returned", e.path, e.runs, e.runs-1)
	}
	if e.stopsSinceRun == 0 {
		e.s.led.add(runWithoutStop, "%s: Run %d began with no Stop since Run %d began", e.path, e.runs, e.runs-1)
	}
	if e.stopping > 0 && e.early != id {
		e.s.led.add(runDuringStop, "%s: Run %d began while a Stop was under way", e.path, e.runs)
	}
	e.running++
	e.stopsSinceRun = 0
	if e.early != nil {
		if e.early == id {
			// Its Stop came first: the two raced.
			e.stopsSinceRun = e.earlyStops
		} else {
			e.s.led.add(stopNeverRun, "%s: %d Stops for a run whose Run was never called, before Run %d", e.path, e.earlyStops, e.runs)
		}
		e.early, e.earlyStops = nil, 0
	}
	e.curID = id
	e.cur = &runCtl{stop: make(chan struct{})}
	p := e.s.mix.drawRun(e.rng, e.runs, e.readies)
	e.s.inflight.add(1)
	e.s.counts.runs.Add(1)
	if p.hang > 0 {
		e.s.counts.hangs.Add(1)
	}
	return e.cur, p
}

func (e *chaos) exitRun() {
	e.mu.Lock()
	e.running--
	e.mu.Unlock()
	e.s.inflight.add(-1)
}

func (e *chaos) enterStop(id any) (*runCtl, stopPlan) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case id != e.curID:
		// The Stop of a run whose Run has not begun yet.
		if e.stopsSinceRun < 0 {
			e.s.led.add(stopBeforeRun, "%s: Stop before any Run", e.path)
		} else {
			e.s.led.add(stopRacedRun, "%s: the Stop of Run %d began before that Run", e.path, e.runs+1)
		}
		if e.early != id {
			if e.early != nil {
				e.s.led.add(stopNeverRun, "%s: %d Stops for a run whose Run was never called, after Run %d", e.path, e.earlyStops, e.runs)
			}
			e.early, e.earlyStops = id, 0
		}
		e.earlyStops++
		if e.earlyStops > 1 {
			e.s.led.add(extraStop, "%s: Stop %d for the run after Run %d, which has not begun, called from %s",
				e.path, e.earlyStops, e.runs, callers())
		}
	case e.stopsSinceRun > 0:
		e.s.led.add(extraStop, "%s: Stop %d since Run %d began (%d Runs and %d Stops under way), called from %s",
			e.path, e.stopsSinceRun+1, e.runs, e.running, e.stopping, callers())
		e.stopsSinceRun++
	default:
		e.stopsSinceRun++
	}
	e.stopping++
	p := e.s.mix.drawStop(e.rng)
	e.s.inflight.add(1)
	e.s.counts.stops.Add(1)
	if p.how == stopBlocking {
		e.s.counts.blockingStops.Add(1)
	}
	return e.cur, p
}

func (e *chaos) exitStop() {
	e.mu.Lock()
	e.stopping--
	e.mu.Unlock()
	e.s.inflight.add(-1)
}

// finalCheck reports a Run that no Stop followed, once the tree is down.
func (e *chaos) finalCheck() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopsSinceRun == 0 {
		e.s.led.add(runNeverStopped, "%s: Run %d", e.path, e.runs)
	}
	if e.early != nil {
		e.s.led.add(stopNeverRun, "%s: %d Stops for a run whose Run was never called, after Run %d", e.path, e.earlyStops, e.runs)
	}
}

// wait waits d (for ever when d < 0) and reports whether it waited that
// long rather than being asked to end.
func wait(ctx context.Context, ctl *runCtl, d time.Duration) bool {
	if d == 0 {
		return true
	}
	var tc <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		tc = t.C
	}
	select {
	case <-tc:
		return true
	case <-ctx.Done():
	case <-ctl.stop:
	}
	return false
}

// block is a hang: it ignores every context and every Stop for d.
func block(d time.Duration) {
	t := time.NewTimer(d)
	<-t.C
}

// callers names the functions that called the engine, for an example of
// a violation.
func callers() string {
	pcs := make([]uintptr, 16)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	var names []string
	for {
		f, more := frames.Next()
		if i := strings.LastIndexByte(f.Function, '/'); i >= 0 && strings.Contains(f.Function, "arbor") {
			names = append(names, f.Function[i+1:])
		}
		if !more {
			break
		}
	}
	return strings.Join(names, " < ")
}
