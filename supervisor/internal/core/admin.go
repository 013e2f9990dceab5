package core

import "time"

// AddChild appends a child. Before Start it only joins the start order;
// while the supervisor runs it is started at once, and a failure of that
// first start removes it again (OTP's start_child). The caller learns the
// result from the child's ready or start_failed report.
func (c *Core) AddChild(now time.Time, spec ChildSpec) (*Child, []Action, error) {
	c.out = c.out[:0]
	if err := c.admit(); err != nil {
		return nil, c.out, err
	}
	if _, dup := c.names()[spec.Name]; dup {
		return nil, c.out, ErrAlreadyExists
	}
	ch := c.appendChild(spec)
	switch c.phase {
	case phaseStarting:
		c.plan.add(stepStart, ch)
	case phaseRunning:
		ch.adding = true
		c.startChild(now, ch, true)
	}
	return ch, c.settle(ch), nil
}

// TerminateChild stops a child without restarting it; its spec stays,
// except a temporary child's, which is removed. Terminating a stopped
// child does nothing. A child that is stopping reports stopped when done.
func (c *Core) TerminateChild(now time.Time, name string) (*Child, []Action, error) {
	c.out = c.out[:0]
	if err := c.admit(); err != nil {
		return nil, c.out, err
	}
	ch, ok := c.names()[name]
	if !ok {
		return nil, c.out, ErrNotFound
	}
	ch.failedWhileBusy = false
	if ch.spec.Restart == Temporary {
		ch.removeOnStop = true
	}
	if ch.exiting {
		// Its run ended on its own and its Stop is under way: when that
		// is over, it stays stopped instead of being restarted.
		ch.manual = true
	}
	if !c.stopChild(now, ch) && ch.removeOnStop {
		c.remove(ch)
	}
	return ch, c.settle(ch), nil
}

// RestartChild starts a stopped child again. A failure of that start
// leaves it stopped.
func (c *Core) RestartChild(now time.Time, name string) (*Child, []Action, error) {
	c.out = c.out[:0]
	if err := c.admit(); err != nil {
		return nil, c.out, err
	}
	ch, ok := c.names()[name]
	switch {
	case !ok:
		return nil, c.out, ErrNotFound
	case ch.state != StateStopped && !ch.groupWait:
		return ch, c.out, ErrNotStopped
	}
	ch.groupWait = false
	ch.manual = true
	c.startChild(now, ch, true)
	return ch, c.settle(ch), nil
}

// DeleteChild removes a stopped child's spec.
func (c *Core) DeleteChild(now time.Time, name string) ([]Action, error) {
	c.out = c.out[:0]
	if err := c.admit(); err != nil {
		return c.out, err
	}
	ch, ok := c.names()[name]
	switch {
	case !ok:
		return c.out, ErrNotFound
	case ch.state != StateStopped && !ch.groupWait:
		return c.out, ErrNotStopped
	}
	c.remove(ch)
	return c.settle(ch), nil
}

// admit decides whether an admin call is made now: not during the
// shutdown (ErrShuttingDown), and not while a plan is under way (ErrBusy:
// made again later).
func (c *Core) admit() error {
	switch {
	case c.phase >= phaseShutting:
		return ErrShuttingDown
	case c.plan.active:
		return ErrBusy
	}
	return nil
}
