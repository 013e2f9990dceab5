package arbor_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/supervisor"
)

// TestSignalDrainsThenStops: a stop signal to RunWith makes a root with
// a Drain report Stopping at once, keeps its children running for the
// drain, then stops them; a second signal during the drain cuts it short.
func TestSignalDrainsThenStops(t *testing.T) {
	for _, tt := range []struct {
		name   string
		second time.Duration // when a second signal comes; 0: none
		took   time.Duration
		err    error
	}{
		{"drained", 0, 10 * time.Second, nil},
		{"cut short", 2 * time.Second, 2 * time.Second, arbor.ErrInterrupted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var f fakeNotify
				var j journal
				root := supervisor.New("root", supervisor.Config{Drain: 10 * time.Second},
					supervisor.Child{Name: "a", Engine: idle(&j, "a")})
				errc := make(chan error, 1)
				go func() { errc <- arbor.RunWith(context.Background(), root, arbor.Options{Notify: f.notify}) }()
				synctest.Wait()
				start := time.Now()
				f.send(syscall.SIGTERM)
				synctest.Wait()
				snap := root.Snapshot()
				if !snap.Stopping || snap.Children[0].State != supervisor.StateRunning {
					t.Errorf("after the signal: Stopping %v, a %v; want true, running", snap.Stopping, snap.Children[0].State)
				}
				if tt.second > 0 {
					time.Sleep(tt.second)
					f.send(syscall.SIGTERM)
				}
				if err := <-errc; !errors.Is(err, tt.err) {
					t.Errorf("RunWith = %v; want %v", err, tt.err)
				}
				if took := time.Since(start); took != tt.took {
					t.Errorf("RunWith returned after %v; want %v", took, tt.took)
				}
				root.Stop(context.Background())
			})
		})
	}
}
