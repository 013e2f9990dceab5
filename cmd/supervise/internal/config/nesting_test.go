package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"pgregory.net/rapid"
)

// yamlDepth returns how deeply the parser nests the collections of
// data: each list and each mapping entry is a level.
func yamlDepth(data []byte) (int, bool) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return 0, false
	}
	deepest := 0
	for _, doc := range f.Docs {
		deepest = max(deepest, nodeDepth(doc.Body))
	}
	return deepest, true
}

func nodeDepth(n ast.Node) int {
	switch v := n.(type) {
	case *ast.MappingNode:
		d := min(1, len(v.Values)) ^ 1 // an empty mapping is a level too
		for _, mv := range v.Values {
			d = max(d, nodeDepth(mv))
		}
		return d
	case *ast.MappingValueNode:
		return 1 + max(nodeDepth(v.Key), nodeDepth(v.Value))
	case *ast.MappingKeyNode:
		return nodeDepth(v.Value)
	case *ast.SequenceNode:
		d := 0
		for _, item := range v.Values {
			d = max(d, nodeDepth(item))
		}
		return 1 + d
	case *ast.AnchorNode:
		return nodeDepth(v.Value)
	case *ast.TagNode:
		return nodeDepth(v.Value)
	case *ast.DocumentNode:
		return nodeDepth(v.Body)
	}
	return 0
}

// yval is a generated YAML value: a scalar, a mapping or a list.
type yval struct {
	scalar string // written as is; "" for a collection
	block  string // a block scalar's lines, for a mapping's value
	seq    bool
	items  []*yval
	flow   bool // written in flow style
}

// Scalars with the characters that could fool a scan: brackets,
// colons, hashes and quotes inside scalars and comments.
var scalars = []string{"a", "x#y", "http://h:80/", "a[b", "b]{c}", `"a: [b"`, `'it''s {'`, `"x\" [ y"`,
	"\"line\n  [ x\"", "'[#: {'", "!!str 7", "&an v", "a,b"}

func genValue(t *rapid.T, depth int, flow bool) *yval {
	kind := rapid.IntRange(0, 2).Draw(t, "kind")
	if depth == 0 || kind == 0 {
		if !flow && rapid.IntRange(0, 5).Draw(t, "blockScalar") == 0 {
			return &yval{block: "text [ {\n  more: { #\n"}
		}
		s := rapid.SampledFrom(scalars).Draw(t, "scalar")
		if flow && strings.ContainsAny(s, ",[]{}") && s[0] != '"' && s[0] != '\'' {
			s = "a" // a plain scalar in flow style cannot hold these
		}
		return &yval{scalar: s}
	}
	v := &yval{seq: kind == 1, flow: flow || rapid.IntRange(0, 3).Draw(t, "flow") == 0}
	n := rapid.IntRange(1, 3).Draw(t, "n")
	for range n {
		v.items = append(v.items, genValue(t, depth-1, v.flow))
	}
	return v
}

// flowText writes v in flow style, its lines after the first indented
// past indent.
func (v *yval) flowText(t *rapid.T, indent int) string {
	if v.items == nil {
		return v.scalar
	}
	var parts []string
	for i, it := range v.items {
		s := it.flowText(t, indent)
		if !v.seq {
			s = fmt.Sprintf("k%d: %s", i, s)
		} else if it.items != nil && rapid.IntRange(0, 4).Draw(t, "pair") == 0 {
			s = fmt.Sprintf("p: %s", s) // a pair in a list: one more level
		}
		parts = append(parts, s)
	}
	pad := strings.Repeat(" ", indent+2)
	sep := rapid.SampledFrom([]string{", ", ",\n" + pad, " ,  # [ {\n" + pad}).Draw(t, "sep")
	if v.seq {
		return "[" + strings.Join(parts, sep) + "]"
	}
	return "{" + strings.Join(parts, sep) + "}"
}

// blockText writes v in block style at indent, as the lines that follow
// a key or list indicator.
func (v *yval) blockText(t *rapid.T, indent int) string {
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	for i, it := range v.items {
		head := pad + "- "
		if !v.seq {
			head = fmt.Sprintf("%sk%d:", pad, i)
			if rapid.Bool().Draw(t, "quotedKey") {
				head = fmt.Sprintf("%s\"k%d\":", pad, i)
			}
		}
		comment := rapid.SampledFrom([]string{"", " # [ { - a: b", "  #{"}).Draw(t, "comment")
		switch {
		case it.block != "" && !v.seq:
			fmt.Fprintf(&b, "%s |%s\n", head, comment)
			for _, l := range strings.SplitAfter(strings.TrimSuffix(it.block, "\n"), "\n") {
				fmt.Fprintf(&b, "%s  %s", pad, strings.TrimSuffix(l, "\n")+"\n")
			}
		case it.items == nil || it.flow:
			if it.items == nil && it.scalar == "" {
				it = &yval{scalar: "a"}
			}
			if !v.seq {
				head += " "
			}
			fmt.Fprintf(&b, "%s%s%s\n", head, it.flowText(t, indent), comment)
		case v.seq:
			// Compact: the item's first line goes after "- ".
			inner := it.blockText(t, indent+2)
			b.WriteString(head + inner[indent+2:])
		default:
			in := indent + 2
			if it.seq && rapid.Bool().Draw(t, "compactSeq") {
				in = indent // a list at its key's column
			}
			fmt.Fprintf(&b, "%s%s\n%s", head, comment, it.blockText(t, in))
		}
	}
	return b.String()
}

// TestNestingScanMatchesParser checks the scan against the parser on
// generated files: it never counts more levels than the parser builds,
// so it never refuses a file within the limit, and on these files it
// counts exactly as many, so a deep file is refused.
func TestNestingScanMatchesParser(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := genValue(t, rapid.IntRange(1, 7).Draw(t, "depth"), false)
		for v.items == nil {
			v = &yval{items: []*yval{v}}
		}
		var text string
		if v.flow {
			text = "doc: " + v.flowText(t, 0) + "\n"
			v = &yval{items: []*yval{v}}
		} else {
			text = v.blockText(t, 0)
		}
		want, ok := yamlDepth([]byte(text))
		if !ok {
			t.Skip("not valid YAML")
		}
		if got := scanNesting([]byte(text), 1<<30).deepest; got != want {
			t.Fatalf("scan depth = %d; want %d (the parser's) for\n%s", got, want, text)
		}
	})
}

// FuzzNesting checks that the scan never counts more levels than the
// parser builds, so that it never refuses a file the parser takes
// within the limit.
func FuzzNesting(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tt := range deepFiles {
		f.Add([]byte(tt.data(5)))
	}
	for _, s := range scalars {
		f.Add([]byte("a: [" + s + ", {b: " + s + "}]\nc:\n- " + s + "\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return // the parser is quadratic in depth; keep runs fast
		}
		want, ok := yamlDepth(data)
		if !ok {
			return
		}
		if got := scanNesting(data, 1<<30).deepest; got > want {
			t.Fatalf("scan depth = %d; want at most %d (the parser's) for %q", got, want, data)
		}
	})
}
