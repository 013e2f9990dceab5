package core_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

func live(l core.Liveness) func(*core.ChildSpec) {
	return func(s *core.ChildSpec) { s.Liveness = l }
}

func (h *harness) beat(name string, at time.Duration) *harness {
	ch := h.child(name)
	return h.handle(core.Input{Kind: core.Heartbeat, Child: ch, Gen: ch.Gen(), At: t0.Add(at)})
}

func (h *harness) probed(name string, err error) *harness {
	ch := h.child(name)
	return h.handle(core.Input{Kind: core.ProbeDone, Child: ch, Gen: ch.Gen(), Err: err})
}

func (h *harness) expectReports(want ...string) {
	h.t.Helper()
	if got := h.takeReports(); !slices.Equal(got, want) {
		h.t.Errorf("reports = %v; want %v", strings.Join(got, ", "), strings.Join(want, ", "))
	}
}

// A ready run that never beats is found unhealthy at exactly the
// watchdog duration after it became ready; a beat moves the deadline to
// exactly that long after the beat, and costs no action.
func TestWatchdogMissedHeartbeat(t *testing.T) {
	h := newHarness(t, core.Config{Intensity: 5, Period: time.Minute},
		spec("a", live(core.Liveness{Watchdog: 30 * time.Second})))
	h.start().ready("a")
	h.expect("start a", "arm a @30s")
	h.takeReports()

	h.at(10*time.Second).beat("a", 10*time.Second)
	h.expect()
	h.fire("a") // at 30 s: the beat at 10 s moves the deadline to 40 s
	h.expect("arm a @40s")
	h.fire("a")
	if got, want := h.now.Sub(t0), 40*time.Second; got != want {
		t.Fatalf("fired at %v; want %v", got, want)
	}
	h.expect("stop a")
	h.expectReports("unhealthy a", "stopping a")
	h.stopped("a")
	h.expect("start a", "arm a @1m10s")
	h.expectReports("restarting a", "started a", "ready a")

	kind, err := h.child("a").LastExit()
	var ue *core.UnhealthyError
	if kind != core.ExitUnhealthy || !errors.As(err, &ue) || ue.Check != core.CheckWatchdog || !errors.Is(err, core.ErrNoHeartbeat) {
		t.Errorf("last exit = %v, %v; want unhealthy, a watchdog UnhealthyError", kind, err)
	}
}

// Failures consecutive failed probes make a run unhealthy: with no grace,
// at exactly Every × Failures after ready. A pass starts the count again.
func TestProbeFailures(t *testing.T) {
	h := newHarness(t, core.Config{Intensity: 5, Period: time.Minute},
		spec("a", live(core.Liveness{Every: 10 * time.Second, Failures: 3, Probe: "tcp"})))
	h.start().ready("a")
	h.expect("start a", "arm a @10s")
	for i, pass := range []bool{false, true, false, false} {
		h.fire("a")
		h.expect("probe a", "arm a @"+(time.Duration(i+2)*10*time.Second).String())
		var err error
		if !pass {
			err = errBoom
		}
		h.probed("a", err)
		h.expect()
	}
	h.takeReports()
	h.fire("a")
	h.expect("probe a", "arm a @1m0s")
	h.probed("a", errBoom)
	if got, want := h.now.Sub(t0), 50*time.Second; got != want {
		t.Errorf("unhealthy at %v; want %v", got, want)
	}
	h.expect("stop a")
	h.expectReports("unhealthy a", "stopping a")
	kind, err := h.child("a").LastExit()
	var ue *core.UnhealthyError
	if kind != core.ExitUnhealthy || !errors.As(err, &ue) || ue.Check != "tcp" || !errors.Is(err, errBoom) {
		t.Errorf("last exit = %v, %v; want unhealthy, a tcp UnhealthyError", kind, err)
	}
}

// Three failures in a row with no pass between: unhealthy at exactly
// Grace + Every × Failures.
func TestProbeGraceAndExactTime(t *testing.T) {
	h := newHarness(t, core.Config{Intensity: 5, Period: time.Minute},
		spec("a", live(core.Liveness{Every: 10 * time.Second, Failures: 3, Grace: 5 * time.Second, Probe: "http"})))
	h.start().ready("a")
	h.expect("start a", "arm a @15s")
	for range 3 {
		h.fire("a").probed("a", errBoom)
	}
	if got, want := h.now.Sub(t0), 35*time.Second; got != want {
		t.Errorf("unhealthy at %v; want %v", got, want)
	}
	if got := h.state("a"); got != core.StateStopping {
		t.Errorf("state = %v; want stopping", got)
	}
}

// A probe still out when the next is due is not run twice.
func TestProbeOutstandingIsNotDoubled(t *testing.T) {
	h := newHarness(t, core.Config{Intensity: 5, Period: time.Minute},
		spec("a", live(core.Liveness{Every: 10 * time.Second, Failures: 1})))
	h.start().ready("a")
	h.take()
	h.fire("a")
	h.expect("probe a", "arm a @20s")
	h.fire("a")
	h.expect("arm a @30s")
	h.probed("a", nil)
	h.fire("a")
	h.expect("probe a", "arm a @40s")
}

// Unhealthy is abnormal: a transient child restarts after it, and it
// counts against the intensity like a crash.
func TestUnhealthyIsAbnormal(t *testing.T) {
	h := newHarness(t, core.Config{Intensity: 1, Period: time.Hour},
		spec("a", transient, live(core.Liveness{Watchdog: time.Second})))
	h.start().ready("a")
	h.fire("a").stopped("a")
	h.takeReports()
	h.take()
	h.fire("a").stopped("a")
	h.expectReports("unhealthy a", "stopping a", "gave_up a", "shutdown a")
	var gaveUp core.Action
	for _, a := range h.all {
		if a.Kind == core.Report && a.Report == core.EventGaveUp {
			gaveUp = a
		}
	}
	if gaveUp.Exit != core.ExitUnhealthy {
		t.Errorf("gave_up exit = %v; want unhealthy", gaveUp.Exit)
	}
}

// A run that ends on its own while its unhealthy stop is under way is
// still decided as unhealthy, once.
func TestUnhealthyStopMeetsExit(t *testing.T) {
	h := newHarness(t, core.Config{Intensity: 5, Period: time.Hour},
		spec("a", live(core.Liveness{Watchdog: time.Second})))
	h.start().ready("a")
	h.fire("a")
	h.takeReports()
	ch := h.child("a")
	h.handle(core.Input{Kind: core.ChildExiting, Child: ch, Gen: ch.Gen(), Exit: core.ExitFailed, Err: errBoom})
	h.handle(core.Input{Kind: core.ChildExited, Child: ch, Gen: ch.Gen(), Exit: core.ExitFailed, Err: errBoom})
	h.expectReports("restarting a", "started a", "ready a")
	if kind, _ := ch.LastExit(); kind != core.ExitUnhealthy {
		t.Errorf("last exit = %v; want unhealthy", kind)
	}
}

// BenchmarkHeartbeat measures a heartbeat fed to the core: O(1), no
// allocation.
func BenchmarkHeartbeat(b *testing.B) {
	c := core.New(core.Config{Intensity: 1, Period: time.Second},
		[]core.ChildSpec{{Name: "a", Shutdown: time.Second, Liveness: core.Liveness{Watchdog: time.Minute}}})
	c.Start(t0)
	ch := c.Children()[0]
	c.Handle(t0, core.Input{Kind: core.ChildReady, Child: ch, Gen: ch.Gen()})
	ev := core.Input{Kind: core.Heartbeat, Child: ch, Gen: ch.Gen(), At: t0}
	b.ReportAllocs()
	for b.Loop() {
		ev.At = ev.At.Add(time.Millisecond)
		c.Handle(ev.At, ev)
	}
}

func TestHeartbeatDoesNotAllocate(t *testing.T) {
	c := core.New(core.Config{Intensity: 1, Period: time.Second},
		[]core.ChildSpec{{Name: "a", Shutdown: time.Second, Liveness: core.Liveness{Watchdog: time.Minute}}})
	c.Start(t0)
	ch := c.Children()[0]
	c.Handle(t0, core.Input{Kind: core.ChildReady, Child: ch, Gen: ch.Gen()})
	ev := core.Input{Kind: core.Heartbeat, Child: ch, Gen: ch.Gen(), At: t0}
	if allocs := testing.AllocsPerRun(1000, func() {
		ev.At = ev.At.Add(time.Millisecond)
		c.Handle(ev.At, ev)
	}); allocs != 0 {
		t.Errorf("allocs per heartbeat = %v; want 0", allocs)
	}
}

// A starting run may extend its start timeout, never shorten it; the
// stale deadline does nothing.
func TestStartExtended(t *testing.T) {
	h := newHarness(t, core.Config{Intensity: 5, Period: time.Minute}, spec("a", readies, startTimeout(5*time.Second)))
	h.start()
	h.expect("start a", "arm a @5s")
	ch := h.child("a")
	h.at(3 * time.Second).handle(core.Input{Kind: core.StartExtended, Child: ch, Gen: ch.Gen(), At: t0.Add(10 * time.Second)})
	h.expect("arm a @10s")
	h.handle(core.Input{Kind: core.StartExtended, Child: ch, Gen: ch.Gen(), At: t0.Add(4 * time.Second)})
	h.expect()
	h.fire("a")
	h.expect("stop a")
	if got, want := h.now.Sub(t0), 10*time.Second; got != want {
		t.Errorf("start deadline at %v; want %v", got, want)
	}
}
