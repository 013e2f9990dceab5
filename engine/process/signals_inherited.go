package process

import (
	"os"
	"os/signal"
	"sync"
)

// A signal that is ignored when a program execs stays ignored in the new
// program. A supervisor started under nohup (SIGHUP ignored) or as a
// shell's background job (SIGINT and SIGQUIT ignored) would pass that on
// to every child, and a child that traps its stop signal would never see
// it: the stop would end in SIGKILL. Signals that the Go runtime handles are
// reset to their defaults in children, so for every stop signal that was
// ignored at startup we install a handler whose deliveries are drained and
// dropped: the supervisor still ignores them, its children do not. The
// list of those signals (stopSignals) depends on the OS.

var (
	unignoreOnce sync.Once
	ignoredDrain chan os.Signal
)

// unignoreStopSignals runs once, before the first child starts. It returns
// the channel whose deliveries must be dropped, or nil when no stop signal
// was ignored.
func unignoreStopSignals() <-chan os.Signal {
	unignoreOnce.Do(func() {
		var ignored []os.Signal
		for _, sig := range stopSignals {
			if signal.Ignored(sig) {
				ignored = append(ignored, sig)
			}
		}
		if len(ignored) > 0 {
			ignoredDrain = make(chan os.Signal, 1)
			signal.Notify(ignoredDrain, ignored...)
		}
	})
	return ignoredDrain
}
