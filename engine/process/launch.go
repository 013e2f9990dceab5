package process

import (
	"fmt"
	"os"
	"strings"
)

// launch is what one start runs: the argv, directory and environment
// after env files and expansion.
type launch struct {
	argv []string
	dir  string
	env  []string // nil: the supervisor's own
}

// resolve reads the env files and expands, as each start must: a file may
// have changed since the last one.
func (p *Process) resolve() (*launch, error) {
	c := p.cfg
	l := &launch{argv: c.Argv, dir: c.Dir}
	var files []string
	for _, path := range c.EnvFiles {
		env, err := ReadEnvFile(path)
		if err != nil {
			return nil, fmt.Errorf("engine: start %q: %w", c.Argv[0], err)
		}
		files = append(files, env...)
	}
	env := c.Env
	if c.Expand {
		var err error
		if l, env, err = expandLaunch(c, files); err != nil {
			return nil, fmt.Errorf("engine: start %q: %w", c.Argv[0], err)
		}
	}
	if len(files) > 0 || len(env) > 0 {
		// os/exec keeps the last of duplicate keys: files override the
		// supervisor's environment, Env overrides the files.
		l.env = append(append(os.Environ(), files...), env...)
	}
	return l, nil
}

// expandLaunch expands ${NAME} in Argv, Dir and Env's values.
func expandLaunch(c Config, files []string) (*launch, []string, error) {
	lookup := envLookup(files)
	l := &launch{argv: make([]string, len(c.Argv))}
	var err error
	for i, a := range c.Argv {
		if l.argv[i], err = expandEnv(a, lookup); err != nil {
			return nil, nil, err
		}
	}
	if l.dir, err = expandEnv(c.Dir, lookup); err != nil {
		return nil, nil, err
	}
	env := make([]string, len(c.Env))
	for i, kv := range c.Env {
		k, v, _ := strings.Cut(kv, "=")
		if v, err = expandEnv(v, lookup); err != nil {
			return nil, nil, fmt.Errorf("env %s: %w", k, err)
		}
		env[i] = k + "=" + v
	}
	return l, env, nil
}

// envLookup returns the lookup that [Config.Expand] uses: the
// "KEY=VALUE" entries of env files, the last of a key winning, then the
// supervisor's own environment.
func envLookup(files []string) func(string) (string, bool) {
	m := make(map[string]string, len(files))
	for _, kv := range files {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return func(name string) (string, bool) {
		if v, ok := m[name]; ok {
			return v, true
		}
		return os.LookupEnv(name)
	}
}
