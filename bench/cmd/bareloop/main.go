//go:build unix

// Command bareloop is the floor of bench/peers.sh's restart row: a bare
// fork/exec/wait loop that starts the same crashing child again as soon as
// it was reaped, for SECONDS, with no logging, no pipes and no decisions.
// A process supervisor's restart latency is compared with this loop's.
//
//	bareloop SECONDS COMMAND [ARG...]
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: bareloop SECONDS COMMAND [ARG...]")
		os.Exit(2)
	}
	secs, err := strconv.ParseFloat(os.Args[1], 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bareloop:", err)
		os.Exit(2)
	}
	path, err := exec.LookPath(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bareloop:", err)
		os.Exit(2)
	}
	argv := os.Args[2:]
	attr := &syscall.ProcAttr{Env: os.Environ(), Files: []uintptr{0, 1, 2}}
	end := time.Now().Add(time.Duration(secs * float64(time.Second)))
	for time.Now().Before(end) {
		pid, err := syscall.ForkExec(path, argv, attr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bareloop:", err)
			os.Exit(1)
		}
		var ws syscall.WaitStatus
		for {
			if _, err = syscall.Wait4(pid, &ws, 0, nil); err != syscall.EINTR {
				break
			}
		}
	}
}
