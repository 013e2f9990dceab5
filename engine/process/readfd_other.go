//go:build !unix

package process

import "syscall"

// readFD is one read of the handle of a pipe.
func readFD(fd uintptr, b []byte) (int, error) { return syscall.Read(syscall.Handle(fd), b) }
