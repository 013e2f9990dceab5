package daemon

import (
	"log/slog"
	"os"
	"slices"
	"sync/atomic"
	"syscall"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

// Notify is the signal seam, arbor.Options.Notify: it delivers sigs to c
// until the returned function is called. Nil means os/signal's Notify;
// tests replace it to deliver signals without sending them to the process.
type Notify func(c chan<- os.Signal, sigs ...os.Signal) (stop func())

// Signals is what supervise does on each signal by default. SIGTERM,
// SIGINT and SIGQUIT stop the tree in reverse start order (the official
// nginx image stops its containers with SIGQUIT). Every other signal whose
// default would end supervise, at once or with a dump, or freeze it, is
// logged and leaves the tree running, as for PID 1: no signal but SIGKILL
// (and SIGSTOP, SIGTTOU) can skip the ordered stop. SIGHUP's action is
// reload: the file is read again and what changed is applied, as by
// `supervise reload`. The file's signals: key overrides these.
func Signals() []os.Signal {
	return append([]os.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT}, ignoredSignals...)
}

// stopsByDefault reports whether sig stops the tree when the file does not
// say otherwise.
func stopsByDefault(sig os.Signal) bool {
	return sig == syscall.SIGTERM || sig == syscall.SIGINT || sig == syscall.SIGQUIT
}

// signalLog carries out and logs the signals that arbor.RunWith reports:
// the ones it does not stop on are the file's forwards, reloads and
// ignores, done here, on RunWith's goroutine, none of them blocking.
type signalLog struct {
	log *slog.Logger
	// actions are the file's signals: entries, as the last reload left
	// them: onSignal reads them anew for every signal.
	actions func() map[syscall.Signal]config.SignalAction
	procs   func(path string) *assemble.Proc // nil when none runs there
	// reload re-reads the file and applies it (SIGHUP); nil does nothing.
	reload func()
	// pipeSeen: SIGPIPE is logged once. When stderr is a broken pipe,
	// each log write raises another SIGPIPE; logging every one would
	// loop.
	pipeSeen atomic.Bool
	// stopping: a stop signal came already.
	stopping atomic.Bool
}

// signals are the signals arbor.RunWith is to catch: the defaults and
// the file's.
func (l *signalLog) signals() []os.Signal {
	sigs := Signals()
	for sig := range l.actions() {
		if !slices.Contains(sigs, os.Signal(sig)) {
			sigs = append(sigs, sig)
		}
	}
	return sigs
}

// stops is arbor.Options.Stops: the file's action as the last reload left
// it, else the default. Of the file's actions only stop is RunWith's own;
// the rest arrive at onSignal as not stopping.
func (l *signalLog) stops(sig os.Signal) bool {
	if a, ok := l.actions()[toSyscall(sig)]; ok {
		return a.Do == config.SignalStop
	}
	return stopsByDefault(sig)
}

func (l *signalLog) onSignal(sig os.Signal, stop bool) {
	name := signalName(sig)
	act, inFile := l.actions()[toSyscall(sig)]
	switch {
	case stop && l.stopping.Swap(true):
		// The same request again (within SameStopWithin): systemd's
		// control-group kill and a forwarding parent both deliver it.
		l.log.Info("signal received again; the stop is under way", "event", "signal", "signal", name)
	case stop:
		l.log.Info("signal received; stopping the tree in reverse start order", "event", "signal", "signal", name)
	case act.Do == config.SignalForward:
		l.forward(name, act.Targets)
	case act.Do == config.SignalReload || !inFile && sig == syscall.SIGHUP:
		l.log.Info("signal received; re-reading the file", "event", "signal", "signal", name, "action", config.SignalReload)
		if l.reload != nil {
			go l.reload() // not on RunWith's goroutine: a reload waits for children
		}
	case sig == syscall.SIGPIPE:
		if !l.pipeSeen.Swap(true) {
			l.log.Warn("signal ignored; the tree runs on (further SIGPIPEs are not logged)", "event", "signal_ignored", "signal", name)
		}
	default:
		l.log.Warn("signal ignored; the tree runs on", "event", "signal_ignored", "signal", name)
	}
}

// forward sends each target its signal; received is the signal's name.
func (l *signalLog) forward(received string, targets []config.SignalTarget) {
	for _, t := range targets {
		sent := config.SignalName(t.Signal)
		p := l.procs(t.Path)
		if p == nil {
			continue // a file changed in code after its check; nothing to reach
		}
		switch ok, err := p.Signal(t.Signal); {
		case err != nil:
			l.log.Warn("cannot forward the signal", "event", "signal_not_forwarded", "path", t.Path, "signal", sent, "received", received, "error", err.Error())
		case !ok:
			l.log.Info("signal not forwarded: the process is not running", "event", "signal_not_forwarded", "path", t.Path, "signal", sent, "received", received)
		default:
			l.log.Info("signal forwarded to the process group", "event", "signal_forwarded", "path", t.Path, "signal", sent, "received", received)
		}
	}
}

// toSyscall is sig as a syscall.Signal, 0 if it is none.
func toSyscall(sig os.Signal) syscall.Signal {
	s, _ := sig.(syscall.Signal)
	return s
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
