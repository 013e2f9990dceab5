package supervisor

import (
	"context"
	"errors"
	"runtime/pprof"
	"sync/atomic"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/core"
)

// worker is the one goroutine of a child. It outlives a restart, so that a
// crash loop does not start a goroutine per restart; it quits when the
// child stops for good, and is abandoned when a Run or Stop hangs. Either
// way the owner closes next (once: it then forgets the worker), and the
// worker returns once it has finished the run it has, if any.
type worker struct {
	c        *child
	next     chan *run
	watchdog *time.Timer
	guarded  atomic.Pointer[run] // the run whose Stop the watchdog guards
}

func newWorker(c *child) *worker {
	w := &worker{c: c, next: make(chan *run, 1)}
	go w.loop()
	return w
}

func (w *worker) loop() {
	pprof.SetGoroutineLabels(w.c.labels)
	for r := range w.next {
		if !w.runOnce(r) {
			return
		}
	}
}

// runOnce runs r to its end, and reports whether the worker may go on.
func (w *worker) runOnce(r *run) bool {
	if r.Err() != nil {
		r.finish() // stopped before it began: Stop was called, Run never is
		return true
	}
	err, panicked := w.callRun(r)
	if !r.owner.claim(ownedByWorker) {
		r.finish() // a stopper owns this run and has called Stop
		return true
	}
	r.exitKind, r.exitErr = classify(err, panicked), err
	w.stopAfterExit(r)
	r.cancel()
	r.finish()
	if !r.reported.set() {
		return false // the watchdog gave up on our Stop and reported
	}
	w.c.sup.send(exitEvent(r, r.exitKind, err, false))
	return true
}

func (w *worker) callRun(r *run) (err error, panicked bool) {
	if !w.c.cc.Spec().ReportsReady && r.ready.set() && r.confirm {
		w.c.sup.send(readyEvent(r))
	}
	if w.c.sup.cfg.PassThroughPanics {
		return w.c.eng.Run(r), false
	}
	defer func() {
		if v := recover(); v != nil {
			err, panicked = engine.NewPanicError(v, 1), true
		}
	}()
	return w.c.eng.Run(r), false
}

// stopAfterExit calls Stop for a run that ended on its own, bounded by the
// child's shutdown timeout: a watchdog reports the child and frees the
// supervisor if Stop hangs past it.
func (w *worker) stopAfterExit(r *run) {
	timeout := w.c.cc.Spec().Shutdown
	r.stopDeadline = time.Now().Add(timeout)
	w.guarded.Store(r)
	if w.watchdog == nil {
		w.watchdog = time.AfterFunc(timeout, w.stopHung)
	} else {
		w.watchdog.Reset(timeout)
	}
	err := w.c.callStop(stopContext{r})
	w.watchdog.Stop()
	if err != nil {
		w.c.sup.stopFailed(w.c, err)
	}
}

// stopHung runs when a Stop after an exit outlasts the shutdown timeout.
func (w *worker) stopHung() {
	r := w.guarded.Load()
	if r == nil || time.Now().Before(r.stopDeadline) {
		return
	}
	stopContext{r}.expire()
	if r.reported.set() {
		// Run's own result is kept, but a Stop that hangs leaves the
		// engine in an unknown state, so the exit counts as abnormal.
		w.c.sup.send(exitEvent(r, max(r.exitKind, core.ExitError), errors.Join(r.exitErr, ErrStopHung), true))
	}
}

// classify turns the end of a Run into an exit kind. Only the supervisor's
// own decisions make an end normal: a context error that the engine
// returns on its own is an error like any other.
func classify(err error, panicked bool) core.ExitKind {
	switch {
	case panicked:
		return core.ExitPanic
	case err != nil:
		return core.ExitError
	}
	return core.ExitNormal
}

// stopRun carries out a stop the core asked for: Stop with a bounded
// context, then cancel the run's context, then wait, bounded, for Run to
// return. It runs on a goroutine of its own, labelled as the child.
func (c *child) stopRun(r *run, timeout time.Duration) {
	pprof.SetGoroutineLabels(c.labels)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.labels), timeout)
	defer cancel()
	var err error
	timedOut := false
	if r.owner.claim(ownedByStopper) {
		// Stop runs on a goroutine of its own (labelled as the child, as
		// labels are inherited), so that a Stop that ignores its context
		// is abandoned at the deadline instead of hanging the shutdown.
		stopped := make(chan error, 1)
		go func() { stopped <- c.callStop(ctx) }()
		select {
		case err = <-stopped:
		case <-ctx.Done():
			timedOut = true
		}
	}
	r.cancel()
	if !timedOut {
		select {
		case <-r.endedChan():
		case <-ctx.Done():
			timedOut = true
		}
	}
	if err != nil && !timedOut {
		c.sup.stopFailed(c, err)
	}
	c.sup.send(core.Event{Kind: core.ChildStopped, Child: c.cc, Gen: r.gen, TimedOut: timedOut, Err: err})
}

// callStop calls the engine's Stop, recovering a panic in it unless
// panics pass through.
func (c *child) callStop(ctx context.Context) (err error) {
	defer func() {
		if !c.sup.cfg.PassThroughPanics {
			if v := recover(); v != nil {
				err = engine.NewPanicError(v, 1)
			}
		}
	}()
	return c.eng.Stop(ctx)
}

func exitEvent(r *run, kind core.ExitKind, err error, stopHung bool) core.Event {
	return core.Event{Kind: core.ChildExited, Child: r.c.cc, Gen: r.gen, Exit: kind, Err: err, TimedOut: stopHung}
}

func readyEvent(r *run) core.Event {
	return core.Event{Kind: core.ChildReady, Child: r.c.cc, Gen: r.gen}
}
