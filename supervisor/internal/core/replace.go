package core

import "time"

// InsertChild is AddChild at position at of the start order (0 first;
// len(Children()) or more appends): the children from at on start after
// it and stop before it.
func (c *Core) InsertChild(now time.Time, spec ChildSpec, at int) (*Child, []Action, error) {
	ch, acts, err := c.AddChild(now, spec)
	if err != nil || ch.pos < 0 || at >= ch.pos {
		return ch, acts, err
	}
	at = max(at, 0)
	from := ch.pos
	copy(c.children[at+1:from+1], c.children[at:from])
	c.children[at] = ch
	for i := at; i <= from; i++ {
		c.children[i].pos = i
	}
	if c.group.pending && c.group.from >= at {
		c.group.from++
	}
	return ch, acts, nil
}

// ReplaceChild gives the stopped child named spec.Name a new spec in its
// place; it stays stopped, with its restart count, until RestartChild.
func (c *Core) ReplaceChild(now time.Time, spec ChildSpec) (*Child, []Action, error) {
	c.out = c.out[:0]
	if err := c.admit(); err != nil {
		return nil, c.out, err
	}
	ch, ok := c.names()[spec.Name]
	switch {
	case !ok:
		return nil, c.out, ErrNotFound
	case ch.state != StateStopped || ch.groupWait:
		return ch, c.out, ErrNotStopped
	}
	ch.spec = spec
	ch.failures = 0
	// A finished step stays done: a reload that changes it must not make
	// it read as down until its next run. A spec that is no longer
	// transient has no job to finish.
	ch.done = ch.done && spec.Restart == Transient
	return ch, c.out, nil
}

// Pos returns the child's place in the start order, from 0; -1 once it is
// removed.
func (c *Child) Pos() int { return c.pos }

// Reconfigure changes the policy in place: the strategy, the auto-shutdown
// setting, the restart intensity and its period from cfg (its Seed is
// ignored; a group restart under way finishes as it began, since it
// keeps its own plan),
// and the Backoff, Shutdown and StartTimeout of each child's spec from
// specs, which holds one spec per child in the order of Children (their
// other fields are ignored). Nothing is started or stopped: the new
// backoff governs the next delay computed, the new Shutdown the next
// stop, the new StartTimeout the next start. The restarts already counted
// stay counted: a lower intensity that they exceed refuses the next
// restart until enough of them are older than period.
func (c *Core) Reconfigure(cfg Config, specs []ChildSpec) {
	c.cfg.Strategy, c.cfg.AutoShutdown = cfg.Strategy, cfg.AutoShutdown
	c.cfg.Intensity, c.cfg.Period, c.cfg.Drain = cfg.Intensity, cfg.Period, cfg.Drain
	c.window.intensity, c.window.period = cfg.Intensity, cfg.Period
	for i, ch := range c.children {
		if i >= len(specs) || specs[i].Name != ch.spec.Name {
			continue
		}
		ch.spec.Backoff, ch.spec.Shutdown, ch.spec.StartTimeout = specs[i].Backoff, specs[i].Shutdown, specs[i].StartTimeout
	}
}
