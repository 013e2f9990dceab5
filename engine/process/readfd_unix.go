//go:build unix

package process

import "syscall"

// readFD is one read(2) of the descriptor of a pipe.
func readFD(fd uintptr, b []byte) (int, error) { return syscall.Read(int(fd), b) }
