package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A migration step that sleeps and exits 0 gates the server: the server
// starts only after the step exited 0, and status shows the step done.
func TestOneShotGatesServer(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - name: migrate
    command: [/bin/sh, -c, "sleep 0.3"]
    restart: transient
    ready: {exit: 0}
  - {name: server, command: `+sleeper+`}
`)
	d.waitEvent("ready", "r/server") // running from here: "started" comes before the exec
	recs := d.records()
	var exited, serverStarted time.Time
	for _, r := range recs {
		switch {
		case r.str("msg") == "process exited" && r.str("path") == "r/migrate":
			exited = r.time()
		case r.is("started", "r/server"):
			serverStarted = r.time()
		}
	}
	if exited.IsZero() || serverStarted.Before(exited) {
		t.Errorf("server started at %v, migrate exited at %v; want the server after the exit", serverStarted, exited)
	}
	code, out, stderr := runBin(t, nil, "status", "--socket", d.socket, "--json")
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, stderr)
	}
	var st struct {
		Rows []struct{ Path, State string } `json:"children"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	states := map[string]string{}
	for _, r := range st.Rows {
		states[r.Path] = r.State
	}
	if states["r/migrate"] != "done" || states["r/server"] != "running" {
		t.Errorf("states = %v; want r/migrate done, r/server running", states)
	}
	d.stopClean()
}

// A step that exits 1 is a start failure: the server never starts and
// supervise exits 1.
func TestOneShotFailureFailsStart(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - name: migrate
    command: [/bin/sh, -c, "exit 1"]
    restart: transient
    ready: {exit: 0}
  - {name: server, command: `+sleeper+`}
`)
	if code := d.wait(10 * time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	d.waitEvent("start_failed", "r/migrate")
	if n := count(d.records(), "started", "r/server"); n != 0 {
		t.Errorf("server started %d times, want 0", n)
	}
}

// A finished transient step is not run again when a later sibling
// restarts (rest_for_one restarts only what follows the failed child); a
// one_for_all group restart, which includes it, runs it again.
func TestOneShotRestarts(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		strategy string
		runs     int
	}{{"rest_for_one", 1}, {"one_for_all", 2}} {
		t.Run(tt.strategy, func(t *testing.T) {
			t.Parallel()
			dir := shortDir(t)
			d := startIn(t, dir, `
name: r
strategy: `+tt.strategy+`
backoff: {initial: 10ms, max: 10ms}
children:
  - name: migrate
    command: [/bin/sh, -c, "echo migrated"]
    restart: transient
    ready: {exit: 0}
  - name: server
    command: [/bin/sh, -c, "if [ -e $DIR/crashed ]; then exec sleep 100; fi; touch $DIR/crashed; exit 3"]
`)
			starts := 0
			d.waitFor("server's second start", func(r rec) bool {
				if r.is("started", "r/server") {
					starts++
				}
				return starts == 2
			}, 10*time.Second)
			// Starts are ordered: a rerun step finished before this.
			n := 0
			for _, r := range d.records() {
				if r.str("path") == "r/migrate" && strings.Contains(r.str("msg"), "migrated") {
					n++
				}
			}
			if n != tt.runs {
				t.Errorf("migrate ran %d times; want %d", n, tt.runs)
			}
			d.stopClean()
		})
	}
}
