package core

import (
	"math/rand/v2"
	"time"
)

type phase uint8

const (
	phaseIdle phase = iota
	phaseStarting
	phaseRunning
	phaseShutting
	phaseDone
)

// purpose says what the active plan is for, and so what follows it.
type purpose uint8

const (
	purposeStart purpose = iota + 1
	purposeGroupStop
	purposeGroupStart
	purposeShutdown
)

// Core is one supervisor's decision state. Build it with [New]; every
// method returns the actions it decided on, in a slice that is valid until
// the next call.
type Core struct {
	cfg      Config
	children []*Child
	// byName indexes children by name, made on first use (see names):
	// most supervisors never look a child up, and at 100,000 children the
	// index is 3 MB.
	byName   map[string]*Child
	window   window
	rng      *rand.Rand
	phase    phase
	plan     plan
	group    groupRestart
	timerSeq uint64
	// drainAt is when a drain under way ends; zero when none is.
	drainAt time.Time
	// The supervisor's one timer serves the group restart's backoff and
	// the drain; timerFor says which deadline it is armed for.
	timerFor supTimer
	clock    epoch
	deferred []*Child
	outcome  Outcome
	out      []Action
}

// groupRestart is a one_for_all or rest_for_one restart whose stops are
// done and whose starts wait out a backoff delay.
type groupRestart struct {
	pending bool
	from    int
	delay   time.Duration
	cause   *Child
	at      time.Time // when the backoff ends, once the stops are done
}

// New returns a core for a supervisor with the given policy and initial
// children, in start order. Names must be unique; the supervisor package
// validates specs before it calls New.
func New(cfg Config, specs []ChildSpec) *Core {
	c := &Core{
		cfg:    cfg,
		window: newWindow(cfg.Intensity, cfg.Period),
		rng:    rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
	}
	// The initial children are one allocation: at 100,000 children a
	// pointer each is 100,000 allocations and their size-class rounding.
	batch := make([]Child, len(specs))
	c.children = make([]*Child, len(specs))
	for i, s := range specs {
		batch[i] = Child{spec: s, pos: i, clock: &c.clock}
		c.children[i] = &batch[i]
	}
	return c
}

func (c *Core) appendChild(s ChildSpec) *Child {
	ch := &Child{spec: s, pos: len(c.children), clock: &c.clock}
	c.children = append(c.children, ch)
	if c.byName != nil {
		c.byName[s.Name] = ch
	}
	return ch
}

// names returns the index of children by name, made on first use.
func (c *Core) names() map[string]*Child {
	if c.byName == nil {
		c.byName = make(map[string]*Child, len(c.children))
		for _, ch := range c.children {
			c.byName[ch.spec.Name] = ch
		}
	}
	return c.byName
}

// MarkRunOut tells a new core, before Start, that ch's engine still has
// a Run out that an earlier run of the supervisor abandoned (see
// [Child.RunOut]): ch reads Abandoned and is not started, in its turn or
// otherwise, until the shell reports AbandonedReturned for it with
// generation 0. It does nothing for a child whose runs may overlap.
func (c *Core) MarkRunOut(now time.Time, ch *Child) {
	if ch.spec.Overlaps || c.phase != phaseIdle {
		return
	}
	ch.runOut = true
	ch.setState(StateAbandoned, now)
}

// Children returns the children in start order. The slice and the
// children belong to the core: read them on the owning goroutine only.
func (c *Core) Children() []*Child { return c.children }

// Lookup returns the child with the given name.
func (c *Core) Lookup(name string) (*Child, bool) {
	ch, ok := c.names()[name]
	return ch, ok
}

// Busy reports whether a plan (an ordered start, a group restart or the
// shutdown) is under way. The supervisor holds admin calls back until it
// is over, as OTP handles them between restarts.
func (c *Core) Busy() bool { return c.plan.active }

// Finished reports whether the supervisor is done, after the actions of
// the call that finished it; [Core.Outcome] then says why. Every child has
// then stopped or was abandoned.
func (c *Core) Finished() bool { return c.phase == phaseDone }

// Started reports whether the initial ordered start is complete and the
// supervisor has not begun shutting down: the moment a supervisor is ready.
func (c *Core) Started() bool { return c.phase == phaseRunning }

// Stopping reports whether a stop was asked for (a drain under way
// included) or the supervisor is shutting down for any reason.
func (c *Core) Stopping() bool { return c.phase >= phaseShutting || !c.drainAt.IsZero() }

// Outcome returns how the supervisor finished, once it has.
func (c *Core) Outcome() *Outcome { return &c.outcome }

// Start starts the children in order, each after the previous one is
// ready. Call it once.
func (c *Core) Start(now time.Time) []Action {
	c.out = c.out[:0]
	c.phase = phaseStarting
	c.plan.begin(purposeStart)
	for _, ch := range c.children {
		c.plan.add(stepStart, ch)
	}
	c.advance(now)
	return c.settle(nil)
}

// Stop begins the shutdown: every child is stopped in reverse start order,
// each after the previous one has stopped; then the core is Finished.
// Backoff waits end when the shutdown begins. With a Drain, Stop reports
// draining and the shutdown begins when the drain has passed; the
// children keep running, and restarting, meanwhile. Calling it again does
// nothing.
func (c *Core) Stop(now time.Time) []Action {
	c.out = c.out[:0]
	switch {
	case c.Stopping():
	case c.cfg.Drain > 0:
		c.drainAt = now.Add(c.cfg.Drain)
		c.report(EventDraining, nil, 0, nil, c.cfg.Drain)
		c.armSupervisorTimer()
	default:
		c.shutdown(now, Requested, nil, nil)
	}
	return c.settle(nil)
}

// Handle feeds one input to the core.
func (c *Core) Handle(now time.Time, ev Input) []Action {
	c.out = c.out[:0]
	if c.phase == phaseDone {
		return c.out // nothing is left to decide
	}
	switch ev.Kind {
	case ChildReady:
		c.onReady(now, ev)
	case ChildExiting:
		c.onExiting(now, ev)
	case ChildExited:
		c.onExited(now, ev)
	case ChildStopped:
		c.onStopped(now, ev)
	case TimerFired:
		c.onTimer(now, ev)
	case AbandonedReturned:
		c.onAbandonedReturned(now, ev)
	case Heartbeat:
		c.onHeartbeat(ev)
	case ProbeDone:
		c.onProbeDone(now, ev)
	case StartExtended:
		c.onStartExtended(ev)
	}
	return c.settle(ev.Child)
}

// settle adds a Retire for each child that the call left stopped: right
// after the first report about it, so that the shell lets the worker go
// before it carries out what follows, and at the end for the call's
// subject (the child of an input or an admin call) if nothing reported
// about it.
func (c *Core) settle(subject *Child) []Action {
	n, k := len(c.out), 0
	for i := 0; i < n; i++ {
		if c.retiresAt(i) {
			k++
		}
	}
	if k > 0 {
		c.out = append(c.out, make([]Action, k)...)
		for i, j := n-1, n+k-1; i >= 0; i-- {
			if c.retiresAt(i) {
				c.out[j] = Action{Kind: Retire, Child: c.out[i].Child}
				j--
			}
			c.out[j] = c.out[i]
			j--
		}
	}
	if subject != nil && subject.state == StateStopped && !c.retired(subject) {
		c.emit(Action{Kind: Retire, Child: subject})
	}
	return c.out
}

// retiresAt reports whether the action at i is the first report about a
// child that the call left stopped.
func (c *Core) retiresAt(i int) bool {
	a := &c.out[i]
	if a.Kind != Report || a.Child == nil || a.Child.state != StateStopped {
		return false
	}
	for j := range i {
		if b := &c.out[j]; b.Kind == Report && b.Child == a.Child {
			return false
		}
	}
	return true
}

func (c *Core) retired(ch *Child) bool {
	for i := range c.out {
		if c.out[i].Kind == Retire && c.out[i].Child == ch {
			return true
		}
	}
	return false
}

func (c *Core) emit(a Action) { c.out = append(c.out, a) }

func (c *Core) report(kind EventKind, ch *Child, exit ExitKind, err error, delay time.Duration) {
	a := Action{Kind: Report, Report: kind, Child: ch, Exit: exit, Err: err, Delay: delay}
	if ch != nil {
		a.Restarts = ch.restarts
	}
	c.out = append(c.out, a)
}

// IntensityUsed returns the restarts within the current window at now,
// divided by the intensity (0 for an intensity that allows none).
func (c *Core) IntensityUsed(now time.Time) float64 { return c.window.used(now) }
