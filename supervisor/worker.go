package supervisor

import (
	"context"
	"runtime/pprof"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
	"github.com/arborgo/arbor/supervisor/internal/goroutines"
)

// The worker is the one goroutine of a child. It outlives a restart, so
// that a crash loop does not start a goroutine per restart; it quits when
// the child stops for good, and is abandoned when a Run or Stop hangs.
// Either way the owner closes its channel of runs (once: it then forgets
// it), and the worker returns once it has finished the run it has, if any.
func (c *child) newWorker() {
	c.next = make(chan *run, 1)
	go c.work(c.next, nil, c.labels())
}

// firstWorker runs the first run of a child in the supervisor's run on a
// goroutine without a channel of runs, that returns when the run is over:
// most children are never restarted, and an idle child then costs no
// channel and its start no hand-over through one. The first restart
// gets a worker that outlives the restarts after it (newWorker).
func (c *child) firstWorker(r *run) {
	go c.work(nil, r, c.labels())
}

// labels returns a context that carries the child's profiler label, for
// pprof.SetGoroutineLabels. It is made for each goroutine that needs it
// rather than kept: the goroutine keeps only the label set.
func (c *child) labels() context.Context {
	return pprof.WithLabels(c.sup.base, pprof.Labels(goroutines.LabelKey, c.path))
}

// work runs each run it is given to its end. The frames on the stack
// while Run runs (work, callRun) and those that report its end (ended and
// below, called from here once callRun has returned) are kept small:
// everything else lives in functions of their own. A new worker's
// goroutine then fits, with a plain Run that waits and with the report of
// its stop, in the runtime's initial stack, and no stack copy is paid per
// child at start or at stop.
//
// It runs r first, if given, and then each run received on next until
// next is closed; without next it returns after r.
func (c *child) work(next <-chan *run, r *run, labels context.Context) {
	pprof.SetGoroutineLabels(labels)
	w := worker{c}
	for ; r != nil || next != nil; r = nil {
		if r == nil {
			var ok bool
			if r, ok = <-next; !ok {
				return
			}
		}
		if !r.entry.claim(ownedByWorker) {
			w.voided(r)
			continue
		}
		err, panicked := w.callRun(r)
		if !w.ended(r, err, panicked) {
			return
		}
	}
}

// worker names the worker's methods; it is the child itself.
type worker struct{ c *child }

// voided follows a run that a stopper owns: one it voided before Run was
// entered (neither Run nor Stop is called, so the engine still sees Run,
// Stop, Run, Stop), or one whose Run returned after the stopper called
// Stop.
//
//go:noinline
func (w *worker) voided(r *run) {
	w.c.stopPartDone(r, false)
	w.c.runReturned(r)
}

// ended follows the return of Run, and reports whether the worker may go
// on.
//
//go:noinline
func (w *worker) ended(r *run, err error, panicked bool) bool {
	if err != nil {
		r.mu.Lock()
		r.runErr = err
		r.mu.Unlock()
	}
	if !r.owner.claim(ownedByWorker) {
		// A stopper owns this run and has called Stop.
		w.voided(r)
		return true
	}
	return w.exited(r, err, panicked)
}

// exited follows a Run that ended on its own, and reports whether the
// worker may go on.
//
//go:noinline
func (w *worker) exited(r *run, err error, panicked bool) bool {
	c := w.c
	r.exitKind, r.exitErr = classify(err, panicked), err
	// The end is recorded now, before a Stop that may take its time. One
	// that never blocks (see stopNeverBlocks) is over at once, and its
	// ChildExited records the end as promptly without a second message
	// per restart.
	if !c.quickStop {
		c.sup.send(core.Input{Kind: core.ChildExiting, Child: c.cc, Gen: r.gen, Exit: r.exitKind, Err: err})
	}
	stopErr := c.stopAfterExit(r)
	r.cancel()
	if !r.reported.set() {
		// The watchdog gave up on our Stop and reported the exit.
		if stopErr != nil {
			c.sup.stopFailed(c, stopErr)
		}
		return false
	}
	if !c.quickStop {
		c.stopTimer.Stop()
	}
	in := exitInput(r, r.exitKind, err, false)
	in.StopErr = stopErr
	c.sup.send(in)
	return true
}

func (w *worker) callRun(r *run) (err error, panicked bool) {
	if !w.c.reportsReady {
		confirmRun(r)
	}
	if w.c.sup.cfg.PassThroughPanics {
		return r.eng.Run(r), false
	}
	defer func() {
		if v := recover(); v != nil {
			err, panicked = engine.NewPanicError(v, 1), true
		}
	}()
	return r.eng.Run(r), false
}

// confirmRun reports ready for an engine that does not report readiness
// itself, as its Run is entered.
//
//go:noinline
func confirmRun(r *run) {
	if r.ready.set() && r.confirm {
		r.c.sup.send(readyInput(r))
	}
}

// runReturned follows the return of a Run that a stopper owns: if its stop
// was reported abandoned already, the core learns that the Run is back.
func (c *child) runReturned(r *run) { c.abandonPart(r, abandonRunBack) }

// The parts of an abandoned run's end; see run.abandon.
const (
	abandonReported   = 1
	abandonRunBack    = 2
	abandonStopCalled = 4
	abandonBack       = abandonRunBack | abandonStopCalled
	abandonAll        = abandonReported | abandonBack
)

// abandonPart records one part of a stopper's run's end, and reports the
// Run back if it completes them.
func (c *child) abandonPart(r *run, part int32) {
	if old := r.abandon.Or(part); old != abandonAll && old|part == abandonAll {
		c.abandonedBack(r)
	}
}

// stopAfterExit calls Stop for a run that ended on its own, bounded by the
// child's shutdown timeout, and returns what Stop returned: the child's
// stop timer reports the child and frees the supervisor if Stop hangs past
// it. An engine whose Stop never blocks (see stopNeverBlocks) needs no
// timer.
func (c *child) stopAfterExit(r *run) error {
	if !c.quickStop {
		c.guardStop(r, c.cc.Spec().Shutdown)
	}
	return c.callStop(r, stopContext{r})
}

// guardStop sets r's stop deadline and arms the child's stop timer for
// it. The timer is disarmed only by whoever reports the end of r (the
// winner of r.reported), before it reports, so that a late party of an
// abandoned run never disarms the timer of a later run.
func (c *child) guardStop(r *run, timeout time.Duration) {
	r.stopDeadline = time.Since(c.sup.epoch) + timeout
	c.stopGuard.Store(r)
	c.stopTimer.Reset(timeout)
}

// makeStopTimer makes the child's stop timer, stopped, on the supervisor's
// goroutine: before the first start of an engine whose Stop may block (its
// worker arms it), or before the first requested stop.
func (c *child) makeStopTimer() {
	if c.stopTimer == nil {
		c.stopTimer = time.AfterFunc(time.Hour, c.stopExpired)
		c.stopTimer.Stop()
	}
}

// stopExpired runs when the child's stop timer fires: a Stop, or the wait
// for Run after a requested Stop, has outlasted the shutdown timeout.
func (c *child) stopExpired() {
	r := c.stopGuard.Load()
	if r == nil || time.Since(c.sup.epoch) < r.stopDeadline {
		return // a fire that raced a re-arm: the timer fires again later
	}
	// The report is claimed before the contexts expire: a Stop or Run
	// that returns only because they did is still a stop that timed out,
	// whichever goroutine the runtime runs first at this instant.
	if !r.reported.set() {
		return // it ended in time, just now
	}
	stopContext{r}.expire()
	if r.owner.owner() == ownedByStopper {
		// A requested stop: Run's context is cancelled even though Stop
		// hangs, and the child is reported as abandoned.
		r.cancel()
		r.mu.Lock()
		err := r.exitErr
		r.mu.Unlock()
		c.sup.send(core.Input{Kind: core.ChildStopped, Child: c.cc, Gen: r.gen, TimedOut: true, Err: err})
		c.abandonPart(r, abandonReported)
		return
	}
	// Run's own result goes with it; the core decides what a hung Stop
	// makes of it.
	c.sup.send(exitInput(r, r.exitKind, r.exitErr, true))
}

// classify turns the end of a Run into an exit kind. Only the supervisor's
// own decisions make an end normal: a context error that the engine
// returns on its own is an error like any other. A child supervisor's
// auto-shutdown is such a decision (OTP's shutdown exit), even when it
// carries its significant child's error.
func classify(err error, panicked bool) core.ExitKind {
	_, autoShut := err.(*AutoShutdownError)
	switch {
	case panicked:
		return core.ExitPanic
	case err != nil && !autoShut:
		return core.ExitFailed
	}
	return core.ExitNormal
}

// beginStop carries out a stop the core asked for, on the supervisor's
// goroutine: Stop with a context bounded by timeout, then cancel the
// run's context, then wait, bounded by the same deadline, for Run to
// return; ChildStopped says whether that was in time. Nothing here
// blocks: Stop runs on a goroutine of its own (labelled as the child),
// or, for an engine whose Stop never blocks, right here; the worker tells
// when Run has returned, and the child's stop timer ends the wait at the
// deadline, abandoning a Stop that ignores its context.
func (c *child) beginStop(r *run, timeout time.Duration) {
	r.pending.Store(2) // Stop and Run: the last to finish reports
	if !r.owner.claim(ownedByStopper) {
		// Run has just ended on its own, and the worker is calling Stop,
		// bounded by the child's stop timer: its ChildExited ends this
		// stop too.
		return
	}
	void := r.entry.claim(ownedByStopper)
	if void || c.quickStop {
		// Stop is called here and now, or never: before the timer that
		// may report it abandoned is armed.
		r.abandon.Or(abandonStopCalled)
	}
	c.makeStopTimer()
	c.guardStop(r, timeout)
	if void {
		// Run has not been entered, and now never will be: the engine
		// has nothing to stop. A Stop here would come before the Run it
		// belongs to, or be a second Stop after the previous run's.
		c.stopCalled(r, nil, true)
		return
	}
	if c.quickStop {
		c.stopCalled(r, c.callStop(r, stopContext{r}), true)
		return
	}
	go c.stopRun(r)
}

// stopRun calls a Stop that may block, labelled as the child.
func (c *child) stopRun(r *run) {
	pprof.SetGoroutineLabels(c.labels())
	c.abandonPart(r, abandonStopCalled)
	c.stopCalled(r, c.callStop(r, stopContext{r}), false)
}

// stopCalled follows a requested Stop that has returned: Run's context is
// cancelled, and the stop is over once Run returns too. onOwner says it
// runs on the supervisor's goroutine.
func (c *child) stopCalled(r *run, err error, onOwner bool) {
	if err != nil {
		r.mu.Lock()
		r.exitErr = err // a stopper's run has no exit of its own to keep
		r.mu.Unlock()
	}
	r.cancel()
	c.stopPartDone(r, onOwner)
}

// stopPartDone counts the end of Stop or of Run for a stopper's run; the
// last one reports the child stopped, unless the stop timer already
// reported it abandoned. On the supervisor's goroutine (onOwner) the input
// is queued for the loop instead of sent, as the loop cannot receive
// while it runs this.
func (c *child) stopPartDone(r *run, onOwner bool) {
	if r.pending.Add(-1) != 0 || !r.reported.set() {
		return
	}
	c.stopReported(r, onOwner)
}

// stopReported reports a stopper's run stopped; it is out of stopPartDone
// to keep the worker's frames small (see work).
//
//go:noinline
func (c *child) stopReported(r *run, onOwner bool) {
	c.stopTimer.Stop()
	r.mu.Lock()
	err := r.exitErr
	r.mu.Unlock()
	if err != nil {
		c.sup.stopFailed(c, err)
	}
	ev := core.Input{Kind: core.ChildStopped, Child: c.cc, Gen: r.gen, Err: err}
	if onOwner {
		c.sup.self = append(c.sup.self, ev)
		return
	}
	c.sup.send(ev)
}

// callStop calls the engine's Stop, recovering a panic in it unless
// panics pass through.
func (c *child) callStop(r *run, ctx context.Context) (err error) {
	defer func() {
		if !c.sup.cfg.PassThroughPanics {
			if v := recover(); v != nil {
				err = engine.NewPanicError(v, 1)
			}
		}
	}()
	return r.eng.Stop(ctx)
}

func exitInput(r *run, kind core.ExitKind, err error, stopHung bool) core.Input {
	return core.Input{Kind: core.ChildExited, Child: r.c.cc, Gen: r.gen, Exit: kind, Err: err, TimedOut: stopHung}
}

func readyInput(r *run) core.Input {
	return core.Input{Kind: core.ChildReady, Child: r.c.cc, Gen: r.gen}
}
