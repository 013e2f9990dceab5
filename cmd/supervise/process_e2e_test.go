package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A child that ignores SIGTERM is SIGKILLed once its shutdown timeout has
// passed, and supervise still exits 0.
func TestStubbornChildKilledAfterTimeout(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - {name: polite, command: `+sleeper+`}
  - name: stubborn
    shutdown: 300ms
    command: [/bin/sh, -c, "trap '' TERM; echo up; exec sleep 100"]
    ready: {log: "^up$"}
`)
	d.waitEvent("ready", "r/stubborn")
	pid := d.pidOf("r/stubborn")
	t0 := time.Now()
	d.stopClean()
	if took := time.Since(t0); took < 250*time.Millisecond || took > 3*time.Second {
		t.Errorf("shutdown took %v, want about 300ms", took)
	}
	waitGone(t, 2*time.Second, pid)
	exited := d.waitFor("exit of stubborn", func(r rec) bool {
		return r.str("msg") == "process exited" && r.str("path") == "r/stubborn"
	}, time.Second)
	if !strings.Contains(exited.str("result"), "killed") {
		t.Errorf("stubborn exited with %q, want killed", exited.str("result"))
	}
}

// shutdown: 0s kills at once, without a stop signal first.
func TestShutdownZeroKillsAtOnce(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - name: k
    shutdown: 0s
    command: [/bin/sh, -c, "trap 'echo got TERM' TERM; echo up; while :; do sleep 0.05; done"]
    ready: {log: "^up$"}
`)
	d.waitEvent("ready", "r/k")
	d.signal(syscall.SIGTERM)
	if code := d.wait(5 * time.Second); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
	for _, r := range d.records() {
		if r.str("msg") == "got TERM" {
			t.Errorf("child got SIGTERM; want SIGKILL only")
		}
	}
}

// No grandchild survives a stop: neither one in the child's process group
// nor one that left it with setsid (supervise is a child subreaper and
// kills orphans it inherited at the end).
func TestNoGrandchildSurvives(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - name: fam
    command: [/bin/sh, -c, "sleep 100 & echo grandchild $!; setsid sleep 101 & echo escaped $!; wait"]
`)
	gc := d.grandchild("grandchild")
	esc := d.grandchild("escaped")
	d.waitFor("both alive", func(rec) bool { return alive(gc) && alive(esc) }, 5*time.Second)
	d.stopClean()
	waitGone(t, 2*time.Second, gc, esc)
}

// grandchild returns the PID a child printed after word.
func (d *sv) grandchild(word string) int {
	d.t.Helper()
	r := d.waitFor(word, func(r rec) bool { return strings.HasPrefix(r.str("msg"), word+" ") }, 10*time.Second)
	pid, err := strconv.Atoi(strings.TrimPrefix(r.str("msg"), word+" "))
	if err != nil {
		d.t.Fatal(err)
	}
	return pid
}

// kill -9 of supervise leaves no child and no grandchild of its process
// groups behind: the parent-death signal kills each child, the guard kills
// the rest of its group.
func TestKill9LeavesNoOrphans(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - {name: a, command: [/bin/sh, -c, "sleep 100 & echo grandchild $!; wait"]}
  - {name: b, command: `+sleeper+`}
`)
	gc := d.grandchild("grandchild")
	a, b := d.pidOf("r/a"), d.pidOf("r/b")
	d.signal(syscall.SIGKILL)
	d.wait(5 * time.Second)
	waitGone(t, 3*time.Second, a, b, gc)
}

// kill -9 of supervise, or of the guard it runs under, leaves no
// descendant alive, not even 100 that left their process group and
// session with setsid while their parent, a child of supervise, lives.
func TestKill9LeavesNoEscapedGrandchild(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		victim func(d *sv) int
		code   int
	}{
		{"supervise", (*sv).supervisePID, 128 + 9},
		{"guard", func(d *sv) int { return d.cmd.Process.Pid }, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := start(t, `
name: r
children:
  - name: fam
    command: [/bin/sh, -c, "for i in $(seq 100); do setsid sleep 1000 >/dev/null 2>&1 & echo esc $!; done; echo spawned; wait"]
    ready: {log: "^spawned$"}
`)
			d.waitEvent("ready", "r/fam")
			var esc []int
			for _, r := range d.records() {
				if m := r.str("msg"); strings.HasPrefix(m, "esc ") {
					pid, _ := strconv.Atoi(strings.TrimPrefix(m, "esc "))
					esc = append(esc, pid)
				}
			}
			if len(esc) != 100 {
				t.Fatalf("%d grandchildren reported, want 100", len(esc))
			}
			d.waitFor("all alive", func(rec) bool {
				for _, pid := range esc {
					if !alive(pid) {
						return false
					}
				}
				return true
			}, 5*time.Second)
			if err := syscall.Kill(tc.victim(d), syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			if code := d.wait(10 * time.Second); code != tc.code {
				t.Errorf("exit code %d, want %d", code, tc.code)
			}
			waitGone(t, 5*time.Second, append(esc, d.pidOf("r/fam"))...)
		})
	}
}

// An orphan re-parented to supervise is killed as soon as the child it
// came from is no longer running, so a crash-looping child that
// daemonizes a sleeper on every run does not pile them up; an orphan of a
// child that still runs is kept.
func TestOrphansOfEndedRunsKilled(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
intensity: 1000
period: 1s
children:
  - name: server
    command: [/bin/sh, -c, "(setsid sleep 1000 >/dev/null 2>&1 & echo kept $!); echo up; exec sleep 1000"]
    ready: {log: "^up$"}
  - name: loop
    backoff: {initial: 10ms, max: 10ms}
    command: [/bin/sh, -c, "setsid sleep 1000 >/dev/null 2>&1 & echo esc $!; sleep 0.1; exit 1"]
`)
	kept := d.grandchild("kept")
	const runs = 30
	var esc []int
	d.waitFor(fmt.Sprint(runs, " runs"), func(r rec) bool {
		if m := r.str("msg"); strings.HasPrefix(m, "esc ") {
			pid, _ := strconv.Atoi(strings.TrimPrefix(m, "esc "))
			esc = append(esc, pid)
		}
		return len(esc) == runs
	}, 30*time.Second)
	live := 0
	for _, pid := range esc {
		if alive(pid) {
			live++
		}
	}
	t.Logf("%d of the %d sleepers of the crash loop alive", live, runs)
	if live > 5 {
		t.Errorf("%d of the %d sleepers of the crash loop alive; want at most 5", live, runs)
	}
	if !alive(kept) {
		t.Errorf("the orphan %d of the running r/server was killed", kept)
	}
	if n := count(d.records(), "orphan_killed", "r/loop"); n < runs-5 {
		t.Errorf("%d orphan_killed records for r/loop, want at least %d", n, runs-5)
	}
	d.stopClean()
	waitGone(t, 3*time.Second, append(esc, kept)...)
}

// A second signal during a shutdown kills every process group at once and
// exits non-zero.
func TestSecondSignalKillsEverything(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - {name: a, command: `+sleeper+`}
  - name: slow
    shutdown: 30s
    command: [/bin/sh, -c, "trap '' TERM; sleep 100 & echo grandchild $!; exec sleep 101"]
`)
	gc := d.grandchild("grandchild")
	a, slow := d.pidOf("r/a"), d.pidOf("r/slow")
	d.signal(syscall.SIGTERM)
	d.waitEvent("stopping", "r/slow")
	// Past the window in which a stop signal counts as the first one again.
	time.Sleep(400 * time.Millisecond)
	t0 := time.Now()
	d.signal(syscall.SIGINT)
	if code := d.wait(5 * time.Second); code != 130 {
		t.Fatalf("exit code %d, want 130", code)
	}
	if took := time.Since(t0); took > 4*time.Second {
		t.Errorf("exit took %v after the second signal", took)
	}
	d.waitEvent("kill_all", "")
	waitGone(t, 3*time.Second, a, slow, gc)
}

// A command that cannot be executed is a start failure with the OS error
// in the log; at the tree's first start that fails the root: exit 1.
func TestMissingBinary(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - {name: a, command: `+sleeper+`}
  - {name: nope, command: [/nonexistent/binary, --flag]}
`)
	if code := d.wait(10 * time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	r := d.waitEvent("start_failed", "r/nope")
	if !strings.Contains(r.str("error"), "no such file or directory") {
		t.Errorf("start_failed error %q lacks the OS error", r.str("error"))
	}
	if n := count(d.records(), "stopped", "r/a"); n != 1 {
		t.Errorf("r/a stopped %d times, want 1", n)
	}
}

// A dir that does not exist is named as the cause of the start failure,
// not the binary, which exists; `check` warns about it with FILE:LINE:COL
// but passes, because an earlier child may create it.
func TestMissingDirNamed(t *testing.T) {
	t.Parallel()
	yaml := `
name: r
children:
  - {name: a, command: ` + sleeper + `}
  - {name: nodir, command: ` + sleeper + `, dir: $DIR/no/such/dir}
`
	d := start(t, yaml)
	if code := d.wait(10 * time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	r := d.waitEvent("start_failed", "r/nodir")
	if got := r.str("error"); !strings.Contains(got, "working directory") || !strings.Contains(got, d.dir+"/no/such/dir") {
		t.Errorf("start_failed error %q does not name the missing directory", got)
	}

	file := writeFile(t, d.dir, "check.yaml", yaml)
	code, stdout, stderr := runBin(t, nil, "check", file)
	if code != 0 || !strings.Contains(stdout, "ok") {
		t.Fatalf("check: exit code %d, stdout %q; want 0 and ok", code, stdout)
	}
	line5 := strings.Split(yaml, "\n")[4]
	col := strings.Index(line5, "dir:") + 1 // the warning points at the dir: key
	if want := fmt.Sprintf("%s:5:%d: warning: r/nodir: dir: ", file, col); !strings.Contains(stderr, want) || !strings.Contains(stderr, "does not exist") {
		t.Errorf("check stderr %q; want a warning starting %q", stderr, want)
	}
}

// supervisePID returns the PID of supervise itself, which runs as the
// child of the process the test started, its guard.
func (d *sv) supervisePID() int {
	d.t.Helper()
	pid := int(d.waitEvent("supervise_started", "")["pid"].(float64))
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		d.t.Fatal(err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if got, want := f[1], strconv.Itoa(d.cmd.Process.Pid); got != want {
		d.t.Fatalf("supervise %d has parent %s; want its guard %s", pid, got, want)
	}
	return pid
}
