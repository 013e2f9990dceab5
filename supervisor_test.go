package arbor_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/engine/process"
	"github.com/arborgo/arbor/supervisor"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// journal records, in order, what the engines of a test did.
type journal struct {
	mu    sync.Mutex
	lines []string
}

func (j *journal) add(format string, args ...any) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lines = append(j.lines, fmt.Sprintf(format, args...))
}

func (j *journal) matching(prefix string) []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []string
	for _, l := range j.lines {
		if len(l) >= len(prefix) && l[:len(prefix)] == prefix {
			out = append(out, l)
		}
	}
	return out
}

// idle is an engine that runs until stopped and journals its runs and stops.
func idle(j *journal, name string) engine.Engine {
	return &journaled{j: j, name: name, run: func(ctx context.Context) error { <-ctx.Done(); return nil }}
}

type journaled struct {
	j    *journal
	name string
	run  func(ctx context.Context) error
	f    engine.Engine
	once sync.Once
}

// Run journals, then reports ready: the next sibling starts only then.
func (e *journaled) Run(ctx context.Context) error {
	e.once.Do(func() { e.f = engine.FromFunc(e.run) })
	e.j.add("run %s", e.name)
	engine.Ready(ctx)
	return e.f.Run(ctx)
}

func (e *journaled) ReportsReady() bool { return true }

func (e *journaled) Stop(ctx context.Context) error {
	e.j.add("stop %s", e.name)
	e.once.Do(func() { e.f = engine.FromFunc(e.run) })
	return e.f.Stop(ctx)
}

// shopTree is root{db, jobs{queue, worker}, http}.
func shopTree(j *journal, cfg supervisor.Config) *supervisor.Supervisor {
	jobs := supervisor.New("jobs", cfg,
		supervisor.Child{Name: "queue", Engine: idle(j, "queue")},
		supervisor.Child{Name: "worker", Engine: idle(j, "worker")},
	)
	return supervisor.New("shop", cfg,
		supervisor.Child{Name: "db", Engine: idle(j, "db")},
		supervisor.Child{Name: "jobs", Engine: jobs},
		supervisor.Child{Name: "http", Engine: idle(j, "http")},
	)
}

// TestSignalStopsTreeDepthFirstInReverseOrder follows OTP's
// order_of_children through the whole runtime: a SIGTERM stops the tree in
// reverse start order, a subtree completely before its previous sibling.
func TestSignalStopsTreeDepthFirstInReverseOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		signals, restore := arbor.FakeSignals()
		defer restore()
		var j journal
		errc := make(chan error, 1)
		go func() { errc <- arbor.Run(context.Background(), shopTree(&j, supervisor.Config{})) }()
		synctest.Wait()
		signals <- syscall.SIGTERM
		if err := <-errc; err != nil {
			t.Fatalf("Run = %v; want nil", err)
		}
		wantRuns := []string{"run db", "run queue", "run worker", "run http"}
		if got := j.matching("run "); !slices.Equal(got, wantRuns) {
			t.Errorf("start order = %v; want %v", got, wantRuns)
		}
		wantStops := []string{"stop http", "stop worker", "stop queue", "stop db"}
		if got := j.matching("stop "); !slices.Equal(got, wantStops) {
			t.Errorf("stop order = %v; want %v", got, wantStops)
		}
	})
}

// TestSecondSignalReturnsAtOnce: a Stop that hangs would keep the tree
// stopping for its whole shutdown timeout; a second signal cuts that
// short.
func TestSecondSignalReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		signals, restore := arbor.FakeSignals()
		defer restore()
		release := make(chan struct{})
		hung := &hangingStop{release: release}
		root := supervisor.New("root", supervisor.Config{Shutdown: time.Hour},
			supervisor.Child{Name: "hung", Engine: hung})
		errc := make(chan error, 1)
		go func() { errc <- arbor.Run(context.Background(), root) }()
		synctest.Wait()
		start := time.Now()
		signals <- syscall.SIGTERM
		synctest.Wait()
		signals <- syscall.SIGINT
		err := <-errc
		if !errors.Is(err, arbor.ErrInterrupted) {
			t.Errorf("Run = %v; want ErrInterrupted", err)
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("Run returned after %v; want at once", waited)
		}
		close(release)
		root.Stop(context.Background())
	})
}

type hangingStop struct{ release chan struct{} }

func (h *hangingStop) Run(ctx context.Context) error { <-h.release; return nil }
func (h *hangingStop) Stop(ctx context.Context) error {
	<-h.release
	return nil
}

// TestGaveUpEscalatesToRoot follows OTP's one_for_one_escalation: a
// subtree that exceeds its intensity fails as a child of its parent, which
// restarts it until its own intensity is exceeded; Run's error names the
// child that caused it.
func TestGaveUpEscalatesToRoot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, restore := arbor.FakeSignals()
		defer restore()
		var starts int
		var mu sync.Mutex
		crash := engine.FromFunc(func(ctx context.Context) error {
			mu.Lock()
			starts++
			mu.Unlock()
			return errors.New("boom")
		})
		cfg := supervisor.Config{Intensity: 1, Period: time.Minute, Backoff: supervisor.Backoff{Initial: supervisor.Zero}}
		jobs := supervisor.New("jobs", cfg, supervisor.Child{Name: "worker", Engine: crash})
		root := supervisor.New("root", cfg, supervisor.Child{Name: "jobs", Engine: jobs})
		err := arbor.Run(context.Background(), root)
		var gaveUp *supervisor.GaveUpError
		if !errors.As(err, &gaveUp) {
			t.Fatalf("Run = %v; want a *GaveUpError", err)
		}
		if gaveUp.Supervisor != "root" || gaveUp.Child != "root/jobs" {
			t.Errorf("gave up: supervisor %q child %q; want root and root/jobs", gaveUp.Supervisor, gaveUp.Child)
		}
		var inner *supervisor.GaveUpError
		if !errors.As(gaveUp.Err, &inner) || inner.Child != "root/jobs/worker" {
			t.Errorf("cause = %v; want the subtree giving up on root/jobs/worker", gaveUp.Err)
		}
		// jobs runs twice (start + 1 restart), and each run starts worker twice.
		if starts != 4 {
			t.Errorf("worker starts = %d; want 4", starts)
		}
		if code := arbor.ExitCode(err); code != 1 {
			t.Errorf("exit code = %d; want 1", code)
		}
	})
}

func TestContextCancelStopsTree(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, restore := arbor.FakeSignals()
		defer restore()
		var j journal
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- arbor.Run(ctx, shopTree(&j, supervisor.Config{})) }()
		synctest.Wait()
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("Run = %v; want nil", err)
		}
		if got := len(j.matching("stop ")); got != 4 {
			t.Errorf("stops = %d; want 4", got)
		}
	})
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{&supervisor.GaveUpError{Supervisor: "root", Child: "root/x"}, 1},
		{arbor.ErrInterrupted, 130},
		// The child's code, through every auto-shutdown level.
		{&supervisor.AutoShutdownError{Supervisor: "root", Child: "root/job", Err: &process.ExitError{Code: 7}}, 7},
		{&supervisor.AutoShutdownError{Supervisor: "root", Child: "root/jobs", Err: &supervisor.AutoShutdownError{
			Supervisor: "root/jobs", Child: "root/jobs/job", Err: &process.ExitError{Code: -1, Signaled: true, Signal: syscall.SIGKILL}}}, 137},
		{&supervisor.AutoShutdownError{Supervisor: "root", Child: "root/job", Err: errors.New("boom")}, 1},
		// A tree that gave up exits 1 even though its child's error has a code.
		{&supervisor.GaveUpError{Supervisor: "root", Child: "root/x", Err: &process.ExitError{Code: 7}}, 1},
		{&supervisor.StartError{Supervisor: "root", Child: "root/x", Err: &process.ExitError{Code: 3}}, 1},
	}
	for _, tt := range tests {
		if got := arbor.ExitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d; want %d", tt.err, got, tt.want)
		}
	}
}

// ExampleRun runs a tree whose main job is significant: when it finishes,
// the tree stops the other children in reverse order and Run returns nil.
func ExampleRun() {
	print := func(ev supervisor.Event) { fmt.Println(ev.Kind, ev.Path) }
	job := engine.FromFunc(func(ctx context.Context) error { return nil })
	cache := engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
	root := supervisor.New("app", supervisor.Config{AutoShutdown: supervisor.AnySignificant, OnEvent: print},
		supervisor.Child{Name: "cache", Engine: cache},
		supervisor.Child{Name: "job", Engine: job, Restart: supervisor.Transient, Significant: true},
	)
	err := arbor.Run(context.Background(), root)
	fmt.Println("Run:", err)
	// Output:
	// started app/cache
	// ready app/cache
	// started app/job
	// ready app/job
	// exited app/job
	// shutdown app
	// stopping app/cache
	// stopped app/cache
	// Run: <nil>
}
