package core

import (
	"errors"
	"time"
)

// startChild begins a new run of ch. With ordered set, a child that does
// not report readiness is still waited for until its Run has been entered,
// so that the Runs of siblings begin in order; a lone restart needs no such
// confirmation and saves the round trip.
func (c *Core) startChild(now time.Time, ch *Child, ordered bool) {
	if ch.runOut {
		// One Run of an engine at a time: the start waits for the
		// abandoned one to return, but no longer than a start may take,
		// or one Run that never returns would stall the supervisor.
		ch.held, ch.heldOrdered = true, ordered
		ch.groupWait = false
		if ch.state != StateAbandoned {
			ch.setState(StateAbandoned, now)
		}
		c.armChildTimer(ch, now.Add(ch.spec.holdBound()))
		return
	}
	ch.gen++
	ch.started = ch.clock.offset(now)
	ch.failedWhileBusy = false
	ch.returned, ch.exiting = false, false
	ch.unhealthy = false
	ch.setState(StateStarting, now)
	confirm := ordered && !ch.spec.ReportsReady
	// The report comes first: the start sets the child going at once, and
	// the record of a start must precede whatever the child itself says.
	c.report(EventStarted, ch, 0, nil, 0)
	c.emit(Action{Kind: StartChild, Child: ch, Gen: ch.gen, Confirm: confirm})
	if !ch.spec.ReportsReady {
		if !confirm {
			c.becomeReady(now, ch)
		}
		return
	}
	if ch.spec.StartTimeout > 0 {
		ch.deadline = true
		c.armChildTimer(ch, now.Add(ch.spec.StartTimeout))
	}
}

func (c *Core) becomeReady(now time.Time, ch *Child) {
	ch.deadline = false
	ch.adding = false
	ch.manual = false
	ch.setState(StateRunning, now)
	c.report(EventReady, ch, 0, nil, 0)
	c.startLiveness(now, ch)
}

func (c *Core) armChildTimer(ch *Child, at time.Time) {
	ch.timerSeq++
	ch.timerAt = ch.clock.offset(at)
	c.emit(Action{Kind: ArmTimer, Child: ch, Gen: ch.timerSeq, At: at})
}

// stopChild asks for ch to stop, and reports whether that must be waited
// for. A child backing off is simply not restarted.
func (c *Core) stopChild(now time.Time, ch *Child) bool {
	switch ch.state {
	case StateBackingOff:
		ch.timerSeq++
		ch.setState(ch.idle(), now)
		if ch.groupWait {
			// Stopped already, by its group restart: a wider group
			// restart takes it along without a second report.
			ch.groupWait = false
			return false
		}
		c.report(EventStopped, ch, 0, nil, 0)
		return false
	case StateStarting, StateRunning:
		ch.deadline = false
		ch.setState(StateStopping, now)
		c.report(EventStopping, ch, 0, nil, 0)
		c.emit(Action{Kind: StopChild, Child: ch, Gen: ch.gen, Timeout: ch.spec.Shutdown})
		return true
	case StateStopping:
		return true
	case StateAbandoned:
		// Nothing to stop but a start that waits: it is not made. A run
		// still out at the shutdown is listed as abandoned by it.
		ch.held = false
		if c.phase == phaseShutting && ch.runOut {
			c.outcome.Abandoned = append(c.outcome.Abandoned, ch)
		}
	}
	return false
}

func (c *Core) onReady(now time.Time, ev Input) {
	ch := ev.Child
	if ch.state != StateStarting || ev.Gen != ch.gen || ch.pos < 0 {
		return
	}
	c.becomeReady(now, ch)
	if c.plan.inflight == ch {
		c.plan.inflight = nil
		c.advance(now)
	}
}

func (c *Core) onExiting(now time.Time, ev Input) {
	ch := ev.Child
	if ev.Gen != ch.gen || ch.pos < 0 || ch.returned {
		return
	}
	switch ch.state {
	case StateStarting, StateRunning:
		kind := ev.Exit
		if ch.state == StateStarting {
			kind = ExitStartFailed
		}
		ch.returned, ch.exiting = true, true
		ch.deadline = false
		ch.lastExit, ch.lastErr = kind, ev.Err
		// Stopping: its Stop is under way, and a stop asked for now waits
		// for that one.
		ch.setState(StateStopping, now)
		c.reportEnd(ch, kind, ev.Err)
	case StateStopping:
		// A stop asked for met a run that had just ended on its own: the
		// end is recorded, and the ChildExited after its Stop ends the
		// stop. A start that missed its deadline is reported as such when
		// the stop is over.
		ch.returned = true
		if !ch.startFailing && !ch.unhealthy {
			ch.lastExit, ch.lastErr = ev.Exit, ev.Err
			c.reportEnd(ch, ev.Exit, ev.Err)
		}
	}
}

func (c *Core) reportEnd(ch *Child, kind ExitKind, err error) {
	if kind == ExitStartFailed {
		c.report(EventStartFailed, ch, kind, err, 0)
	} else {
		c.report(EventExited, ch, kind, err, 0)
	}
}

func (c *Core) onExited(now time.Time, ev Input) {
	ch := ev.Child
	if ev.Gen != ch.gen || ch.pos < 0 {
		return
	}
	if ev.TimedOut {
		// A Stop that hung leaves the engine in an unknown state: the end
		// counts as abnormal, whatever Run returned, and says why.
		ev.Exit, ev.Err = max(ev.Exit, ExitFailed), errors.Join(ev.Err, ErrStopHung)
	}
	switch {
	case ch.state == StateStopping && ch.exiting:
		// The Stop after the run's own end is over.
		ch.exiting = false
		kind, err := ch.lastExit, ch.lastErr
		if ev.TimedOut {
			kind, err = max(kind, ev.Exit), ev.Err
		}
		c.ended(now, ch, kind, err, false)
	case ch.state == StateStopping && ch.returned:
		c.stopOver(now, ch, ev.TimedOut, ev.Err)
	case ch.state == StateStarting || ch.state == StateRunning:
		kind := ev.Exit
		if ch.state == StateStarting {
			kind = ExitStartFailed
		}
		c.ended(now, ch, kind, ev.Err, true)
	case ch.state == StateStopping:
		// A shell that does not send ChildExiting: the stop asked for
		// goes on, and ends with ChildStopped; Run has returned.
		ch.returned = true
	}
}

func (c *Core) onAbandonedReturned(now time.Time, ev Input) {
	ch := ev.Child
	if ev.Gen != ch.gen || !ch.runOut {
		return
	}
	ch.runOut = false
	if ch.pos < 0 || ch.state != StateAbandoned {
		return // removed, or backing off: its timer starts it
	}
	if !ch.held {
		ch.setState(StateStopped, now)
		return
	}
	ch.held = false
	c.startChild(now, ch, ch.heldOrdered)
	if c.plan.inflight == ch && ch.state != StateStarting {
		c.plan.inflight = nil
		c.advance(now)
	}
}

func (c *Core) onStopped(now time.Time, ev Input) {
	ch := ev.Child
	if ch.state != StateStopping || ch.exiting || ev.Gen != ch.gen {
		return
	}
	c.stopOver(now, ch, ev.TimedOut, ev.Err)
}

// stopOver ends a stop that the core asked for.
func (c *Core) stopOver(now time.Time, ch *Child, timedOut bool, err error) {
	if timedOut {
		c.report(EventStopTimedOut, ch, 0, err, 0)
		if c.phase == phaseShutting {
			c.outcome.Abandoned = append(c.outcome.Abandoned, ch)
		}
		ch.runOut = !ch.returned && !ch.spec.Overlaps
		if !ch.returned && !ch.startFailing {
			// The run ended as far as the core knows by being abandoned;
			// an engine left running in an unknown state is a failure.
			ch.lastExit, ch.lastErr = ExitFailed, ErrAbandoned
			if err != nil {
				ch.lastErr = err
			}
		}
	}
	if ch.startFailing {
		ch.startFailing = false
		c.ended(now, ch, ExitStartFailed, ErrStartTimeout, true)
		return
	}
	if ch.unhealthy {
		// Reported unhealthy when it was found so; the end is decided now.
		ch.unhealthy = false
		c.ended(now, ch, ExitUnhealthy, ch.lastErr, false)
		return
	}
	ch.setState(ch.idle(), now)
	if !timedOut {
		// An abandoned child did not stop: stop_timed_out said so.
		c.report(EventStopped, ch, 0, err, 0)
	}
	if ch.removeOnStop {
		c.remove(ch)
	}
	if c.plan.inflight == ch {
		c.plan.inflight = nil
	}
	c.advance(now)
}

func (c *Core) onTimer(now time.Time, ev Input) {
	ch := ev.Child
	if ch == nil {
		c.onSupervisorTimer(now, ev)
		return
	}
	// During the shutdown a child's timer does nothing: the shutdown
	// stops every child in its turn, so a backoff that ends must not start
	// it again, and a start deadline must not stop it out of order.
	if ev.Gen != ch.timerSeq || ch.pos < 0 || c.phase >= phaseShutting {
		return
	}
	switch {
	case ch.state == StateStarting && ch.deadline:
		ch.deadline = false
		ch.startFailing = true
		c.stopChild(now, ch)
	case ch.state == StateAbandoned && ch.held:
		// The abandoned Run did not return within the start's bound: the
		// start fails, and the restart policy decides as for any other.
		ch.held = false
		c.ended(now, ch, ExitStartFailed, ErrRunOut, true)
	case ch.state == StateRunning && ch.spec.Liveness.active():
		c.checkLiveness(now, ch)
	case ch.state == StateBackingOff && !ch.groupWait:
		// (A group's wait ends with the supervisor's timer; a child timer
		// that fires then is a stale start deadline.)
		c.startChild(now, ch, false)
	}
}

// ended handles the end of a run that the core did not ask for (its
// return, its panic, or its failure to become ready) once its Stop is
// over; report says the end has not been reported yet.
func (c *Core) ended(now time.Time, ch *Child, kind ExitKind, err error, report bool) {
	ch.deadline = false
	ch.lastExit, ch.lastErr = kind, err
	ch.setState(ch.idle(), now)
	if report {
		c.reportEnd(ch, kind, err)
	}
	p := &c.plan
	switch {
	case p.inflight == ch:
		p.inflight = nil
		c.inflightFailed(now, ch, kind, err)
	case c.phase >= phaseShutting:
		c.advance(now)
	case p.active && p.purpose == purposeGroupStop && p.stopsPending(ch):
		// A bystander that ends on its own while its group is being
		// stopped is simply stopped, as in OTP.
	case ch.adding:
		c.remove(ch)
	case ch.manual:
		ch.manual = false
		if ch.removeOnStop {
			c.remove(ch)
		}
	case p.active:
		// The decision waits for the plan, but a finished job is known
		// now: no decision restarts it.
		ch.done = ch.finished(kind, err)
		ch.failedWhileBusy = true
		c.deferred = append(c.deferred, ch)
	default:
		c.decide(now, ch, kind, err)
	}
}

// inflightFailed handles a child that failed while a plan waited for it to
// become ready.
func (c *Core) inflightFailed(now time.Time, ch *Child, kind ExitKind, err error) {
	switch c.plan.purpose {
	case purposeStart:
		c.plan.active = false
		c.shutdown(now, StartFailed, ch, err)
	case purposeGroupStart:
		// The children after the one that failed are not started; the
		// retry is decided like any other failure.
		c.plan.active = false
		c.decide(now, ch, kind, err)
		c.runDeferred(now)
	default:
		c.advance(now)
	}
}
