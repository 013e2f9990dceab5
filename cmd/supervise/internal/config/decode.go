package config

import (
	"slices"
	"syscall"

	"github.com/goccy/go-yaml/ast"

	"github.com/arborgo/arbor/supervisor"
)

// The defaults of everything not set in a file: the library's own, so
// that a file and a Go program that leave a setting out behave alike.
var (
	libDefaults    = supervisor.DefaultConfig()
	defaultBackoff = Backoff(libDefaults.Backoff)
)

const (
	defaultName = "root"
	maxDepth    = 32 // supervisors nested in supervisors
)

// file decodes the document body: the root supervisor and the settings
// of the run as a whole.
func (d *decoder) file(name string, doc ast.Node) *File {
	f := &File{Name: name}
	if doc == nil {
		d.add(1, 1, "", "the file is empty, expected a mapping with children")
		return f
	}
	m := d.mapping(doc, "")
	if m == nil {
		return f
	}
	d.checkKeys(m, rootKeys, rootMisplaced)
	f.Root = d.root(m)
	if e := m.get("exit_codes"); e != nil {
		f.ExitCodes = d.exitCodes(e)
	}
	if e := m.get("signals"); e != nil {
		f.Signals = d.signalMap(e, f.Root)
	}
	if e := m.get("http"); e != nil {
		f.HTTP = d.httpAddr(e)
	}
	f.Drain = d.optDuration(m, "drain", 0, checkNonNegative)
	f.keys = d.keys
	return f
}

// root decodes the root supervisor.
func (d *decoder) root(m *mapping) *Group {
	name := defaultName
	if e := m.get("name"); e != nil {
		name = d.name(e)
	}
	top := &Group{Backoff: defaultBackoff, Shutdown: libDefaults.Shutdown}
	return d.supervisor(m, name, name, top, 0)
}

// supervisor decodes the settings and children of a supervisor whose
// parent is parent (for the root, a stand-in holding the defaults).
func (d *decoder) supervisor(m *mapping, name, path string, parent *Group, depth int) *Group {
	g := &Group{Name: name, Path: path, Restart: Permanent}
	g.Line, g.Column = pos(m.node)
	g.Strategy = Strategy(d.optEnum(m, "strategy", "strategy", strategies, string(OneForOne)))
	g.Intensity = d.optInt(m, "intensity", libDefaults.Intensity, checkIntensity)
	g.Period = d.optDuration(m, "period", libDefaults.Period, checkPositive)
	g.AutoShutdown = AutoShutdown(d.optEnum(m, "auto_shutdown", "auto_shutdown", autoShutdowns, string(Never)))
	g.Backoff = d.backoff(m, parent.Backoff)
	g.Shutdown = d.optDuration(m, "shutdown", parent.Shutdown, nil)
	g.Children = d.children(m, g, depth)
	return g
}

// children decodes the children of g.
func (d *decoder) children(m *mapping, g *Group, depth int) []Child {
	e := m.get("children")
	if e == nil {
		d.errorf(m.node, sub(m.key, "children"), "missing, expected a list of processes and supervisors")
		return nil
	}
	items, ok := d.list(e.val, e.key)
	if !ok {
		return nil
	}
	if len(items) == 0 {
		d.errorf(e.val, e.key, "found an empty list, expected at least one child")
	}
	if depth >= maxDepth {
		d.errorf(e.val, e.key, "supervisors nested more than %d deep", maxDepth)
		return nil
	}
	seen := map[string]int{}
	var kids []Child
	for i, item := range items {
		if c := d.child(item, index(e.key, i), g, depth+1, seen); c != nil {
			kids = append(kids, c)
		}
	}
	return kids
}

// child decodes one child of parent: a supervisor or a process.
func (d *decoder) child(n ast.Node, key string, parent *Group, depth int, seen map[string]int) Child {
	m := d.mapping(n, key)
	if m == nil {
		return nil
	}
	cmd, kids := m.get("command"), m.get("children")
	switch {
	case cmd != nil && kids != nil:
		d.errorf(cmd.at, cmd.key, "a child has either command (a process) or children (a supervisor), not both")
		d.checkKeys(m, slices.Concat(groupKeys, []string{"command"}), groupMisplaced)
	case cmd == nil && kids == nil:
		d.errorf(m.node, key, "missing command or children, expected command (a process) or children (a supervisor)")
		d.checkKeys(m, childKeys, nowhere)
		return nil
	case kids != nil:
		d.checkKeys(m, groupKeys, groupMisplaced)
	default:
		d.checkKeys(m, processKeys, processMisplaced)
	}
	name := d.childName(m, seen)
	path := parent.Path + "/" + name
	before := len(d.probs)
	restart := RestartType(d.optEnum(m, "restart", "restart type", restartTypes, string(Permanent)))
	significant := d.significant(m, restart, parent.AutoShutdown, len(d.probs) == before)
	if kids != nil {
		g := d.supervisor(m, name, path, parent, depth)
		g.Restart, g.Significant = restart, significant
		return g
	}
	p := d.process(m, name, path, parent)
	p.Restart, p.Significant = restart, significant
	if p.Ready != nil && p.Ready.Exit && len(d.probs) == before {
		if msg := checkOneShot(restart); msg != "" {
			e := m.get("ready")
			d.errorf(e.val, sub(e.key, "exit"), "%s", msg)
		}
	}
	return p
}

// name reads and checks a name; name: 8080 is the name "8080".
func (d *decoder) name(e *entry) string {
	s, ok := d.text(e.val, e.key)
	if !ok {
		return ""
	}
	if msg := checkName(s); msg != "" {
		d.errorf(e.val, e.key, "%s", msg)
	}
	return s
}

// childName reads the name of a child, unique among its siblings in seen.
func (d *decoder) childName(m *mapping, seen map[string]int) string {
	e := m.get("name")
	if e == nil {
		d.errorf(m.node, sub(m.key, "name"), "missing, expected a name for this child")
		return ""
	}
	name := d.name(e)
	line, _ := pos(e.val)
	if first, dup := seen[name]; dup && name != "" {
		d.errorf(e.val, e.key, "duplicate name %q, also used on line %d, expected names unique among siblings", name, first)
	} else {
		seen[name] = line
	}
	return name
}

// significant reads significant: and applies OTP's rules to it, if
// restart was read without a problem.
func (d *decoder) significant(m *mapping, restart RestartType, parent AutoShutdown, restartOK bool) bool {
	if !d.optBool(m, "significant", false) {
		return false
	}
	if !restartOK {
		return true
	}
	if msg := checkSignificant(restart, parent); msg != "" {
		e := m.get("significant")
		d.errorf(e.val, e.key, "%s", msg)
	}
	return true
}

// process decodes a process, a child with command.
func (d *decoder) process(m *mapping, name, path string, parent *Group) *Process {
	p := &Process{Name: name, Path: path, StopSignal: syscall.SIGTERM, ReloadSignal: syscall.SIGHUP}
	p.Line, p.Column = pos(m.node)
	keys := make(map[string]position, len(m.entries))
	for _, e := range m.entries {
		line, col := pos(e.at)
		keys[e.name] = position{line, col}
	}
	d.keys[p] = keys
	if e := m.get("command"); e != nil {
		p.Command, _ = d.argv(e.val, e.key)
	}
	if e := m.get("dir"); e != nil {
		p.Dir, _ = d.str(e.val, e.key)
	}
	if e := m.get("env"); e != nil {
		p.Env = d.env(e)
	}
	if e := m.get("env_file"); e != nil {
		p.EnvFiles = d.envFiles(e)
	}
	p.Identity = d.identity(m)
	if e := m.get("stop_signal"); e != nil {
		if sig, ok := d.signal(e); ok {
			p.StopSignal = sig
		}
	}
	if e := m.get("reload_signal"); e != nil {
		if sig, ok := d.signal(e); ok {
			p.ReloadSignal = sig
		}
	}
	p.Shutdown = d.optDuration(m, "shutdown", parent.Shutdown, nil)
	p.Backoff = d.backoff(m, parent.Backoff)
	p.StartTimeout, p.Ready = d.readiness(m)
	d.liveness(m, p)
	d.expansions(m, p)
	if e := m.get("simulate"); e != nil {
		p.Faults = d.faults(e.val, e.key)
	}
	return p
}
