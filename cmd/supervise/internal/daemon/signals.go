package daemon

import (
	"log/slog"
	"os"
	"sync/atomic"
	"syscall"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

// Notify is the signal seam, arbor.Options.Notify: it delivers sigs to c
// until the returned function is called. Nil means os/signal's Notify;
// tests replace it to deliver signals without sending them to the process.
type Notify func(c chan<- os.Signal, sigs ...os.Signal) (stop func())

// Signals is what supervise does on each signal. SIGTERM, SIGINT and
// SIGQUIT stop the tree in reverse start order (the official nginx image
// stops its containers with SIGQUIT). Every other signal whose default
// would end supervise, at once or with a dump, or freeze it, is logged and
// leaves the tree running, as for PID 1: no signal but SIGKILL (and SIGSTOP,
// SIGTTOU) can skip the ordered stop. SIGHUP is among them until it
// reloads the file.
func Signals() map[os.Signal]arbor.SignalAction {
	m := arbor.DefaultSignals()
	m[syscall.SIGQUIT] = arbor.SignalStop
	for _, s := range ignoredSignals {
		m[s] = arbor.SignalIgnore
	}
	return m
}

// signalLog logs the signals that arbor.RunWith reports.
type signalLog struct {
	log *slog.Logger
	// pipeSeen: SIGPIPE is logged once. When stderr is a broken pipe,
	// each log write raises another SIGPIPE; logging every one would
	// loop.
	pipeSeen atomic.Bool
}

func (l *signalLog) onSignal(sig os.Signal, a arbor.SignalAction) {
	name := signalName(sig)
	switch {
	case a == arbor.SignalStop:
		l.log.Info("signal received; stopping the tree in reverse start order", "event", "signal", "signal", name)
	case sig == syscall.SIGPIPE:
		if !l.pipeSeen.Swap(true) {
			l.log.Warn("signal ignored; the tree runs on (further SIGPIPEs are not logged)", "event", "signal_ignored", "signal", name)
		}
	default:
		l.log.Warn("signal ignored; the tree runs on", "event", "signal_ignored", "signal", name)
	}
}

// signalName is such as "SIGHUP".
func signalName(sig os.Signal) string {
	if s, ok := sig.(syscall.Signal); ok {
		if n := config.SignalName(s); n != "" {
			return n
		}
	}
	return sig.String()
}
