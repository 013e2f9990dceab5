//go:build !unix

package config

import "syscall"

// reservedSignals cannot be given an action: the kernel does not let them
// be caught.
var reservedSignals = map[syscall.Signal]string{syscall.SIGKILL: "cannot be caught"}
