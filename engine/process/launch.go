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
	// tcp and exec are the ready check's address and probe command,
	// expanded as argv is.
	tcp  string
	exec []string
	// lookup expands ${NAME} for the probes of this run; nil without
	// Config.Expand.
	lookup func(string) (string, bool)
}

// resolve reads the env files and expands, as each start must: a file may
// have changed since the last one.
func (p *Process) resolve() (*launch, error) {
	c := p.cfg
	l := &launch{argv: c.Argv, dir: c.Dir, tcp: c.Ready.TCP, exec: c.Ready.Exec}
	var files []string
	for _, path := range c.EnvFiles {
		env, err := ReadEnvFile(path)
		if err != nil {
			return nil, fmt.Errorf("process: start %q: %w", c.Argv[0], err)
		}
		files = append(files, env...)
	}
	env := c.Env
	if c.Expand {
		var err error
		if l, env, err = expandLaunch(c, files); err != nil {
			return nil, fmt.Errorf("process: start %q: %w", c.Argv[0], err)
		}
	}
	if len(files) > 0 || len(env) > 0 {
		// os/exec keeps the last of duplicate keys: files override the
		// supervisor's environment, Env overrides the files.
		l.env = append(append(os.Environ(), files...), env...)
	}
	return l, nil
}

// expandLaunch expands ${NAME} in Argv, Dir, Env's values and the ready
// check's address and command.
func expandLaunch(c Config, files []string) (*launch, []string, error) {
	lookup := envLookup(files)
	l := &launch{lookup: lookup}
	var err error
	if l.argv, err = expandArgs(c.Argv, lookup); err != nil {
		return nil, nil, err
	}
	if l.dir, err = expandEnv(c.Dir, lookup); err != nil {
		return nil, nil, err
	}
	if l.tcp, err = expandEnv(c.Ready.TCP, lookup); err != nil {
		return nil, nil, fmt.Errorf("ready check: %w", err)
	}
	if l.exec, err = expandArgs(c.Ready.Exec, lookup); err != nil {
		return nil, nil, fmt.Errorf("ready check: %w", err)
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

// expandArgs expands ${NAME} in each of args; nil stays nil.
func expandArgs(args []string, lookup func(string) (string, bool)) ([]string, error) {
	if args == nil {
		return nil, nil
	}
	out := make([]string, len(args))
	for i, a := range args {
		var err error
		if out[i], err = expandEnv(a, lookup); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// expand expands args as this run's Argv was expanded; as they are
// without Config.Expand.
func (l *launch) expand(args []string) ([]string, error) {
	if l.lookup == nil {
		return args, nil
	}
	return expandArgs(args, l.lookup)
}

// checkName names the ready check for a log: "tcp 127.0.0.1:5432" or
// "exec pg_isready".
func (l *launch) checkName() string {
	if l.tcp != "" {
		return "tcp " + l.tcp
	}
	if len(l.exec) > 0 {
		return "exec " + strings.Join(l.exec, " ")
	}
	return ""
}
