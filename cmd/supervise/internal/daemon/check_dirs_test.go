package daemon

import (
	"bytes"
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
		`t.yaml:3:5: warning: r/abs: command: "/nonexistent/bin" does not exist`,
		`t.yaml:4:5: warning: r/path: command: "nosuchcmd-xyz-arbor" is not in $PATH`,
		`t.yaml:5:5: warning: r/env: env_file: "/nonexistent.env" does not exist`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("warnings %q; want one starting %q", out.String(), want)
		}
	}
	if strings.Contains(out.String(), "also-missing") || strings.Contains(out.String(), "r/ok") {
		t.Errorf("warnings %q; want none for an optional env file or a program that is there", out.String())
	}
}
