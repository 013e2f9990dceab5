package leakwatch_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/leakwatch"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// syncBuffer is a log destination safe for the watch's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// leaker starts one goroutine more every second, until its run ends.
func leaker() engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error {
		var wg sync.WaitGroup
		defer wg.Wait()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
				wg.Go(func() { <-ctx.Done() })
			}
		}
	})
}

func steady() engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
}

// TestWarnsOnGrowth: a child whose count rises Growths samples in a row
// is named with its stacks, once per run of growths; a steady child and
// the leaker's parent are not.
func TestWarnsOnGrowth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs syncBuffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		sub := supervisor.New("jobs", supervisor.Config{}, supervisor.Child{Name: "leaky", Engine: leaker()})
		sup := supervisor.New("root", supervisor.Config{},
			supervisor.Child{Name: "steady", Engine: steady()}, supervisor.Child{Name: "jobs", Engine: sub},
			supervisor.Child{Name: "watch", Engine: leakwatch.New(leakwatch.Options{Every: 1500 * time.Millisecond, Growths: 3, Logger: log})})
		errc := sup.ServeBackground(context.Background())
		time.Sleep(4 * time.Second)
		synctest.Wait()
		if got := logs.String(); got != "" {
			t.Errorf("after two growths: %q; want no warning", got)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		got := logs.String()
		if n := strings.Count(got, "goroutines keep growing"); n != 1 {
			t.Errorf("warnings = %v; want 1:\n%s", n, got)
		}
		if !strings.Contains(got, "path=root/jobs/leaky") || !strings.Contains(got, "leaker") {
			t.Errorf("warning %q; want the path root/jobs/leaky and the leaker's stack", got)
		}
		_ = sup.Stop(context.Background())
		<-errc
	})
}
