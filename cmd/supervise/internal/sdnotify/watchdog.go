package sdnotify

import (
	"context"
	"time"
)

// Watchdog pings a service manager's watchdog for as long as a loop it
// watches goes on answering: a process whose main loop hangs stops pinging,
// and the manager restarts it.
type Watchdog struct {
	// Interval is the manager's watchdog timeout; pings go every half of
	// it, as sd_watchdog_enabled(3) advises.
	Interval time.Duration
	// Answer returns once the watched loop has answered a question. It
	// must also return once that loop has ended, for at most one Answer
	// runs at a time, and one that never returns is never asked again.
	Answer func()
	// Ping sends WATCHDOG=1.
	Ping func()
	// Missed, if set, is called for each ping left out because Answer had
	// not returned within half the interval.
	Missed func()
}

// Run pings every half of the interval, each time after Answer returned
// within that half, until ctx ends. It does nothing for an Interval under
// two nanoseconds.
func (w Watchdog) Run(ctx context.Context) {
	half := w.Interval / 2
	if half <= 0 {
		return
	}
	t := time.NewTicker(half)
	defer t.Stop()
	var answered chan struct{} // the question in flight, if any
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if answered == nil {
			answered = make(chan struct{})
			go func(c chan struct{}) {
				defer close(c)
				w.Answer()
			}(answered)
		}
		if w.await(ctx, answered, half) {
			answered = nil
			w.Ping()
		} else if ctx.Err() == nil && w.Missed != nil {
			w.Missed()
		}
	}
}

// await waits at most d for c to close.
func (w Watchdog) await(ctx context.Context, c <-chan struct{}, d time.Duration) bool {
	select {
	case <-c:
		return true
	default:
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-c:
		return true
	case <-timer.C:
	case <-ctx.Done():
	}
	return false
}
