package sdnotify

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// log records when each ping and miss happened, in bubble time.
type pingLog struct {
	mu     sync.Mutex
	start  time.Time
	pings  []time.Duration
	misses []time.Duration
}

func (l *pingLog) ping() { l.mu.Lock(); l.pings = append(l.pings, time.Since(l.start)); l.mu.Unlock() }
func (l *pingLog) miss() {
	l.mu.Lock()
	l.misses = append(l.misses, time.Since(l.start))
	l.mu.Unlock()
}

// A loop that answers at once is pinged for at exactly every half interval.
func TestWatchdogPingsEveryHalf(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := &pingLog{start: time.Now()}
		ctx, cancel := context.WithCancel(context.Background())
		w := Watchdog{Interval: 10 * time.Second, Answer: func() {}, Ping: l.ping, Missed: l.miss}
		done := make(chan struct{})
		go func() { defer close(done); w.Run(ctx) }()
		time.Sleep(21 * time.Second)
		cancel()
		<-done
		want := []time.Duration{5 * time.Second, 10 * time.Second, 15 * time.Second, 20 * time.Second}
		if !slices.Equal(l.pings, want) {
			t.Errorf("pings at %v; want %v", l.pings, want)
		}
		if len(l.misses) != 0 {
			t.Errorf("misses at %v; want none", l.misses)
		}
	})
}

// A loop that hangs is not pinged for and is asked only once while it
// hangs; its late answer is pinged for when it comes, and the ticks go on.
func TestWatchdogHungLoopNotPinged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := &pingLog{start: time.Now()}
		hang := make(chan struct{})
		var mu sync.Mutex
		asked := 0
		answer := func() {
			mu.Lock()
			asked++
			n := asked
			mu.Unlock()
			if n == 2 { // the second question hangs from 10s to 27s
				<-hang
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		w := Watchdog{Interval: 10 * time.Second, Answer: answer, Ping: l.ping, Missed: l.miss}
		done := make(chan struct{})
		go func() { defer close(done); w.Run(ctx) }()
		time.Sleep(27 * time.Second)
		close(hang)
		time.Sleep(9 * time.Second) // to 36s
		cancel()
		<-done
		if want := []time.Duration{5 * time.Second, 27 * time.Second, 30 * time.Second, 35 * time.Second}; !slices.Equal(l.pings, want) {
			t.Errorf("pings at %v; want %v", l.pings, want)
		}
		// Each tick waits half an interval for the answer in flight.
		if want := []time.Duration{15 * time.Second, 20 * time.Second, 25 * time.Second}; !slices.Equal(l.misses, want) {
			t.Errorf("misses at %v; want %v", l.misses, want)
		}
		if asked != 4 {
			t.Errorf("asked %d times; want 4 (one question in flight at a time)", asked)
		}
	})
}

// No watchdog interval, no pings and no goroutine.
func TestWatchdogZero(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := Watchdog{Answer: func() { t.Error("asked") }, Ping: func() { t.Error("pinged") }}
		w.Run(context.Background())
	})
}
