package health

import (
	"slices"
	"strings"

	"github.com/arborgo/arbor/supervisor"
)

// Report is the readiness of a tree, as /readyz answers it.
type Report struct {
	// Ready is true when the tree is ready.
	Ready bool `json:"ready"`
	// NotReady lists what keeps it from being ready, in tree order: the
	// root itself while it starts or stops, then each child not ready.
	NotReady []Node `json:"not_ready,omitempty"`
}

// Node is a node of the tree (the root, a child supervisor or a child)
// that is not ready, as /readyz lists it.
type Node struct {
	// Path is the node's path, such as "shop/web"; "" for the root when
	// the tree has not run.
	Path string `json:"path"`
	// State is the child's state, such as "backing_off"; for the root or
	// a child supervisor "starting", "stopping" or "stopped"; "missing"
	// for a required path that is not in the tree; "not_answering" for a
	// root whose snapshot did not come within the handler's Timeout.
	State string `json:"state"`
	// BackoffLeft is the time left before a restart, in seconds.
	BackoffLeft float64 `json:"backoff_left_seconds,omitempty"`
}

// Check returns the readiness of the tree in snap, as taken by
// Supervisor.Tree. Without required paths every child that is not
// temporary counts, at any depth; with them, only the children at or
// below those paths, and a required path absent from the tree is listed
// as missing. A path may leave out the root's name, as supervise's
// commands allow: under a root "shop", "web" is "shop/web".
func Check(snap *supervisor.Snapshot, require ...string) Report {
	var rep Report
	if snap == nil {
		return Report{NotReady: []Node{{Path: "", State: "stopped"}}}
	}
	require = rooted(snap.Path, require)
	seen := make(map[string]bool, len(require))
	checkSupervisor(&rep, snap, require, seen, true)
	for _, p := range require {
		if st := supervisorState(snap); !seen[p] && p != snap.Path && st != "stopped" && st != "stopping" {
			rep.NotReady = append(rep.NotReady, Node{Path: p, State: "missing"})
		}
	}
	rep.Ready = len(rep.NotReady) == 0
	return rep
}

// checkSupervisor adds what is not ready in snap to rep. The root's own
// state always counts (a shutdown makes the whole tree unready, whatever
// is required); a child supervisor's only where it is required.
func checkSupervisor(rep *Report, snap *supervisor.Snapshot, require []string, seen map[string]bool, root bool) {
	st := supervisorState(snap)
	if st != "" && (root || wanted(snap.Path, require)) {
		rep.NotReady = append(rep.NotReady, Node{Path: snap.Path, State: st})
	}
	if st == "stopped" || st == "stopping" {
		return // its children are going or gone: the supervisor says it all
	}
	for _, c := range snap.Children {
		seen[c.Path] = true
		if c.Restart == supervisor.Temporary || !relevant(c.Path, require) {
			continue
		}
		if !wanted(c.Path, require) {
			// An ancestor of a required path: only what lies below counts.
			descend(rep, c, require, seen)
			continue
		}
		if !childReady(c) {
			nr := Node{Path: c.Path, State: c.State.String()}
			if c.State == supervisor.StateBackingOff {
				nr.BackoffLeft = c.BackoffLeft.Seconds()
			}
			rep.NotReady = append(rep.NotReady, nr)
			continue
		}
		descend(rep, c, require, seen)
	}
}

// descend checks the tree of a child supervisor. One that is done (its
// job finished, so its tree stopped) is ready all the way down.
func descend(rep *Report, c supervisor.ChildStatus, require []string, seen map[string]bool) {
	switch {
	case c.Sub == nil:
	case c.Done:
		markSeen(c.Sub, seen)
	default:
		checkSupervisor(rep, c.Sub, require, seen, false)
	}
}

func markSeen(snap *supervisor.Snapshot, seen map[string]bool) {
	for _, c := range snap.Children {
		seen[c.Path] = true
		if c.Sub != nil {
			markSeen(c.Sub, seen)
		}
	}
}

// supervisorState returns why a supervisor is not ready, "" when it is.
func supervisorState(snap *supervisor.Snapshot) string {
	switch {
	case !snap.Running:
		return "stopped"
	case snap.Stopping:
		return "stopping"
	case !snap.Started:
		return "starting"
	}
	return ""
}

func childReady(c supervisor.ChildStatus) bool {
	return c.State == supervisor.StateRunning || c.Done
}

// wanted reports whether path is required: no paths named, or it is at
// or below one of them.
func wanted(path string, require []string) bool {
	if len(require) == 0 {
		return true
	}
	for _, r := range require {
		if path == r || strings.HasPrefix(path, r+"/") {
			return true
		}
	}
	return false
}

// relevant reports whether path is required or lies above a required
// path.
func relevant(path string, require []string) bool {
	if wanted(path, require) {
		return true
	}
	for _, r := range require {
		if strings.HasPrefix(r, path+"/") {
			return true
		}
	}
	return false
}

// rooted returns the paths of require with root's name in front of those
// that lack it.
func rooted(root string, require []string) []string {
	var out []string
	for i, p := range require {
		if p == root || strings.HasPrefix(p, root+"/") {
			continue
		}
		if out == nil {
			out = slices.Clone(require)
		}
		out[i] = root + "/" + p
	}
	if out == nil {
		return require
	}
	return out
}
