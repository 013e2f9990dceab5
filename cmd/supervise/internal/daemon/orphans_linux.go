package daemon

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// killOrphans SIGKILLs every child process of supervise that is still
// alive once the tree has stopped: grandchildren that left their process
// group (a double fork, setsid) and were re-parented to supervise, a
// subreaper or PID 1. It returns how many it killed. The reaper, still
// running, reaps them.
func killOrphans(except int) int {
	me := os.Getpid()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == me || pid == except {
			continue
		}
		if ppid(pid) == me && syscall.Kill(pid, syscall.SIGKILL) == nil {
			n++
		}
	}
	return n
}

// ppid reads the parent PID from /proc/PID/stat, or -1.
func ppid(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	// pid (comm) state ppid ...; comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 2 {
		return -1
	}
	p, err := strconv.Atoi(string(f[1]))
	if err != nil {
		return -1
	}
	return p
}
