package config

import (
	"fmt"
	"slices"
	"strings"
	"syscall"

	"github.com/goccy/go-yaml/ast"
)

// What supervise can do on a signal (the signals: root key).
const (
	SignalStop    = "stop"    // stop the tree in reverse start order
	SignalReload  = "reload"  // re-read the file; logged and ignored until supervise can
	SignalForward = "forward" // send a signal to the process groups of Targets
	SignalIgnore  = "ignore"  // log it; the tree runs on
)

var signalActions = []string{SignalStop, SignalReload, SignalForward, SignalIgnore}

// SignalAction is what supervise does when one signal arrives.
type SignalAction struct {
	Do string // SignalStop, SignalReload, SignalForward or SignalIgnore
	// Targets are the processes a forward reaches, in file order, a
	// supervisor's path standing for every process below it; nil for the
	// other actions.
	Targets []SignalTarget
}

// SignalTarget is one process that a forwarded signal reaches.
type SignalTarget struct {
	Path   string         // the process's full path, e.g. "shop/web"
	Signal syscall.Signal // what its process group is sent
}

// signalMap reads the signals: root key: signal names mapped to stop,
// reload, ignore, forward (to every process), {forward: [PATH, ...]} (the
// signal itself) or {reload: [PATH, ...]} (each process's reload_signal).
func (d *decoder) signalMap(e *entry, root *Group) map[syscall.Signal]SignalAction {
	m := d.mapping(e.val, e.key)
	if m == nil || root == nil {
		return nil
	}
	out := make(map[syscall.Signal]SignalAction, len(m.entries))
	lines := map[syscall.Signal]int{}
	for _, se := range m.entries {
		sig, ok := d.signalName(se)
		if !ok {
			continue
		}
		if line, dup := lines[sig]; dup {
			d.errorf(se.at, se.key, "%s is mapped twice, also on line %d, expected one action per signal", SignalName(sig), line)
			continue
		}
		lines[sig], _ = pos(se.at)
		if a, ok := d.signalAction(se, sig, root); ok {
			out[sig] = a
		}
	}
	return out
}

// signalName reads a signals: key as a catchable signal that may be mapped.
func (d *decoder) signalName(se entry) (syscall.Signal, bool) {
	name := strings.ToUpper(se.name)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	sig, ok := signals[name]
	if !ok {
		d.errorf(se.at, se.key, "unknown signal %q, expected a signal name such as SIGHUP, HUP or sigusr1%s",
			se.name, DidYouMean(name, signalNames()))
		return 0, false
	}
	if why, reserved := reservedSignals[sig]; reserved {
		d.errorf(se.at, se.key, "%s %s", SignalName(sig), why)
		return 0, false
	}
	return sig, true
}

// signalAction reads the action of one signal.
func (d *decoder) signalAction(se entry, sig syscall.Signal, root *Group) (SignalAction, bool) {
	v, _ := d.resolve(se.val, se.key)
	if _, ok := v.(*ast.MappingNode); !ok {
		s, ok := d.enum(se.val, se.key, "signal action", signalActions)
		if !ok {
			return SignalAction{}, false
		}
		if s == SignalForward {
			return SignalAction{Do: s, Targets: targets(processesBelow(root), sig)}, true
		}
		return SignalAction{Do: s}, true
	}
	am := d.mapping(se.val, se.key)
	d.checkKeys(am, []string{"forward", "reload"}, nowhere)
	if len(am.entries) != 1 {
		d.errorf(am.node, se.key, "found %d keys, expected one of forward: [PATH, ...] and reload: [PATH, ...]", len(am.entries))
		return SignalAction{}, false
	}
	te := am.entries[0]
	procs, ok := d.signalPaths(te, root)
	if !ok {
		return SignalAction{}, false
	}
	if te.name == "forward" {
		return SignalAction{Do: SignalForward, Targets: targets(procs, sig)}, true
	}
	return SignalAction{Do: SignalForward, Targets: targets(procs, 0)}, true
}

// targets sends sig to each of procs, or its reload_signal if sig is 0.
func targets(procs []*Process, sig syscall.Signal) []SignalTarget {
	ts := make([]SignalTarget, 0, len(procs))
	for _, p := range procs {
		s := sig
		if s == 0 {
			s = p.ReloadSignal
		}
		ts = append(ts, SignalTarget{Path: p.Path, Signal: s})
	}
	return ts
}

// signalPaths reads a non-empty list of paths (or one path) below root:
// as status shows them, with or without the root's name. A supervisor
// stands for every process below it; each process is listed once.
func (d *decoder) signalPaths(te entry, root *Group) ([]*Process, bool) {
	var nodes []ast.Node
	if v, _ := d.resolve(te.val, te.key); v == nil {
		return nil, false
	} else if seq, isSeq := v.(*ast.SequenceNode); isSeq {
		nodes = seq.Values
	} else {
		nodes = []ast.Node{te.val}
	}
	if len(nodes) == 0 {
		d.errorf(te.val, te.key, "found an empty list, expected the paths of processes or supervisors, such as [web, jobs/worker]")
		return nil, false
	}
	var procs []*Process
	ok := true
	for i, n := range nodes {
		key := te.key
		if len(nodes) > 1 || n != te.val {
			key = index(te.key, i)
		}
		s, isStr := d.text(n, key)
		if !isStr {
			ok = false
			continue
		}
		c := childAt(root, s)
		if c == nil {
			d.errorf(n, key, "no process or supervisor has the path %q, expected a path below the root%s",
				s, pathHint(s, relPaths(root)))
			ok = false
			continue
		}
		for _, p := range processesBelow(c) {
			if !slices.Contains(procs, p) {
				procs = append(procs, p)
			}
		}
	}
	return procs, ok
}

// childAt finds the child of root at path, relative to the root or
// starting with its name.
func childAt(root *Group, path string) Child {
	var found Child
	walk(root, func(c Child) {
		p := childPath(c)
		if found == nil && c != Child(root) && (p == root.Path+"/"+path || p == path) {
			found = c
		}
	})
	return found
}

// processesBelow lists the processes of c in file order: c itself if it
// is one.
func processesBelow(c Child) []*Process {
	if p, ok := c.(*Process); ok {
		return []*Process{p}
	}
	var out []*Process
	walk(c.(*Group), func(c Child) {
		if p, ok := c.(*Process); ok {
			out = append(out, p)
		}
	})
	return out
}

// relPaths lists the paths below root, without the root's name, for hints.
func relPaths(root *Group) []string {
	var out []string
	walk(root, func(c Child) {
		if p := childPath(c); p != root.Path {
			out = append(out, strings.TrimPrefix(p, root.Path+"/"))
		}
	})
	return out
}

func childPath(c Child) string {
	if p, ok := c.(*Process); ok {
		return p.Path
	}
	return c.(*Group).Path
}

// pathHint suggests a path near s, or else names one.
func pathHint(s string, paths []string) string {
	if hint := DidYouMean(s, paths); hint != "" || len(paths) == 0 {
		return hint
	}
	return fmt.Sprintf(" such as %q", paths[0])
}
