package config

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
)

// signal reads a signal name: SIGTERM, TERM or sigterm alike.
func (d *decoder) signal(e *entry) (syscall.Signal, bool) {
	s, ok := d.str(e.val, e.key)
	if !ok {
		return 0, false
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig, ok := signals[name]; ok {
		return sig, true
	}
	d.errorf(e.val, e.key, "unknown signal %q, expected a signal name such as SIGTERM, TERM or sigint%s",
		s, DidYouMean(name, signalNames()))
	return 0, false
}

// signalNames lists the known signal names, for hints.
func signalNames() []string {
	names := make([]string, 0, len(signals))
	for n := range signals {
		names = append(names, n)
	}
	return names
}

// SignalName returns the name of sig, such as "SIGTERM", or "" if it is
// not a known signal.
func SignalName(sig syscall.Signal) string {
	best := ""
	for n, s := range signals {
		if s == sig && (best == "" || n < best) && !alias[n] {
			best = n
		}
	}
	return best
}

// alias marks the second names of signals that have two.
var alias = map[string]bool{"SIGIOT": true, "SIGPOLL": true, "SIGCLD": true}

// ParseSignal reads a signal named as in a file (SIGTERM, TERM or sigterm
// alike) or by its number, and says what was expected when it is neither.
func ParseSignal(s string) (syscall.Signal, error) {
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 65 {
		return syscall.Signal(n), nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig, ok := signals[name]; ok {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown signal %q, expected a signal name such as SIGUSR1, USR1 or a number%s", s, DidYouMean(name, signalNames()))
}
