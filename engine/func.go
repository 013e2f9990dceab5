package engine

import (
	"context"
	"sync"
)

// Func is an [Engine] made of a plain function. Its Run calls the function
// with a context that its Stop cancels; that cancellation is its whole stop.
// Build one with [FromFunc]; a Func must not be copied after first use.
type Func struct {
	run func(ctx context.Context) error

	mu     sync.Mutex
	cancel context.CancelFunc // of the current run's own context, or
	runCtx RunCanceler        // the current run's cancellable context
}

// RunCanceler is a context that its runner lets the engine cancel: a
// supervisor gives every Run such a context, new for each run. [Func] cancels
// it directly instead of deriving a cancellable context of its own, which
// saves a context, a goroutine-free AfterFunc registration and their
// allocations on every restart. Runners of engines implement it; engines
// other than Func never need it.
type RunCanceler interface {
	context.Context
	// CancelRun cancels the context, as the runner does when it stops the
	// run. It is idempotent and never blocks.
	CancelRun()
}

// FromFunc returns an engine whose Run calls run and whose Stop cancels the
// context that run was given. It suits the many components that need no
// stop beyond "your context is done".
func FromFunc(run func(ctx context.Context) error) *Func {
	return &Func{run: run}
}

// Run calls the function with a context that Stop cancels.
func (f *Func) Run(ctx context.Context) error {
	if rc, ok := ctx.(RunCanceler); ok {
		f.mu.Lock()
		f.cancel, f.runCtx = nil, rc
		f.mu.Unlock()
		return f.run(ctx)
	}
	ctx, cancel := context.WithCancel(ctx)
	f.mu.Lock()
	f.cancel, f.runCtx = cancel, nil
	f.mu.Unlock()
	defer cancel()
	return f.run(ctx)
}

// Stop cancels the context of the current Run, if there is one. It never
// blocks and never fails.
func (f *Func) Stop(context.Context) error {
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
