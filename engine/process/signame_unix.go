//go:build unix

package process

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// signalName returns the conventional name of sig, such as "SIGKILL".
func signalName(sig syscall.Signal) string {
	if n := unix.SignalName(sig); n != "" {
		return n
	}
	return sig.String()
}
