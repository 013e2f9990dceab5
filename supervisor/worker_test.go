package supervisor

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// calls is an engine that records its calls; its Stop takes a second,
// within its context, so that a Stop is still under way when a worker
// that came late looks at the run.
type calls struct {
	mu  sync.Mutex
	log []string
}

func (e *calls) note(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = append(e.log, s)
}

func (e *calls) Run(ctx context.Context) error {
	e.note("run")
	<-ctx.Done()
	return nil
}

func (e *calls) Stop(ctx context.Context) error {
	e.note("stop")
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
	return nil
}

func (e *calls) seen() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.log)
}

// TestStopBeforeWorkerEntersRun: a stop that claims a run before its
// worker has entered Run voids the run: the engine sees neither that Run
// nor a Stop for it, so its calls still alternate Run, Stop, and the stop
// is over at once. (A worker that looked only at the run's context, which
// is cancelled after Stop returns, entered Run while that Stop was under
// way, and the engine saw Stop, then Run, then no Stop before the next
// Run.)
func TestStopBeforeWorkerEntersRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := &calls{}
		s := New("root", Config{}, Child{Name: "a", Engine: e})
		r := newRunState(s, context.Background())
		c := shellChild(r.core.Children()[0])
		rn := &run{c: c, eng: c.eng, gen: 1}
		c.cur = rn
		c.beginStop(rn, 5*time.Second) // the stopper first ...
		c.newWorker()
		c.next <- rn // ... then the worker
		synctest.Wait()
		if got := e.seen(); len(got) != 0 {
			t.Errorf("engine calls = %v; want none for a run stopped before its Run", got)
		}
		evs := append(r.self, drain(r.inputs)...)
		want := core.Input{Kind: core.ChildStopped, Child: c.cc, Gen: 1}
		if len(evs) != 1 || evs[0] != want {
			t.Errorf("events = %+v; want one ChildStopped, in time", evs)
		}
		time.Sleep(10 * time.Second) // lets a wrong Run and Stop end, so that a failure ends cleanly
		c.retireWorker()
		c.stopTimer.Stop()
		synctest.Wait()
	})
}

func drain(ch chan core.Input) []core.Input {
	var out []core.Input
	for {
		select {
		case ev := <-ch:
			out = append(out, ev)
		default:
			return out
		}
	}
}

// TestLateStopIsCalledBeforeTheRunIsBack: when a requested stop times out
// before the goroutine that calls Stop has got to it (a stalled machine)
// and Run returns as its context is cancelled, the core does not hear
// that the Run is back, and so does not start the engine again, until
// that Stop has been called: a Stop called later would land in the next
// Run. (The soak saw Run 9 begin with no Stop since Run 8, and Run 8's
// Stop come after.)
func TestLateStopIsCalledBeforeTheRunIsBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := &calls{}
		s := New("root", Config{}, Child{Name: "a", Engine: e})
		r := newRunState(s, context.Background())
		c := shellChild(r.core.Children()[0])
		rn := &run{c: c, eng: c.eng, gen: 1}
		c.cur = rn
		// What beginStop does before its goroutine calls Stop, with Run
		// entered: the goroutine is late.
		rn.entry.claim(ownedByWorker)
		rn.pending.Store(2)
		rn.owner.claim(ownedByStopper)
		c.makeStopTimer()
		c.guardStop(rn, time.Second)
		time.Sleep(2 * time.Second) // the stop times out
		// Run returns as its context is cancelled.
		c.stopPartDone(rn, false)
		c.runReturned(rn)
		synctest.Wait()
		kinds := func() []core.InputKind {
			var out []core.InputKind
			for _, ev := range drain(r.inputs) {
				out = append(out, ev.Kind)
			}
			return out
		}
		if got, want := kinds(), []core.InputKind{core.ChildStopped}; !slices.Equal(got, want) {
			t.Errorf("events before the late Stop = %v; want %v (no AbandonedReturned)", got, want)
		}
		c.stopRun(rn)
		if got, want := kinds(), []core.InputKind{core.AbandonedReturned}; !slices.Equal(got, want) {
			t.Errorf("events after it = %v; want %v", got, want)
		}
		if got := e.seen(); !slices.Equal(got, []string{"stop"}) {
			t.Errorf("engine calls = %v; want [stop]", got)
		}
	})
}
