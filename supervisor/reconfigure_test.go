package supervisor_test

import (
	"context"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// The restart delay computed after Reconfigure follows the new backoff,
// for a child that inherits it; a child with a backoff of its own keeps
// it. Nothing is restarted by the call.
func TestReconfigureBackoffGovernsNextDelay(t *testing.T) {
	bubble(t, func(t *testing.T) {
		rec := newRecorder()
		a, b := newFake(), newFake()
		fixed := func(d time.Duration) supervisor.Backoff {
			return supervisor.Backoff{Initial: d, Multiplier: 1, Jitter: supervisor.Zero}
		}
		cfg := supervisor.Config{Backoff: fixed(time.Second), OnEvent: rec.on}
		sup := supervisor.New("root", cfg, C{Name: "a", Engine: a}, C{Name: "b", Engine: b, Backoff: fixed(7 * time.Second)})
		wait := background(sup)
		synctest.Wait()
		cfg.Backoff = fixed(5 * time.Second)
		if err := sup.Reconfigure(context.Background(), cfg); err != nil {
			t.Fatalf("Reconfigure = %v; want nil", err)
		}
		if ra, rb := a.runCount(), b.runCount(); ra != 1 || rb != 1 {
			t.Fatalf("runs = %d, %d; want 1, 1 (nothing restarted by Reconfigure)", ra, rb)
		}
		a.crash(errBoom)
		b.crash(errBoom)
		synctest.Wait()
		var delays []string
		for _, ev := range rec.events() {
			if ev.Kind == supervisor.EventRestarting {
				delays = append(delays, ev.Path+" "+ev.Delay.String())
			}
		}
		slices.Sort(delays)
		sameLines(t, "restart delays", delays, []string{"root/a 5s", "root/b 7s"})
		stopAndWait(t, sup, wait)
	})
}

// The stop that follows Reconfigure is bounded by the new Shutdown: a
// child whose Stop hangs is abandoned after it, not after the old one.
func TestReconfigureShutdownBoundsNextStop(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		release := make(chan struct{})
		a.stop = func(ctx context.Context, n int) error { <-release; return nil }
		a.run = func(ctx context.Context, n int) error { <-release; return nil }
		cfg := supervisor.Config{Shutdown: 10 * time.Second}
		sup := supervisor.New("root", cfg, C{Name: "a", Engine: a})
		wait := background(sup)
		synctest.Wait()
		cfg.Shutdown = 3 * time.Second
		if err := sup.Reconfigure(context.Background(), cfg); err != nil {
			t.Fatalf("Reconfigure = %v; want nil", err)
		}
		start := time.Now()
		_ = sup.TerminateChild(context.Background(), "a")
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("stop took %v; want 3s, the new Shutdown", got)
		}
		close(release)
		synctest.Wait()
		stopAndWait(t, sup, wait)
	})
}

// A Reconfigure lasts: a supervisor run again starts with the new policy,
// and one that does not run takes it for its next run.
func TestReconfigureLastsAcrossRuns(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		sup := supervisor.New("root", supervisor.Config{Intensity: 5, Backoff: noBackoff}, C{Name: "a", Engine: a})
		if err := sup.Reconfigure(context.Background(), supervisor.Config{Intensity: supervisor.Zero, Backoff: noBackoff}); err != nil {
			t.Fatalf("Reconfigure before Run = %v; want nil", err)
		}
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		if err, _ := wait(); !isA[*supervisor.GaveUpError](err) {
			t.Errorf("Run = %v; want a *GaveUpError (intensity Zero allows no restart)", err)
		}
	})
}

// An invalid policy is refused with a *ConfigError and changes nothing.
func TestReconfigureRejectsInvalidPolicy(t *testing.T) {
	sup := supervisor.New("root", supervisor.Config{})
	err := sup.Reconfigure(context.Background(), supervisor.Config{Period: -time.Second, Backoff: supervisor.Backoff{Multiplier: 0.5}})
	ce, ok := err.(*supervisor.ConfigError)
	if !ok || len(ce.Problems) != 2 {
		t.Fatalf("Reconfigure = %v; want a *ConfigError with 2 problems", err)
	}
	if err := sup.Validate(); err != nil {
		t.Errorf("Validate after a refused Reconfigure = %v; want nil", err)
	}
}

// A nested supervisor whose children were changed at run time (one
// inserted, one replaced, one deleted) and that its parent then restarts
// runs the changed list, in order: the changes are to its spec list, as
// suture's Add, not to its current run only, as OTP's start_child.
func TestNestedChangesSurviveRestartByParent(t *testing.T) {
	bubble(t, func(t *testing.T) {
		rec := newRecorder()
		a, b, c, ins, b2 := newFake(), newFake(), newFake(), newFake(), newFake()
		cfg := supervisor.Config{Backoff: noBackoff, OnEvent: rec.on}
		sub := supervisor.New("sub", cfg, C{Name: "a", Engine: a}, C{Name: "b", Engine: b}, C{Name: "c", Engine: c})
		root := supervisor.New("root", supervisor.Config{Backoff: noBackoff}, C{Name: "sub", Engine: sub})
		wait := background(root)
		synctest.Wait()
		ctx := context.Background()
		steps := []struct {
			what string
			do   func() error
		}{
			{"InsertChild", func() error { return sub.InsertChild(ctx, "b", C{Name: "ins", Engine: ins}) }},
			{"TerminateChild b", func() error { return sub.TerminateChild(ctx, "b") }},
			{"ReplaceChild b", func() error { return sub.ReplaceChild(ctx, C{Name: "b", Engine: b2}) }},
			{"RestartChild b", func() error { return sub.RestartChild(ctx, "b") }},
			{"TerminateChild c", func() error { return sub.TerminateChild(ctx, "c") }},
			{"DeleteChild c", func() error { return sub.DeleteChild(ctx, "c") }},
			{"TerminateChild sub", func() error { return root.TerminateChild(ctx, "sub") }},
			{"RestartChild sub", func() error { return root.RestartChild(ctx, "sub") }},
		}
		for _, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("%s = %v; want nil", st.what, err)
			}
		}
		sameLines(t, "states after the restart", states(sub), []string{"a=running", "ins=running", "b=running"})
		for name, tt := range map[string]struct {
			f    *fake
			want int
		}{"a": {a, 2}, "ins": {ins, 2}, "b": {b, 1}, "b2": {b2, 2}, "c": {c, 1}} {
			if got := tt.f.runCount(); got != tt.want {
				t.Errorf("%s runs = %d; want %d", name, got, tt.want)
			}
		}
		var started []string
		for _, ev := range rec.events() {
			if ev.Kind == supervisor.EventStarted {
				started = append(started, ev.Path)
			}
		}
		want := []string{"root/sub/a", "root/sub/b", "root/sub/c", "root/sub/ins", "root/sub/b", // first run, then changes
			"root/sub/a", "root/sub/ins", "root/sub/b"} // the restarted run
		sameLines(t, "starts", started, want)
		stopAndWait(t, root, wait)
		checkPaired(t, map[string]*fake{"a": a, "b": b, "c": c, "ins": ins, "b2": b2})
	})
}

// An added child whose first start fails is not kept in the spec list
// either: the next run does not start it.
func TestFailedAddNotKept(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, bad := newFake(), newFake()
		bad.run = func(ctx context.Context, n int) error { return errBoom }
		bad.readies = true
		sup := supervisor.New("sub", supervisor.Config{Backoff: noBackoff}, C{Name: "a", Engine: a})
		root := supervisor.New("root", supervisor.Config{Backoff: noBackoff}, C{Name: "sub", Engine: sup})
		wait := background(root)
		synctest.Wait()
		ctx := context.Background()
		if err := sup.AddChild(ctx, C{Name: "bad", Engine: bad}); err == nil {
			t.Fatalf("AddChild of a child that fails to start = nil; want its error")
		}
		if err := root.TerminateChild(ctx, "sub"); err != nil {
			t.Fatal(err)
		}
		if err := root.RestartChild(ctx, "sub"); err != nil {
			t.Fatal(err)
		}
		sameLines(t, "states", states(sup), []string{"a=running"})
		if got := bad.runCount(); got != 1 {
			t.Errorf("bad runs = %d; want 1", got)
		}
		stopAndWait(t, root, wait)
	})
}

// Reconfigure resolves a child supervisor's bound again: after a child
// with a long shutdown was added below it, the parent waits for the
// child supervisor's longer stop instead of abandoning it at the bound
// its first children gave.
func TestReconfigureResolvesChildSupervisorBound(t *testing.T) {
	bubble(t, func(t *testing.T) {
		release := make(chan struct{})
		hung := func() *fake {
			f := newFake()
			f.run = func(ctx context.Context, n int) error { <-release; return nil }
			f.stop = func(ctx context.Context, n int) error { <-release; return nil }
			return f
		}
		sub := supervisor.New("sub", supervisor.Config{}, C{Name: "a", Engine: hung(), Shutdown: time.Second})
		root := supervisor.New("root", supervisor.Config{}, C{Name: "sub", Engine: sub})
		wait := background(root)
		synctest.Wait()
		ctx := context.Background()
		if err := sub.AddChild(ctx, C{Name: "b", Engine: hung(), Shutdown: 5 * time.Second}); err != nil {
			t.Fatal(err)
		}
		if err := root.Reconfigure(ctx, supervisor.Config{}); err != nil {
			t.Fatalf("Reconfigure = %v; want nil", err)
		}
		start := time.Now()
		_ = root.TerminateChild(ctx, "sub")
		if got := time.Since(start); got != 6*time.Second {
			t.Errorf("the stop of sub took %v; want 6s (b's 5s, then a's 1s), within its new bound of 7s", got)
		}
		close(release)
		synctest.Wait()
		stopAndWait(t, root, wait)
	})
}

// A new strategy governs the next restart decision: after one_for_one
// becomes one_for_all, a crash of a restarts b too, in OTP's order.
// Nothing is restarted by the call itself.
func TestReconfigureStrategyGovernsNextDecision(t *testing.T) {
	bubble(t, func(t *testing.T) {
		rec := newRecorder()
		a, b := newFake(), newFake()
		cfg := supervisor.Config{Backoff: noBackoff, OnEvent: rec.on}
		sup := supervisor.New("root", cfg, C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		synctest.Wait()
		if ra, rb := a.runCount(), b.runCount(); ra != 2 || rb != 1 {
			t.Fatalf("one_for_one: runs = %d, %d; want 2, 1", ra, rb)
		}
		cfg.Strategy = supervisor.OneForAll
		if err := sup.Reconfigure(context.Background(), cfg); err != nil {
			t.Fatalf("Reconfigure = %v; want nil", err)
		}
		if ra, rb := a.runCount(), b.runCount(); ra != 2 || rb != 1 {
			t.Fatalf("runs after Reconfigure = %d, %d; want 2, 1 (nothing restarted)", ra, rb)
		}
		a.crash(errBoom)
		synctest.Wait()
		if ra, rb := a.runCount(), b.runCount(); ra != 3 || rb != 2 {
			t.Errorf("one_for_all: runs = %d, %d; want 3, 2 (b restarted with a)", ra, rb)
		}
		if err := sup.Reconfigure(context.Background(), supervisor.Config{Strategy: 9}); err == nil {
			t.Error("Reconfigure with an unknown strategy = nil; want a *ConfigError")
		}
		stopAndWait(t, sup, wait)
	})
}
