package core

import "time"

// decide applies the restart type, the intensity and the strategy to a
// child whose run ended on its own.
func (c *Core) decide(now time.Time, ch *Child, kind ExitKind, err error) {
	r := ch.spec.Restart
	if r == Temporary || (r == Transient && kind == ExitNormal) {
		if r == Temporary {
			c.remove(ch)
		}
		ch.done = ch.finished(kind, err)
		c.autoShutdown(now, ch, err)
		return
	}
	if !c.window.admit(now) {
		c.report(EventGaveUp, ch, kind, err, 0)
		c.shutdown(now, GaveUp, ch, err)
		return
	}
	ch.restarts++
	if rs := ch.spec.Backoff.ResetAfter; rs > 0 && ch.clock.offset(now)-ch.started >= rs {
		ch.failures = 0
	}
	ch.failures++
	d := ch.spec.Backoff.delay(ch.failures, c.rng)
	c.report(EventRestarting, ch, kind, err, d)
	switch c.cfg.Strategy {
	case OneForAll:
		c.restartGroup(now, ch, 0, d)
	case RestForOne:
		c.restartGroup(now, ch, ch.pos, d)
	default:
		if d <= 0 {
			c.startChild(now, ch, false)
			return
		}
		ch.setState(StateBackingOff, now)
		c.armChildTimer(ch, now.Add(d))
	}
}

// restartGroup stops the children from position from on, last first, then
// starts them again in order after the delay. A restart asked for while
// another group restart waits widens it.
func (c *Core) restartGroup(now time.Time, failed *Child, from int, d time.Duration) {
	if c.group.pending && c.group.from < from {
		from = c.group.from
	}
	c.group = groupRestart{pending: true, from: from, delay: d, cause: failed}
	c.plan.begin(purposeGroupStop)
	for i := len(c.children) - 1; i >= from; i-- {
		if ch := c.children[i]; ch != failed {
			c.plan.add(stepStop, ch)
		}
	}
	c.advance(now)
}

// backOffGroup shows the stopped children of a group restart as backing
// off until at, as a one_for_one child waiting out its delay is: they are
// waiting for the same thing. They were reported stopped already, so the
// wait adds no report.
func (c *Core) backOffGroup(now, at time.Time) {
	for _, ch := range c.children[min(c.group.from, len(c.children)):] {
		if ch.state == StateStopped {
			ch.groupWait = true
			ch.timerAt = ch.clock.offset(at)
			ch.setState(StateBackingOff, now)
		}
	}
}

// endGroupWait returns the children of a group restart that wait out its
// delay to stopped, without a report: the wait is over, and they start in
// their turn or not at all.
func (c *Core) endGroupWait(now time.Time) {
	for _, ch := range c.children[min(c.group.from, len(c.children)):] {
		if ch.groupWait {
			ch.groupWait = false
			ch.setState(StateStopped, now)
		}
	}
}

// startGroup starts the children of a group restart in order.
func (c *Core) startGroup(now time.Time) {
	c.endGroupWait(now)
	from, cause := c.group.from, c.group.cause
	c.group = groupRestart{}
	c.plan.begin(purposeGroupStart)
	c.plan.cause = cause
	for _, ch := range c.children[min(from, len(c.children)):] {
		c.plan.add(stepStart, ch)
	}
	c.advance(now)
}

// dropStoppedTemporaries removes the temporary children that a group
// restart stopped: OTP does not restart them.
func (c *Core) dropStoppedTemporaries(now time.Time) {
	for i := len(c.children) - 1; i >= c.group.from && i >= 0; i-- {
		if ch := c.children[i]; ch.spec.Restart == Temporary && (ch.state == StateStopped || ch.state == StateAbandoned) {
			c.remove(ch)
		}
	}
}

// autoShutdown shuts the supervisor down when a significant child that
// ended on its own is not restarted, as the AutoShutdown setting says.
// The outcome keeps the child's error: how the significant child ended
// is how the supervisor's run ended, down to the exit code of a program.
func (c *Core) autoShutdown(now time.Time, ch *Child, err error) {
	if !ch.spec.Significant {
		return
	}
	switch c.cfg.AutoShutdown {
	case AnySignificant:
		c.shutdown(now, AutoShut, ch, err)
	case AllSignificant:
		for _, other := range c.children {
			if other.spec.Significant && other.state.alive() {
				return
			}
		}
		c.shutdown(now, AutoShut, ch, err)
	}
}

// shutdown stops every child in reverse start order and then finishes with
// the given reason. A start or stop under way is waited for in its turn.
func (c *Core) shutdown(now time.Time, why Reason, ch *Child, err error) {
	if c.phase >= phaseShutting {
		return
	}
	c.phase = phaseShutting
	c.drainAt = time.Time{} // a give-up or an auto-shutdown ends a drain at once
	c.outcome = Outcome{Reason: why, Child: ch, Err: err}
	if c.group.pending {
		c.endGroupWait(now)
	}
	c.group = groupRestart{}
	c.deferred = c.deferred[:0]
	c.report(EventShutdown, ch, 0, err, 0)
	c.plan.begin(purposeShutdown)
	for i := len(c.children) - 1; i >= 0; i-- {
		c.plan.add(stepStop, c.children[i])
	}
	c.advance(now)
}

// remove deletes ch from the children. Positions after it shift down.
func (c *Core) remove(ch *Child) {
	i := ch.pos
	if i < 0 {
		return
	}
	copy(c.children[i:], c.children[i+1:])
	c.children[len(c.children)-1] = nil
	c.children = c.children[:len(c.children)-1]
	for _, later := range c.children[i:] {
		later.pos--
	}
	if c.group.pending && c.group.from > i {
		c.group.from--
	}
	delete(c.byName, ch.spec.Name)
	ch.pos = -1
	c.report(EventRemoved, ch, 0, nil, 0)
}
