package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

// user: nobody and rlimits: {nofile: 1234} and umask are what the child
// sees, from its first instruction on.
func TestIdentityAndLimits(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root to switch users")
	}
	d := start(t, `
name: r
auto_shutdown: any_significant
children:
  - name: app
    restart: temporary
    significant: true
    user: nobody
    umask: "027"
    rlimits: {nofile: 1234, core: {soft: 0, hard: unlimited}}
    command: [/bin/sh, -c, 'echo "uid=$(id -u) nofile=$(ulimit -n) hardnofile=$(ulimit -Hn) core=$(ulimit -c) hardcore=$(ulimit -Hc) umask=$(umask)"']
`)
	if code := d.wait(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
	r := d.waitFor("the child's line", func(r rec) bool { return r.str("stream") == "stdout" }, time.Second)
	got := r.str("msg")
	for _, want := range []string{"uid=65534", "nofile=1234", "hardnofile=1234", "core=0", "hardcore=unlimited", "umask=0027"} {
		if !strings.Contains(got, want) {
			t.Errorf("child printed %q; want %s in it", got, want)
		}
	}
}

// user: alone (no limits) switches through the fork's own credentials.
func TestUserWithoutLimits(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root to switch users")
	}
	d := start(t, `
name: r
auto_shutdown: any_significant
children:
  - {name: app, restart: temporary, significant: true, user: "65534", command: [/bin/sh, -c, 'echo "uid=$(id -u) gid=$(id -g)"']}
`)
	if code := d.wait(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
	r := d.waitFor("the child's line", func(r rec) bool { return r.str("stream") == "stdout" }, time.Second)
	if got := r.str("msg"); !strings.HasPrefix(got, "uid=65534 gid=") || got == "uid=65534 gid=0" {
		t.Errorf("child printed %q; want uid 65534 and nobody's group", got)
	}
}
