package daemon

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// A burst of exits (a crash loop) makes one sweep at once and one more at
// the end of the gap, not one per exit; an exit after the gap is swept at
// once again.
func TestSweepsAtMostOncePerGap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSweeper()
		quit, done := make(chan struct{}), make(chan struct{})
		begin := time.Now()
		var at []time.Duration
		go func() {
			defer close(done)
			s.loop(quit, nil, func() { at = append(at, time.Since(begin)) })
		}()
		for range 10 {
			s.nudge()
			time.Sleep(time.Millisecond)
		}
		time.Sleep(200*time.Millisecond - 10*time.Millisecond)
		s.nudge()
		time.Sleep(time.Second)
		close(quit)
		<-done
		want := []time.Duration{0, sweepGap, 200 * time.Millisecond}
		if !slices.Equal(at, want) {
			t.Errorf("sweeps at %v; want %v", at, want)
		}
	})
}
