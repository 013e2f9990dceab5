package arbor

import (
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// SignalAction is what [RunWith] does when a signal it handles arrives.
type SignalAction int

const (
	// SignalIgnore leaves the tree running; Options.OnSignal is told.
	SignalIgnore SignalAction = iota
	// SignalStop stops the tree in reverse start order, as ctx ending
	// does. A stop signal that arrives while the tree is stopping, later
	// than Options.SameStopWithin, interrupts the stop: see
	// Options.OnInterrupt.
	SignalStop
)

// String returns "ignore" or "stop".
func (a SignalAction) String() string {
	switch a {
	case SignalIgnore:
		return "ignore"
	case SignalStop:
		return "stop"
	}
	return "SignalAction(" + strconv.Itoa(int(a)) + ")"
}

// Options configure [RunWith]. The zero value is what [Run] does.
type Options struct {
	// Signals maps each signal that RunWith handles to its action. Nil
	// means DefaultSignals(): SIGTERM and SIGINT stop. A signal not in
	// the map keeps Go's default behaviour (for most, ending the
	// program). The map must not change while RunWith runs.
	Signals map[os.Signal]SignalAction
	// OnSignal, when set, is called for every handled signal except an
	// interrupting one, with its action, before RunWith acts on it. It
	// runs on RunWith's goroutine and must return promptly: signals wait
	// meanwhile.
	OnSignal func(sig os.Signal, action SignalAction)
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
	// Such a signal is passed to OnSignal with SignalStop. Zero means
	// every further stop signal interrupts.
	SameStopWithin time.Duration
	// Notify subscribes c to sigs until the returned stop is called. Nil
	// means os/signal's Notify. Tests set it to deliver signals without
	// sending them to the process.
	Notify func(c chan<- os.Signal, sigs ...os.Signal) (stop func())
}

// DefaultSignals returns the signal handling of [Run], SIGTERM and SIGINT
// stop, as a new map for RunWith's Options.Signals to extend: to stop
// on SIGQUIT as well, as a container stopped with STOPSIGNAL SIGQUIT
// expects, set m[syscall.SIGQUIT] = SignalStop.
func DefaultSignals() map[os.Signal]SignalAction {
	return map[os.Signal]SignalAction{syscall.SIGTERM: SignalStop, syscall.SIGINT: SignalStop}
}

// notifySignals is the default Notify, and the seam that FakeSignals
// replaces for the tests of Run itself.
var notifySignals = func(c chan<- os.Signal, sigs ...os.Signal) (stop func()) {
	signal.Notify(c, sigs...)
	return func() { signal.Stop(c) }
}

func signalsOf(m map[os.Signal]SignalAction) []os.Signal {
	sigs := make([]os.Signal, 0, len(m))
	for s := range m {
		sigs = append(sigs, s)
	}
	return sigs
}

func (o *Options) onSignal(sig os.Signal, a SignalAction) {
	if o.OnSignal != nil {
		o.OnSignal(sig, a)
	}
}
