//go:build !unix

package process

import "syscall"

func signalName(sig syscall.Signal) string { return sig.String() }
