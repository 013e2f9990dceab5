//go:build linux

package process_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arborgo/arbor/engine/process"
)

func TestExpandEnv(t *testing.T) {
	vars := map[string]string{"A": "1", "E": "", "P": "/srv"}
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	tests := []struct{ in, want, err string }{
		{"plain", "plain", ""},
		{"${A}", "1", ""},
		{"x${A}y${P}", "x1y/srv", ""},
		{"$$", "$", ""},
		{"$${A}", "${A}", ""},
		{"$A and $", "$A and $", ""},
		{"${E:-d}", "d", ""},
		{"${U:-d e}", "d e", ""},
		{"${A:-d}", "1", ""},
		{"${E}", "", ""},
		{"${U}", "", "${U} is not set (write ${U:-default} for a default)"},
		{"${A", "", "unterminated ${"},
		{"${1x}", "", "${1x}: expected a variable name"},
	}
	for _, tt := range tests {
		got, err := process.ExpandWith(tt.in, lookup)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ExpandEnv(%q) = %q, %v; want an error containing %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ExpandEnv(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestReadEnvFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.env")
	os.WriteFile(good, []byte("# a comment\n\nA=1\nexport B = two words \nC=\"quoted # not a comment\"\nD='single'\nE=\n"), 0o600)
	got, err := process.ReadEnvFile(good)
	want := []string{"A=1", "B=two words", "C=quoted # not a comment", "D=single", "E="}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("ReadEnvFile = %q, %v; want %q", got, err, want)
	}
	bad := filepath.Join(dir, "bad.env")
	os.WriteFile(bad, []byte("A=1\nnot a line\n"), 0o600)
	if _, err := process.ReadEnvFile(bad); err == nil || !strings.Contains(err.Error(), bad+":2:") {
		t.Errorf("ReadEnvFile(bad) = %v; want an error naming %s:2", err, bad)
	}
	missing := filepath.Join(dir, "missing.env")
	if env, err := process.ReadEnvFile("-" + missing); env != nil || err != nil {
		t.Errorf("ReadEnvFile(optional missing) = %q, %v; want nil, nil", env, err)
	}
	if _, err := process.ReadEnvFile(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("ReadEnvFile(missing) = %v; want fs.ErrNotExist naming the file", err)
	}
}

// Env files are read at every start, override the supervisor's
// environment and are overridden by Env; ${...} expands from both.
func TestProcessEnvFiles(t *testing.T) {
	t.Setenv("ARBOR_T_OUTER", "outer")
	t.Setenv("ARBOR_T_OVER", "outer")
	dir := t.TempDir()
	file := filepath.Join(dir, "app.env")
	os.WriteFile(file, []byte("ARBOR_T_OVER=file\nARBOR_T_FILE=f1\nARBOR_T_BOTH=file\n"), 0o600)
	log := &captureLog{}
	cfg := sh(log, `echo "$ARBOR_T_OUTER $ARBOR_T_OVER $ARBOR_T_FILE $ARBOR_T_BOTH $0"`)
	cfg.Argv = append(cfg.Argv, "${ARBOR_T_FILE}-$${x}")
	cfg.EnvFiles = []string{file, "-" + filepath.Join(dir, "none.env")}
	cfg.Env = []string{"ARBOR_T_BOTH=env+${ARBOR_T_OVER}"}
	cfg.Expand = true
	p := process.New(cfg)
	if err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, []byte("ARBOR_T_FILE=f2\n"), 0o600)
	if err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"outer file f1 env+file f1-${x}", "outer outer f2 env+outer f2-${x}"}
	if got := log.stream("stdout"); !slices.Equal(got, want) {
		t.Errorf("stdout = %q; want %q", got, want)
	}
	os.Remove(file)
	if err := p.Run(context.Background()); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), file) {
		t.Errorf("Run without its env file = %v; want a start error naming %s", err, file)
	}
}
