package engine

import (
	"context"
	"sync"
)

// Func is an [Engine] made of a plain function. Its Run calls the function
// with a context that its Stop cancels; that cancellation is its whole stop.
// Build one with [FromFunc]; a Func must not be copied after first use.
type Func struct {
	run    func(ctx context.Context) error
	mu     sync.Mutex
	cancel context.CancelFunc
}

// FromFunc returns an engine whose Run calls run and whose Stop cancels the
// context that run was given. It suits the many components that need no
// stop beyond "your context is done".
func FromFunc(run func(ctx context.Context) error) *Func {
	return &Func{run: run}
}

// Run calls the function with a context that Stop cancels.
func (f *Func) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	f.mu.Lock()
	f.cancel = cancel
	f.mu.Unlock()
	defer cancel()
	return f.run(ctx)
}

// Stop cancels the context of the current Run, if there is one. It never
// blocks and never fails.
func (f *Func) Stop(context.Context) error {
	f.mu.Lock()
	cancel := f.cancel
	f.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return nil
}

// StopNeverBlocks reports true: Stop only cancels. See [NonBlockingStopper].
func (f *Func) StopNeverBlocks() bool { return true }

var _ NonBlockingStopper = (*Func)(nil)
