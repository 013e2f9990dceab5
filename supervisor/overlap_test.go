package supervisor_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// stubborn is an engine whose first Run ignores its context until
// release is closed (when hang is set); it counts the Runs under way and
// the most at once.
type stubborn struct {
	release chan struct{}
	hang    bool
	runs    atomic.Int32
	mu      sync.Mutex
	now     int
	most    int
}

func (e *stubborn) Run(ctx context.Context) error {
	e.mu.Lock()
	e.now++
	e.most = max(e.most, e.now)
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.now--
		e.mu.Unlock()
	}()
	if e.runs.Add(1) == 1 && e.hang {
		<-e.release
		return nil
	}
	<-ctx.Done()
	return nil
}

func (e *stubborn) Stop(context.Context) error { return nil }

func (e *stubborn) peak() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.most
}

// TestAbandonedRunIsNotRunTwice: a child whose Run ignores its context is
// abandoned during a one_for_all restart; it is not started again while
// that Run is out (its snapshot reads abandoned), and is once it returns.
func TestAbandonedRunIsNotRunTwice(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		b := &stubborn{release: make(chan struct{}), hang: true}
		c := newFake()
		sup := supervisor.New("root", supervisor.Config{Strategy: supervisor.OneForAll, Backoff: noBackoff},
			C{Name: "a", Engine: a}, C{Name: "b", Engine: b, Shutdown: sec}, C{Name: "c", Engine: c})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		time.Sleep(10 * sec)
		synctest.Wait()
		sameLines(t, "while b's Run is out", states(sup), []string{"a=running", "b=abandoned", "c=stopped"})
		if n := b.runs.Load(); n != 1 {
			t.Errorf("b runs = %d; want 1 while its abandoned Run is out", n)
		}
		close(b.release)
		synctest.Wait()
		sameLines(t, "after it returned", states(sup), []string{"a=running", "b=running", "c=running"})
		if got := b.peak(); got != 1 {
			t.Errorf("b Runs at once = %d; want 1", got)
		}
		stopAndWait(t, sup, wait)
	})
}

// TestFactoryRestartsAtOnce: a child with New gets a fresh engine per run
// and restarts at once after an abandonment, beside the run still out.
func TestFactoryRestartsAtOnce(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		release := make(chan struct{})
		var made []*stubborn
		newB := func() engine.Engine {
			e := &stubborn{release: release, hang: len(made) == 0}
			made = append(made, e)
			return e
		}
		sup := supervisor.New("root", supervisor.Config{Strategy: supervisor.OneForAll, Backoff: noBackoff},
			C{Name: "a", Engine: a}, C{Name: "b", New: newB, Shutdown: sec})
		wait := background(sup)
		synctest.Wait()
		a.crash(errBoom)
		time.Sleep(sec)
		synctest.Wait()
		sameLines(t, "after the abandonment", states(sup), []string{"a=running", "b=running"})
		if len(made) != 2 || made[0] == made[1] {
			t.Errorf("engines made = %d; want 2, one per run", len(made))
		}
		err, _ := stopAndWait(t, sup, wait)
		if err != nil {
			t.Errorf("Run = %v; want nil (the second run stopped in time)", err)
		}
		close(release)
	})
}

// TestFactoryValidation: a child sets Engine or New, not both.
func TestFactoryValidation(t *testing.T) {
	newE := func() engine.Engine { return newFake() }
	sup := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: newFake(), New: newE})
	if err := sup.Validate(); err == nil {
		t.Errorf("Validate = nil; want an error for Engine and New both set")
	}
	sup = supervisor.New("root", supervisor.Config{}, C{Name: "a", New: newE})
	if err := sup.Validate(); err != nil {
		t.Errorf("Validate = %v; want nil", err)
	}
}

// TestAbandonedRunOutlivesNestedRestart: a child supervisor that gives up
// with a child abandoned, and is restarted by its parent, does not start
// that child's engine again while the abandoned Run is out: the new run
// reads it abandoned, and starts it once the Run has returned.
func TestAbandonedRunOutlivesNestedRestart(t *testing.T) {
	bubble(t, func(t *testing.T) {
		a := newFake()
		b := &stubborn{release: make(chan struct{}), hang: true}
		h := supervisor.New("h", supervisor.Config{Intensity: supervisor.Zero},
			C{Name: "a", Engine: a}, C{Name: "b", Engine: b, Shutdown: sec})
		root := supervisor.New("root", supervisor.Config{Backoff: noBackoff}, C{Name: "h", Engine: h})
		wait := background(root)
		synctest.Wait()
		a.crash(errBoom) // h gives up, abandons b, and is restarted
		time.Sleep(10 * sec)
		synctest.Wait()
		sameLines(t, "h's second run while b's Run is out", states(h), []string{"a=running", "b=abandoned"})
		if n := b.runs.Load(); n != 1 {
			t.Errorf("b runs = %d; want 1 while its abandoned Run is out", n)
		}
		close(b.release)
		synctest.Wait()
		sameLines(t, "after it returned", states(h), []string{"a=running", "b=running"})
		if got := b.peak(); got != 1 {
			t.Errorf("b Runs at once = %d; want 1", got)
		}
		stopAndWait(t, root, wait)
	})
}

// TestAbandonedRunOutlivesRunAgain: a supervisor run again after a Run
// that abandoned a child holds that child, and the ones after it, until
// the abandoned Run has returned.
func TestAbandonedRunOutlivesRunAgain(t *testing.T) {
	bubble(t, func(t *testing.T) {
		b := &stubborn{release: make(chan struct{}), hang: true}
		c := newFake()
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "b", Engine: b, Shutdown: sec}, C{Name: "c", Engine: c})
		wait := background(sup)
		synctest.Wait()
		if err, _ := stopAndWait(t, sup, wait); !isA[*supervisor.StopTimeoutError](err) {
			t.Fatalf("first Run = %v; want b abandoned", err)
		}
		wait = background(sup)
		synctest.Wait()
		sameLines(t, "the second run while b's Run is out", states(sup), []string{"b=abandoned", "c=stopped"})
		if n := b.runs.Load(); n != 1 {
			t.Errorf("b runs = %d; want 1 while its abandoned Run is out", n)
		}
		close(b.release)
		synctest.Wait()
		sameLines(t, "after it returned", states(sup), []string{"b=running", "c=running"})
		if got := b.peak(); got != 1 {
			t.Errorf("b Runs at once = %d; want 1", got)
		}
		if err, _ := stopAndWait(t, sup, wait); err != nil {
			t.Errorf("second Run = %v; want nil", err)
		}
	})
}
