//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const twoSleepers = `
name: r
children:
  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}
  - {name: b, command: [/bin/sh, -c, 'exec sleep 100']}
`

// ignoredSignals are the signals that `supervise run` logs and ignores;
// each of them ended or froze supervise before (SIGHUP: exit 129; SIGQUIT,
// SIGABRT, SIGSEGV sent by kill: a dump and exit 2).
var ignoredSignals = []syscall.Signal{
	syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGPIPE, syscall.SIGALRM,
	syscall.SIGVTALRM, syscall.SIGXCPU, syscall.SIGXFSZ, syscall.SIGSYS, syscall.SIGTRAP,
	syscall.SIGABRT, syscall.SIGILL, syscall.SIGBUS, syscall.SIGFPE, syscall.SIGSEGV,
	syscall.SIGIO, syscall.SIGTSTP, syscall.SIGTTIN, syscall.SIGSTKFLT, syscall.SIGPWR,
}

func sigName(s syscall.Signal) string {
	n := map[syscall.Signal]string{
		syscall.SIGHUP: "SIGHUP", syscall.SIGUSR1: "SIGUSR1", syscall.SIGUSR2: "SIGUSR2",
		syscall.SIGPIPE: "SIGPIPE", syscall.SIGALRM: "SIGALRM", syscall.SIGVTALRM: "SIGVTALRM",
		syscall.SIGXCPU: "SIGXCPU", syscall.SIGXFSZ: "SIGXFSZ", syscall.SIGSYS: "SIGSYS",
		syscall.SIGTRAP: "SIGTRAP", syscall.SIGABRT: "SIGABRT", syscall.SIGILL: "SIGILL",
		syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE", syscall.SIGSEGV: "SIGSEGV",
		syscall.SIGIO: "SIGIO", syscall.SIGTSTP: "SIGTSTP", syscall.SIGTTIN: "SIGTTIN",
		syscall.SIGSTKFLT: "SIGSTKFLT", syscall.SIGPWR: "SIGPWR", syscall.SIGTERM: "SIGTERM",
		syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT",
	}
	return n[s]
}

// checkSignals sends every ignored signal to supervise at pid: each is
// logged and the tree runs on, with the same processes; then stop, one of
// SIGTERM, SIGINT and SIGQUIT, stops it in reverse start order and
// supervise exits 0, its socket removed. The ignored signals go to
// supervise itself (pid); the stop goes to stopPID, the process an operator
// or a service manager knows (the guard, which forwards it, where there is
// one). The children's PIDs are checked when they are ours (hostPIDs), not
// those of another PID namespace.
func checkSignals(t *testing.T, d *sv, pid, stopPID int, stop syscall.Signal, hostPIDs bool) {
	t.Helper()
	d.waitEvent("started", "r/b")
	var pids []int
	if hostPIDs {
		pids = []int{d.pidOf("r/a"), d.pidOf("r/b")}
	}
	for _, s := range ignoredSignals {
		if err := syscall.Kill(pid, s); err != nil {
			t.Fatal(err)
		}
		d.waitFor("signal_ignored "+sigName(s), func(r rec) bool {
			return r.is("signal_ignored", "") && r.str("signal") == sigName(s)
		}, 10*time.Second)
	}
	for _, p := range pids {
		if !alive(p) {
			t.Errorf("child %d died after the ignored signals", p)
		}
	}
	if n := count(d.records(), "stopping", ""); n != 0 {
		t.Fatalf("%d children stopped after ignored signals; want none", n)
	}
	if err := syscall.Kill(stopPID, stop); err != nil {
		t.Fatal(err)
	}
	if code := d.wait(15 * time.Second); code != 0 {
		t.Errorf("exit code %d after %s; want 0", code, sigName(stop))
	}
	recs := d.records()
	if !slices.ContainsFunc(recs, func(r rec) bool { return r.is("signal", "") && r.str("signal") == sigName(stop) }) {
		t.Errorf("no signal record for %s", sigName(stop))
	}
	if got, want := paths(recs, "stopping"), []string{"r/b", "r/a"}; !slices.Equal(got, want) {
		t.Errorf("stopping order %v; want %v", got, want)
	}
	if _, err := os.Lstat(d.socket); !os.IsNotExist(err) {
		t.Errorf("socket left behind: %v", err)
	}
	waitGone(t, 5*time.Second, pids...)
}

// No catchable signal ends `supervise run` without the ordered stop:
// SIGTERM, SIGINT and SIGQUIT stop the tree in LIFO order and exit 0;
// every other one is logged and leaves the tree running.
func TestSignals(t *testing.T) {
	for _, stop := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT} {
		t.Run(sigName(stop), func(t *testing.T) {
			d := start(t, twoSleepers)
			d.waitEvent("supervise_started", "")
			guard := d.cmd.Process.Pid
			checkSignals(t, d, childOf(t, guard), guard, stop, true)
		})
	}
}

// The same as PID 1 of a PID namespace, as in a container: there the
// kernel drops a signal that has no handler, and Go's runtime used to
// exit with code 2 on SIGHUP.
func TestSignalsAsPID1(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("unshare --pid needs root")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare")
	}
	if err := exec.Command(unshare, "--pid", "--fork", "--mount-proc", "true").Run(); err != nil {
		t.Skipf("unshare --pid does not work here: %v", err)
	}
	for _, stop := range []syscall.Signal{syscall.SIGTERM, syscall.SIGQUIT} {
		t.Run(sigName(stop), func(t *testing.T) {
			dir := shortDir(t)
			file := writeFile(t, dir, "tree.yaml", twoSleepers)
			d := startCmd(t, dir, exec.Command(unshare, "--pid", "--fork", "--mount-proc", "--kill-child",
				bin, "run", "--log-format", "json", "--socket", filepath.Join(dir, "s.sock"), file))
			started := d.waitEvent("supervise_started", "")
			if pid, _ := started["pid"].(float64); pid != 1 {
				t.Fatalf("supervise's pid %v in its namespace; want 1", started["pid"])
			}
			pid := childOf(t, d.cmd.Process.Pid)
			d.waitEvent("started", "r/b")
			// No guard as PID 1: the namespace dies with it.
			kids, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
			for _, k := range kids {
				b, _ := os.ReadFile(k)
				for _, c := range strings.Fields(string(b)) {
					if cmd, _ := os.ReadFile("/proc/" + c + "/cmdline"); strings.Contains(string(cmd), "guard") {
						t.Errorf("a guard runs beside supervise as PID 1: %q", cmd)
					}
				}
			}
			checkSignals(t, d, pid, pid, stop, false)
		})
	}
}

// childOf returns the one child of pid, from /proc.
func childOf(t *testing.T, pid int) int {
	t.Helper()
	// A child is listed under the thread that forked it, and a Go parent
	// (the guard) forks from any of its threads.
	tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	if len(tasks) == 0 {
		t.Skipf("cannot find the children of %d", pid)
	}
	var f []string
	for _, task := range tasks {
		b, err := os.ReadFile(task)
		if err == nil {
			f = append(f, strings.Fields(string(b))...)
		}
	}
	if len(f) != 1 {
		t.Fatalf("process %d has children %q; want one", pid, f)
	}
	c, _ := strconv.Atoi(f[0])
	return c
}

// run, check and status take their flags after the file too, as the
// README writes them.
func TestFlagsAfterFile(t *testing.T) {
	dir := shortDir(t)
	file := writeFile(t, dir, "tree.yaml", twoSleepers)
	if code, out, errOut := runBin(t, nil, "check", file, "--help"); code != 0 || !strings.Contains(out, "Usage: supervise check") {
		t.Errorf("check FILE --help = %d, %q, %q; want the help", code, out, errOut)
	}
	if code, _, errOut := runBin(t, nil, "check", file, "--bogus"); code != 2 || !strings.Contains(errOut, "-bogus") {
		t.Errorf("check FILE --bogus = %d, %q; want 2 and the flag named", code, errOut)
	}
	sock := filepath.Join(dir, "s.sock")
	d := startArgs(t, dir, "run", file, "--log-format", "json", "--socket", sock)
	d.waitEvent("started", "r/b") // JSON records: --log-format after FILE was taken
	for _, args := range [][]string{
		{"status", "--socket", sock, "--json"},
		{"status", "--json", "--socket", sock},
	} {
		code, out, errOut := runBin(t, nil, args...)
		if code != 0 || !strings.Contains(out, `"name":"r"`) {
			t.Errorf("%q = %d, %q, %q; want the tree as JSON", args, code, out, errOut)
		}
	}
	if code, _, errOut := runBin(t, nil, "status", "extra", "--socket", sock); code != 2 || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Errorf("status extra = %d, %q; want 2", code, errOut)
	}
	d.stopClean()
	if code, out, _ := runBin(t, nil, "check", file, "--"); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("check FILE -- = %d, %q; want ok", code, out)
	}
}
