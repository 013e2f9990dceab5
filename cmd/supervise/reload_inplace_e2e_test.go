//go:build linux

package main

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pidsOf returns the PIDs of paths.
func (d *sv) pidsOf(paths ...string) map[string]int {
	d.t.Helper()
	pids := map[string]int{}
	for _, p := range paths {
		pids[p] = d.row(p).PID
	}
	return pids
}

// samePIDs fails the test unless each path still runs the same process.
func (d *sv) samePIDs(what string, pids map[string]int) {
	d.t.Helper()
	for p, pid := range pids {
		if r := d.row(p); r.PID != pid || r.State != "running" {
			d.t.Errorf("%s: %s: %s pid %d; want running with pid %d (nothing restarted)", what, p, r.State, r.PID, pid)
		}
	}
}

// A group's backoff applies in place: no process restarts, and the next
// restart of a process that takes the group's backoff waits the new
// delay, while one with a backoff of its own keeps it.
func TestReloadBackoffInPlace(t *testing.T) {
	t.Parallel()
	const before = `
name: r
children:
  - name: g
    backoff: {initial: 1s, multiplier: 1, jitter: 0}
    children:
      - {name: x, command: [/bin/sh, -c, 'exec sleep 100']}
      - {name: y, backoff: {initial: 300ms, multiplier: 1, jitter: 0}, command: [/bin/sh, -c, 'exec sleep 100']}
`
	d := start(t, before)
	d.waitEvent("ready", "r/g/y")
	pids := d.pidsOf("r/g/x", "r/g/y")
	writeFile(t, d.dir, "tree.yaml", strings.Replace(before, "initial: 1s", "initial: 200ms", 1))
	if out, _ := d.ctl(0, "reload", "--dry-run"); out != "update r/g (backoff)\n" {
		t.Errorf("dry run printed %q; want %q", out, "update r/g (backoff)\n")
	}
	d.ctl(0, "reload")
	d.samePIDs("after the reload", pids)
	for _, p := range []string{"r/g/x", "r/g/y"} {
		d.ctl(0, "signal", "SIGKILL", p)
	}
	for p, want := range map[string]time.Duration{"r/g/x": 200 * time.Millisecond, "r/g/y": 300 * time.Millisecond} {
		r := d.waitFor("restarting "+p, func(r rec) bool { return r.is("restarting", p) }, 10*time.Second)
		if got, _ := r["delay"].(float64); time.Duration(got) != want {
			t.Errorf("%s restart delay %v; want %v", p, time.Duration(got), want)
		}
	}
	d.stopClean()
}

// The root's drain applies in place: nothing restarts, and the shutdown
// that follows drains for the new time.
func TestReloadRootDrainInPlace(t *testing.T) {
	t.Parallel()
	d := start(t, reloadBefore)
	d.waitEvent("ready", "r/old")
	pids := d.pidsOf("r/keep", "r/web", "r/old")
	writeFile(t, d.dir, "tree.yaml", strings.Replace(reloadBefore, "name: r\n", "name: r\ndrain: 300ms\n", 1))
	if out, _ := d.ctl(0, "reload"); out != "update r (drain)\n" {
		t.Errorf("reload printed %q; want %q", out, "update r (drain)\n")
	}
	d.samePIDs("after the reload", pids)
	d.signal(syscall.SIGTERM)
	r := d.waitFor("draining", func(r rec) bool { return r.is("draining", "r") }, 10*time.Second)
	if got, _ := r["drain"].(float64); time.Duration(got) != 300*time.Millisecond {
		t.Errorf("drain %v; want 300ms", time.Duration(got))
	}
	d.wait(10 * time.Second)
}

// A change of the root's signals: applies in place: a signal newly
// forwarded reaches its child, whose process stays the same.
func TestReloadSignalsInPlace(t *testing.T) {
	t.Parallel()
	const before = `
name: r
children:
  - ` + `{name: web, ready: {log: up}, command: [/bin/sh, -c, "trap 'echo web-usr1' USR1; echo up; while :; do sleep 0.05; done"]}` + `
`
	d := start(t, before)
	d.waitEvent("ready", "r/web")
	pids := d.pidsOf("r/web")
	writeFile(t, d.dir, "tree.yaml", strings.Replace(before, "name: r\n", "name: r\nsignals:\n  SIGUSR1: {forward: [web]}\n", 1))
	if out, _ := d.ctl(0, "reload"); out != "update r (signals)\n" {
		t.Errorf("reload printed %q; want %q", out, "update r (signals)\n")
	}
	d.samePIDs("after the reload", pids)
	d.signal(syscall.SIGUSR1)
	d.waitFor("web-usr1", func(r rec) bool { return r.str("path") == "r/web" && r.str("msg") == "web-usr1" }, 10*time.Second)
	d.stopClean()
}

// A group's shutdown applies in place to the processes that take it: no
// process restarts, and the next stop of one that ignores SIGTERM is
// SIGKILLed after the new, short shutdown, not the old, long one.
func TestReloadShutdownInPlace(t *testing.T) {
	t.Parallel()
	const before = `
name: r
children:
  - name: g
    shutdown: 60s
    children:
      - {name: x, ready: {log: up}, command: [/bin/sh, -c, "trap '' TERM; echo up; while :; do sleep 0.05; done"]}
      - {name: y, command: [/bin/sh, -c, 'exec sleep 100']}
`
	d := start(t, before)
	d.waitEvent("ready", "r/g/x")
	d.waitEvent("ready", "r/g/y")
	pids := d.pidsOf("r/g/x", "r/g/y")
	writeFile(t, d.dir, "tree.yaml", strings.Replace(before, "shutdown: 60s", "shutdown: 300ms", 1))
	if out, _ := d.ctl(0, "reload"); out != "update r/g (shutdown)\n" {
		t.Errorf("reload printed %q; want %q", out, "update r/g (shutdown)\n")
	}
	d.samePIDs("after the reload", pids)
	d.ctl(0, "stop", "r/g/x") // returns once stopped: after 60s with the old shutdown
	if r := d.row("r/g/x"); r.State != "stopped" {
		t.Errorf("x: %s after stop; want stopped", r.State)
	}
	d.stopClean()
}

// A change of the order of the root's children restarts all of them, in
// place: they stop in reverse start order and start in the new file
// order, under the same supervise process and socket.
func TestReloadRootOrderRestartsRootChildren(t *testing.T) {
	t.Parallel()
	const before = `
name: r
children:
  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: b, command: [/bin/sh, -c, 'exec sleep 100']}
  - name: g
    children:
      - {name: x, command: [/bin/sh, -c, 'exec sleep 100']}
`
	const after = `
name: r
children:
  - name: g
    children:
      - {name: x, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: b, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}
`
	d := start(t, before)
	d.waitEvent("ready", "r/g/x")
	self := d.status().PID
	pids := d.pidsOf("r/a", "r/b", "r/g/x")
	writeFile(t, d.dir, "tree.yaml", after)
	if out, _ := d.ctl(0, "reload", "--dry-run"); out != "restart r (changed: order)\n" {
		t.Errorf("dry run printed %q; want %q", out, "restart r (changed: order)\n")
	}
	mark := len(d.records())
	d.ctl(0, "reload")
	st := d.status()
	if st.PID != self {
		t.Errorf("supervise pid %d; want %d", st.PID, self)
	}
	var order []string
	for _, r := range st.Rows {
		order = append(order, r.Path)
		if r.State != "running" {
			t.Errorf("%s: %s; want running", r.Path, r.State)
		}
		if old, ok := pids[r.Path]; ok && r.PID == old {
			t.Errorf("%s: pid %d; want a new process", r.Path, r.PID)
		}
	}
	if got := strings.Join(order, " "); got != "r/g r/g/x r/b r/a" {
		t.Errorf("rows %s; want r/g r/g/x r/b r/a", got)
	}
	recs := d.records()[mark:]
	var stopped, started []string
	for _, r := range recs {
		switch {
		case r.is("stopped", "") && !strings.HasPrefix(r.str("path"), "r/g/"):
			stopped = append(stopped, r.str("path"))
		case r.is("started", "") && !strings.HasPrefix(r.str("path"), "r/g/"):
			started = append(started, r.str("path"))
		}
	}
	if got := strings.Join(stopped, " "); got != "r/g r/b r/a" {
		t.Errorf("stopped %s; want r/g r/b r/a (reverse start order)", got)
	}
	if got := strings.Join(started, " "); got != "r/g r/b r/a" {
		t.Errorf("started %s; want r/g r/b r/a (the new file order)", got)
	}
	if n := count(recs, "reconfigured", "r"); n != 1 {
		t.Errorf("%d reconfigured records for r; want 1", n)
	}
	d.ctl(0, "signal", "SIGTERM", "r/g/x") // the index knows the new children
	d.stopClean()
}

// livez reports whether GET /livez on addr answers 200.
func livez(addr string) bool {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://" + addr + "/livez")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// The root's http: moves the HTTP server in place: it serves on the new
// address and no longer on the old one, nothing restarts; an address that
// cannot be bound is refused, naming it, and the server serves on.
func TestReloadRootHTTPInPlace(t *testing.T) {
	t.Parallel()
	addr := func() string { return "127.0.0.1:" + strconv.Itoa(freePort(t)) }
	a1, a2 := addr(), addr()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	file := func(a string) string { return strings.Replace(reloadBefore, "name: r\n", "name: r\nhttp: "+a+"\n", 1) }
	d := start(t, file(a1))
	d.waitEvent("ready", "r/old")
	pids := d.pidsOf("r/keep", "r/web", "r/old")
	if !livez(a1) {
		t.Fatalf("no /livez on %s", a1)
	}
	writeFile(t, d.dir, "tree.yaml", file(a2))
	if out, _ := d.ctl(0, "reload"); out != "update r (http)\n" {
		t.Errorf("reload printed %q; want %q", out, "update r (http)\n")
	}
	if !livez(a2) {
		t.Errorf("no /livez on %s, the new address", a2)
	}
	if livez(a1) {
		t.Errorf("/livez still answers on %s, the old address", a1)
	}
	d.samePIDs("after the move", pids)
	writeFile(t, d.dir, "tree.yaml", file(taken.Addr().String()))
	_, errOut := d.ctl(1, "reload")
	if !strings.Contains(errOut, taken.Addr().String()) {
		t.Errorf("stderr %q; want it to name %s", errOut, taken.Addr())
	}
	if !livez(a2) {
		t.Errorf("no /livez on %s after a refused move", a2)
	}
	d.stopClean()
}

// A change of the root's exit_codes applies in place: the tree that ends
// on its own after the reload exits with the code the new map gives.
func TestReloadExitCodesInPlace(t *testing.T) {
	t.Parallel()
	const before = `
name: r
auto_shutdown: any_significant
exit_codes: {3: 4}
children:
  - {name: job, restart: temporary, significant: true, ready: {log: up}, command: [/bin/sh, -c, "trap 'exit 3' USR1; echo up; while :; do sleep 0.05; done"]}
`
	d := start(t, before)
	d.waitEvent("ready", "r/job")
	writeFile(t, d.dir, "tree.yaml", strings.Replace(before, "{3: 4}", "{3: 5}", 1))
	if out, _ := d.ctl(0, "reload"); out != "update r (exit_codes)\n" {
		t.Errorf("reload printed %q; want %q", out, "update r (exit_codes)\n")
	}
	d.ctl(0, "signal", "SIGUSR1", "r/job")
	if code := d.wait(10 * time.Second); code != 5 {
		t.Errorf("exit code %d; want 5, from the new exit_codes", code)
	}
}

// A new root strategy applies in place and restarts the root's children
// under it, under the same supervise: after one_for_one becomes
// one_for_all, a crash of a restarts b too.
func TestReloadRootStrategyRestartsRootChildren(t *testing.T) {
	t.Parallel()
	const before = `
name: r
backoff: {initial: 0s}
children:
  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: b, command: [/bin/sh, -c, 'exec sleep 100']}
`
	after := strings.Replace(before, "name: r\n", "name: r\nstrategy: one_for_all\n", 1)
	d := start(t, before)
	d.waitEvent("ready", "r/b")
	self, pids := d.status().PID, d.pidsOf("r/a", "r/b")
	writeFile(t, d.dir, "tree.yaml", after)
	want := "update r (strategy)\nrestart r (changed: strategy)\n"
	if out, _ := d.ctl(0, "reload", "--dry-run"); out != want {
		t.Errorf("dry run printed %q; want %q", out, want)
	}
	d.ctl(0, "reload")
	if st := d.status(); st.PID != self {
		t.Errorf("supervise pid %d; want %d", st.PID, self)
	}
	for p, old := range pids {
		if r := d.row(p); r.PID == old || r.State != "running" {
			t.Errorf("%s: %s pid %d after the reload; want a new process, running", p, r.State, r.PID)
		}
	}
	pids = d.pidsOf("r/a", "r/b")
	readies := count(d.records(), "ready", "r/b")
	d.ctl(0, "signal", "SIGKILL", "r/a")
	seen := 0
	d.waitFor("b restarted with a", func(r rec) bool {
		if r.is("ready", "r/b") {
			seen++
		}
		return seen > readies
	}, 10*time.Second)
	if r := d.row("r/b"); r.PID == pids["r/b"] {
		t.Errorf("r/b pid %d after r/a crashed; want a new process (one_for_all)", r.PID)
	}
	d.stopClean()
}
