package main

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// Each readiness check (tcp, log, exec) holds back the next sibling until
// it passes.
func TestReadinessGatesNextSibling(t *testing.T) {
	t.Parallel()
	port := strconv.Itoa(freePort(t))
	d := start(t, `
name: r
children:
  - name: tcp
    command: [$BIN, toy, serve, --addr, "127.0.0.1:`+port+`", --delay, 300ms, --every, 1h]
    ready: {tcp: "127.0.0.1:`+port+`", timeout: 5s}
  - name: log
    command: [/bin/sh, -c, "sleep 0.3; echo listening now; exec sleep 100"]
    ready: {log: "^listening", timeout: 5s}
  - name: exec
    command: [/bin/sh, -c, "sleep 0.3; touch $DIR/up; exec sleep 100"]
    ready: {exec: [test, -e, $DIR/up], timeout: 5s}
  - {name: last, command: `+sleeper+`}
`)
	d.waitEvent("started", "r/last")
	d.stopClean()
	recs := d.records()
	at := func(event, path string) time.Time {
		for _, r := range recs {
			if r.is(event, path) {
				return r.time()
			}
		}
		t.Fatalf("no %s of %s", event, path)
		return time.Time{}
	}
	prev := "r/tcp"
	for _, next := range []string{"r/log", "r/exec", "r/last"} {
		started, ready := at("started", prev), at("ready", prev)
		if wait := ready.Sub(started); wait < 250*time.Millisecond {
			t.Errorf("%s ready %v after its start, want ≥ 300ms", prev, wait)
		}
		if at("started", next).Before(ready) {
			t.Errorf("%s started before %s was ready", next, prev)
		}
		prev = next
	}
}

// A readiness that does not come within the start timeout is a start
// failure; at the first start it fails the tree: exit 1.
func TestReadinessTimeoutIsStartFailure(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - name: mute
    command: `+sleeper+`
    ready: {log: "^never$", timeout: 300ms}
  - {name: next, command: `+sleeper+`}
`)
	if code := d.wait(10 * time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	r := d.waitEvent("start_failed", "r/mute")
	if !strings.Contains(r.str("error"), "start timeout") {
		t.Errorf("start_failed error %q does not name the start timeout", r.str("error"))
	}
	if n := count(d.records(), "started", "r/next"); n != 0 {
		t.Errorf("next started %d times, want 0", n)
	}
}
