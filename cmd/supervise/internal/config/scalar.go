package config

import (
	"math"
	"slices"

	"github.com/goccy/go-yaml/ast"
)

// str reads a string. A plain scalar that YAML reads as something else
// is a string only when tagged !!str.
func (d *decoder) str(n ast.Node, key string) (string, bool) {
	v, isStr := d.resolve(n, key)
	switch s := v.(type) {
	case nil:
		return "", false
	case *ast.StringNode:
		return s.Value, true
	case *ast.LiteralNode:
		return s.Value.Value, true
	case *ast.MappingNode, *ast.SequenceNode, *ast.NullNode:
	default:
		if isStr {
			return v.GetToken().Value, true
		}
	}
	d.typeError(v, key, "a string")
	return "", false
}

// text reads any scalar but null as the text written in the file, so
// that 8080 is "8080" and 0755 is "0755".
func (d *decoder) text(n ast.Node, key string) (string, bool) {
	v, _ := d.resolve(n, key)
	switch s := v.(type) {
	case nil:
		return "", false
	case *ast.StringNode:
		return s.Value, true
	case *ast.LiteralNode:
		return s.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return v.GetToken().Value, true
	case *ast.NullNode:
		d.typeError(v, key, `a string (write "" for an empty one)`)
		return "", false
	}
	d.typeError(v, key, "a string")
	return "", false
}

// integer reads a whole number that fits in an int32.
func (d *decoder) integer(n ast.Node, key string) (int, bool) {
	v, _ := d.resolve(n, key)
	if v == nil {
		return 0, false
	}
	if in, ok := v.(*ast.IntegerNode); ok {
		switch x := in.Value.(type) {
		case int64:
			if x >= math.MinInt32 && x <= math.MaxInt32 {
				return int(x), true
			}
		case uint64:
			if x <= math.MaxInt32 {
				return int(x), true
			}
		}
		d.errorf(v, key, "found %s, expected a whole number below 2147483648", describe(v))
		return 0, false
	}
	d.typeError(v, key, "a whole number")
	return 0, false
}

// number reads a finite number, whole or not.
func (d *decoder) number(n ast.Node, key string) (float64, bool) {
	v, _ := d.resolve(n, key)
	switch x := v.(type) {
	case nil:
		return 0, false
	case *ast.FloatNode:
		return x.Value, true
	case *ast.IntegerNode:
		switch i := x.Value.(type) {
		case int64:
			return float64(i), true
		case uint64:
			return float64(i), true
		}
	}
	d.typeError(v, key, "a number")
	return 0, false
}

// boolean reads true or false.
func (d *decoder) boolean(n ast.Node, key string) (bool, bool) {
	v, _ := d.resolve(n, key)
	if v == nil {
		return false, false
	}
	if b, ok := v.(*ast.BoolNode); ok {
		return b.Value, true
	}
	d.typeError(v, key, "true or false")
	return false, false
}

// enum reads one of choices; noun names the kind of value in messages.
func (d *decoder) enum(n ast.Node, key, noun string, choices []string) (string, bool) {
	s, ok := d.str(n, key)
	if !ok {
		return "", false
	}
	if slices.Contains(choices, s) {
		return s, true
	}
	d.errorf(n, key, "unknown %s %q, expected %s%s", noun, s, oneOf(choices), DidYouMean(s, choices))
	return "", false
}

// list reads a list and returns its items, unresolved.
func (d *decoder) list(n ast.Node, key string) ([]ast.Node, bool) {
	v, _ := d.resolve(n, key)
	if v == nil {
		return nil, false
	}
	if s, ok := v.(*ast.SequenceNode); ok {
		return s.Values, true
	}
	d.typeError(v, key, "a list")
	return nil, false
}

// argv reads a non-empty list of strings whose first is not "".
func (d *decoder) argv(n ast.Node, key string) ([]string, bool) {
	v, _ := d.resolve(n, key)
	if v == nil {
		return nil, false
	}
	seq, ok := v.(*ast.SequenceNode)
	if !ok {
		d.typeError(v, key, "a list of arguments (argv, no shell), such as [postgres, -D, /var/lib/pg]")
		return nil, false
	}
	args := make([]string, 0, len(seq.Values))
	for i, item := range seq.Values {
		a, ok := d.text(item, index(key, i))
		if !ok {
			return nil, false
		}
		args = append(args, a)
	}
	if msg := checkArgv(args); msg != "" {
		d.errorf(v, key, "%s", msg)
		return nil, false
	}
	return args, true
}
