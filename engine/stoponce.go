package engine

import (
	"context"
	"sync/atomic"
)

// StopOnce returns a stop function that runs stop at most once, however
// often and however concurrently it is called, and gives every caller the
// result of that one run. A panic in stop becomes a [*PanicError]. A caller
// whose ctx ends while another caller's run of stop is still going returns
// ctx.Err() without waiting further.
//
// Engines build their Stop from it, and call [StopOnce] again at the start
// of each Run so that every run has a stop of its own.
func StopOnce(stop func(ctx context.Context) error) func(ctx context.Context) error {
	var (
		claimed atomic.Bool
		done    = make(chan struct{})
		err     error
	)
	return func(ctx context.Context) error {
		if claimed.CompareAndSwap(false, true) {
			err = Call(func() error { return stop(ctx) })
			close(done)
			return err
		}
		// A finished stop answers even a caller whose ctx is already over.
		select {
		case <-done:
			return err
		default:
		}
		select {
		case <-done:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
