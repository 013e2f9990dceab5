package supervisor_test

import (
	"bytes"
	"context"
	"runtime"
	"testing"
	"testing/synctest"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// goroutineID reads the calling goroutine's number from its stack trace.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	f := bytes.Fields(buf)
	return string(f[1])
}

// A child's first run has a goroutine of its own that ends with it; the
// first restart gets a worker that serves every restart after it, so that
// a crash loop starts no goroutine per restart.
func TestRestartsShareOneWorker(t *testing.T) {
	bubble(t, func(t *testing.T) {
		var ids []string
		const fails = 5
		e := engine.FromFunc(func(ctx context.Context) error {
			ids = append(ids, goroutineID())
			if len(ids) <= fails {
				return errBoom
			}
			<-ctx.Done()
			return nil
		})
		sup := supervisor.New("root", supervisor.Config{Intensity: fails + 1, Backoff: noBackoff}, C{Name: "flap", Engine: e})
		wait := background(sup)
		synctest.Wait()
		stopAndWait(t, sup, wait)
		if len(ids) != fails+1 {
			t.Fatalf("runs = %d; want %d", len(ids), fails+1)
		}
		for i := 2; i < len(ids); i++ {
			if ids[i] != ids[1] {
				t.Errorf("run %d on goroutine %s; want %s, the goroutine of the first restart (all: %v)", i+1, ids[i], ids[1], ids)
			}
		}
	})
}
