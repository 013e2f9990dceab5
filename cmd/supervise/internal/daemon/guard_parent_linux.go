package daemon

import (
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/arborgo/arbor/engine/process"
)

// The parent guard makes `kill -9` of supervise leave no descendant
// behind, not even one that left its process group. `supervise run`
// starts as the guard: it makes itself a child subreaper and runs the real
// supervise as its child, so that whatever supervise's tree orphans when
// supervise dies is re-parented to the guard, not to init. When supervise
// exits, for whatever reason, the guard SIGKILLs its children until it
// has none left, and exits with supervise's status. While supervise runs,
// the guard forwards the signals meant for supervise to it.
//
// As a container's PID 1 there is no guard: when PID 1 dies, the kernel
// kills every process of its PID namespace.

// envGuardFD tells the real supervise the descriptor of the pipe whose
// write end the guard holds: its EOF means the guard died.
const envGuardFD = "SUPERVISE_GUARD_FD"

// notForwarded are the signals the guard catches but keeps: it catches
// every signal, so that none ends it and leaves supervise unguarded, and
// forwards all but these, which concern the guard itself (the runtime's
// SIGURG, its own children, job control and the terminal's size, which go
// to supervise's group directly).
var notForwarded = map[os.Signal]bool{syscall.SIGCHLD: true, syscall.SIGURG: true,
	syscall.SIGWINCH: true, syscall.SIGPIPE: true, syscall.SIGTSTP: true,
	syscall.SIGTTIN: true, syscall.SIGTTOU: true, syscall.SIGCONT: true}

// parentGuarded is set in the real supervise, under a parent guard: it
// then needs no group guard of its own.
var parentGuarded bool

// enterGuard runs supervise under a parent guard. In the guard it returns
// supervise's exit code and true once supervise and every descendant are
// gone; in the real supervise, as PID 1, or when no guard can be started,
// it returns false and the caller goes on as supervise. In the guard it
// first calls drop, which lets go of what the guard no longer needs (the
// loaded file: supervise, its child, loads it again), and hands that
// memory back to the system: the guard stays as small as for an empty tree
// however large the tree.
func enterGuard(log *slog.Logger, drop func()) (int, bool) {
	if v, ok := os.LookupEnv(envGuardFD); ok {
		os.Unsetenv(envGuardFD) // not for the children
		if fd, err := strconv.Atoi(v); err == nil && fd > 2 {
			parentGuarded = true
			watchGuard(log, fd)
		}
		return 0, false
	}
	if os.Getpid() == 1 {
		return 0, false
	}
	if err := process.SetChildSubreaper(); err != nil {
		log.Warn("cannot become a child subreaper to guard supervise; a kill -9 may leave escaped grandchildren behind", "error", err.Error())
		return 0, false
	}
	drop()
	debug.FreeOSMemory()
	code, err := runGuarded()
	if err != nil {
		log.Warn("cannot start supervise under its guard; a kill -9 may leave escaped grandchildren behind", "error", err.Error())
		return 0, false
	}
	return code, true
}

// runGuarded runs supervise as its child and returns its exit code, 128+N for
// a death by signal N, once every descendant is gone.
func runGuarded() (int, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	defer w.Close() // only when every descendant is gone
	cmd := exec.Command(self, os.Args[1:]...)
	cmd.Args[0] = os.Args[0]
	cmd.Env = append(os.Environ(), envGuardFD+"=3")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{r}
	// A group of its own, so that a signal sent to the guard's group does
	// not reach supervise twice, directly and forwarded; on a terminal,
	// the foreground group, so that Ctrl-C reaches it directly instead.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	tty := foregroundTTY()
	if tty >= 0 {
		cmd.SysProcAttr.Foreground, cmd.SysProcAttr.Ctty = true, tty
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs)
	defer signal.Stop(sigs)
	err = cmd.Start()
	r.Close()
	if err != nil {
		return 0, err
	}
	stop := make(chan struct{})
	go forward(sigs, cmd.Process, stop)
	ws := waitPID(cmd.Process.Pid)
	close(stop)
	if tty >= 0 {
		takeForeground(tty)
	}
	killDescendants()
	switch {
	case ws.Signaled():
		return 128 + int(ws.Signal()), nil
	case ws.Exited():
		return ws.ExitStatus(), nil
	}
	return ExitGaveUp, nil
}

// forward passes each signal on to supervise until stop is closed. A
// signal that comes after supervise was reaped fails on its pidfd rather
// than reach a process that reused the PID.
func forward(sigs <-chan os.Signal, p *os.Process, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case sig := <-sigs:
			if !notForwarded[sig] {
				_ = p.Signal(sig)
			}
		}
	}
}

// waitPID waits for process pid to end and returns its status.
func waitPID(pid int) syscall.WaitStatus {
	for {
		var ws syscall.WaitStatus
		_, err := syscall.Wait4(pid, &ws, 0, nil)
		if !errors.Is(err, syscall.EINTR) {
			return ws
		}
	}
}

// killDescendants SIGKILLs the guard's children, reaps them, and repeats
// with the orphans their deaths re-parent to it, until it has no child
// left: a subreaper with no child has no descendant.
func killDescendants() {
	for {
		for _, pid := range liveChildren() {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		var ws syscall.WaitStatus
		_, err := syscall.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, syscall.ECHILD) {
			return
		}
	}
}

// foregroundTTY returns a standard descriptor that is a terminal whose
// foreground process group is the guard's, or -1.
func foregroundTTY() int {
	for fd := range 3 {
		if pg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil && pg == syscall.Getpgrp() {
			return fd
		}
	}
	return -1
}

// takeForeground makes the guard's group the terminal's foreground again,
// as it was before supervise took it.
func takeForeground(tty int) {
	signal.Ignore(syscall.SIGTTOU) // a background group may not otherwise
	_ = unix.IoctlSetPointerInt(tty, unix.TIOCSPGRP, syscall.Getpgrp())
}

// guardGrace bounds how long the real supervise, once its guard died,
// spends killing its descendants before it exits.
const guardGrace = 5 * time.Second

// watchGuard makes the real supervise notice the death of its guard (a
// kill -9 of the process that was started as `supervise run`): it then
// kills every descendant, as the guard would have, and exits, so that
// nothing goes on running unguarded and no orphan falls to init.
func watchGuard(log *slog.Logger, fd int) {
	syscall.CloseOnExec(fd)
	f := os.NewFile(uintptr(fd), "guard")
	go func() {
		var b [1]byte
		for {
			if _, err := f.Read(b[:]); err != nil {
				break
			}
		}
		log.Error("the guard died; killing every process and exiting", "event", "guard_died")
		deadline := time.Now().Add(guardGrace)
		for time.Now().Before(deadline) {
			kids := liveChildren()
			if len(kids) == 0 {
				break
			}
			for _, pid := range kids {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			time.Sleep(10 * time.Millisecond) // the reaper reaps them
		}
		os.Exit(ExitGaveUp)
	}()
}
