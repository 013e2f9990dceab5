package supervisor

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/arborgo/arbor/engine"
)

// Supervisor runs a list of children under a restart policy. Build it with
// [New]; it is an [engine.Engine], so it can be the child of another
// supervisor, or the root given to arbor.Run.
//
// A Supervisor runs once at a time. After Run returns it may be run again
// (a parent restarts a child supervisor that way); every Run starts from
// its spec list: the children given to New, as AddChild, InsertChild,
// ReplaceChild and DeleteChild have changed it since, under the policy
// given to New as Reconfigure has changed it. A child whose Run an earlier Run abandoned
// and that has not returned yet is the exception: it reads abandoned, and
// it and the children after it start only once that Run has returned, so
// that its engine never runs twice at once.
type Supervisor struct {
	name string

	// mu guards cfg, children, carries and current. cfg and children
	// are the spec list that the next Run starts from; only the run's
	// own goroutine changes them while it runs, and it replaces them
	// rather than changing them in place, so a reader may keep what it
	// read under mu.
	mu       sync.Mutex
	cfg      Config
	children []Child
	// carries remembers, per child, a Run that an earlier Run of the
	// supervisor abandoned and that is still out (see carry).
	carries []*carry
	current *runState
	running atomic.Bool
	// last is the snapshot of the last run that finished, built on first
	// read (see finalSnapshot).
	last atomic.Pointer[finalSnapshot]
	// gaveUp counts the runs that gave up, across runs.
	gaveUp atomic.Int64
}

// New returns a supervisor named name with the given policy and children,
// in start order. The name of a root supervisor begins every path below
// it, so it must not contain "/"; a child supervisor is named by its
// Child.Name instead. New checks nothing: Run validates the whole tree first
// and starts nothing when any of it is invalid; call [Supervisor.Validate]
// to check earlier.
func New(name string, cfg Config, children ...Child) *Supervisor {
	carries := make([]*carry, len(children))
	for i := range carries {
		carries[i] = new(carry)
	}
	return &Supervisor{name: name, cfg: cfg, children: children, carries: carries}
}

// Name returns the name given to New.
func (s *Supervisor) Name() string { return s.name }

// Run starts the children in order and supervises them until ctx is
// cancelled or Stop is called, then stops them in reverse start order and
// returns. It returns nil after a clean shutdown, a [*ConfigError] before
// starting anything when the tree is invalid, a [*StartError] when a child
// failed to start, a [*GaveUpError] when a restart would have exceeded the
// restart intensity, an [*AutoShutdownError] when a significant child
// ended with an error and shut the supervisor down (see
// [Config].AutoShutdown; nil when it ended with nil), and a
// [*StopTimeoutError] when children had to be abandoned during a shutdown
// that was otherwise clean. Every error that lists abandoned
// children names them by path at any depth below this supervisor, as
// child supervisors report theirs. A Run called while the supervisor
// runs already returns an error at once and starts nothing.
//
// The supervisor's own ctx decides that it shuts down, never an error a
// child returned: a child that returns context.Canceled on its own has
// failed.
func (s *Supervisor) Run(ctx context.Context) error {
	r, err := s.begin(ctx)
	if err != nil {
		return err
	}
	return s.serve(ctx, r)
}

// begin prepares a run, so that Stop and the admin calls reach it from the
// moment begin returns.
func (s *Supervisor) begin(ctx context.Context) (*runState, error) {
	if !s.running.CompareAndSwap(false, true) {
		return nil, errAlreadyRunning
	}
	if err := s.Validate(); err != nil {
		s.running.Store(false)
		return nil, err
	}
	s.mu.Lock()
	r := newRunState(s, ctx) // under mu: a Reconfigure between the two would be lost
	s.current = r
	s.mu.Unlock()
	return r, nil
}

func (s *Supervisor) serve(ctx context.Context, r *runState) error {
	defer s.running.Store(false)
	err := r.loop(ctx)
	s.mu.Lock()
	s.current = nil
	s.mu.Unlock()
	return err
}

// Stop asks a running supervisor to stop its children in reverse start
// order and waits until Run has returned or ctx ends. It is idempotent and
// safe at any time: before Run, while it runs, after it returned, and from
// several goroutines. It returns ctx.Err() when ctx ended first.
//
// Stop reaches a run that has begun: after `go s.Run(ctx)` it may come
// too early and do nothing. To stop a run you have just started, cancel
// its ctx, or start it with [Supervisor.ServeBackground].
func (s *Supervisor) Stop(ctx context.Context) error {
	r := s.run()
	if r == nil {
		return nil
	}
	r.requestStop()
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ReportsReady reports true: a supervisor is ready, for its parent and for
// arbor.Run, once all of its children have started in order, as an OTP
// supervisor's start returns only after its init started every child.
func (s *Supervisor) ReportsReady() bool { return true }

// ServeBackground runs the supervisor on a goroutine of its own and
// returns a channel that receives Run's result, then closes. Unlike
// `go s.Run(ctx)`, the run exists when ServeBackground returns, so a Stop
// or an admin call made right after it reaches the run.
func (s *Supervisor) ServeBackground(ctx context.Context) <-chan error {
	errc := make(chan error, 1)
	r, err := s.begin(ctx)
	if err != nil {
		errc <- err
		close(errc)
		return errc
	}
	go func() {
		defer close(errc)
		errc <- s.serve(ctx, r)
	}()
	return errc
}

func (s *Supervisor) run() *runState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
}

var _ engine.Readier = (*Supervisor)(nil)
