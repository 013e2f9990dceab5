package config

import (
	"errors"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Load reads, parses and validates the supervise file at path. A file
// that cannot be read gives the error from reading it; a file with
// problems, or one past MaxFileSize or MaxNesting, gives an *Error
// listing all of them.
func Load(path string) (*File, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses and validates a supervise file held in data, named name
// in messages. It returns the resolved tree, or an *Error listing every
// problem found.
func Parse(name string, data []byte) (*File, error) {
	doc, err := parseYAML(name, data)
	if err != nil {
		return nil, err
	}
	d := newDecoder(name, doc)
	f := d.file(name, doc)
	if err := d.err(); err != nil {
		var ce *Error
		if errors.As(err, &ce) && f != nil && f.Root != nil {
			ce.Partial = f
		}
		return nil, err
	}
	return f, nil
}

// parseYAML parses data as a single YAML document and returns its body,
// nil if it is empty. It refuses a file past the limits before parsing.
func parseYAML(name string, data []byte) (body ast.Node, err error) {
	if err := checkLimits(name, data); err != nil {
		return nil, err
	}
	ps := problems{file: name}
	defer func() {
		if r := recover(); r != nil {
			ps.add(1, 1, "", "cannot parse the file as YAML (%v)", r)
			body, err = nil, ps.err()
		}
	}()
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		line, col := 1, 1
		msg := err.Error()
		var se *yaml.SyntaxError
		if errors.As(err, &se) {
			msg = se.Message
			if se.Token != nil && se.Token.Position != nil {
				line, col = se.Token.Position.Line, se.Token.Position.Column
			}
		}
		msg, _, _ = strings.Cut(msg, "\n")
		switch {
		case strings.Contains(msg, "not allowed in this context"):
			// The parser's words for what is almost always indentation.
			msg += " (a line indented unlike its siblings, here or just below?)"
		case strings.Contains(msg, "'\t'"):
			msg = "found a tab, which cannot start any token (YAML indents with spaces)"
		}
		ps.add(line, col, "", "YAML syntax: %s", msg)
		return nil, ps.err()
	}
	if len(f.Docs) > 1 {
		line, col := pos(f.Docs[1].Body)
		if start := f.Docs[1].Start; start != nil && start.Position != nil {
			line, col = start.Position.Line, start.Position.Column
		}
		ps.add(line, col, "", "found a second YAML document, expected one")
		return nil, ps.err()
	}
	if len(f.Docs) == 0 {
		return nil, nil
	}
	return f.Docs[0].Body, nil
}
