package daemon

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// procStat is what supervise reads of a process in /proc/PID/stat.
type procStat struct {
	state byte   // R, S, D, Z, …
	ppid  int    // parent
	start uint64 // start time, in clock ticks since boot
}

// readStat reads /proc/PID/stat; false when the process is gone.
func readStat(pid int) (procStat, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, false
	}
	// pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt
	// majflt cmajflt utime stime cutime cstime priority nice num_threads
	// itrealvalue starttime …; comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, false
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 20 || len(f[0]) != 1 {
		return procStat{}, false
	}
	ppid, err1 := strconv.Atoi(string(f[1]))
	start, err2 := strconv.ParseUint(string(f[19]), 10, 64)
	if err1 != nil || err2 != nil {
		return procStat{}, false
	}
	return procStat{state: f[0][0], ppid: ppid, start: start}, true
}

// liveChildren returns the PIDs of the children of this process that are
// not zombies: those it started and the orphans re-parented to it. It
// reads /proc/self/task/*/children, which lists each thread's children,
// and falls back to a walk of /proc where the kernel lacks those files.
func liveChildren() []int {
	me := os.Getpid()
	var pids []int
	files, _ := filepath.Glob("/proc/self/task/*/children")
	if len(files) == 0 {
		pids = childrenByWalk(me)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, s := range bytes.Fields(b) {
			if pid, err := strconv.Atoi(string(s)); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	live := pids[:0]
	for _, pid := range pids {
		if st, ok := readStat(pid); ok && st.state != 'Z' && st.ppid == me {
			live = append(live, pid)
		}
	}
	return live
}

// childrenByWalk finds the children of me by reading every /proc/PID/stat.
func childrenByWalk(me int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == me {
			continue
		}
		if st, ok := readStat(pid); ok && st.ppid == me {
			pids = append(pids, pid)
		}
	}
	return pids
}

// maxEnviron bounds how much of a process's environment is read.
const maxEnviron = 1 << 20

// environValue returns the value of key in the environment that process
// pid was executed with, and whether it is there.
func environValue(pid int, key string) (string, bool) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return "", false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxEnviron))
	if err != nil {
		return "", false
	}
	prefix := []byte(key + "=")
	for kv := range bytes.SplitSeq(b, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, prefix); ok {
			return string(v), true
		}
	}
	return "", false
}
