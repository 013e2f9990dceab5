package config

import (
	"fmt"
	"strconv"

	"github.com/goccy/go-yaml/ast"
)

// decoder walks the YAML syntax tree of one file, collecting problems.
type decoder struct {
	problems
	anchors map[string][]*ast.AnchorNode // by name, in file order
	budget  int                          // nodes that aliases may still add
	sizes   map[ast.Node]int             // nodes in the value of each anchor used
	keys    map[*Process]map[string]position
}

func newDecoder(file string, doc ast.Node) *decoder {
	d := &decoder{problems: problems{file: file}, anchors: map[string][]*ast.AnchorNode{},
		budget: maxAliasNodes, sizes: map[ast.Node]int{}, keys: map[*Process]map[string]position{}}
	ast.Walk(anchorCollector(d.anchors), doc)
	return d
}

// anchorCollector records every anchor of a document.
type anchorCollector map[string][]*ast.AnchorNode

func (c anchorCollector) Visit(n ast.Node) ast.Visitor {
	if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil {
		c[a.Name.GetToken().Value] = append(c[a.Name.GetToken().Value], a)
	}
	return c
}

// errorf records a problem at node n, for key path key.
func (d *decoder) errorf(n ast.Node, key, format string, args ...any) {
	line, col := pos(n)
	d.add(line, col, key, format, args...)
}

// typeError records that n is not what was expected.
func (d *decoder) typeError(n ast.Node, key, expected string) {
	d.errorf(n, key, "found %s, expected %s", describe(n), expected)
}

// resolve sees through anchors, aliases and tags. It reports whether the
// node was tagged !!str, and returns nil after reporting a problem.
func (d *decoder) resolve(n ast.Node, key string) (node ast.Node, isStr bool) {
	for {
		if d.budget <= 0 {
			return nil, false
		}
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			if n = d.anchorFor(v); n == nil {
				d.errorf(v, key, "alias *%s refers to no anchor before it", v.Value.GetToken().Value)
				return nil, false
			}
			if d.budget -= d.size(n); d.budget <= 0 {
				d.errorf(v, key, "the file is too large once its aliases are expanded: they add more than %d nodes, "+
					"expected fewer: use fewer aliases of large anchors, or aliases of aliases", maxAliasNodes)
				return nil, false
			}
		case *ast.TagNode:
			switch tag := v.Start.Value; tag {
			case "!!str":
				isStr = true
			case "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq":
			default:
				d.errorf(v, key, "found the tag %s, expected no tag or a standard one such as !!str", tag)
				return nil, false
			}
			n = v.Value
		default:
			return n, isStr
		}
	}
}

// size returns how many nodes n holds, itself included, an alias inside
// it counting as one.
func (d *decoder) size(n ast.Node) int {
	if s, ok := d.sizes[n]; ok {
		return s
	}
	c := nodeCounter(0)
	ast.Walk(&c, n)
	d.sizes[n] = int(c)
	return int(c)
}

// nodeCounter counts the nodes it visits.
type nodeCounter int

func (c *nodeCounter) Visit(ast.Node) ast.Visitor {
	*c++
	return c
}

// anchorFor returns the value of the last anchor of the alias's name
// defined before it.
func (d *decoder) anchorFor(a *ast.AliasNode) ast.Node {
	var found ast.Node
	at := a.GetToken().Position.Offset
	for _, an := range d.anchors[a.Value.GetToken().Value] {
		if an.GetToken().Position.Offset < at {
			found = an.Value
		}
	}
	return found
}

// pos returns where n starts, 1-based.
func pos(n ast.Node) (line, col int) {
	switch v := n.(type) {
	case *ast.MappingNode:
		if !v.IsFlowStyle && len(v.Values) > 0 {
			return pos(v.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return pos(v.Key)
	case nil:
		return 1, 1
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return 1, 1
	}
	return tk.Position.Line, tk.Position.Column
}

// describe says what n is, for "found ..." messages.
func describe(n ast.Node) string {
	switch v := n.(type) {
	case *ast.StringNode:
		return strconv.Quote(v.Value)
	case *ast.LiteralNode:
		return "a block string"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "the number " + v.GetToken().Value
	case *ast.BoolNode:
		return "the boolean " + v.GetToken().Value
	case *ast.NullNode, nil:
		return "nothing (null)"
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("a %s", n.Type())
}

// sub returns the key path of key name inside the mapping at path.
func sub(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// index returns the key path of item i of the list at path.
func index(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}
