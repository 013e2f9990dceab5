package config

import (
	"fmt"
	"maps"
	"slices"
)

// signals checks the signals: actions of f, resolved: each action known,
// no reserved signal, and every target a process of f sent a known
// signal.
func (v *validator) signals(f *File) {
	procs := f.processes()
	l, c := f.Root.Line, f.Root.Column // the root's, where signals: is a key
	for _, sig := range slices.Sorted(maps.Keys(f.Signals)) {
		a := f.Signals[sig]
		key := sub("signals", SignalName(sig))
		if SignalName(sig) == "" {
			v.add(l, c, "signals", "found signal %d, expected a known signal", int(sig))
			continue
		}
		if why, reserved := reservedSignals[sig]; reserved {
			v.add(l, c, key, "%s %s", SignalName(sig), why)
		}
		if !slices.Contains(signalActions, a.Do) {
			v.add(l, c, key, "found %q, expected %s", a.Do, oneOf(signalActions))
		}
		if a.Do == SignalForward && len(a.Targets) == 0 {
			v.add(l, c, key, "a forward reaches no process")
		}
		for _, t := range a.Targets {
			if procs[t.Path] == nil {
				v.add(l, c, key, "no process has the path %q", t.Path)
			}
			if SignalName(t.Signal) == "" {
				v.at(l, c, key, fmt.Sprintf("found signal %d for %s, expected a known signal", int(t.Signal), t.Path))
			}
		}
	}
}
