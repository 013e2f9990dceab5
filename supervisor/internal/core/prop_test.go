package core_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// model plays the shell faithfully for a property test: it starts a run
// for every StartChild, answers every StopChild with exactly one
// ChildStopped (at a time of the test's choosing), delivers ready and exit
// events only for runs that are live, and fires timers at their armed time
// or later. It checks the core's invariants on every action.
type model struct {
	t   *rapid.T
	c   *core.Core
	cfg core.Config
	now time.Time

	live     map[*core.Child]*liveRun // runs started and not ended
	stops    []pendingStop            // stops asked for, not yet answered
	timers   map[*core.Child]armed    // nil key: the supervisor's timer
	removed  map[*core.Child]bool
	restarts []time.Time
	// abandoned holds the runs whose stop timed out and whose Run has not
	// returned: their child must not be started until it has.
	abandoned map[*core.Child]uint64
	// probes holds the probes asked for and not answered, by child.
	probes map[*core.Child]uint64

	stopReqs     int
	done         int
	shutting     bool
	shutOrder    map[*core.Child]int // start order when the shutdown began
	lastShutStop int
}

type liveRun struct {
	gen      uint64
	awaiting bool // a ready may be delivered
	exited   bool // the run ended on its own, its stop still pending
}

type pendingStop struct {
	ch       *core.Child
	gen      uint64
	shutdown bool // issued during the shutdown
}

type armed struct {
	seq uint64
	at  time.Time
}

func (m *model) fatalf(format string, args ...any) {
	m.t.Helper()
	m.t.Fatalf("at %v: "+format, append([]any{m.now.Sub(t0)}, args...)...)
}

// apply checks and carries out the actions of one core call.
func (m *model) apply(acts []core.Action) {
	m.t.Helper()
	for _, a := range acts {
		if m.done > 0 {
			m.fatalf("action %s after done", describe(a))
		}
		// Reports of a shutdown may name a removed child as its cause;
		// nothing else may refer to one.
		if a.Child != nil && m.removed[a.Child] && !(a.Kind == core.Retire || a.Kind == core.Report && (a.Report == core.EventRemoved || a.Report == core.EventShutdown)) {
			m.fatalf("action %s refers to a removed child", describe(a))
		}
		switch a.Kind {
		case core.StartChild:
			if _, ok := m.live[a.Child]; ok {
				m.fatalf("start %s while its previous run has not ended", a.Child.Name())
			}
			if _, ok := m.abandoned[a.Child]; ok {
				m.fatalf("start %s while its abandoned Run has not returned", a.Child.Name())
			}
			if m.shutting {
				m.fatalf("start %s during the shutdown", a.Child.Name())
			}
			m.live[a.Child] = &liveRun{gen: a.Gen, awaiting: a.Confirm || a.Child.Spec().ReportsReady}
		case core.StopChild:
			r, ok := m.live[a.Child]
			if !ok || r.gen != a.Gen {
				m.fatalf("stop %s gen %d: no such live run", a.Child.Name(), a.Gen)
			}
			if slices.ContainsFunc(m.stops, func(p pendingStop) bool { return p.ch == a.Child }) {
				m.fatalf("stop %s twice", a.Child.Name())
			}
			if m.shutting {
				if slices.ContainsFunc(m.stops, func(p pendingStop) bool { return p.shutdown }) {
					m.fatalf("stop %s while another shutdown stop is pending", a.Child.Name())
				}
				pos, ok := m.shutOrder[a.Child]
				if !ok || pos >= m.lastShutStop {
					m.fatalf("shutdown stop of %s (position %d) after position %d: want reverse start order", a.Child.Name(), pos, m.lastShutStop)
				}
				m.lastShutStop = pos
			}
			m.stops = append(m.stops, pendingStop{a.Child, a.Gen, m.shutting})
		case core.RunProbe:
			r, ok := m.live[a.Child]
			if !ok || r.gen != a.Gen || r.exited {
				m.fatalf("probe %s gen %d: no such live run", a.Child.Name(), a.Gen)
			}
			if gen, out := m.probes[a.Child]; out && gen == a.Gen {
				m.fatalf("probe %s while the run's previous probe is out", a.Child.Name())
			}
			if a.Child.State() != core.StateRunning {
				m.fatalf("probe %s in state %v; want running", a.Child.Name(), a.Child.State())
			}
			m.probes[a.Child] = a.Gen // an earlier run's probe, if any, is answered too late to matter
		case core.ArmTimer:
			if a.At.Before(m.now) {
				m.fatalf("timer armed in the past: %v", a.At.Sub(t0))
			}
			m.timers[a.Child] = armed{a.Gen, a.At}
		case core.Report:
			switch a.Report {
			case core.EventRemoved:
				m.removed[a.Child] = true
			case core.EventRestarting:
				m.checkIntensity()
			case core.EventShutdown:
				m.beginShutdown()

			}
		case core.Retire:
			if _, ok := m.live[a.Child]; ok || a.Child.State() != core.StateStopped {
				m.fatalf("retire %s while it is %v with a live run: %v", a.Child.Name(), a.Child.State(), ok)
			}
		}
	}
	if m.c.Finished() && m.done == 0 {
		m.done++
		if len(m.live) != 0 || len(m.stops) != 0 {
			m.fatalf("done with %d live runs and %d pending stops", len(m.live), len(m.stops))
		}
		for _, ch := range m.c.Children() {
			_, out := m.abandoned[ch]
			if want := map[bool]core.State{false: core.StateStopped, true: core.StateAbandoned}[out]; ch.State() != want {
				m.fatalf("done while %s is %v; want %v", ch.Name(), ch.State(), want)
			}
		}
	}
	for _, ch := range m.c.Children() {
		// A finished job is a stopped transient child with no run.
		if _, running := m.live[ch]; ch.Done() && (ch.State() != core.StateStopped || ch.Spec().Restart != core.Transient || running) {
			m.fatalf("%s done while %v, %v, with a live run %v", ch.Name(), ch.State(), ch.Spec().Restart, running)
		}
	}
}

// checkIntensity checks that a restart at now leaves at most Intensity
// restarts in the window (now - Period, now], OTP's inclusive bound.
func (m *model) checkIntensity() {
	n := 0
	for _, r := range m.restarts {
		if m.now.Sub(r) <= m.cfg.Period {
			n++
		}
	}
	if n+1 > m.cfg.Intensity {
		m.fatalf("restart %d within %v; intensity is %d", n+1, m.cfg.Period, m.cfg.Intensity)
	}
	m.restarts = append(m.restarts, m.now)
}

func (m *model) beginShutdown() {
	if m.shutting {
		m.fatalf("shutdown reported twice")
	}
	m.shutting = true
	m.shutOrder = map[*core.Child]int{}
	for i, ch := range m.c.Children() {
		m.shutOrder[ch] = i
	}
	m.lastShutStop = len(m.c.Children())
}

func (m *model) handle(ev core.Input) { m.apply(m.c.Handle(m.now, ev)) }

// liveChildren returns the children with a live run, in a stable order.
func (m *model) liveChildren(pred func(*core.Child, *liveRun) bool) []*core.Child {
	var out []*core.Child
	for ch, r := range m.live {
		if pred(ch, r) {
			out = append(out, ch)
		}
	}
	slices.SortFunc(out, func(a, b *core.Child) int { return cmp.Compare(a.Name(), b.Name()) })
	return out
}

func (m *model) answerStop(i int, timedOut bool) {
	p := m.stops[i]
	m.stops = slices.Delete(m.stops, i, i+1)
	if r := m.live[p.ch]; timedOut && !r.exited {
		m.abandoned[p.ch] = p.gen
	}
	delete(m.live, p.ch)
	m.handle(core.Input{Kind: core.ChildStopped, Child: p.ch, Gen: p.gen, TimedOut: timedOut})
}

// fireDue fires the timers due by now, earliest first, each at its time.
func (m *model) fireDue(until time.Time) {
	for {
		var key *core.Child
		var next armed
		found := false
		for k, a := range m.timers {
			if !a.at.After(until) && (!found || a.at.Before(next.at) || (a.at.Equal(next.at) && nameOf(k) < nameOf(key))) {
				key, next, found = k, a, true
			}
		}
		if !found {
			m.now = until
			return
		}
		delete(m.timers, key)
		if next.at.After(m.now) {
			m.now = next.at
		}
		if key != nil && m.removed[key] {
			continue
		}
		m.handle(core.Input{Kind: core.TimerFired, Child: key, Gen: next.seq})
	}
}

var exitKinds = []core.ExitKind{core.ExitNormal, core.ExitFailed, core.ExitPanic}

func genConfig(t *rapid.T) (core.Config, []core.ChildSpec) {
	cfg := core.Config{
		Strategy:     core.Strategy(rapid.IntRange(0, 2).Draw(t, "strategy")),
		Intensity:    rapid.IntRange(0, 4).Draw(t, "intensity"),
		Period:       time.Duration(rapid.IntRange(1, 10).Draw(t, "period")) * time.Second,
		AutoShutdown: core.AutoShutdown(rapid.IntRange(0, 2).Draw(t, "auto")),
		Seed:         rapid.Uint64().Draw(t, "seed"),
	}
	n := rapid.IntRange(1, 5).Draw(t, "children")
	specs := make([]core.ChildSpec, n)
	for i := range specs {
		r := core.Restart(rapid.IntRange(0, 2).Draw(t, "restart"))
		b := core.Backoff{}
		if rapid.Bool().Draw(t, "backoff") {
			b = core.Backoff{
				Initial:    time.Duration(rapid.IntRange(1, 2000).Draw(t, "initial")) * time.Millisecond,
				Max:        time.Duration(rapid.IntRange(0, 5).Draw(t, "max")) * time.Second,
				Multiplier: float64(rapid.IntRange(1, 3).Draw(t, "mult")),
				Jitter:     float64(rapid.IntRange(0, 5).Draw(t, "jitter")) / 10,
				ResetAfter: time.Duration(rapid.IntRange(0, 10).Draw(t, "reset")) * time.Second,
			}
			if b.Max > 0 && b.Max < b.Initial {
				b.Max = b.Initial
			}
		}
		specs[i] = core.ChildSpec{
			Name:         fmt.Sprintf("c%d", i),
			Restart:      r,
			Shutdown:     time.Second,
			StartTimeout: time.Duration(rapid.IntRange(0, 3).Draw(t, "startTimeout")) * time.Second,
			Backoff:      b,
			Significant:  r != core.Permanent && rapid.Bool().Draw(t, "significant"),
			ReportsReady: rapid.Bool().Draw(t, "readies"),
		}
		if rapid.Bool().Draw(t, "live") {
			specs[i].Liveness = core.Liveness{
				Watchdog: time.Duration(rapid.IntRange(0, 3).Draw(t, "watchdog")) * time.Second,
				Every:    time.Duration(rapid.IntRange(0, 2).Draw(t, "every")) * time.Second,
				Failures: rapid.IntRange(1, 3).Draw(t, "failures"),
				Grace:    time.Duration(rapid.IntRange(0, 1).Draw(t, "grace")) * time.Second,
				Probe:    "probe",
			}
			if specs[i].Liveness.Watchdog == 0 && specs[i].Liveness.Every == 0 {
				specs[i].Liveness.Every = 500 * time.Millisecond
			}
		}
	}
	return cfg, specs
}

// TestCoreProperties drives the core with random children, policies and
// fault sequences, and checks its invariants after every step: runs are
// paired, shutdown stops go last first one at a time, the intensity is
// never exceeded, Done comes once and only when every child has stopped,
// a child is done only when it is a stopped transient child with no run,
// and no action refers to a removed child.
func TestCoreProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg, specs := genConfig(t)
		m := &model{t: t, c: core.New(cfg, specs), cfg: cfg, now: t0,
			live: map[*core.Child]*liveRun{}, timers: map[*core.Child]armed{}, removed: map[*core.Child]bool{},
			abandoned: map[*core.Child]uint64{}, probes: map[*core.Child]uint64{}}
		m.apply(m.c.Start(m.now))
		added := 0
		steps := rapid.IntRange(1, 60).Draw(t, "steps")
		for range steps {
			if m.done > 0 {
				break
			}
			switch rapid.IntRange(0, 12).Draw(t, "op") {
			case 11: // a probe is answered, pass or fail
				var kids []*core.Child
				for ch := range m.probes {
					kids = append(kids, ch)
				}
				if len(kids) == 0 {
					continue
				}
				slices.SortFunc(kids, func(a, b *core.Child) int { return cmp.Compare(a.Name(), b.Name()) })
				ch := kids[rapid.IntRange(0, len(kids)-1).Draw(t, "probed")]
				gen := m.probes[ch]
				delete(m.probes, ch)
				var err error
				if rapid.Bool().Draw(t, "probeFails") {
					err = errBoom
				}
				m.handle(core.Input{Kind: core.ProbeDone, Child: ch, Gen: gen, Err: err})
			case 12: // a live run heartbeats
				kids := m.liveChildren(func(_ *core.Child, r *liveRun) bool { return !r.exited })
				if len(kids) == 0 {
					continue
				}
				ch := kids[rapid.IntRange(0, len(kids)-1).Draw(t, "beating")]
				if acts := m.c.Handle(m.now, core.Input{Kind: core.Heartbeat, Child: ch, Gen: m.live[ch].gen, At: m.now}); len(acts) != 0 {
					m.fatalf("a heartbeat of %s decided %d actions; want none", ch.Name(), len(acts))
				}
			case 10: // an abandoned Run returns at last
				var kids []*core.Child
				for ch := range m.abandoned {
					kids = append(kids, ch)
				}
				if len(kids) == 0 {
					continue
				}
				slices.SortFunc(kids, func(a, b *core.Child) int { return cmp.Compare(a.Name(), b.Name()) })
				ch := kids[rapid.IntRange(0, len(kids)-1).Draw(t, "returning")]
				gen := m.abandoned[ch]
				delete(m.abandoned, ch)
				m.handle(core.Input{Kind: core.AbandonedReturned, Child: ch, Gen: gen})
			case 0, 1: // a live run ends on its own
				kids := m.liveChildren(func(_ *core.Child, r *liveRun) bool { return !r.exited })
				if len(kids) == 0 {
					continue
				}
				ch := kids[rapid.IntRange(0, len(kids)-1).Draw(t, "exiting")]
				r := m.live[ch]
				kind := rapid.SampledFrom(exitKinds).Draw(t, "kind")
				if slices.ContainsFunc(m.stops, func(p pendingStop) bool { return p.ch == ch }) {
					r.exited = true // its stop is still answered
				} else {
					delete(m.live, ch)
				}
				err := errBoom
				if kind == core.ExitNormal && rapid.Bool().Draw(t, "nilErr") {
					err = nil // a nil return: a transient child's job done
				}
				m.handle(core.Input{Kind: core.ChildExited, Child: ch, Gen: r.gen, Exit: kind, Err: err})
			case 2, 3: // a run reports ready
				kids := m.liveChildren(func(_ *core.Child, r *liveRun) bool { return r.awaiting && !r.exited })
				if len(kids) == 0 {
					continue
				}
				ch := kids[rapid.IntRange(0, len(kids)-1).Draw(t, "readying")]
				r := m.live[ch]
				r.awaiting = false
				m.handle(core.Input{Kind: core.ChildReady, Child: ch, Gen: r.gen})
			case 4, 5: // a stop is answered
				if len(m.stops) == 0 {
					continue
				}
				i := rapid.IntRange(0, len(m.stops)-1).Draw(t, "stopAnswered")
				m.answerStop(i, rapid.IntRange(0, 4).Draw(t, "timedOut") == 0)
			case 6: // time passes
				d := time.Duration(rapid.IntRange(0, 3000).Draw(t, "ms")) * time.Millisecond
				m.fireDue(m.now.Add(d))
			case 7: // stop requested
				m.stopReqs++
				m.apply(m.c.Stop(m.now))
			case 8, 9: // an admin call, when the core is not busy (as the shell holds them)
				if m.c.Busy() {
					continue
				}
				name := fmt.Sprintf("c%d", rapid.IntRange(0, len(specs)+added).Draw(t, "target"))
				var acts []core.Action
				switch rapid.IntRange(0, 3).Draw(t, "admin") {
				case 0:
					_, acts, _ = m.c.TerminateChild(m.now, name)
				case 1:
					_, acts, _ = m.c.RestartChild(m.now, name)
				case 2:
					acts, _ = m.c.DeleteChild(m.now, name)
				case 3:
					spec := specs[0]
					spec.Name = fmt.Sprintf("c%d", len(specs)+added)
					var err error
					_, acts, err = m.c.AddChild(m.now, spec)
					if err == nil {
						added++
					}
				}
				m.apply(acts)
			}
		}
		// Shut down and let the shell answer everything: the core must
		// finish.
		m.apply(m.c.Stop(m.now))
		for i := 0; m.done == 0; i++ {
			if i > 1000 {
				m.fatalf("no done after 1000 steps of shutdown")
			}
			switch {
			case len(m.stops) > 0:
				m.answerStop(0, false)
			case len(m.timers) > 0:
				m.fireDue(m.now.Add(time.Hour))
			default:
				m.fatalf("shutdown hangs: no stop pending, no timer armed, not done (live runs %d)", len(m.live))
			}
		}
		if m.done != 1 {
			m.fatalf("done %d times; want 1", m.done)
		}
		m.apply(m.c.Stop(m.now))
	})
}
