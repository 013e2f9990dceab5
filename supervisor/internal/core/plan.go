package core

import "time"

type stepKind uint8

const (
	stepStart stepKind = iota + 1
	stepStop
)

type step struct {
	kind  stepKind
	child *Child
}

// plan is a queue of starts and stops done strictly one after another:
// the next step begins only when the child of the previous one is ready or
// stopped. It is how ordered start and reverse-order stop are kept.
type plan struct {
	active   bool
	purpose  purpose
	steps    []step
	head     int
	inflight *Child
	// cause is the child whose failure began a group restart: its restart
	// is counted when decided, its siblings' when they start again.
	cause *Child
}

func (p *plan) begin(why purpose) {
	p.active = true
	p.purpose = why
	p.steps = p.steps[:0]
	p.head = 0
	p.inflight = nil
	p.cause = nil
}

func (p *plan) add(kind stepKind, ch *Child) { p.steps = append(p.steps, step{kind, ch}) }

// stopsPending reports whether the plan still has to stop ch.
func (p *plan) stopsPending(ch *Child) bool {
	for _, s := range p.steps[p.head:] {
		if s.kind == stepStop && s.child == ch {
			return true
		}
	}
	return false
}

// advance runs plan steps until one must be waited for, and finishes the
// plan when none is left.
func (c *Core) advance(now time.Time) {
	p := &c.plan
	for p.active && p.inflight == nil && p.head < len(p.steps) {
		s := p.steps[p.head]
		p.head++
		if s.child.pos < 0 {
			continue
		}
		switch s.kind {
		case stepStop:
			if c.stopChild(now, s.child) {
				p.inflight = s.child
			}
		case stepStart:
			if s.child.state.alive() {
				continue
			}
			if p.purpose == purposeGroupStart && s.child != p.cause && s.child.gen > 0 {
				s.child.restarts++
			}
			c.startChild(now, s.child, true)
			if s.child.state == StateStarting || s.child.held {
				p.inflight = s.child // held: later siblings wait too
			}
		}
	}
	if p.active && p.inflight == nil && p.head >= len(p.steps) {
		p.active = false
		c.planDone(now, p.purpose)
	}
}

func (c *Core) planDone(now time.Time, why purpose) {
	switch why {
	case purposeStart:
		c.phase = phaseRunning
		c.runDeferred(now)
	case purposeGroupStop:
		c.dropStoppedTemporaries(now)
		if c.group.delay > 0 {
			c.group.at = now.Add(c.group.delay)
			c.backOffGroup(now, c.group.at)
			c.armSupervisorTimer()
			return
		}
		c.startGroup(now)
	case purposeGroupStart:
		c.runDeferred(now)
	case purposeShutdown:
		c.phase = phaseDone
	}
}

// runDeferred decides on failures that happened while a plan ran, in the
// order they happened, until one of them begins a plan of its own.
func (c *Core) runDeferred(now time.Time) {
	for len(c.deferred) > 0 && !c.plan.active && c.phase == phaseRunning {
		ch := c.deferred[0]
		c.deferred = c.deferred[1:]
		if ch.failedWhileBusy && ch.pos >= 0 {
			ch.failedWhileBusy = false
			c.decide(now, ch, ch.lastExit, ch.lastErr)
		}
	}
}
