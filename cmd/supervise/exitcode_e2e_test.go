package main

import (
	"testing"
	"time"
)

// The tree ends because its significant job ended: supervise exits with
// the job's code, 128+N after signal N, mapped by exit_codes; a job that
// gave up still exits 1.
func TestExitCodeOfSignificantJob(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, job, extra string
		want             int
	}{
		{"exit 0", `[/bin/sh, -c, "exit 0"]`, "", 0},
		{"exit 7", `[/bin/sh, -c, "exit 7"]`, "", 7},
		{"SIGKILL", `[/bin/sh, $DIR/kill.sh, KILL]`, "", 137},
		{"mapped", `[/bin/sh, $DIR/kill.sh, TERM]`, "exit_codes: {143: 0}\n", 0},
		{"unmapped", `[/bin/sh, -c, "exit 3"]`, "exit_codes: {143: 0}\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := shortDir(t)
			// A script, so that the file's ${...} rules leave its $$ alone.
			writeFile(t, dir, "kill.sh", "kill -$1 $$\n")
			d := startIn(t, dir, tt.extra+`
name: r
auto_shutdown: any_significant
children:
  - {name: db, command: `+sleeper+`}
  - name: job
    command: `+tt.job+`
    restart: temporary
    significant: true
`)
			if code := d.wait(10 * time.Second); code != tt.want {
				t.Fatalf("exit code %d, want %d", code, tt.want)
			}
		})
	}
}

// A significant job inside a nested supervisor: its code reaches the top.
func TestExitCodeThroughNestedSupervisor(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
auto_shutdown: any_significant
children:
  - {name: db, command: `+sleeper+`}
  - name: jobs
    restart: transient
    significant: true
    auto_shutdown: any_significant
    children:
      - name: job
        command: [/bin/sh, -c, "exit 9"]
        restart: temporary
        significant: true
`)
	if code := d.wait(10 * time.Second); code != 9 {
		t.Fatalf("exit code %d, want 9", code)
	}
}

// A permanent job that keeps exiting 7 makes the tree give up: exit 1.
func TestExitCodeGaveUpIsOne(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
intensity: 1
backoff: {initial: 10ms, max: 10ms}
children:
  - name: job
    command: [/bin/sh, -c, "exit 7"]
`)
	if code := d.wait(10 * time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
}
