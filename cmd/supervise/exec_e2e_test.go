//go:build unix

package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startExec runs `supervise exec` with flags, then "--" and argv. These
// tests read the child's lines and supervise's records from its log, so
// the child's output is logged and so are supervise's info records.
func startExec(t *testing.T, flags []string, argv ...string) *sv {
	t.Helper()
	dir := shortDir(t)
	args := append([]string{"exec", "--log-format", "json", "--output", "log", "--log-level", "info",
		"--socket", filepath.Join(dir, "s.sock")}, flags...)
	return startArgs(t, dir, append(append(args, "--"), argv...)...)
}

// supervise exec exits with its child's code, 128+N after signal N, mapped
// by -e; a child that cannot start exits 1. No signal is sent here.
func TestExecExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		flags []string
		argv  []string
		want  int
	}{
		{"exit 0", nil, []string{"/bin/sh", "-c", "exit 0"}, 0},
		{"exit 7", nil, []string{"/bin/sh", "-c", "exit 7"}, 7},
		{"SIGKILL", nil, []string{"/bin/sh", "-c", "kill -KILL $$"}, 137},
		{"-e maps", []string{"-e", "7", "-e", "9"}, []string{"/bin/sh", "-c", "exit 7"}, 0},
		{"-e others pass", []string{"-e", "9"}, []string{"/bin/sh", "-c", "exit 7"}, 7},
		// ${VAR} is not expanded: the shell gets it as written.
		{"verbatim", nil, []string{"/bin/sh", "-c", `test "$1" = '${NOPE}'`, "sh", "${NOPE}"}, 0},
		{"missing", nil, []string{"/nonexistent/cmd"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := startExec(t, tt.flags, tt.argv...)
			if code := d.wait(10 * time.Second); code != tt.want {
				t.Errorf("exit code %d; want %d", code, tt.want)
			}
		})
	}
}

// SIGTERM is forwarded to the child, not a stop: a child that traps it and
// exits 3 makes supervise exit 3; one that dies of it exits 143, or 0
// with -e 143.
func TestExecForwardsTerm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		flags  []string
		script string
		want   int
	}{
		{"trapped", nil, `trap 'exit 3' TERM; echo up; while :; do sleep 0.05; done`, 3},
		{"killed", nil, `echo up; exec sleep 100`, 143},
		{"-e 143", []string{"-e", "143"}, `echo up; exec sleep 100`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := startExec(t, tt.flags, "/bin/sh", "-c", tt.script)
			d.waitFor("up", func(r rec) bool { return r.str("stream") == "stdout" && r.str("msg") == "up" }, 10*time.Second)
			d.signal(syscall.SIGTERM)
			if code := d.wait(10 * time.Second); code != tt.want {
				t.Errorf("exit code %d; want %d", code, tt.want)
			}
			recs := d.records()
			n := 0
			for _, r := range recs {
				if r.is("signal_forwarded", "exec/main") && r.str("signal") == "SIGTERM" {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d signal_forwarded SIGTERM records for exec/main; want 1", n)
			}
			if c := count(recs, "signal", ""); c != 0 {
				t.Errorf("%d stop records; want none: SIGTERM is forwarded", c)
			}
		})
	}
}

// Every other handled signal reaches the child too, SIGHUP and SIGUSR1
// among them.
func TestExecForwardsOtherSignals(t *testing.T) {
	t.Parallel()
	d := startExec(t, nil, "/bin/sh", "-c", `trap 'echo hup' HUP; trap 'exit 5' USR1; echo up; while :; do sleep 0.05; done`)
	line := func(s string) func(rec) bool {
		return func(r rec) bool { return r.str("stream") == "stdout" && r.str("msg") == s }
	}
	d.waitFor("up", line("up"), 10*time.Second)
	d.signal(syscall.SIGHUP)
	d.waitFor("hup", line("hup"), 10*time.Second)
	d.signal(syscall.SIGUSR1)
	if code := d.wait(10 * time.Second); code != 5 {
		t.Errorf("exit code %d; want 5", code)
	}
}

// By default the child's output is its own, as under tini: its stdout is
// supervise's stdout, byte for byte, its stderr lines are supervise's
// stderr lines, and supervise adds only its warnings and errors.
func TestExecOutputIsTheChilds(t *testing.T) {
	t.Parallel()
	dir := shortDir(t)
	code, stdout, stderr := runBin(t, nil, "exec", "--log-format", "json", "--socket", filepath.Join(dir, "s.sock"), "--",
		"/bin/sh", "-c", `printf '{"level":"info","msg":"app"}\n'; echo oops >&2; exit 7`)
	if code != 7 {
		t.Errorf("exit code %d; want 7", code)
	}
	if want := "{\"level\":\"info\",\"msg\":\"app\"}\n"; stdout != want {
		t.Errorf("stdout %q; want %q, as the child wrote it", stdout, want)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if !slices.Contains(lines, "oops") {
		t.Errorf("stderr %q; want the child's line oops, as it wrote it", stderr)
	}
	for _, l := range lines {
		if l == "oops" {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(l), &r); err != nil || r["stream"] != nil || (r["level"] != "WARN" && r["level"] != "ERROR") {
			t.Errorf("stderr line %q; want only supervise's warnings and errors beside the child's line", l)
		}
	}
}
