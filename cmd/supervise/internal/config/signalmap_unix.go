//go:build unix

package config

import "syscall"

// reservedSignals cannot be given an action: the kernel does not let them
// be caught, or supervise and Go's runtime need them for themselves.
var reservedSignals = map[syscall.Signal]string{
	syscall.SIGKILL: "cannot be caught",
	syscall.SIGSTOP: "cannot be caught",
	syscall.SIGCHLD: "tells supervise that a child exited; it cannot be given an action",
	syscall.SIGURG:  "is used by Go's runtime to preempt goroutines; it cannot be given an action",
}
