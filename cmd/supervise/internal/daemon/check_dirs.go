package daemon

import (
	"fmt"
	"io"
	"os"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/engine/process"
)

// warnMissingDirs prints a warning, as FILE:LINE:COL: warning: KEY:
// message, for every process whose dir does not exist or is not a
// directory now. It is a warning, not an error: an earlier child (a
// one-shot setup step) may create the directory before this one starts,
// and a missing directory at start is a clear start failure that names it.
func warnMissingDirs(w io.Writer, f *config.File) int {
	n := 0
	var walk func(g *config.Group)
	walk = func(g *config.Group) {
		for _, c := range g.Children {
			switch c := c.(type) {
			case *config.Group:
				walk(c)
			case *config.Process:
				if msg := dirProblem(expandedDir(c)); msg != "" {
					fmt.Fprintf(w, "%s:%d:%d: warning: %s: dir: %s\n", f.Name, c.Line, c.Column, c.Path, msg)
					n++
				}
			}
		}
	}
	walk(f.Root)
	return n
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
