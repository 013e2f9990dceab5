package config

import (
	"fmt"
	"slices"
)

// Validate checks that f holds a valid, fully resolved tree, as Parse
// returns it. It is for trees built or changed in code; a tree from Parse
// or Load always passes. Problems carry the Line and Column stored in the
// tree and a key path as in the file.
func (f *File) Validate() error {
	v := validator{problems{file: f.Name}}
	if f.Root == nil {
		v.add(0, 0, "", "no root supervisor")
		return v.err()
	}
	root := f.Root
	v.group(root, "", &Group{Path: root.Name, AutoShutdown: AnySignificant})
	if root.Restart != Permanent || root.Significant {
		v.add(root.Line, root.Column, "", "the root supervisor must be permanent and not significant")
	}
	v.signals(f)
	return v.err()
}

// validator checks a resolved tree.
type validator struct{ problems }

// at records a problem with the child at line, col.
func (v *validator) at(line, col int, key, msg string) {
	if msg != "" {
		v.add(line, col, key, "%s", msg)
	}
}

// group checks g, whose parent is parent (for the root, a stand-in whose
// Path is the root's own).
func (v *validator) group(g *Group, key string, parent *Group) {
	v.common(g.Line, g.Column, key, g.Name, g.Path, g.Restart, g.Significant, parent)
	v.enum(g.Line, g.Column, sub(key, "strategy"), string(g.Strategy), strategies)
	v.enum(g.Line, g.Column, sub(key, "auto_shutdown"), string(g.AutoShutdown), autoShutdowns)
	v.at(g.Line, g.Column, sub(key, "intensity"), checkIntensity(g.Intensity))
	v.at(g.Line, g.Column, sub(key, "period"), checkPositive(g.Period))
	v.at(g.Line, g.Column, sub(key, "shutdown"), checkNonNegative(g.Shutdown))
	v.backoff(g.Line, g.Column, key, g.Backoff)
	if len(g.Children) == 0 {
		v.at(g.Line, g.Column, sub(key, "children"), "found none, expected at least one child")
	}
	names := map[string]bool{}
	for i, c := range g.Children {
		ck := index(sub(key, "children"), i)
		switch c := c.(type) {
		case *Group:
			v.unique(names, c.Name, c.Line, c.Column, ck)
			v.group(c, ck, g)
		case *Process:
			v.unique(names, c.Name, c.Line, c.Column, ck)
			v.process(c, ck, g)
		default:
			v.at(g.Line, g.Column, ck, "found a nil child, expected a *Group or a *Process")
		}
	}
}

// common checks what groups and processes have alike.
func (v *validator) common(line, col int, key, name, path string, r RestartType, significant bool, parent *Group) {
	v.at(line, col, sub(key, "name"), checkName(name))
	if want := parent.Path + "/" + name; path != want && key != "" {
		v.at(line, col, key, fmt.Sprintf("found the path %q, expected %q", path, want))
	}
	if key == "" && path != name {
		v.at(line, col, key, fmt.Sprintf("found the path %q, expected %q", path, name))
	}
	v.enum(line, col, sub(key, "restart"), string(r), restartTypes)
	if significant {
		v.at(line, col, sub(key, "significant"), checkSignificant(r, parent.AutoShutdown))
	}
}

func (v *validator) unique(names map[string]bool, name string, line, col int, key string) {
	if names[name] {
		v.at(line, col, sub(key, "name"), fmt.Sprintf("duplicate name %q, expected names unique among siblings", name))
	}
	names[name] = true
}

func (v *validator) enum(line, col int, key, s string, choices []string) {
	if !slices.Contains(choices, s) {
		v.at(line, col, key, fmt.Sprintf("found %q, expected %s", s, oneOf(choices)))
	}
}

func (v *validator) backoff(line, col int, key string, b Backoff) {
	for _, fm := range checkBackoff(b) {
		v.at(line, col, sub(key, "backoff"), fm.msg)
	}
}
