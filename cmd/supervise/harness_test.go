package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// bin is the supervise binary that TestMain builds once for every test.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "supervise-e2e")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "supervise")
	args := []string{"build", "-o", bin}
	build := exec.Command("go")
	if raceEnabled {
		args = append(args, "-race") // needs cgo
	} else {
		// What we ship: a static binary, as the docs tell to build it.
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
	}
	build.Args = append(build.Args, append(args, ".")...)
	out, err := build.CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building supervise: %v\n%s", err, out)
		os.Exit(1)
	}
	// A race-enabled binary sleeps a second at exit by default.
	os.Setenv("GORACE", "atexit_sleep_ms=0 "+os.Getenv("GORACE"))
	code := m.Run()
	if code == 0 {
		// The tests' own goroutines (log pumps, waiters) must be gone too.
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
			code = 1
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// rec is one JSON log record of supervise.
type rec map[string]any

func (r rec) str(k string) string { s, _ := r[k].(string); return s }

func (r rec) time() time.Time {
	t, _ := time.Parse(time.RFC3339Nano, r.str("time"))
	return t
}

func (r rec) is(event, path string) bool {
	return r.str("event") == event && (path == "" || r.str("path") == path)
}

// sv is one running `supervise run`.
type sv struct {
	t      *testing.T
	dir    string
	socket string
	cmd    *exec.Cmd
	done   chan struct{}
	code   int

	mu     sync.Mutex
	recs   []rec
	stderr bytes.Buffer // lines that are not JSON
	more   chan struct{}
}

// shortDir returns a temporary directory short enough for a socket path.
func shortDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "sv")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// writeFile writes a supervise file into dir; "$DIR" in it becomes dir.
func writeFile(t *testing.T, dir, name, yaml string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	yaml = strings.ReplaceAll(yaml, "$DIR", dir)
	yaml = strings.ReplaceAll(yaml, "$BIN", bin)
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// start runs `supervise run` on yaml with JSON logs.
func start(t *testing.T, yaml string) *sv {
	t.Helper()
	return startIn(t, shortDir(t), yaml)
}

// startIn is start with the files in dir.
func startIn(t *testing.T, dir, yaml string) *sv {
	t.Helper()
	file := writeFile(t, dir, "tree.yaml", yaml)
	return startArgs(t, dir, "run", "--log-format", "json", "--socket", filepath.Join(dir, "s.sock"), file)
}

func startArgs(t *testing.T, dir string, args ...string) *sv {
	t.Helper()
	return startCmd(t, dir, exec.Command(bin, args...))
}

// startCmd starts cmd, a `supervise run` (under a wrapper such as unshare,
// perhaps), and collects its log.
func startCmd(t *testing.T, dir string, cmd *exec.Cmd) *sv {
	t.Helper()
	d := &sv{t: t, dir: dir, socket: filepath.Join(dir, "s.sock"), done: make(chan struct{}), more: make(chan struct{})}
	d.cmd = cmd
	if d.cmd.Env == nil {
		d.cmd.Env = os.Environ()
	}
	d.cmd.Env = append(d.cmd.Env, "XDG_RUNTIME_DIR="+dir)
	errPipe, err := d.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(errPipe)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var r rec
			d.mu.Lock()
			if json.Unmarshal(sc.Bytes(), &r) == nil {
				d.recs = append(d.recs, r)
			} else {
				d.stderr.Write(sc.Bytes())
				d.stderr.WriteByte('\n')
			}
			close(d.more)
			d.more = make(chan struct{})
			d.mu.Unlock()
		}
		err := d.cmd.Wait()
		d.code = d.cmd.ProcessState.ExitCode()
		_ = err
		close(d.done)
	}()
	t.Cleanup(func() {
		select {
		case <-d.done:
		default:
			_ = d.cmd.Process.Kill()
			<-d.done
		}
		if t.Failed() {
			t.Logf("supervise log:\n%s", d.dump())
		}
	})
	return d
}

func (d *sv) dump() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var b strings.Builder
	for _, r := range d.recs {
		j, _ := json.Marshal(r)
		b.Write(j)
		b.WriteByte('\n')
	}
	b.WriteString(d.stderr.String())
	return b.String()
}

// records returns the records so far.
func (d *sv) records() []rec {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]rec(nil), d.recs...)
}

// waitFor waits until a record matches and returns it.
func (d *sv) waitFor(what string, match func(rec) bool, timeout time.Duration) rec {
	d.t.Helper()
	deadline := time.After(timeout)
	seen := 0
	for {
		d.mu.Lock()
		recs, more := d.recs, d.more
		d.mu.Unlock()
		for ; seen < len(recs); seen++ {
			if match(recs[seen]) {
				return recs[seen]
			}
		}
		select {
		case <-more:
		case <-d.done:
			d.mu.Lock()
			n := len(d.recs)
			d.mu.Unlock()
			if seen == n {
				d.t.Fatalf("supervise exited (code %d) before %s", d.code, what)
			}
		case <-deadline:
			d.t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
	}
}

// waitEvent waits for the event at path.
func (d *sv) waitEvent(event, path string) rec {
	d.t.Helper()
	return d.waitFor(event+" "+path, func(r rec) bool { return r.is(event, path) }, 10*time.Second)
}

func (d *sv) signal(sig syscall.Signal) {
	d.t.Helper()
	if err := d.cmd.Process.Signal(sig); err != nil {
		d.t.Fatal(err)
	}
}

// wait waits for supervise to exit and returns its exit code.
func (d *sv) wait(timeout time.Duration) int {
	d.t.Helper()
	select {
	case <-d.done:
		return d.code
	case <-time.After(timeout):
		d.t.Fatalf("supervise did not exit within %v", timeout)
		return -1
	}
}

// stopClean sends SIGTERM and fails the test unless supervise stops its
// tree and exits 0 within 10 s: the end of most tests of a tree that
// should have run on.
func (d *sv) stopClean() {
	d.t.Helper()
	d.signal(syscall.SIGTERM)
	if code := d.wait(10 * time.Second); code != 0 {
		d.t.Fatalf("exit code %d after SIGTERM; want 0", code)
	}
}

// paths returns the paths of the records of event, in log order.
func paths(recs []rec, event string) []string {
	var out []string
	for _, r := range recs {
		if r.is(event, "") {
			out = append(out, r.str("path"))
		}
	}
	return out
}

// count counts the records of event at path.
func count(recs []rec, event, path string) int {
	n := 0
	for _, r := range recs {
		if r.is(event, path) {
			n++
		}
	}
	return n
}

// alive reports whether pid is a live process (not a zombie).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: trust kill
	}
	i := bytes.LastIndexByte(b, ')')
	return i < 0 || len(b) < i+3 || b[i+2] != 'Z'
}

// waitGone waits until none of pids is alive.
func waitGone(t *testing.T, timeout time.Duration, pids ...int) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for _, pid := range pids {
		for alive(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("process %d still alive after %v", pid, timeout)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// pidOf returns the PID that the engine logged for the process at path,
// from its most recent "process started" record.
func (d *sv) pidOf(path string) int {
	d.t.Helper()
	r := d.waitFor("process started "+path, func(r rec) bool {
		return r.str("msg") == "process started" && r.str("path") == path
	}, 10*time.Second)
	return int(r["pid"].(float64))
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// runBin runs the binary to completion and returns its exit code and
// output.
func runBin(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), o.String(), e.String()
}

// The binary the tests run is the one we ship: statically linked, with no
// ELF interpreter (no dynamic libc), so it runs in a distroless/static or
// scratch image. A race build needs cgo and is exempt.
func TestBinaryIsStatic(t *testing.T) {
	if raceEnabled {
		t.Skip("a -race build links libc")
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Skipf("not an ELF binary: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s has an ELF interpreter: it is dynamically linked; build with CGO_ENABLED=0", bin)
		}
	}
}
