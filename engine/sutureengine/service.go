package sutureengine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/thejerf/suture/v4"

	"github.com/arborgo/arbor/engine"
)

// ErrTerminateTree matches, with errors.Is, the error of a suture service
// or supervisor that returned suture.ErrTerminateSupervisorTree. Arbor
// treats it as an abnormal exit; see the package documentation for how to
// end a tree under arbor.
var ErrTerminateTree = errors.New("sutureengine: service asked to terminate the supervision tree")

// terminateError keeps the text of the service's own error but matches
// only ErrTerminateTree, not suture's sentinel.
type terminateError struct{ err error }

func (e *terminateError) Error() string {
	return ErrTerminateTree.Error() + ": " + e.err.Error()
}

func (e *terminateError) Is(target error) bool { return target == ErrTerminateTree }

// mapServeErr turns what a suture Serve returned into an arbor Run result.
func mapServeErr(ctx context.Context, err error) error {
	switch {
	case err == nil, errors.Is(err, suture.ErrDoNotRestart):
		return nil
	case errors.Is(err, suture.ErrTerminateSupervisorTree):
		return &terminateError{err}
	case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		return nil
	}
	return err
}

// serveRun is one Run of a suture service or supervisor.
type serveRun struct {
	cancel context.CancelFunc
	done   chan struct{}
	err    error // what Stop reports once done is closed
}

// runner holds the current run of an engine built around Serve, and
// implements the Stop half of the contract.
type runner struct {
	mu  sync.Mutex
	cur *serveRun
}

func (r *runner) begin(ctx context.Context) (context.Context, *serveRun) {
	ctx, cancel := context.WithCancel(ctx)
	sr := &serveRun{cancel: cancel, done: make(chan struct{})}
	r.mu.Lock()
	r.cur = sr
	r.mu.Unlock()
	return ctx, sr
}

// stop cancels the current run and waits for it to end, bounded by ctx and
// by wait when wait > 0. It returns the run's error only when the run was
// still going: a run that ended on its own reported it from Run.
func (r *runner) stop(ctx context.Context, name string, wait time.Duration) error {
	r.mu.Lock()
	sr := r.cur
	r.mu.Unlock()
	if sr == nil {
		return nil
	}
	select {
	case <-sr.done:
		return nil // it ended on its own, and Run reported how
	default:
	}
	sr.cancel()
	var timeout <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-sr.done:
		return sr.err
	case <-ctx.Done():
		return ctx.Err()
	case <-timeout:
		return fmt.Errorf("sutureengine: %s: Serve did not return within %v of its cancellation", name, wait)
	}
}

// FromService returns an engine whose Run calls svc.Serve with a context
// that its Stop cancels. Stop waits for Serve to return, bounded by its own
// context and, when stopWait > 0, by stopWait. See the package
// documentation for how Serve's result maps to Run's. The engine's String
// is the service's name, as suture would log it.
func FromService(svc suture.Service, stopWait time.Duration) engine.Engine {
	return &service{svc: svc, name: serviceName(svc), stopWait: stopWait}
}

// service is the engine of FromService.
type service struct {
	svc      suture.Service
	name     string
	stopWait time.Duration
	runner
}

func (s *service) Run(ctx context.Context) error {
	ctx, sr := s.begin(ctx)
	defer close(sr.done)
	defer sr.cancel()
	return mapServeErr(ctx, s.svc.Serve(ctx))
}

func (s *service) Stop(ctx context.Context) error {
	return s.stop(ctx, s.name, s.stopWait)
}

func (s *service) String() string { return s.name }

// serviceName names a service as suture does.
func serviceName(svc suture.Service) string {
	if st, ok := svc.(fmt.Stringer); ok {
		return st.String()
	}
	return fmt.Sprintf("%#v", svc)
}
