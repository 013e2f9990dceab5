package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong in a file.
type Problem struct {
	File   string // the file's name, as given to Load or Parse
	Line   int    // 1-based; 0 for a problem of the whole file, such as its size
	Column int    // 1-based; 0 with Line
	Key    string // key path, e.g. "children[1].restart"; "" for the file itself
	Msg    string // what was found and what was expected
}

// Error formats the problem as FILE:LINE:COL: KEY: message, leaving out
// "KEY: " when Key is empty and "LINE:COL:" when Line is 0.
func (p Problem) Error() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	if p.Key == "" {
		return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", p.File, p.Line, p.Column, p.Key, p.Msg)
}

// Error holds every problem found in a file, in file order.
type Error struct {
	Problems []Problem // never empty
	// Partial is the file as far as it could be decoded, nil when it
	// could not be parsed at all: enough for check to warn, beside the
	// errors, about what it would warn of in a valid file. It must not
	// be run.
	Partial *File
}

// Error returns one problem per line.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, each as an error, for errors.As.
func (e *Error) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// maxProblems bounds how many problems one file reports.
const maxProblems = 200

// problems collects the problems of one file.
type problems struct {
	file  string
	probs []Problem
}

func (ps *problems) add(line, col int, key, format string, args ...any) {
	if len(ps.probs) > maxProblems {
		return
	}
	if len(ps.probs) == maxProblems {
		format, args = "too many problems; stopping here", nil
	}
	ps.probs = append(ps.probs, Problem{ps.file, line, col, key, fmt.Sprintf(format, args...)})
}

// err returns the problems as an *Error, in file order, or nil if none.
func (ps *problems) err() error {
	if len(ps.probs) == 0 {
		return nil
	}
	list := slices.Clone(ps.probs)
	slices.SortStableFunc(list, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return &Error{Problems: slices.Compact(list)}
}
