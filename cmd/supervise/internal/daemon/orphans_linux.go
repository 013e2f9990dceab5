package daemon

import (
	"syscall"
)

// killOrphans SIGKILLs every child process of supervise that is still
// alive once the tree has stopped: grandchildren that left their process
// group (a double fork, setsid) and were re-parented to supervise, a
// subreaper or PID 1. It returns how many it killed. The reaper, still
// running, reaps them.
func killOrphans(except int) int {
	n := 0
	for _, pid := range liveChildren() {
		if pid != except && syscall.Kill(pid, syscall.SIGKILL) == nil {
			n++
		}
	}
	return n
}
