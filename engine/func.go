package engine

import (
	"context"
	"sync"
)

// FromFunc returns an engine whose Run calls run with a context that its
// Stop cancels; that cancellation is its whole stop, so its Stop never
// blocks and never fails. Its Stop ends only its own run: the context its
// Run was given, and so every other engine its caller runs on that
// context, goes on. It suits the many components that need no stop
// beyond "your context is done". It does not report readiness; to add
// that, embed the engine in a type whose ReportsReady returns true and
// call [Ready] from run.
func FromFunc(run func(ctx context.Context) error) Engine {
	return &funcEngine{run: run}
}

// funcEngine is the engine of FromFunc. A supervisor knows its exact type:
// its Stop only cancels, so it may run on the supervisor's goroutine.
type funcEngine struct {
	run func(ctx context.Context) error

	mu     sync.Mutex
	cancel context.CancelFunc // of the current run's own context, or
	runCtx runCanceler        // the current run's cancellable context
}

// runCanceler is a context that its runner lets the engine cancel: a
// supervisor gives every Run of a child such a context, new for each run,
// with an idempotent, non-blocking CancelRun. funcEngine cancels it
// directly instead of deriving a cancellable context of its own, which
// saves a context, an AfterFunc registration and their allocations on
// every restart. It may do so only when the context is its own run's,
// that is when RunsEngine reports that the runner made it for this very
// engine: a context that a wrapper engine (the runner's child) passes on
// to the engines it runs is the wrapper's, and cancelling it would end
// the wrapper's run and every engine it runs, not only this one.
type runCanceler interface {
	context.Context
	CancelRun()
	// RunsEngine reports whether the context is the one its runner gave
	// e's Run.
	RunsEngine(e Engine) bool
}

func (f *funcEngine) Run(ctx context.Context) error {
	if rc, ok := ctx.(runCanceler); ok && rc.RunsEngine(f) {
		f.mu.Lock()
		f.cancel, f.runCtx = nil, rc
		f.mu.Unlock()
		return f.run(ctx)
	}
	return f.runOwn(ctx)
}

// runOwn runs under a context of the engine's own, for a runner other
// than a supervisor, or on a run context made for another engine. It is
// out of Run so that Run's frame, on the stack for as long as the run
// lasts, stays small.
//
//go:noinline
func (f *funcEngine) runOwn(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	f.mu.Lock()
	f.cancel, f.runCtx = cancel, nil
	f.mu.Unlock()
	defer cancel()
	return f.run(ctx)
}

func (f *funcEngine) Stop(context.Context) error {
	f.mu.Lock()
	cancel, rc := f.cancel, f.runCtx
	f.mu.Unlock()
	switch {
	case cancel != nil:
		cancel()
	case rc != nil:
		rc.CancelRun()
	}
	return nil
}
