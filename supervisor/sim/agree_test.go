package sim

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// The agreement test runs the same trees, under the same scripted faults,
// through the simulator and through the live supervisor in a synctest
// bubble, and requires the same events at the same virtual times.

const ms = time.Millisecond

// fake is a live engine that behaves as the simulator models a leaf: it
// asks the same leafModel how each run goes, and sleeps in the bubble's
// fake time.
type fake struct {
	m       *leafModel
	ready   bool
	t0      time.Time
	release chan struct{}

	mu     sync.Mutex
	cancel context.CancelFunc
	// exited is set when a Run ended on its own: the next Stop is the one
	// that follows that end. Any other Stop is a stop asked for (a stop
	// that comes before Run is entered calls neither Run nor Stop).
	exited bool
	// plan is the current run's, for its probe.
	plan runPlan
}

// beat heartbeats every Hang.Beat from the run's launch, except while it
// is hung, until stop is closed.
func (e *fake) beat(ctx context.Context, p runPlan, stop <-chan struct{}) {
	for t := p.launch; ; t += e.m.f.Hang.Beat {
		tm := time.NewTimer(time.Until(e.t0.Add(t)))
		select {
		case <-stop:
			tm.Stop()
			return
		case <-tm.C:
		}
		if !p.hungAt(t) {
			engine.Alive(ctx)
		}
	}
}

// probe fails while the current run is hung.
func (e *fake) probe(context.Context) error {
	e.mu.Lock()
	p := e.plan
	e.mu.Unlock()
	if p.hungAt(time.Since(e.t0)) {
		return errHung
	}
	return nil
}

func (e *fake) ReportsReady() bool { return e.ready }

func (e *fake) Run(ctx context.Context) error {
	p := e.m.launch(time.Since(e.t0))
	rctx, cancel := context.WithCancel(ctx)
	e.mu.Lock()
	e.cancel, e.exited, e.plan = cancel, false, p
	e.mu.Unlock()
	defer cancel()
	if e.m.f.Hang.Beat > 0 {
		stop := make(chan struct{})
		defer close(stop)
		go e.beat(ctx, p, stop)
	}
	if e.m.f.NeverStops {
		rctx = context.Background() // it ignores its context
	}
	if e.ready && p.readyAt != never {
		if !e.sleepUntil(rctx, p.readyAt) {
			return nil
		}
		engine.Ready(ctx)
	}
	if !e.sleepUntil(rctx, p.failAt) {
		return nil
	}
	e.m.failed(p)
	e.mu.Lock()
	e.exited = true
	e.mu.Unlock()
	return p.err
}

func (e *fake) Stop(ctx context.Context) error {
	e.mu.Lock()
	exited, cancel := e.exited, e.cancel
	e.exited = false
	e.mu.Unlock()
	if exited {
		// The Stop after the run's own end takes ExitStop, whatever its
		// context says: one longer than the shutdown timeout hangs.
		if d := e.m.f.ExitStop; d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-e.release:
			}
		}
		return nil
	}
	if e.m.f.NeverStops {
		<-ctx.Done()
		return ctx.Err()
	}
	if d := e.m.f.Stop; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	if cancel != nil {
		cancel() // (a stale one, if Run has not got as far as setting it: the supervisor cancels its context after Stop)
	}
	return nil
}

// sleepUntil waits until virtual time at, and reports false if ctx ended
// or the test released the engine first.
func (e *fake) sleepUntil(ctx context.Context, at time.Duration) bool {
	var c <-chan time.Time
	if at != never {
		t := time.NewTimer(time.Until(e.t0.Add(at)))
		defer t.Stop()
		c = t.C
	}
	select {
	case <-c:
		return true
	case <-ctx.Done():
		return false
	case <-e.release:
		return false
	}
}

// tGroup is a scenario's tree: each supervisor's policy and each child's
// spec as the core sees them, which live maps onto a supervisor tree.
type tGroup struct {
	Name     string
	Config   core.Config
	Children []tChild
}

// tChild is a leaf modelled by Faults or, with Group set, a nested
// supervisor.
type tChild struct {
	Spec   core.ChildSpec
	Group  *tGroup
	Faults Faults
}

// faults returns the fault models of g's leaves by path.
func (g *tGroup) faults(path string, into map[string]Faults) map[string]Faults {
	if into == nil {
		into = map[string]Faults{}
	}
	for _, ch := range g.Children {
		if ch.Group != nil {
			ch.Group.faults(path+"/"+ch.Spec.Name, into)
		} else {
			into[path+"/"+ch.Spec.Name] = ch.Faults
		}
	}
	return into
}

// prepare builds the never-started live tree of g and its fault models,
// for the simulator.
func prepare(g *tGroup, seed uint64) (*supervisor.Supervisor, func(string) Faults) {
	m := g.faults(g.Name, nil)
	return live(g, g.Name, seed, time.Time{}, nil, nil), func(p string) Faults { return m[p] }
}

// simulate runs g through the simulator.
func simulate(g *tGroup, opts Options) (*Result, error) {
	root, faults := prepare(g, opts.Seed)
	return Run(root, faults, opts)
}

// live builds the live tree of g.
func live(g *tGroup, path string, seed uint64, t0 time.Time, release chan struct{}, on func(supervisor.Event)) *supervisor.Supervisor {
	z := func(d time.Duration) time.Duration {
		if d == 0 {
			return supervisor.Zero
		}
		return d
	}
	zf := func(f float64) float64 {
		if f == 0 {
			return supervisor.Zero
		}
		return f
	}
	intensity := g.Config.Intensity
	if intensity == 0 {
		intensity = supervisor.Zero
	}
	cfg := supervisor.Config{Strategy: g.Config.Strategy, Intensity: intensity, Period: g.Config.Period,
		AutoShutdown: g.Config.AutoShutdown, Seed: g.Config.Seed, Drain: g.Config.Drain, OnEvent: on}
	var kids []supervisor.Child
	for i := range g.Children {
		ch := &g.Children[i]
		sp := ch.Spec
		c := supervisor.Child{Name: sp.Name, Restart: sp.Restart, Shutdown: z(sp.Shutdown), Significant: sp.Significant,
			Backoff: supervisor.Backoff{Initial: z(sp.Backoff.Initial), Max: z(sp.Backoff.Max), Multiplier: sp.Backoff.Multiplier,
				Jitter: zf(sp.Backoff.Jitter), ResetAfter: z(sp.Backoff.ResetAfter)}}
		if ch.Group != nil {
			if sp.Shutdown == 0 {
				c.Shutdown = 0 // the default: the nested shutdown budget
			}
			c.Engine = live(ch.Group, path+"/"+sp.Name, seed, t0, release, on)
			c.StartTimeout = sp.StartTimeout
		} else {
			c.StartTimeout = z(sp.StartTimeout)
			f := &fake{m: newLeafModel(&ch.Faults, seed, path+"/"+sp.Name), ready: sp.ReportsReady, t0: t0, release: release}
			c.Engine = f
			l := sp.Liveness
			c.Liveness = supervisor.Liveness{Watchdog: l.Watchdog, Every: l.Every, Failures: l.Failures, Grace: l.Grace, Name: l.Probe}
			if l.Every > 0 {
				c.Liveness.Probe = f.probe
			}
		}
		kids = append(kids, c)
	}
	return supervisor.New(g.Name, cfg, kids...)
}

// line formats an event for comparison.
// line is a live event in the simulator's form, so that both sides are
// formatted by Event.String.
func line(e supervisor.Event, t0 time.Time) string {
	return Event{At: e.Time.Sub(t0), Kind: e.Kind, Path: e.Path, Exit: e.Exit, Delay: e.Delay, Restarts: e.Restarts}.String()
}

// bySupervisor groups event lines by the supervisor that reported them:
// events of different supervisors at the same instant have no order in
// the live tree, those of one supervisor do.
type bySupervisor map[string][]string

func (b bySupervisor) String() string {
	var keys []string
	for k := range b {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var sb strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&sb, "[%s]\n\t%s\n", k, strings.Join(b[k], "\n\t"))
	}
	return sb.String()
}

type scenario struct {
	name  string
	tree  func() *tGroup
	until time.Duration // the root is stopped then
	seed  uint64
	// features are event texts the scenario is there to exercise.
	features []string
}

func leaf(name string, f Faults, opts ...func(*core.ChildSpec)) tChild {
	sp := core.ChildSpec{Name: name, Shutdown: time.Second,
		Backoff: core.Backoff{Initial: time.Second, Max: 8 * time.Second, Multiplier: 2, Jitter: 0.25}}
	for _, o := range opts {
		o(&sp)
	}
	return tChild{Spec: sp, Faults: f}
}

func readyIn(d time.Duration) func(*core.ChildSpec) {
	return func(sp *core.ChildSpec) { sp.ReportsReady, sp.StartTimeout = true, d }
}

// startTimeout bounds a start that does not wait for readiness: one held
// while an abandoned Run is out.
func startTimeout(d time.Duration) func(*core.ChildSpec) {
	return func(sp *core.ChildSpec) { sp.StartTimeout = d }
}

func shutdown(d time.Duration) func(*core.ChildSpec) {
	return func(sp *core.ChildSpec) { sp.Shutdown = d }
}

func noBackoff(sp *core.ChildSpec) { sp.Backoff = core.Backoff{Multiplier: 1} }

func group(name string, cfg core.Config, kids ...tChild) tChild {
	return tChild{Spec: core.ChildSpec{Name: name, Shutdown: 10 * time.Second,
		Backoff: core.Backoff{Initial: 2 * time.Second, Max: 8 * time.Second, Multiplier: 2, Jitter: 0.1}},
		Group: &tGroup{Name: name, Config: cfg, Children: kids}}
}

func at(ds ...time.Duration) []time.Duration { return ds }

// budgeted leaves a nested group's shutdown to the default, the nested
// shutdown budget that the supervisor's resolution gives it.
func budgeted(ch tChild) tChild {
	ch.Spec.Shutdown = 0
	return ch
}

// budgetTree is a nested group with no shutdown of its own, whose stop
// abandons a child that never stops.
func budgetTree() *tGroup {
	svc := core.Config{Strategy: core.OneForOne, Intensity: 3, Period: 10 * time.Second, Seed: 25}
	return &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForOne, Intensity: 3, Period: time.Minute, Seed: 19},
		Children: []tChild{
			budgeted(group("svc", svc,
				leaf("ok", Faults{Stop: 100 * ms}),
				leaf("stuck", Faults{NeverStops: true, FailAt: at(3 * time.Second)}, shutdown(2*time.Second)),
			)),
			leaf("after", Faults{Stop: 50 * ms}),
		}}
}

func liveness(l core.Liveness) func(*core.ChildSpec) {
	return func(sp *core.ChildSpec) { sp.Liveness = l }
}

var scenarios = []scenario{
	{name: "hung children found by a watchdog and by a probe, restarted as crashes", until: 3 * time.Minute, seed: 7,
		features: []string{"unhealthy root/w", "restarting root/w exit=unhealthy", "unhealthy root/p", "restarting root/p exit=unhealthy"},
		tree: func() *tGroup {
			return &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForOne, Intensity: 10, Period: time.Minute, Seed: 19},
				Children: []tChild{
					leaf("w", Faults{Hang: Hang{MTBF: 20 * time.Second, Beat: time.Second}, Stop: 100 * ms},
						liveness(core.Liveness{Watchdog: 2500 * ms})),
					leaf("p", Faults{Ready: 200 * ms, Hang: Hang{MTBF: 30 * time.Second, Duration: 20 * time.Second}, Stop: 50 * ms},
						readyIn(time.Second), liveness(core.Liveness{Every: 3 * time.Second, Failures: 2, Grace: 500 * ms, Probe: "probe"})),
					leaf("blip", Faults{Hang: Hang{MTBF: 10 * time.Second, Duration: 1500 * ms, Beat: time.Second}},
						liveness(core.Liveness{Watchdog: 5500 * ms})),
				}}
		}},
	{name: "one_for_one with backoff", until: time.Minute, features: []string{"start_failed root/a", "restarting root/b", "stop_timed_out root/c"}, tree: func() *tGroup {
		return &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForOne, Intensity: 5, Period: 10 * time.Second, Seed: 11},
			Children: []tChild{
				leaf("a", Faults{Ready: 700 * ms, Stop: 100 * ms, FailAt: at(5*time.Second, 6300*ms, 6900*ms, 31*time.Second)}, readyIn(5*time.Second)),
				leaf("b", Faults{Start: 300 * ms, FailAt: at(12*time.Second, 12100*ms), Stop: 250 * ms}),
				leaf("c", Faults{Stop: 2 * time.Second}, shutdown(time.Second)),
			}}
	}},
	{name: "rest_for_one", until: 40 * time.Second, features: []string{"10s stopping root/d", "10.3s stopping root/c"}, tree: func() *tGroup {
		return &tGroup{Name: "root", Config: core.Config{Strategy: core.RestForOne, Intensity: 3, Period: 30 * time.Second, Seed: 12},
			Children: []tChild{
				leaf("a", Faults{Ready: 200 * ms}, readyIn(time.Second)),
				leaf("b", Faults{FailAt: at(10*time.Second, 20500*ms), Stop: 50 * ms}),
				leaf("c", Faults{Ready: 500 * ms, Stop: 200 * ms}, readyIn(time.Second)),
				leaf("d", Faults{Stop: 300 * ms}),
			}}
	}},
	{name: "one_for_all", until: 30 * time.Second, features: []string{"7s stopping root/c", "7.3s stopping root/b"}, tree: func() *tGroup {
		return &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForAll, Intensity: 3, Period: 30 * time.Second, Seed: 13},
			Children: []tChild{
				leaf("a", Faults{Start: 100 * ms, Ready: 100 * ms, FailAt: at(7 * time.Second)}, readyIn(time.Second)),
				leaf("b", Faults{Stop: 400 * ms, FailAt: at(15500 * ms)}),
				leaf("c", Faults{Ready: 300 * ms, Stop: 300 * ms}, readyIn(time.Second)),
			}}
	}},
	{name: "intensity exceeded escalates through a nested group", until: 2 * time.Minute,
		features: []string{"5.5s gave_up shop/jobs", "restarting shop/jobs", "gave_up shop exit=error"}, tree: func() *tGroup {
			jobs := core.Config{Strategy: core.OneForOne, Intensity: 1, Period: 10 * time.Second, Seed: 21}
			return &tGroup{Name: "shop", Config: core.Config{Strategy: core.OneForOne, Intensity: 1, Period: time.Minute, Seed: 14},
				Children: []tChild{
					leaf("db", Faults{Ready: time.Second, Stop: 500 * ms}, readyIn(5*time.Second)),
					group("jobs", jobs,
						leaf("queue", Faults{Ready: 200 * ms, Stop: 100 * ms}, readyIn(time.Second)),
						leaf("worker", Faults{FailAt: at(5*time.Second, 5500*ms, 20*time.Second, 20300*ms)}, noBackoff),
					),
					leaf("web", Faults{Stop: 100 * ms}),
				}}
		}},
	{name: "start failure during a group restart", until: 50 * time.Second, features: []string{"start_failed root/b", "stopping root/a"}, tree: func() *tGroup {
		return &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForAll, Intensity: 10, Period: time.Minute, Seed: 15},
			Children: []tChild{
				leaf("a", Faults{FailAt: at(10 * time.Second), Stop: 100 * ms}),
				leaf("b", Faults{Ready: 300 * ms, Outages: []Outage{{10 * time.Second, 17 * time.Second}}, Stop: 100 * ms}, readyIn(time.Second)),
				leaf("c", Faults{Ready: 500 * ms, Stop: 2 * time.Second}, readyIn(time.Second), shutdown(3*time.Second)),
			}}
	}},
	{name: "an exit with a slow Stop is recorded before the Stop", until: 20 * time.Second,
		features: []string{"5s exited root/a", "7s restarting root/a", "10s exited root/b", "13s restarting root/b exit=error",
			"19s exited root/c", "20s shutdown root"}, tree: func() *tGroup {
			return &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForOne, Intensity: 5, Period: 30 * time.Second, Seed: 17},
				Children: []tChild{
					leaf("a", Faults{FailAt: at(5 * time.Second), ExitStop: 2 * time.Second}, shutdown(3*time.Second)),
					leaf("b", Faults{FailAt: at(10 * time.Second), ExitStop: 5 * time.Second}, shutdown(3*time.Second)),
					leaf("c", Faults{FailAt: at(19 * time.Second), ExitStop: 2 * time.Second}, shutdown(3*time.Second)),
				}}
		}},
	{name: "a nested group restarted while a Run it abandoned is still out", until: 40 * time.Second,
		features: []string{"5s gave_up root/svc", "6s stop_timed_out root/svc/stuck", "20s started root/svc/stuck", "41s stop_timed_out root/svc/stuck"},
		tree: func() *tGroup {
			svc := core.Config{Strategy: core.OneForOne, Period: 10 * time.Second, Seed: 23}
			return &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForOne, Intensity: 3, Period: time.Minute, Seed: 18},
				Children: []tChild{
					group("svc", svc,
						leaf("crash", Faults{FailAt: at(5 * time.Second)}),
						// Its start waits, held, for the Run abandoned at 6 s,
						// which returns at 20 s: within its start timeout.
						leaf("stuck", Faults{NeverStops: true, FailAt: at(20 * time.Second)}, shutdown(time.Second), startTimeout(30*time.Second)),
						leaf("after", Faults{}),
					),
				}}
		}},
	{name: "a nested group stops within its shutdown budget", until: 10 * time.Second, tree: budgetTree,
		features: []string{"3s exited root/svc/stuck", "10.05s stopping root/svc", "12.05s stop_timed_out root/svc/stuck", "12.15s stopped root/svc"}},
	{name: "a start held for an abandoned Run that never returns fails at its start timeout", until: 10 * time.Second,
		features: []string{"800ms stop_timed_out root/hang", "1.9s start_failed root/hang exit=start_failed",
			"1.9s restarting root/hang exit=start_failed delay=100ms", "3s start_failed root/hang", "3s gave_up root exit=start_failed"},
		tree: func() *tGroup {
			b := func(sp *core.ChildSpec) { sp.Backoff = core.Backoff{Initial: 100 * ms, Multiplier: 2} }
			return &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForAll, Intensity: 2, Period: time.Minute, Seed: 19},
				Children: []tChild{
					leaf("hang", Faults{NeverStops: true}, b, shutdown(500*ms), startTimeout(time.Second)),
					leaf("crash", Faults{FailAt: at(300 * ms)}, b, shutdown(500*ms), startTimeout(time.Second)),
					leaf("after", Faults{}, b, shutdown(500*ms), startTimeout(time.Second)),
				}}
		}},
	{name: "a drain keeps the children serving, and restarting, before the shutdown", until: 20 * time.Second,
		features: []string{"20s draining root", "22s exited root/a", "22s restarting root/a", "25s shutdown root",
			"25.05s draining root/svc", "26.05s shutdown root/svc"},
		tree: func() *tGroup {
			svc := core.Config{Strategy: core.OneForOne, Intensity: 3, Period: 10 * time.Second, Seed: 26, Drain: time.Second}
			return &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForOne, Intensity: 3, Period: time.Minute, Seed: 20, Drain: 5 * time.Second},
				Children: []tChild{
					budgeted(group("svc", svc, leaf("cache", Faults{Stop: 100 * ms}))),
					leaf("a", Faults{FailAt: at(22 * time.Second), Stop: 50 * ms}, noBackoff),
				}}
		}},
	{name: "random failures, crashes on start, and a child that never stops", until: 10 * time.Minute, seed: 99,
		features: []string{"start_failed root/flaky", "stop_timed_out root/svc/stuck", "exited root/svc/cache"}, tree: func() *tGroup {
			sub := core.Config{Strategy: core.RestForOne, Intensity: 4, Period: 30 * time.Second, Seed: 22}
			return &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForOne, Intensity: 4, Period: 30 * time.Second, Seed: 16},
				Children: []tChild{
					leaf("flaky", Faults{Ready: 150 * ms, MTBF: 40 * time.Second, CrashOnStart: 0.3, Stop: 20 * ms}, readyIn(time.Second)),
					group("svc", sub,
						leaf("cache", Faults{MTBF: 90 * time.Second, Stop: 10 * ms}),
						leaf("stuck", Faults{NeverStops: true, MTBF: 2 * time.Minute}, shutdown(1500*ms)),
					),
				}}
		}},
}

func TestAgreementWithLiveSupervisor(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			res, err := simulate(sc.tree(), Options{Duration: sc.until, Seed: sc.seed, StopAtEnd: true, Events: true})
			if err != nil {
				t.Fatal(err)
			}
			want := bySupervisor{}
			for _, e := range res.Events {
				want[e.Supervisor] = append(want[e.Supervisor], e.String())
			}
			for _, f := range sc.features {
				if !strings.Contains(want.String(), f) {
					t.Errorf("the simulated events have no %q; the scenario misses its point:\n%s", f, want)
				}
			}
			got := bySupervisor{}
			var liveErr error
			synctest.Test(t, func(t *testing.T) {
				var mu sync.Mutex
				t0 := time.Now()
				on := func(e supervisor.Event) {
					mu.Lock()
					defer mu.Unlock()
					got[e.Supervisor] = append(got[e.Supervisor], line(e, t0))
				}
				release := make(chan struct{})
				sup := live(sc.tree(), "root", sc.seed, t0, release, on)
				ctx, cancel := context.WithCancel(context.Background())
				errc := sup.ServeBackground(ctx)
				timer := time.NewTimer(sc.until)
				select {
				case liveErr = <-errc:
				case <-timer.C:
					cancel()
					liveErr = <-errc
				}
				cancel()
				close(release)
				synctest.Wait()
			})
			if g, w := got.String(), want.String(); g != w {
				t.Errorf("live events:\n%s\nsimulated events:\n%s", g, w)
			}
			var gaveUp *supervisor.GaveUpError
			if simGaveUp := res.Outcome != nil && res.Outcome.Reason == "gave_up"; simGaveUp != errors.As(liveErr, &gaveUp) {
				t.Errorf("live Run = %v; simulated outcome = %+v", liveErr, res.Outcome)
			}
			if testing.Verbose() {
				t.Logf("%d events agree; live Run = %v", len(res.Events), liveErr)
			}
		})
	}
}

// TestSimulatorSeesTheShutdownBudget: a nested supervisor without a
// shutdown of its own gets the budget from the supervisor's resolution (1 s
// and its children's shutdowns), in the simulator as in the live tree.
func TestSimulatorSeesTheShutdownBudget(t *testing.T) {
	res, err := simulate(budgetTree(), Options{Duration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range res.Lanes {
		if l.Path == "root/svc" {
			if want := time.Second + time.Second + 2*time.Second; l.Shutdown != want {
				t.Errorf("root/svc shutdown = %v; want the budget %v", l.Shutdown, want)
			}
			return
		}
	}
	t.Fatalf("no lane root/svc in %+v", res.Lanes)
}
