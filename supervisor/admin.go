package supervisor

import (
	"context"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// call is a request to a supervisor's goroutine. The set of calls is
// sealed: only this package defines them.
type call interface{ serve(r *runState) }

// adminCall is a call that changes the children. The core decides when
// it is made: one that the core answers with core.ErrBusy (a plan is
// under way) is held and made again after the next event.
type adminCall struct {
	op    func(r *runState, now time.Time) (*core.Child, []core.Action, error)
	reply chan error
}

func (c adminCall) serve(r *runState) {
	if !c.try(r) {
		r.held = append(r.held, c)
	}
}

// try makes the call, and reports false if the core held it back.
func (c adminCall) try(r *runState) bool {
	ch, acts, err := c.op(r, time.Now())
	if err == core.ErrBusy {
		return false
	}
	if err != nil {
		c.reply <- mapCoreError(err)
		return true
	}
	r.exec(acts)
	if ch != nil && (ch.State() == core.StateStarting || ch.State() == core.StateStopping) {
		r.waiters[ch] = append(r.waiters[ch], c.reply)
		return true
	}
	c.reply <- nil
	return true
}

func (r *runState) serve(c call) {
	c.serve(r)
	r.releaseHeld()
}

// releaseHeld makes the held admin calls again, in the order they came,
// until the core holds one back again.
func (r *runState) releaseHeld() {
	for len(r.held) > 0 && r.held[0].try(r) {
		r.held = r.held[1:]
	}
}

// answerWaiters answers the admin calls that wait for a child to become
// ready or to stop.
func (r *runState) answerWaiters(a *core.Action) {
	if a.Child == nil || len(r.waiters) == 0 {
		return
	}
	var err error
	switch a.Report {
	case core.EventReady, core.EventStopped:
	case core.EventStopTimedOut:
		err = fromCore(a.Err)
	default:
		return
	}
	for _, reply := range r.waiters[a.Child] {
		reply <- err
	}
	delete(r.waiters, a.Child)
}

// settleWaiters answers the admin calls that wait for a child that is
// neither starting nor stopping any more without a report that answered
// them: a start that failed (its end is reported as the run ends, the
// child has settled only once its Stop is over), or a terminated child
// whose own end came first.
func (r *runState) settleWaiters() {
	if len(r.waiters) == 0 {
		return
	}
	for cc, replies := range r.waiters {
		if st := cc.State(); st == core.StateStarting || st == core.StateStopping {
			continue
		}
		var err error
		if kind, lastErr := cc.LastExit(); kind == core.ExitStartFailed {
			err = fromCore(lastErr)
		}
		for _, reply := range replies {
			reply <- err
		}
		delete(r.waiters, cc)
	}
}

func mapCoreError(err error) error {
	switch err {
	case core.ErrNotFound:
		return ErrNotFound
	case core.ErrAlreadyExists:
		return ErrAlreadyExists
	case core.ErrNotStopped:
		return ErrNotStopped
	case core.ErrShuttingDown:
		return ErrNotRunning
	}
	return err
}

// do sends an admin call and waits for its answer, bounded by ctx. It
// never blocks on a supervisor that has finished.
func (s *Supervisor) do(ctx context.Context, op func(r *runState, now time.Time) (*core.Child, []core.Action, error)) error {
	r := s.run()
	if r == nil {
		return ErrNotRunning
	}
	reply := make(chan error, 1)
	select {
	case r.calls <- adminCall{op, reply}:
	case <-r.done:
		return ErrNotRunning
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-reply:
		return err
	case <-r.done:
		return ErrNotRunning
	case <-ctx.Done():
		return ctx.Err()
	}
}

// AddChild adds a child after the existing ones and starts it, returning
// once it is ready or has failed to start: then it returns why (the
// child's error, or ErrStartTimeout) and the child is not kept, as with
// OTP's start_child. It fails with a *ConfigError for an invalid spec and
// ErrAlreadyExists for a duplicate name.
//
// AddChild, InsertChild, ReplaceChild and DeleteChild change the
// supervisor's spec list for good, as suture's Add does: a later Run of
// this Supervisor (a restart by its parent) starts the children as they
// now are. (OTP forgets the children added to a supervisor when it
// restarts.) TerminateChild and RestartChild change only the current run:
// a later Run starts a terminated child again.
//
// The admin calls (AddChild, InsertChild, ReplaceChild, TerminateChild,
// RestartChild, DeleteChild) may be called from any goroutine but the
// supervisor's own (not from Config.OnEvent). While the supervisor starts
// its children in order or restarts a group, a call waits until that is
// over, as OTP handles such calls between restarts. A call fails with
// ErrNotRunning when the supervisor is not running or is shutting down,
// with ErrNotFound when the child it names does not exist (InsertChild's
// before excepted), and with ctx.Err() when ctx ends first; the change it
// asked for may then still be made.
func (s *Supervisor) AddChild(ctx context.Context, ch Child) error {
	where := s.name + "/" + ch.Name
	if r := s.run(); r != nil {
		where = r.path + "/" + ch.Name
	}
	if err := validateChild(ch, where); err != nil {
		return err
	}
	var eng engine.Engine // made once, even if the core holds the call back
	return s.do(ctx, func(r *runState, now time.Time) (*core.Child, []core.Action, error) {
		if eng == nil {
			eng = firstEngine(ch)
		}
		cc, acts, err := r.core.AddChild(now, r.sup.withConfig(r.cfg).childSpec(ch, eng))
		if err == nil {
			r.keep(now, r.sup.keepChild("", ch), r.attach(cc, eng, ch), ch)
		}
		return cc, acts, err
	})
}

// TerminateChild stops a child and does not restart it, returning once it
// stopped (or was abandoned after its shutdown timeout). Its spec stays,
// so RestartChild can start it again; a temporary child's spec is removed.
// Terminating a stopped child does nothing. See AddChild for when admin
// calls wait and fail.
func (s *Supervisor) TerminateChild(ctx context.Context, name string) error {
	return s.do(ctx, func(r *runState, now time.Time) (*core.Child, []core.Action, error) {
		return r.core.TerminateChild(now, name)
	})
}

// RestartChild starts a stopped child again and returns once it is ready
// or has failed to start (then it stays stopped, and the error says why).
// It fails with ErrNotStopped when the child is not stopped. See AddChild
// for when admin calls wait and fail.
func (s *Supervisor) RestartChild(ctx context.Context, name string) error {
	return s.do(ctx, func(r *runState, now time.Time) (*core.Child, []core.Action, error) {
		return r.core.RestartChild(now, name)
	})
}

// DeleteChild removes a stopped child's spec, also from the spec list
// that later runs start from. It fails with ErrNotStopped
// when the child is not stopped. See AddChild for when admin calls wait
// and fail.
func (s *Supervisor) DeleteChild(ctx context.Context, name string) error {
	return s.do(ctx, func(r *runState, now time.Time) (*core.Child, []core.Action, error) {
		acts, err := r.core.DeleteChild(now, name)
		if err == nil {
			r.sup.forgetSpec(name)
		}
		return nil, acts, err
	})
}
