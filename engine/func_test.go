package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/arborgo/arbor/engine"
)

// blockingFunc returns an engine whose run reports each start on started
// and then waits for its context, returning ctx.Err().
func blockingFunc(started chan<- struct{}) engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error {
		started <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	})
}

func TestFuncStopCancelsRun(t *testing.T) {
	started := make(chan struct{})
	f := blockingFunc(started)
	done := make(chan error, 1)
	go func() { done <- f.Run(context.Background()) }()
	<-started
	if err := f.Stop(context.Background()); err != nil {
		t.Fatalf("Stop: got %v; want %v", err, nil)
	}
	if got, want := <-done, context.Canceled; got != want {
		t.Errorf("Run: got %v; want %v", got, want)
	}
}

func TestFuncRunEndsWithParentContext(t *testing.T) {
	started := make(chan struct{})
	f := blockingFunc(started)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	<-started
	cancel()
	if got, want := <-done, context.Canceled; got != want {
		t.Errorf("Run: got %v; want %v", got, want)
	}
}

func TestFuncRunResult(t *testing.T) {
	tests := []struct {
		name string
		run  func(context.Context) error
		want error
	}{
		{name: "nil", run: func(context.Context) error { return nil }, want: nil},
		{name: "error", run: func(context.Context) error { return errBoom }, want: errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := engine.FromFunc(tt.run).Run(context.Background()); got != tt.want {
				t.Errorf("got %v; want %v", got, tt.want)
			}
		})
	}
}

func TestFuncStopBeforeRun(t *testing.T) {
	var sawErr error
	f := engine.FromFunc(func(ctx context.Context) error {
		sawErr = ctx.Err()
		return nil
	})
	for i := range 2 {
		if err := f.Stop(context.Background()); err != nil {
			t.Errorf("Stop %d before Run: got %v; want %v", i+1, err, nil)
		}
	}
	// A Stop with no Run going must not reach into a later Run.
	if err := f.Run(context.Background()); err != nil {
		t.Fatalf("Run: got %v; want %v", err, nil)
	}
	if sawErr != nil {
		t.Errorf("Run's ctx.Err() = %v; want %v", sawErr, nil)
	}
}

func TestFuncRestart(t *testing.T) {
	started := make(chan struct{})
	f := blockingFunc(started)
	for i := range 3 {
		done := make(chan error, 1)
		go func() { done <- f.Run(context.Background()) }()
		<-started
		if err := f.Stop(context.Background()); err != nil {
			t.Fatalf("run %d: Stop: got %v; want %v", i+1, err, nil)
		}
		if got, want := <-done, context.Canceled; got != want {
			t.Fatalf("run %d: Run: got %v; want %v", i+1, got, want)
		}
		// Stop after Run returned is still fine, as a supervisor does it.
		if err := f.Stop(context.Background()); err != nil {
			t.Fatalf("run %d: second Stop: got %v; want %v", i+1, err, nil)
		}
	}
}

func TestFuncConcurrentStop(t *testing.T) {
	const stoppers = 50
	started := make(chan struct{})
	f := blockingFunc(started)
	done := make(chan error, 1)
	go func() { done <- f.Run(context.Background()) }()
	<-started

	var wg sync.WaitGroup
	errs := make(chan error, stoppers)
	for range stoppers {
		wg.Go(func() { errs <- f.Stop(context.Background()) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Stop: got %v; want %v", err, nil)
		}
	}
	if got, want := <-done, context.Canceled; !errors.Is(got, want) {
		t.Errorf("Run: got %v; want %v", got, want)
	}
}

func TestFuncDoesNotReportReady(t *testing.T) {
	if got, want := reportsReady(engine.FromFunc(nil)), false; got != want {
		t.Errorf("ReportsReady(FromFunc) = %v; want %v", got, want)
	}
}

// cancelable is a context its engine may cancel, as a supervisor's run
// context is: FromFunc's engine recognises it by its CancelRun method,
// and cancels it only if RunsEngine says it was made for that engine.
type cancelable struct {
	context.Context
	cancel context.CancelFunc
	calls  int
	eng    engine.Engine // the engine the context was made for
}

func (c *cancelable) CancelRun() { c.calls++; c.cancel() }

func (c *cancelable) RunsEngine(e engine.Engine) bool { return c.eng == e }

// runUnderCanceler runs a FromFunc engine on a runner's cancelable
// context, made for that engine when own is set and for another engine
// otherwise (a wrapper passing its own run context on), stops it, and
// returns the context its function got.
func runUnderCanceler(t *testing.T, own bool) (got context.Context, rc *cancelable) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	rc = &cancelable{Context: ctx, cancel: cancel, eng: engine.FromFunc(nil)}
	running := make(chan struct{})
	f := engine.FromFunc(func(ctx context.Context) error {
		got = ctx
		close(running)
		<-ctx.Done()
		return nil
	})
	if own {
		rc.eng = f
	}
	done := make(chan error, 1)
	go func() { done <- f.Run(rc) }()
	<-running
	if err := f.Stop(context.Background()); err != nil {
		t.Fatalf("Stop = %v; want nil", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Run = %v; want nil", err)
	}
	return got, rc
}

// TestFuncCancelsRunCanceler: under a runner whose context can be
// cancelled by the engine, FromFunc's Stop cancels that context itself.
func TestFuncCancelsRunCanceler(t *testing.T) {
	got, rc := runUnderCanceler(t, true)
	if got != context.Context(rc) || rc.calls != 1 {
		t.Errorf("Run's ctx is the runner's: %v, CancelRun calls = %d; want true, 1", got == context.Context(rc), rc.calls)
	}
}

// TestFuncStopLeavesAnotherEnginesRunContext: given a runner's context
// that was made for another engine (a wrapper passing its own run context
// on), FromFunc's Stop cancels a context of its own and leaves the
// runner's alone.
func TestFuncStopLeavesAnotherEnginesRunContext(t *testing.T) {
	got, rc := runUnderCanceler(t, false)
	if got == context.Context(rc) || rc.calls != 0 || rc.Err() != nil {
		t.Errorf("Run's ctx is the runner's: %v, CancelRun calls = %d, runner's ctx Err = %v; want false, 0, nil", got == context.Context(rc), rc.calls, rc.Err())
	}
}
