package daemon

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
)

// The group guard is the fallback where there is no parent guard (see
// enterGuard): on other systems than Linux, or when the parent guard could
// not be started. The kernel's parent-death signal reaches only a child's
// main process, not the rest of its process group, so supervise starts one
// helper, the group guard (this binary as `supervise guard`), and tells it
// on a pipe the ID of every process group it starts and reaps. When the
// pipe reaches EOF, because supervise exited or died, the guard SIGKILLs
// every group it was told is alive, then exits. It cannot reach a process
// that left its group.

// guard is the supervise side of the pipe.
type guard struct {
	pid int
	mu  sync.Mutex
	w   io.WriteCloser
}

// startGuard starts the group guard, or returns nil under a parent guard,
// which needs none. It must run before the reaper starts, and the guard is
// never waited for: the reaper, or PID 1, reaps it.
func startGuard() (*guard, error) {
	if parentGuarded {
		return nil, nil
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command(self, "guard")
	cmd.Stdin = r
	cmd.Stderr = os.Stderr
	// Its own group, so that a Ctrl-C meant for supervise does not reach it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, err
	}
	pid := cmd.Process.Pid
	_ = cmd.Process.Release()
	return &guard{pid: pid, w: w}, nil
}

// pidOrZero is the guard's PID, 0 for a nil guard.
func (g *guard) pidOrZero() int {
	if g == nil {
		return 0
	}
	return g.pid
}

// group tells the guard that a group started (alive) or ended.
func (g *guard) group(pgid int, alive bool) {
	op := '-'
	if alive {
		op = '+'
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	fmt.Fprintf(g.w, "%c%d\n", op, pgid)
}

// close lets the guard exit, killing whatever groups are left.
func (g *guard) close() {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.w.Close()
}

// GuardMain is the hidden `supervise guard` command: it reads "+PGID" and
// "-PGID" lines on stdin and, at EOF, SIGKILLs the groups still alive.
func GuardMain(_ []string, _, _ io.Writer) int {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	alive := make(map[int]bool)
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		line := sc.Text()
		if len(line) < 2 {
			continue
		}
		pgid, err := strconv.Atoi(line[1:])
		if err != nil || pgid <= 1 {
			continue
		}
		if line[0] == '+' {
			alive[pgid] = true
		} else {
			delete(alive, pgid)
		}
	}
	for pgid := range alive {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	return 0
}
