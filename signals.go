package arbor

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Options configure [RunWith]. The zero value is what [Run] does.
type Options struct {
	// Signals are the signals RunWith catches. Nil means SIGTERM and
	// SIGINT; an empty, non-nil slice catches none. A signal not caught
	// keeps Go's default behaviour (for most, ending the program).
	Signals []os.Signal
	// Stops reports whether a caught signal stops the tree in reverse
	// start order, as ctx ending does; nil means every caught signal
	// does. It is asked at each arrival, so what a signal does may change
	// while RunWith runs (a daemon's reloaded configuration). A signal it
	// declines is only reported to OnSignal: the tree runs on. A stop
	// signal that arrives while the tree is stopping, later than
	// SameStopWithin, interrupts the stop: see OnInterrupt. It runs on
	// RunWith's goroutine and must return promptly.
	Stops func(sig os.Signal) bool
	// OnSignal, when set, is called for every caught signal except an
	// interrupting one, with whether it stops the tree, before RunWith
	// acts on it. It runs on RunWith's goroutine and must return
	// promptly: signals wait meanwhile.
	OnSignal func(sig os.Signal, stop bool)
	// OnInterrupt, when set, is called when a stop signal arrives while
	// the tree is already stopping, just before RunWith gives up waiting
	// and returns ErrInterrupted; for example to kill what is left.
	OnInterrupt func(sig os.Signal)
	// InterruptWait is how long RunWith still waits, after OnInterrupt,
	// for root's Run to return before it returns ErrInterrupted anyway.
	// Zero means not at all.
	InterruptWait time.Duration
	// SameStopWithin is how long after the stop began a further stop
	// signal still counts as the same request rather than an interrupt:
	// one request can arrive twice, as when systemd signals every process
	// of a unit's control group and a parent also forwards the signal.
	// Such a signal is passed to OnSignal with stop true. Zero means
	// every further stop signal interrupts.
	SameStopWithin time.Duration
	// Notify subscribes c to sigs until the returned stop is called,
	// as os/signal's Notify and Stop do, which nil means. It exists for a
	// program's tests: they deliver signals on c to test how the program
	// stops and reloads, without signalling the test process itself.
	Notify func(c chan<- os.Signal, sigs ...os.Signal) (stop func())
}

// defaultSignals are the signals [Run] catches, all of them stopping.
var defaultSignals = []os.Signal{syscall.SIGTERM, syscall.SIGINT}

// notifySignals is the default Notify, and the seam that FakeSignals
// replaces for the tests of Run itself.
var notifySignals = func(c chan<- os.Signal, sigs ...os.Signal) (stop func()) {
	signal.Notify(c, sigs...)
	return func() { signal.Stop(c) }
}

func (o *Options) onSignal(sig os.Signal, stop bool) {
	if o.OnSignal != nil {
		o.OnSignal(sig, stop)
	}
}

func (o *Options) stops(sig os.Signal) bool {
	return o.Stops == nil || o.Stops(sig)
}
