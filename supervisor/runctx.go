package supervisor

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// run is one start of a child: the context its Run is given, and the
// bookkeeping that pairs it with exactly one Stop. It is one allocation
// per start: the context must be new for every run, so that a goroutine an
// engine leaked from an earlier run never sees its context come back to
// life.
type run struct {
	c   *child
	eng engine.Engine // the child's engine for this run
	gen uint64
	// confirm asks the worker to report ready as Run is entered, for an
	// engine that does not report readiness itself.
	confirm bool
	// exitKind and exitErr are how Run ended, kept for the watchdog; for
	// a run a stopper owns, exitErr is what Stop returned. (The small
	// fields sit together, so that a run fits a smaller size class.)
	exitKind core.ExitKind
	// nextID numbers the afters, under mu. 32 bits: two registrations
	// share a number only 2^32 registrations apart within one run.
	nextID uint32

	mu     sync.Mutex
	done   chan struct{} // made on first Done, so runs that never ask cost nothing
	err    error
	afters []afterFunc

	// owner decides who calls Stop for this run: the worker, when Run
	// ended on its own, or a stopper, when the supervisor asked first.
	owner ownerClaim
	// entry decides, once, whether Run is called: the worker claims it as
	// it enters Run, a stopper that comes first voids the run.
	entry ownerClaim
	// pending counts what a stopper's run still waits for: Stop, Run.
	pending atomic.Int32
	ready   readyFlag
	// reported is set by whoever reports the exit: the worker, or its
	// watchdog when the worker's Stop hangs.
	reported readyFlag
	// abandon joins the report that a stop timed out (abandonReported,
	// set after ChildStopped was sent) with the return of Run
	// (abandonRunBack) and the call of the stopper's Stop
	// (abandonStopCalled): whichever comes last sends AbandonedReturned,
	// so that it follows the ChildStopped it answers, and so that a Stop
	// that its goroutine had not called yet when the stop timed out is
	// called before the engine can be started again, never during its
	// next Run.
	abandon atomic.Int32

	// stopDeadline is when the Stop under way must be over, since the
	// supervisor's epoch (a monotonic offset, a third of a time.Time).
	stopDeadline time.Duration
	stopDone     chan struct{}
	stopErr      error
	// runErr is what Run returned, also for a run a stopper owns: a child
	// supervisor's names the children abandoned below it. Under mu.
	runErr  error
	exitErr error
	// beat is the time of the run's last heartbeat, since its
	// supervisor's epoch; zero before the first.
	beat atomic.Int64
}

type afterFunc struct {
	id uint32
	f  func()
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// Deadline reports no deadline: a run lasts until it is stopped.
func (r *run) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done returns a channel closed when the supervisor cancels the run.
func (r *run) Done() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done == nil {
		if r.err != nil {
			return closedChan
		}
		r.done = make(chan struct{})
	}
	return r.done
}

// Err returns context.Canceled once the run was cancelled.
func (r *run) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Value answers engine.Ready's and engine.Path's keys, and passes every
// other key to the supervisor's context (with cancellation detached).
func (r *run) Value(key any) any {
	switch key.(type) {
	case readyKey:
		return r
	case pathKey:
		return r.c.path
	case aliveKey, extendKey:
		return r
	case parentKey:
		return r.c.sup
	}
	return r.c.sup.base.Value(key)
}

// parentKey finds, from a child supervisor's Run context, the run of the
// supervisor it runs under, whose Logger it inherits.
type parentKey struct{}

// readyKey and pathKey recognise the unexported keys of engine.Ready and
// engine.Path by their marker methods: the protocol between engine and
// supervisor is no public API.
type (
	readyKey  interface{ EngineReadyKey() }
	pathKey   interface{ EnginePathKey() }
	aliveKey  interface{ EngineAliveKey() }
	extendKey interface{ EngineExtendKey() }
)

// AfterFunc lets contexts derived from a run (context.WithCancel and
// friends) learn of its cancellation without a goroutine each: the context
// package looks for this method.
func (r *run) AfterFunc(f func()) (stop func() bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		go f()
		return func() bool { return false }
	}
	r.nextID++
	id := r.nextID
	r.afters = append(r.afters, afterFunc{id, f})
	return func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		for i, a := range r.afters {
			if a.id == id {
				r.afters = append(r.afters[:i], r.afters[i+1:]...)
				return true
			}
		}
		return false
	}
}

func (r *run) String() string { return "arbor.run(" + r.c.path + ")" }

// CancelRun lets an engine built with engine.FromFunc stop its run by
// cancelling this context, instead of deriving one of its own. It does so
// only when RunsEngine says the run is its own.
func (r *run) CancelRun() { r.cancel() }

// RunsEngine reports whether this is the run of e, the child's engine
// itself, rather than of a wrapper that passes its run context on to
// engines of its own. (e is engine.FromFunc's engine, whose type is
// comparable, so the comparison cannot panic.)
func (r *run) RunsEngine(e engine.Engine) bool { return r.eng == e }

// cancel cancels the run's context.
func (r *run) cancel() {
	r.mu.Lock()
	if r.err != nil {
		r.mu.Unlock()
		return
	}
	r.err = context.Canceled
	if r.done != nil {
		close(r.done)
	}
	afters := r.afters
	r.afters = nil
	r.mu.Unlock()
	for _, a := range afters {
		go a.f()
	}
}

// SignalReady is what engine.Ready calls.
func (r *run) SignalReady() {
	if r.ready.set() {
		r.c.sup.send(readyInput(r))
	}
}

// stopContext is the context of the Stop that follows a Run which ended
// on its own: it carries the run's values and the child's shutdown
// deadline, and lives in the run's allocation.
type stopContext struct{ r *run }

func (s stopContext) Deadline() (time.Time, bool) {
	return s.r.c.sup.epoch.Add(s.r.stopDeadline), true
}

func (s stopContext) Done() <-chan struct{} {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.r.stopDone == nil {
		if s.r.stopErr != nil {
			return closedChan
		}
		s.r.stopDone = make(chan struct{})
	}
	return s.r.stopDone
}

func (s stopContext) Err() error {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	return s.r.stopErr
}

func (s stopContext) Value(key any) any { return s.r.Value(key) }

// expire ends the stop context at its deadline.
func (s stopContext) expire() {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.r.stopErr == nil {
		s.r.stopErr = context.DeadlineExceeded
		if s.r.stopDone != nil {
			close(s.r.stopDone)
		}
	}
}
