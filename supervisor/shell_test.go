package supervisor_test

// Go-only behaviour that OTP's suite cannot cover: backoff timing, Stop's
// contract, panics and hangs in Stop, panics in Run, events, defaults and
// paths. Everything runs in fake time.

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// TestBackoffTiming: restarts wait Initial × Multiplier^(n-1), capped by
// Max, and a run that lasted ResetAfter starts the growth over.
func TestBackoffTiming(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		a.run = func(ctx context.Context, n int) error {
			switch {
			case n == 6:
				time.Sleep(10 * sec)
			case n > 6:
				<-ctx.Done()
				return nil
			}
			return errBoom
		}
		rec := newRecorder()
		bo := supervisor.Backoff{Initial: sec, Multiplier: 2, Max: 4 * sec, Jitter: supervisor.Zero, ResetAfter: 10 * sec}
		sup := supervisor.New("root", supervisor.Config{Intensity: 100, Period: sec, Backoff: bo, OnEvent: rec.on}, C{Name: "a", Engine: a})
		wait := background(sup)
		time.Sleep(time.Minute)
		sameLines(t, "starts", rec.lines(supervisor.EventStarted), []string{
			"0s started root/a", "1s started root/a", "3s started root/a", "7s started root/a",
			"11s started root/a", "15s started root/a", "26s started root/a",
		})
		var delays []time.Duration
		for _, ev := range rec.events() {
			if ev.Kind == supervisor.EventRestarting {
				delays = append(delays, ev.Delay)
			}
		}
		if want := []time.Duration{sec, 2 * sec, 4 * sec, 4 * sec, 4 * sec, sec}; !slices.Equal(delays, want) {
			t.Errorf("delays = %v; want %v", delays, want)
		}
		stopAndWait(t, sup, wait)
		checkPaired(t, map[string]*fake{"a": a})
	})
}

// TestStopBeforeRun: Stop before Run returns nil at once and does not
// keep a later Run from running.
func TestStopBeforeRun(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a})
		if err := sup.Stop(context.Background()); err != nil {
			t.Errorf("Stop before Run = %v; want nil", err)
		}
		wait := background(sup)
		synctest.Wait()
		if got := a.runCount(); got != 1 {
			t.Errorf("a runs = %d; want 1", got)
		}
		if err, _ := stopAndWait(t, sup, wait); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		if err := sup.Stop(context.Background()); err != nil {
			t.Errorf("Stop after Run = %v; want nil", err)
		}
	})
}

// slowStop returns an engine whose Stop takes d.
func slowStop(d time.Duration) *fake {
	f := newFake()
	f.stop = func(ctx context.Context, n int) error { time.Sleep(d); return nil }
	return f
}

// TestStopTwice: a second Stop waits for the same shutdown and returns
// nil.
func TestStopTwice(t *testing.T) {
	bubble(t, func(t *testing.T) {
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: slowStop(sec)})
		wait := background(sup)
		synctest.Wait()
		start := time.Now()
		for i := range 2 {
			if err := sup.Stop(context.Background()); err != nil {
				t.Errorf("Stop %d = %v; want nil", i, err)
			}
		}
		if took := time.Since(start); took != sec {
			t.Errorf("stops took %v; want 1s", took)
		}
		if err, _ := wait(); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
	})
}

// TestStopConcurrent: Stops from several goroutines all return when the
// one shutdown is over.
func TestStopConcurrent(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := slowStop(sec)
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a})
		wait := background(sup)
		synctest.Wait()
		start := time.Now()
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				if err := sup.Stop(context.Background()); err != nil {
					t.Errorf("Stop = %v; want nil", err)
				}
				if took := time.Since(start); took != sec {
					t.Errorf("Stop took %v; want 1s", took)
				}
			})
		}
		wg.Wait()
		if err, _ := wait(); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		checkPaired(t, map[string]*fake{"a": a})
	})
}

// TestStopContextEnds: Stop returns ctx's error when ctx ends before the
// shutdown does; the shutdown goes on.
func TestStopContextEnds(t *testing.T) {
	bubble(t, func(t *testing.T) {
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: slowStop(3 * sec)})
		wait := background(sup)
		synctest.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), sec)
		defer cancel()
		start := time.Now()
		if err := sup.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != sec {
			t.Errorf("Stop = %v after %v; want DeadlineExceeded after 1s", err, time.Since(start))
		}
		if err, took := wait(); err != nil || took != 3*sec {
			t.Errorf("Run = %v after %v; want nil after 3s", err, took)
		}
	})
}

// TestStopDuringBackoff: a stop while a child waits out its backoff ends
// at once, and the child is not started again.
func TestStopDuringBackoff(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b := newFake(), newFake()
		bo := supervisor.Backoff{Initial: time.Hour, Jitter: supervisor.Zero}
		sup := supervisor.New("root", supervisor.Config{Backoff: bo}, C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		time.Sleep(sec)
		err, took := stopAndWait(t, sup, wait)
		if err != nil || took != 0 {
			t.Errorf("Run = %v after %v; want nil after 0s", err, took)
		}
		time.Sleep(2 * time.Hour)
		if got := a.runCount(); got != 1 {
			t.Errorf("a runs = %d; want 1", got)
		}
		checkPaired(t, map[string]*fake{"a": a, "b": b})
	})
}

// TestStopWhileStarting: stopping a supervisor whose child is still
// starting stops that child and the ones before it, and starts no more.
func TestStopWhileStarting(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b, c := newFake(), readyFake(), newFake()
		b.run = func(ctx context.Context, n int) error { <-ctx.Done(); return nil } // never ready
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a}, C{Name: "b", Engine: b}, C{Name: "c", Engine: c})
		wait := background(sup)
		time.Sleep(sec)
		err, took := stopAndWait(t, sup, wait)
		if err != nil || took != 0 {
			t.Errorf("Run = %v after %v; want nil after 0s", err, took)
		}
		if got := c.runCount(); got != 0 {
			t.Errorf("c runs = %d; want 0", got)
		}
		checkPaired(t, map[string]*fake{"a": a, "b": b, "c": c})
	})
}

// capture is a slog handler that keeps the records.
type capture struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (c *capture) Enabled(context.Context, slog.Level) bool { return true }
func (c *capture) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recs = append(c.recs, r.Clone())
	return nil
}
func (c *capture) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *capture) WithGroup(string) slog.Handler      { return c }

// events returns the event attribute of every record, in order.
func (c *capture) events() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, r := range c.recs {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "event" {
				out = append(out, a.Value.String())
			}
			return true
		})
	}
	return out
}

// attrs returns the attributes of the records whose "event" is event.
func (c *capture) attrs(event string) []map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []map[string]string
	for _, r := range c.recs {
		m := map[string]string{"msg": r.Message}
		r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.String(); return true })
		if m["event"] == event {
			out = append(out, m)
		}
	}
	return out
}

// crashOnce runs a under a root with a logger and no backoff, crashes its
// first run, and returns once the supervisor has settled.
func crashOnce(a *fake) (*capture, *supervisor.Supervisor, func() (error, time.Duration)) {
	logs := &capture{}
	sup := supervisor.New("root", supervisor.Config{Logger: slog.New(logs), Backoff: noBackoff}, C{Name: "a", Engine: a})
	wait := background(sup)
	synctest.Wait()
	a.crash(errBoom)
	synctest.Wait()
	return logs, sup, wait
}

// TestStopPanics: a panic in Stop, after an exit or on a requested stop,
// is recovered and logged, and the tree goes on.
func TestStopPanics(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		a.stop = func(ctx context.Context, n int) error { panic("stop exploded") }
		logs, sup, wait := crashOnce(a)
		if got := a.runCount(); got != 2 {
			t.Errorf("a runs = %d; want 2", got)
		}
		if err, took := stopAndWait(t, sup, wait); err != nil || took != 0 {
			t.Errorf("Run = %v after %v; want nil after 0s", err, took)
		}
		failed := logs.attrs("stop_failed")
		if len(failed) != 2 {
			t.Fatalf("%d stop_failed records; want 2", len(failed))
		}
		for _, m := range failed {
			if m["path"] != "root/a" || !strings.Contains(m["error"], "stop exploded") {
				t.Errorf("stop_failed record = %v; want root/a and the panic", m)
			}
		}
		checkPaired(t, map[string]*fake{"a": a})
	})
}

// TestStopFailureLoggedAfterExit: the failure of the Stop that follows a
// run's own end is logged after that end, never before it, although the
// Stop runs on the child's goroutine and the exit is recorded by the
// supervisor's.
func TestStopFailureLoggedAfterExit(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		a.stop = func(ctx context.Context, n int) error {
			if n == 1 {
				return errors.New("stop refused")
			}
			return nil
		}
		logs, sup, wait := crashOnce(a)
		stopAndWait(t, sup, wait)
		var order []string
		for _, r := range logs.events() {
			if r == "exited" || r == "stop_failed" {
				order = append(order, r)
			}
		}
		if got, want := strings.Join(order, " "), "exited stop_failed"; got != want {
			t.Errorf("records = %v; want %v", got, want)
		}
	})
}

// TestStopHangs: a Stop that ignores its context and never returns is
// abandoned after exactly the shutdown timeout; Run's error lists the
// child by path.
func TestStopHangs(t *testing.T) {
	bubble(t, func(t *testing.T) {
		release := make(chan struct{})
		a, b := newFake(), newFake()
		a.run = func(ctx context.Context, n int) error { <-release; return nil }
		a.stop = func(ctx context.Context, n int) error { <-release; return nil }
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "b", Engine: b}, C{Name: "a", Engine: a, Shutdown: 2 * sec})
		wait := background(sup)
		synctest.Wait()
		err, took := stopAndWait(t, sup, wait)
		var ste *supervisor.StopTimeoutError
		if !errors.As(err, &ste) || !slices.Equal(ste.Children, []string{"root/a"}) || ste.Supervisor != "root" {
			t.Errorf("Run = %v; want a *StopTimeoutError listing root/a", err)
		}
		if took != 2*sec {
			t.Errorf("stop took %v; want 2s", took)
		}
		if _, stops := b.counts(); stops != 1 {
			t.Errorf("b stops = %d; want 1 (the shutdown went on)", stops)
		}
		close(release)
	})
}

// TestStopHangsAfterExit: a Stop that hangs after its Run failed is
// abandoned after the shutdown timeout, and the child is restarted.
func TestStopHangsAfterExit(t *testing.T) {
	bubble(t, func(t *testing.T) {
		release := make(chan struct{})
		a := newFake()
		a.stop = func(ctx context.Context, n int) error {
			if n == 1 {
				<-release
			}
			return nil
		}
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Backoff: noBackoff, OnEvent: rec.on}, C{Name: "a", Engine: a, Shutdown: 2 * sec})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		time.Sleep(3 * sec)
		sameLines(t, "starts", rec.lines(supervisor.EventStarted), []string{"0s started root/a", "2s started root/a"})
		stopAndWait(t, sup, wait)
		close(release)
	})
}

// TestRunPanicIsPanicError: a panic in Run reaches the OnEvent hook as a
// *engine.PanicError with the panic's value and stack.
func TestRunPanicIsPanicError(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Backoff: noBackoff, OnEvent: rec.on}, C{Name: "a", Engine: a})
		wait := background(sup)
		synctest.Wait()
		a.panicRun(errBoom)
		synctest.Wait()
		var found bool
		for _, ev := range rec.events() {
			if ev.Kind != supervisor.EventExited {
				continue
			}
			found = true
			var pe *engine.PanicError
			if ev.Exit != supervisor.ExitPanic || !errors.As(ev.Err, &pe) || pe.Value != errBoom {
				t.Errorf("exit = %v, %v; want panic with a *PanicError of boom", ev.Exit, ev.Err)
				continue
			}
			if !errors.Is(ev.Err, errBoom) {
				t.Errorf("errors.Is(err, boom) = false; want true")
			}
			if !strings.Contains(pe.Stack(), "panicRun") {
				t.Errorf("stack does not show where the panic was:\n%s", pe.Stack())
			}
		}
		if !found {
			t.Errorf("no exited event")
		}
		stopAndWait(t, sup, wait)
		checkPaired(t, map[string]*fake{"a": a})
	})
}

// TestEngineContextCanceledIsFailure: an engine that returns
// context.Canceled on its own has failed; only the supervisor's own
// cancellation makes an end normal.
func TestEngineContextCanceledIsFailure(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Backoff: noBackoff, OnEvent: rec.on}, C{Name: "a", Engine: a, Restart: supervisor.Transient})
		wait := background(sup)
		synctest.Wait()
		a.crash(context.Canceled)
		synctest.Wait()
		if got := a.runCount(); got != 2 {
			t.Errorf("a runs = %d; want 2 (restarted as a failure)", got)
		}
		for _, ev := range rec.events() {
			if ev.Kind == supervisor.EventExited && ev.Exit != supervisor.ExitFailed {
				t.Errorf("exit = %v; want error", ev.Exit)
			}
		}
		stopAndWait(t, sup, wait)
	})
}

// TestPassThroughPanics: with PassThroughPanics, a panic in Run crashes
// the program. It runs in a child process.
func TestPassThroughPanics(t *testing.T) {
	if os.Getenv("ARBOR_PASS_THROUGH") == "1" {
		synctest.Test(t, func(t *testing.T) {
			a := newFake()
			a.run = func(ctx context.Context, n int) error { panic("through") }
			sup := supervisor.New("root", supervisor.Config{PassThroughPanics: true}, C{Name: "a", Engine: a})
			sup.Run(context.Background())
		})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPassThroughPanics$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ARBOR_PASS_THROUGH=1")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !strings.Contains(string(out), "panic: through") {
		t.Errorf("child process: %v\n%s\nwant a crash with panic: through", err, out)
	}
}

// TestEventLogKeys: an event's hook value and its log record say the
// same, the record with the stable keys that logs are parsed back by.
func TestEventLogKeys(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		rec := newRecorder()
		logs := &capture{}
		bo := supervisor.Backoff{Initial: sec, Jitter: supervisor.Zero}
		sup := supervisor.New("root", supervisor.Config{Backoff: bo, OnEvent: rec.on, Logger: slog.New(logs)}, C{Name: "a", Engine: a})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		synctest.Wait()
		stopAndWait(t, sup, wait)
		tests := []struct {
			kind supervisor.EventKind
			keys []string
		}{
			{supervisor.EventStarted, []string{"event", "msg", "path"}},
			{supervisor.EventExited, []string{"error", "event", "exit", "msg", "path"}},
			{supervisor.EventRestarting, []string{"delay", "error", "event", "exit", "msg", "path", "restarts"}},
		}
		for _, tt := range tests {
			i := slices.IndexFunc(rec.events(), func(ev supervisor.Event) bool { return ev.Kind == tt.kind })
			if i < 0 {
				t.Errorf("no %v event", tt.kind)
				continue
			}
			ev := rec.events()[i]
			if ev.Path != "root/a" || ev.Supervisor != "root" || ev.Time.IsZero() {
				t.Errorf("%v event = %+v; want path root/a, supervisor root, a time", tt.kind, ev)
			}
			if tt.kind == supervisor.EventRestarting && (ev.Delay != sec || ev.Exit != supervisor.ExitFailed || !errors.Is(ev.Err, errBoom) || ev.Restarts != 1) {
				t.Errorf("restarting event = %+v; want delay 1s, exit error, error boom, restarts 1", ev)
			}
			recs := logs.attrs(tt.kind.String())
			if len(recs) == 0 {
				t.Errorf("no %v record", tt.kind)
				continue
			}
			m := recs[0]
			keys := slices.Sorted(maps.Keys(m))
			if !slices.Equal(keys, tt.keys) {
				t.Errorf("%v keys = %v; want %v", tt.kind, keys, tt.keys)
			}
			if m["path"] != "root/a" {
				t.Errorf("%v record = %v; want path root/a", tt.kind, m)
			}
			if tt.kind == supervisor.EventRestarting && (m["delay"] != "1s" || m["exit"] != "error" || m["error"] != "boom" || m["restarts"] != "1") {
				t.Errorf("restarting record = %v; want delay 1s, exit error, error boom, restarts 1", m)
			}
		}
	})
}

// TestZeroConfigDefaults: Config{} restarts with intensity 10 in 2 min and
// exponential backoff from 100 ms to 10 s with 10% jitter, waits 5 s for a
// stop and a minute for readiness.
func TestZeroConfigDefaults(t *testing.T) {
	t.Run("intensity and backoff", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			a := newFake()
			a.run = func(ctx context.Context, n int) error { return errBoom }
			rec := newRecorder()
			sup := supervisor.New("root", supervisor.Config{OnEvent: rec.on}, C{Name: "a", Engine: a})
			err, took := background(sup)()
			if !isA[*supervisor.GaveUpError](err) || a.runCount() != 11 {
				t.Errorf("Run = %v after %d runs; want a *GaveUpError after 11", err, a.runCount())
			}
			var delays []time.Duration
			for _, ev := range rec.events() {
				if ev.Kind == supervisor.EventRestarting {
					delays = append(delays, ev.Delay)
				}
			}
			ms := time.Millisecond
			base := []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, 1600 * ms, 3200 * ms, 6400 * ms,
				10 * time.Second, 10 * time.Second, 10 * time.Second}
			if len(delays) != len(base) {
				t.Fatalf("delays = %v; want %d", delays, len(base))
			}
			var sum time.Duration
			for i, d := range delays {
				sum += d
				if lo, hi := base[i]*9/10, base[i]*11/10; d < lo || d > hi {
					t.Errorf("delay %d = %v; want within [%v, %v]", i, d, lo, hi)
				}
			}
			// Nothing but the delays takes virtual time: the supervisor
			// gives up when the 11th run fails, after all ten.
			if took != sum {
				t.Errorf("gave up after %v; want %v, the sum of the delays", took, sum)
			}
		})
	})
	// A dependency down for 30 s (every run fails at once until then) is
	// ridden out: the defaults used to give up after 0.7 s.
	t.Run("a dependency down for 30s", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			back := time.Now().Add(30 * time.Second)
			a := newFake()
			a.run = func(ctx context.Context, n int) error {
				if time.Now().Before(back) {
					return errBoom
				}
				<-ctx.Done()
				return nil
			}
			sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a})
			wait := background(sup)
			time.Sleep(5 * time.Minute)
			synctest.Wait()
			if got, want := states(sup), []string{"a=running"}; !slices.Equal(got, want) {
				t.Errorf("after 5 min, states = %v; want %v", got, want)
			}
			if n := a.runCount(); n < 2 || n > 11 {
				t.Errorf("%d runs; want a few restarts", n)
			}
			if err, _ := stopAndWait(t, sup, wait); err != nil {
				t.Errorf("Run = %v; want nil", err)
			}
		})
	})
	// OTP's give-up at once is one setting away.
	t.Run("no backoff gives up at once", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			a := newFake()
			a.run = func(ctx context.Context, n int) error { return errBoom }
			sup := supervisor.New("root", supervisor.Config{Backoff: supervisor.Backoff{Initial: supervisor.Zero}}, C{Name: "a", Engine: a})
			if err, took := background(sup)(); !isA[*supervisor.GaveUpError](err) || took != 0 {
				t.Errorf("Run = %v after %v; want a *GaveUpError at once", err, took)
			}
		})
	})
	t.Run("shutdown", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			release := make(chan struct{})
			sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: hanging(release)})
			wait := background(sup)
			synctest.Wait()
			if err, took := stopAndWait(t, sup, wait); !isA[*supervisor.StopTimeoutError](err) || took != 5*sec {
				t.Errorf("Run = %v after %v; want a *StopTimeoutError after 5s", err, took)
			}
			close(release)
		})
	})
	t.Run("start timeout", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			a := readyFake()
			a.run = func(ctx context.Context, n int) error { <-ctx.Done(); return nil }
			sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a})
			err, took := background(sup)()
			if !errors.Is(err, supervisor.ErrStartTimeout) || !isA[*supervisor.StartError](err) || took != time.Minute {
				t.Errorf("Run = %v after %v; want ErrStartTimeout after 1m", err, took)
			}
		})
	})
}

// TestNestedPathNames: events and engine.Path name children by their path
// from the root.
func TestNestedPathNames(t *testing.T) {
	bubble(t, func(t *testing.T) {
		consumer := newFake()
		rec := newRecorder()
		jobs := supervisor.New("jobs", supervisor.Config{OnEvent: rec.on}, C{Name: "consumer", Engine: consumer})
		root := supervisor.New("root", supervisor.Config{OnEvent: rec.on}, C{Name: "jobs", Engine: jobs})
		wait := background(root)
		synctest.Wait()
		stopAndWait(t, root, wait)
		if got := consumer.paths; !slices.Equal(got, []string{"root/jobs/consumer"}) {
			t.Errorf("engine.Path = %v; want root/jobs/consumer", got)
		}
		for _, ev := range rec.events() {
			if ev.Kind == supervisor.EventStarted && strings.HasSuffix(ev.Path, "consumer") {
				if ev.Path != "root/jobs/consumer" || ev.Supervisor != "root/jobs" {
					t.Errorf("event path = %q, supervisor %q; want root/jobs/consumer, root/jobs", ev.Path, ev.Supervisor)
				}
			}
		}
		if got := jobs.Snapshot().Path; got != "root/jobs" {
			t.Errorf("snapshot path = %q; want root/jobs", got)
		}
	})
}

// TestRunStopPairing: through restarts, group restarts, failed starts,
// panics, terminations and the shutdown, every Run of every engine is
// paired with exactly one Stop.
func TestRunStopPairing(t *testing.T) {
	bubble(t, func(t *testing.T) {
		fakes, kids := groupOf()
		fakes["b"].run = failsOnRun(3)
		d := newFake()
		fakes["d"] = d
		kids = append(kids, C{Name: "d", Engine: d, Restart: supervisor.Transient})
		sup := supervisor.New("root", supervisor.Config{Strategy: supervisor.RestForOne, Intensity: 100, Backoff: noBackoff}, kids...)
		wait := background(sup)
		synctest.Wait()
		fakes["a"].crash(errBoom)
		fakes["a"].panicRun("again")
		synctest.Wait()
		fakes["c"].crash(nil)
		d.panicRun("d")
		synctest.Wait()
		if err := sup.TerminateChild(context.Background(), "c"); err != nil {
			t.Fatal(err)
		}
		if err := sup.RestartChild(context.Background(), "c"); err != nil {
			t.Fatal(err)
		}
		stopAndWait(t, sup, wait)
		checkPaired(t, fakes)
		if runs := fakes["b"].runCount(); runs < 4 {
			t.Errorf("b runs = %d; want at least 4", runs)
		}
	})
}

// TestLoggerRecords: the logger gets one record per event, with the
// stable event key.
func TestLoggerRecords(t *testing.T) {
	bubble(t, func(t *testing.T) {
		logs := &capture{}
		sup := supervisor.New("root", supervisor.Config{Logger: slog.New(logs)}, C{Name: "a", Engine: newFake()})
		wait := background(sup)
		synctest.Wait()
		stopAndWait(t, sup, wait)
		for _, ev := range []string{"started", "ready", "shutdown", "stopping", "stopped"} {
			if got := logs.attrs(ev); len(got) != 1 {
				t.Errorf("%d %q records; want 1", len(got), ev)
			}
		}
	})
}

// TestAbandonedStacksShowTheHang: the log record of an abandoned child
// carries the stacks where its Run and its Stop hang.
func TestAbandonedStacksShowTheHang(t *testing.T) {
	bubble(t, func(t *testing.T) {
		release := make(chan struct{})
		a := newFake()
		a.run = func(ctx context.Context, n int) error { <-release; return nil }
		a.stop = func(ctx context.Context, n int) error { <-release; return nil }
		logs := &capture{}
		sup := supervisor.New("root", supervisor.Config{Logger: slog.New(logs)}, C{Name: "a", Engine: a, Shutdown: sec})
		wait := background(sup)
		synctest.Wait()
		stopAndWait(t, sup, wait)
		recs := logs.attrs("abandoned_stacks")
		if len(recs) != 1 {
			t.Fatalf("%d abandoned_stacks records; want 1", len(recs))
		}
		for _, frame := range []string{"TestAbandonedStacksShowTheHang.func1.1", "TestAbandonedStacksShowTheHang.func1.2"} {
			if !strings.Contains(recs[0]["stacks"], frame) {
				t.Errorf("stacks do not show %s:\n%s", frame, recs[0]["stacks"])
			}
		}
		close(release)
	})
}

// TestRootNameWithSlash: a root name with "/" would make paths that do not
// split back into names, so Run refuses it before starting anything, as
// supervise refuses it in a file.
func TestRootNameWithSlash(t *testing.T) {
	tests := []struct {
		name string
		want []string // problems; none for a valid name
	}{
		{"root", nil},
		{"my app.v2", nil},
		{"a/b", []string{`a/b: name: found "a/b", expected a name without "/", which separates the names in a path`}},
		{"/", []string{`/: name: found "/", expected a name without "/", which separates the names in a path`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				a := newFake()
				sup := supervisor.New(tt.name, supervisor.Config{}, C{Name: "a", Engine: a})
				err := sup.Validate()
				var ce *supervisor.ConfigError
				if tt.want == nil {
					if err != nil {
						t.Errorf("Validate = %v; want nil", err)
					}
					return
				}
				if !errors.As(err, &ce) || !slices.Equal(ce.Problems, tt.want) {
					t.Fatalf("Validate = %v; want a *ConfigError with %q", err, tt.want)
				}
				if err := sup.Run(context.Background()); !isA[*supervisor.ConfigError](err) || a.runCount() != 0 {
					t.Errorf("Run = %v after %d runs of the child; want a *ConfigError and none", err, a.runCount())
				}
			})
		})
	}
}

// TestRunWhileRunning: a second Run of a running supervisor fails at once
// with a clear error and leaves the first run alone; the error has no
// exported sentinel, since no caller branches on a programming mistake.
func TestRunWhileRunning(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a})
		wait := background(sup)
		synctest.Wait()
		err := sup.Run(context.Background())
		if err == nil || err.Error() != "supervisor: already running" {
			t.Errorf("second Run = %v; want supervisor: already running", err)
		}
		sameLines(t, "after the second Run", states(sup), []string{"a=running"})
		if err, _ := stopAndWait(t, sup, wait); err != nil {
			t.Errorf("first Run = %v; want nil", err)
		}
	})
}

// TestNewReturnsNil: a child whose New returns a nil engine fails that
// run with an error that says so, and restarts as after any failure.
func TestNewReturnsNil(t *testing.T) {
	bubble(t, func(t *testing.T) {
		sup := supervisor.New("root", supervisor.Config{},
			C{Name: "a", New: func() engine.Engine { return nil }})
		err, _ := background(sup)()
		ge, ok := errors.AsType[*supervisor.GaveUpError](err)
		if !ok || ge.Child != "root/a" || ge.Err == nil || ge.Err.Error() != "supervisor: the child's New returned a nil engine" {
			t.Errorf("Run = %v; want a *GaveUpError for root/a saying New returned a nil engine", err)
		}
	})
}

// One engine value under two children would be Run twice at once:
// Validate refuses it, naming both places.
func TestSameEngineTwiceRefused(t *testing.T) {
	e := engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
	sub := supervisor.New("g", supervisor.Config{}, supervisor.Child{Name: "y", Engine: e})
	root := supervisor.New("root", supervisor.Config{}, supervisor.Child{Name: "x", Engine: e}, supervisor.Child{Name: "g", Engine: sub})
	var ce *supervisor.ConfigError
	if err := root.Validate(); !errors.As(err, &ce) || len(ce.Problems) != 1 || !strings.Contains(ce.Problems[0], "root/g: y: Engine: the same engine value is root/x's too") {
		t.Fatalf("Validate = %v; want one problem naming root/g's y and root/x", err)
	}
}

// TestChildSupervisorInheritsLogger: a child supervisor without a Logger
// logs through the one of the supervisor it runs under, at any depth; one
// with a Logger of its own keeps it.
func TestChildSupervisorInheritsLogger(t *testing.T) {
	bubble(t, func(t *testing.T) {
		rootLogs, ownLogs := &capture{}, &capture{}
		x, y := newFake(), newFake()
		deep := supervisor.New("deep", supervisor.Config{Backoff: noBackoff}, C{Name: "x", Engine: x})
		mid := supervisor.New("mid", supervisor.Config{Backoff: noBackoff}, C{Name: "deep", Engine: deep})
		own := supervisor.New("own", supervisor.Config{Backoff: noBackoff, Logger: slog.New(ownLogs)}, C{Name: "y", Engine: y})
		sup := supervisor.New("root", supervisor.Config{Logger: slog.New(rootLogs)}, C{Name: "mid", Engine: mid}, C{Name: "own", Engine: own})
		wait := background(sup)
		synctest.Wait()
		x.crash(errBoom)
		y.crash(errBoom)
		synctest.Wait()
		stopAndWait(t, sup, wait)
		paths := func(c *capture) map[string]bool {
			out := map[string]bool{}
			for _, m := range c.attrs("exited") {
				out[m["path"]] = true
			}
			return out
		}
		if got := paths(rootLogs); !got["root/mid/deep/x"] || got["root/own/y"] {
			t.Errorf("root's logger has exits of %v; want root/mid/deep/x and not root/own/y", got)
		}
		if got := paths(ownLogs); !got["root/own/y"] || len(got) != 1 {
			t.Errorf("own logger has exits of %v; want root/own/y only", got)
		}
	})
}
