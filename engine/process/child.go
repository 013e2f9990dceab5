package process

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"sync"
	"syscall"
)

// child is one started OS process, leader of a process group of its own,
// and the only way this package starts and waits for processes: the main
// process of a [Process] and every readiness probe. Funnelling both through
// it keeps three promises in one place: the parent-death signal (spawn),
// waiting through the reaper when one owns all waiting, and never signalling
// a group ID after its leader was reaped, when the ID may have been reused.
type child struct {
	cmd    *exec.Cmd
	pid    int
	set    *Set
	reaped <-chan syscall.WaitStatus // nil: wait with os/exec

	mu   sync.Mutex
	done bool // reaped: the group ID is no longer ours
}

// startChild starts cmd in a new process group and joins it to set (which
// may be nil) until it is waited for.
func startChild(cmd *exec.Cmd, set *Set, cred *Credential) (*child, error) {
	cmd.SysProcAttr = groupSysProcAttr()
	setCredential(cmd.SysProcAttr, cred)
	r, ticket := beginChild()
	if err := spawn(cmd); err != nil {
		if r != nil {
			r.register(ticket, 0)
		}
		return nil, startError(cmd, err)
	}
	c := &child{cmd: cmd, pid: cmd.Process.Pid, set: set}
	if r != nil {
		c.reaped = r.register(ticket, c.pid)
	}
	set.add(c)
	return c, nil
}

// startError keeps the OS error reachable with errors.Is, and makes a
// command missing from $PATH an fs.ErrNotExist like a missing absolute path
// already is, so callers need one test for "no such binary". The kernel
// reports a missing working directory with the same ENOENT as a missing
// binary, so the directory is checked first and named when it is the cause.
func startError(cmd *exec.Cmd, err error) error {
	if derr := checkDir(cmd.Dir); derr != nil {
		return fmt.Errorf("process: start %q: working directory: %w", cmd.Path, derr)
	}
	if errors.Is(err, exec.ErrNotFound) && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("process: start %q: %w (%w)", cmd.Path, err, fs.ErrNotExist)
	}
	return fmt.Errorf("process: start %q: %w", cmd.Path, err)
}

// signal sends sig to the child's group unless the child was already
// reaped.
func (c *child) signal(sig syscall.Signal) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return nil
	}
	return signalGroup(c.pid, sig)
}

// wait blocks until the main process exited, then SIGKILLs whatever is
// left of its group: a worker that outlives its master keeps the master's
// port and sockets, and the next start would fail on them.
func (c *child) wait() (syscall.WaitStatus, error) {
	var (
		ws  syscall.WaitStatus
		err error
	)
	if c.reaped != nil {
		ws = <-c.reaped
		// The reaper did the wait; this only frees the pidfd.
		_ = c.cmd.Process.Release()
	} else {
		err = c.cmd.Wait()
		if c.cmd.ProcessState != nil {
			ws, _ = c.cmd.ProcessState.Sys().(syscall.WaitStatus)
			err = nil
		} else {
			err = fmt.Errorf("process: wait for process %d: %w", c.pid, err)
		}
	}
	c.mu.Lock()
	// The leader is a reaped zombie no more, but its ID stays reserved
	// while any group member is alive, so this kill reaches only them.
	_ = signalGroup(c.pid, syscall.SIGKILL)
	c.done = true
	c.mu.Unlock()
	c.set.remove(c)
	return ws, err
}

// checkDir returns why dir cannot be a working directory, or nil; "" is
// the supervisor's own and always fine.
func checkDir(dir string) error {
	if dir == "" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return &fs.PathError{Op: "chdir", Path: dir, Err: syscall.ENOTDIR}
	}
	return nil
}
