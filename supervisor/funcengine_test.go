package supervisor_test

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// TestFuncEngineCancelsRunContext: engine.FromFunc's engine runs its
// function on the run context itself, which it cancels on Stop instead of
// deriving a context of its own. The protocol is unexported on engine's
// side, so this is the test that notices when the two sides drift apart.
func TestFuncEngineCancelsRunContext(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var got context.Context
		e := engine.FromFunc(func(ctx context.Context) error {
			got = ctx
			<-ctx.Done()
			return nil
		})
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "x", Engine: e})
		wait := background(sup)
		synctest.Wait()
		if got, want := fmt.Sprint(got), "arbor.run(root/x)"; got != want {
			t.Errorf("FromFunc's function got context %v; want %v", got, want)
		}
		if err, _ := stopAndWait(t, sup, wait); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		if got, want := got.Err(), context.Canceled; got != want {
			t.Errorf("run context's Err() = %v; want %v", got, want)
		}
	})
}

// slowStopFunc embeds FromFunc's engine but has a Stop that blocks.
type slowStopFunc struct {
	engine.Engine
	release chan struct{}
}

func (s slowStopFunc) Stop(ctx context.Context) error {
	<-s.release
	return s.Engine.Stop(ctx)
}

// TestEmbeddedFuncStopIsGuarded: only FromFunc's own engine has its Stop
// called on the supervisor's goroutine without a guard; a type that embeds
// it and blocks in Stop is abandoned after its shutdown timeout instead of
// hanging the supervisor.
func TestEmbeddedFuncStopIsGuarded(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := slowStopFunc{
			Engine:  engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil }),
			release: make(chan struct{}),
		}
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "x", Engine: e, Shutdown: time.Second})
		wait := background(sup)
		synctest.Wait()
		stopped := make(chan struct{})
		go func() {
			defer close(stopped)
			_ = sup.Stop(context.Background())
		}()
		select {
		case <-stopped:
		case <-time.After(time.Minute):
			t.Errorf("Stop still blocked a minute after a 1s shutdown; want the child abandoned")
		}
		close(e.release)
		_, _ = wait()
	})
}

// pairEngine is a user's wrapper engine that runs two engines on the
// context it was given, as one child of its supervisor.
type pairEngine struct {
	a, b         engine.Engine
	ctx          chan context.Context // the wrapper's run context, once Run is entered
	aDone, bDone chan error
}

func (p *pairEngine) Run(ctx context.Context) error {
	go func() { p.aDone <- p.a.Run(ctx) }()
	go func() { p.bDone <- p.b.Run(ctx) }()
	p.ctx <- ctx
	<-ctx.Done()
	return nil
}

func (p *pairEngine) Stop(ctx context.Context) error {
	_ = p.a.Stop(ctx)
	return p.b.Stop(ctx)
}

// TestFromFuncStopEndsOnlyItsOwnRun: FromFunc's Stop ends only its own
// run, also under a supervisor. A wrapper engine, itself the supervised
// child, runs two FromFunc engines on its run context and stops one: the
// other goes on, and the wrapper's context stays alive, as they do
// outside a supervisor. (FromFunc's engine cancels the supervisor's run
// context directly only when it is the child the supervisor runs.)
func TestFromFuncStopEndsOnlyItsOwnRun(t *testing.T) {
	bubble(t, func(t *testing.T) {
		wait := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
		p := &pairEngine{
			a: engine.FromFunc(wait), b: engine.FromFunc(wait),
			ctx:   make(chan context.Context, 1),
			aDone: make(chan error, 1), bDone: make(chan error, 1),
		}
		sup := supervisor.New("root", supervisor.Config{}, C{Name: "pair", Engine: p})
		waitSup := background(sup)
		ctx := <-p.ctx
		synctest.Wait()
		if err := p.a.Stop(context.Background()); err != nil {
			t.Errorf("a.Stop = %v; want nil", err)
		}
		if got, want := <-p.aDone, context.Canceled; got != want {
			t.Errorf("a's Run = %v; want %v", got, want)
		}
		synctest.Wait()
		select {
		case err := <-p.bDone:
			t.Errorf("b's Run returned %v after only a was stopped; want it still running", err)
		default:
		}
		if err := ctx.Err(); err != nil {
			t.Errorf("the wrapper's run context's Err() = %v after a was stopped; want nil", err)
		}
		if got, want := states(sup), []string{"pair=running"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("states = %v; want %v", got, want)
		}
		if err, _ := stopAndWait(t, sup, waitSup); err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
		synctest.Wait()
		select {
		case got := <-p.bDone:
			if want := context.Canceled; got != want {
				t.Errorf("b's Run after the supervisor stopped = %v; want %v", got, want)
			}
		default:
			t.Errorf("b's Run had not returned once the supervisor stopped; want it ended by its Stop")
		}
	})
}
