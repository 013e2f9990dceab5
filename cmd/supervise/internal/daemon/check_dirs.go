package daemon

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/engine/process"
)

// warnMissingDirs prints a warning, as FILE:LINE:COL: warning: PATH: KEY:
// message, at the key's own line and column, for every process whose dir,
// program or required env file does not exist now. It is a warning, not an error: an earlier child (a
// one-shot setup step) may create it before this one starts, and a
// missing one at start is a clear start failure that names it.
func warnMissingDirs(w io.Writer, f *config.File) int {
	type warning struct {
		line, col int
		text      string
	}
	var ws []warning
	var walk func(g *config.Group)
	walk = func(g *config.Group) {
		for _, c := range g.Children {
			switch c := c.(type) {
			case *config.Group:
				walk(c)
			case *config.Process:
				first := len(ws)
				warn := func(key, msg string) {
					line, col := f.KeyPos(c, key)
					ws = append(ws, warning{line, col, fmt.Sprintf("%s:%d:%d: warning: %s: %s: %s\n", f.Name, line, col, c.Path, key, msg)})
				}
				if msg := dirProblem(expandedDir(c)); msg != "" {
					warn("dir", msg)
				}
				if msg := programProblem(c); msg != "" {
					warn("command", msg)
				}
				for _, path := range c.EnvFiles {
					if !strings.HasPrefix(path, "-") {
						if _, err := os.Stat(path); os.IsNotExist(err) {
							warn("env_file", fmt.Sprintf("%q does not exist; the child fails to start unless something creates it first (write -%s for an optional file)", path, path))
						}
					}
				}
				// A child's warnings in the file's order, whatever the
				// order of its keys; the children in theirs.
				slices.SortStableFunc(ws[first:], func(a, b warning) int {
					return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col))
				})
			}
		}
	}
	walk(f.Root)
	for _, x := range ws {
		io.WriteString(w, x.text)
	}
	return len(ws)
}

// expandedDir is c's dir as its start would expand it now, or "" when it
// cannot (loading the file reported why).
func expandedDir(c *config.Process) string {
	var files []string
	for _, path := range c.EnvFiles {
		env, _ := process.ReadEnvFile(path)
		files = append(files, env...)
	}
	dir, err := process.ExpandEnv(c.Dir, files)
	if err != nil {
		return ""
	}
	return dir
}

// dirProblem says what is wrong with dir as a working directory, or "".
func dirProblem(dir string) string {
	if dir == "" {
		return ""
	}
	fi, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err):
		return fmt.Sprintf("%q does not exist; the child fails to start unless something creates it first", dir)
	case err != nil:
		return fmt.Sprintf("%q: %v", dir, err)
	case !fi.IsDir():
		return fmt.Sprintf("%q is not a directory; the child fails to start", dir)
	}
	return ""
}

// programProblem says why c's program cannot be found now, or "": a name
// without a "/" is looked up in supervise's $PATH, as the start does, and
// one with a "/" relative to the child's dir.
func programProblem(c *config.Process) string {
	if len(c.Command) == 0 {
		return "" // loading the file reported it
	}
	prog := c.Command[0]
	if strings.Contains(prog, "${") {
		return "" // its value is known at start
	}
	if !strings.Contains(prog, "/") {
		if _, err := exec.LookPath(prog); err != nil {
			return fmt.Sprintf("%q is not in $PATH; the child fails to start unless something installs it first", prog)
		}
		return ""
	}
	if dir := expandedDir(c); dir != "" && !strings.HasPrefix(prog, "/") {
		prog = dir + "/" + prog
	}
	if _, err := os.Stat(prog); os.IsNotExist(err) {
		return fmt.Sprintf("%q does not exist; the child fails to start unless something creates it first", c.Command[0])
	}
	return ""
}
