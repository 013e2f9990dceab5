package supervisor

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// runState is one Run of a supervisor. Its loop goroutine owns the core
// and every child; other goroutines reach it only through inputs and
// calls.
type runState struct {
	sup    *Supervisor
	cfg    Config
	path   string
	base   context.Context
	core   *core.Core
	inputs chan core.Input
	// self holds inputs that the loop's own goroutine raised (a stop
	// that finished at once), handled before the next receive.
	self  []core.Input
	calls chan call
	done  chan struct{}

	stopOnce sync.Once
	stopReq  chan struct{}

	timer    timerSlot   // the supervisor's own: group restarts and the drain
	held     []adminCall // admin calls the core held back
	waiters  map[*core.Child][]chan error
	snapshot *Snapshot
	version  uint64
	snapAt   uint64
	// epoch is what heartbeats count from: a monotonic time, so that a
	// heartbeat is an int64 store.
	epoch time.Time
	// snapTimed says the snapshot holds values that change with time.
	snapTimed bool
}

// child is the shell's side of a child: its engine, its path, its worker
// and its timer.
type child struct {
	sup  *runState
	cc   *core.Child
	eng  engine.Engine
	path string
	// next is the worker's channel of runs, nil while the child has no
	// worker (see newWorker).
	next chan *run
	cur  *run
	// newEngine is the child's factory (Child.New), nil for a child with
	// one engine; fresh says eng has not run yet.
	newEngine func() engine.Engine
	fresh     bool
	// quickStop is set for an engine whose Stop never blocks (see
	// stopNeverBlocks): its Stop needs no guard.
	quickStop bool
	// reportsReady is the spec's ReportsReady, kept here so that the
	// worker reads one bool, not a copy of the spec.
	reportsReady bool
	timer        *timerSlot // made on first arm
	// below lists the paths abandoned below the child, as its last run's
	// error named them (a child supervisor's *StopTimeoutError).
	below []string
	// stopTimer bounds the Stop (and the wait for Run) of stopGuard.
	stopTimer *time.Timer
	stopGuard atomic.Pointer[run]
	// exits counts the child's run ends by kind, and stopTimeouts its
	// stops that timed out, for ChildStatus.
	exits        map[core.ExitKind]int
	stopTimeouts int
	// carry is the supervisor's memory of the child across its runs; nil
	// for a child added at run time or made by a factory.
	carry *carry
	// live is the child's resolved liveness: the probe the core asks
	// for, and whether heartbeats matter; nil for a child without either,
	// as most are, so that their shells stay small.
	live *Liveness
}

func newRunState(s *Supervisor, ctx context.Context) *runState {
	cfg := s.cfg.resolved()
	if p, ok := ctx.Value(parentKey{}).(*runState); ok && cfg.Logger == nil {
		cfg.Logger = p.cfg.Logger // set once, before p's first child ran
	}
	path := engine.Path(ctx)
	if path == "" {
		path = s.name
	}
	r := &runState{
		sup:     s,
		cfg:     cfg,
		path:    path,
		base:    context.WithoutCancel(ctx),
		inputs:  make(chan core.Input, 64),
		calls:   make(chan call),
		done:    make(chan struct{}),
		stopReq: make(chan struct{}),
		waiters: make(map[*core.Child][]chan error),
		epoch:   time.Now(),
	}
	specs, engines := s.childSpecs(cfg, s.children)
	r.timer.sup = r
	r.core = core.New(cfg.core(), specs)
	now := time.Now()
	paths := childPaths(path, s.children)
	shells := make([]child, len(s.children)) // one allocation for the tree
	for i, cc := range r.core.Children() {
		c := r.attachAt(&shells[i], cc, engines[i], s.children[i], paths[i])
		if s.children[i].New == nil {
			s.carries[i].bind(now, r.core, c)
		}
	}
	return r
}

// withConfig returns a copy of s whose config is cfg, for resolving
// children against the resolved config.
func (s *Supervisor) withConfig(cfg Config) *Supervisor {
	return &Supervisor{name: s.name, cfg: cfg, children: s.children}
}

// childPaths returns the paths of the initial children, cut from one
// string: one allocation for the tree instead of one per child.
func childPaths(dir string, children []Child) []string {
	n := 0
	for i := range children {
		n += len(dir) + 1 + len(children[i].Name)
	}
	var b strings.Builder
	b.Grow(n)
	for i := range children {
		b.WriteString(dir)
		b.WriteByte('/')
		b.WriteString(children[i].Name)
	}
	all := b.String()
	paths := make([]string, len(children))
	for i := range children {
		k := len(dir) + 1 + len(children[i].Name)
		paths[i], all = all[:k], all[k:]
	}
	return paths
}

// attach creates the shell's side of a core child.
func (r *runState) attach(cc *core.Child, eng engine.Engine, ch Child) *child {
	return r.attachAt(new(child), cc, eng, ch, r.path+"/"+cc.Name())
}

// attachAt makes c, zero, the shell of cc at path.
func (r *runState) attachAt(c *child, cc *core.Child, eng engine.Engine, ch Child, path string) *child {
	*c = child{sup: r, cc: cc, eng: eng, path: path, newEngine: ch.New, fresh: true,
		quickStop: ch.New == nil && stopNeverBlocks(eng), reportsReady: cc.Spec().ReportsReady, live: ch.Liveness.kept()}
	cc.Tag = c
	return c
}

// firstEngine returns the engine of a child's first run: its Engine, or
// one made by its factory.
func firstEngine(ch Child) engine.Engine {
	if ch.New != nil {
		return makeEngine(ch.New)
	}
	return ch.Engine
}

// makeEngine calls a child's factory. A panic in it, or a nil engine,
// becomes an engine whose Run fails with that error, so that the child
// fails (and is restarted by policy) instead of the supervisor.
func makeEngine(newEngine func() engine.Engine) engine.Engine {
	var eng engine.Engine
	if err := engine.Call(func() error { eng = newEngine(); return nil }); err != nil {
		return engine.FromFunc(func(context.Context) error { return err })
	}
	if eng == nil {
		return engine.FromFunc(func(context.Context) error { return errNilEngine })
	}
	return eng
}

func shellChild(cc *core.Child) *child { return cc.Tag.(*child) }

func (r *runState) loop(ctx context.Context) error {
	defer r.finish()
	r.exec(r.core.Start(time.Now()))
	ctxDone := ctx.Done()
	ready := false
	for !r.core.Finished() {
		if !ready && r.core.Started() {
			ready = true
			engine.Ready(ctx)
		}
		if len(r.self) > 0 {
			ev := r.self[0]
			// It rarely holds more than one input: shifting in place
			// keeps its array for the next one.
			r.self = append(r.self[:0], r.self[1:]...)
			r.handle(ev)
			continue
		}
		select {
		case ev := <-r.inputs:
			r.handle(ev)
		case c := <-r.calls:
			r.serve(c)
		case <-ctxDone:
			ctxDone = nil
			r.beginShutdown()
		case <-r.stopReq:
			r.stopReq = nil
			r.beginShutdown()
		}
	}
	return r.result()
}

// beginShutdown asks the core to stop the children, which it does after
// the drain when there is one. A second request (ctx and Stop both)
// changes nothing: the core's Stop is idempotent.
func (r *runState) beginShutdown() { r.exec(r.core.Stop(time.Now())) }

func (r *runState) handle(ev core.Input) {
	var c *child
	if ev.Child != nil {
		c = shellChild(ev.Child)
	}
	if c != nil && (ev.Kind == core.ChildStopped || ev.Kind == core.ChildExited) && ev.TimedOut && ev.Gen == ev.Child.Gen() {
		c.abandonWorker()
	}
	if c != nil && ev.Gen == ev.Child.Gen() {
		c.noteBelow(ev)
	}
	if c != nil && ev.Kind == core.TimerFired {
		r.lastBeat(c, ev)
	}
	r.exec(r.core.Handle(time.Now(), ev))
	if c != nil && ev.StopErr != nil {
		r.stopFailed(c, ev.StopErr)
	}
	r.settleWaiters()
	if c != nil && ev.Kind == core.ChildStopped && !ev.TimedOut && r.cfg.WarnLeakedGoroutines {
		r.warnLeaks(c)
	}
	r.releaseHeld()
}

// send delivers an input from a child's goroutine. It never blocks on a
// supervisor that has finished.
func (r *runState) send(ev core.Input) {
	select {
	case r.inputs <- ev: // the common case: room in the buffer
		return
	default:
	}
	r.sendWait(&ev)
}

// sendWait is send's wait for room, out of send so that the frames of the
// goroutines that send stay small (see child.work).
//
//go:noinline
func (r *runState) sendWait(ev *core.Input) {
	select {
	case r.inputs <- *ev:
	case <-r.done:
	}
}

func (r *runState) requestStop() {
	r.stopOnce.Do(func() { close(r.stopReq) })
}

// exec carries out the core's actions.
func (r *runState) exec(acts []core.Action) {
	r.version++
	for i := range acts {
		a := &acts[i]
		switch a.Kind {
		case core.StartChild:
			r.start(shellChild(a.Child), a.Gen, a.Confirm)
		case core.StopChild:
			c := shellChild(a.Child)
			c.beginStop(c.cur, a.Timeout)
		case core.ArmTimer:
			r.arm(a.Child, a.Gen, a.At)
		case core.RunProbe:
			shellChild(a.Child).probe(a.Gen)
		case core.Report:
			r.report(a)
		case core.Retire:
			shellChild(a.Child).retireWorker()
		}
	}
}

func (r *runState) start(c *child, gen uint64, confirm bool) {
	if c.newEngine != nil && !c.fresh {
		c.eng = makeEngine(c.newEngine)
	}
	c.fresh = false
	first := c.cur == nil
	rn := &run{c: c, eng: c.eng, gen: gen, confirm: confirm}
	c.cur = rn
	if c.next == nil {
		if !c.quickStop {
			c.makeStopTimer() // the worker arms it after an exit
		}
		if first {
			c.firstWorker(rn)
			return
		}
		c.newWorker()
	}
	c.next <- rn
}

// abandonWorker lets a worker whose Run or Stop hangs go: the next start
// gets a new one.
func (c *child) abandonWorker() { c.retireWorker() }

// retireWorker ends the worker of a child that has stopped for now (the
// core's Retire): a stopped child has no goroutine.
func (c *child) retireWorker() {
	if c.next != nil {
		close(c.next) // forgotten at once: closed only here, once
		c.next = nil
	}
}

func (r *runState) finish() {
	r.timer.stop()
	for _, cc := range r.core.Children() {
		c := shellChild(cc)
		c.timer.stop()
		c.retireWorker()
	}
	for i := range r.sup.carries {
		r.sup.carries[i].handOver()
	}
	r.sup.last.Store(&finalSnapshot{r: r, at: time.Now(), gaveUp: int(r.sup.gaveUp.Load())})
	close(r.done)
}

// stopNeverBlocks reports whether eng's Stop is known never to block, so
// that it needs no watchdog and may run on the supervisor's goroutine. Only
// the exact type of engine.FromFunc's engine qualifies (its Stop only
// cancels): an opt-in method would be promoted to every type that embeds
// one and overrides Stop with one that blocks, and that would hang the
// supervisor.
func stopNeverBlocks(eng engine.Engine) bool {
	return reflect.TypeOf(eng) == funcEngineType
}

var funcEngineType = reflect.TypeOf(engine.FromFunc(nil))
