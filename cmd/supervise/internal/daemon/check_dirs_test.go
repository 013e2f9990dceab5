package daemon

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

// check warns, with the line, about a program or a required env file that
// is not there now, as it does about a dir; an optional env file and a
// program that is there get no warning.
func TestCheckWarnsMissingProgramAndEnvFile(t *testing.T) {
	const yaml = `name: r
children:
  - {name: abs, command: [/nonexistent/bin]}
  - {name: path, command: [nosuchcmd-xyz-arbor]}
  - {name: env, command: [/bin/sh], env_file: [/nonexistent.env, -/also-missing.env]}
  - {name: ok, command: [sh, -c, "true"]}
`
	f, err := config.Parse("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if n := warnMissingDirs(&out, f); n != 3 {
		t.Errorf("%d warnings; want 3:\n%s", n, out.String())
	}
	for _, want := range []string{
		`t.yaml:3:17: warning: r/abs: command: "/nonexistent/bin" does not exist`,
		`t.yaml:4:18: warning: r/path: command: "nosuchcmd-xyz-arbor" is not in $PATH`,
		`t.yaml:5:37: warning: r/env: env_file: "/nonexistent.env" does not exist`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("warnings %q; want one starting %q", out.String(), want)
		}
	}
	if strings.Contains(out.String(), "also-missing") || strings.Contains(out.String(), "r/ok") {
		t.Errorf("warnings %q; want none for an optional env file or a program that is there", out.String())
	}
}

// Each warning points at the key it is about, not at the child's name:
// in a long child the two are lines apart, and a key merged in with <<
// is where its anchor wrote it.
func TestCheckWarnsAtTheKey(t *testing.T) {
	const yaml = `name: r
x-env: &env
  env_file: [/nonexistent.env]
children:
  - name: a
    restart: permanent
    shutdown: 5s
    dir: /nonexistent-dir
    command:
      - /nonexistent/bin
  - name: b
    <<: *env
    command: [sh, -c, "true"]
`
	f, err := config.Parse("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	warnMissingDirs(&out, f)
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	var prefixes []string
	for _, l := range got {
		prefixes = append(prefixes, l[:strings.Index(l, ": warning:")])
	}
	want := []string{"t.yaml:8:5", "t.yaml:9:5", "t.yaml:3:3"}
	if !slices.Equal(prefixes, want) {
		t.Errorf("got = %v; want %v\n%s", prefixes, want, out.String())
	}
}

// A file with errors gets its warnings too, all at once: fixing the
// errors should not reveal a second round.
func TestCheckWarnsBesideErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.yaml")
	const yaml = "name: r\nchildren:\n  - {name: a, command: [/nonexistent/bin]}\n  - {name: b, command: [true], restart: sometimes}\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := CheckMain([]string{path}, &out, &errOut); code != ExitInvalid {
		t.Errorf("check = %d; want %d", code, ExitInvalid)
	}
	for _, want := range []string{`children[1].restart: unknown restart type "sometimes"`, `warning: r/a: command: "/nonexistent/bin" does not exist`} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr:\n%s\nwant it to hold %q", errOut.String(), want)
		}
	}
}

// A command that is not a list of arguments, or an empty one, is an error
// of the file, and the warnings that follow it do not trip over it.
func TestCheckBadCommandIsAnError(t *testing.T) {
	for _, cmd := range []string{"/bin/true", "[]"} {
		t.Run(cmd, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.yaml")
			yaml := "name: r\nchildren:\n  - name: a\n    command: " + cmd + "\n"
			if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			if code := CheckMain([]string{path}, &out, &errOut); code != ExitInvalid {
				t.Errorf("check = %d; want %d", code, ExitInvalid)
			}
			if !strings.Contains(errOut.String(), "t.yaml:4:") || !strings.Contains(errOut.String(), "command") {
				t.Errorf("stderr:\n%s\nwant an error at t.yaml:4 naming command", errOut.String())
			}
		})
	}
}

// A child's warnings come in the file's order, whatever the order in
// which they are checked: here its command's line before its dir's.
func TestCheckWarningsInLineOrder(t *testing.T) {
	const yaml = "name: r\nchildren:\n  - name: a\n    command: [/nonexistent/bin]\n    dir: /nonexistent-dir\n"
	f, err := config.Parse("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	warnMissingDirs(&out, f)
	var prefixes []string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		prefixes = append(prefixes, l[:strings.Index(l, ": warning:")])
	}
	if want := []string{"t.yaml:4:5", "t.yaml:5:5"}; !slices.Equal(prefixes, want) {
		t.Errorf("got = %v; want %v\n%s", prefixes, want, out.String())
	}
}
