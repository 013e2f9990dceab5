package sim

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestQueueOrder(t *testing.T) {
	var q queue
	ats := []time.Duration{5, 1, 3, 1, 9, 0, 3, 2}
	for i, at := range ats {
		q.push(item{at: at, gen: uint64(i)})
	}
	var got []string
	for len(q.items) > 0 {
		it := q.pop()
		got = append(got, fmt.Sprintf("%d/%d", it.at, it.gen))
	}
	want := []string{"0/5", "1/1", "1/3", "2/7", "3/2", "3/6", "5/0", "9/4"}
	if !slices.Equal(got, want) {
		t.Errorf("pop order = %v; want %v", got, want)
	}
}

func TestLaneSet(t *testing.T) {
	tests := []struct {
		name  string
		steps []Span // From and State of each set
		want  string
	}{
		{"plain", []Span{{0, 0, stateStarting}, {2, 0, stateRunning}, {5, 0, stateStopped}}, "[0 2 starting] [2 5 running] [5 10 stopped]"},
		{"same state is one span", []Span{{0, 0, stateRunning}, {3, 0, stateRunning}}, "[0 10 running]"},
		{"zero-length state dropped", []Span{{0, 0, stateRunning}, {4, 0, stateStopped}, {4, 0, stateStarting}, {4, 0, stateRunning}}, "[0 10 running]"},
		{"zero-length replaced", []Span{{0, 0, stateRunning}, {4, 0, stateStopped}, {4, 0, stateBackingOff}, {6, 0, stateRunning}}, "[0 4 running] [4 6 backing_off] [6 10 running]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Lane
			for _, s := range tt.steps {
				l.set(s.From, s.State)
			}
			l.finish(10, 10)
			var parts []string
			for _, sp := range l.Spans {
				parts = append(parts, fmt.Sprintf("[%d %d %s]", sp.From, sp.To, sp.State))
			}
			if got := strings.Join(parts, " "); got != tt.want {
				t.Errorf("spans = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestLaneStats(t *testing.T) {
	var l Lane
	for _, s := range []Span{{0, 0, stateStarting}, {1, 0, stateRunning}, {4, 0, stateBackingOff}, {6, 0, stateStarting}, {7, 0, stateRunning}, {9, 0, stateStopped}} {
		l.set(s.From, s.State)
	}
	l.finish(12, 10) // the shutdown ran past the duration
	st := l.Stats
	if st.Up != 5 || st.Down != 5 || st.LongestOutage != 3 || st.Availability != 0.5 {
		t.Errorf("stats = %+v; want up 5, down 5, longest outage 3, availability 0.5", st)
	}
}

func TestModelLaunch(t *testing.T) {
	s := time.Second
	f := &Faults{Start: s, Ready: 2 * s, FailAt: []time.Duration{5 * s, 6 * s, 20 * s}, Outages: []Outage{{30 * s, 40 * s}}}
	m := newLeafModel(f, 1, "x")
	tests := []struct {
		launch        time.Duration
		fails         bool // the run reaches its failure
		ready, failAt time.Duration
		err           error
	}{
		{0, true, 3 * s, 5 * s, errScripted},
		{5 * s, true, never, 6 * s, errScripted}, // fails before it is ready
		{6 * s, false, 9 * s, 20 * s, errScripted},
		{25 * s, false, 28 * s, never, nil}, // the failure at 20s fell while it was down
		{35 * s, false, never, 36 * s, errOutage},
		{40 * s, false, 43 * s, never, nil},
	}
	for _, tt := range tests {
		p := m.launch(tt.launch)
		if p.readyAt != tt.ready || p.failAt != tt.failAt || p.err != tt.err {
			t.Errorf("launch(%v) = ready %v, fail %v (%v); want ready %v, fail %v (%v)", tt.launch, p.readyAt, p.failAt, p.err, tt.ready, tt.failAt, tt.err)
		}
		if tt.fails {
			m.failed(p)
		}
	}
}

func TestModelRandomIsSeeded(t *testing.T) {
	draws := func(seed uint64, path string) []time.Duration {
		m := newLeafModel(&Faults{MTBF: time.Minute, CrashOnStart: 0.2}, seed, path)
		var out []time.Duration
		for i := range 50 {
			out = append(out, m.launch(time.Duration(i)*time.Hour).failAt)
		}
		return out
	}
	a := draws(1, "r/a")
	if b := draws(1, "r/a"); !slices.Equal(a, b) {
		t.Errorf("the same seed and path drew differently")
	}
	if c := draws(2, "r/a"); slices.Equal(a, c) {
		t.Errorf("seeds 1 and 2 drew the same")
	}
	if c := draws(1, "r/b"); slices.Equal(a, c) {
		t.Errorf("paths r/a and r/b drew the same")
	}
}

func TestRunInvalid(t *testing.T) {
	ok := func() *tGroup {
		return &tGroup{Name: "r", Config: core.Config{Intensity: 1, Period: time.Second}, Children: []tChild{{Spec: core.ChildSpec{Name: "a"}}}}
	}
	// The tree's own problems are the supervisor's, worded as Validate
	// words them, so that a program and its simulation read alike.
	tests := []struct {
		name   string
		change func(g *tGroup, o *Options)
		want   string
	}{
		{"duration", func(g *tGroup, o *Options) { o.Duration = 0 }, "duration 0s is not positive"},
		{"no children", func(g *tGroup, o *Options) { g.Children = nil }, "r: no children"},
		{"duplicate", func(g *tGroup, o *Options) { g.Children = append(g.Children, g.Children[0]) }, "r: a: duplicate child name"},
		{"slash", func(g *tGroup, o *Options) { g.Children[0].Spec.Name = "a/b" }, `r: a/b: Name: found "a/b", expected a name without "/"`},
		{"probability", func(g *tGroup, o *Options) { g.Children[0].Faults.CrashOnStart = 2 }, "r/a: crash probability 2"},
		{"outage", func(g *tGroup, o *Options) { g.Children[0].Faults.Outages = []Outage{{2, 1}} }, "outage from 2ns is not before 1ns"},
		{"root name", func(g *tGroup, o *Options) { g.Name = "" }, "the root supervisor's name is empty"},
		{"nested", func(g *tGroup, o *Options) { g.Children[0].Group = &tGroup{Name: "a"} }, "r/a: no children"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, o := ok(), Options{Duration: time.Second}
			tt.change(g, &o)
			_, err := simulate(g, o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run = %v; want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := Run(nil, nil, Options{Duration: time.Second}); err == nil {
		t.Errorf("Run(nil) = nil; want an error")
	}
}

// TestNestedPathIsChildName: a nested supervisor's lanes are named by its
// Child.Name, as the live supervisor names its path, whatever name was
// given to its New.
func TestNestedPathIsChildName(t *testing.T) {
	g := &tGroup{Name: "r", Config: core.Config{Intensity: 1, Period: time.Second}, Children: []tChild{
		group("a", core.Config{Intensity: 1, Period: time.Second}, leaf("x", Faults{})),
	}}
	g.Children[0].Group.Name = "other"
	res, err := simulate(g, Options{Duration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range res.Lanes {
		got = append(got, l.Path)
	}
	if want := []string{"r", "r/a", "r/a/x"}; !slices.Equal(got, want) {
		t.Errorf("lanes = %v; want %v", got, want)
	}
}

// lane returns the lane of res with the given path.
func lane(t *testing.T, res *Result, path string) *Lane {
	t.Helper()
	for i := range res.Lanes {
		if res.Lanes[i].Path == path {
			return &res.Lanes[i]
		}
	}
	t.Fatalf("no lane %s", path)
	return nil
}

// TestGaveUpLanes: when the root gives up, every lane below it ends in
// gave_up, and the root's outcome and supervisor record say when.
func TestGaveUpLanes(t *testing.T) {
	s := time.Second
	g := &tGroup{Name: "r", Config: core.Config{Intensity: 1, Period: time.Minute, Seed: 1}, Children: []tChild{
		leaf("a", Faults{FailAt: at(10*s, 20*s)}, noBackoff),
		leaf("b", Faults{Stop: s}),
	}}
	res, err := simulate(g, Options{Duration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Outcome; o == nil || o.Reason != "gave_up" || o.At != 21*s || o.Child != "r/a" {
		t.Errorf("outcome = %+v; want gave_up at 21s by r/a", o)
	}
	if got := res.Lanes[0].GaveUp; len(got) != 1 || got[0].At != 20*s {
		t.Errorf("root gave up = %+v; want once at 20s", got)
	}
	for _, l := range res.Lanes {
		if last := l.Spans[len(l.Spans)-1]; last.State != stateGaveUp || last.To != time.Minute {
			t.Errorf("%s ends with %+v; want gave_up to 1m", l.Path, last)
		}
	}
	b := lane(t, res, "r/b")
	if b.Stats.Up != 20*s || b.Stats.LongestOutage != 40*s {
		t.Errorf("b up %v, longest outage %v; want 20s and 40s", b.Stats.Up, b.Stats.LongestOutage)
	}
	a := lane(t, res, "r/a")
	if a.Stats.Starts != 2 || a.Stats.Restarts != 1 || a.Stats.Failures != 2 || !slices.Equal(a.Failures, at(10*s, 20*s)) || !slices.Equal(a.Restarts, at(10*s)) {
		t.Errorf("a = %+v, failures %v, restarts %v; want 2 starts, 1 restart, failures at 10s and 20s, restart at 10s", a.Stats, a.Failures, a.Restarts)
	}
}

// TestDeterministic: the same tree and seeds give the same result.
func TestDeterministic(t *testing.T) {
	sc := scenarios[len(scenarios)-1]
	a, _ := simulate(sc.tree(), Options{Duration: time.Hour, Seed: 5, Events: true})
	b, _ := simulate(sc.tree(), Options{Duration: time.Hour, Seed: 5, Events: true})
	if fmt.Sprint(a.Events) != fmt.Sprint(b.Events) || fmt.Sprint(a.Lanes) != fmt.Sprint(b.Lanes) {
		t.Errorf("two runs with seed 5 differ")
	}
	c, _ := simulate(sc.tree(), Options{Duration: time.Hour, Seed: 6, Events: true})
	if fmt.Sprint(a.Events) == fmt.Sprint(c.Events) {
		t.Errorf("seeds 5 and 6 gave the same events")
	}
}

// bigTree is n leaves in groups of ten under a root, each failing every
// few minutes on average.
func bigTree(n int) *tGroup {
	root := &tGroup{Name: "root", Config: core.Config{Strategy: core.OneForOne, Intensity: 50, Period: time.Minute, Seed: 1}}
	for g := 0; g < n/10; g++ {
		sub := &tGroup{Name: fmt.Sprintf("g%02d", g), Config: core.Config{Strategy: core.RestForOne, Intensity: 20, Period: time.Minute, Seed: uint64(g + 2)}}
		for i := 0; i < 10; i++ {
			sub.Children = append(sub.Children, leaf(fmt.Sprintf("c%d", i),
				Faults{Start: 200 * time.Millisecond, Ready: 300 * time.Millisecond, Stop: 100 * time.Millisecond, MTBF: 4 * time.Minute},
				readyIn(5*time.Second)))
		}
		root.Children = append(root.Children, group(sub.Name, sub.Config, sub.Children...))
	}
	return root
}

func TestLargeTreeIsFast(t *testing.T) {
	start := time.Now()
	res, err := simulate(bigTree(100), Options{Duration: 24 * time.Hour, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	failures := 0
	for _, l := range res.Lanes {
		failures += l.Stats.Failures
	}
	t.Logf("100 children × 24h: %d failures, %d steps in %v", failures, res.Steps, elapsed)
	if failures < 10000 {
		t.Errorf("failures = %d; want a busy day of at least 10000", failures)
	}
}

func BenchmarkRun100x24h(b *testing.B) {
	root, faults := prepare(bigTree(100), 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(root, faults, Options{Duration: 24 * time.Hour, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRun100x1h(b *testing.B) {
	root, faults := prepare(bigTree(100), 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(root, faults, Options{Duration: time.Hour, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
