package sim

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/internal/core"
	"github.com/arborgo/arbor/supervisor/internal/tree"
)

// Options control a simulation.
type Options struct {
	// Duration is how much virtual time to simulate; it must be positive.
	Duration time.Duration
	// Seed seeds the fault models' random draws (crashes on start, MTBF
	// failures), and the backoff jitter of every supervisor whose
	// Config.Seed is zero (where a live run would draw a random seed),
	// derived from Seed and the supervisor's path.
	Seed uint64
	// StopAtEnd stops the root at Duration, as a cancelled context stops a
	// live tree, and simulates on until the root has stopped.
	StopAtEnd bool
	// Events records every reported event in Result.Events.
	Events bool
}

// epoch is virtual time zero, as the cores see it.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// node is one node of the tree across the whole simulation: its lane, and
// for a leaf its fault model and current run, for a group its current
// sub-core.
type node struct {
	path  string
	lane  int
	group *tree.Node  // a supervisor's resolved tree; nil for a leaf
	cfg   core.Config // a supervisor's policy, with its jitter seed
	kids  []*node     // a group's children, in start order
	hi    int         // lanes lane+1 .. hi-1 are the node's descendants

	restartPending bool

	// A leaf's model and run.
	faults Faults
	model  *leafModel
	runID  uint64
	run    runPlan
	inst   *inst // the supervisor that started the current run
	cc     *core.Child
	gen    uint64
	ended  bool
	// out is set while a run whose stop timed out goes on: one that
	// never stops runs until its planned failure, or for ever. It
	// outlives the run of the supervisor that abandoned it, as the live
	// supervisor's memory of it does: the next run holds the leaf.
	out bool

	// A group's current instance.
	cur *inst
}

// inst is one run of a supervisor: a core, and where it hangs in the tree.
type inst struct {
	n      *node
	core   *core.Core
	parent *inst       // nil for the root
	cc     *core.Child // the group's record in its parent's core
	gen    uint64      // the parent's generation of this run

	stopping bool // the parent asked it to stop
	timedOut bool // the parent's stop timed out: it is abandoned
	// returnPending is set while an abandoned sub-core's parent waits to
	// hear that its run is over (the live Run returning at last).
	returnPending bool
	finished      bool // its core is done
	doneHandled   bool // its parent has heard that it is over
	readySent     bool
}

type simulator struct {
	opts  Options
	q     queue
	now   time.Duration
	res   *Result
	root  *inst
	steps int
}

// Run simulates the tree under root for opts.Duration of virtual time,
// with the leaf at each path behaving as faults(path) says (a nil faults
// makes every leaf the zero Faults). The tree is the one Run of a live
// supervisor would start, resolved as it resolves it, with the same
// checks first; Run here starts nothing, so its engines are never run
// (a child made by Child.New has New called once, as a live first run
// calls it, to learn its engine's readiness). Every child that is a
// *supervisor.Supervisor is simulated as a nested supervisor; every other
// engine is a leaf. It returns an error only for an invalid tree, fault
// model or options, listing every problem.
func Run(root *supervisor.Supervisor, faults func(path string) Faults, opts Options) (*Result, error) {
	if root == nil {
		return nil, errors.New("sim: no root supervisor")
	}
	var problems []string
	if opts.Duration <= 0 {
		problems = append(problems, fmt.Sprintf("duration %v is not positive", opts.Duration))
	}
	if root.Name() == "" {
		problems = append(problems, "the root supervisor's name is empty; it begins every path")
	}
	var ce *supervisor.ConfigError
	if err := root.Validate(); errors.As(err, &ce) {
		problems = append(problems, ce.Problems...)
	} else if err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return nil, invalid(problems)
	}
	if faults == nil {
		faults = func(string) Faults { return Faults{} }
	}
	s := &simulator{opts: opts, res: &Result{Duration: opts.Duration}}
	rn := s.build(root.Name(), tree.Describe(root), nil, 0, faults, &problems)
	if len(problems) > 0 {
		return nil, invalid(problems)
	}
	s.res.Lanes[rn.lane].set(0, stateRunning)
	s.res.Lanes[rn.lane].Stats.Starts = 1
	s.root = s.newInst(rn, nil, nil, 0)
	s.exec(s.root, s.root.core.Start(epoch))
	s.drain(opts.Duration)
	end := opts.Duration
	if opts.StopAtEnd && !s.root.finished {
		s.now = opts.Duration
		s.exec(s.root, s.root.core.Stop(epoch.Add(s.now)))
		s.drain(never)
		end = max(end, s.now)
	}
	s.res.End = end
	for i := range s.res.Lanes {
		s.res.Lanes[i].finish(end, opts.Duration)
	}
	s.res.Steps = s.steps
	return s.res, nil
}

func invalid(problems []string) error {
	return errors.New("sim: invalid input:\n\t" + strings.Join(problems, "\n\t"))
}

// build creates the nodes and lanes of the tree, depth first: g for a
// supervisor, spec for a child.
func (s *simulator) build(path string, g *tree.Node, spec *core.ChildSpec, depth int, faults func(string) Faults, problems *[]string) *node {
	n := &node{path: path, lane: len(s.res.Lanes), group: g}
	s.res.Lanes = append(s.res.Lanes, Lane{Path: path, Depth: depth, Group: g != nil})
	if spec != nil {
		s.res.Lanes[n.lane].policy(spec)
	}
	if g == nil {
		n.faults = faults(path)
		n.faults.validate(path, problems)
		n.model = newLeafModel(&n.faults, s.opts.Seed, path)
		n.hi = n.lane + 1
		return n
	}
	if len(g.Children) == 0 {
		*problems = append(*problems, path+": no children")
	}
	n.cfg = g.Config
	if n.cfg.Seed == 0 {
		n.cfg.Seed = groupSeed(s.opts.Seed, path)
	}
	n.kids = make([]*node, len(g.Children))
	for i := range g.Children {
		ch := &g.Children[i]
		n.kids[i] = s.build(path+"/"+ch.Spec.Name, ch.Sub, &ch.Spec, depth+1, faults, problems)
	}
	n.hi = len(s.res.Lanes)
	return n
}

// groupSeed derives a supervisor's jitter seed from the simulation's seed
// and its path, so that supervisors do not share a sequence.
func groupSeed(seed uint64, path string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(path))
	if s := h.Sum64() ^ (seed * 0x9e3779b97f4a7c15); s != 0 {
		return s
	}
	return 1
}

func (s *simulator) newInst(n *node, parent *inst, cc *core.Child, gen uint64) *inst {
	specs := make([]core.ChildSpec, len(n.group.Children))
	for i := range n.group.Children {
		specs[i] = n.group.Children[i].Spec
	}
	in := &inst{n: n, core: core.New(n.cfg, specs), parent: parent, cc: cc, gen: gen}
	for i, c := range in.core.Children() {
		c.Tag = n.kids[i]
		s.inherit(in, n.kids[i], c)
	}
	n.cur = in
	return in
}

// inherit tells a new run of a supervisor that a child's engine still has
// a Run out that an earlier run abandoned, as the live supervisor does:
// the child is held until that Run returns, and the return is reported to
// the new run (generation 0).
func (s *simulator) inherit(in *inst, kid *node, cc *core.Child) {
	switch {
	case kid.group == nil && kid.out:
		kid.inst, kid.cc, kid.gen = in, cc, 0
	case kid.group != nil && kid.cur != nil && kid.cur.timedOut && !kid.cur.finished:
		kid.cur.parent, kid.cur.cc, kid.cur.gen = in, cc, 0
	default:
		return
	}
	in.core.MarkRunOut(s.at(), cc)
}

// drain handles the scheduled events up to until, and stops early when
// the root is done.
func (s *simulator) drain(until time.Duration) {
	for len(s.q.items) > 0 && !s.root.finished && s.q.peek().at <= until {
		it := s.q.pop()
		s.now = it.at
		s.steps++
		s.handle(&it)
	}
}

func (s *simulator) at() time.Time { return epoch.Add(s.now) }

func (s *simulator) handle(it *item) {
	switch it.kind {
	case itemTimer:
		if !it.inst.finished {
			s.lastBeat(it.inst, it.cc)
			s.exec(it.inst, it.inst.core.Handle(s.at(), core.Input{Kind: core.TimerFired, Child: it.cc, Gen: it.gen}))
			if it.cc == nil {
				s.syncLanes(it.inst)
			}
		}
	case itemLeafReady:
		n := it.n
		if it.gen == n.runID && !n.ended && !n.inst.finished {
			s.exec(n.inst, n.inst.core.Handle(s.at(), core.Input{Kind: core.ChildReady, Child: n.cc, Gen: n.gen}))
		}
	case itemLeafExit:
		n := it.n
		if it.gen == n.runID && n.out {
			// The abandoned run ends at last, as planned.
			n.out = false
			n.model.failed(n.run)
			s.abandonedReturned(n.inst, n.cc, n.gen)
			return
		}
		if it.gen == n.runID && !n.ended {
			n.ended = true
			n.model.failed(n.run)
			if !n.inst.finished {
				s.leafExited(n)
			}
		}
	case itemExitStopped:
		n := it.n
		if it.gen == n.runID && !n.inst.finished {
			ev := core.Input{Kind: core.ChildExited, Child: n.cc, Gen: n.gen, Exit: exitKind(n.run.err), Err: n.run.err}
			if it.timedOut {
				ev.TimedOut = true
			}
			s.exitStopped(n, ev)
		}
	case itemStopped:
		if !it.inst.finished {
			s.exec(it.inst, it.inst.core.Handle(s.at(), core.Input{Kind: core.ChildStopped, Child: it.cc, Gen: it.gen, TimedOut: it.timedOut}))
		}
	case itemGroupReady:
		in := it.inst
		if !in.stopping && !in.finished && !in.parent.finished {
			s.exec(in.parent, in.parent.core.Handle(s.at(), core.Input{Kind: core.ChildReady, Child: in.cc, Gen: in.gen}))
		}
	case itemGroupDone:
		in := it.inst
		if in.doneHandled || in.parent.finished {
			return
		}
		in.doneHandled = true
		ev := core.Input{Kind: core.ChildStopped, Child: in.cc, Gen: in.gen}
		if !in.stopping {
			// As the live worker does: the end first, then the end of the
			// Stop that follows it, at once for a supervisor.
			ev.Kind = core.ChildExiting
			ev.Exit, ev.Err = exitOf(in.core.Outcome())
			s.exec(in.parent, in.parent.core.Handle(s.at(), ev))
			ev.Kind = core.ChildExited
		}
		s.exec(in.parent, in.parent.core.Handle(s.at(), ev))
	case itemAbandonedReturned:
		s.abandonedReturned(it.inst, it.cc, it.gen)
	case itemProbe:
		s.probeDone(it.inst, it.cc, it.gen)
	case itemLeafReturned:
		n := it.n
		if it.gen == n.runID && n.out {
			n.out = false
			s.abandonedReturned(n.inst, n.cc, n.gen)
		}
	case itemGroupTimeout:
		in := it.inst
		if in.doneHandled || in.parent.finished {
			return
		}
		in.doneHandled, in.timedOut = true, true
		in.returnPending = true
		s.exec(in.parent, in.parent.core.Handle(s.at(), core.Input{Kind: core.ChildStopped, Child: in.cc, Gen: in.gen, TimedOut: true, Err: errAbandoned}))
	}
}

var errAbandoned = errors.New("sim: the supervisor did not stop within its shutdown timeout")

// groupError is the error a nested supervisor's run ends with when it
// gives up or fails to start, as its parent sees it.
type groupError struct {
	reason core.Reason // core.GaveUp or core.StartFailed
	child  string      // the path of the child that caused it
	err    error       // that child's error
}

// Error says why the supervisor ended and which child caused it, such as
// "sim: gave_up by shop/db: sim: scripted failure".
func (e *groupError) Error() string {
	return fmt.Sprintf("sim: %s by %s: %v", e.reason, e.child, e.err)
}

func (e *groupError) Unwrap() error { return e.err }

// exitOf is how a supervisor's run ends, as its parent sees it: the live
// Run returns an error for giving up, a failed start and abandoned
// children, and nil otherwise.
func exitOf(out *core.Outcome) (core.ExitKind, error) {
	switch {
	case out.Reason == core.GaveUp || out.Reason == core.StartFailed:
		var path string
		if out.Child != nil {
			path = out.Child.Tag.(*node).path
		}
		return core.ExitFailed, &groupError{reason: out.Reason, child: path, err: out.Err}
	case len(out.Abandoned) > 0:
		return core.ExitFailed, errAbandoned
	}
	return core.ExitNormal, nil
}

// exec carries out a core's actions.
func (s *simulator) exec(in *inst, acts []core.Action) {
	for i := range acts {
		a := &acts[i]
		switch a.Kind {
		case core.StartChild:
			n := a.Child.Tag.(*node)
			if n.group != nil {
				sub := s.newInst(n, in, a.Child, a.Gen)
				if a.Confirm {
					sub.readySent = true
					s.q.push(item{at: s.now, kind: itemGroupReady, inst: sub})
				}
				s.exec(sub, sub.core.Start(s.at()))
			} else {
				s.startLeaf(in, n, a)
			}
		case core.StopChild:
			n := a.Child.Tag.(*node)
			if n.group != nil {
				s.stopGroup(in, n, a)
			} else {
				s.stopLeaf(in, n, a)
			}
		case core.ArmTimer:
			s.q.push(item{at: a.At.Sub(epoch), kind: itemTimer, inst: in, cc: a.Child, gen: a.Gen})
			if a.Child == nil {
				s.syncLanes(in) // a group restart waits out its delay
			}
		case core.Report:
			s.report(in, a)
		case core.RunProbe:
			// Answered at once, as a live probe in a bubble is, but not
			// here: the core's actions are being carried out.
			s.q.push(item{at: s.now, kind: itemProbe, inst: in, cc: a.Child, gen: a.Gen})
		}
	}
	if in.core.Finished() && !in.finished {
		// As the live loop does: the supervisor is done once the
		// actions of the call that finished it are carried out.
		s.done(in)
	}
	if in.parent != nil && !in.readySent && !in.stopping && in.cc.Spec().ReportsReady && in.core.Started() {
		in.readySent = true
		s.q.push(item{at: s.now, kind: itemGroupReady, inst: in})
	}
}

func (s *simulator) startLeaf(in *inst, n *node, a *core.Action) {
	n.runID++
	n.inst, n.cc, n.gen, n.ended = in, a.Child, a.Gen, false
	p := n.model.launch(s.now)
	if n.faults.OneShot && p.readyAt != never {
		p.failAt, p.err, p.scripted = p.readyAt, nil, false
	}
	n.run = p
	if a.Confirm {
		// The live worker confirms a start as it enters Run.
		s.q.push(item{at: s.now, kind: itemLeafReady, n: n, gen: n.runID})
	}
	if p.readyAt != never && a.Child.Spec().ReportsReady {
		s.q.push(item{at: p.readyAt, kind: itemLeafReady, n: n, gen: n.runID})
	}
	if p.failAt != never {
		s.q.push(item{at: p.failAt, kind: itemLeafExit, n: n, gen: n.runID})
	}
}

// leafExited tells the core of a leaf's failure as the live worker does:
// the end at once, then the end of the Stop that follows it, after
// ExitStop or, when that is longer than the shutdown timeout, when the
// timeout abandons it.
func (s *simulator) leafExited(n *node) {
	in := n.inst
	s.exec(in, in.core.Handle(s.at(), core.Input{Kind: core.ChildExiting, Child: n.cc, Gen: n.gen, Exit: exitKind(n.run.err), Err: n.run.err}))
	d, timeout := n.faults.ExitStop, n.cc.Spec().Shutdown
	if d == 0 {
		if !in.finished {
			s.exitStopped(n, core.Input{Kind: core.ChildExited, Child: n.cc, Gen: n.gen, Exit: exitKind(n.run.err), Err: n.run.err})
		}
		return
	}
	it := item{at: s.now + d, kind: itemExitStopped, n: n, gen: n.runID}
	if d > timeout {
		it.at, it.timedOut = s.now+timeout, true
	}
	s.q.push(it)
}

// exitStopped hands the core the end of the Stop after a leaf's own end.
// Nothing is reported when no restart follows, so the lane takes the
// child's state here: a finished step is done from now on, not stopping
// for the rest of the run.
func (s *simulator) exitStopped(n *node, ev core.Input) {
	s.exec(n.inst, n.inst.core.Handle(s.at(), ev))
	if !n.inst.timedOut && n.cc.Pos() >= 0 {
		s.res.Lanes[n.lane].set(s.now, laneState(n.cc))
	}
}

func (s *simulator) stopLeaf(in *inst, n *node, a *core.Action) {
	it := item{at: s.now, kind: itemStopped, inst: in, cc: a.Child, gen: a.Gen}
	if n.inst == in && n.cc == a.Child && n.gen == a.Gen && !n.ended {
		n.ended = true
		f := &n.faults
		d := f.Stop
		if f.NeverStops || d > a.Timeout {
			d, it.timedOut = a.Timeout, true
		}
		it.at += d
		n.out = it.timedOut
		if it.timedOut && !f.NeverStops {
			// Its Run returns as the abandoned stop cancels its context.
			// (One that never stops goes on until its planned failure.)
			s.q.push(it)
			s.q.push(item{at: it.at, kind: itemLeafReturned, n: n, gen: n.runID})
			return
		}
	}
	s.q.push(it)
}

// abandonedReturned tells a core that the Run of an abandoned run is over.
func (s *simulator) abandonedReturned(in *inst, cc *core.Child, gen uint64) {
	if !in.finished {
		s.exec(in, in.core.Handle(s.at(), core.Input{Kind: core.AbandonedReturned, Child: cc, Gen: gen}))
	}
}

func (s *simulator) stopGroup(in *inst, n *node, a *core.Action) {
	sub := n.cur
	if sub == nil || sub.parent != in || sub.cc != a.Child || sub.gen != a.Gen || sub.doneHandled {
		s.q.push(item{at: s.now, kind: itemStopped, inst: in, cc: a.Child, gen: a.Gen})
		return
	}
	if sub.finished {
		sub.doneHandled = true
		s.q.push(item{at: s.now, kind: itemStopped, inst: in, cc: a.Child, gen: a.Gen})
		return
	}
	sub.stopping = true
	s.q.push(item{at: s.now + a.Timeout, kind: itemGroupTimeout, inst: sub})
	s.exec(sub, sub.core.Stop(s.at()))
}

// report records a reported event: the event list, the figures and the
// lane of the child it is about.
func (s *simulator) report(in *inst, a *core.Action) {
	var n *node
	path := in.n.path
	if a.Child != nil {
		n = a.Child.Tag.(*node)
		path = n.path
	}
	if s.opts.Events {
		ev := Event{At: s.now, Supervisor: in.n.path, Path: path, Kind: a.Report, Exit: a.Exit, Err: a.Err, Delay: a.Delay}
		switch {
		case a.Child != nil && a.AboutSupervisor():
			ev.Path, ev.Cause = in.n.path, path
		case a.Child != nil:
			ev.Restarts = a.Restarts
		}
		s.res.Events = append(s.res.Events, ev)
	}
	if a.Report == core.EventRestarting || a.Report == core.EventShutdown {
		s.syncLanes(in)
	}
	if a.Report == core.EventShutdown {
		if out := in.core.Outcome(); out.Reason == core.GaveUp || out.Reason == core.StartFailed {
			sup := &s.res.Lanes[in.n.lane]
			sup.GaveUp = append(sup.GaveUp, Ending{At: s.now, Reason: out.Reason.String(), Child: path})
		}
	}
	if n == nil || in.timedOut {
		return
	}
	lane := &s.res.Lanes[n.lane]
	switch a.Report {
	case core.EventStarted:
		if n.restartPending {
			n.restartPending = false
			lane.Restarts = append(lane.Restarts, s.now)
		}
		lane.Stats.Starts++
	case core.EventRestarting:
		lane.Stats.Restarts++
		n.restartPending = true
	case core.EventExited, core.EventStartFailed, core.EventUnhealthy:
		if a.Exit != core.ExitNormal {
			lane.Stats.Failures++
			lane.Failures = append(lane.Failures, s.now)
		}
	case core.EventStopTimedOut:
		lane.Stats.StopTimeouts++
	}
	lane.set(s.now, laneState(a.Child))
}

// syncLanes sets the lanes of a group-restarting supervisor's children to
// their states: a group restart's wait begins and ends for several
// children at once without a report about each.
func (s *simulator) syncLanes(in *inst) {
	if in.timedOut || in.n.cfg.Strategy == core.OneForOne {
		return
	}
	for _, c := range in.core.Children() {
		n := c.Tag.(*node)
		s.res.Lanes[n.lane].set(s.now, laneState(c))
	}
}

// done handles a core that finished: its lanes, and its parent or the
// result.
func (s *simulator) done(in *inst) {
	in.finished = true
	out := in.core.Outcome()
	failed := out.Reason == core.GaveUp || out.Reason == core.StartFailed
	if failed && !in.timedOut {
		for i := in.n.lane + 1; i < in.n.hi; i++ {
			if l := &s.res.Lanes[i]; l.state() == stateStopped {
				l.set(s.now, stateGaveUp)
			}
		}
	}
	if in.parent != nil {
		if in.returnPending {
			in.returnPending = false
			s.q.push(item{at: s.now, kind: itemAbandonedReturned, inst: in.parent, cc: in.cc, gen: in.gen})
		}
		s.q.push(item{at: s.now, kind: itemGroupDone, inst: in})
		return
	}
	o := &Ending{At: s.now, Reason: out.Reason.String()}
	if out.Child != nil {
		o.Child = out.Child.Tag.(*node).path
	}
	s.res.Outcome = o
	st := stateStopped
	if failed {
		st = stateGaveUp
	}
	s.res.Lanes[in.n.lane].set(s.now, st)
}

// exitKind is how a leaf's planned end counts: normal for a one-shot
// step's own end, which carries no error.
func exitKind(err error) core.ExitKind {
	if err == nil {
		return core.ExitNormal
	}
	return core.ExitFailed
}
