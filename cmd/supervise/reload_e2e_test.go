//go:build linux

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const reloadBefore = `
name: r
children:
  - {name: keep, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: web, env: {PORT: "1"}, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: old, command: [/bin/sh, -c, 'exec sleep 100']}
`

const reloadAfter = `
name: r
children:
  - {name: keep, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: new, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: web, env: {PORT: "2"}, command: [/bin/sh, -c, 'exec sleep 100']}
`

// reloadTree runs reloadBefore, then writes reloadAfter over its file.
func reloadTree(t *testing.T) (d *sv, pids map[string]int) {
	d = start(t, reloadBefore)
	d.waitEvent("ready", "r/old")
	pids = map[string]int{}
	for _, p := range []string{"r/keep", "r/web", "r/old"} {
		pids[p] = d.row(p).PID
	}
	writeFile(t, d.dir, "tree.yaml", reloadAfter)
	return d, pids
}

// checkReloaded: exactly the changed and the added child got new
// processes, in file order; the removed one is gone; the unchanged one
// keeps its process and its restart count.
func checkReloaded(t *testing.T, d *sv, pids map[string]int) {
	t.Helper()
	if r := d.row("r/keep"); r.PID != pids["r/keep"] || r.Restarts != 0 {
		t.Errorf("keep: pid %d, restarts %d; want pid %d, 0 restarts", r.PID, r.Restarts, pids["r/keep"])
	}
	if r := d.row("r/web"); r.State != "running" || r.PID == pids["r/web"] {
		t.Errorf("web: %s, pid %d (was %d); want running with a new pid", r.State, r.PID, pids["r/web"])
	}
	if r := d.row("r/new"); r.State != "running" || r.PID == 0 {
		t.Errorf("new: %s, pid %d; want running", r.State, r.PID)
	}
	waitGone(t, 10*time.Second, pids["r/old"], pids["r/web"])
	st := d.status()
	var order []string
	for _, r := range st.Rows {
		order = append(order, r.Path)
	}
	if got := strings.Join(order, " "); got != "r/keep r/new r/web" {
		t.Errorf("children %s; want r/keep r/new r/web", got)
	}
	var ops []string
	for _, r := range d.records() {
		if r.is("reconfigured", "") {
			ops = append(ops, r.str("op")+" "+r.str("path"))
		}
	}
	if got := strings.Join(ops, ", "); got != "remove r/old, add r/new, restart r/web" {
		t.Errorf("reconfigured: %s; want remove r/old, add r/new, restart r/web", got)
	}
}

// reload --dry-run prints the plan and changes nothing; reload applies it.
func TestReloadAppliesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	d, pids := reloadTree(t)
	out, _ := d.ctl(0, "reload", "--dry-run")
	if want := "remove r/old\nadd r/new\nrestart r/web (changed: env.PORT)\n"; out != want {
		t.Errorf("dry run printed:\n%s\nwant:\n%s", out, want)
	}
	for p, pid := range pids {
		if r := d.row(p); r.PID != pid {
			t.Errorf("%s: pid %d after a dry run; want %d", p, r.PID, pid)
		}
	}
	d.ctl(0, "reload")
	checkReloaded(t, d, pids)
	if out, _ := d.ctl(0, "reload", "--dry-run"); out != "" {
		t.Errorf("a second dry run printed %q; want nothing", out)
	}
	d.stopClean()
}

// SIGHUP does what reload does.
func TestSIGHUPReloads(t *testing.T) {
	t.Parallel()
	d, pids := reloadTree(t)
	d.signal(syscall.SIGHUP)
	d.waitFor("restart r/web", func(r rec) bool { return r.is("reconfigured", "r/web") }, 10*time.Second)
	checkReloaded(t, d, pids)
	d.signal(syscall.SIGTERM)
	d.wait(10 * time.Second)
}

// A bad file exits 2 with the check's FILE:LINE:COL errors and changes
// nothing; on SIGHUP it is logged and the tree runs on as it was.
func TestReloadBadFileChangesNothing(t *testing.T) {
	t.Parallel()
	d := start(t, reloadBefore)
	d.waitEvent("ready", "r/old")
	pid := d.row("r/web").PID
	writeFile(t, d.dir, "tree.yaml", "name: r\nchildren:\n  - {name: web, comand: [x]}\n")
	_, errOut := d.ctl(2, "reload")
	if want := filepath.Join(d.dir, "tree.yaml") + ":3:"; !strings.Contains(errOut, want) {
		t.Errorf("stderr %q; want it to hold %q", errOut, want)
	}
	d.signal(syscall.SIGHUP)
	d.waitFor("reload_failed", func(r rec) bool { return r.is("reload_failed", "") }, 10*time.Second)
	for _, p := range []string{"r/keep", "r/web", "r/old"} {
		if r := d.row(p); r.State != "running" {
			t.Errorf("%s is %s; want running", p, r.State)
		}
	}
	if r := d.row("r/web"); r.PID != pid {
		t.Errorf("web pid %d; want %d", r.PID, pid)
	}
	d.signal(syscall.SIGTERM)
	d.wait(10 * time.Second)
}

// A supervisor's own intensity applies in place: nothing restarts.
func TestReloadUpdatesIntensityInPlace(t *testing.T) {
	t.Parallel()
	d := start(t, reloadBefore)
	d.waitEvent("ready", "r/old")
	pid := d.row("r/web").PID
	writeFile(t, d.dir, "tree.yaml", strings.Replace(reloadBefore, "name: r\n", "name: r\nintensity: 7\n", 1))
	out, _ := d.ctl(0, "reload")
	if out != "update r (intensity)\n" {
		t.Errorf("reload printed %q; want update r (intensity)", out)
	}
	d.waitFor("reconfigured update", func(r rec) bool { return r.is("reconfigured", "r") && r.str("op") == "update" }, 10*time.Second)
	if r := d.row("r/web"); r.PID != pid {
		t.Errorf("web pid %d; want %d (nothing restarted)", r.PID, pid)
	}
	d.signal(syscall.SIGTERM)
	d.wait(10 * time.Second)
}

// Nested: a changed process in a group is restarted through that group,
// an added one inserted there; its sibling and the group stay.
func TestReloadNested(t *testing.T) {
	t.Parallel()
	const before = `
name: r
children:
  - name: g
    children:
      - {name: x, env: {A: "1"}, command: [/bin/sh, -c, 'exec sleep 100']}
      - {name: y, command: [/bin/sh, -c, 'exec sleep 100']}
`
	d := start(t, before)
	d.waitEvent("ready", "r/g/y")
	x, y := d.row("r/g/x").PID, d.row("r/g/y").PID
	after := strings.Replace(before, `A: "1"`, `A: "2"`, 1) + "      - {name: z, command: [/bin/sh, -c, 'exec sleep 100']}\n"
	writeFile(t, d.dir, "tree.yaml", after)
	out, _ := d.ctl(0, "reload")
	if want := "restart r/g/x (changed: env.A)\nadd r/g/z\n"; out != want {
		t.Errorf("reload printed %q; want %q", out, want)
	}
	if r := d.row("r/g/x"); r.PID == x || r.State != "running" {
		t.Errorf("x: %s pid %d (was %d); want running with a new pid", r.State, r.PID, x)
	}
	if r := d.row("r/g/y"); r.PID != y {
		t.Errorf("y: pid %d; want %d", r.PID, y)
	}
	if r := d.row("r/g/z"); r.State != "running" {
		t.Errorf("z: %s; want running", r.State)
	}
	d.ctl(0, "signal", "SIGTERM", "r/g/z") // the index knows the added child
	d.signal(syscall.SIGTERM)
	d.wait(10 * time.Second)
}

// A changed child that an operator stopped takes its new spec and stays
// stopped, as `supervise stop` promised; `supervise start` then runs the
// new spec.
func TestReloadKeepsStoppedChildStopped(t *testing.T) {
	t.Parallel()
	const before = `
name: r
children:
  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: b, command: [/bin/sh, -c, 'echo old; exec sleep 100']}
`
	d := start(t, before)
	d.waitEvent("ready", "r/b")
	d.ctl(0, "stop", "r/b")
	writeFile(t, d.dir, "tree.yaml", strings.Replace(before, "echo old", "echo new", 1))
	want := "restart r/b (changed: command): stopped, so it takes the new spec and stays stopped\n"
	if out, _ := d.ctl(0, "reload", "--dry-run"); out != want {
		t.Errorf("dry run printed %q; want %q", out, want)
	}
	d.ctl(0, "reload")
	if r := d.row("r/b"); r.State != "stopped" || r.PID != 0 {
		t.Errorf("r/b after the reload: %s pid %d; want stopped", r.State, r.PID)
	}
	d.ctl(0, "start", "r/b")
	d.waitFor("the new spec's output", func(r rec) bool { return r.str("path") == "r/b" && r.str("msg") == "new" }, 10*time.Second)
	d.stopClean()
}

// A reload that changes a finished step keeps it done: the step takes the
// new spec for its next run, and the tree stays ready (status --check
// exits 0), rather than reading as down for good.
func TestReloadKeepsFinishedStepDone(t *testing.T) {
	t.Parallel()
	tree := `
name: r
children:
  - {name: migrate, command: [/bin/sh, -c, "echo v1"], restart: transient, ready: {exit: 0}}
  - {name: server, command: ` + sleeper + `}
`
	d := start(t, tree)
	d.waitEvent("ready", "r/server")
	if st := d.row("r/migrate").State; st != "done" {
		t.Fatalf("before the reload: r/migrate %s; want done", st)
	}
	writeFile(t, d.dir, "tree.yaml", strings.Replace(tree, "echo v1", "echo v2", 1))
	d.ctl(0, "reload")
	if st := d.row("r/migrate").State; st != "done" {
		t.Errorf("after a reload that changed it: r/migrate %s; want done", st)
	}
	d.ctl(0, "status", "--check")
	if n := count(d.records(), "started", "r/migrate"); n != 1 {
		t.Errorf("migrate started %d times; want 1 (a reload does not rerun a finished step)", n)
	}
	d.stopClean()
}
