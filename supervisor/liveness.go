package supervisor

import (
	"context"
	"fmt"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// Liveness finds a child that is alive but hung, in two forms, either or
// both: a heartbeat watchdog, and a probe. Both start when a run becomes
// ready. A run found hung is unhealthy: it is reported (EventUnhealthy),
// stopped as any stop, and its end counts as an abnormal exit
// (ExitUnhealthy), so the restart type, strategy, intensity and backoff
// apply to it as to a crash.
type Liveness struct {
	// Watchdog, if set, is the longest a ready run may go without calling
	// [engine.Alive]: the run is unhealthy at exactly Watchdog after its
	// last call (or after it became ready).
	Watchdog time.Duration
	// Probe, if set, is run every Every with a context bounded by
	// Timeout and derived from the run's; a non-nil error (or a panic, or
	// the timeout) is a failure. Failures failures in a row make the run
	// unhealthy: with no Grace, at exactly Every × Failures after ready.
	// A probe that ignores its context counts as failed at the timeout,
	// but its goroutine lives on until it returns.
	Probe func(ctx context.Context) error
	// Name names the probe in events and errors, such as "http"; by
	// default "probe".
	Name string
	// Every is the probe's interval; by default 10 s.
	Every time.Duration
	// Timeout bounds one probe; by default 1 s.
	Timeout time.Duration
	// Failures is how many consecutive failures make the run unhealthy;
	// by default 3.
	Failures int
	// Grace delays the first probe after the run became ready: it is due
	// at ready + Grace + Every.
	Grace time.Duration
}

// UnhealthyError is the error (ExitUnhealthy) of a run that its liveness
// check found hung, in events and snapshots. It has two fields:
//
//	Check string // "watchdog", or the probe's Liveness.Name
//	Err   error  // the probe's last error, or the watchdog's "no heartbeat within 10s"
//
// Its Error is "unhealthy: CHECK: ERR", and Unwrap returns Err.
type UnhealthyError = core.UnhealthyError

// resolved returns l with its defaults applied.
func (l Liveness) resolved() Liveness {
	if l.Probe == nil {
		l.Every = 0
		return l
	}
	l.Every = orDefault(l.Every, 10*time.Second)
	l.Timeout = orDefault(l.Timeout, time.Second)
	l.Failures = orDefault(l.Failures, 3)
	if l.Name == "" {
		l.Name = "probe"
	}
	return l
}

// kept returns l resolved, for a child's shell, or nil when it asks for
// neither a probe nor a watchdog.
func (l Liveness) kept() *Liveness {
	if l.Probe == nil && l.Watchdog <= 0 {
		return nil
	}
	l = l.resolved()
	return &l
}

func (l Liveness) core() core.Liveness {
	return core.Liveness{Watchdog: l.Watchdog, Every: l.Every, Failures: l.Failures, Grace: l.Grace, Probe: l.Name}
}

func validateLiveness(ch Child, add func(string, ...any)) {
	l := ch.Liveness
	if _, sup := ch.Engine.(*Supervisor); sup && l.Watchdog != 0 {
		add("Liveness.Watchdog: a supervisor does not call engine.Alive; watch its children instead")
	}
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"Watchdog", l.Watchdog}, {"Every", l.Every}, {"Timeout", l.Timeout}, {"Grace", l.Grace}} {
		if f.d < 0 {
			add("Liveness.%s: %v is negative; want a positive duration (or 0 for none or the default)", f.name, f.d)
		}
	}
	if l.Failures < 0 {
		add("Liveness.Failures: %d; want at least 1 (or 0 for 3)", l.Failures)
	}
	if l.Probe == nil && (l.Every != 0 || l.Timeout != 0 || l.Failures != 0 || l.Grace != 0 || l.Name != "") {
		add("Liveness: Every, Timeout, Failures, Grace or Name set without a Probe")
	}
}

// SignalAlive is what engine.Alive calls: a store of the time, read
// when the child's liveness timer fires.
func (r *run) SignalAlive() {
	r.beat.Store(int64(time.Since(r.c.sup.epoch)))
}

// ExtendStart is what engine.ExtendStart calls.
func (r *run) ExtendStart(d time.Duration) {
	r.c.sup.send(core.Input{Kind: core.StartExtended, Child: r.c.cc, Gen: r.gen, At: time.Now().Add(d)})
}

// lastBeat feeds the core the last heartbeat of the child's current run
// before its timer's fire is handled, for a child with a watchdog.
func (r *runState) lastBeat(c *child, ev core.Input) {
	rn := c.cur
	if rn == nil || c.live == nil || c.live.Watchdog <= 0 || rn.gen != ev.Child.Gen() {
		return
	}
	if b := rn.beat.Load(); b > 0 {
		// A heartbeat decides nothing and changes nothing a snapshot
		// shows: no actions to carry out.
		r.core.Handle(time.Now(), core.Input{Kind: core.Heartbeat, Child: c.cc, Gen: rn.gen, At: r.epoch.Add(time.Duration(b))})
	}
}

// probe runs the child's probe for its run gen, bounded by its timeout
// even if the probe ignores its context, and reports the result.
func (c *child) probe(gen uint64) {
	rn := c.cur
	if rn == nil || rn.gen != gen || c.live == nil {
		return
	}
	l := *c.live
	go func() {
		ctx, cancel := context.WithTimeout(rn, l.Timeout)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- engine.Call(func() error { return l.Probe(ctx) }) }()
		var err error
		select {
		case err = <-done:
		case <-ctx.Done():
			err = fmt.Errorf("no answer within %v", l.Timeout) // the check's name is the UnhealthyError's
		}
		c.sup.send(core.Input{Kind: core.ProbeDone, Child: c.cc, Gen: gen, Err: err})
	}()
}
