package supervisor_test

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// beater heartbeats every period, except in its run number hung (0:
// none), which hangs from its start: it stays in Run, alive to its
// context, and never beats.
func beater(period time.Duration, hung int32) (engine.Engine, *atomic.Int32) {
	var runs atomic.Int32
	return engine.FromFunc(func(ctx context.Context) error {
		n := runs.Add(1)
		for {
			if n != hung {
				engine.Alive(ctx)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(period):
			}
		}
	}), &runs
}

// TestWatchdogRestartsHungChild: a run that stops heartbeating is
// reported unhealthy at exactly the watchdog duration after its last
// beat, stopped, and restarted by policy with exit unhealthy; a run that
// beats is never restarted.
func TestWatchdogRestartsHungChild(t *testing.T) {
	bubble(t, func(t *testing.T) {
		hung, runs := beater(sec, 1) // the first run never beats
		healthy, healthyRuns := beater(sec, 0)
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Backoff: noBackoff, OnEvent: rec.on},
			C{Name: "a", Engine: hung, Liveness: supervisor.Liveness{Watchdog: 30 * sec}},
			C{Name: "b", Engine: healthy, Liveness: supervisor.Liveness{Watchdog: 2 * sec}})
		wait := background(sup)
		time.Sleep(30*sec - 1)
		if got := rec.count(supervisor.EventUnhealthy, "root/a"); got != 0 {
			t.Fatalf("unhealthy before the watchdog duration: %d", got)
		}
		time.Sleep(1)
		synctest.Wait()
		sameLines(t, "events", rec.lines(supervisor.EventUnhealthy, supervisor.EventRestarting),
			[]string{"30s unhealthy root/a", "30s restarting root/a"})
		for _, ev := range rec.events() {
			var ue *supervisor.UnhealthyError
			if ev.Kind == supervisor.EventRestarting && (ev.Exit != supervisor.ExitUnhealthy || !errors.As(ev.Err, &ue) ||
				ue.Check != "watchdog" || !strings.HasPrefix(ev.Err.Error(), "unhealthy: watchdog: no heartbeat within ")) {
				t.Errorf("restarting exit = %v, %v; want unhealthy, the watchdog's no heartbeat", ev.Exit, ev.Err)
			}
		}
		if got := runs.Load(); got != 2 {
			t.Errorf("runs of a = %d; want 2", got)
		}
		time.Sleep(time.Minute)
		if got := rec.count(supervisor.EventUnhealthy, "root/a"); got != 1 {
			t.Errorf("unhealthy records of a = %d; want 1 (its second run beats)", got)
		}
		if got := healthyRuns.Load(); got != 1 {
			t.Errorf("runs of the healthy child = %d; want 1", got)
		}
		if got := rec.count(supervisor.EventUnhealthy, "root/b"); got != 0 {
			t.Errorf("healthy child found unhealthy %d times", got)
		}
		snap := sup.Snapshot()
		if kind := snap.Children[0].LastExit; kind != supervisor.ExitUnhealthy {
			t.Errorf("snapshot last exit = %v; want unhealthy", kind)
		}
		if got, want := snap.Children[0].Exits, map[supervisor.ExitKind]int{supervisor.ExitUnhealthy: 1}; !maps.Equal(got, want) {
			t.Errorf("snapshot exits = %v; want %v", got, want)
		}
		stopAndWait(t, sup, wait)
	})
}

// TestProbeRestartsAtEveryTimesFailures: a probe that fails from the
// start makes the child unhealthy at exactly Every × Failures after it
// became ready; a probe that ignores its context counts as a failure at
// its timeout. The log record names the check.
func TestProbeRestartsAtEveryTimesFailures(t *testing.T) {
	bubble(t, func(t *testing.T) {
		logs := &capture{}
		var failing atomic.Bool
		failing.Store(true)
		probe := func(ctx context.Context) error {
			if failing.Load() {
				<-ctx.Done() // hangs until its timeout
				return nil
			}
			return nil
		}
		var bFailing atomic.Bool
		bFailing.Store(true)
		failNow := func(context.Context) error {
			if bFailing.Load() {
				return errBoom
			}
			return nil
		}
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{Backoff: noBackoff, OnEvent: rec.on, Logger: slog.New(logs)},
			C{Name: "a", Engine: newFake(), Liveness: supervisor.Liveness{Probe: probe, Name: "http", Every: 10 * sec, Timeout: sec}},
			C{Name: "b", Engine: newFake(), Liveness: supervisor.Liveness{Probe: failNow, Every: 10 * sec}})
		wait := background(sup)
		time.Sleep(31*sec + 1)
		synctest.Wait()
		failing.Store(false)
		bFailing.Store(false)
		// b's probe fails at once: unhealthy at exactly Every × Failures;
		// a's times out each time: a second later.
		sameLines(t, "events", rec.lines(supervisor.EventUnhealthy, supervisor.EventRestarting),
			[]string{"30s unhealthy root/b", "30s restarting root/b", "31s unhealthy root/a", "31s restarting root/a"})
		time.Sleep(time.Minute)
		if got := rec.count(supervisor.EventUnhealthy, "root/a"); got != 1 {
			t.Errorf("unhealthy records = %d; want 1 (the probe passes now)", got)
		}
		stopAndWait(t, sup, wait)
		un := logs.attrs("unhealthy")
		if len(un) != 2 || un[0]["check"] != "probe" || !strings.Contains(un[0]["error"], "boom") {
			t.Errorf("unhealthy records = %v; want b's first, with check probe (the default name) and its error", un)
		}
		un = un[1:]
		if len(un) != 1 || un[0]["path"] != "root/a" || un[0]["check"] != "http" || !strings.Contains(un[0]["error"], "no answer within 1s") {
			t.Errorf("unhealthy records = %v; want one with path root/a, check http and the timeout's error", un)
		}
		if rs := logs.attrs("restarting"); len(rs) != 2 || rs[1]["exit"] != "unhealthy" || rs[1]["check"] != "http" {
			t.Errorf("restarting records = %v; want a's with exit unhealthy and check http", rs)
		}
	})
}

// TestLivenessValidate: settings without a probe, and negative ones, are
// rejected before anything starts.
func TestLivenessValidate(t *testing.T) {
	sup := supervisor.New("root", supervisor.Config{},
		C{Name: "a", Engine: newFake(), Liveness: supervisor.Liveness{Every: sec, Watchdog: -sec}})
	err := sup.Validate()
	if err == nil || !strings.Contains(err.Error(), "without a Probe") || !strings.Contains(err.Error(), "Watchdog") {
		t.Errorf("Validate = %v; want the probe settings and the negative watchdog named", err)
	}
	sub := supervisor.New("sub", supervisor.Config{}, C{Name: "a", Engine: newFake()})
	err = supervisor.New("root", supervisor.Config{}, C{Name: "sub", Engine: sub, Liveness: supervisor.Liveness{Watchdog: sec}}).Validate()
	if err == nil || !strings.Contains(err.Error(), "a supervisor does not call engine.Alive") {
		t.Errorf("Validate = %v; want a watchdog on a supervisor rejected", err)
	}
}

// BenchmarkAlive measures engine.Alive from a supervised run.
func BenchmarkAlive(b *testing.B) {
	got := make(chan context.Context, 1)
	release := make(chan struct{})
	sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Liveness: supervisor.Liveness{Watchdog: time.Hour},
		Engine: engine.FromFunc(func(ctx context.Context) error { got <- ctx; <-release; return nil })})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sup.Run(ctx) }()
	runCtx := <-got
	b.ReportAllocs()
	for b.Loop() {
		engine.Alive(runCtx)
	}
	b.StopTimer()
	close(release)
	cancel()
	<-done
}

// TestExtendStart: an engine that extends its start timeout is ready
// after the timeout it was given, and not failed.
func TestExtendStart(t *testing.T) {
	bubble(t, func(t *testing.T) {
		slow := &readier{run: func(ctx context.Context) error {
			time.Sleep(sec)
			engine.ExtendStart(ctx, 10*sec)
			time.Sleep(7 * sec)
			engine.Ready(ctx)
			<-ctx.Done()
			return nil
		}}
		rec := newRecorder()
		sup := supervisor.New("root", supervisor.Config{OnEvent: rec.on}, C{Name: "a", Engine: slow, StartTimeout: 5 * sec})
		wait := background(sup)
		time.Sleep(9 * sec)
		sameLines(t, "events", rec.lines(supervisor.EventReady, supervisor.EventStartFailed), []string{"8s ready root/a"})
		stopAndWait(t, sup, wait)
	})
}

type readier struct{ run func(context.Context) error }

func (r *readier) Run(ctx context.Context) error { return r.run(ctx) }
func (r *readier) Stop(context.Context) error    { return nil }
func (r *readier) ReportsReady() bool            { return true }
