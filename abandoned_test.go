package arbor_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// TestAbandonedDescendantFailsMain: a child that never stops, three levels
// down, makes arbor.Run return an error naming it, and Main's exit code
// non-zero: goroutines are still running.
func TestAbandonedDescendantFailsMain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, restore := arbor.FakeSignals()
		defer restore()
		release := make(chan struct{})
		stuck := engine.FromFunc(func(context.Context) error { <-release; return nil })
		idle := func() engine.Engine {
			return engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
		}
		h := supervisor.New("h", supervisor.Config{}, supervisor.Child{Name: "x", Engine: stuck, Shutdown: time.Second})
		g := supervisor.New("g", supervisor.Config{}, supervisor.Child{Name: "h", Engine: h})
		root := supervisor.New("root", supervisor.Config{}, supervisor.Child{Name: "a", Engine: idle()}, supervisor.Child{Name: "g", Engine: g})
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- arbor.Run(ctx, root) }()
		synctest.Wait()
		cancel()
		err := <-errc
		var ste *supervisor.StopTimeoutError
		if !errors.As(err, &ste) || !slices.Equal(ste.Children, []string{"root/g/h/x"}) {
			t.Errorf("Run = %v; want a *StopTimeoutError listing root/g/h/x", err)
		}
		if code := arbor.ExitCode(err); code == 0 {
			t.Errorf("exit code = 0; want non-zero")
		}
		close(release)
	})
}
