//go:build linux

package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Hung processes are found by their liveness checks and restarted by
// policy, with exit unhealthy; healthy ones never are: a TCP server that
// stops accepting, an HTTP server that starts answering 500, an exec
// check that starts failing, and a Type=notify program that sends READY=1
// late and then stops sending WATCHDOG=1.
func TestLivenessRestartsHungProcesses(t *testing.T) {
	t.Parallel()
	tcpPort, httpPort, okPort := strconv.Itoa(freePort(t)), strconv.Itoa(freePort(t)), strconv.Itoa(freePort(t))
	d := start(t, `
name: r
backoff: {initial: 100ms}
children:
  - name: tcp
    command: [$BIN, toy, serve, --addr, "127.0.0.1:`+tcpPort+`", --hang-after, 500ms, --every, 1h]
    ready: {tcp: "127.0.0.1:`+tcpPort+`", timeout: 5s}
    live: {tcp: "127.0.0.1:`+tcpPort+`", every: 200ms, timeout: 200ms, failures: 2}
  - name: http
    command: [$BIN, toy, http, --addr, "127.0.0.1:`+httpPort+`", --hang-after, 500ms, --every, 1h]
    ready: {tcp: "127.0.0.1:`+httpPort+`", timeout: 5s}
    live: {http: "http://127.0.0.1:`+httpPort+`/healthz", every: 200ms, failures: 2}
  - name: exec
    command: [/bin/sh, -c, "touch $DIR/ok; sleep 0.5; rm -f $DIR/ok; exec sleep 100"]
    live: {exec: [test, -e, $DIR/ok], every: 200ms, failures: 2, grace: 100ms}
  - name: notify
    command: [$BIN, toy, notify, --delay, 300ms, --every, 100ms, --hang-after, 500ms]
    ready: {notify: true, timeout: 5s}
    watchdog: 400ms
  - name: healthy
    command: [$BIN, toy, serve, --addr, "127.0.0.1:`+okPort+`", --every, 100ms]
    ready: {tcp: "127.0.0.1:`+okPort+`", timeout: 5s}
    live: {tcp: "127.0.0.1:`+okPort+`", every: 100ms, failures: 2}
  - name: beating
    command: [$BIN, toy, notify, --every, 50ms]
    ready: {notify: true, timeout: 5s}
    watchdog: 1s
`)
	for _, tc := range []struct{ path, check string }{
		{"r/tcp", "tcp"}, {"r/http", "http"}, {"r/exec", "exec"}, {"r/notify", "watchdog"},
	} {
		u := d.waitEvent("unhealthy", tc.path)
		if u.str("check") != tc.check || u.str("error") == "" {
			t.Errorf("%s: unhealthy record %v; want check %s and an error", tc.path, u, tc.check)
		}
		r := d.waitFor("restarting "+tc.path, func(r rec) bool {
			return (r.is("restarting", tc.path) || r.is("gave_up", "r")) && r.str("exit") == "unhealthy"
		}, 10*time.Second)
		if r.str("exit") != "unhealthy" {
			t.Errorf("%s: %v; want exit unhealthy", tc.path, r)
		}
		d.waitFor("second start of "+tc.path, func(r rec) bool {
			return r.is("started", tc.path) && count(d.records(), "started", tc.path) == 2
		}, 10*time.Second)
	}
	// The notify child became ready at READY=1, not at its start.
	recs := d.records()
	var started, ready time.Time
	for _, r := range recs {
		if r.is("started", "r/notify") && started.IsZero() {
			started = r.time()
		}
		if r.is("ready", "r/notify") && ready.IsZero() {
			ready = r.time()
		}
	}
	if wait := ready.Sub(started); wait < 250*time.Millisecond {
		t.Errorf("notify ready %v after its start; want ≥ 300ms (its READY=1)", wait)
	}

	code, out, stderr := runBin(t, nil, "status", "--json", "--socket", d.socket)
	if code != 0 {
		t.Fatalf("status --json: exit %d: %s", code, stderr)
	}
	var st struct {
		Children []struct {
			Path     string
			LastExit string `json:"last_exit"`
			Status   string
		}
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	for _, c := range st.Children {
		if c.Path == "r/notify" && c.Status != "serving" {
			t.Errorf("status of r/notify: %q; want its STATUS=serving", c.Status)
		}
		if c.Path == "r/tcp" && c.LastExit != "unhealthy" {
			t.Errorf("last_exit of r/tcp: %q; want unhealthy", c.LastExit)
		}
	}
	code, out, _ = runBin(t, nil, "status", "--socket", d.socket)
	if code != 0 || !strings.Contains(out, "STATUS") || !strings.Contains(out, "unhealthy") {
		t.Errorf("status: exit %d:\n%s\nwant a STATUS column and LAST EXIT unhealthy", code, out)
	}

	d.signal(syscall.SIGTERM)
	if code := d.wait(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d, want 0\n%s", code, d.dump())
	}
	for _, path := range []string{"r/healthy", "r/beating"} {
		if n := count(d.records(), "unhealthy", path); n != 0 {
			t.Errorf("%s found unhealthy %d times; want never", path, n)
		}
		if n := count(d.records(), "started", path); n != 1 {
			t.Errorf("%s started %d times; want once", path, n)
		}
	}
}
