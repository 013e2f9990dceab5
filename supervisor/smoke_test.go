package supervisor_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// recorder collects events in order.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) on(ev supervisor.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf("%s %s", ev.Kind, ev.Path))
}

func (r *recorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

func TestSmokeRestartAndShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rec recorder
		fails := 0
		crash := engine.FromFunc(func(ctx context.Context) error {
			if fails < 2 {
				fails++
				return errors.New("boom")
			}
			<-ctx.Done()
			return nil
		})
		idle := engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
		sup := supervisor.New("root", supervisor.Config{OnEvent: rec.on, Backoff: supervisor.Backoff{Initial: time.Second, Jitter: supervisor.Zero}},
			supervisor.Child{Name: "a", Engine: idle},
			supervisor.Child{Name: "b", Engine: crash},
		)
		ctx, cancel := context.WithCancel(context.Background())
		errc := sup.ServeBackground(ctx)
		start := time.Now()
		time.Sleep(10 * time.Second)
		synctest.Wait()
		snap := sup.Snapshot()
		if got := snap.Children[1].Restarts; got != 2 {
			t.Errorf("restarts = %d; want 2", got)
		}
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("Run = %v; want nil", err)
		}
		_ = start
		for _, e := range rec.list() {
			t.Log(e)
		}
	})
}
