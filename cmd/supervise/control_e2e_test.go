//go:build linux

package main

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/control"
)

// status asks d for its status.
func (d *sv) status() *control.Status {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := control.Query(ctx, d.socket)
	if err != nil {
		d.t.Fatal(err)
	}
	return st
}

// row returns the status row of path.
func (d *sv) row(path string) control.Row {
	d.t.Helper()
	for _, r := range d.status().Rows {
		if r.Path == path {
			return r
		}
	}
	d.t.Fatalf("no status row %s", path)
	return control.Row{}
}

// ctl runs `supervise ARGS... --socket S` against d and fails the test
// unless it exits want.
func (d *sv) ctl(want int, args ...string) (stdout, stderr string) {
	d.t.Helper()
	code, out, errOut := runBin(d.t, nil, append(args, "--socket", d.socket)...)
	if code != want {
		d.t.Fatalf("supervise %s: exit %d; want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out, errOut
}

// Three restarts asked for by command under intensity: 1 are no failures:
// the tree runs on, the child's restart count stays 0, each restart gets a
// new process and its sibling keeps its own; every one is logged.
func TestRestartOnRequestIsNoFailure(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
intensity: 1
period: 1h
children:
  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: b, command: [/bin/sh, -c, 'exec sleep 100']}
`)
	d.waitEvent("ready", "r/b")
	sibling := d.row("r/b").PID
	prev := d.row("r/a").PID
	for i := range 3 {
		d.ctl(0, "restart", "r/a")
		r := d.row("r/a")
		if r.State != "running" || r.PID == prev || r.PID == 0 || r.Restarts != 0 {
			t.Fatalf("after restart %d: a is %s, pid %d (was %d), restarts %d; want running, a new pid, 0 restarts", i+1, r.State, r.PID, prev, r.Restarts)
		}
		prev = r.PID
	}
	if b := d.row("r/b"); b.PID != sibling || b.Restarts != 0 {
		t.Errorf("sibling b: pid %d, restarts %d; want pid %d, 0 restarts", b.PID, b.Restarts, sibling)
	}
	if n := count(d.records(), "control", "r/a"); n != 3 {
		t.Errorf("%d control records for r/a; want 3", n)
	}
	for _, r := range d.records() {
		if r.is("control", "r/a") && (r.str("cmd") != "restart" || r["uid"] == nil) {
			t.Errorf("control record %v; want cmd restart and a uid", r)
		}
	}
	d.stopClean()
}

// signal SIGUSR1 reaches the named child's group only.
func TestSignalReachesNamedChildOnly(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - `+trapperUSR1("a")+`
  - `+trapperUSR1("b")+`
`)
	d.waitEvent("ready", "r/b")
	d.ctl(0, "signal", "SIGUSR1", "a") // the root's name may be left out
	d.waitFor("a-usr1", func(r rec) bool { return r.str("path") == "r/a" && r.str("msg") == "a-usr1" }, 10*time.Second)
	d.ctl(0, "signal", "USR2", "r/b") // ignored by b's trap list: just delivered
	d.signal(syscall.SIGTERM)
	d.wait(10 * time.Second)
	for _, r := range d.records() {
		if r.str("msg") == "b-usr1" {
			t.Errorf("b got the signal: %v", r)
		}
	}
}

func trapperUSR1(name string) string {
	return `{name: ` + name + `, ready: {log: up}, command: [/bin/sh, -c, "trap 'echo ` + name + `-usr1' USR1; trap '' USR2; echo up; while :; do sleep 0.05; done"]}`
}

// stop keeps a child stopped; start brings it back, ready; a stopped
// group stops its children; a second start fails naming the path.
func TestStopThenStart(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}
  - name: g
    children:
      - {name: x, command: [/bin/sh, -c, 'exec sleep 100']}
      - {name: y, command: [/bin/sh, -c, 'exec sleep 100']}
`)
	d.waitEvent("ready", "r/g/y")
	old := d.row("r/a").PID
	d.ctl(0, "stop", "r/a", "r/g")
	for _, p := range []string{"r/a", "r/g"} {
		if r := d.row(p); r.State != "stopped" {
			t.Errorf("%s is %s after stop; want stopped", p, r.State)
		}
	}
	waitGone(t, 10*time.Second, old)
	if got := paths(d.records(), "stopped"); strings.Join(got, " ") != "r/a r/g/y r/g/x r/g" {
		t.Errorf("stopped in order %v; want r/a r/g/y r/g/x r/g", got)
	}
	d.ctl(0, "start", "r/a", "r/g")
	if r := d.row("r/a"); r.State != "running" || r.PID == old || r.Restarts != 0 {
		t.Errorf("a after start: %s, pid %d, restarts %d; want running, a new pid, 0 restarts", r.State, r.PID, r.Restarts)
	}
	if r := d.row("r/g/y"); r.State != "running" {
		t.Errorf("g/y after start: %s; want running", r.State)
	}
	_, errOut := d.ctl(1, "start", "r/a")
	if !strings.Contains(errOut, "r/a") {
		t.Errorf("second start: %q; want it to name r/a", errOut)
	}
	d.signal(syscall.SIGTERM)
	d.wait(10 * time.Second)
}

// An unknown path fails, naming it, and nothing is done; bad usage exits 2.
func TestControlUnknownPath(t *testing.T) {
	t.Parallel()
	d := start(t, twoSleepers)
	d.waitEvent("ready", "r/b")
	pid := d.row("r/a").PID
	_, errOut := d.ctl(1, "restart", "r/a", "r/nope")
	if !strings.Contains(errOut, "r/nope") {
		t.Errorf("stderr %q; want it to name r/nope", errOut)
	}
	if r := d.row("r/a"); r.PID != pid {
		t.Errorf("a restarted (pid %d, was %d) though the command failed", r.PID, pid)
	}
	d.ctl(1, "stop", "r")
	d.ctl(2, "signal", "SIGNOPE", "r/a")
	d.ctl(2, "restart")
	d.ctl(2, "signal", "SIGUSR1")
	d.signal(syscall.SIGTERM)
	d.wait(10 * time.Second)
}
