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
