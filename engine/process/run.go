package process

import (
	"context"
	"errors"
	"sync"
	"syscall"
)

// procRun is the state of one Run, shared with Stop. Stop may come before
// the process started, so a requested signal is remembered and sent as
// soon as there is a group to send it to.
type procRun struct {
	stopSignal syscall.Signal
	exited     chan struct{} // closed once the main process is gone

	launch *launch // what it runs, for a liveness probe's directory and environment

	mu      sync.Mutex
	c       *child
	want    syscall.Signal // strongest signal requested so far, 0 for none
	stopped bool
	closed  bool
}

func newProcRun(stopSignal syscall.Signal) *procRun {
	return &procRun{stopSignal: stopSignal, exited: make(chan struct{})}
}

// stop sends the stop signal, and SIGKILL when ctx ends before the main
// process exited. It is idempotent by construction (signals are requested,
// not counted), so unlike a StopOnce every concurrent caller waits for the
// exit bounded by its own ctx, and the first deadline to pass kills.
func (r *procRun) stop(ctx context.Context) error {
	r.request(r.stopSignal)
	select {
	case <-r.exited:
		return nil
	case <-ctx.Done():
	}
	select {
	case <-r.exited:
		return nil
	default:
	}
	r.request(syscall.SIGKILL)
	return &stopTimeoutError{signal: r.stopSignal, cause: context.Cause(ctx)}
}

// request sends sig to the group now, or once it exists.
func (r *procRun) request(sig syscall.Signal) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
	if r.want != syscall.SIGKILL {
		r.want = sig
	}
	if r.c != nil {
		_ = r.c.signal(sig)
	}
}

// attach records the started child and delivers a stop requested earlier.
func (r *procRun) attach(c *child) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.c = c
	if r.want != 0 {
		_ = c.signal(r.want)
	}
}

func (r *procRun) stopRequested() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopped
}

func (r *procRun) markExited() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.closed = true
		close(r.exited)
	}
}

func (r *procRun) hasExited() bool {
	select {
	case <-r.exited:
		return true
	default:
		return false
	}
}

// stopTimeoutError is Stop's error when the process outlived Stop's
// context: it names the stop signal and keeps the context's error to
// match with errors.Is, but says "deadline exceeded" in words.
type stopTimeoutError struct {
	signal syscall.Signal
	cause  error
}

func (e *stopTimeoutError) Error() string {
	msg := "process: did not exit on " + signalName(e.signal) + " in time; SIGKILLed its group"
	if !errors.Is(e.cause, context.DeadlineExceeded) && !errors.Is(e.cause, context.Canceled) {
		msg += " (" + e.cause.Error() + ")"
	}
	return msg
}

func (e *stopTimeoutError) Unwrap() error { return e.cause }
