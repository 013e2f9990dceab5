//go:build linux

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/sdnotify"
)

// next reads notifications until one satisfies ok.
func next(t *testing.T, c *sdnotify.Conn, what string, ok func(sdnotify.Message) bool) sdnotify.Cred {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		cred, m, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok(m) {
			return cred
		}
	}
}

// `supervise run` under systemd's variables, as a Type=notify unit with
// WatchdogSec= starts it (WATCHDOG_PID is the main process, the guard):
// READY=1 once its children are ready and not before, WATCHDOG=1 while it
// runs, STOPPING=1 on SIGTERM; its children see none of the variables.
func TestSystemdNotifyE2E(t *testing.T) {
	dir := shortDir(t)
	c, err := sdnotify.Listen(filepath.Join(dir, "notify"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	file := writeFile(t, dir, "tree.yaml", `
name: r
children:
  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}
  - name: b
    command: [/bin/sh, -c, 'echo "env ${NOTIFY_SOCKET:-none} ${WATCHDOG_USEC:-none} ${WATCHDOG_PID:-none}"; while [ ! -e $DIR/gate ]; do sleep 0.02; done; echo up; exec sleep 100']
    ready: {log: up}
`)
	// The shell execs supervise, so $$ is the guard's PID.
	cmd := exec.Command("/bin/sh", "-c", `NOTIFY_SOCKET="$1" WATCHDOG_USEC=300000 WATCHDOG_PID=$$ exec "$0" run --log-format json --socket "$2" "$3"`,
		bin, c.LocalAddr(), filepath.Join(dir, "s.sock"), file)
	d := startCmd(t, dir, cmd)
	started := d.waitEvent("supervise_started", "")
	d.waitFor("b's environment", func(r rec) bool { return r.str("path") == "r/b" && r.str("stream") == "stdout" }, 10*time.Second)
	for _, r := range d.records() {
		if r.str("path") == "r/b" && r.str("stream") == "stdout" && r.str("msg") != "env none none none" {
			t.Errorf("r/b saw %q; want none of systemd's variables", r.str("msg"))
		}
	}
	pending, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	for {
		_, m, err := c.Read(pending)
		if err != nil {
			break
		}
		if m.Ready {
			t.Fatal("READY=1 before r/b was ready")
		}
	}
	cancel()
	if err := os.WriteFile(filepath.Join(dir, "gate"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cred := next(t, c, "READY=1", func(m sdnotify.Message) bool { return m.Ready })
	d.waitEvent("ready", "r/b") // logged before READY=1, read by our pump since
	if want := int(started["pid"].(float64)); cred.PID != want {
		t.Errorf("READY=1 from PID %d; want supervise's %d (the guard is %d)", cred.PID, want, d.cmd.Process.Pid)
	}
	next(t, c, "WATCHDOG=1", func(m sdnotify.Message) bool { return m.Watchdog })
	d.signal(syscall.SIGTERM) // to the guard, as systemd signals its main process
	next(t, c, "STOPPING=1", func(m sdnotify.Message) bool { return m.Stopping })
	if code := d.wait(15 * time.Second); code != 0 {
		t.Errorf("exit code %d; want 0", code)
	}
}
