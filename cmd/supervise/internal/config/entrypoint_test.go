package config

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestExitCodes(t *testing.T) {
	f := mustParse(t, "exit_codes: {143: 0, 130: 0, 3: 4}\n"+kid)
	if want := map[int]int{143: 0, 130: 0, 3: 4}; !maps.Equal(f.ExitCodes, want) {
		t.Errorf("exit_codes = %v; want %v", f.ExitCodes, want)
	}
}

func TestExitCodesBad(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"key", "exit_codes: {x: 0}\n" + kid, `t.yaml:1:14: exit_codes.x: found "x", expected an exit code from 1 to 255`},
		{"zero", "exit_codes: {0: 1}\n" + kid, `exit_codes.0: found "0", expected an exit code from 1 to 255 (0 is always 0)`},
		{"value", "exit_codes: {1: 256}\n" + kid, "t.yaml:1:17: exit_codes.1: found 256, expected an exit code from 0 to 255"},
		{"on a child", "children: [{name: a, command: [a], exit_codes: {1: 0}}]\n", "children[0].exit_codes: exit_codes applies only to the root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v; want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestOneShot(t *testing.T) {
	f := mustParse(t, "children: [{name: m, command: [m], restart: transient, ready: {exit: 0}}]\n")
	if p := proc(t, f, "root/m"); p.Ready == nil || !p.Ready.Exit {
		t.Errorf("ready = %+v; want exit", p.Ready)
	}
}

func TestOneShotBad(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"code", "children: [{name: m, command: [m], restart: transient, ready: {exit: 1}}]\n",
			"t.yaml:1:70: children[0].ready.exit: found 1, expected 0: a one-shot step is done when it exits 0"},
		{"permanent", "children: [{name: m, command: [m], ready: {exit: 0}}]\n",
			"children[0].ready.exit: a one-shot step (ready: {exit: 0}) must have restart transient or temporary, found permanent"},
		{"two checks", "children: [{name: m, command: [m], restart: transient, ready: {exit: 0, log: x}}]\n",
			"children[0].ready: found log and exit, expected exactly one of tcp, log, exec, exit and notify"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v; want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestEnvFileAndExpansion(t *testing.T) {
	dir := t.TempDir()
	envf := filepath.Join(dir, "app.env")
	if err := os.WriteFile(envf, []byte("FROM_FILE=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ARBOR_T_SET", "x")
	src := "children:\n  - name: a\n    command: [a, '${FROM_FILE}', '${ARBOR_T_SET}', '${NOPE:-d}', '$$', '$BARE']\n" +
		"    env_file: [" + envf + ", -" + filepath.Join(dir, "opt.env") + "]\n    env: {X: '${FROM_FILE}'}\n    dir: '${ARBOR_T_SET:-/}'\n"
	f := mustParse(t, src)
	p := proc(t, f, "root/a")
	if want := []string{envf, "-" + filepath.Join(dir, "opt.env")}; !slices.Equal(p.EnvFiles, want) {
		t.Errorf("env_file = %q; want %q", p.EnvFiles, want)
	}
	if p.Command[1] != "${FROM_FILE}" {
		t.Errorf("command[1] = %q; want it kept for expansion at start", p.Command[1])
	}
}

func TestExpansionBad(t *testing.T) {
	t.Setenv("ARBOR_T_SET", "set")
	dir := t.TempDir()
	missing := filepath.Join(dir, "later.env")
	bad := filepath.Join(dir, "bad.env")
	if err := os.WriteFile(bad, []byte("no equals\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, src, want string }{
		{"unset in command", "children:\n  - name: a\n    command: [a, '${ARBOR_T_UNSET}']\n",
			"t.yaml:3:18: children[0].command[1]: ${ARBOR_T_UNSET} is not set (write ${ARBOR_T_UNSET:-default} for a default), expected it in supervise's environment or an env_file"},
		{"unset in env", "children: [{name: a, command: [a], env: {X: '${ARBOR_T_UNSET}'}}]\n", "children[0].env.X: ${ARBOR_T_UNSET} is not set"},
		{"unset in dir", "children: [{name: a, command: [a], dir: '${ARBOR_T_UNSET}/x'}]\n", "children[0].dir: ${ARBOR_T_UNSET} is not set"},
		{"missing file named", "children: [{name: a, command: ['${ARBOR_T_UNSET}'], env_file: [" + missing + "]}]\n", "expected it in supervise's environment or an env_file (missing now: " + missing + ")"},
		{"malformed file", "children: [{name: a, command: [a], env_file: [" + bad + "]}]\n", "children[0].env_file[0]: env file " + bad + ":1:"},
		{"unterminated", "children: [{name: a, command: ['${A']}]\n", "children[0].command[0]: unterminated ${"},
		{"env_file type", "children: [{name: a, command: [a], env_file: x.env}]\n", "children[0].env_file: found \"x.env\", expected a list"},
		{"unset in ready.tcp", "children: [{name: a, command: [a], ready: {tcp: '127.0.0.1:${ARBOR_T_UNSET}'}}]\n", "children[0].ready.tcp: ${ARBOR_T_UNSET} is not set"},
		{"unset in ready.exec", "children: [{name: a, command: [a], ready: {exec: [test, '${ARBOR_T_UNSET}']}}]\n", "children[0].ready.exec[1]: ${ARBOR_T_UNSET} is not set"},
		{"unset in live.http", "children: [{name: a, command: [a], live: {http: 'http://127.0.0.1:${ARBOR_T_UNSET}/'}}]\n", "children[0].live.http: ${ARBOR_T_UNSET} is not set"},
		{"bad port once expanded", "children: [{name: a, command: [a], ready: {tcp: '127.0.0.1:${ARBOR_T_SET}'}}]\n", `children[0].ready.tcp: found port "set" in "127.0.0.1:set", expected a port number from 1 to 65535 once expanded (from "127.0.0.1:${ARBOR_T_SET}")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v; want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestIdentityConfig(t *testing.T) {
	f := mustParse(t, "children: [{name: a, command: [a], user: root, groups: [root], umask: '022', rlimits: {nofile: 1234, core: unlimited, nproc: {soft: 10, hard: 20}}}]\n")
	id := proc(t, f, "root/a").Identity
	if id.Uid != 0 || id.Gid != 0 || !slices.Equal(id.Groups, []int{0}) || id.Umask == nil || *id.Umask != 0o22 || len(id.Rlimits) != 3 {
		t.Errorf("identity = %+v; want root, groups [0], umask 022, 3 limits", id)
	}
}

func TestIdentityBad(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown user", "children:\n  - {name: a, command: [a], user: no-such-user-x}\n", `t.yaml:2:35: children[0].user: unknown user "no-such-user-x"`},
		{"unknown group", "children:\n  - {name: a, command: [a], user: root, group: no-such-group-x}\n", `t.yaml:2:48: children[0].group: unknown group "no-such-group-x"`},
		{"group alone", "children: [{name: a, command: [a], group: root}]\n", "children[0].group: found a group without user"},
		{"umask", "children: [{name: a, command: [a], umask: '99'}]\n", `children[0].umask: found "99", expected an octal umask`},
		{"rlimit name", "children: [{name: a, command: [a], rlimits: {nofiles: 1}}]\n", `children[0].rlimits.nofiles: unknown key (did you mean "nofile"?)`},
		{"rlimit value", "children: [{name: a, command: [a], rlimits: {nofile: lots}}]\n", `children[0].rlimits.nofile: found "lots", expected a whole number of 0 or more, or unlimited`},
		{"soft above hard", "children: [{name: a, command: [a], rlimits: {nofile: {soft: 2, hard: 1}}}]\n", "children[0].rlimits.nofile.soft: soft 2 is above hard 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v; want it to contain %q", err, tt.want)
			}
		})
	}
}

// A check's address may take its port from the environment, as the
// command does.
func TestExpansionInChecks(t *testing.T) {
	t.Setenv("ARBOR_T_PORT", "8080")
	f := mustParse(t, "children: [{name: a, command: [a], ready: {tcp: '127.0.0.1:${ARBOR_T_PORT}'}, live: {http: 'http://127.0.0.1:${ARBOR_T_PORT}/healthz'}}]\n")
	p := proc(t, f, "root/a")
	if p.Ready.TCP != "127.0.0.1:${ARBOR_T_PORT}" || p.Live.HTTP != "http://127.0.0.1:${ARBOR_T_PORT}/healthz" {
		t.Errorf("ready.tcp = %q, live.http = %q; want them kept for expansion at start", p.Ready.TCP, p.Live.HTTP)
	}
}
