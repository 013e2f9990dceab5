package daemon

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

// A step of a reload, one of the ops below, on one child.
type step struct {
	op      string // opRestart, opAdd, opRemove, opUpdate
	path    string
	changed []string     // the keys that differ, for restart and update
	parent  string       // the path of the supervisor that owns it
	child   config.Child // the new child, for restart and add
	before  string       // for add: the name of the next sibling that runs already
}

const (
	opRestart = "restart"
	opAdd     = "add"
	opRemove  = "remove"
	opUpdate  = "update"
)

func (s step) String() string {
	switch {
	case s.op == opRestart && len(s.changed) > 0:
		return fmt.Sprintf("restart %s (changed: %s)", s.path, strings.Join(s.changed, ", "))
	case s.op == opUpdate:
		return fmt.Sprintf("update %s (%s)", s.path, strings.Join(s.changed, ", "))
	}
	return s.op + " " + s.path
}

// plan is the difference between two versions of a file, in the order it
// is applied: per supervisor, parents first, the removed children last
// first, then the changed and added ones in file order.
func plan(old, new *config.Group) []step {
	var out []step
	if keys := ownKeys(old, new); len(keys) > 0 {
		out = append(out, step{op: opUpdate, path: new.Path, changed: keys})
	}
	olds := map[string]config.Child{}
	for _, c := range old.Children {
		olds[childName(c)] = c
	}
	news := map[string]bool{}
	for _, c := range new.Children {
		news[childName(c)] = true
	}
	for _, c := range slices.Backward(old.Children) {
		if !news[childName(c)] || childKind(c) != childKind(findChild(new, childName(c))) {
			out = append(out, step{op: opRemove, path: childPath(c), parent: old.Path})
		}
	}
	for i, c := range new.Children {
		o, ok := olds[childName(c)]
		if !ok || childKind(o) != childKind(c) {
			out = append(out, step{op: opAdd, path: childPath(c), parent: new.Path, child: c, before: nextRunning(new.Children[i+1:], olds)})
			continue
		}
		switch c := c.(type) {
		case *config.Process:
			op := o.(*config.Process)
			if keys := inheritedShutdown(inheritedBackoff(processKeys(op, c), op, c, old, new), op, c, old, new); len(keys) > 0 {
				out = append(out, step{op: opRestart, path: c.Path, changed: keys, parent: new.Path, child: c})
			}
		case *config.Group:
			og := o.(*config.Group)
			if keys := groupKeys(og, c); len(keys) > 0 {
				out = append(out, step{op: opRestart, path: c.Path, changed: keys, parent: new.Path, child: c})
				continue
			}
			out = append(out, plan(og, c)...)
		}
	}
	return out
}

// inheritedBackoff drops backoff from a process's changed keys when it
// takes its supervisor's both before and after (the supervisor's update
// applies it in place), and adds it when the process begins or ceases to
// take it (it is built again).
func inheritedBackoff(keys []string, o, n *config.Process, og, ng *config.Group) []string {
	before, after := assemble.InheritsBackoff(o, og), assemble.InheritsBackoff(n, ng)
	switch {
	case before && after:
		return slices.DeleteFunc(keys, func(k string) bool { return k == "backoff" })
	case before != after && !slices.Contains(keys, "backoff"):
		keys = append(keys, "backoff")
	}
	return keys
}

// inheritedShutdown does for shutdown what inheritedBackoff does for
// backoff; a change to or from 0s (SIGKILL at once) restarts the process.
func inheritedShutdown(keys []string, o, n *config.Process, og, ng *config.Group) []string {
	before, after := assemble.InheritsShutdown(o, og), assemble.InheritsShutdown(n, ng)
	switch {
	case before && after && assemble.ShutdownInPlace(o.Shutdown, n.Shutdown):
		return slices.DeleteFunc(keys, func(k string) bool { return k == "shutdown" })
	case before != after && !slices.Contains(keys, "shutdown"):
		keys = append(keys, "shutdown")
	}
	return keys
}

// rootKeys are the root keys of the file outside its supervisor's that
// changed: they apply in place too.
func rootKeys(old, new *config.File) []string {
	var keys []string
	if old.Drain != new.Drain {
		keys = append(keys, "drain")
	}
	if old.HTTP != new.HTTP {
		keys = append(keys, "http")
	}
	if !reflect.DeepEqual(old.Signals, new.Signals) {
		keys = append(keys, "signals")
	}
	if !maps.Equal(old.ExitCodes, new.ExitCodes) {
		keys = append(keys, "exit_codes")
	}
	return keys
}

// withRootKeys adds keys to the root's update step, the first when there
// is one, or makes one.
func withRootKeys(steps []step, root string, keys []string) []step {
	if len(keys) == 0 {
		return steps
	}
	if len(steps) > 0 && steps[0].op == opUpdate && steps[0].path == root {
		steps[0].changed = append(steps[0].changed, keys...)
		return steps
	}
	return append([]step{{op: opUpdate, path: root, changed: keys}}, steps...)
}

// rootPlan is plan for the root, which has no parent to restart it: a
// change of its strategy, its auto_shutdown or the order of its children
// restarts all of them, in the new order, once the root's own keys
// (the new strategy among them) applied in place.
func rootPlan(old, new *config.Group) []step {
	restart := slices.DeleteFunc(groupKeys(old, new), func(k string) bool { return k == "restart" })
	if len(restart) == 0 {
		return plan(old, new)
	}
	var out []step
	keys := append(ownKeys(old, new), slices.DeleteFunc(slices.Clone(restart), func(k string) bool { return k == "order" })...)
	if len(keys) > 0 {
		out = append(out, step{op: opUpdate, path: new.Path, changed: keys})
	}
	return append(out, step{op: opRestart, path: new.Path, changed: restart})
}

// nextRunning is the name of the first of rest that runs already: the one
// an added child is inserted before.
func nextRunning(rest []config.Child, olds map[string]config.Child) string {
	for _, c := range rest {
		if o, ok := olds[childName(c)]; ok && childKind(o) == childKind(c) {
			return childName(c)
		}
	}
	return ""
}

// ownKeys are the supervisor's own keys that changed, which apply in
// place.
func ownKeys(old, new *config.Group) []string {
	var keys []string
	if old.Intensity != new.Intensity {
		keys = append(keys, "intensity")
	}
	if old.Period != new.Period {
		keys = append(keys, "period")
	}
	if old.Backoff != new.Backoff {
		keys = append(keys, "backoff")
	}
	if old.Shutdown != new.Shutdown {
		keys = append(keys, "shutdown")
	}
	return keys
}

// groupKeys are the changes that restart a group: its strategy, its
// auto_shutdown, its place as a child, or the order of the children it
// keeps.
func groupKeys(old, new *config.Group) []string {
	var keys []string
	if old.Strategy != new.Strategy {
		keys = append(keys, "strategy")
	}
	if old.AutoShutdown != new.AutoShutdown {
		keys = append(keys, "auto_shutdown")
	}
	if old.Restart != new.Restart || old.Significant != new.Significant {
		keys = append(keys, "restart")
	}
	if !slices.Equal(kept(old, new), kept(new, old)) {
		keys = append(keys, "order")
	}
	return keys
}

// kept are the names of a's children that b has too, in a's order.
func kept(a, b *config.Group) []string {
	var out []string
	for _, c := range a.Children {
		if findChild(b, childName(c)) != nil {
			out = append(out, childName(c))
		}
	}
	return out
}

// processKeys are the keys of a process that differ, env entries one by
// one (env.PORT).
func processKeys(old, new *config.Process) []string {
	var keys []string
	ov, nv := reflect.ValueOf(*old), reflect.ValueOf(*new)
	for i := range ov.NumField() {
		f := ov.Type().Field(i)
		switch f.Name {
		case "Name", "Path", "Line", "Column", "Faults":
			continue
		case "Env":
			keys = append(keys, envKeys(old.Env, new.Env)...)
			continue
		}
		if !reflect.DeepEqual(ov.Field(i).Interface(), nv.Field(i).Interface()) {
			keys = append(keys, snake(f.Name))
		}
	}
	return keys
}

func envKeys(old, new map[string]string) []string {
	var keys []string
	for k, v := range new {
		if ov, ok := old[k]; !ok || ov != v {
			keys = append(keys, "env."+k)
		}
	}
	for k := range old {
		if _, ok := new[k]; !ok {
			keys = append(keys, "env."+k)
		}
	}
	sort.Strings(keys)
	return keys
}

// snake turns a field name such as StartTimeout into its key,
// start_timeout.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func findChild(g *config.Group, n string) config.Child {
	for _, c := range g.Children {
		if childName(c) == n {
			return c
		}
	}
	return nil
}

func childName(c config.Child) string {
	switch c := c.(type) {
	case *config.Group:
		return c.Name
	case *config.Process:
		return c.Name
	}
	return ""
}

func childPath(c config.Child) string {
	switch c := c.(type) {
	case *config.Group:
		return c.Path
	case *config.Process:
		return c.Path
	}
	return ""
}

func childKind(c config.Child) string {
	if _, ok := c.(*config.Group); ok {
		return "group"
	}
	return "process"
}
