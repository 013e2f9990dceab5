package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/arborgo/arbor/engine/process"
)

// envFiles reads env_file:, a list of paths.
func (d *decoder) envFiles(e *entry) []string {
	paths, ok := d.argv(e.val, e.key)
	if !ok {
		return nil
	}
	for i, p := range paths {
		if strings.TrimPrefix(p, "-") == "" {
			d.errorf(e.val, index(e.key, i), "found %q, expected a file path (a leading - makes it optional)", p)
		}
	}
	return paths
}

// expansions checks the ${VAR}s of a process's command, dir and env
// values against supervise's environment and the process's env files as
// they are now: an unset variable without a default is an error, since
// its start would fail. A file that is missing now is named in the
// message, for an earlier step may write it; a malformed one is an error.
func (d *decoder) expansions(m *mapping, p *Process) {
	var files, missing []string
	for i, path := range p.EnvFiles {
		env, err := process.ReadEnvFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			missing = append(missing, strings.TrimPrefix(path, "-"))
		case err != nil:
			e := m.get("env_file")
			d.errorf(e.val, index(e.key, i), "%v", err)
		case env == nil && strings.HasPrefix(path, "-"):
			if _, err := os.Stat(path[1:]); err != nil {
				missing = append(missing, path[1:])
			}
		}
		files = append(files, env...)
	}
	check := func(at ast.Node, key, s string) (string, bool) {
		x, err := process.ExpandEnv(s, files)
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "is not set") {
				msg += ", expected it in supervise's environment or an env_file"
				if len(missing) > 0 {
					msg += fmt.Sprintf(" (missing now: %s)", strings.Join(missing, ", "))
				}
			}
			d.errorf(at, key, "%s", msg)
		}
		return x, err == nil
	}
	d.checkExpansions(m, p, check)
}

// checkExpansions checks the ${VAR}s of the command, dir, env values and
// the checks' addresses and commands with check, which returns the
// expansion and whether it succeeded; an address is then checked as it
// will be dialled.
func (d *decoder) checkExpansions(m *mapping, p *Process, check func(at ast.Node, key, s string) (string, bool)) {
	if p.Verbatim {
		return
	}
	if e := m.get("command"); e != nil && p.Command != nil {
		items, _ := d.list(e.val, e.key)
		for i, a := range p.Command {
			at := e.val
			if i < len(items) {
				at = items[i]
			}
			check(at, index(e.key, i), a)
		}
	}
	if e := m.get("dir"); e != nil {
		check(e.val, e.key, p.Dir)
	}
	if e := m.get("env"); e != nil {
		for _, k := range slices.Sorted(maps.Keys(p.Env)) {
			check(e.val, sub(e.key, k), p.Env[k])
		}
	}
	if e := m.get("ready"); e != nil && p.Ready != nil {
		d.checkAddr(e, "tcp", p.Ready.TCP, checkTCP, check)
		d.checkArgs(e, "exec", p.Ready.Exec, check)
	}
	if e := m.get("live"); e != nil && p.Live != nil {
		d.checkAddr(e, "tcp", p.Live.TCP, checkTCP, check)
		d.checkAddr(e, "http", p.Live.HTTP, checkHTTP, check)
		d.checkArgs(e, "exec", p.Live.Exec, check)
	}
}

// checkAddr checks the expansion of a check's address s, at key below e.
func (d *decoder) checkAddr(e *entry, key, s string, valid func(string) string, check func(ast.Node, string, string) (string, bool)) {
	if !strings.Contains(s, "${") {
		return
	}
	if x, ok := check(e.val, sub(e.key, key), s); ok {
		if msg := valid(x); msg != "" {
			d.errorf(e.val, sub(e.key, key), "%s once expanded (from %q)", msg, s)
		}
	}
}

// checkArgs checks the expansions of a check's command, at key below e.
func (d *decoder) checkArgs(e *entry, key string, args []string, check func(ast.Node, string, string) (string, bool)) {
	for i, a := range args {
		check(e.val, index(sub(e.key, key), i), a)
	}
}
