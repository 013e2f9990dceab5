package sutureengine_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/thejerf/suture/v4"
	"go.uber.org/goleak"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/engine/sutureengine"
	"github.com/arborgo/arbor/supervisor"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// journal records lines from several goroutines, in order.
type journal struct {
	mu    sync.Mutex
	lines []string
}

func (j *journal) add(format string, args ...any) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lines = append(j.lines, fmt.Sprintf(format, args...))
}

func (j *journal) list() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.lines)
}

func (j *journal) with(prefix string) []string {
	var out []string
	for _, l := range j.list() {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// svc is a suture service made of a function, with a name for its logs.
type svc struct {
	name  string
	serve func(ctx context.Context) error
}

func (s *svc) Serve(ctx context.Context) error { return s.serve(ctx) }
func (s *svc) String() string                  { return s.name }

// idle is a well-behaved service that runs until its context ends.
func idle(name string, j *journal) *svc {
	return &svc{name: name, serve: func(ctx context.Context) error {
		j.add("start %s", name)
		<-ctx.Done()
		j.add("stop %s", name)
		return ctx.Err()
	}}
}

// quietSpec is a suture spec that logs to the test and waits briefly.
func quietSpec(t *testing.T, j *journal) suture.Spec {
	return suture.Spec{
		Timeout:       100 * time.Millisecond,
		BackoffJitter: suture.NoJitter{},
		EventHook: func(e suture.Event) {
			if j != nil {
				j.add("suture %v", e.Type())
			}
			t.Log("suture:", e)
		},
	}
}

// arborWorker is an arbor engine that records its start and stop.
func arborWorker(name string, j *journal) engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error {
		j.add("start %s", name)
		<-ctx.Done()
		j.add("stop %s", name)
		return nil
	})
}

// events records arbor events as "kind path exit".
func (j *journal) event(ev supervisor.Event) {
	line := fmt.Sprintf("event %s %s", ev.Kind, ev.Path)
	if ev.Kind == supervisor.EventExited || ev.Kind == supervisor.EventRestarting {
		line += " " + ev.Exit.String()
	}
	j.add("%s", line)
}

// An arbor tree under a suture supervisor: suture cancels it, and arbor
// stops its children one at a time, last started first.
func TestArborTreeUnderSuture(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var j journal
		tree := supervisor.New("arbor", supervisor.Config{},
			supervisor.Child{Name: "a", Engine: arborWorker("a", &j)},
			supervisor.Child{Name: "b", Engine: arborWorker("b", &j)},
			supervisor.Child{Name: "c", Engine: arborWorker("c", &j)},
		)
		as := sutureengine.AsService(tree, 0)
		if got := fmt.Sprint(as); got != "arbor" {
			t.Errorf("String() = %q; want arbor", got)
		}
		root := suture.New("root", quietSpec(t, nil))
		root.Add(idle("plain", &j))
		root.Add(as)
		ctx, cancel := context.WithCancel(context.Background())
		errc := root.ServeBackground(ctx)
		synctest.Wait()
		if got := tree.Snapshot(); got == nil || !got.Running || len(got.Children) != 3 {
			t.Fatalf("arbor tree not running under suture: %+v", got)
		}
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("suture Serve = %v", err)
		}
		report, _ := root.UnstoppedServiceReport()
		if len(report) != 0 {
			t.Errorf("unstopped: %v", report)
		}
		got := j.with("stop ")
		got = slices.DeleteFunc(got, func(s string) bool { return s == "stop plain" })
		if want := []string{"stop c", "stop b", "stop a"}; !slices.Equal(got, want) {
			t.Errorf("arbor stop order = %v; want %v", got, want)
		}
	})
}

// An arbor engine that ends on its own with nil is not restarted by
// suture; one that fails is, under suture's policy.
func TestAsServiceExitMapping(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var done, failed, stops atomic.Int32
		finisher := &stopCounter{Engine: engine.FromFunc(func(context.Context) error { done.Add(1); return nil }), stops: &stops}
		failer := engine.FromFunc(func(ctx context.Context) error {
			if failed.Add(1) < 3 {
				return errors.New("boom")
			}
			<-ctx.Done()
			return nil
		})
		root := suture.New("root", quietSpec(t, nil))
		root.Add(sutureengine.AsService(finisher, 0))
		root.Add(sutureengine.AsService(failer, 0))
		ctx, cancel := context.WithCancel(context.Background())
		errc := root.ServeBackground(ctx)
		time.Sleep(time.Second)
		synctest.Wait()
		if n := done.Load(); n != 1 {
			t.Errorf("finisher ran %d times; want 1 (ErrDoNotRestart)", n)
		}
		if n := stops.Load(); n != 1 {
			t.Errorf("finisher stopped %d times; want 1 (Stop after every exit)", n)
		}
		if n := failed.Load(); n != 3 {
			t.Errorf("failer ran %d times; want 3 (restarted by suture)", n)
		}
		cancel()
		<-errc
	})
}

type stopCounter struct {
	engine.Engine
	stops *atomic.Int32
}

func (s *stopCounter) Stop(ctx context.Context) error {
	s.stops.Add(1)
	return s.Engine.Stop(ctx)
}

// A panic in an arbor engine under suture reaches suture as a panic, with
// the engine's stack, after the engine's Stop.
func TestAsServicePanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var j journal
		var runs, stops atomic.Int32
		e := &stopCounter{Engine: engine.FromFunc(func(ctx context.Context) error {
			if runs.Add(1) == 1 {
				panic("kaboom")
			}
			<-ctx.Done()
			return nil
		}), stops: &stops}
		var panicMsg atomic.Value
		spec := quietSpec(t, &j)
		spec.EventHook = func(ev suture.Event) {
			if p, ok := ev.(suture.EventServicePanic); ok {
				panicMsg.Store(p.PanicMsg)
			}
		}
		root := suture.New("root", spec)
		root.Add(sutureengine.AsService(e, 0))
		ctx, cancel := context.WithCancel(context.Background())
		errc := root.ServeBackground(ctx)
		synctest.Wait()
		if runs.Load() != 2 || stops.Load() != 1 {
			t.Errorf("runs = %d, stops = %d; want 2, 1", runs.Load(), stops.Load())
		}
		msg, _ := panicMsg.Load().(string)
		if !strings.Contains(msg, "kaboom") || !strings.Contains(msg, "sutureengine_test") {
			t.Errorf("suture panic message = %q; want the value and the engine's stack", msg)
		}
		cancel()
		<-errc
	})
}

// A suture supervisor under arbor: arbor's stop cancels it, and a service
// that ignores its context is named in the error that arbor logs.
func TestSutureUnderArborUnstopped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var j journal
		release := make(chan struct{})
		stubborn := &svc{name: "stubborn", serve: func(ctx context.Context) error {
			j.add("start stubborn")
			<-release
			return nil
		}}
		ss := suture.New("legacy", quietSpec(t, &j))
		ss.Add(idle("polite", &j))
		ss.Add(stubborn)
		logs := &captureHandler{}
		root := supervisor.New("root", supervisor.Config{Logger: slog.New(logs), OnEvent: j.event},
			supervisor.Child{Name: "first", Engine: arborWorker("first", &j)},
			supervisor.Child{Name: "legacy", Engine: sutureengine.FromSupervisor(ss), Shutdown: time.Second},
		)
		ctx, cancel := context.WithCancel(context.Background())
		errc := root.ServeBackground(ctx)
		synctest.Wait()
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("arbor Run = %v; want nil (the suture supervisor did stop)", err)
		}
		if got := j.with("stop "); !slices.Equal(got, []string{"stop polite", "stop first"}) {
			t.Errorf("stops = %v; want polite (in legacy), then first", got)
		}
		rec := logs.find("stop_failed")
		if rec == nil {
			t.Fatalf("no stop_failed record; logs: %v", logs.all())
		}
		if rec["path"] != "root/legacy" || !strings.Contains(rec["error"], "stubborn") || strings.Contains(rec["error"], "polite") {
			t.Errorf("stop_failed record = %v; want root/legacy naming stubborn only", rec)
		}
		close(release)
	})
}

// The same, calling the engine directly to check the error's type.
func TestFromSupervisorStopReturnsUnstoppedError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		ss := suture.New("legacy", quietSpec(t, nil))
		ss.Add(&svc{name: "stubborn", serve: func(context.Context) error { <-release; return nil }})
		e := sutureengine.FromSupervisor(ss)
		errc := make(chan error, 1)
		go func() { errc <- e.Run(context.Background()) }()
		synctest.Wait()
		if got := fmt.Sprint(e); got != "legacy" {
			t.Errorf("String() = %q; want legacy", got)
		}
		err := e.Stop(context.Background())
		var ue *sutureengine.UnstoppedError
		if !errors.As(err, &ue) || !slices.Equal(ue.Services, []string{"stubborn"}) || ue.Supervisor != "legacy" || len(ue.Report) != 1 {
			t.Fatalf("Stop = %v; want *UnstoppedError naming stubborn", err)
		}
		if runErr := <-errc; runErr != err {
			t.Errorf("Run = %v; want the same error as Stop", runErr)
		}
		if err := e.Stop(context.Background()); err != nil {
			t.Errorf("second Stop = %v; want nil", err)
		}
		if err := e.Run(context.Background()); !errors.Is(err, sutureengine.ErrServedTwice) {
			t.Errorf("second Run = %v; want ErrServedTwice", err)
		}
		close(release)
	})
}

// A child whose New builds a new suture supervisor per run can be
// restarted by arbor; a service's ErrTerminateSupervisorTree ends the
// suture supervisor with ErrTerminateTree, an abnormal exit.
func TestFromSupervisorPerRunRestartsOnTerminate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var j journal
		var builds atomic.Int32
		build := func() *suture.Supervisor {
			n := builds.Add(1)
			ss := suture.New(fmt.Sprintf("legacy-%d", n), quietSpec(t, nil))
			ss.Add(&svc{name: "quitter", serve: func(ctx context.Context) error {
				if n == 1 {
					return fmt.Errorf("disk gone: %w", suture.ErrTerminateSupervisorTree)
				}
				<-ctx.Done()
				return nil
			}})
			return ss
		}
		root := supervisor.New("root", supervisor.Config{OnEvent: j.event, Backoff: supervisor.Backoff{Initial: supervisor.Zero}},
			supervisor.Child{Name: "legacy", New: func() engine.Engine { return sutureengine.FromSupervisor(build()) }})
		ctx, cancel := context.WithCancel(context.Background())
		errc := root.ServeBackground(ctx)
		synctest.Wait()
		snap := root.Snapshot()
		if builds.Load() != 2 || snap.Children[0].Restarts != 1 || snap.Children[0].State != supervisor.StateRunning {
			t.Errorf("builds = %d, child = %+v; want a restart into a second suture supervisor", builds.Load(), snap.Children[0])
		}
		if err := snap.Children[0].LastErr; !errors.Is(err, sutureengine.ErrTerminateTree) || !strings.Contains(err.Error(), "disk gone") {
			t.Errorf("LastErr = %v; want ErrTerminateTree with the service's text", err)
		}
		if got := fmt.Sprint(snap.Children[0].Engine); got != "legacy-2" {
			t.Errorf("String() = %q; want legacy-2", got)
		}
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("Run = %v", err)
		}
	})
}

// How Serve's results map to Run's.
func TestFromServiceMapping(t *testing.T) {
	errOwn := errors.New("own")
	cases := []struct {
		name    string
		serve   func(ctx context.Context) error
		stop    bool // call Stop while Serve runs
		wantNil bool
		wantIs  error
		notIs   error
	}{
		{name: "nil", serve: func(context.Context) error { return nil }, wantNil: true},
		{name: "do not restart", serve: func(context.Context) error { return fmt.Errorf("done: %w", suture.ErrDoNotRestart) }, wantNil: true},
		{name: "terminate", serve: func(context.Context) error { return suture.ErrTerminateSupervisorTree },
			wantIs: sutureengine.ErrTerminateTree, notIs: suture.ErrTerminateSupervisorTree},
		{name: "other", serve: func(context.Context) error { return errOwn }, wantIs: errOwn},
		{name: "canceled on its own", serve: func(context.Context) error { return context.Canceled }, wantIs: context.Canceled},
		{name: "canceled after stop", serve: func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, stop: true, wantNil: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := sutureengine.FromService(&svc{name: tc.name, serve: tc.serve}, 0)
				if got := fmt.Sprint(e); got != tc.name {
					t.Errorf("String() = %q; want %q", got, tc.name)
				}
				errc := make(chan error, 1)
				go func() { errc <- e.Run(context.Background()) }()
				if tc.stop {
					synctest.Wait()
					if err := e.Stop(context.Background()); err != nil {
						t.Errorf("Stop = %v", err)
					}
				}
				err := <-errc
				switch {
				case tc.wantNil && err != nil:
					t.Errorf("Run = %v; want nil", err)
				case tc.wantIs != nil && !errors.Is(err, tc.wantIs):
					t.Errorf("Run = %v; want it to match %v", err, tc.wantIs)
				case tc.notIs != nil && errors.Is(err, tc.notIs):
					t.Errorf("Run = %v; must not match %v", err, tc.notIs)
				}
			})
		})
	}
}

// Stop is bounded by stopWait when Serve ignores its context.
func TestFromServiceStopWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		e := sutureengine.FromService(&svc{name: "deaf", serve: func(context.Context) error { <-release; return nil }}, 50*time.Millisecond)
		if err := e.Stop(context.Background()); err != nil {
			t.Errorf("Stop before Run = %v; want nil", err)
		}
		errc := make(chan error, 1)
		go func() { errc <- e.Run(context.Background()) }()
		synctest.Wait()
		start := time.Now()
		err := e.Stop(context.Background())
		if err == nil || !strings.Contains(err.Error(), "deaf") || time.Since(start) != 50*time.Millisecond {
			t.Errorf("Stop = %v after %v; want a timeout naming deaf after 50ms", err, time.Since(start))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		e2 := sutureengine.FromService(&svc{name: "deaf2", serve: func(context.Context) error { <-release; return nil }}, 0)
		go func() { errc <- e2.Run(context.Background()) }()
		synctest.Wait()
		if err := e2.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Stop bounded by ctx = %v; want DeadlineExceeded", err)
		}
		close(release)
		<-errc
		<-errc
	})
}

// A transient suture service that returns ErrDoNotRestart under arbor is
// not restarted; the significant, temporary one that asks to terminate the
// tree ends its arbor supervisor, which stops its other children last
// first and returns nil.
func TestArborHonoursSutureSentinels(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var j journal
		var onceRuns atomic.Int32
		once := &svc{name: "once", serve: func(context.Context) error { onceRuns.Add(1); return suture.ErrDoNotRestart }}
		gate := make(chan struct{})
		ender := &svc{name: "ender", serve: func(ctx context.Context) error {
			select {
			case <-gate:
				return suture.ErrTerminateSupervisorTree
			case <-ctx.Done():
				return nil
			}
		}}
		root := supervisor.New("root", supervisor.Config{OnEvent: j.event, AutoShutdown: supervisor.AnySignificant},
			supervisor.Child{Name: "a", Engine: arborWorker("a", &j)},
			supervisor.Child{Name: "once", Engine: sutureengine.FromService(once, 0), Restart: supervisor.Transient},
			supervisor.Child{Name: "b", Engine: arborWorker("b", &j)},
			supervisor.Child{Name: "ender", Engine: sutureengine.FromService(ender, 0), Restart: supervisor.Temporary, Significant: true},
		)
		errc := root.ServeBackground(context.Background())
		synctest.Wait()
		snap := root.Snapshot()
		if c := snap.Children[1]; c.State != supervisor.StateStopped || c.LastExit != supervisor.ExitNormal || c.Restarts != 0 || onceRuns.Load() != 1 {
			t.Errorf("once = %+v, runs %d; want stopped after one normal exit", c, onceRuns.Load())
		}
		close(gate)
		// As suture's own Serve returns its sentinel, Run returns the
		// auto-shutdown carrying it.
		var ae *supervisor.AutoShutdownError
		if err := <-errc; !errors.As(err, &ae) || ae.Child != "root/ender" || !errors.Is(err, sutureengine.ErrTerminateTree) {
			t.Fatalf("Run = %v; want an *AutoShutdownError of root/ender carrying ErrTerminateTree", err)
		}
		if got := j.with("stop "); !slices.Equal(got, []string{"stop b", "stop a"}) {
			t.Errorf("stops = %v; want b then a", got)
		}
		if !slices.Contains(j.list(), "event exited root/ender error") {
			t.Errorf("events = %v; want ender's abnormal exit", j.list())
		}
	})
}

// A panicking suture service under arbor is recovered and restarted.
func TestPanickingServiceUnderArbor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var j journal
		var runs atomic.Int32
		p := &svc{name: "panicky", serve: func(ctx context.Context) error {
			if runs.Add(1) <= 2 {
				panic("suture service panicked")
			}
			<-ctx.Done()
			return ctx.Err()
		}}
		root := supervisor.New("root", supervisor.Config{OnEvent: j.event, Backoff: supervisor.Backoff{Initial: 100 * time.Millisecond, Jitter: supervisor.Zero}},
			supervisor.Child{Name: "panicky", Engine: sutureengine.FromService(p, time.Second)})
		ctx, cancel := context.WithCancel(context.Background())
		errc := root.ServeBackground(ctx)
		time.Sleep(time.Second)
		synctest.Wait()
		snap := root.Snapshot()
		if c := snap.Children[0]; c.State != supervisor.StateRunning || c.Restarts != 2 || c.LastExit != supervisor.ExitPanic {
			t.Errorf("child = %+v; want running after 2 restarts from panics", c)
		}
		var pe *engine.PanicError
		if !errors.As(snap.Children[0].LastErr, &pe) || pe.Value != "suture service panicked" {
			t.Errorf("LastErr = %v; want the PanicError", snap.Children[0].LastErr)
		}
		if n := len(j.with("event restarting root/panicky panic")); n != 2 {
			t.Errorf("restarting events = %d; want 2: %v", n, j.list())
		}
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("Run = %v", err)
		}
	})
}

// captureHandler keeps slog records as string maps.
type captureHandler struct {
	mu   sync.Mutex
	recs []map[string]string
}

func (h *captureHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *captureHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *captureHandler) WithGroup(string) slog.Handler            { return h }
func (h *captureHandler) Handle(_ context.Context, r slog.Record) error {
	m := map[string]string{"msg": r.Message}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.String(); return true })
	h.mu.Lock()
	h.recs = append(h.recs, m)
	h.mu.Unlock()
	return nil
}

func (h *captureHandler) find(event string) map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.recs {
		if r["event"] == event {
			return r
		}
	}
	return nil
}

func (h *captureHandler) all() []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.recs)
}
