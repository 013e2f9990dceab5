package config

import (
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// mapping is a YAML mapping with merge keys (<<) applied.
type mapping struct {
	node    ast.Node // the mapping itself, for its position
	key     string   // its key path
	entries []entry  // explicit keys first, then merged ones
}

// entry is one key of a mapping.
type entry struct {
	name string   // the key
	key  string   // its key path
	at   ast.Node // the key node, for its position
	val  ast.Node // the value, unresolved
}

// mapping reads n as a mapping, or reports what it found instead.
func (d *decoder) mapping(n ast.Node, key string) *mapping {
	v, _ := d.resolve(n, key)
	if v == nil {
		return nil
	}
	mn, ok := v.(*ast.MappingNode)
	if !ok {
		d.typeError(v, key, "a mapping")
		return nil
	}
	m := &mapping{node: mn, key: key}
	m.entries = d.entries(mn, key, 0)
	return m
}

// entries lists the keys of mn, merged ones after explicit ones; an
// explicit key hides a merged one, and an earlier merge a later one.
func (d *decoder) entries(mn *ast.MappingNode, key string, depth int) []entry {
	var explicit, merged []entry
	for _, mv := range mn.Values {
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			merged = append(merged, d.merge(mv.Value, key, depth)...)
			continue
		}
		name := keyName(mv.Key)
		explicit = append(explicit, entry{name, sub(key, name), mv.Key, mv.Value})
	}
	if len(merged) == 0 {
		return explicit
	}
	seen := make(map[string]bool, len(explicit)+len(merged))
	for _, e := range explicit {
		seen[e.name] = true
	}
	for _, e := range merged {
		if !seen[e.name] {
			seen[e.name] = true
			explicit = append(explicit, e)
		}
	}
	return explicit
}

// merge returns the entries that the value of a merge key brings in.
func (d *decoder) merge(n ast.Node, key string, depth int) []entry {
	v, _ := d.resolve(n, key)
	if depth > 8 {
		d.errorf(n, sub(key, "<<"), "merge keys nested too deep")
		return nil
	}
	switch v := v.(type) {
	case *ast.MappingNode:
		return d.entries(v, key, depth+1)
	case *ast.SequenceNode:
		var all []entry
		for _, item := range v.Values {
			all = append(all, d.merge(item, key, depth+1)...)
		}
		return all
	case nil:
		return nil
	}
	d.typeError(v, sub(key, "<<"), "a mapping or a list of mappings to merge")
	return nil
}

// keyName returns the text of a key node.
func keyName(k ast.Node) string {
	if mk, ok := k.(*ast.MappingKeyNode); ok {
		k = mk.Value
	}
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	if k == nil || k.GetToken() == nil {
		return "?"
	}
	return k.GetToken().Value
}

// get returns the entry for name, or nil.
func (m *mapping) get(name string) *entry {
	for i := range m.entries {
		if m.entries[i].name == name {
			return &m.entries[i]
		}
	}
	return nil
}

// checkKeys reports every key not in allowed, except extension keys
// (x-anything), which are left for anchors, as in Compose files. misplaced says why a key
// that is valid elsewhere is not valid here, or returns "".
func (d *decoder) checkKeys(m *mapping, allowed []string, misplaced func(string) string) {
	for _, e := range m.entries {
		if slices.Contains(allowed, e.name) || strings.HasPrefix(e.name, "x-") {
			continue
		}
		if why := misplaced(e.name); why != "" {
			d.errorf(e.at, e.key, "%s", why)
			continue
		}
		if hint := DidYouMean(e.name, allowed); hint != "" {
			d.errorf(e.at, e.key, "unknown key%s", hint)
			continue
		}
		d.errorf(e.at, e.key, "unknown key, expected one of %s", strings.Join(allowed, ", "))
	}
}

// nowhere is a misplaced function for mappings whose keys are valid
// nowhere else.
func nowhere(string) string { return "" }
