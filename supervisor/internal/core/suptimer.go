package core

import "time"

// supTimer names the deadline the supervisor's timer is armed for.
type supTimer uint8

const (
	timerGroup supTimer = iota + 1 // the backoff of a group restart
	timerDrain                     // the end of the drain
)

// armSupervisorTimer arms the supervisor's timer for the earlier of the
// pending deadlines: a drain under way and a group restart's backoff. A
// new arming makes the earlier one stale (its sequence no longer matches).
func (c *Core) armSupervisorTimer() {
	var at time.Time
	c.timerFor = 0
	if c.group.pending && !c.group.at.IsZero() {
		at, c.timerFor = c.group.at, timerGroup
	}
	if !c.drainAt.IsZero() && (c.timerFor == 0 || c.drainAt.Before(at)) {
		at, c.timerFor = c.drainAt, timerDrain
	}
	if c.timerFor == 0 {
		return
	}
	c.timerSeq++
	c.emit(Action{Kind: ArmTimer, Gen: c.timerSeq, At: at})
}

// onSupervisorTimer runs when the supervisor's timer fires: the drain ends
// in the shutdown, a group restart's backoff in its starts. The other
// deadline, if still pending, gets the timer next.
func (c *Core) onSupervisorTimer(now time.Time, ev Input) {
	if ev.Gen != c.timerSeq {
		return
	}
	switch c.timerFor {
	case timerDrain:
		c.shutdown(now, Requested, nil, nil)
	case timerGroup:
		if c.group.pending && !c.plan.active && c.phase == phaseRunning {
			c.startGroup(now)
		}
	}
	c.timerFor = 0
	c.armSupervisorTimer()
}
