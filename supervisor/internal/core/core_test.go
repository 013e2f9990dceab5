package core_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

const s = time.Second

func oneForOne(intensity int, period time.Duration) core.Config {
	return core.Config{Strategy: core.OneForOne, Intensity: intensity, Period: period}
}

// TestIntensityWindow follows OTP's add_restart: a restart is kept in the
// window while now - then <= Period (OTP's R >= Now - Period), so a restart
// exactly Period old still counts, and the restart that would make
// Intensity+1 in the window is not made.
func TestIntensityWindow(t *testing.T) {
	tests := []struct {
		name      string
		intensity int
		period    time.Duration
		exits     []time.Duration
		want      []string // per exit: "start a" or "done gave_up"
	}{
		{"two in window then boundary counts", 2, 10 * s, []time.Duration{0, 5 * s, 10 * s},
			[]string{"start a", "start a", "done gave_up"}},
		{"one nanosecond past the boundary is out", 2, 10 * s, []time.Duration{0, 5 * s, 10*s + 1},
			[]string{"start a", "start a", "start a"}},
		{"intensity 1 boundary", 1, 5 * s, []time.Duration{0, 5 * s},
			[]string{"start a", "done gave_up"}},
		{"intensity 1 past boundary", 1, 5 * s, []time.Duration{0, 5*s + 1, 10*s + 2},
			[]string{"start a", "start a", "start a"}},
		{"spaced wider than the period never add up", 1, 5 * s, []time.Duration{0, 6 * s, 12 * s, 18 * s},
			[]string{"start a", "start a", "start a", "start a"}},
		{"ring wraps", 3, 10 * s, []time.Duration{0, 1 * s, 2 * s, 12 * s, 12 * s, 13 * s, 13 * s},
			[]string{"start a", "start a", "start a", "start a", "start a", "start a", "done gave_up"}},
		{"ring wraps onto the boundary", 3, 10 * s, []time.Duration{0, 1 * s, 2 * s, 11 * s, 11 * s},
			[]string{"start a", "start a", "start a", "start a", "done gave_up"}},
		{"intensity 0 allows no restart", 0, 5 * s, []time.Duration{0},
			[]string{"done gave_up"}},
		{"intensity 3 means 4 starts", 3, 5 * s, []time.Duration{0, 0, 0, 0},
			[]string{"start a", "start a", "start a", "done gave_up"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, oneForOne(tt.intensity, tt.period), spec("a")).startAll()
			for i, at := range tt.exits {
				h.at(at).exit("a", core.ExitFailed)
				got := strings.Join(h.take(), ", ")
				if got != tt.want[i] {
					t.Errorf("exit %d at %v: actions = %v; want %v", i, at, got, tt.want[i])
				}
			}
		})
	}
}

func TestIntensityGaveUpOutcome(t *testing.T) {
	h := newHarness(t, oneForOne(0, 5*s), spec("a"), spec("b")).startAll()
	h.exit("a", core.ExitPanic)
	h.expect("stop b")
	h.stopped("b")
	h.expect("done gave_up")
	if got := h.outcome.Child; got != h.child("a") {
		t.Errorf("outcome child = %v; want a", nameOf(got))
	}
	if !errors.Is(h.outcome.Err, errBoom) {
		t.Errorf("outcome err = %v; want %v", h.outcome.Err, errBoom)
	}
	if got, want := h.takeReports(), []string{"exited a", "gave_up a", "shutdown a", "stopping b", "stopped b"}; !slices.Equal(got, want) {
		t.Errorf("reports = %v; want %v", got, want)
	}
}

// TestBackoffSequence checks the exact delays with no jitter: Initial ×
// Multiplier^(n-1), capped by Max.
func TestBackoffSequence(t *testing.T) {
	tests := []struct {
		name string
		b    core.Backoff
		want []time.Duration
	}{
		{"doubling capped", core.Backoff{Initial: s, Max: 5 * s, Multiplier: 2}, []time.Duration{s, 2 * s, 4 * s, 5 * s, 5 * s}},
		{"no cap", core.Backoff{Initial: 100 * time.Millisecond, Multiplier: 3}, []time.Duration{100 * time.Millisecond, 300 * time.Millisecond, 900 * time.Millisecond, 2700 * time.Millisecond}},
		{"multiplier 1 is constant", core.Backoff{Initial: 2 * s, Multiplier: 1}, []time.Duration{2 * s, 2 * s, 2 * s}},
		{"huge growth is capped", core.Backoff{Initial: s, Max: time.Hour, Multiplier: 1e300}, []time.Duration{s, time.Hour, time.Hour, time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, oneForOne(100, time.Nanosecond), spec("a", backoff(tt.b))).startAll()
			for i, want := range tt.want {
				before := h.now
				h.exit("a", core.ExitFailed)
				h.expect("arm a @" + (before.Add(want)).Sub(t0).String())
				if got := lastRestartDelay(h); got != want {
					t.Errorf("restart %d: reported delay = %v; want %v", i+1, got, want)
				}
				if got := h.state("a"); got != core.StateBackingOff {
					t.Errorf("state = %v; want backing_off", got)
				}
				if got := h.child("a").BackoffUntil().Sub(before); got != want {
					t.Errorf("BackoffUntil - now = %v; want %v", got, want)
				}
				h.fire("a")
				h.expect("start a")
			}
		})
	}
}

func lastRestartDelay(h *harness) time.Duration {
	for i := len(h.all) - 1; i >= 0; i-- {
		if a := h.all[i]; a.Kind == core.Report && a.Report == core.EventRestarting {
			return a.Delay
		}
	}
	return -1
}

// TestBackoffResetAfter: a run that lasted at least ResetAfter counts as
// the first failure again; a shorter one does not.
func TestBackoffResetAfter(t *testing.T) {
	tests := []struct {
		name    string
		lasted  time.Duration
		wantNow time.Duration
	}{
		{"exactly ResetAfter resets", 10 * s, s},
		{"longer resets", time.Hour, s},
		{"shorter keeps growing", 10*s - 1, 8 * s},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := core.Backoff{Initial: s, Multiplier: 2, ResetAfter: 10 * s}
			h := newHarness(t, oneForOne(100, time.Nanosecond), spec("a", backoff(b))).startAll()
			for _, want := range []time.Duration{s, 2 * s, 4 * s} {
				h.exit("a", core.ExitFailed)
				if got := lastRestartDelay(h); got != want {
					t.Fatalf("delay = %v; want %v", got, want)
				}
				h.fire("a")
			}
			h.at(h.now.Sub(t0)+tt.lasted).exit("a", core.ExitFailed)
			if got := lastRestartDelay(h); got != tt.wantNow {
				t.Errorf("delay after a run of %v = %v; want %v", tt.lasted, got, tt.wantNow)
			}
		})
	}
}

func TestZeroBackoffRestartsAtOnce(t *testing.T) {
	h := newHarness(t, oneForOne(10, s), spec("a", backoff(core.Backoff{Initial: 0, Max: s, Multiplier: 2}))).startAll()
	for range 3 {
		h.exit("a", core.ExitFailed)
		h.expect("start a")
		if got := lastRestartDelay(h); got != 0 {
			t.Errorf("delay = %v; want 0", got)
		}
	}
}

// TestBackoffJitterIsSeeded: the same seed gives the same delays, and every
// delay stays within ± Jitter.
func TestBackoffJitterIsSeeded(t *testing.T) {
	delays := func(seed uint64) []time.Duration {
		b := core.Backoff{Initial: s, Multiplier: 1, Jitter: 0.5}
		cfg := oneForOne(100, time.Nanosecond)
		cfg.Seed = seed
		h := newHarness(t, cfg, spec("a", backoff(b))).startAll()
		var out []time.Duration
		for range 20 {
			h.exit("a", core.ExitFailed)
			d := lastRestartDelay(h)
			if d < s/2 || d > 3*s/2 {
				t.Errorf("delay = %v; want within [0.5s, 1.5s]", d)
			}
			out = append(out, d)
			h.fire("a")
		}
		return out
	}
	a, b := delays(7), delays(7)
	if !slices.Equal(a, b) {
		t.Errorf("delays with seed 7 = %v, then %v; want equal", a, b)
	}
	if c := delays(8); slices.Equal(a, c) {
		t.Errorf("delays with seeds 7 and 8 are equal: %v", a)
	}
}

// TestStrategyOrder checks each strategy's stops (last first, one at a
// time) and starts (in order, each after the previous is ready) when b of
// a, b, c fails.
func TestStrategyOrder(t *testing.T) {
	tests := []struct {
		strategy core.Strategy
		want     []string
	}{
		{core.OneForOne, []string{"start b"}},
		{core.OneForAll, []string{"stop c", "stop a", "start a", "start b", "start c"}},
		{core.RestForOne, []string{"stop c", "start b", "start c"}},
	}
	for _, tt := range tests {
		t.Run(tt.strategy.String(), func(t *testing.T) {
			h := newHarness(t, core.Config{Strategy: tt.strategy, Intensity: 5, Period: 5 * s},
				spec("a", readies), spec("b", readies), spec("c", readies))
			h.start()
			if got, want := h.drive(), []string{"start a", "start b", "start c"}; !slices.Equal(got, want) {
				t.Errorf("initial start = %v; want %v", got, want)
			}
			h.exit("b", core.ExitFailed)
			if got := h.drive(); !slices.Equal(got, tt.want) {
				t.Errorf("restart = %v; want %v", got, tt.want)
			}
			for _, ch := range h.c.Children() {
				if ch.State() != core.StateRunning {
					t.Errorf("%s state = %v; want running", ch.Name(), ch.State())
				}
			}
			h.stop()
			if got, want := h.drive(), []string{"stop c", "stop b", "stop a", "done requested"}; !slices.Equal(got, want) {
				t.Errorf("shutdown = %v; want %v", got, want)
			}
		})
	}
}

// TestGroupRestartFailsMidway follows OTP's
// one_for_all_other_child_fails_restart and
// rest_for_one_other_child_fails_restart: when a child fails to start
// during a group restart, the children after it are not started, and the
// retry stops the restarted ones again and starts the group over.
func TestGroupRestartFailsMidway(t *testing.T) {
	tests := []struct {
		strategy core.Strategy
		want     []string
	}{
		{core.OneForAll, []string{"stop a", "start a", "start b", "start c"}},
		{core.RestForOne, []string{"start b", "start c"}},
	}
	for _, tt := range tests {
		t.Run(tt.strategy.String(), func(t *testing.T) {
			h := newHarness(t, core.Config{Strategy: tt.strategy, Intensity: 5, Period: 5 * s},
				spec("a", readies), spec("b", readies), spec("c", readies)).startAll()
			h.exit("b", core.ExitFailed)
			// Answer until b is started again, then make it fail to start.
			for h.state("b") != core.StateStarting {
				acts := h.take()
				for _, a := range acts {
					if name, ok := strings.CutPrefix(a, "stop "); ok {
						h.stopped(name)
					} else if name, ok := strings.CutPrefix(a, "start "); ok && name != "b" {
						h.ready(name)
					}
				}
			}
			h.take()
			h.exit("b", core.ExitFailed)
			if got := h.drive(); !slices.Equal(got, tt.want) {
				t.Errorf("retry = %v; want %v", got, tt.want)
			}
			if got := h.child("b").Restarts(); got != 2 {
				t.Errorf("b restarts = %d; want 2", got)
			}
		})
	}
}

// TestGroupRestartCountsOnce: a one_for_all restart of three children is
// one restart towards the intensity.
func TestGroupRestartCountsOnce(t *testing.T) {
	for _, strategy := range []core.Strategy{core.OneForAll, core.RestForOne} {
		t.Run(strategy.String(), func(t *testing.T) {
			h := newHarness(t, core.Config{Strategy: strategy, Intensity: 1, Period: 10 * s},
				spec("a"), spec("b"), spec("c")).startAll()
			h.exit("a", core.ExitFailed)
			h.drive()
			if h.done != 0 {
				t.Fatalf("gave up after one group restart")
			}
			h.at(s).exit("c", core.ExitFailed)
			if got, want := h.drive(), []string{"stop b", "stop a", "done gave_up"}; !slices.Equal(got, want) {
				t.Errorf("second failure = %v; want %v", got, want)
			}
		})
	}
}

// TestGroupRestartCountsSiblingRestarts: every child a group restart starts
// again was restarted, and says so in its restart count; intensity still
// counts the group once (TestGroupRestartCountsOnce).
func TestGroupRestartCountsSiblingRestarts(t *testing.T) {
	tests := []struct {
		strategy core.Strategy
		want     map[string]int
	}{
		{core.OneForAll, map[string]int{"a": 1, "b": 1, "c": 1}},
		{core.RestForOne, map[string]int{"a": 0, "b": 1, "c": 1}},
	}
	for _, tt := range tests {
		h := newHarness(t, core.Config{Strategy: tt.strategy, Intensity: 5, Period: 10 * s},
			spec("a"), spec("b"), spec("c")).startAll()
		h.exit("b", core.ExitFailed)
		h.drive()
		for name, want := range tt.want {
			if got := h.child(name).Restarts(); got != want {
				t.Errorf("%v: %s restarts = %d; want %d", tt.strategy, name, got, want)
			}
		}
	}
}

// TestTemporaryBystander follows OTP's temporary_bystander: a temporary
// child stopped by a group restart is removed, not restarted.
func TestTemporaryBystander(t *testing.T) {
	for _, strategy := range []core.Strategy{core.OneForAll, core.RestForOne} {
		t.Run(strategy.String(), func(t *testing.T) {
			h := newHarness(t, core.Config{Strategy: strategy, Intensity: 5, Period: 5 * s},
				spec("a"), spec("tmp", temporary), spec("c")).startAll()
			h.exit("a", core.ExitFailed)
			if got, want := h.drive(), []string{"stop c", "stop tmp", "start a", "start c"}; !slices.Equal(got, want) {
				t.Errorf("restart = %v; want %v", got, want)
			}
			if got, want := h.names(), []string{"a", "c"}; !slices.Equal(got, want) {
				t.Errorf("children = %v; want %v", got, want)
			}
			if !slices.Contains(h.takeReports(), "removed tmp") {
				t.Errorf("no removed report for tmp")
			}
		})
	}
}

// TestStartFailure follows OTP's sup_start_fail: when a child fails to
// start while the supervisor starts, the children already started are
// stopped last first, the later ones are never started, and the outcome
// is StartFailed naming the child.
func TestStartFailure(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a", readies), spec("b", readies), spec("c", readies), spec("d", readies))
	h.start().ready("a").ready("b").take()
	h.exit("c", core.ExitFailed)
	if got, want := h.drive(), []string{"stop b", "stop a", "done start_failed"}; !slices.Equal(got, want) {
		t.Errorf("actions = %v; want %v", got, want)
	}
	if got := nameOf(h.outcome.Child); got != "c" {
		t.Errorf("outcome child = %v; want c", got)
	}
	if !errors.Is(h.outcome.Err, errBoom) {
		t.Errorf("outcome err = %v; want %v", h.outcome.Err, errBoom)
	}
	if got := h.state("d"); got != core.StateStopped {
		t.Errorf("d state = %v; want stopped", got)
	}
	if exit, _ := h.child("c").LastExit(); exit != core.ExitStartFailed {
		t.Errorf("c last exit = %v; want start_failed", exit)
	}
}

// TestReadinessDeadline: a child that does not report ready within its
// start timeout is stopped and counts as a failure to start.
func TestReadinessDeadline(t *testing.T) {
	t.Run("initial start", func(t *testing.T) {
		h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b", readies, startTimeout(2*s)))
		h.start()
		h.expect("start a")
		h.ready("a")
		h.expect("start b", "arm b @2s")
		h.fire("b")
		h.expect("stop b")
		h.stopped("b")
		h.expect("stop a")
		h.stopped("a")
		h.expect("done start_failed")
		if !errors.Is(h.outcome.Err, core.ErrStartTimeout) {
			t.Errorf("outcome err = %v; want %v", h.outcome.Err, core.ErrStartTimeout)
		}
	})
	t.Run("ready in time disarms", func(t *testing.T) {
		h := newHarness(t, oneForOne(5, 5*s), spec("a", readies, startTimeout(2*s)))
		h.start().at(s).ready("a").take()
		h.fire("a")
		h.expect()
		if got := h.state("a"); got != core.StateRunning {
			t.Errorf("state = %v; want running", got)
		}
	})
	t.Run("restart that never gets ready is retried", func(t *testing.T) {
		h := newHarness(t, oneForOne(5, 5*s), spec("a", readies, startTimeout(2*s))).startAll()
		h.exit("a", core.ExitFailed)
		h.expect("start a", "arm a @2s")
		h.fire("a")
		h.expect("stop a")
		h.stopped("a")
		h.expect("start a", "arm a @4s")
		if got := h.child("a").Restarts(); got != 2 {
			t.Errorf("restarts = %d; want 2", got)
		}
	})
}

// TestRestartLoopStaysResponsive follows OTP's hanging_restart_loop for
// one_for_one: while a restart keeps failing, the core is never busy, and
// admin calls and a stop are served between retries.
func TestRestartLoopStaysResponsive(t *testing.T) {
	b := core.Backoff{Initial: s, Multiplier: 1}
	h := newHarness(t, oneForOne(100, s), spec("a", readies, backoff(b)), spec("b")).startAll()
	h.exit("a", core.ExitFailed)
	for i := range 3 {
		if h.c.Busy() {
			t.Fatalf("retry %d: busy while backing off", i)
		}
		h.fire("a")
		h.take()
		if h.c.Busy() {
			t.Fatalf("retry %d: busy while the restart is starting", i)
		}
		h.exit("a", core.ExitFailed) // fails before ready
		h.expect(fmt.Sprintf("arm a @%v", time.Duration(i+2)*s))
	}
	_, acts, err := h.c.TerminateChild(h.now, "b")
	h.record(acts)
	if err != nil {
		t.Fatalf("TerminateChild(b) = %v; want nil", err)
	}
	h.expect("stop b")
	h.stopped("b")
	_, acts, err = h.c.TerminateChild(h.now, "a")
	h.record(acts)
	if err != nil {
		t.Fatalf("TerminateChild(a) = %v; want nil", err)
	}
	h.expect()
	if got := h.state("a"); got != core.StateStopped {
		t.Errorf("a state = %v; want stopped", got)
	}
	h.fire("a") // the cancelled backoff timer
	h.expect()
	h.stop()
	h.expect("done requested")
}

// TestShutdownDuringBackoff: a stop ends a backoff wait at once; the
// child is not started again, and its timer is ignored.
func TestShutdownDuringBackoff(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b", backoff(core.Backoff{Initial: time.Hour, Multiplier: 1}))).startAll()
	h.exit("b", core.ExitFailed)
	h.expect("arm b @1h0m0s")
	h.at(s).stop()
	h.expect("stop a")
	h.stopped("a")
	h.expect("done requested")
	h.fire("b")
	if got := h.take(); len(got) != 0 {
		t.Errorf("after done: %v; want nothing", got)
	}
}

// TestShutdownDuringGroupBackoff: a stop while a group restart waits out
// its delay finishes at once.
func TestShutdownDuringGroupBackoff(t *testing.T) {
	b := backoff(core.Backoff{Initial: time.Hour, Multiplier: 1})
	h := newHarness(t, core.Config{Strategy: core.OneForAll, Intensity: 5, Period: 5 * s}, spec("a", b), spec("b", b)).startAll()
	h.exit("a", core.ExitFailed)
	h.expect("stop b")
	h.stopped("b")
	h.expect("arm sup @1h0m0s")
	h.stop()
	h.expect("done requested")
	h.fire("sup")
	h.expect()
}

// TestShutdownWhileStarting: a stop while a child is starting stops it
// (it is the newest) and the ones before it, and never starts the rest.
func TestShutdownWhileStarting(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a", readies), spec("b", readies), spec("c", readies))
	h.start().ready("a").take()
	h.stop()
	if got, want := h.drive(), []string{"stop b", "stop a", "done requested"}; !slices.Equal(got, want) {
		t.Errorf("actions = %v; want %v", got, want)
	}
	h.ready("b") // late
	h.expect()
}

// TestExitsDuringShutdown follows OTP's sup_stop_race: children that exit
// on their own during the shutdown, whatever their restart type and exit,
// are neither restarted nor waited for.
func TestExitsDuringShutdown(t *testing.T) {
	for _, r := range []core.Restart{core.Permanent, core.Transient, core.Temporary} {
		for _, kind := range []core.ExitKind{core.ExitNormal, core.ExitFailed, core.ExitPanic} {
			t.Run(r.String()+"/"+kind.String(), func(t *testing.T) {
				h := newHarness(t, oneForOne(0, 5*s), spec("x", withRestart(r)), spec("y", withRestart(r)), spec("z")).startAll()
				h.stop()
				h.expect("stop z")
				h.exit("x", kind) // not yet asked to stop
				h.exit("z", kind) // asked to stop: its stopped comes next
				h.expect()
				h.stopped("z")
				h.expect("stop y")
				h.exit("y", kind)
				h.stopped("y")
				h.expect("done requested")
				if got := h.outcome.Reason; got != core.Requested {
					t.Errorf("reason = %v; want requested", got)
				}
			})
		}
	}
}

// TestStopTimedOutIsAbandoned: a child whose stop timed out is listed in
// the outcome, and the shutdown goes on.
func TestStopTimedOutIsAbandoned(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b"), spec("c")).startAll()
	h.stop()
	h.expect("stop c")
	h.stopTimedOut("c")
	h.expect("stop b")
	h.stopped("b")
	h.expect("stop a")
	h.stopTimedOut("a")
	h.expect("done requested")
	var got []string
	for _, ch := range h.outcome.Abandoned {
		got = append(got, ch.Name())
	}
	if want := []string{"c", "a"}; !slices.Equal(got, want) {
		t.Errorf("abandoned = %v; want %v", got, want)
	}
}

func TestStopIsIdempotent(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a")).startAll()
	h.stop()
	h.expect("stop a")
	h.stop()
	h.expect()
	h.stopped("a")
	h.expect("done requested")
	h.stop()
	if h.done != 1 {
		t.Errorf("done %d times; want 1", h.done)
	}
}

// TestSignificant follows OTP's significant_temporary,
// significant_transient and significant_bystander.
func TestSignificant(t *testing.T) {
	type step struct {
		child string
		exit  core.ExitKind
	}
	tests := []struct {
		name     string
		auto     core.AutoShutdown
		strategy core.Strategy
		specs    []core.ChildSpec
		exits    []step
		wantDone bool
	}{
		{"any: temporary exits", core.AnySignificant, core.OneForOne,
			[]core.ChildSpec{spec("a"), spec("s", temporary, significant)}, []step{{"s", core.ExitNormal}}, true},
		{"any: temporary fails", core.AnySignificant, core.OneForOne,
			[]core.ChildSpec{spec("a"), spec("s", temporary, significant)}, []step{{"s", core.ExitFailed}}, true},
		{"any: transient exits normally", core.AnySignificant, core.OneForOne,
			[]core.ChildSpec{spec("a"), spec("s", transient, significant)}, []step{{"s", core.ExitNormal}}, true},
		{"any: transient fails and restarts", core.AnySignificant, core.OneForOne,
			[]core.ChildSpec{spec("a"), spec("s", transient, significant)}, []step{{"s", core.ExitFailed}}, false},
		{"any: insignificant exits", core.AnySignificant, core.OneForOne,
			[]core.ChildSpec{spec("a"), spec("s", temporary)}, []step{{"s", core.ExitNormal}}, false},
		{"all: one of two", core.AllSignificant, core.OneForOne,
			[]core.ChildSpec{spec("a"), spec("s1", transient, significant), spec("s2", temporary, significant)},
			[]step{{"s1", core.ExitNormal}}, false},
		{"all: both", core.AllSignificant, core.OneForOne,
			[]core.ChildSpec{spec("a"), spec("s1", transient, significant), spec("s2", temporary, significant)},
			[]step{{"s1", core.ExitNormal}, {"s2", core.ExitNormal}}, true},
		{"never", core.Never, core.OneForOne,
			[]core.ChildSpec{spec("a"), spec("s", temporary, significant)}, []step{{"s", core.ExitNormal}}, false},
		{"any: bystander of a group restart", core.AnySignificant, core.OneForAll,
			[]core.ChildSpec{spec("a"), spec("s", temporary, significant)}, []step{{"a", core.ExitFailed}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := core.Config{Strategy: tt.strategy, Intensity: 5, Period: 5 * s, AutoShutdown: tt.auto}
			h := newHarness(t, cfg, tt.specs...).startAll()
			for _, e := range tt.exits {
				h.exit(e.child, e.exit)
				h.drive()
			}
			if got := h.done == 1; got != tt.wantDone {
				t.Errorf("done = %v; want %v", got, tt.wantDone)
			}
			if tt.wantDone && h.outcome.Reason != core.AutoShut {
				t.Errorf("reason = %v; want auto_shutdown", h.outcome.Reason)
			}
		})
	}
}

// TestSignificantTerminated: a significant child stopped on request does
// not shut the supervisor down.
func TestSignificantTerminated(t *testing.T) {
	cfg := core.Config{Intensity: 5, Period: 5 * s, AutoShutdown: core.AnySignificant}
	h := newHarness(t, cfg, spec("a"), spec("s", transient, significant)).startAll()
	_, acts, err := h.c.TerminateChild(h.now, "s")
	h.record(acts)
	if err != nil {
		t.Fatal(err)
	}
	h.drive()
	if h.done != 0 {
		t.Errorf("done after terminating a significant child")
	}
}

// TestAdminAPI follows OTP's child_adm: the calls and their errors.
func TestAdminAPI(t *testing.T) {
	type op struct {
		call    string // terminate, restart, delete, add
		name    string
		wantErr error
		want    []string
	}
	tests := []struct {
		name string
		ops  []op
	}{
		{"not found", []op{
			{"terminate", "nope", core.ErrNotFound, nil},
			{"restart", "nope", core.ErrNotFound, nil},
			{"delete", "nope", core.ErrNotFound, nil},
		}},
		{"already exists", []op{{"add", "a", core.ErrAlreadyExists, nil}}},
		{"not stopped", []op{
			{"restart", "a", core.ErrNotStopped, nil},
			{"delete", "a", core.ErrNotStopped, nil},
		}},
		{"terminate is idempotent", []op{
			{"terminate", "a", nil, []string{"stop a"}},
			{"terminate", "a", nil, nil},
		}},
		{"terminate, restart, terminate, delete", []op{
			{"terminate", "b", nil, []string{"stop b"}},
			{"restart", "b", nil, []string{"start b"}},
			{"terminate", "b", nil, []string{"stop b"}},
			{"delete", "b", nil, nil},
			{"delete", "b", core.ErrNotFound, nil},
			{"add", "b", nil, []string{"start b"}},
		}},
		{"terminate temporary removes it", []op{
			{"terminate", "t", nil, []string{"stop t"}},
			{"terminate", "t", core.ErrNotFound, nil},
		}},
		{"add then terminate", []op{
			{"add", "new", nil, []string{"start new"}},
			{"terminate", "new", nil, []string{"stop new"}},
			{"restart", "new", nil, []string{"start new"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b"), spec("t", temporary)).startAll()
			for i, o := range tt.ops {
				var acts []core.Action
				var err error
				switch o.call {
				case "terminate":
					_, acts, err = h.c.TerminateChild(h.now, o.name)
				case "restart":
					_, acts, err = h.c.RestartChild(h.now, o.name)
				case "delete":
					acts, err = h.c.DeleteChild(h.now, o.name)
				case "add":
					_, acts, err = h.c.AddChild(h.now, spec(o.name))
				}
				h.record(acts)
				if !errors.Is(err, o.wantErr) {
					t.Errorf("op %d %s(%s) = %v; want %v", i, o.call, o.name, err, o.wantErr)
				}
				if got := h.take(); !slices.Equal(got, o.want) {
					t.Errorf("op %d %s(%s): actions = %v; want %v", i, o.call, o.name, got, o.want)
				}
				for _, a := range o.want {
					if name, ok := strings.CutPrefix(a, "stop "); ok {
						h.stopped(name)
						h.take()
					}
				}
			}
			h.stop()
			h.drive()
			if h.done != 1 {
				t.Errorf("done %d times; want 1", h.done)
			}
		})
	}
}

func TestAdminWhileShuttingDown(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a")).startAll()
	h.stop()
	if _, _, err := h.c.AddChild(h.now, spec("b")); !errors.Is(err, core.ErrShuttingDown) {
		t.Errorf("AddChild = %v; want %v", err, core.ErrShuttingDown)
	}
	if _, _, err := h.c.TerminateChild(h.now, "a"); !errors.Is(err, core.ErrShuttingDown) {
		t.Errorf("TerminateChild = %v; want %v", err, core.ErrShuttingDown)
	}
	if _, _, err := h.c.RestartChild(h.now, "a"); !errors.Is(err, core.ErrShuttingDown) {
		t.Errorf("RestartChild = %v; want %v", err, core.ErrShuttingDown)
	}
}

// TestAddedChildFailingToStartIsRemoved follows OTP's
// sup_start_child_returns_error: the spec is not kept.
func TestAddedChildFailingToStartIsRemoved(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a")).startAll()
	_, acts, err := h.c.AddChild(h.now, spec("n", readies))
	h.record(acts)
	if err != nil {
		t.Fatal(err)
	}
	h.expect("start n")
	h.exit("n", core.ExitFailed)
	h.expect()
	if got, want := h.names(), []string{"a"}; !slices.Equal(got, want) {
		t.Errorf("children = %v; want %v", got, want)
	}
}

// TestRestartChildFailingLeavesItStopped follows OTP's
// sup_start_restart_child_returns_error.
func TestRestartChildFailingLeavesItStopped(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a", readies)).startAll()
	_, acts, _ := h.c.TerminateChild(h.now, "a")
	h.record(acts)
	h.stopped("a").take()
	_, acts, err := h.c.RestartChild(h.now, "a")
	h.record(acts)
	if err != nil {
		t.Fatal(err)
	}
	h.expect("start a")
	h.exit("a", core.ExitFailed)
	h.expect()
	if got := h.state("a"); got != core.StateStopped {
		t.Errorf("state = %v; want stopped", got)
	}
}

// TestAddedChildrenStopFirst: children added at run time are the newest,
// so they stop first.
func TestAddedChildrenStopFirst(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a"), spec("b")).startAll()
	_, acts, _ := h.c.AddChild(h.now, spec("c"))
	h.record(acts)
	h.take()
	h.stop()
	if got, want := h.drive(), []string{"stop c", "stop b", "stop a", "done requested"}; !slices.Equal(got, want) {
		t.Errorf("shutdown = %v; want %v", got, want)
	}
}

// TestRestartTypeMatrix follows OTP's restart-type tests in the core: the
// 3×3 table of restart types and exits (normal, abnormal).
func TestRestartTypeMatrixCore(t *testing.T) {
	tests := []struct {
		restart core.Restart
		exit    core.ExitKind
		want    []string
		kept    bool
	}{
		{core.Permanent, core.ExitNormal, []string{"start a"}, true},
		{core.Permanent, core.ExitFailed, []string{"start a"}, true},
		{core.Permanent, core.ExitPanic, []string{"start a"}, true},
		{core.Transient, core.ExitNormal, nil, true},
		{core.Transient, core.ExitFailed, []string{"start a"}, true},
		{core.Transient, core.ExitPanic, []string{"start a"}, true},
		{core.Temporary, core.ExitNormal, nil, false},
		{core.Temporary, core.ExitFailed, nil, false},
		{core.Temporary, core.ExitPanic, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.restart.String()+"/"+tt.exit.String(), func(t *testing.T) {
			h := newHarness(t, oneForOne(1, 5*s), spec("a", withRestart(tt.restart))).startAll()
			h.exit("a", tt.exit)
			if got := h.take(); !slices.Equal(got, tt.want) {
				t.Errorf("actions = %v; want %v", got, tt.want)
			}
			_, kept := h.c.Lookup("a")
			if kept != tt.kept {
				t.Errorf("kept = %v; want %v", kept, tt.kept)
			}
		})
	}
}

// TestStaleEventsAreIgnored: events of runs that are over, of removed
// children, and of timers that were re-armed do nothing.
func TestStaleEventsAreIgnored(t *testing.T) {
	h := newHarness(t, oneForOne(5, 5*s), spec("a", readies), spec("t", temporary)).startAll()
	a := h.child("a")
	oldGen := a.Gen()
	h.exit("a", core.ExitFailed)
	h.expect("start a")
	h.handle(core.Input{Kind: core.ChildExited, Child: a, Gen: oldGen, Exit: core.ExitFailed})
	h.handle(core.Input{Kind: core.ChildReady, Child: a, Gen: oldGen})
	h.handle(core.Input{Kind: core.ChildStopped, Child: a, Gen: oldGen})
	h.expect()
	if got := a.State(); got != core.StateStarting {
		t.Errorf("a state = %v; want starting", got)
	}
	tmp := h.child("t")
	h.exit("t", core.ExitNormal)
	h.handle(core.Input{Kind: core.ChildExited, Child: tmp, Gen: tmp.Gen(), Exit: core.ExitFailed})
	h.expect()
}

// TestShutdownIgnoresChildTimers: a child's timer that fires during the
// shutdown, before the shutdown reached the child, neither restarts it (a
// backoff) nor stops it out of order (a start deadline).
func TestShutdownIgnoresChildTimers(t *testing.T) {
	t.Run("backoff", func(t *testing.T) {
		h := newHarness(t, oneForOne(5, 5*s), spec("a", backoff(core.Backoff{Initial: s, Multiplier: 1})), spec("b")).startAll()
		h.exit("a", core.ExitFailed)
		h.expect("arm a @1s")
		h.stop()
		h.expect("stop b")
		h.fire("a")
		h.expect()
		h.stopped("b")
		h.expect("done requested")
	})
	t.Run("start deadline", func(t *testing.T) {
		h := newHarness(t, oneForOne(5, 5*s), spec("a", readies, startTimeout(s)), spec("b")).startAll()
		h.exit("a", core.ExitFailed)
		h.expect("start a", "arm a @1s")
		h.stop()
		h.expect("stop b")
		h.fire("a")
		h.expect()
		h.stopped("b")
		h.expect("stop a")
		h.stopped("a")
		h.expect("done requested")
	})
}

// TestAdminHeldWhileBusy: while a group restart is under way the core
// makes no admin call (ErrBusy, no action, nothing changed), so that the
// shell holds it and makes it again when the restart is over, as OTP
// handles such calls between restarts.
func TestAdminHeldWhileBusy(t *testing.T) {
	all := core.Config{Strategy: core.OneForAll, Intensity: 5, Period: 5 * s}
	h := newHarness(t, all, spec("a"), spec("b")).startAll()
	h.exit("a", core.ExitFailed)
	h.expect("stop b")
	if _, acts, err := h.c.TerminateChild(h.now, "a"); err != core.ErrBusy || len(acts) != 0 {
		t.Errorf("TerminateChild = %v, %v; want no action, %v", acts, err, core.ErrBusy)
	}
	if _, acts, err := h.c.AddChild(h.now, spec("n")); err != core.ErrBusy || len(acts) != 0 {
		t.Errorf("AddChild = %v, %v; want no action, %v", acts, err, core.ErrBusy)
	}
	if acts, err := h.c.DeleteChild(h.now, "a"); err != core.ErrBusy || len(acts) != 0 {
		t.Errorf("DeleteChild = %v, %v; want no action, %v", acts, err, core.ErrBusy)
	}
	if got := h.names(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("children = %v; want [a b]", got)
	}
	h.stopped("b")
	h.expect("start a")
	h.ready("a")
	h.expect("start b")
	h.ready("b")
	if _, acts, err := h.c.TerminateChild(h.now, "a"); err != nil {
		t.Errorf("TerminateChild after the restart = %v, %v; want nil", acts, err)
	}
}
