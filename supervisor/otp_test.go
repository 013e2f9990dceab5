package supervisor_test

// Ports of OTP's lib/stdlib/test/supervisor_SUITE.erl, end to end through
// the real shell, in fake time. Each test names the case it follows.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

const sec = time.Second

type C = supervisor.Child

// TestSupStartNormal follows sup_start_normal: children start in order,
// and a requested stop returns nil at once.
func TestSupStartNormal(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b := newFake(), readyFake()
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{OnEvent: rec.on}, C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
		wait := background(sup)
		synctest.Wait()
		sameLines(t, "states", states(sup), []string{"a=running", "b=running"})
		err, took := stopAndWait(t, sup, wait)
		if err != nil || took != 0 {
			t.Errorf("Run = %v after %v; want nil after 0s", err, took)
		}
		sameLines(t, "events", rec.lines(), []string{
			"0s started root/a", "0s ready root/a", "0s started root/b", "0s ready root/b",
			"0s shutdown root", "0s stopping root/b", "0s stopped root/b", "0s stopping root/a", "0s stopped root/a",
		})
		checkPaired(t, map[string]*fake{"a": a, "b": b})
	})
}

// TestSupStartFail follows sup_start_fail: a crash in a child's init is
// Run's error, with its stack; the children started before are stopped
// and the later ones never start.
func TestSupStartFail(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b, c := newFake(), readyFake(), newFake()
		b.run = func(ctx context.Context, n int) error { panic("init crash") }
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a}, C{Name: "b", Engine: b}, C{Name: "c", Engine: c})
		err, _ := background(sup)()
		var se *supervisor.StartError
		if !errors.As(err, &se) || se.Child != "root/b" || se.Supervisor != "root" {
			t.Fatalf("Run = %v; want a *StartError for root/b", err)
		}
		if !isA[*supervisor.StartError](err) {
			t.Errorf("errors.As(err, *StartError) = false; want true")
		}
		var pe *engine.PanicError
		if !errors.As(err, &pe) || pe.Value != "init crash" || !strings.Contains(pe.Stack(), "TestSupStartFail") {
			t.Errorf("Run = %v; want a *PanicError with the stack of the crash", err)
		}
		if got := c.runCount(); got != 0 {
			t.Errorf("c runs = %d; want 0", got)
		}
		checkPaired(t, map[string]*fake{"a": a, "b": b, "c": c})
	})
}

// TestSupStartChildReturnsError follows sup_start_child_returns_error: a
// child added at run time that fails to start is not kept.
func TestSupStartChildReturnsError(t *testing.T) {
	bubble(t, func(t *testing.T) {
		bad := readyFake()
		bad.run = func(ctx context.Context, n int) error { return errBoom }
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: newFake()})
		wait := background(sup)
		synctest.Wait()
		if err := sup.AddChild(context.Background(), C{Name: "bad", Engine: bad}); !errors.Is(err, errBoom) {
			t.Errorf("AddChild = %v; want %v", err, errBoom)
		}
		sameLines(t, "states", states(sup), []string{"a=running"})
		if err, _ := stopAndWait(t, sup, wait); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		checkPaired(t, map[string]*fake{"bad": bad})
	})
}

// TestSupStartRestartChildReturnsError follows
// sup_start_restart_child_returns_error: a restart asked for by name that
// fails leaves the child stopped, and its spec stays.
func TestSupStartRestartChildReturnsError(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := readyFake()
		a.run = func(ctx context.Context, n int) error {
			if n > 1 {
				return errBoom
			}
			engine.Ready(ctx)
			<-ctx.Done()
			return nil
		}
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a})
		wait := background(sup)
		synctest.Wait()
		ctx := context.Background()
		if err := sup.TerminateChild(ctx, "a"); err != nil {
			t.Fatalf("TerminateChild = %v", err)
		}
		if err := sup.RestartChild(ctx, "a"); !errors.Is(err, errBoom) {
			t.Errorf("RestartChild = %v; want %v", err, errBoom)
		}
		sameLines(t, "states", states(sup), []string{"a=stopped"})
		stopAndWait(t, sup, wait)
		checkPaired(t, map[string]*fake{"a": a})
	})
}

// hanging returns an engine whose Run ignores its context until release
// is closed; its Stop returns at once.
func hanging(release chan struct{}) *fake {
	f := newFake()
	f.run = func(ctx context.Context, n int) error { <-release; return nil }
	return f
}

// TestSupStopTimeout follows sup_stop_timeout: a child that ignores the
// stop is abandoned after exactly its shutdown timeout, and Run reports it
// by path.
func TestSupStopTimeout(t *testing.T) {
	bubble(t, func(t *testing.T) {
		release := make(chan struct{})
		a, b := newFake(), hanging(release)
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a}, C{Name: "b", Engine: b, Shutdown: 2 * sec})
		wait := background(sup)
		synctest.Wait()
		err, took := stopAndWait(t, sup, wait)
		var ste *supervisor.StopTimeoutError
		if !errors.As(err, &ste) || !slices.Equal(ste.Children, []string{"root/b"}) {
			t.Errorf("Run = %v; want a *StopTimeoutError listing root/b", err)
		}
		if took != 2*sec {
			t.Errorf("stop took %v; want 2s", took)
		}
		close(release)
		synctest.Wait()
		checkPaired(t, map[string]*fake{"a": a, "b": b})
	})
}

// TestSupStopBrutalKill follows sup_stop_brutal_kill: with a Zero
// shutdown timeout a child that does not stop at once is abandoned at
// once.
func TestSupStopBrutalKill(t *testing.T) {
	bubble(t, func(t *testing.T) {
		release := make(chan struct{})
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: hanging(release), Shutdown: supervisor.Zero})
		wait := background(sup)
		synctest.Wait()
		err, took := stopAndWait(t, sup, wait)
		if !isA[*supervisor.StopTimeoutError](err) || took != 0 {
			t.Errorf("Run = %v after %v; want a *StopTimeoutError after 0s", err, took)
		}
		close(release)
	})
}

// TestSupStopRace follows sup_stop_race: children that exit on their own
// during the shutdown, with every exit and restart type, neither hang it
// nor get restarted.
func TestSupStopRace(t *testing.T) {
	exits := map[string]func() error{
		"normal": func() error { return nil },
		"error":  func() error { return errBoom },
		"panic":  func() error { panic("late") },
	}
	for _, r := range []supervisor.Restart{supervisor.Permanent, supervisor.Transient, supervisor.Temporary} {
		for _, kind := range []string{"normal", "error", "panic"} {
			t.Run(r.String()+"/"+kind, func(t *testing.T) {
				bubble(t, func(t *testing.T) {
					begun := make(chan struct{})
					onEvent := func(ev supervisor.Event) {
						if ev.Kind == supervisor.EventShutdown {
							close(begun)
						}
					}
					// x and y exit on their own as the shutdown begins;
					// z, stopped first, takes a second to stop.
					mk := func() *fake {
						f := newFake()
						f.run = func(ctx context.Context, n int) error { <-begun; return exits[kind]() }
						return f
					}
					x, y := mk(), mk()
					zRelease := make(chan struct{})
					z := hanging(zRelease)
					z.stop = func(ctx context.Context, n int) error { time.Sleep(sec); close(zRelease); return nil }
					cfg := supervisor.Config{OnEvent: onEvent, Backoff: noBackoff}
					sup := supervisor.New("root", cfg, C{Name: "x", Engine: x, Restart: r}, C{Name: "y", Engine: y, Restart: r}, C{Name: "z", Engine: z})
					wait := background(sup)
					synctest.Wait()
					err, took := stopAndWait(t, sup, wait)
					if err != nil || took != sec {
						t.Errorf("Run = %v after %v; want nil after 1s", err, took)
					}
					for name, f := range map[string]*fake{"x": x, "y": y, "z": z} {
						if got := f.runCount(); got != 1 {
							t.Errorf("%s runs = %d; want 1", name, got)
						}
					}
					checkPaired(t, map[string]*fake{"x": x, "y": y, "z": z})
				})
			})
		}
	}
}

// TestChildAdm follows child_adm: the admin calls, their errors, and
// terminating a child is idempotent.
func TestChildAdm(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, tmp := newFake(), newFake()
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a}, C{Name: "t", Engine: tmp, Restart: supervisor.Temporary})
		ctx := context.Background()
		if err := sup.TerminateChild(ctx, "a"); !errors.Is(err, supervisor.ErrNotRunning) {
			t.Errorf("TerminateChild before Run = %v; want ErrNotRunning", err)
		}
		wait := background(sup)
		synctest.Wait()
		n := newFake()
		steps := []struct {
			name string
			call func() error
			want error
			st   []string
		}{
			{"terminate unknown", func() error { return sup.TerminateChild(ctx, "nope") }, supervisor.ErrNotFound, nil},
			{"restart unknown", func() error { return sup.RestartChild(ctx, "nope") }, supervisor.ErrNotFound, nil},
			{"delete unknown", func() error { return sup.DeleteChild(ctx, "nope") }, supervisor.ErrNotFound, nil},
			{"add duplicate", func() error { return sup.AddChild(ctx, C{Name: "a", Engine: newFake()}) }, supervisor.ErrAlreadyExists, nil},
			{"add invalid", func() error { return sup.AddChild(ctx, C{Name: "x/y"}) }, errInvalidConfig, nil},
			{"restart running", func() error { return sup.RestartChild(ctx, "a") }, supervisor.ErrNotStopped, nil},
			{"delete running", func() error { return sup.DeleteChild(ctx, "a") }, supervisor.ErrNotStopped, nil},
			{"terminate", func() error { return sup.TerminateChild(ctx, "a") }, nil, []string{"a=stopped", "t=running"}},
			{"terminate again", func() error { return sup.TerminateChild(ctx, "a") }, nil, []string{"a=stopped", "t=running"}},
			{"restart", func() error { return sup.RestartChild(ctx, "a") }, nil, []string{"a=running", "t=running"}},
			{"terminate temporary", func() error { return sup.TerminateChild(ctx, "t") }, nil, []string{"a=running"}},
			{"add", func() error { return sup.AddChild(ctx, C{Name: "n", Engine: n}) }, nil, []string{"a=running", "n=running"}},
			{"terminate to delete", func() error { return sup.TerminateChild(ctx, "a") }, nil, []string{"a=stopped", "n=running"}},
			{"delete", func() error { return sup.DeleteChild(ctx, "a") }, nil, []string{"n=running"}},
			{"delete again", func() error { return sup.DeleteChild(ctx, "a") }, supervisor.ErrNotFound, []string{"n=running"}},
		}
		for _, st := range steps {
			start := time.Now()
			if err := st.call(); !errors.Is(err, st.want) && (st.want != errInvalidConfig || !isA[*supervisor.ConfigError](err)) {
				t.Errorf("%s = %v; want %v", st.name, err, st.want)
			}
			if took := time.Since(start); took != 0 {
				t.Errorf("%s took %v; want 0s", st.name, took)
			}
			if st.st != nil {
				sameLines(t, st.name, states(sup), st.st)
			}
		}
		if err, _ := stopAndWait(t, sup, wait); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		if err := sup.AddChild(ctx, C{Name: "late", Engine: newFake()}); !errors.Is(err, supervisor.ErrNotRunning) {
			t.Errorf("AddChild after Run = %v; want ErrNotRunning", err)
		}
		checkPaired(t, map[string]*fake{"a": a, "t": tmp, "n": n})
		if got := a.runCount(); got != 2 {
			t.Errorf("a runs = %d; want 2", got)
		}
	})
}

// TestSupFlags follows sup_flags and child_specs_map: every invalid value
// is reported, by path, in one *ConfigError, and nothing starts.
func TestSupFlags(t *testing.T) {
	bubble(t, func(t *testing.T) {
		ok := newFake()
		sub := supervisor.New("sub", supervisor.Config{Strategy: 4}, C{Name: "", Engine: newFake()})
		sup := supervisor.New("root", supervisor.Config{
			Strategy: 7, AutoShutdown: 9, Period: -sec,
			Backoff: supervisor.Backoff{Multiplier: 0.5, Jitter: 1.5, Initial: 2 * sec, Max: sec},
		},
			C{Name: "ok", Engine: ok},
			C{Name: "ok", Engine: newFake()},
			C{Name: "a/b", Engine: newFake()},
			C{Name: "nil"},
			C{Name: "bad-restart", Engine: newFake(), Restart: 5},
			C{Name: "sig", Engine: newFake(), Significant: true},
			C{Name: "sub", Engine: sub},
		)
		want := []string{
			"root: Strategy: unknown strategy 7",
			"root: AutoShutdown: unknown value 9",
			"root: Period: -1s is negative",
			"root: Backoff.Multiplier: 0.5",
			"root: Backoff.Jitter: 1.5",
			"root: Backoff: Initial 2s is above Max 1s",
			"root: ok: duplicate child name",
			`root: a/b: Name: found "a/b", expected a name without "/"`,
			"root: nil: Engine is nil",
			"root: bad-restart: Restart: unknown restart type 5",
			"root: sig: Significant: a permanent child cannot be significant",
			"root/sub: Strategy: unknown strategy 4",
			"root/sub: children[0]: Name is empty",
		}
		start := time.Now()
		err := sup.Run(context.Background())
		var ce *supervisor.ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("Run = %v; want a *ConfigError", err)
		}
		if len(ce.Problems) != len(want) {
			t.Errorf("%d problems; want %d:\n%s", len(ce.Problems), len(want), strings.Join(ce.Problems, "\n"))
		}
		for _, w := range want {
			if !slices.ContainsFunc(ce.Problems, func(p string) bool { return strings.HasPrefix(p, w) }) {
				t.Errorf("no problem starts with %q; got:\n%s", w, strings.Join(ce.Problems, "\n"))
			}
		}
		if got := ok.runCount(); got != 0 || time.Since(start) != 0 {
			t.Errorf("ok ran %d times; want 0", got)
		}
		if err := sup.Validate(); err == nil {
			t.Errorf("Validate = nil; want the same error")
		}
	})
}

// TestMultipleRestarts follows multiple_restarts: failures spaced wider
// than the period never add up to the intensity.
func TestMultipleRestarts(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		a.run = func(ctx context.Context, n int) error {
			if n <= 5 {
				time.Sleep(6 * sec)
				return errBoom
			}
			<-ctx.Done()
			return nil
		}
		sup := supervisor.New("root", supervisor.Config{Intensity: 1, Period: 5 * sec, Backoff: noBackoff}, C{Name: "a", Engine: a})
		wait := background(sup)
		time.Sleep(31 * sec)
		synctest.Wait()
		if got := sup.Snapshot().Children[0].Restarts; got != 5 {
			t.Errorf("restarts = %d; want 5", got)
		}
		if err, _ := stopAndWait(t, sup, wait); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		checkPaired(t, map[string]*fake{"a": a})
	})
}

// TestOneForOne follows one_for_one: with intensity 2, the third crash in
// the period ends the supervisor; the sibling is not restarted meanwhile.
func TestOneForOne(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b := newFake(), newFake()
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Intensity: 2, Period: 5 * sec, Backoff: noBackoff, OnEvent: rec.on},
			C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
		wait := background(sup)
		a.crash(errBoom)
		a.panicRun("crash")
		synctest.Wait()
		if got, want := a.runCount(), 3; got != want {
			t.Errorf("a runs = %d; want %d", got, want)
		}
		a.crash(errBoom)
		err, took := wait()
		var ge *supervisor.GaveUpError
		if !errors.As(err, &ge) || ge.Child != "root/a" || !errors.Is(err, errBoom) || !isA[*supervisor.GaveUpError](err) {
			t.Errorf("Run = %v; want a *GaveUpError for root/a wrapping boom", err)
		}
		if took != 0 {
			t.Errorf("Run took %v; want 0s", took)
		}
		if got := b.runCount(); got != 1 {
			t.Errorf("b runs = %d; want 1", got)
		}
		sameLines(t, "restarts", rec.lines(supervisor.EventRestarting, supervisor.EventGaveUp), []string{
			"0s restarting root/a", "0s restarting root/a", "0s gave_up root",
		})
		checkPaired(t, map[string]*fake{"a": a, "b": b})
	})
}

// TestOneForOneEscalation follows one_for_one_escalation: a child
// supervisor that exceeds its intensity stops its children and fails, and
// its parent restarts it.
func TestOneForOneEscalation(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b := newFake(), newFake()
		rec := newRecorder()
		sub := supervisor.New("sub", supervisor.Config{Intensity: 1, Backoff: noBackoff, OnEvent: rec.on},
			C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
		root := supervisor.New("root", supervisor.Config{Backoff: noBackoff, OnEvent: rec.on}, C{Name: "sub", Engine: sub})
		wait := background(root)
		a.crash(errBoom)
		a.crash(errBoom)
		synctest.Wait()
		sameLines(t, "escalation", rec.lines(supervisor.EventGaveUp, supervisor.EventExited, supervisor.EventRestarting), []string{
			"0s exited root/sub/a", "0s restarting root/sub/a",
			"0s exited root/sub/a", "0s gave_up root/sub",
			"0s exited root/sub", "0s restarting root/sub",
		})
		if ar, br := a.runCount(), b.runCount(); ar != 3 || br != 2 {
			t.Errorf("runs a = %d, b = %d; want 3, 2", ar, br)
		}
		sameLines(t, "sub states", states(sub), []string{"a=running", "b=running"})
		if err, _ := stopAndWait(t, root, wait); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		checkPaired(t, map[string]*fake{"a": a, "b": b})
	})
}

// groupOf returns three ready-reporting children a, b, c.
func groupOf() (map[string]*fake, []C) {
	fakes := map[string]*fake{}
	var kids []C
	for _, name := range []string{"a", "b", "c"} {
		f := readyFake()
		fakes[name] = f
		kids = append(kids, C{Name: name, Engine: f})
	}
	return fakes, kids
}

var orderKinds = []supervisor.EventKind{supervisor.EventStarted, supervisor.EventStopping}

// TestOneForAll follows one_for_all: the others stop last first, then all
// start in order; the restart counts once, and the next one over the
// intensity ends the supervisor.
func TestOneForAll(t *testing.T) {
	bubble(t, func(t *testing.T) {
		fakes, kids := groupOf()
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Strategy: supervisor.OneForAll, Intensity: 1, Backoff: noBackoff, OnEvent: rec.on}, kids...)
		wait := background(sup)
		synctest.Wait()
		rec.evs = nil
		fakes["b"].crash(errBoom)
		synctest.Wait()
		sameLines(t, "restart", rec.lines(orderKinds...), []string{
			"0s stopping root/c", "0s stopping root/a", "0s started root/a", "0s started root/b", "0s started root/c",
		})
		fakes["a"].crash(errBoom)
		err, _ := wait()
		var ge *supervisor.GaveUpError
		if !errors.As(err, &ge) || ge.Child != "root/a" {
			t.Errorf("Run = %v; want a *GaveUpError for root/a", err)
		}
		checkPaired(t, fakes)
	})
}

// TestOneForAllOtherChildFailsRestart follows
// one_for_all_other_child_fails_restart: when a sibling fails to start
// during the group restart, the ones after it are not started, and the
// retry restarts the whole group.
func TestOneForAllOtherChildFailsRestart(t *testing.T) {
	bubble(t, func(t *testing.T) {
		fakes, kids := groupOf()
		fakes["b"].run = failsOnRun(2)
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Strategy: supervisor.OneForAll, Intensity: 5, Backoff: noBackoff, OnEvent: rec.on}, kids...)
		wait := background(sup)
		synctest.Wait()
		rec.evs = nil
		fakes["c"].crash(errBoom)
		synctest.Wait()
		sameLines(t, "restart", rec.lines(append(orderKinds, supervisor.EventStartFailed)...), []string{
			"0s stopping root/b", "0s stopping root/a", "0s started root/a", "0s started root/b", "0s start_failed root/b",
			"0s stopping root/a", "0s started root/a", "0s started root/b", "0s started root/c",
		})
		sameLines(t, "states", states(sup), []string{"a=running", "b=running", "c=running"})
		stopAndWait(t, sup, wait)
		checkPaired(t, fakes)
	})
}

// failsOnRun returns a Run that fails before it is ready on run n, and
// otherwise reports ready and waits.
func failsOnRun(fail int) func(ctx context.Context, n int) error {
	return func(ctx context.Context, n int) error {
		if n == fail {
			return errBoom
		}
		engine.Ready(ctx)
		<-ctx.Done()
		return nil
	}
}

// TestRestForOne follows rest_for_one: the children after the failed one
// stop last first, then it and they start in order.
func TestRestForOne(t *testing.T) {
	bubble(t, func(t *testing.T) {
		fakes, kids := groupOf()
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Strategy: supervisor.RestForOne, Backoff: noBackoff, OnEvent: rec.on}, kids...)
		wait := background(sup)
		synctest.Wait()
		rec.evs = nil
		fakes["b"].crash(errBoom)
		synctest.Wait()
		sameLines(t, "restart", rec.lines(orderKinds...), []string{
			"0s stopping root/c", "0s started root/b", "0s started root/c",
		})
		if got := fakes["a"].runCount(); got != 1 {
			t.Errorf("a runs = %d; want 1", got)
		}
		stopAndWait(t, sup, wait)
		checkPaired(t, fakes)
	})
}

// TestRestForOneOtherChildFailsRestart follows
// rest_for_one_other_child_fails_restart: the retry starts from the child
// that failed to start.
func TestRestForOneOtherChildFailsRestart(t *testing.T) {
	bubble(t, func(t *testing.T) {
		fakes, kids := groupOf()
		fakes["b"].run = failsOnRun(2)
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Strategy: supervisor.RestForOne, Backoff: noBackoff, OnEvent: rec.on}, kids...)
		wait := background(sup)
		synctest.Wait()
		rec.evs = nil
		fakes["a"].crash(errBoom)
		synctest.Wait()
		sameLines(t, "restart", rec.lines(append(orderKinds, supervisor.EventStartFailed)...), []string{
			"0s stopping root/c", "0s stopping root/b", "0s started root/a", "0s started root/b", "0s start_failed root/b",
			"0s started root/b", "0s started root/c",
		})
		sameLines(t, "states", states(sup), []string{"a=running", "b=running", "c=running"})
		stopAndWait(t, sup, wait)
		checkPaired(t, fakes)
	})
}

// TestRestartTypeMatrix follows the restart-type cases of the suite
// (permanent_normal, transient_shutdown, temporary_abnormal, ...): the 3×3
// table of restart types and ways to end. "shutdown" is an end the
// supervisor itself caused (TerminateChild), OTP's shutdown exit.
func TestRestartTypeMatrix(t *testing.T) {
	type want struct {
		restarted bool
		kept      bool
	}
	tests := []struct {
		restart supervisor.Restart
		normal  want
		stopped want
		failed  want
	}{
		{supervisor.Permanent, want{true, true}, want{false, true}, want{true, true}},
		{supervisor.Transient, want{false, true}, want{false, true}, want{true, true}},
		{supervisor.Temporary, want{false, false}, want{false, false}, want{false, false}},
	}
	for _, tt := range tests {
		for _, end := range []string{"normal", "shutdown", "abnormal"} {
			w := map[string]want{"normal": tt.normal, "shutdown": tt.stopped, "abnormal": tt.failed}[end]
			t.Run(tt.restart.String()+"/"+end, func(t *testing.T) {
				bubble(t, func(t *testing.T) {
					a, other := newFake(), newFake()
					sup := supervisor.New("root", supervisor.Config{Backoff: noBackoff},
						C{Name: "other", Engine: other}, C{Name: "a", Engine: a, Restart: tt.restart})
					wait := background(sup)
					synctest.Wait()
					switch end {
					case "normal":
						a.crash(nil)
					case "shutdown":
						if err := sup.TerminateChild(context.Background(), "a"); err != nil {
							t.Fatalf("TerminateChild = %v", err)
						}
					case "abnormal":
						a.crash(errBoom)
					}
					synctest.Wait()
					if got := a.runCount() == 2; got != w.restarted {
						t.Errorf("restarted = %v; want %v", got, w.restarted)
					}
					snap := sup.Snapshot()
					kept := slices.ContainsFunc(snap.Children, func(c supervisor.ChildStatus) bool { return c.Name == "a" })
					if kept != w.kept {
						t.Errorf("kept = %v; want %v", kept, w.kept)
					}
					if err, _ := stopAndWait(t, sup, wait); err != nil {
						t.Errorf("Run = %v; want nil", err)
					}
					checkPaired(t, map[string]*fake{"a": a, "other": other})
				})
			})
		}
	}
}

// TestChildUnlink follows child_unlink: a child that detached itself from
// its supervisor (its Run ignores cancellation, its Stop fails) cannot
// hang the supervisor: it is abandoned after its timeout.
func TestChildUnlink(t *testing.T) {
	bubble(t, func(t *testing.T) {
		release := make(chan struct{})
		a := hanging(release)
		a.stop = func(ctx context.Context, n int) error { return errors.New("not linked") }
		sup := supervisor.New("root", supervisor.Config{Shutdown: 3 * sec}, C{Name: "a", Engine: a})
		wait := background(sup)
		synctest.Wait()
		err, took := stopAndWait(t, sup, wait)
		if !isA[*supervisor.StopTimeoutError](err) || took != 3*sec {
			t.Errorf("Run = %v after %v; want a *StopTimeoutError after 3s", err, took)
		}
		close(release)
	})
}

// TestTree follows tree: nested supervisors; a child supervisor that gives
// up is restarted by its parent with all its children, the other subtree
// is untouched, and the whole tree stops last first.
func TestTree(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b, c := newFake(), newFake(), newFake()
		rec := newRecorder()
		cfg := supervisor.Config{Backoff: noBackoff, OnEvent: rec.on}
		sub1cfg := cfg
		sub1cfg.Intensity = supervisor.Zero
		sub1 := supervisor.New("sub1", sub1cfg, C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
		sub2 := supervisor.New("sub2", cfg, C{Name: "c", Engine: c})
		root := supervisor.New("root", cfg, C{Name: "sub1", Engine: sub1}, C{Name: "sub2", Engine: sub2})
		wait := background(root)
		synctest.Wait()
		a.crash(errBoom)
		synctest.Wait()
		if ar, br, cr := a.runCount(), b.runCount(), c.runCount(); ar != 2 || br != 2 || cr != 1 {
			t.Errorf("runs a, b, c = %d, %d, %d; want 2, 2, 1", ar, br, cr)
		}
		if got, want := a.paths, []string{"root/sub1/a", "root/sub1/a"}; !slices.Equal(got, want) {
			t.Errorf("a's paths = %v; want %v", got, want)
		}
		rec.evs = nil
		if err, _ := stopAndWait(t, root, wait); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		sameLines(t, "stop order", rec.lines(supervisor.EventStopped), []string{
			"0s stopped root/sub2/c", "0s stopped root/sub2", "0s stopped root/sub1/b", "0s stopped root/sub1/a", "0s stopped root/sub1",
		})
		checkPaired(t, map[string]*fake{"a": a, "b": b, "c": c})
	})
}

// TestTemporaryBystander follows temporary_bystander: a temporary child
// stopped by a sibling's group restart is removed, not restarted.
func TestTemporaryBystander(t *testing.T) {
	for _, strategy := range []supervisor.Strategy{supervisor.OneForAll, supervisor.RestForOne} {
		t.Run(strategy.String(), func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				a, tmp := newFake(), newFake()
				sup := supervisor.New("root", supervisor.Config{Strategy: strategy, Backoff: noBackoff},
					C{Name: "a", Engine: a}, C{Name: "t", Engine: tmp, Restart: supervisor.Temporary})
				wait := background(sup)
				synctest.Wait()
				a.crash(errBoom)
				synctest.Wait()
				sameLines(t, "states", states(sup), []string{"a=running"})
				if got := tmp.runCount(); got != 1 {
					t.Errorf("t runs = %d; want 1", got)
				}
				stopAndWait(t, sup, wait)
				checkPaired(t, map[string]*fake{"a": a, "t": tmp})
			})
		})
	}
}

// TestHangingRestartLoop follows hanging_restart_loop: while a child's
// restart keeps failing, the supervisor answers admin calls and snapshots
// at once, and a stop ends it at once.
func TestHangingRestartLoop(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b := readyFake(), newFake()
		a.run = func(ctx context.Context, n int) error {
			if n == 1 {
				engine.Ready(ctx)
				<-ctx.Done()
				return errBoom
			}
			return errBoom
		}
		bo := supervisor.Backoff{Initial: sec, Multiplier: 1, Jitter: supervisor.Zero}
		sup := supervisor.New("root", supervisor.Config{Intensity: 100, Period: sec, Backoff: bo},
			C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
		wait := background(sup)
		synctest.Wait()
		a.mu.Lock()
		cancel := a.cancel
		a.mu.Unlock()
		cancel() // the first run fails
		time.Sleep(3*sec + sec/2)
		start := time.Now()
		if err := sup.TerminateChild(context.Background(), "b"); err != nil {
			t.Errorf("TerminateChild = %v; want nil", err)
		}
		snap := sup.Snapshot()
		if got := snap.Children[0]; got.State != supervisor.StateBackingOff || got.Restarts != 4 || got.BackoffLeft != sec/2 {
			t.Errorf("a = %v, %d restarts, %v left; want backing_off, 4, 500ms", got.State, got.Restarts, got.BackoffLeft)
		}
		if took := time.Since(start); took != 0 {
			t.Errorf("admin calls took %v; want 0s", took)
		}
		err, took := stopAndWait(t, sup, wait)
		if err != nil || took != 0 {
			t.Errorf("Run = %v after %v; want nil after 0s", err, took)
		}
		checkPaired(t, map[string]*fake{"a": a, "b": b})
	})
}

// TestOrderOfChildren follows order_of_children: each child starts after
// the previous one is ready, and they stop last first, each after the
// previous one stopped.
func TestOrderOfChildren(t *testing.T) {
	bubble(t, func(t *testing.T) {
		rec := newRecorder()
		var kids []C
		fakes := map[string]*fake{}
		for _, name := range []string{"a", "b", "c"} {
			f := readyFake()
			f.run = func(ctx context.Context, n int) error {
				time.Sleep(sec)
				engine.Ready(ctx)
				<-ctx.Done()
				return nil
			}
			f.stop = func(ctx context.Context, n int) error { time.Sleep(sec); return nil }
			fakes[name] = f
			kids = append(kids, C{Name: name, Engine: f})
		}
		sup := supervisor.New("root", supervisor.Config{OnEvent: rec.on}, kids...)
		wait := background(sup)
		time.Sleep(3 * sec)
		synctest.Wait()
		stopAndWait(t, sup, wait)
		sameLines(t, "order", rec.lines(supervisor.EventStarted, supervisor.EventReady, supervisor.EventStopping, supervisor.EventStopped), []string{
			"0s started root/a", "1s ready root/a", "1s started root/b", "2s ready root/b", "2s started root/c", "3s ready root/c",
			"3s stopping root/c", "4s stopped root/c", "4s stopping root/b", "5s stopped root/b", "5s stopping root/a", "6s stopped root/a",
		})
		checkPaired(t, fakes)
	})
}

// TestWhichChildren follows which_children: the snapshot lists every
// child in start order with its state.
func TestWhichChildren(t *testing.T) {
	bubble(t, func(t *testing.T) {
		c := newFake()
		sub := supervisor.New("sub", supervisor.Config{}, C{Name: "x", Engine: newFake()})
		sup := supervisor.New("root", supervisor.Config{Backoff: supervisor.Backoff{Initial: 10 * sec, Jitter: supervisor.Zero}},
			C{Name: "a", Engine: newFake()}, C{Name: "b", Engine: newFake()}, C{Name: "c", Engine: c}, C{Name: "sub", Engine: sub})
		wait := background(sup)
		synctest.Wait()
		if err := sup.TerminateChild(context.Background(), "b"); err != nil {
			t.Fatal(err)
		}
		c.crash(errBoom)
		synctest.Wait()
		snap := sup.Tree(context.Background())
		var got []string
		for _, ch := range snap.Children {
			got = append(got, ch.Path+"="+ch.State.String())
		}
		sameLines(t, "children", got, []string{"root/a=running", "root/b=stopped", "root/c=backing_off", "root/sub=running"})
		if cs := snap.Children[2]; cs.BackoffLeft != 10*sec || cs.Restarts != 1 || cs.LastExit != supervisor.ExitFailed || !errors.Is(cs.LastErr, errBoom) {
			t.Errorf("c = %+v; want 10s left, 1 restart, last exit error boom", cs)
		}
		if s := snap.Children[3].Sub; s == nil || len(s.Children) != 1 || s.Children[0].Path != "root/sub/x" {
			t.Errorf("sub's snapshot = %+v; want root/sub/x", s)
		}
		stopAndWait(t, sup, wait)
		if last := sup.Snapshot(); last == nil || last.Running {
			t.Errorf("snapshot after Run = %+v; want one that is not running", last)
		}
	})
}

// TestCountChildren follows count_children: counts by kind and state,
// from the snapshot.
func TestCountChildren(t *testing.T) {
	bubble(t, func(t *testing.T) {
		sub := supervisor.New("sub", supervisor.Config{}, C{Name: "x", Engine: newFake()})
		sup := supervisor.New("root", supervisor.Config{},
			C{Name: "a", Engine: newFake()}, C{Name: "b", Engine: newFake()}, C{Name: "sub", Engine: sub})
		wait := background(sup)
		synctest.Wait()
		if err := sup.TerminateChild(context.Background(), "b"); err != nil {
			t.Fatal(err)
		}
		var specs, active, supervisors, workers int
		for _, c := range sup.Snapshot().Children {
			specs++
			if c.State == supervisor.StateRunning {
				active++
			}
			if _, ok := c.Engine.(*supervisor.Supervisor); ok {
				supervisors++
			} else {
				workers++
			}
		}
		if specs != 3 || active != 2 || supervisors != 1 || workers != 2 {
			t.Errorf("specs, active, supervisors, workers = %d, %d, %d, %d; want 3, 2, 1, 2", specs, active, supervisors, workers)
		}
		stopAndWait(t, sup, wait)
	})
}

// TestSignificantTemporary follows significant_temporary: the exit of a
// significant temporary child shuts the supervisor down.
func TestSignificantTemporary(t *testing.T) {
	for _, auto := range []supervisor.AutoShutdown{supervisor.AnySignificant, supervisor.AllSignificant} {
		t.Run(auto.String(), func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				a, s := newFake(), newFake()
				sup := supervisor.New("root", supervisor.Config{AutoShutdown: auto},
					C{Name: "a", Engine: a}, C{Name: "s", Engine: s, Restart: supervisor.Temporary, Significant: true})
				wait := background(sup)
				synctest.Wait()
				s.crash(errBoom)
				err, took := wait()
				var ase *supervisor.AutoShutdownError
				if !errors.As(err, &ase) || !errors.Is(err, errBoom) || ase.Child != "root/s" || took != 0 {
					t.Errorf("Run = %v after %v; want an *AutoShutdownError for root/s carrying %v after 0s", err, took, errBoom)
				}
				checkPaired(t, map[string]*fake{"a": a, "s": s})
			})
		})
	}
}

// TestSignificantTransient follows significant_transient: a significant
// transient child that fails is restarted; its normal exit shuts the
// supervisor down.
func TestSignificantTransient(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, s := newFake(), newFake()
		sup := supervisor.New("root", supervisor.Config{AutoShutdown: supervisor.AnySignificant, Backoff: noBackoff},
			C{Name: "a", Engine: a}, C{Name: "s", Engine: s, Restart: supervisor.Transient, Significant: true})
		wait := background(sup)
		s.crash(errBoom)
		synctest.Wait()
		if got := s.runCount(); got != 2 {
			t.Errorf("s runs = %d; want 2", got)
		}
		s.crash(nil)
		if err, _ := wait(); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		checkPaired(t, map[string]*fake{"a": a, "s": s})
	})
}

// TestSignificantBystander follows significant_bystander: a significant
// child stopped as the bystander of a group restart does not shut the
// supervisor down.
func TestSignificantBystander(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, s := newFake(), newFake()
		sup := supervisor.New("root", supervisor.Config{Strategy: supervisor.OneForAll, AutoShutdown: supervisor.AnySignificant, Backoff: noBackoff},
			C{Name: "a", Engine: a}, C{Name: "s", Engine: s, Restart: supervisor.Transient, Significant: true})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		synctest.Wait()
		sameLines(t, "states", states(sup), []string{"a=running", "s=running"})
		if err := sup.TerminateChild(context.Background(), "s"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := sup.Snapshot().Running; !got {
			t.Errorf("running = false after terminating a significant child; want true")
		}
		stopAndWait(t, sup, wait)
		checkPaired(t, map[string]*fake{"a": a, "s": s})
	})
}

// TestSignificantEscalationCarriesError: the error of the significant
// child that shut a child supervisor down reaches the root's error, and
// the parent treats the child supervisor's end as normal (a transient
// child supervisor is not restarted).
func TestSignificantEscalationCarriesError(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, s, other := newFake(), newFake(), newFake()
		sub := supervisor.New("sub", supervisor.Config{AutoShutdown: supervisor.AnySignificant},
			C{Name: "a", Engine: a}, C{Name: "s", Engine: s, Restart: supervisor.Temporary, Significant: true})
		root := supervisor.New("root", supervisor.Config{AutoShutdown: supervisor.AnySignificant},
			C{Name: "other", Engine: other}, C{Name: "sub", Engine: sub, Restart: supervisor.Transient, Significant: true})
		wait := background(root)
		synctest.Wait()
		s.crash(errBoom)
		err, _ := wait()
		var ase *supervisor.AutoShutdownError
		if !errors.As(err, &ase) || ase.Child != "root/sub" || !errors.Is(err, errBoom) {
			t.Errorf("Run = %v; want an *AutoShutdownError for root/sub carrying %v", err, errBoom)
		}
		if got := s.runCount(); got != 1 {
			t.Errorf("s runs = %d; want 1", got)
		}
		checkPaired(t, map[string]*fake{"a": a, "s": s, "other": other})
	})
}

// TestSignificantEscalation follows significant_escalation: a child
// supervisor that shut down on its significant child is a significant
// child of its parent, which shuts down in turn.
func TestSignificantEscalation(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, s, other := newFake(), newFake(), newFake()
		rec := newRecorder()
		sub := supervisor.New("sub", supervisor.Config{AutoShutdown: supervisor.AnySignificant, OnEvent: rec.on},
			C{Name: "a", Engine: a}, C{Name: "s", Engine: s, Restart: supervisor.Temporary, Significant: true})
		root := supervisor.New("root", supervisor.Config{AutoShutdown: supervisor.AnySignificant, OnEvent: rec.on},
			C{Name: "other", Engine: other}, C{Name: "sub", Engine: sub, Restart: supervisor.Transient, Significant: true})
		wait := background(root)
		synctest.Wait()
		s.crash(nil)
		if err, _ := wait(); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		sameLines(t, "shutdowns", rec.lines(supervisor.EventShutdown), []string{"0s shutdown root/sub", "0s shutdown root"})
		checkPaired(t, map[string]*fake{"a": a, "s": s, "other": other})
	})
}
