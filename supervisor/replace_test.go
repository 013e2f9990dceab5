package supervisor_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// An inserted child starts at once and takes its place in the order: the
// shutdown stops it between its neighbours.
func TestInsertChildKeepsOrder(t *testing.T) {
	bubble(t, func(t *testing.T) {
		rec := newRecorder()
		a, c, b := newFake(), newFake(), newFake()
		sup := supervisor.New("root", supervisor.Config{OnEvent: rec.on}, C{Name: "a", Engine: a}, C{Name: "c", Engine: c})
		wait := background(sup)
		synctest.Wait()
		if err := sup.InsertChild(context.Background(), "c", C{Name: "b", Engine: b}); err != nil {
			t.Fatalf("InsertChild = %v; want nil", err)
		}
		sameLines(t, "states", states(sup), []string{"a=running", "b=running", "c=running"})
		stopAndWait(t, sup, wait)
		var stopped []string
		for _, e := range rec.events() {
			if e.Kind == supervisor.EventStopped {
				stopped = append(stopped, e.Path)
			}
		}
		sameLines(t, "stop order", stopped, []string{"root/c", "root/b", "root/a"})
	})
}

// ReplaceChild needs a stopped child, keeps its place, and the next start
// runs the new engine.
func TestReplaceChildInPlace(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a, b, b2 := newFake(), newFake(), newFake()
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: a}, C{Name: "b", Engine: b})
		wait := background(sup)
		synctest.Wait()
		ctx := context.Background()
		if err := sup.ReplaceChild(ctx, C{Name: "b", Engine: b2}); !errors.Is(err, supervisor.ErrNotStopped) {
			t.Errorf("ReplaceChild of a running child = %v; want ErrNotStopped", err)
		}
		if err := sup.ReplaceChild(ctx, C{Name: "nope", Engine: b2}); !errors.Is(err, supervisor.ErrNotFound) {
			t.Errorf("ReplaceChild of an unknown child = %v; want ErrNotFound", err)
		}
		if err := sup.TerminateChild(ctx, "b"); err != nil {
			t.Fatal(err)
		}
		if err := sup.ReplaceChild(ctx, C{Name: "b", Engine: b2}); err != nil {
			t.Fatalf("ReplaceChild = %v; want nil", err)
		}
		if err := sup.RestartChild(ctx, "b"); err != nil {
			t.Fatal(err)
		}
		sameLines(t, "states", states(sup), []string{"a=running", "b=running"})
		synctest.Wait() // ready is confirmed just before Run is entered
		if got := b2.runCount(); got != 1 {
			t.Errorf("new engine runs = %d; want 1", got)
		}
		if got := b.runCount(); got != 1 {
			t.Errorf("old engine runs = %d; want 1", got)
		}
		stopAndWait(t, sup, wait)
		checkPaired(t, map[string]*fake{"a": a, "b": b, "b2": b2})
	})
}

// Reconfigure applies a new intensity at once and keeps the restarts
// counted: after one restart, a lower intensity of 1 makes the next
// failure the one too many. (Ported from SetIntensity's test.)
func TestReconfigureIntensityInPlace(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		cfg := supervisor.Config{Intensity: 5, Period: time.Hour, Backoff: noBackoff}
		sup := supervisor.New("root", cfg, C{Name: "a", Engine: a})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		synctest.Wait()
		cfg.Intensity = 1
		if err := sup.Reconfigure(context.Background(), cfg); err != nil {
			t.Fatalf("Reconfigure = %v; want nil", err)
		}
		if got := a.runCount(); got != 2 {
			t.Fatalf("a runs = %d; want 2 (nothing restarted by Reconfigure)", got)
		}
		a.crash(errBoom)
		if err, _ := wait(); !isA[*supervisor.GaveUpError](err) {
			t.Errorf("Run = %v; want a *GaveUpError", err)
		}
	})
}
