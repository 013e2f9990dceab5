//go:build unix

package main

import (
	"syscall"
	"testing"
	"time"
)

// trapper is an nginx-style child that prints NAME-hup on SIGHUP and
// NAME-usr2 on SIGUSR2, once it printed up; keys are more of its keys.
func trapper(name, keys string) string {
	return `{name: ` + name + `, ` + keys + `ready: {log: up}, command: [/bin/sh, -c, "trap 'echo ` + name + `-hup' HUP; trap 'echo ` + name +
		`-usr2' USR2; echo up; while :; do sleep 0.05; done"]}`
}

// A SIGHUP forwarded to web and jobs/worker reaches their process groups,
// each logged signal_forwarded, while cron, which traps it too, does not
// see it; {reload: [web]} sends web its reload_signal; SIGTERM still stops.
func TestForwardedSignalReachesNamedChildrenOnly(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
signals:
  SIGHUP: {forward: [web, jobs/worker]}
  SIGUSR1: {reload: [web]}
children:
  - `+trapper("web", "reload_signal: SIGUSR2, ")+`
  - name: jobs
    children:
      - `+trapper("worker", "")+`
      - `+trapper("cron", "")+`
`)
	for _, c := range []string{"r/web", "r/jobs/worker", "r/jobs/cron"} {
		d.waitEvent("ready", c)
	}
	d.signal(syscall.SIGHUP)
	line := func(path, msg string) func(rec) bool {
		return func(r rec) bool { return r.str("path") == path && r.str("stream") == "stdout" && r.str("msg") == msg }
	}
	d.waitFor("web-hup", line("r/web", "web-hup"), 10*time.Second)
	d.waitFor("worker-hup", line("r/jobs/worker", "worker-hup"), 10*time.Second)
	for _, p := range []string{"r/web", "r/jobs/worker"} {
		d.waitFor("signal_forwarded "+p, func(r rec) bool {
			return r.is("signal_forwarded", p) && r.str("signal") == "SIGHUP"
		}, 10*time.Second)
	}
	d.signal(syscall.SIGUSR1)
	d.waitFor("web-usr2", line("r/web", "web-usr2"), 10*time.Second)
	d.stopClean()
	recs := d.records()
	for _, r := range recs {
		if r.str("msg") == "cron-hup" || r.str("msg") == "worker-usr2" || r.is("signal_forwarded", "r/jobs/cron") {
			t.Errorf("a child not named got the signal: %v", r)
		}
	}
	if n := count(recs, "signal_forwarded", ""); n != 3 {
		t.Errorf("%d signal_forwarded records; want 3", n)
	}
}
