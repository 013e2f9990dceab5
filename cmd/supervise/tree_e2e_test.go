package main

import (
	"slices"
	"syscall"
	"testing"
	"time"
)

const sleeper = `[/bin/sh, -c, "exec sleep 100"]`

// Starts go in file order through nested groups, and stops in exactly the
// reverse order, each group after its own children.
func TestStartOrderAndLIFOStop(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - {name: a, command: `+sleeper+`}
  - name: g
    children:
      - {name: b, command: `+sleeper+`}
      - name: h
        children:
          - {name: c, command: `+sleeper+`}
      - {name: d, command: `+sleeper+`}
  - {name: e, command: `+sleeper+`}
`)
	d.waitEvent("started", "r/e")
	d.stopClean()
	recs := d.records()
	wantStart := []string{"r/a", "r/g", "r/g/b", "r/g/h", "r/g/h/c", "r/g/d", "r/e"}
	if got := paths(recs, "started"); !slices.Equal(got, wantStart) {
		t.Errorf("started %v, want %v", got, wantStart)
	}
	wantStop := []string{"r/e", "r/g/d", "r/g/h/c", "r/g/h", "r/g/b", "r/g", "r/a"}
	if got := paths(recs, "stopped"); !slices.Equal(got, wantStop) {
		t.Errorf("stopped %v, want %v", got, wantStop)
	}
}

// Restarts are spaced by the backoff, doubling each time; the exit code of
// each crash is in the log.
func TestBackoffSpacing(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
intensity: 10
period: 20s
backoff: {initial: 100ms, max: 1s, multiplier: 2, jitter: 0}
children:
  - {name: crash, command: [/bin/sh, -c, "exit 3"]}
  - {name: other, command: `+sleeper+`}
`)
	d.waitFor("4th start", func(r rec) bool { return r.is("started", "r/crash") && count(d.records(), "started", "r/crash") >= 4 }, 10*time.Second)
	d.stopClean()
	var starts []time.Time
	var delays []string
	for _, r := range d.records() {
		switch {
		case r.is("started", "r/crash"):
			starts = append(starts, r.time())
		case r.is("restarting", "r/crash"):
			delays = append(delays, r.str("delay"))
			if c, _ := r["code"].(float64); c != 3 {
				t.Errorf("restarting record without code 3: %v", r)
			}
		case r.is("exited", "r/crash"):
			if c, ok := r["code"].(float64); !ok || c != 3 {
				t.Errorf("exited record without code 3: %v", r)
			}
		}
	}
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond}
	for i, w := range want {
		if i+1 >= len(starts) {
			t.Fatalf("only %d starts", len(starts))
		}
		gap := starts[i+1].Sub(starts[i])
		if gap < w*9/10 || gap > w+400*time.Millisecond {
			t.Errorf("gap %d = %v, want about %v (delays logged: %v)", i+1, gap, w, delays)
		}
	}
}

// With intensity 3, a child that keeps crashing is started 4 times, then
// the root gives up and supervise exits 1.
func TestGiveUpExitsOne(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
intensity: 3
period: 10s
backoff: {initial: 0s, max: 0s}
children:
  - {name: ok, command: `+sleeper+`}
  - {name: crash, command: [/bin/sh, -c, "sleep 0.05; exit 7"]}
`)
	if code := d.wait(10 * time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	recs := d.records()
	if n := count(recs, "started", "r/crash"); n != 4 {
		t.Errorf("crash started %d times, want 4", n)
	}
	if n := count(recs, "gave_up", "r"); n != 1 {
		t.Errorf("%d gave_up records for r, want 1", n)
	}
	if n := count(recs, "stopped", "r/ok"); n != 1 {
		t.Errorf("r/ok stopped %d times, want 1", n)
	}
}

// permanent always restarts, transient only after a failure, temporary
// never.
func TestRestartTypes(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
intensity: 100
period: 10s
backoff: {initial: 50ms, max: 50ms, jitter: 0}
children:
  - {name: perm_ok, restart: permanent, command: [/bin/sh, -c, "sleep 0.1; exit 0"]}
  - {name: trans_ok, restart: transient, command: [/bin/sh, -c, "sleep 0.1; exit 0"]}
  - {name: trans_bad, restart: transient, command: [/bin/sh, -c, "sleep 0.1; exit 1"]}
  - {name: temp_bad, restart: temporary, command: [/bin/sh, -c, "sleep 0.1; exit 1"]}
  - {name: last, command: `+sleeper+`}
`)
	d.waitFor("restarts", func(rec) bool {
		recs := d.records()
		return count(recs, "started", "r/perm_ok") >= 3 && count(recs, "started", "r/trans_bad") >= 3
	}, 10*time.Second)
	d.stopClean()
	recs := d.records()
	for path, want := range map[string]int{"r/trans_ok": 1, "r/temp_bad": 1} {
		if n := count(recs, "started", path); n != want {
			t.Errorf("%s started %d times, want %d", path, n, want)
		}
	}
	if n := count(recs, "restarting", "r/trans_ok") + count(recs, "restarting", "r/temp_bad"); n != 0 {
		t.Errorf("%d restarts of trans_ok and temp_bad, want none", n)
	}
}

// crashOnce is a child that fails once, 200ms after its first start, and
// then runs for good; marker names its marker file.
func crashOnce(marker string) string {
	return `[/bin/sh, -c, "if [ -e $DIR/` + marker + ` ]; then exec sleep 100; fi; touch $DIR/` + marker + `; sleep 0.2; exit 1"]`
}

// TestGroupStrategies: when b fails, one_for_all stops every other child
// and rest_for_one those after b, last first, then both start the stopped
// ones again in order.
func TestGroupStrategies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		strategy         string
		stopWith         syscall.Signal
		stopped, started []string
	}{
		{"one_for_all", syscall.SIGINT, []string{"r/d", "r/c", "r/a"}, []string{"r/a", "r/b", "r/c", "r/d"}},
		{"rest_for_one", syscall.SIGTERM, []string{"r/d", "r/c"}, []string{"r/b", "r/c", "r/d"}},
	}
	for _, tt := range tests {
		t.Run(tt.strategy, func(t *testing.T) {
			t.Parallel()
			d := start(t, `
name: r
strategy: `+tt.strategy+`
backoff: {initial: 0s, max: 0s}
children:
  - {name: a, command: `+sleeper+`}
  - {name: b, command: `+crashOnce("b")+`}
  - {name: c, command: `+sleeper+`}
  - {name: d, command: `+sleeper+`}
`)
			d.waitFor("second start of d", func(r rec) bool { return r.is("started", "r/d") && count(d.records(), "started", "r/d") == 2 }, 10*time.Second)
			recs := d.records()
			i := slices.IndexFunc(recs, func(r rec) bool { return r.is("exited", "r/b") })
			after := recs[i:]
			if got := paths(after, "stopped"); !slices.Equal(got, tt.stopped) {
				t.Errorf("after b exited, stopped %v, want %v", got, tt.stopped)
			}
			if got := paths(after, "started"); !slices.Equal(got, tt.started) {
				t.Errorf("after b exited, started %v, want %v", got, tt.started)
			}
			d.signal(tt.stopWith)
			if code := d.wait(10 * time.Second); code != 0 {
				t.Fatalf("exit code %d, want 0", code)
			}
		})
	}
}
