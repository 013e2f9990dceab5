package core

import "time"

// Child is the core's record of one child. The shell holds *Child as a
// handle in its inputs; the core owns every field, and the shell reads
// them only through the methods, on the goroutine that owns the Core.
type Child struct {
	spec ChildSpec
	// Tag is the shell's own data for this child. The core never reads it.
	Tag any

	lastErr error
	// clock turns the offsets below back into times. Offsets take a third
	// of a time.Time's room, which matters at 100,000 children.
	clock    *epoch
	since    time.Duration // entered its state; valid when hasSince
	started  time.Duration // its last run began
	timerAt  time.Duration // its timer fires
	gen      uint64
	timerSeq uint64
	pos      int
	failures int
	restarts int
	state    State
	lastExit ExitKind
	hasSince bool
	// adding is set while a child added at run time makes its first start:
	// a failure then removes it instead of restarting it, as OTP's
	// start_child does.
	adding bool
	// manual is set while a restart asked for by name makes its start: a
	// failure then leaves the child stopped.
	manual bool
	// deadline is set while a ready-deadline timer is armed.
	deadline bool
	// startFailing is set when a stop was issued because the child failed
	// to become ready in time.
	startFailing bool
	removeOnStop bool
	// returned is set once the current run's Run is known to have
	// returned (ChildExiting).
	returned bool
	// exiting is set while the Stop after the current run's own end is
	// under way (state Stopping): ChildExited ends it.
	exiting bool
	// runOut is set while an abandoned Run of the current generation has
	// not returned: the child is not started until it has.
	runOut bool
	// held is set while a start waits for runOut to clear; heldOrdered
	// is that start's ordered argument.
	held, heldOrdered bool
	// groupWait is set while the child, stopped by a group restart, waits
	// out the group's backoff delay (state BackingOff).
	groupWait bool
	// failedWhileBusy is set when the child failed while a plan ran; the
	// decision waits until the plan is done.
	failedWhileBusy bool
	// unhealthy is set when a stop was issued because the run failed
	// its liveness check.
	unhealthy bool
	// done is set when the last run finished the child's job (finished);
	// leaving StateStopped clears it.
	done bool
	// probing is set while a probe the core asked for is out.
	probing bool
	// probeFails counts the run's consecutive failed probes.
	probeFails int32
	// beat is the run's last heartbeat (its ready time until the first),
	// probeAt when its next probe is due.
	beat, probeAt time.Duration
}

// Spec returns the child's spec.
func (c *Child) Spec() ChildSpec { return c.spec }

// Name returns the child's name.
func (c *Child) Name() string { return c.spec.Name }

// State returns where the child is in its life cycle.
func (c *Child) State() State { return c.state }

// Gen returns the generation of the child's current or last run. Every
// start makes a new generation; the shell tags its inputs with it so that
// the core can ignore inputs about runs that are over.
func (c *Child) Gen() uint64 { return c.gen }

// Since returns when the child entered its current state.
func (c *Child) Since() time.Time {
	if !c.hasSince {
		return time.Time{}
	}
	return c.clock.at(c.since)
}

// Restarts returns how many times the child was restarted.
func (c *Child) Restarts() int { return c.restarts }

// Done reports whether the child finished its job: its last run ended
// on its own with nil, and its restart type (transient) does not restart
// it, as a one-shot step does. A child stopped on request is not done,
// and a done child is always StateStopped.
func (c *Child) Done() bool { return c.done }

// finished reports whether an end of kind with err finishes the child's
// job: a transient child's nil return. An auto-shutdown that carries its
// significant child's error ends normally but finished nothing.
func (c *Child) finished(kind ExitKind, err error) bool {
	return c.spec.Restart == Transient && kind == ExitNormal && err == nil
}

// LastExit returns how the child's last run ended, and its error.
func (c *Child) LastExit() (ExitKind, error) { return c.lastExit, c.lastErr }

// BackoffUntil returns when the child's backoff wait ends, or the zero
// time when it is not backing off.
func (c *Child) BackoffUntil() time.Time {
	if c.state != StateBackingOff {
		return time.Time{}
	}
	return c.clock.at(c.timerAt)
}

// RunOut reports whether an abandoned Run of the child has not returned
// yet, as far as the core knows: until the shell reports that it has, the
// child is not started. A supervisor passes this on to its next run's core
// with [Core.MarkRunOut].
func (c *Child) RunOut() bool { return c.runOut }

// idle is the state of a child without a run of its own: Abandoned while
// an abandoned Run is still out, else Stopped.
func (c *Child) idle() State {
	if c.runOut {
		return StateAbandoned
	}
	return StateStopped
}

func (c *Child) setState(s State, now time.Time) {
	c.state = s
	if s != StateStopped {
		c.done = false // done is a stopped child's: a group restart's wait ends it
	}
	c.since, c.hasSince = c.clock.offset(now), true
}

// epoch is the time a core's offsets count from: the first time it was
// given.
type epoch struct {
	base time.Time
	set  bool
}

func (e *epoch) offset(t time.Time) time.Duration {
	if !e.set {
		e.base, e.set = t, true
	}
	return t.Sub(e.base)
}

func (e *epoch) at(d time.Duration) time.Time { return e.base.Add(d) }

// Adding reports whether the child was added at run time and has not
// become ready yet: a removal then undoes the add.
func (c *Child) Adding() bool { return c.adding }
