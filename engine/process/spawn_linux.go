package process

import (
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// Linux delivers the parent-death signal (PR_SET_PDEATHSIG) when the OS
// *thread* that forked the child exits, not when the process does. The Go
// runtime starts and ends threads as it pleases, and a goroutine locked to a
// thread that returns takes the thread down with it; a child started from an
// ordinary goroutine could thus be SIGKILLed while we are alive and well.
// So every child is started from one goroutine that locks itself to its
// thread and never returns: that thread lives exactly as long as the
// program, which makes Pdeathsig mean "the supervisor died".

type spawnRequest struct {
	cmd   *exec.Cmd
	reply chan error
}

var (
	spawnOnce sync.Once
	spawnCh   chan spawnRequest
)

// spawnLoop is the spawner goroutine; it never returns, see above. It
// also drops the deliveries of stop signals that were ignored when the
// program started (see unignoreStopSignals).
func spawnLoop(reqs <-chan spawnRequest, dropped <-chan os.Signal) {
	runtime.LockOSThread()
	for {
		select {
		case req := <-reqs:
			req.reply <- req.cmd.Start()
		case <-dropped:
		}
	}
}

// spawn starts cmd on the spawner thread with a parent-death signal of
// SIGKILL, so that the child cannot outlive the supervisor even when the
// supervisor is killed without a chance to stop it.
func spawn(cmd *exec.Cmd) error {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	spawnOnce.Do(func() {
		spawnCh = make(chan spawnRequest)
		go spawnLoop(spawnCh, unignoreStopSignals())
	})
	reply := make(chan error, 1)
	spawnCh <- spawnRequest{cmd: cmd, reply: reply}
	return <-reply
}
